//! Importing the bureau's school roster from CSV or XLSX: every row is checked and every problem
//! is reported at once, so the bureau can fix its spreadsheet in one pass.

mod columns;
pub(crate) mod source;
mod validate;

#[cfg(test)]
mod tests;

use std::fmt;

use serde::{Deserialize, Serialize};

use super::code::SchoolCode;
use super::level::SchoolLevel;
use super::urban_rural::UrbanRuralCode;

/// At most this many problems are listed; the rest are summarised in one final line.
pub const MAX_REPORTED_ERRORS: usize = 200;
/// The largest enrolment accepted for one grade of one school.
pub const MAX_ENROLMENT: u32 = 5000;
/// The longest school name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// The canonical header row, as offered in the downloadable template.
pub const TEMPLATE_HEADERS: &[&str] = &[
    "学校代码",
    "学校名称",
    "乡镇街道",
    "学段",
    "城乡分类代码",
    "一年级人数",
    "二年级人数",
    "三年级人数",
    "四年级人数",
    "五年级人数",
    "六年级人数",
    "七年级人数",
    "八年级人数",
    "九年级人数",
    "联系邮箱",
];

/// One school of the roster, fully checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub code: SchoolCode,
    pub name: String,
    pub township: String,
    pub level: SchoolLevel,
    pub urban_rural: UrbanRuralCode,
    /// Students per grade; index 0 is grade 1. Grades the level does not teach are 0.
    pub enrolment: [u32; 9],
    pub email: Option<String>,
}

impl RosterRow {
    /// Students in `grade` (1-9); 0 for any other grade.
    pub fn enrolment_in(&self, grade: u8) -> u32 {
        match grade {
            1..=9 => self.enrolment[usize::from(grade) - 1],
            _ => 0,
        }
    }

    /// Students in all grades.
    pub fn total_enrolment(&self) -> u32 {
        self.enrolment.iter().sum()
    }
}

/// One problem in the uploaded file, located as the user sees it in Excel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// 1-based row number as Excel shows it (the header is row 1); 0 for the file as a whole.
    pub row: usize,
    /// The header as written in the file, the expected header when it is missing,
    /// or empty when the problem concerns the whole row or file.
    pub column: String,
    /// What is wrong and how to fix it, in Chinese.
    pub message: String,
}

impl RowError {
    fn new(row: usize, column: &str, message: impl Into<String>) -> Self {
        Self {
            row,
            column: column.to_owned(),
            message: message.into(),
        }
    }

    /// A problem with the whole file rather than one cell.
    fn file(message: impl Into<String>) -> Self {
        Self::new(0, "", message)
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, self.column.is_empty()) {
            (0, true) => write!(f, "{}", self.message),
            (0, false) => write!(f, "“{}”列：{}", self.column, self.message),
            (row, true) => write!(f, "第 {row} 行：{}", self.message),
            (row, false) => write!(f, "第 {row} 行，“{}”列：{}", self.column, self.message),
        }
    }
}

/// Every problem found in a roster file; if there is any, nothing is imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct RosterErrors(pub Vec<RowError>);

impl RosterErrors {
    fn single(error: RowError) -> Self {
        Self(vec![error])
    }

    /// The problems, in file order (the last may be the "还有 N 个错误未列出" summary).
    pub fn errors(&self) -> &[RowError] {
        &self.0
    }
}

impl fmt::Display for RosterErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Gathers problems, keeping the first [`MAX_REPORTED_ERRORS`] and counting the rest.
#[derive(Debug, Default)]
struct Collector {
    kept: Vec<RowError>,
    total: usize,
}

impl Collector {
    fn push(&mut self, row: usize, column: &str, message: impl Into<String>) {
        self.total += 1;
        if self.kept.len() < MAX_REPORTED_ERRORS {
            self.kept.push(RowError::new(row, column, message));
        }
    }

    fn is_empty(&self) -> bool {
        self.total == 0
    }

    fn finish(mut self) -> RosterErrors {
        let hidden = self.total - self.kept.len();
        if hidden > 0 {
            self.kept
                .push(RowError::file(format!("还有 {hidden} 个错误未列出")));
        }
        RosterErrors(self.kept)
    }
}

/// Parses a roster saved as CSV (UTF-8, with or without BOM).
pub fn parse_csv(bytes: &[u8], townships: &[String]) -> Result<Vec<RosterRow>, RosterErrors> {
    let rows = source::read_csv(bytes).map_err(RosterErrors::single)?;
    validate::validate(&rows, townships)
}

/// Parses a roster saved as XLSX; only the first worksheet is read.
pub fn parse_xlsx(bytes: &[u8], townships: &[String]) -> Result<Vec<RosterRow>, RosterErrors> {
    let rows = source::read_xlsx(bytes).map_err(RosterErrors::single)?;
    validate::validate(&rows, townships)
}

/// Parses an uploaded roster, choosing the format by the file name's extension
/// (`"学校名册.xlsx"`, `"csv"` and `".CSV"` all work).
pub fn parse_file(
    name_or_ext: &str,
    bytes: &[u8],
    townships: &[String],
) -> Result<Vec<RosterRow>, RosterErrors> {
    let ext = name_or_ext
        .rsplit_once('.')
        .map_or(name_or_ext, |(_, ext)| ext)
        .trim()
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" => parse_csv(bytes, townships),
        "xlsx" => parse_xlsx(bytes, townships),
        "xls" => Err(RosterErrors::single(RowError::file(source::OLD_XLS))),
        _ => Err(RosterErrors::single(RowError::file(format!(
            "不支持的文件类型“{ext}”，请上传 .xlsx 或 .csv 文件"
        )))),
    }
}

/// A template roster to download: the header row and two example schools.
///
/// It starts with a BOM so that Excel opens it as UTF-8 rather than as GBK.
pub fn template_csv() -> String {
    let mut out = String::from('\u{feff}');
    out.push_str(&TEMPLATE_HEADERS.join(","));
    out.push_str("\r\n");
    out.push_str(
        "1000000001,青阳街道示例小学,青阳街道,小学,111,320,315,330,298,305,310,0,0,0,\
         xiaoxue@example.com\r\n",
    );
    out.push_str(
        "1000000002,安海镇示例学校,安海镇,九年一贯制,121,120,118,125,130,122,119,210,205,198,\r\n",
    );
    out
}
