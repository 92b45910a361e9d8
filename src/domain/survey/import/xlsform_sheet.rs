//! Reading an XLSForm workbook: every sheet as rows of text with their row numbers, the
//! language columns (`label::Chinese (zh)`) found by name, and the option lists of `choices`.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::{ImportFailure, Place, Problem};

/// The start of the old binary Excel format (.xls), which is not XLSForm's .xlsx.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];

/// One worksheet: its name, lowercased headers and data rows with their 1-based row numbers.
pub(super) struct Sheet {
    pub name: String,
    headers: Vec<String>,
    raw_headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Sheet {
    pub(super) fn col(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.headers.iter().position(|h| h == n))
    }

    /// The columns named `base` or `base::language`, the Chinese one first.
    pub(super) fn language_cols(&self, base: &str) -> Vec<usize> {
        let prefix = format!("{base}::");
        let mut cols: Vec<(u8, usize)> = self
            .headers
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                if h == base {
                    Some((1, i))
                } else {
                    let lang = h.strip_prefix(&prefix)?;
                    let chinese = ["zh", "chinese", "中文", "汉语", "简体", "普通话"]
                        .iter()
                        .any(|k| lang.contains(k));
                    Some((if chinese { 0 } else { 2 }, i))
                }
            })
            .collect();
        cols.sort();
        cols.into_iter().map(|(_, i)| i).collect()
    }

    pub(super) fn header(&self, col: usize) -> String {
        self.raw_headers.get(col).cloned().unwrap_or_default()
    }

    pub(super) fn place(&self, row: usize, col: Option<usize>) -> Place {
        Place::Cell {
            sheet: self.name.clone(),
            row,
            column: col.map(|c| self.header(c)),
        }
    }
}

pub(super) fn cell(row: &[String], col: Option<usize>) -> &str {
    col.and_then(|c| row.get(c)).map_or("", |s| s.trim())
}

/// The first non-empty text among `cols`.
pub(super) fn first_text(row: &[String], cols: &[usize]) -> String {
    cols.iter()
        .map(|c| cell(row, Some(*c)))
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_string()
}

fn text_of(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Reads every sheet of the workbook.
pub(super) fn sheets(bytes: &[u8]) -> Result<Vec<Sheet>, ImportFailure> {
    if bytes.is_empty() {
        return Err(ImportFailure::one(Place::File, "文件是空的。"));
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(ImportFailure::one(
            Place::File,
            "这是旧版 Excel（.xls）文件。请在 Excel 中另存为 .xlsx 后再上传。",
        ));
    }
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|_| {
        ImportFailure::one(
            Place::File,
            "无法读取这个 Excel 文件。请确认它是 .xlsx 格式、没有设置密码，并且不是问卷星的文本文件。",
        )
    })?;
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|_| {
            ImportFailure::one(Place::File, format!("工作表“{name}”已损坏，无法读取。"))
        })?;
        let Some((first_row, _)) = range.start() else {
            out.push(Sheet {
                name,
                headers: vec![],
                raw_headers: vec![],
                rows: vec![],
            });
            continue;
        };
        let mut rows = range.rows().enumerate().map(|(i, cells)| {
            (
                first_row as usize + i + 1,
                cells.iter().map(text_of).collect::<Vec<_>>(),
            )
        });
        let raw_headers: Vec<String> = rows
            .next()
            .map(|(_, h)| h.iter().map(|s| s.trim().to_string()).collect())
            .unwrap_or_default();
        let headers = raw_headers
            .iter()
            .map(|h| h.to_lowercase().replace(' ', "_"))
            .collect();
        let rows = rows
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
            .collect();
        out.push(Sheet {
            name,
            headers,
            raw_headers,
            rows,
        });
    }
    Ok(out)
}

/// One option list of the `choices` sheet: (row, name, label).
pub(super) type Choices = HashMap<String, Vec<(usize, String, String)>>;

pub(super) fn read_choices(sheet: Option<&Sheet>, problems: &mut Vec<Problem>) -> Choices {
    let mut lists = Choices::new();
    let Some(sheet) = sheet else {
        return lists;
    };
    let list_col = sheet.col(&["list_name", "list"]);
    let name_col = sheet.col(&["name", "value"]);
    let labels = sheet.language_cols("label");
    if list_col.is_none() || name_col.is_none() {
        problems.push(Problem::new(
            sheet.place(1, None),
            "选项表缺少“list_name”或“name”列，无法读取任何选项。",
        ));
        return lists;
    }
    for (row, cells) in &sheet.rows {
        let list = cell(cells, list_col);
        let name = cell(cells, name_col);
        if list.is_empty() || name.is_empty() {
            problems.push(Problem::new(
                sheet.place(*row, if list.is_empty() { list_col } else { name_col }),
                "选项缺少所属列表名或选项名，未导入。",
            ));
            continue;
        }
        let mut label = first_text(cells, &labels);
        if label.is_empty() {
            problems.push(Problem::new(
                sheet.place(*row, labels.first().copied()),
                format!("选项“{name}”没有文字，已用选项名代替，请补上中文。"),
            ));
            label = name.to_string();
        }
        lists
            .entry(list.to_string())
            .or_default()
            .push((*row, name.to_string(), label));
    }
    lists
}
