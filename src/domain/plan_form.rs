//! A school's plan (一校一案) as staff fill it in on the web page: the plan's own fields, the
//! outside resources ticked from the fixed list, and one row per activity (name, category,
//! sessions a week, places, monthly fee). Checked by exactly the rules of the XLSX import (the
//! form becomes the import's rows), so the two ways in never disagree; each problem names its
//! field, or the activity row it is on.

use super::plan::{parse_rows, Plan, HEADERS, RESOURCES};
use super::school::roster::source::{Cell, SourceRow};
use super::survey::Taxonomy;

/// One activity row, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityRow {
    pub name: String,
    /// A taxonomy id: a category or a sub-category.
    pub category: String,
    pub weekly: String,
    pub capacity: String,
    pub fee: String,
}

impl ActivityRow {
    fn is_blank(&self) -> bool {
        [
            &self.name,
            &self.category,
            &self.weekly,
            &self.capacity,
            &self.fee,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }
}

/// The form's fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanForm {
    pub term: String,
    pub extra_n: String,
    pub days_per_week: String,
    pub minutes_per_day: String,
    /// Ticked outside resources, each one of [`RESOURCES`].
    pub resources: Vec<String>,
    pub teachers: String,
    pub outside_staff: String,
    /// The activity rows as shown, blank ones included (they are skipped when checking).
    pub activities: Vec<ActivityRow>,
}

/// The form field of each import column, by the column's position in [`HEADERS`].
pub const FIELDS: [&str; 8] = [
    "",
    "term",
    "extra_n",
    "days_per_week",
    "minutes_per_day",
    "resources",
    "teachers",
    "outside_staff",
];

/// Most activity rows a form may carry.
pub const MAX_ACTIVITIES: usize = 60;

/// Where a problem is: a field, or an activity row (1-based, as the page numbers them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Field(&'static str),
    Activity(usize),
}

impl PlanForm {
    /// The plan, or every problem with its place (each field's problem once).
    pub fn check(&self, school: &str, taxonomy: &Taxonomy) -> Result<Plan, Vec<(Place, String)>> {
        let filled: Vec<(usize, &ActivityRow)> = self
            .activities
            .iter()
            .enumerate()
            .filter(|(_, a)| !a.is_blank())
            .map(|(i, a)| (i + 1, a))
            .collect();
        if filled.is_empty() {
            return Err(vec![(
                Place::Field("activities"),
                "请至少填写一项活动".into(),
            )]);
        }
        if filled.len() > MAX_ACTIVITIES {
            return Err(vec![(
                Place::Field("activities"),
                format!("活动最多 {MAX_ACTIVITIES} 项"),
            )]);
        }
        if let Some(odd) = self
            .resources
            .iter()
            .find(|r| !RESOURCES.contains(&r.as_str()))
        {
            return Err(vec![(
                Place::Field("resources"),
                format!("“{odd}”不在可选的校外资源中"),
            )]);
        }
        let cell = |s: &str| {
            let t = s.trim();
            if t.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(t.to_string())
            }
        };
        let header = SourceRow {
            row: 1,
            cells: HEADERS
                .iter()
                .map(|h| Cell::Text((*h).to_string()))
                .collect(),
        };
        let resources = self.resources.join("；");
        let mut rows = vec![header];
        // Import row numbers: the header is 1, so an activity's row is its 1-based place + 1.
        for (place, a) in &filled {
            let mut cells: Vec<Cell> = [
                school,
                &self.term,
                &self.extra_n,
                &self.days_per_week,
                &self.minutes_per_day,
                &resources,
                &self.teachers,
                &self.outside_staff,
            ]
            .iter()
            .map(|v| cell(v))
            .collect();
            cells.extend(
                [&a.name, &a.category, &a.weekly, &a.capacity, &a.fee]
                    .iter()
                    .map(|v| cell(v)),
            );
            rows.push(SourceRow {
                row: place + 1,
                cells,
            });
        }
        match parse_rows(&rows, taxonomy, &[school.to_string()]) {
            Ok(mut plans) if plans.len() == 1 => Ok(plans.remove(0)),
            Ok(_) => Err(vec![(Place::Field("term"), "方案无法识别".into())]),
            Err(errors) => {
                let mut out: Vec<(Place, String)> = Vec::new();
                for e in errors.errors() {
                    let column = HEADERS.iter().position(|h| *h == e.column);
                    let place = match column {
                        Some(c) if c < FIELDS.len() && !FIELDS[c].is_empty() => {
                            Place::Field(FIELDS[c])
                        }
                        _ => Place::Activity(e.row.saturating_sub(1)),
                    };
                    let message = match place {
                        Place::Activity(_) => {
                            // The page picks a category by name, not by its code.
                            let column = e.column.strip_suffix("代码").unwrap_or(&e.column);
                            format!("“{column}”：{}", e.message)
                        }
                        Place::Field(_) => e.message.clone(),
                    };
                    if !out.iter().any(|(p, m)| *p == place && *m == message) {
                        out.push((place, message));
                    }
                }
                Err(out)
            }
        }
    }

    /// The form filled in from a stored plan.
    pub fn from_plan(p: &Plan) -> PlanForm {
        PlanForm {
            term: p.term.clone(),
            extra_n: p.extra_n.to_string(),
            days_per_week: p.days_per_week.to_string(),
            minutes_per_day: p.minutes_per_day.to_string(),
            resources: p.resources.clone(),
            teachers: p.teachers.to_string(),
            outside_staff: p.outside_staff.to_string(),
            activities: p
                .activities
                .iter()
                .map(|a| ActivityRow {
                    name: a.name.clone(),
                    category: a.category.clone(),
                    weekly: a.weekly_sessions.to_string(),
                    capacity: a.capacity.to_string(),
                    fee: a.fee_yuan.to_string(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn taxonomy() -> Taxonomy {
        crate::catalog::load_taxonomy(std::path::Path::new("survey-definitions")).unwrap()
    }

    fn row(name: &str, category: &str, weekly: &str, capacity: &str, fee: &str) -> ActivityRow {
        ActivityRow {
            name: name.into(),
            category: category.into(),
            weekly: weekly.into(),
            capacity: capacity.into(),
            fee: fee.into(),
        }
    }

    fn good() -> PlanForm {
        PlanForm {
            term: "2026秋".into(),
            extra_n: "3".into(),
            days_per_week: "5".into(),
            minutes_per_day: "120".into(),
            resources: vec!["科技馆".into(), "退休教师".into()],
            teachers: "20".into(),
            outside_staff: "3".into(),
            activities: vec![
                row("科学实验社", "science.experiment", "2", "40", "0"),
                ActivityRow::default(),
                row("阅读", "reading", "2", "300", "0"),
            ],
        }
    }

    #[test]
    fn a_good_form_is_the_plan_and_round_trips() {
        let p = good().check("3505820001", &taxonomy()).unwrap();
        assert_eq!(p.model(), "2+3");
        assert_eq!(p.activities.len(), 2, "the blank row is skipped");
        assert!(p.offers("science"));
        assert_eq!(
            PlanForm::from_plan(&p)
                .check("3505820001", &taxonomy())
                .unwrap(),
            p
        );
    }

    #[test]
    fn problems_name_their_field_or_activity_row_once() {
        let mut f = good();
        f.extra_n = "十".into();
        f.activities[2] = row("阅读", "astrology", "2", "300", "0");
        f.activities.push(row("书法", "arts", "", "30", "0"));
        let errors = f.check("3505820001", &taxonomy()).unwrap_err();
        let places: Vec<&Place> = errors.iter().map(|(p, _)| p).collect();
        assert_eq!(
            places,
            vec![
                &Place::Field("extra_n"),
                &Place::Activity(3),
                &Place::Activity(4)
            ],
            "{errors:?}"
        );
        assert!(errors[1].1.contains("“课程类别”"), "{errors:?}");
        let mut odd = good();
        odd.resources.push("游乐场".into());
        let errors = odd.check("3505820001", &taxonomy()).unwrap_err();
        assert_eq!(errors[0].0, Place::Field("resources"));
        assert!(errors[0].1.contains("游乐场"));
        let empty = PlanForm {
            activities: vec![ActivityRow::default(); 3],
            ..good()
        };
        assert_eq!(
            empty.check("3505820001", &taxonomy()).unwrap_err()[0].0,
            Place::Field("activities")
        );
    }
}
