//! Response counts for the dashboards: per school in a round, per grade and
//! class in one school, against enrolment. Counted by the database.

use diesel::dsl::{count_star, sum};
use diesel::prelude::*;

use super::schema::{responses, school_enrolments};
use super::DbConnection;

/// (school id, responses) for every school with at least one response.
pub fn per_school(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<(i64, i64)>> {
    responses::table
        .filter(responses::round_id.eq(round_id))
        .group_by(responses::school_id)
        .select((responses::school_id, count_star()))
        .load(conn)
}

/// Responses typed in from paper reply slips, per school, in a round.
pub fn paper_per_school(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<(i64, i64)>> {
    responses::table
        .filter(responses::round_id.eq(round_id))
        .filter(responses::channel.eq(super::responses::PAPER))
        .group_by(responses::school_id)
        .select((responses::school_id, count_star()))
        .load(conn)
}

/// (grade, class, responses, of which on paper); grade and class are absent when not asked.
pub type ClassCount = (Option<i32>, Option<i32>, i64, i64);

/// Responses per grade and class in one school and round, with how many came on paper slips.
pub fn per_class(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: i64,
) -> QueryResult<Vec<ClassCount>> {
    let rows: Vec<(Option<i32>, Option<i32>, String, i64)> = responses::table
        .filter(responses::round_id.eq(round_id))
        .filter(responses::school_id.eq(school_id))
        .group_by((responses::grade, responses::class_no, responses::channel))
        .select((
            responses::grade,
            responses::class_no,
            responses::channel,
            count_star(),
        ))
        .order((responses::grade, responses::class_no))
        .load(conn)?;
    let mut out: Vec<ClassCount> = Vec::new();
    for (grade, class_no, channel, n) in rows {
        let paper = if channel == super::responses::PAPER {
            n
        } else {
            0
        };
        match out.last_mut() {
            Some(last) if (last.0, last.1) == (grade, class_no) => {
                last.2 += n;
                last.3 += paper;
            }
            _ => out.push((grade, class_no, n, paper)),
        }
    }
    Ok(out)
}

/// (school id, students) for every school with enrolment figures.
pub fn enrolment_per_school(conn: &mut DbConnection) -> QueryResult<Vec<(i64, i64)>> {
    school_enrolments::table
        .group_by(school_enrolments::school_id)
        .select((
            school_enrolments::school_id,
            sum(school_enrolments::students),
        ))
        .load::<(i64, Option<i64>)>(conn)
        .map(|rows| rows.into_iter().map(|(s, n)| (s, n.unwrap_or(0))).collect())
}

/// Response rate in percent, or `None` without enrolment figures.
pub fn rate(responses: i64, enrolment: i64) -> Option<f64> {
    (enrolment > 0).then(|| 100.0 * responses as f64 / enrolment as f64)
}
