//! A school's after-school service plan (一校一案) for a term — its 2+N model, days and hours,
//! activities, outside resources and staff — checked at the edge, and the XLSX import that
//! reports every bad cell by row and column and imports nothing if any cell is bad.

use std::collections::BTreeMap;

use serde::Serialize;

use super::school::roster::source::{read_xlsx, Cell, SourceRow};
use super::school::roster::{RosterErrors, RowError};
use super::school::SchoolCode;
use super::survey::Taxonomy;

/// Outside resources a plan may draw on (the bureau plan's list).
pub const RESOURCES: [&str; 10] = [
    "青少年宫",
    "科技馆",
    "图书馆",
    "博物馆",
    "文化馆",
    "非遗展示馆",
    "非遗传承人",
    "退休教师",
    "专业人员",
    "志愿者",
];

/// One activity a plan offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub name: String,
    /// Taxonomy id: a category (`science`) or a sub-category (`science.maker`).
    pub category: String,
    /// Sessions a week, 1–10.
    pub weekly_sessions: u8,
    /// Students it can take, 1–2000.
    pub capacity: u32,
    /// Fee per student per month in yuan, 0–2000 (0 = free).
    pub fee_yuan: u32,
}

/// One school's plan for one term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub school: SchoolCode,
    /// The term, as the bureau writes it, e.g. `2026秋`.
    pub term: String,
    /// N of the "2+N" model: extended or characteristic activities beyond the basic two.
    pub extra_n: u8,
    /// Service days a week, 1–5 ("5+2" is 5).
    pub days_per_week: u8,
    /// Service minutes a day, 30–240 ("5+2" needs at least 120).
    pub minutes_per_day: u16,
    /// Outside resources, from [`RESOURCES`].
    pub resources: Vec<String>,
    pub teachers: u16,
    pub outside_staff: u16,
    pub activities: Vec<Activity>,
}

impl Plan {
    /// "2+N" with its N.
    pub fn model(&self) -> String {
        format!("2+{}", self.extra_n)
    }

    /// Whether any activity is in `id`: the category itself or one of its sub-categories, or
    /// the very sub-category.
    pub fn offers(&self, id: &str) -> bool {
        self.activities.iter().any(|a| in_category(&a.category, id))
    }

    /// Places offered in `id` (summed over its activities).
    pub fn capacity_in(&self, id: &str) -> u32 {
        self.activities
            .iter()
            .filter(|a| in_category(&a.category, id))
            .map(|a| a.capacity)
            .sum()
    }
}

/// Whether an activity's taxonomy id falls under `id`.
pub fn in_category(activity: &str, id: &str) -> bool {
    activity == id
        || activity
            .strip_prefix(id)
            .is_some_and(|r| r.starts_with('.'))
}

/// The import file's header row: one row per activity; the plan's own columns repeat on each of
/// its activities' rows and must agree.
pub const HEADERS: [&str; 13] = [
    "学校代码",
    "学期",
    "N（2+N 模式）",
    "每周服务天数",
    "每天服务分钟数",
    "校外资源",
    "校内教师人数",
    "校外人员人数",
    "活动名称",
    "课程类别代码",
    "每周次数",
    "容量（人）",
    "每月收费（元）",
];

fn err(row: usize, column: &str, message: impl Into<String>) -> RowError {
    RowError {
        row,
        column: column.to_owned(),
        message: message.into(),
    }
}

/// Parses a plans workbook (first sheet). `schools` are the codes the roster knows.
pub fn parse_xlsx(
    bytes: &[u8],
    taxonomy: &Taxonomy,
    schools: &[String],
) -> Result<Vec<Plan>, RosterErrors> {
    let rows = read_xlsx(bytes).map_err(|e| RosterErrors(vec![e]))?;
    parse_rows(&rows, taxonomy, schools)
}

pub(crate) fn parse_rows(
    rows: &[SourceRow],
    taxonomy: &Taxonomy,
    schools: &[String],
) -> Result<Vec<Plan>, RosterErrors> {
    let Some((header, body)) = rows.split_first() else {
        return Err(RosterErrors(vec![err(0, "", "文件是空的")]));
    };
    let mut errors = Vec::new();
    let mut index = [0usize; 13];
    for (i, h) in HEADERS.iter().enumerate() {
        match header
            .cells
            .iter()
            .position(|c| c.as_text().as_deref() == Some(*h))
        {
            Some(p) => index[i] = p,
            None => errors.push(err(header.row, h, "缺少这一列")),
        }
    }
    if !errors.is_empty() {
        return Err(RosterErrors(errors));
    }
    let mut plans: BTreeMap<(String, String), (usize, Plan)> = BTreeMap::new();
    for row in body {
        let cell = |i: usize| row.cells.get(index[i]).cloned().unwrap_or(Cell::Empty);
        let mut bad = |i: usize, m: String| errors.push(err(row.row, HEADERS[i], m));
        let text = |i: usize| cell(i).as_text().unwrap_or_default();
        let mut int = |i: usize, lo: u32, hi: u32| -> u32 {
            match cell(i) {
                Cell::Number(n) if n.fract() == 0.0 && n >= f64::from(lo) && n <= f64::from(hi) => {
                    n as u32
                }
                Cell::Text(t) if t.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n)) => {
                    t.parse().unwrap_or(lo)
                }
                Cell::Empty => {
                    bad(i, "不能为空".into());
                    lo
                }
                _ => {
                    bad(i, format!("应为 {lo} 到 {hi} 之间的整数"));
                    lo
                }
            }
        };
        let extra_n = int(2, 0, 10) as u8;
        let days = int(3, 1, 5) as u8;
        let minutes = int(4, 30, 240) as u16;
        let teachers = int(6, 0, 2000) as u16;
        let outside = int(7, 0, 2000) as u16;
        let sessions = int(10, 1, 10) as u8;
        let capacity = int(11, 1, 2000);
        let fee = int(12, 0, 2000);
        let code = text(0);
        let school = match SchoolCode::parse(&code) {
            Ok(c) if schools.contains(&code) => Some(c),
            Ok(_) => {
                bad(0, format!("学校代码“{code}”不在学校名册中"));
                None
            }
            Err(e) => {
                bad(0, e.to_string());
                None
            }
        };
        let term = text(1);
        if term.is_empty() || term.chars().count() > 20 {
            bad(1, "请填写学期，如“2026秋”（不超过 20 字）".into());
        }
        let mut resources: Vec<String> = Vec::new();
        for r in text(5).split(['；', ';', '、', ',', '，']).map(str::trim) {
            if r.is_empty() {
                continue;
            }
            if RESOURCES.contains(&r) {
                resources.push(r.to_string());
            } else {
                bad(
                    5,
                    format!("“{r}”不是可选的校外资源（{}）", RESOURCES.join("、")),
                );
            }
        }
        let name = text(8);
        if name.is_empty() || name.chars().count() > 50 {
            bad(8, "请填写活动名称（不超过 50 字）".into());
        }
        let category = text(9);
        if !taxonomy.contains(&category) {
            bad(
                9,
                format!(
                    "“{category}”不是课程类别代码（见 taxonomy.toml，如 science、science.maker）"
                ),
            );
        }
        let Some(school) = school else { continue };
        let activity = Activity {
            name,
            category,
            weekly_sessions: sessions,
            capacity,
            fee_yuan: fee,
        };
        let key = (school.as_str().to_string(), term.clone());
        match plans.get_mut(&key) {
            Some((first, plan)) => {
                let same = plan.extra_n == extra_n
                    && plan.days_per_week == days
                    && plan.minutes_per_day == minutes
                    && plan.resources == resources
                    && plan.teachers == teachers
                    && plan.outside_staff == outside;
                if !same {
                    let first = *first;
                    errors.push(err(row.row, "", format!("同一学校同一学期的方案信息（N、天数、分钟数、资源、人员）与第 {first} 行不一致")));
                }
                plan.activities.push(activity);
            }
            None => {
                let plan = Plan {
                    school,
                    term,
                    extra_n,
                    days_per_week: days,
                    minutes_per_day: minutes,
                    resources,
                    teachers,
                    outside_staff: outside,
                    activities: vec![activity],
                };
                plans.insert(key, (row.row, plan));
            }
        }
    }
    if !errors.is_empty() {
        return Err(RosterErrors(errors));
    }
    if plans.is_empty() {
        return Err(RosterErrors(vec![err(0, "", "文件中没有方案")]));
    }
    Ok(plans.into_values().map(|(_, p)| p).collect())
}
