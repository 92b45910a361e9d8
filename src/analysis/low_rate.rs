//! Figures that rest on few answers, or on more answers than pupils, said plainly: which
//! schools' response rates are below the configured threshold, which rows of a report rest on
//! them, and the words every output uses to say so.

use std::collections::HashSet;

use super::model::{Dim, Report, SchoolRate, ShareRow};
use crate::domain::school::over_enrolment;

/// What a figure resting on a low response rate carries (the gap list, the spreadsheets).
pub const NOTE: &str = "回收率低，仅供参考";

/// Whether a response rate in percent is below `threshold` percent (no rate is never low).
pub fn is_low(rate_percent: Option<f64>, threshold: f64) -> bool {
    rate_percent.is_some_and(|r| r < threshold)
}

/// Sets the report's threshold and flags each school below it, and each gap row of such a
/// school.
pub fn flag(report: &mut Report, threshold: f64) {
    report.low_rate_percent = threshold;
    for s in &mut report.schools {
        s.low_rate = is_low(s.rate.map(|r| r * 100.0), threshold);
    }
    let low: HashSet<i64> = low_schools(report).map(|s| s.school_id).collect();
    for g in &mut report.gaps {
        g.low_rate = low.contains(&g.school_id);
    }
}

/// The schools of the report whose figures rest on a low rate, in report order.
pub fn low_schools(report: &Report) -> impl Iterator<Item = &SchoolRate> {
    report.schools.iter().filter(|s| s.low_rate)
}

/// Which share rows rest wholly on a low-rate school: every row of a low school's own report,
/// and a low school's own rows (dimension 学校) in a view above one school. A township's or the
/// city's rows mix schools and carry no flag; the report lists the low schools instead.
pub struct LowRows {
    whole_report: bool,
    schools: HashSet<String>,
}

impl LowRows {
    pub fn of(report: &Report) -> LowRows {
        let schools: HashSet<String> = low_schools(report)
            .map(|s| s.school_id.to_string())
            .collect();
        LowRows {
            whole_report: report.single_school && !schools.is_empty(),
            schools,
        }
    }

    pub fn share(&self, s: &ShareRow) -> bool {
        self.group(s.dim, &s.group)
    }

    /// Whether the row of group `group` of breakdown `dim` rests on a low-rate school.
    pub fn group(&self, dim: Dim, group: &str) -> bool {
        self.whole_report || (dim == Dim::School && self.schools.contains(group))
    }
}

/// "30%", or "27.5%" for a threshold that is not a whole number.
pub fn percent(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}%")
    } else {
        format!("{v:.1}%")
    }
}

/// The caution at the top of a school's own report, if its rate calls for one: below the
/// threshold, or above 100% (with what to check).
pub fn school_caution(report: &Report) -> Option<String> {
    if !report.single_school {
        return None;
    }
    let s = report.schools.first()?;
    let Some(rate) = s.rate.map(|r| r * 100.0) else {
        return Some(format!(
            "名册中没有本校的在校生人数，无法计算回收率，也无法按在校生数加权：以下比例只按填写的 {} 个家庭计算，仅供参考。请在学校名册中补全各年级人数。",
            s.respondents
        ));
    };
    if over_enrolment(rate) {
        Some(format!(
            "本校回收率为 {rate:.1}%（填写 {} 份，在校生 {} 人）。{}。核实之前，以下比例和预计人数不能作为依据。",
            s.respondents,
            s.enrolment,
            crate::domain::school::OVER_ENROLMENT
        ))
    } else if s.low_rate {
        Some(format!(
            "本校回收率为 {rate:.1}%（填写 {} 份，在校生 {} 人），低于 {}，以下比例和预计人数仅供参考。",
            s.respondents,
            s.enrolment,
            percent(report.low_rate_percent)
        ))
    } else {
        None
    }
}

/// The heading of the list of low-rate schools: "回收率低于 30% 的学校".
pub fn schools_heading(threshold: f64) -> String {
    format!("回收率低于 {} 的学校", percent(threshold))
}

/// What the low-rate flag means, for the notes of every output.
pub fn explanation(threshold: f64) -> String {
    format!(
        "回收率（填写份数 ÷ 在校生人数）低于 {} 的学校，填写的家庭少，未必能代表全校家庭的想法，这些学校的比例和预计参加人数标“{NOTE}”。学校自己的报告中，所有数字都来自本校的回答，因此表格每一行都带此标记，报告开头另有提示；跨校报告只标这些学校自己的行，并单独列出这些学校。加权时，回收率低的学校每份回答代表的学生较多。",
        percent(threshold)
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn one_school(enrolment: i64, respondents: i64) -> Report {
        let school = SchoolRate::new(
            (1, "3505820001", "青阳中心小学", "青阳街道"),
            "primary",
            111,
            enrolment,
            respondents,
        );
        let mut r = Report {
            round_id: 1,
            round_name: "2026 秋季".into(),
            survey_title: "课后服务需求调查".into(),
            respondent: crate::domain::survey::Respondent::Parent,
            scope: "青阳中心小学".into(),
            single_school: true,
            min_cell: 10,
            low_rate_percent: 0.0,
            old_counting_rule: false,
            old_rule_purged: false,
            schools: vec![school],
            shares: vec![],
            scores: vec![],
            means: vec![],
            gaps: vec![],
            targets: None,
            changes: vec![],
            voices: Vec::new(),
        };
        flag(&mut r, 30.0);
        r
    }

    #[test]
    fn a_school_report_opens_with_what_its_rate_means() {
        let caution = |e, n| school_caution(&one_school(e, n));
        assert_eq!(caution(100, 30), None);
        let low = caution(100, 12).unwrap();
        assert!(
            low.starts_with("本校回收率为 12.0%（填写 12 份，在校生 100 人），低于 30%"),
            "{low}"
        );
        let over = caution(2, 3).unwrap();
        assert!(
            over.starts_with("本校回收率为 150.0%")
                && over.contains(crate::domain::school::OVER_ENROLMENT),
            "{over}"
        );
        let none = caution(0, 5).unwrap();
        assert!(
            none.starts_with("名册中没有本校的在校生人数") && none.contains("5 个家庭"),
            "{none}"
        );
    }

    #[test]
    fn thresholds_read_as_people_write_them() {
        assert_eq!(percent(30.0), "30%");
        assert_eq!(percent(27.5), "27.5%");
        assert!(is_low(Some(29.9), 30.0));
        assert!(!is_low(Some(30.0), 30.0));
        assert!(!is_low(None, 30.0));
    }
}
