//! Stored responses: one row per family's submission, answers as JSON text.
//! No IP address, user agent or name is ever stored with a response.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{responses, schools};
use super::DbConnection;

/// A validated submission on its way to the database.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = responses)]
pub struct NewResponse {
    pub round_id: i64,
    pub school_id: i64,
    pub survey_hash: String,
    pub grade: Option<i32>,
    pub class_no: Option<i32>,
    pub answers: String,
    pub idempotency_key: String,
    pub access_code: Option<String>,
    pub submitted_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = responses)]
pub struct StoredResponse {
    pub id: i64,
    pub round_id: i64,
    pub school_id: i64,
    pub survey_hash: String,
    pub grade: Option<i32>,
    pub class_no: Option<i32>,
    pub answers: String,
    pub submitted_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, r: &NewResponse) -> QueryResult<usize> {
    diesel::insert_into(responses::table)
        .values(r)
        .execute(conn)
}

pub fn exists_with_key(conn: &mut DbConnection, key: &str) -> QueryResult<bool> {
    let n: i64 = responses::table
        .filter(responses::idempotency_key.eq(key))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn find_by_key(conn: &mut DbConnection, key: &str) -> QueryResult<Option<StoredResponse>> {
    responses::table
        .filter(responses::idempotency_key.eq(key))
        .select(StoredResponse::as_select())
        .first(conn)
        .optional()
}

/// A page of a round's responses (with the school code), in id order, for
/// streaming exports without loading a whole round into memory.
pub fn page_for_round(
    conn: &mut DbConnection,
    round_id: i64,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<(StoredResponse, String)>> {
    responses::table
        .inner_join(schools::table)
        .filter(responses::round_id.eq(round_id))
        .filter(responses::id.gt(after_id))
        .order(responses::id)
        .limit(limit)
        .select((StoredResponse::as_select(), schools::code))
        .load(conn)
}

/// Marks every response of a round counted: for a bulk load that wrote the round's counters
/// itself (`generate`), in the same transaction.
pub fn mark_round_counted(conn: &mut DbConnection, round_id: i64) -> QueryResult<usize> {
    diesel::update(responses::table.filter(responses::round_id.eq(round_id)))
        .set(responses::counted.eq(true))
        .execute(conn)
}

pub fn count_for(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: Option<i64>,
) -> QueryResult<i64> {
    let mut q = responses::table
        .filter(responses::round_id.eq(round_id))
        .into_boxed();
    if let Some(s) = school_id {
        q = q.filter(responses::school_id.eq(s));
    }
    q.count().get_result(conn)
}
