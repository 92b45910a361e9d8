//! What the demand analysis reads besides the counters: a round's schools with their township
//! and urban-rural code, and the enrolments the weighting uses.

use diesel::prelude::*;

use super::schema::{round_schools, school_enrolments, schools, townships};
use super::DbConnection;

/// A school taking part in a round.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct RoundSchool {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub level: String,
    pub urban_rural_code: i32,
    pub township: String,
    pub township_order: i32,
}

/// The round's schools, by township order then school code.
pub fn round_schools(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<RoundSchool>> {
    round_schools::table
        .inner_join(schools::table.inner_join(townships::table))
        .filter(round_schools::round_id.eq(round_id))
        .order((townships::sort_order, schools::code))
        .select((
            schools::id,
            schools::code,
            schools::name,
            schools::level,
            schools::urban_rural_code,
            townships::name,
            townships::sort_order,
        ))
        .load(conn)
}

/// Every school's enrolment per grade: `(school_id, grade, students)`.
pub fn enrolments(conn: &mut DbConnection) -> QueryResult<Vec<(i64, i32, i32)>> {
    school_enrolments::table
        .select((
            school_enrolments::school_id,
            school_enrolments::grade,
            school_enrolments::students,
        ))
        .load(conn)
}
