//! Staff dashboards. The route table's access levels and the access guard
//! decide who gets here; handlers only ever query within the school or
//! township the guard has checked.

pub mod accounts;
pub mod analysis;
pub mod audit;
pub mod cases;
pub mod class_session;
pub mod class_session_open;
pub mod codes;
pub mod complaint;
pub mod complaints;
pub mod coverage;
pub mod home;
pub mod ledger;
pub mod paper;
pub mod paper_compare;
pub mod plan;
pub mod reminders;
pub mod rounds;
pub mod scan_review;
pub mod scans;
pub mod school;
pub mod school_round;
pub mod schools;
pub mod slips;
pub mod supplement;
pub mod supplement_answers;
pub mod survey_import;
pub mod surveys;
pub mod townships;

use crate::domain::school::{over_enrolment, SchoolLevel, UrbanRuralCode, OVER_ENROLMENT};
use crate::views::admin::Cell;

/// "城区" / "农村" for a school's urban-rural code.
pub fn urban_label(code: i32) -> &'static str {
    u16::try_from(code)
        .ok()
        .and_then(|c| UrbanRuralCode::new(c).ok())
        .map_or("未知", |c| c.two_way().label())
}

pub fn level_label(db_code: &str) -> &'static str {
    SchoolLevel::from_db_code(db_code).map_or("未知", |l| l.as_str())
}

/// "45.2%" or "—" without enrolment.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".into(), |r| format!("{r:.1}%"))
}

/// A response rate (in percent) as a table cell: marked when below `low`, and marked with
/// what to check when above 100%.
pub fn rate_cell(rate: Option<f64>, low: f64) -> Cell {
    let odd = crate::analysis::low_rate::is_low(rate, low) || rate.is_some_and(over_enrolment);
    Cell::text(response_rate(rate)).warn(odd)
}

/// A response rate (in percent) in words: "—" without enrolment, flagged above 100%.
pub fn response_rate(rate: Option<f64>) -> String {
    match rate {
        Some(r) if over_enrolment(r) => format!("{r:.1}%（{OVER_ENROLMENT}）"),
        other => percent(other),
    }
}

pub fn local_time(t: chrono::NaiveDateTime) -> String {
    crate::domain::time::to_local(t)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}
