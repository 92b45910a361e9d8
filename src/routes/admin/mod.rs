//! Staff dashboards. The route table's access levels and the access guard
//! decide who gets here; handlers only ever query within the school or
//! township the guard has checked.

pub mod accounts;
pub mod analysis;
pub mod audit;
pub mod codes;
pub mod complaints;
pub mod coverage;
pub mod home;
pub mod ledger;
pub mod plan;
pub mod reminders;
pub mod rounds;
pub mod school;
pub mod school_round;
pub mod schools;
pub mod townships;

use crate::domain::school::{SchoolLevel, UrbanRuralCode};

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

pub fn local_time(t: chrono::NaiveDateTime) -> String {
    crate::domain::time::to_local(t)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}
