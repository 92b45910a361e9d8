//! A school's plan (一校一案) as staff type it on the web page: the plan's own fields, and the
//! activities one per line (`名称，类别代码，每周次数，容量，每月收费`). Checked by exactly the
//! rules of the XLSX import (the form becomes the import's rows), so the two ways in never
//! disagree; each problem names its field, or the activity line it is on.

use super::plan::{parse_rows, Plan, HEADERS};
use super::school::roster::source::{Cell, SourceRow};
use super::survey::Taxonomy;

/// The form's fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanForm {
    pub term: String,
    pub extra_n: String,
    pub days_per_week: String,
    pub minutes_per_day: String,
    /// Separated by `；` (or `;`, `、`, `,`).
    pub resources: String,
    pub teachers: String,
    pub outside_staff: String,
    /// One activity per line.
    pub activities: String,
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

/// Most activity lines a form may carry.
pub const MAX_ACTIVITIES: usize = 60;

/// Where a problem is: a field, or an activity line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Field(&'static str),
    Activity(usize),
}

impl PlanForm {
    /// The plan, or every problem with its place (each field's problem once).
    pub fn check(&self, school: &str, taxonomy: &Taxonomy) -> Result<Plan, Vec<(Place, String)>> {
        let lines: Vec<&str> = self
            .activities
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            return Err(vec![(
                Place::Field("activities"),
                "请至少填写一项活动，每行一项：名称，类别代码，每周次数，容量，每月收费".into(),
            )]);
        }
        if lines.len() > MAX_ACTIVITIES {
            return Err(vec![(
                Place::Field("activities"),
                format!("活动最多 {MAX_ACTIVITIES} 项"),
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
        let mut rows = vec![header];
        let mut too_many = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let parts: Vec<&str> = line.split([',', '，', '\t']).collect();
            if parts.len() != 5 {
                too_many.push((
                    Place::Activity(i + 1),
                    format!("应有 5 项，用逗号分开：名称，类别代码，每周次数，容量，每月收费（这一行有 {} 项）", parts.len()),
                ));
                continue;
            }
            let mut cells: Vec<Cell> = [
                school,
                &self.term,
                &self.extra_n,
                &self.days_per_week,
                &self.minutes_per_day,
                &self.resources,
                &self.teachers,
                &self.outside_staff,
            ]
            .iter()
            .map(|v| cell(v))
            .collect();
            cells.extend(parts.iter().map(|p| cell(p)));
            // Row numbers: the header is 1, activity line k is k + 1.
            rows.push(SourceRow { row: i + 2, cells });
        }
        if !too_many.is_empty() {
            return Err(too_many);
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
                        Some(c) if c >= FIELDS.len() => Place::Activity(e.row.saturating_sub(1)),
                        _ => Place::Activity(e.row.saturating_sub(1)),
                    };
                    let message = match place {
                        Place::Activity(_) => format!("“{}”：{}", e.column, e.message),
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
            resources: p.resources.join("；"),
            teachers: p.teachers.to_string(),
            outside_staff: p.outside_staff.to_string(),
            activities: p
                .activities
                .iter()
                .map(|a| {
                    format!(
                        "{}，{}，{}，{}，{}",
                        a.name, a.category, a.weekly_sessions, a.capacity, a.fee_yuan
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
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

    fn good() -> PlanForm {
        PlanForm {
            term: "2026秋".into(),
            extra_n: "3".into(),
            days_per_week: "5".into(),
            minutes_per_day: "120".into(),
            resources: "科技馆；退休教师".into(),
            teachers: "20".into(),
            outside_staff: "3".into(),
            activities: "科学实验社，science.experiment，2，40，0\n\n阅读，reading，2，300，0\n"
                .into(),
        }
    }

    #[test]
    fn a_good_form_is_the_plan_and_round_trips() {
        let p = good().check("3505820001", &taxonomy()).unwrap();
        assert_eq!(p.model(), "2+3");
        assert_eq!(p.activities.len(), 2);
        assert!(p.offers("science"));
        assert_eq!(
            PlanForm::from_plan(&p)
                .check("3505820001", &taxonomy())
                .unwrap(),
            p
        );
    }

    #[test]
    fn problems_name_their_field_or_activity_line_once() {
        let mut f = good();
        f.extra_n = "十".into();
        f.resources = "科技馆；游乐场".into();
        f.activities =
            "科学实验社，science.experiment，2，40，0\n阅读，astrology，2，300，0\n书法，arts，2"
                .into();
        let errors = f.check("3505820001", &taxonomy()).unwrap_err();
        assert_eq!(errors, vec![(Place::Activity(3), errors[0].1.clone())]);
        f.activities =
            "科学实验社，science.experiment，2，40，0\n阅读，astrology，2，300，0".into();
        let errors = f.check("3505820001", &taxonomy()).unwrap_err();
        let places: Vec<&Place> = errors.iter().map(|(p, _)| p).collect();
        assert_eq!(
            places,
            vec![
                &Place::Field("extra_n"),
                &Place::Field("resources"),
                &Place::Activity(2)
            ],
            "{errors:?}"
        );
        assert!(errors[2].1.contains("课程类别代码"), "{errors:?}");
        assert!(good().check("3505820001", &taxonomy()).is_ok());
        let empty = PlanForm {
            activities: " \n ".into(),
            ..good()
        };
        assert_eq!(
            empty.check("3505820001", &taxonomy()).unwrap_err()[0].0,
            Place::Field("activities")
        );
    }
}
