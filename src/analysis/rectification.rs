//! The monthly ledger's sheet on complaints and their rectification (投诉整改): as they stood
//! at the month's end, the count in each status per township, the items past their deadline,
//! and how many were closed during the month with the median days from receipt to closing.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use rust_xlsxwriter::Worksheet;

use super::export::{number, text, Formats};
use crate::db::complaints::LedgerComplaint;
use crate::db::townships::Township;
use crate::domain::complaint::{self, Status, Step};
use crate::domain::time::to_local;

/// Complaints naming no township are counted on a line of their own.
pub const NO_TOWNSHIP: &str = "未指明镇街";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountLine {
    pub name: String,
    /// New, assigned, rectifying, closed.
    pub by_status: [usize; 4],
    pub overdue: usize,
}

impl CountLine {
    pub fn total(&self) -> usize {
        self.by_status.iter().sum()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OverdueLine {
    pub township: String,
    pub school: String,
    pub received: String,
    pub due: String,
    /// Whole days past the deadline at the month's end.
    pub days_over: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rectification {
    pub townships: Vec<CountLine>,
    pub total: CountLine,
    pub overdue: Vec<OverdueLine>,
    pub closed_in_month: usize,
    pub median_days_to_close: Option<f64>,
}

/// The status a complaint had at the month's end, from its steps before then.
fn status_at_end(c: &LedgerComplaint) -> (Status, Option<NaiveDateTime>) {
    let mut status = Status::New;
    let mut closed = None;
    for (at, s) in &c.steps {
        let Some(step) = Step::from_db_code(s) else {
            continue;
        };
        if let Ok(next) = step.next(status) {
            if next == Status::Closed && status != Status::Closed {
                closed = Some(*at);
            }
            status = next;
        }
    }
    (status, closed)
}

fn index(s: Status) -> usize {
    complaint::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

/// The sheet's figures for the month `[start, end)`.
pub fn build(
    items: &[LedgerComplaint],
    townships: &[Township],
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Rectification {
    let order: HashMap<&str, i32> = townships
        .iter()
        .map(|t| (t.name.as_str(), t.sort_order))
        .collect();
    let mut lines: HashMap<String, CountLine> = HashMap::new();
    let mut out = Rectification {
        total: CountLine {
            name: "合计".into(),
            ..CountLine::default()
        },
        ..Rectification::default()
    };
    let mut close_days = Vec::new();
    for c in items {
        let (status, closed) = status_at_end(c);
        let name = c.township.clone().unwrap_or_else(|| NO_TOWNSHIP.into());
        let line = lines.entry(name.clone()).or_insert_with(|| CountLine {
            name: name.clone(),
            ..CountLine::default()
        });
        line.by_status[index(status)] += 1;
        out.total.by_status[index(status)] += 1;
        if complaint::overdue(status, c.due_at, end) {
            line.overdue += 1;
            out.total.overdue += 1;
            let due = c.due_at.unwrap_or(end);
            out.overdue.push(OverdueLine {
                township: name,
                school: c.school.clone().unwrap_or_else(|| "未指明学校".into()),
                received: to_local(c.created_at).format("%Y-%m-%d").to_string(),
                due: to_local(due).format("%Y-%m-%d").to_string(),
                // Whole days past the deadline (the end of its day) at the month's end.
                days_over: (end - due).num_days(),
            });
        }
        if let Some(at) = closed.filter(|at| *at >= start && *at < end) {
            close_days.push(complaint::days_between(c.created_at, at));
        }
    }
    out.closed_in_month = close_days.len();
    out.median_days_to_close = complaint::median(close_days);
    let mut townships: Vec<CountLine> = lines.into_values().collect();
    townships.sort_by_key(|l| {
        (
            order.get(l.name.as_str()).copied().unwrap_or(i32::MAX),
            l.name.clone(),
        )
    });
    out.townships = townships;
    out
}

/// The sheet 投诉整改.
pub(super) fn sheet(ws: &mut Worksheet, r: &Rectification, f: &Formats) -> anyhow::Result<()> {
    ws.set_name("投诉整改")?;
    let headers = [
        "镇街",
        Status::New.label(),
        Status::Assigned.label(),
        Status::Rectifying.label(),
        Status::Closed.label(),
        "合计",
        "逾期未办结",
    ];
    super::export::header_row(ws, f, &headers)?;
    let mut row = 1;
    for line in r.townships.iter().chain(std::iter::once(&r.total)) {
        text(ws, row, 0, &line.name)?;
        for (i, n) in line.by_status.iter().enumerate() {
            ws.write_number(row, i as u16 + 1, *n as f64)?;
        }
        ws.write_number(row, 5, line.total() as f64)?;
        ws.write_number(row, 6, line.overdue as f64)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "当月办结", &f.header)?;
    ws.write_number(row, 1, r.closed_in_month as f64)?;
    row += 1;
    ws.write_string_with_format(row, 0, "办结用时中位数（天）", &f.header)?;
    number(ws, row, 1, r.median_days_to_close, &f.num1)?;
    row += 2;
    for (c, h) in ["逾期事项：镇街", "学校", "收到日期", "整改期限", "逾期天数"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, c as u16, *h, &f.header)?;
    }
    for o in &r.overdue {
        row += 1;
        text(ws, row, 0, &o.township)?;
        text(ws, row, 1, &o.school)?;
        text(ws, row, 2, &o.received)?;
        text(ws, row, 3, &o.due)?;
        ws.write_number(row, 4, o.days_over as f64)?;
    }
    if r.overdue.is_empty() {
        text(ws, row + 1, 0, "月底没有逾期未办结的事项。")?;
    }
    Ok(())
}
