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
    /// How it came in: [`ONLINE`] or [`PAPER`].
    pub channel: &'static str,
    /// The printed serial of a paper slip (unique across all responses).
    pub serial: Option<String>,
}

/// A response answered on a phone or computer.
pub const ONLINE: &str = "online";
/// A response typed in from a paper reply slip.
pub const PAPER: &str = "paper";

/// A stored channel as one of the two constants (the column holds nothing else).
pub fn channel(stored: &str) -> &'static str {
    if stored == PAPER {
        PAPER
    } else {
        ONLINE
    }
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
    pub channel: String,
    pub serial: Option<String>,
}

pub fn insert(conn: &mut DbConnection, r: &NewResponse) -> QueryResult<usize> {
    diesel::insert_into(responses::table)
        .values(r)
        .execute(conn)
}

/// Rows per multi-row INSERT of submissions: 9 parameters each stays far under PostgreSQL's
/// 65,535 bound parameters.
const BATCH_ROWS: usize = 1_000;

/// Inserts submissions that carry no one-time code, skipping any whose idempotency key is
/// already stored (a retried POST, here or on another instance); returns the keys it stored.
/// On PostgreSQL it is one statement per [`BATCH_ROWS`] instead of a check, a savepoint and an
/// insert per submission, each of which is a round trip there. On SQLite (in-process, no round
/// trips) it is one statement per row; the writer keeps its per-response path there, and the
/// branch is for other callers and the tests (`retries::a_batch_insert_stores_each_key_once`).
pub fn insert_new(conn: &mut DbConnection, rows: &[&NewResponse]) -> QueryResult<Vec<String>> {
    let mut stored = Vec::with_capacity(rows.len());
    match conn {
        DbConnection::Pg(pg) => {
            for chunk in rows.chunks(BATCH_ROWS) {
                stored.extend(
                    diesel::insert_into(responses::table)
                        .values(chunk.iter().map(|r| (*r).clone()).collect::<Vec<_>>())
                        .on_conflict(responses::idempotency_key)
                        .do_nothing()
                        .returning(responses::idempotency_key)
                        .get_results::<String>(pg)?,
                );
            }
        }
        DbConnection::Sqlite(c) => {
            for r in rows {
                let n = diesel::insert_into(responses::table)
                    .values(*r)
                    .on_conflict(responses::idempotency_key)
                    .do_nothing()
                    .execute(c)?;
                if n == 1 {
                    stored.push(r.idempotency_key.clone());
                }
            }
        }
    }
    Ok(stored)
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

/// A response of a bulk load, stored as already counted.
#[derive(Insertable)]
#[diesel(table_name = responses, treat_none_as_default_value = false)]
struct CountedResponse<'a> {
    round_id: i64,
    school_id: i64,
    survey_hash: &'a str,
    grade: Option<i32>,
    class_no: Option<i32>,
    answers: &'a str,
    idempotency_key: &'a str,
    access_code: Option<&'a str>,
    submitted_at: NaiveDateTime,
    counted: bool,
}

/// Rows per multi-row INSERT: 10 parameters each stays under SQLite's 32,766 and PostgreSQL's
/// 65,535 bound parameters.
const BULK_ROWS: usize = 1_000;

/// Inserts many responses whose counts the caller writes itself (`generate`), inside the
/// caller's transaction: PostgreSQL's binary `COPY`, or on SQLite one multi-row INSERT per
/// [`BULK_ROWS`]. diesel's multi-backend connection has neither, so this runs on the inner
/// connection.
pub fn insert_counted_bulk(conn: &mut DbConnection, rows: &[NewResponse]) -> QueryResult<usize> {
    let mut n = 0;
    let per = match conn {
        DbConnection::Pg(_) => rows.len().max(1),
        DbConnection::Sqlite(_) => BULK_ROWS,
    };
    for chunk in rows.chunks(per) {
        let values: Vec<CountedResponse<'_>> = chunk
            .iter()
            .map(|r| CountedResponse {
                round_id: r.round_id,
                school_id: r.school_id,
                survey_hash: &r.survey_hash,
                grade: r.grade,
                class_no: r.class_no,
                answers: &r.answers,
                idempotency_key: &r.idempotency_key,
                access_code: r.access_code.as_deref(),
                submitted_at: r.submitted_at,
                counted: true,
            })
            .collect();
        n += match conn {
            DbConnection::Pg(c) => diesel::copy_from(responses::table)
                .from_insertable(&values)
                .execute(c)?,
            DbConnection::Sqlite(c) => diesel::insert_into(responses::table)
                .values(&values)
                .execute(c)?,
        };
    }
    Ok(n)
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

/// Responses stored but not yet added to the answer counters (the counting lag). `NOT counted`
/// as written here is what the partial index `responses_uncounted` covers.
pub fn uncounted(conn: &mut DbConnection) -> QueryResult<i64> {
    responses::table
        .filter(diesel::dsl::not(responses::counted))
        .count()
        .get_result(conn)
}
