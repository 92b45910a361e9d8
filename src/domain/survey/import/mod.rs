//! Converting questionnaires made in other tools (XLSForm from ODK or KoboToolbox, 问卷星's text
//! format) into this platform's survey definition TOML, with every part that could not be
//! converted named by its place in the source and explained in Chinese.

mod draft;
pub mod wjx;
pub mod xlsform;
mod xlsform_expr;
mod xlsform_sheet;

#[cfg(test)]
mod tests;

use std::fmt;

pub use draft::{Draft, DraftKind, DraftOption, DraftQuestion};

use super::{parse_definition, Taxonomy};

/// The tools a questionnaire can be imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// XLSForm (ODK, KoboToolbox): an .xlsx workbook.
    XlsForm,
    /// 问卷星's text import format.
    Wjx,
}

impl Format {
    pub const ALL: [(&'static str, Format); 2] =
        [("xlsform", Format::XlsForm), ("wjx", Format::Wjx)];

    pub fn parse(s: &str) -> Option<Format> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, f)| *f)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::XlsForm => "xlsform",
            Format::Wjx => "wjx",
        }
    }

    /// What the upload form calls it.
    pub fn label(self) -> &'static str {
        match self {
            Format::XlsForm => "XLSForm 表格（ODK、KoboToolbox 导出的 .xlsx）",
            Format::Wjx => "问卷星文本（.txt）",
        }
    }
}

/// Where in the source a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The file as a whole.
    File,
    /// An XLSForm cell or row: the sheet, the 1-based row and, when one column is at fault, its
    /// header.
    Cell {
        sheet: String,
        row: usize,
        column: Option<String>,
    },
    /// A 1-based line of a text file.
    Line(usize),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File => write!(f, "整个文件"),
            Place::Cell {
                sheet,
                row,
                column: Some(c),
            } => match column_meaning(c) {
                Some(m) => write!(f, "工作表“{sheet}”第 {row} 行“{c}”列（{m}）"),
                None => write!(f, "工作表“{sheet}”第 {row} 行“{c}”列"),
            },
            Place::Cell { sheet, row, .. } => write!(f, "工作表“{sheet}”第 {row} 行"),
            Place::Line(n) => write!(f, "第 {n} 行"),
        }
    }
}

/// What an XLSForm column holds, in words for a reader who does not know the format.
fn column_meaning(header: &str) -> Option<&'static str> {
    let base = header
        .split("::")
        .next()
        .unwrap_or("")
        .trim()
        .to_lowercase();
    Some(match base.replace(' ', "_").as_str() {
        "type" => "题型",
        "name" | "value" => "字段名",
        "label" => "题目或选项文字",
        "hint" => "提示",
        "required" => "是否必答",
        "relevant" | "relevance" => "显示条件",
        "constraint" => "取值限制",
        "choice_filter" => "选项筛选",
        "list_name" | "list" => "选项列表名",
        _ => return None,
    })
}

/// One thing that could not be converted as it was, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: Place,
    pub message: String,
}

impl Problem {
    pub fn new(place: Place, message: impl Into<String>) -> Self {
        Problem {
            place,
            message: message.into(),
        }
    }

    pub fn file(message: impl Into<String>) -> Self {
        Self::new(Place::File, message)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}：{}", self.place, self.message)
    }
}

/// A converted questionnaire: definition TOML that passes the linter, and what was lost or
/// guessed on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    pub source: String,
    /// The survey's id in the TOML (also a good file name).
    pub id: String,
    pub title: String,
    pub questions: usize,
    pub problems: Vec<Problem>,
}

/// Nothing could be imported: the problems say why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFailure {
    pub problems: Vec<Problem>,
}

impl ImportFailure {
    pub fn one(place: Place, message: impl Into<String>) -> Self {
        ImportFailure {
            problems: vec![Problem::new(place, message)],
        }
    }
}

/// Sorts problems by their place: sheet and row, or line; those about the whole file last.
fn in_source_order(problems: &mut [Problem]) {
    problems.sort_by_key(|p| match &p.place {
        Place::Cell { sheet, row, .. } => (0, sheet.clone(), *row),
        Place::Line(n) => (0, String::new(), *n),
        Place::File => (1, String::new(), 0),
    });
}

/// Converts `bytes` in `format`.
pub fn convert(
    format: Format,
    bytes: &[u8],
    taxonomy: &Taxonomy,
) -> Result<Converted, ImportFailure> {
    let (draft, problems) = match format {
        Format::XlsForm => xlsform::read(bytes)?,
        Format::Wjx => wjx::read(bytes)?,
    };
    finish(draft, problems, taxonomy)
}

/// Writes the draft as TOML and checks it with the linter; a draft without questions, or one
/// whose TOML the linter refuses, imports nothing.
pub fn finish(
    mut draft: Draft,
    mut problems: Vec<Problem>,
    taxonomy: &Taxonomy,
) -> Result<Converted, ImportFailure> {
    if draft.questions.is_empty() {
        in_source_order(&mut problems);
        problems.push(Problem::file("没有一道题目能够转换，未导入任何内容。"));
        return Err(ImportFailure { problems });
    }
    let pages = draft.settle_pages();
    problems.extend(pages);
    in_source_order(&mut problems);
    problems.push(Problem::file(
        "原文件没有告家长书、知情同意说明和提交后的致谢语，已填入通用的默认文字；问卷类型设为“需求调查”，填写人设为“家长”。请教育局审核修改后再发布。",
    ));
    problems.push(Problem::file(
        "导入的问卷没有本平台专用的“年级”“班级”题，按年级统计和按在校生人数加权都要用到它们；原问卷中的年级题已按普通选择题导入，请审核时改为年级题。",
    ));
    let source = draft.to_toml();
    match parse_definition(&source, taxonomy) {
        Ok(def) => Ok(Converted {
            id: def.id,
            title: def.title,
            questions: def.questions.len(),
            source,
            problems,
        }),
        Err(errs) => {
            problems.extend(errs.into_iter().map(|e| {
                Problem::file(format!(
                    "转换结果第 {} 行第 {} 列没有通过问卷定义的检查，未导入任何内容，请把原文件交给技术人员处理。",
                    e.line, e.column
                ))
            }));
            Err(ImportFailure { problems })
        }
    }
}

/// An ASCII id made from `name`: its letters, digits, `_` and `-`, or `None` when nothing is
/// left.
pub fn ascii_id(name: &str) -> Option<String> {
    let id: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let id = id.trim_matches('_').to_string();
    (!id.is_empty() && id.chars().any(|c| c.is_ascii_alphanumeric())).then_some(id)
}
