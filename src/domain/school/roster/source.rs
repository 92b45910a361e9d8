//! Reading CSV and XLSX bytes into one plain grid of cells, each row numbered as Excel shows it.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::RowError;

pub(super) const NOT_UTF8: &str = "文件不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”";
pub(super) const OLD_XLS: &str =
    "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或“CSV UTF-8”后再上传";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0";

/// One cell, before any interpretation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    /// Trimmed, never empty.
    Text(String),
    Number(f64),
    /// A cell that cannot hold a roster value (a date, `#N/A`…); the message says why.
    Unreadable(String),
}

impl Cell {
    fn text(s: &str) -> Self {
        let t = s.trim();
        if t.is_empty() {
            Self::Empty
        } else {
            Self::Text(t.to_owned())
        }
    }

    /// The cell as text: numbers as written (integral ones without “.0”), `None` if empty or
    /// unreadable.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Self::Text(s) => Some(s.clone()),
            Self::Number(n) => Some(number_text(*n)),
            Self::Empty | Self::Unreadable(_) => None,
        }
    }
}

/// Excel stores every number as a float; a school code 2135012345 arrives as 2135012345.0.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One non-blank row of the file.
#[derive(Debug, Clone)]
pub(crate) struct SourceRow {
    /// 1-based, as Excel numbers rows.
    pub row: usize,
    pub cells: Vec<Cell>,
}

fn push_unless_blank(rows: &mut Vec<SourceRow>, row: usize, cells: Vec<Cell>) {
    if cells.iter().any(|c| *c != Cell::Empty) {
        rows.push(SourceRow { row, cells });
    }
}

/// Reads a UTF-8 CSV (BOM optional). Blank lines and rows of empty cells are dropped.
pub(super) fn read_csv(bytes: &[u8]) -> Result<Vec<SourceRow>, RowError> {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(OLE_MAGIC) {
        return Err(RowError::file(
            "这是 Excel 文件而不是 CSV 文件，请以 .xlsx 扩展名上传，或另存为“CSV UTF-8”",
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        RowError::new(line, "", NOT_UTF8)
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let data = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut rows = Vec::new();
    // The csv crate skips blank lines and its own line numbers drift past them, so rows are
    // counted here: line breaks before the record, less those inside earlier quoted cells
    // (Excel keeps a quoted line break inside one cell, on one row).
    let mut counted_to = 0;
    let mut breaks = 0;
    let mut breaks_in_cells = 0;
    let mut row_at = |byte: u64, breaks_in_cells: usize| {
        let start = record_start(data, usize::try_from(byte).unwrap_or(data.len()));
        breaks += count_breaks(&data[counted_to..start]);
        counted_to = start;
        breaks + 1 - breaks_in_cells.min(breaks)
    };
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let row = e
                    .position()
                    .map_or(0, |p| row_at(p.byte(), breaks_in_cells));
                return Err(RowError::new(row, "", format!("CSV 格式错误：{e}")));
            }
        }
        let row = record
            .position()
            .map_or(0, |p| row_at(p.byte(), breaks_in_cells));
        let cells = record.iter().map(Cell::text).collect();
        push_unless_blank(&mut rows, row, cells);
        breaks_in_cells += record
            .iter()
            .map(|f| count_breaks(f.as_bytes()))
            .sum::<usize>();
    }
    Ok(rows)
}

/// Where a record really starts: the csv crate reports the end of the previous terminator,
/// before any blank lines it skipped.
fn record_start(data: &[u8], from: usize) -> usize {
    let from = from.min(data.len());
    from + data[from..]
        .iter()
        .take_while(|b| **b == b'\n' || **b == b'\r')
        .count()
}

/// Line breaks as Excel counts them: LF, CRLF, or a lone CR.
fn count_breaks(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, b)| *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// Reads the first worksheet of an XLSX workbook. Blank rows are dropped.
pub(crate) fn read_xlsx(bytes: &[u8]) -> Result<Vec<SourceRow>, RowError> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(RowError::file(OLD_XLS));
    }
    let unreadable = |detail: String| {
        RowError::file(format!(
            "无法读取 Excel 文件，请确认它是 .xlsx 格式且没有设置密码（{detail}）"
        ))
    };
    let mut workbook = Xlsx::new(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| unreadable(e.to_string()))?;
    let Some(range) = workbook.worksheet_range_at(0) else {
        return Ok(Vec::new());
    };
    let range = range.map_err(|e| unreadable(e.to_string()))?;
    // The range starts at the first non-empty cell, not necessarily at A1.
    let Some((first_row, _)) = range.start() else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        let cells = cells.iter().map(cell_from_data).collect();
        push_unless_blank(&mut rows, first_row as usize + i + 1, cells);
    }
    Ok(rows)
}

fn cell_from_data(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::text(s),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(n) => Cell::Number(*n),
        Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_owned()),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => Cell::Unreadable(
            "单元格是日期或时间格式，请把单元格格式改为“常规”或“文本”后重新填写".to_owned(),
        ),
        Data::Error(e) => Cell::Unreadable(format!("单元格包含错误值 {e}，请修正公式或改为数值")),
    }
}
