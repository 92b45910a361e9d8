//! Parents' and students' demand for each course category side by side, with where they
//! disagree most (the plan asks schools to learn the needs of students as well as of parents),
//! against the supply: places in the plans and teachers willing to lead it; a category wanted
//! with neither gets the plan's own remedy, 需引进校外资源.

use std::fmt::Write;

use serde::Serialize;

use super::html::interval;
use super::html_notes::heading;
use super::model::{Base, Dim, Report, ShareRow};
use super::stats::Interval;
use crate::domain::tally::CATEGORY;
use crate::templates::escape as esc;

/// One category's demand among parents and among students of the same schools.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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
    /// Teachers willing to lead it; `None` when teachers were not asked or the figure is hidden
    /// (fewer than 5).
    pub teachers: Option<i64>,
    /// Places for it in the schools' latest plans (0 when no plan offers it).
    pub places: u32,
    /// Wanted, yet neither planned nor led by a willing teacher: 需引进校外资源.
    pub outside: bool,
}

/// The remedy the plan names for demand the school cannot meet by itself.
pub const OUTSIDE: &str = "需引进校外资源";

/// Demand worth planning for: at least this share of parents or of students want it (the gap
/// list's threshold for "review").
fn wanted(v: &VoiceRow) -> bool {
    let low = super::plans::GapRules::default().low;
    [v.parents, v.students]
        .iter()
        .any(|i| i.is_some_and(|i| i.estimate >= low))
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

/// Pairs the parents' report with the students' and the teachers' reports of the same scope;
/// the rows come in order of how far apart parents and students are, largest first (categories
/// without both shares last, in the parents' order).
pub fn side_by_side(
    parents: &Report,
    students: Option<&Report>,
    teachers: Option<&Report>,
) -> Vec<VoiceRow> {
    let theirs = students.map(category_shares).unwrap_or_default();
    let staff = teachers.map(category_shares);
    let mut rows: Vec<VoiceRow> = category_shares(parents)
        .into_iter()
        .map(|p| {
            let s = theirs.iter().find(|s| s.value == p.value);
            let (pi, si) = (best(p), s.and_then(|s| best(s)));
            let teachers = staff.as_ref().and_then(|t| {
                t.iter().find(|t| t.value == p.value).and_then(|t| {
                    if t.suppressed {
                        None
                    } else {
                        t.k
                    }
                })
            });
            let places = parents
                .gaps
                .iter()
                .filter(|g| g.category == *p.value && g.offered)
                .map(|g| g.capacity)
                .sum();
            let mut row = VoiceRow {
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
                teachers,
                places,
                outside: false,
            };
            row.outside = wanted(&row) && places == 0 && teachers == Some(0);
            row
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

/// The section of the HTML report; nothing when the round asked no students.
pub fn render(h: &mut String, r: &Report) {
    if r.voices.is_empty() {
        return;
    }
    heading(
        h,
        "需求与供给：家长、学生、计划名额和愿意指导的教师",
        "voices",
    );
    if let Some(top) = r
        .voices
        .iter()
        .find(|v| v.gap_points.is_some() && v.gap_points != Some(0.0))
    {
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
        "<table><tr><th>类别</th><th>家长（填写家庭）</th><th>学生（填写学生）</th><th>学生 − 家长（百分点）</th><th>计划名额</th><th>愿意指导的教师</th><th>建议</th></tr>",
    );
    for v in &r.voices {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&v.label),
            interval(v.parents),
            interval(v.students),
            v.gap_points.map_or_else(
                || "—".into(),
                |g| format!("{g:+.1}{}", if v.clear { "（差别明显）" } else { "" })
            ),
            v.places,
            v.teachers.map_or_else(|| "—".into(), |t| t.to_string()),
            if v.outside { OUTSIDE } else { "" },
        );
    }
    h.push_str("</table>");
}
