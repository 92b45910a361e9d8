//! Parents' and students' demand for each course category side by side, with where they
//! disagree most: the plan asks schools to learn the needs of students as well as of parents.

use std::fmt::Write;

use serde::Serialize;

use super::html_notes::heading;
use super::model::{Base, Dim, Report, ShareRow};
use super::stats::Interval;
use crate::domain::tally::CATEGORY;
use crate::templates::escape as esc;

/// One category's demand among parents and among students of the same schools.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VoiceRow {
    pub category: String,
    pub label: String,
    /// Share of all responding families who want it (weighted when it can be); `None` when
    /// hidden or not asked.
    pub parents: Option<Interval>,
    pub parents_n: i64,
    pub students: Option<Interval>,
    pub students_n: i64,
    /// Students' share minus parents' share, in percentage points.
    pub gap_points: Option<f64>,
    /// Whether the two 95% ranges do not overlap: a difference not explained by chance.
    pub clear: bool,
}

/// The categories' shares of all respondents, in the whole scope of the report.
fn category_shares(r: &Report) -> Vec<&ShareRow> {
    r.shares
        .iter()
        .filter(|s| {
            s.dim == Dim::Total
                && &*s.question == CATEGORY
                && s.base == Base::All
                && !s.value.contains('.')
        })
        .collect()
}

fn best(s: &ShareRow) -> Option<Interval> {
    if s.suppressed {
        None
    } else {
        s.weighted.or(s.raw)
    }
}

/// Pairs the parents' report with the students' report of the same scope; the rows come in
/// order of how far apart the two shares are, largest first (categories without both shares
/// last, in the parents' order).
pub fn side_by_side(parents: &Report, students: &Report) -> Vec<VoiceRow> {
    let theirs = category_shares(students);
    let mut rows: Vec<VoiceRow> = category_shares(parents)
        .into_iter()
        .map(|p| {
            let s = theirs.iter().find(|s| s.value == p.value);
            let (pi, si) = (best(p), s.and_then(|s| best(s)));
            VoiceRow {
                category: p.value.to_string(),
                label: p.label.to_string(),
                parents: pi,
                parents_n: p.n,
                students: si,
                students_n: s.map_or(0, |s| s.n),
                gap_points: pi.zip(si).map(|(p, s)| (s.estimate - p.estimate) * 100.0),
                clear: pi
                    .zip(si)
                    .is_some_and(|(p, s)| p.high < s.low || s.high < p.low),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let size = |r: &VoiceRow| r.gap_points.map(f64::abs);
        match (size(a), size(b)) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
    });
    rows
}

fn interval(i: Option<Interval>) -> String {
    i.map_or_else(
        || "—".into(),
        |i| {
            format!(
                "{:.1}%（{:.1}–{:.1}）",
                i.estimate * 100.0,
                i.low * 100.0,
                i.high * 100.0
            )
        },
    )
}

/// The section of the HTML report; nothing when the round asked no students.
pub fn render(h: &mut String, r: &Report) {
    if r.voices.is_empty() {
        return;
    }
    heading(h, "家长和学生的需求对比（全部填写者，加权）", "voices");
    if let Some(top) = r.voices.iter().find(|v| v.gap_points.is_some()) {
        let _ = write!(
            h,
            "<p>看法相差最大的类别：{}（学生比家长{} {:.1} 个百分点{}）。</p>",
            esc(&top.label),
            if top.gap_points.unwrap_or(0.0) >= 0.0 {
                "高"
            } else {
                "低"
            },
            top.gap_points.unwrap_or(0.0).abs(),
            if top.clear {
                "，两者的误差范围不重叠"
            } else {
                "，但两者的误差范围有重叠，差别可能来自抽样"
            }
        );
    }
    h.push_str(
        "<table><tr><th>类别</th><th>家长（填写家庭）</th><th>学生（填写学生）</th><th>学生 − 家长（百分点）</th></tr>",
    );
    for v in &r.voices {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&v.label),
            interval(v.parents),
            interval(v.students),
            v.gap_points.map_or_else(
                || "—".into(),
                |g| format!("{g:+.1}{}", if v.clear { "（差别明显）" } else { "" })
            ),
        );
    }
    h.push_str("</table>");
}
