//! Writes a report as XLSX (one sheet per table, Chinese headers, frozen header row, number
//! formats), CSV (UTF-8 with BOM), JSON or Parquet. Every text cell goes through the one
//! formula neutraliser, `publish::export::neutralise`. The same bytes go to a file (the
//! `analyze` command) or over HTTP (the staff analysis pages and the JSON API).

use anyhow::Context;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::low_rate::{LowRows, NOTE};
use super::model::{Report, ShareRow};
use super::stats::Interval;
use crate::publish::export::neutralise;

/// Column headers of the shares table, shared by CSV and XLSX.
pub const SHARE_HEADERS: [&str; 18] = [
    "维度",
    "分组",
    "题目",
    "选项/类别代码",
    "选项/类别",
    "比例的基数",
    "基数人数 n",
    "选择人数 k",
    "比例（未加权）",
    "95% 误差范围下限（未加权）",
    "95% 误差范围上限（未加权）",
    "比例（按在校生数加权）",
    "95% 误差范围下限（加权）",
    "95% 误差范围上限（加权）",
    "有效样本量（加权）",
    "是否隐藏",
    "题目代码",
    "回收率低",
];

pub(super) fn suppressed_note(r: &Report) -> String {
    format!("已隐藏（少于 {} 人）", r.min_cell)
}

/// A share row as text cells (numbers unformatted), in [`SHARE_HEADERS`] order; `low`: the row
/// rests on a low response rate.
fn share_cells(report: &Report, s: &ShareRow, title: &str, low: bool) -> Vec<String> {
    let f = |x: Option<f64>| x.map(|v| format!("{v:.6}")).unwrap_or_default();
    let i = |x: Option<Interval>, g: fn(Interval) -> f64| f(x.map(g));
    vec![
        s.dim.label().into(),
        s.group_label.to_string(),
        title.into(),
        s.value.to_string(),
        s.label.to_string(),
        s.base.label().into(),
        s.n.to_string(),
        s.k.map(|k| k.to_string()).unwrap_or_default(),
        i(s.raw, |v| v.estimate),
        i(s.raw, |v| v.low),
        i(s.raw, |v| v.high),
        i(s.weighted, |v| v.estimate),
        i(s.weighted, |v| v.low),
        i(s.weighted, |v| v.high),
        format!("{:.1}", s.n_eff),
        if s.suppressed {
            suppressed_note(report)
        } else {
            String::new()
        },
        s.question.to_string(),
        if low { NOTE.into() } else { String::new() },
    ]
}

pub fn question_title<'a>(report_titles: &'a [(String, String)], qid: &'a str) -> &'a str {
    report_titles
        .iter()
        .find(|(q, _)| q == qid)
        .map_or(qid, |(_, t)| t.as_str())
}

/// `(question id, title)` for the share rows' questions, the category pseudo-question included.
pub fn titles(def: &crate::domain::survey::SurveyDefinition) -> Vec<(String, String)> {
    let mut t: Vec<(String, String)> = def
        .questions
        .iter()
        .map(|q| (q.id.clone(), q.title.clone()))
        .collect();
    t.push((
        crate::domain::tally::CATEGORY.into(),
        super::model::CATEGORY_TITLE.into(),
    ));
    t
}

/// The output formats of an analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Xlsx,
    Csv,
    Parquet,
    Json,
    /// Printable report (A4): tables, SVG charts, the plan gap list.
    Html,
}

impl OutputFormat {
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Xlsx => "xlsx",
            OutputFormat::Csv => "csv",
            OutputFormat::Parquet => "parquet",
            OutputFormat::Json => "json",
            OutputFormat::Html => "html",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            OutputFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            OutputFormat::Csv => "text/csv; charset=utf-8",
            OutputFormat::Parquet => "application/vnd.apache.parquet",
            OutputFormat::Json => "application/json",
            OutputFormat::Html => "text/html; charset=utf-8",
        }
    }
}

/// The report in `format`, as bytes.
pub fn render(
    report: &Report,
    titles: &[(String, String)],
    format: OutputFormat,
) -> anyhow::Result<Vec<u8>> {
    match format {
        OutputFormat::Xlsx => xlsx(report, titles),
        OutputFormat::Csv => csv(report, titles),
        OutputFormat::Parquet => parquet(report),
        OutputFormat::Json => serde_json::to_vec_pretty(report).context("writing the JSON"),
        OutputFormat::Html => Ok(super::html::render(report, titles, &[]).into_bytes()),
    }
}

/// The shares table as CSV, UTF-8 with a BOM so that Excel shows the Chinese.
fn csv(report: &Report, titles: &[(String, String)]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    w.write_record(SHARE_HEADERS)?;
    let low = LowRows::of(report);
    for s in &report.shares {
        let cells = share_cells(report, s, question_title(titles, &s.question), low.share(s));
        w.write_record(cells.iter().map(|c| neutralise(c)))?;
    }
    w.into_inner().context("writing the CSV")
}

pub(super) struct Formats {
    pub header: Format,
    pub pct: Format,
    pub num1: Format,
    pub num2: Format,
}

impl Formats {
    /// Bold headers, percentages with one decimal, numbers with one or two.
    pub(super) fn standard() -> Self {
        Formats {
            header: Format::new().set_bold(),
            pct: Format::new().set_num_format("0.0%"),
            num1: Format::new().set_num_format("0.0"),
            num2: Format::new().set_num_format("0.00"),
        }
    }
}

pub(super) fn header_row(ws: &mut Worksheet, f: &Formats, headers: &[&str]) -> anyhow::Result<()> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
        ws.set_column_width(c as u16, (h.chars().count() as f64 * 2.0).clamp(8.0, 24.0))?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

pub(super) fn text(ws: &mut Worksheet, r: u32, c: u16, s: &str) -> anyhow::Result<()> {
    ws.write_string(r, c, neutralise(s))?;
    Ok(())
}

pub(super) fn number(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: Option<f64>,
    f: &Format,
) -> anyhow::Result<()> {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        ws.write_number_with_format(r, c, v, f)?;
    }
    Ok(())
}

/// The report as an XLSX workbook.
fn xlsx(report: &Report, titles: &[(String, String)]) -> anyhow::Result<Vec<u8>> {
    let f = Formats::standard();
    let mut wb = Workbook::new();
    super::xlsx_notes::notes_sheet(wb.add_worksheet(), report, &f)?;
    super::xlsx_notes::schools_sheet(wb.add_worksheet(), report, &f)?;
    let ws = wb.add_worksheet();
    ws.set_name("比例")?;
    header_row(ws, &f, &SHARE_HEADERS)?;
    let low = LowRows::of(report);
    for (i, s) in report.shares.iter().enumerate() {
        let r = i as u32 + 1;
        let cells = share_cells(report, s, question_title(titles, &s.question), low.share(s));
        for c in [0u16, 1, 2, 3, 4, 5, 15, 16, 17] {
            text(ws, r, c, &cells[usize::from(c)])?;
        }
        ws.write_number(r, 6, s.n as f64)?;
        number(ws, r, 7, s.k.map(|k| k as f64), &Format::new())?;
        for (c, v) in [(8u16, s.raw), (11, s.weighted)] {
            number(ws, r, c, v.map(|v| v.estimate), &f.pct)?;
            number(ws, r, c + 1, v.map(|v| v.low), &f.pct)?;
            number(ws, r, c + 2, v.map(|v| v.high), &f.pct)?;
        }
        number(ws, r, 14, Some(s.n_eff), &f.num1)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("排序得分")?;
    header_row(
        ws,
        &f,
        &[
            "维度",
            "分组",
            "类别",
            "回答人数",
            "前三得分（未加权）",
            "前三得分（加权）",
            "排第一的比例",
            "是否隐藏",
            "回收率低",
        ],
    )?;
    for (i, s) in report.scores.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, s.dim.label())?;
        text(ws, r, 1, &s.group_label)?;
        text(ws, r, 2, &s.label)?;
        ws.write_number(r, 3, s.n as f64)?;
        number(ws, r, 4, s.score, &f.num2)?;
        number(ws, r, 5, s.weighted_score, &f.num2)?;
        number(ws, r, 6, s.first, &f.pct)?;
        if s.suppressed {
            text(ws, r, 7, &suppressed_note(report))?;
        }
        if low.group(s.dim, &s.group) {
            text(ws, r, 8, NOTE)?;
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("平均值")?;
    header_row(
        ws,
        &f,
        &[
            "维度",
            "分组",
            "题目",
            "回答人数",
            "平均值（未加权）",
            "下限",
            "上限",
            "平均值（加权）",
            "下限",
            "上限",
            "是否隐藏",
            "回收率低",
        ],
    )?;
    for (i, m) in report.means.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, m.dim.label())?;
        text(ws, r, 1, &m.group_label)?;
        text(ws, r, 2, &m.title)?;
        ws.write_number(r, 3, m.n as f64)?;
        for (c, v) in [(4u16, m.raw), (7, m.weighted)] {
            number(ws, r, c, v.map(|v| v.mean), &f.num2)?;
            number(ws, r, c + 1, v.map(|v| v.low), &f.num2)?;
            number(ws, r, c + 2, v.map(|v| v.high), &f.num2)?;
        }
        if m.suppressed {
            text(ws, r, 10, &suppressed_note(report))?;
        }
        if low.group(m.dim, &m.group) {
            text(ws, r, 11, NOTE)?;
        }
    }
    if !report.gaps.is_empty() {
        super::xlsx_plans::gaps_sheet(wb.add_worksheet(), report, &f)?;
    }
    if !report.changes.is_empty() {
        super::xlsx_plans::changes_sheet(wb.add_worksheet(), report, &f)?;
    }
    if let Some(t) = &report.targets {
        super::xlsx_plans::targets_sheet(wb.add_worksheet(), t, &f)?;
    }
    wb.save_to_buffer().context("writing the XLSX workbook")
}

/// The shares table as a polars frame (for Parquet and for DuckDB-style tooling).
pub fn shares_frame(report: &Report) -> anyhow::Result<polars::prelude::DataFrame> {
    use polars::prelude::{Column, DataFrame};
    let s = &report.shares;
    let opt = |g: fn(&ShareRow) -> Option<f64>| s.iter().map(g).collect::<Vec<_>>();
    let strs = |g: fn(&ShareRow) -> &str| s.iter().map(g).collect::<Vec<_>>();
    let low = LowRows::of(report);
    Ok(DataFrame::new(
        s.len(),
        vec![
            Column::new("dimension".into(), strs(|r| r.dim.key())),
            Column::new("group".into(), strs(|r| &r.group)),
            Column::new("group_label".into(), strs(|r| &r.group_label)),
            Column::new("question".into(), strs(|r| &r.question)),
            Column::new("value".into(), strs(|r| &r.value)),
            Column::new("label".into(), strs(|r| &r.label)),
            Column::new("base".into(), strs(|r| r.base.key())),
            Column::new("n".into(), s.iter().map(|r| r.n).collect::<Vec<_>>()),
            Column::new("k".into(), s.iter().map(|r| r.k).collect::<Vec<_>>()),
            Column::new("share".into(), opt(|r| r.raw.map(|i| i.estimate))),
            Column::new("share_low".into(), opt(|r| r.raw.map(|i| i.low))),
            Column::new("share_high".into(), opt(|r| r.raw.map(|i| i.high))),
            Column::new(
                "weighted_share".into(),
                opt(|r| r.weighted.map(|i| i.estimate)),
            ),
            Column::new("weighted_low".into(), opt(|r| r.weighted.map(|i| i.low))),
            Column::new("weighted_high".into(), opt(|r| r.weighted.map(|i| i.high))),
            Column::new(
                "n_eff".into(),
                s.iter().map(|r| r.n_eff).collect::<Vec<_>>(),
            ),
            Column::new(
                "suppressed".into(),
                s.iter().map(|r| r.suppressed).collect::<Vec<_>>(),
            ),
            Column::new(
                "low_rate".into(),
                s.iter().map(|r| low.share(r)).collect::<Vec<_>>(),
            ),
        ],
    )?)
}

/// The shares table as Parquet (labels kept as text; formula neutralising is a spreadsheet
/// concern and does not apply to a typed columnar file).
fn parquet(report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut df = shares_frame(report)?;
    let mut out = Vec::new();
    polars_io::prelude::ParquetWriter::new(&mut out)
        .with_compression(polars_io::prelude::ParquetCompression::Snappy)
        .finish(&mut df)
        .context("writing the Parquet file")?;
    Ok(out)
}
