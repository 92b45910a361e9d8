//! Schools as the bureau knows them: checked codes, levels, urban-rural classes and the roster import.

/// The national school identification code, checked once at the edge.
pub mod code;
/// 小学 / 初中 / 九年一贯制 and the grades each one teaches.
pub mod level;
/// Importing the bureau's school roster from CSV or XLSX, reporting every bad cell at once.
pub mod roster;
/// The statistics bureau's urban-rural code and the 城区/农村 splits the analysis uses.
pub mod urban_rural;

pub use code::{SchoolCode, SchoolCodeError};
pub use level::{stage_of_grade, SchoolLevel, SchoolLevelError, Stage};
pub use roster::{RosterErrors, RosterRow, RowError};
pub use urban_rural::{UrbanRural2, UrbanRural3, UrbanRuralCode, UrbanRuralCodeError};

/// Shown wherever a response rate passes 100%: more answers than pupils cannot be true, so the
/// figure is flagged, never hidden, with what to check.
pub const OVER_ENROLMENT: &str =
    "数据异常：填写份数超过在校生人数，请核对名册中的在校生人数，或是否有人重复填写";

/// Whether a response rate (in percent) is impossible: more answers than pupils.
pub fn over_enrolment(rate_percent: f64) -> bool {
    rate_percent > 100.0
}
