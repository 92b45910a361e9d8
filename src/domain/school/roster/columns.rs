//! Finding the roster's columns by header name, whatever order or alias the bureau used.

use super::source::{Cell, SourceRow};
use super::Collector;

/// A column the roster understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Code,
    Name,
    Township,
    Level,
    UrbanRural,
    /// Enrolment of one grade, 1-9.
    Grade(u8),
    Email,
}

pub(super) use crate::domain::school::level::GRADE_NAMES;

const REQUIRED: [Field; 5] = [
    Field::Code,
    Field::Name,
    Field::Township,
    Field::Level,
    Field::UrbanRural,
];

impl Field {
    /// The header names accepted besides the grade ones, canonical first.
    fn names(self) -> &'static [&'static str] {
        match self {
            Self::Code => &["学校代码", "code"],
            Self::Name => &["学校名称", "name"],
            Self::Township => &["乡镇街道", "乡镇", "镇街", "township"],
            Self::Level => &["学段", "level"],
            Self::UrbanRural => &["城乡分类代码", "urban_rural_code"],
            Self::Email => &["联系邮箱", "email"],
            Self::Grade(_) => &[],
        }
    }

    fn canonical(self) -> String {
        match self {
            Self::Grade(g) => format!("{}人数", GRADE_NAMES[usize::from(g) - 1]),
            other => other.names()[0].to_owned(),
        }
    }

    /// The field a header names: exact Chinese names, English aliases case-insensitively.
    fn from_header(header: &str) -> Option<Self> {
        let lower = header.to_ascii_lowercase();
        let fixed = [
            Self::Code,
            Self::Name,
            Self::Township,
            Self::Level,
            Self::UrbanRural,
            Self::Email,
        ];
        if let Some(f) = fixed
            .into_iter()
            .find(|f| f.names().contains(&lower.as_str()))
        {
            return Some(f);
        }
        (1..=9u8)
            .find(|&g| {
                let zh = GRADE_NAMES[usize::from(g) - 1];
                header == zh || header == format!("{zh}人数") || lower == format!("grade{g}")
            })
            .map(Self::Grade)
    }
}

/// Where one column sits and how the file spells its header.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub index: usize,
    pub header: String,
}

/// The columns of one roster file.
#[derive(Debug, Clone)]
pub(super) struct Columns {
    pub code: Column,
    pub name: Column,
    pub township: Column,
    pub level: Column,
    pub urban_rural: Column,
    /// Index 0 is grade 1; `None` when the file has no column for that grade.
    pub grades: [Option<Column>; 9],
    pub email: Option<Column>,
}

fn header_texts(row: &SourceRow) -> Vec<String> {
    row.cells
        .iter()
        .map(|c| c.as_text().unwrap_or_default())
        .collect()
}

/// Which of the first rows holds the headers: the first one naming a known column.
///
/// Bureau spreadsheets often carry a title line such as “晋江市中小学名册” above the
/// headers; skipping it beats refusing the file. Without any known header the first row is
/// taken, so that the missing columns are reported there.
pub(super) fn locate_header(rows: &[SourceRow]) -> usize {
    rows.iter()
        .take(10)
        .position(|r| {
            header_texts(r)
                .iter()
                .any(|h| Field::from_header(h).is_some())
        })
        .unwrap_or(0)
}

/// Maps the header row to columns, reporting missing and repeated ones.
pub(super) fn resolve(row: &SourceRow, errors: &mut Collector) -> Option<Columns> {
    let mut found: Vec<(Field, Column)> = Vec::new();
    for (index, header) in header_texts(row).into_iter().enumerate() {
        let Some(field) = Field::from_header(&header) else {
            continue; // Extra columns such as 备注 are allowed and ignored.
        };
        if let Some((_, first)) = found.iter().find(|(f, _)| *f == field) {
            errors.push(
                row.row,
                &header,
                format!("与“{}”列重复，请只保留一列", first.header),
            );
            continue;
        }
        found.push((field, Column { index, header }));
    }
    let take = |field: Field| {
        found
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.clone())
    };
    for field in REQUIRED {
        if take(field).is_none() {
            let names = field.names().join("、");
            errors.push(
                row.row,
                &field.canonical(),
                format!("缺少必填列（可用列名：{names}）"),
            );
        }
    }
    if !errors.is_empty() {
        return None;
    }
    Some(Columns {
        code: take(Field::Code)?,
        name: take(Field::Name)?,
        township: take(Field::Township)?,
        level: take(Field::Level)?,
        urban_rural: take(Field::UrbanRural)?,
        grades: std::array::from_fn(|i| take(Field::Grade(i as u8 + 1))),
        email: take(Field::Email),
    })
}

impl Column {
    /// This column's cell in `row`; short rows read as empty.
    pub fn cell<'a>(&self, row: &'a SourceRow) -> &'a Cell {
        row.cells.get(self.index).unwrap_or(&Cell::Empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_aliases() {
        assert_eq!(Field::from_header("学校代码"), Some(Field::Code));
        assert_eq!(Field::from_header("CODE"), Some(Field::Code));
        assert_eq!(Field::from_header("镇街"), Some(Field::Township));
        assert_eq!(
            Field::from_header("Urban_Rural_Code"),
            Some(Field::UrbanRural)
        );
        assert_eq!(Field::from_header("一年级"), Some(Field::Grade(1)));
        assert_eq!(Field::from_header("九年级人数"), Some(Field::Grade(9)));
        assert_eq!(Field::from_header("grade7"), Some(Field::Grade(7)));
        assert_eq!(Field::from_header("备注"), None);
        assert_eq!(Field::from_header("grade10"), None);
    }
}
