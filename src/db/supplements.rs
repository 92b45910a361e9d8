//! Schools' supplements (本校补充题): each school's own questions in a round, and the survey
//! version its parents answer because of them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{responses, school_supplements};
use super::DbConnection;

/// A school's supplement as stored: its questions (JSON) and the derived version's hash.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = school_supplements)]
pub struct Supplement {
    pub questions: String,
    pub derived_hash: String,
    pub updated_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConnection, round: i64, school: i64) -> QueryResult<Option<Supplement>> {
    school_supplements::table
        .find((round, school))
        .select(Supplement::as_select())
        .first(conn)
        .optional()
}

/// The version the school's parents answer in the round, when the school added questions.
pub fn derived_hash(
    conn: &mut DbConnection,
    round: i64,
    school: i64,
) -> QueryResult<Option<String>> {
    school_supplements::table
        .find((round, school))
        .select(school_supplements::derived_hash)
        .first(conn)
        .optional()
}

/// Replaces the school's supplement; no questions removes it.
pub fn replace(
    conn: &mut DbConnection,
    round: i64,
    school: i64,
    questions_and_hash: Option<(&str, &str)>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(school_supplements::table.find((round, school))).execute(conn)?;
    if let Some((questions, hash)) = questions_and_hash {
        diesel::insert_into(school_supplements::table)
            .values((
                school_supplements::round_id.eq(round),
                school_supplements::school_id.eq(school),
                school_supplements::questions.eq(questions),
                school_supplements::derived_hash.eq(hash),
                school_supplements::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The grade and stored answers of each response the school's parents gave with its derived
/// version `hash` in the round, oldest first.
pub fn answers(
    conn: &mut DbConnection,
    round: i64,
    school: i64,
    hash: &str,
) -> QueryResult<Vec<(Option<i32>, String)>> {
    responses::table
        .filter(responses::round_id.eq(round))
        .filter(responses::school_id.eq(school))
        .filter(responses::survey_hash.eq(hash))
        .order(responses::id)
        .select((responses::grade, responses::answers))
        .load(conn)
}
