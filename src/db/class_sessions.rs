//! Computer-room sessions: a class's short code for the students' survey and its count of answers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::class_sessions;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = class_sessions)]
pub struct ClassSession {
    pub id: i64,
    pub code: String,
    pub round_id: i64,
    pub school_id: i64,
    pub grade: i32,
    pub class_no: i32,
    pub expected: i32,
    pub submitted: i32,
    pub opened_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub opened_by: Option<i64>,
}

pub struct NewSession<'a> {
    pub code: &'a str,
    pub round_id: i64,
    pub school_id: i64,
    pub grade: i32,
    pub class_no: i32,
    pub expected: i32,
    pub opened_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub opened_by: Option<i64>,
}

pub fn create(conn: &mut DbConnection, new: &NewSession<'_>) -> QueryResult<()> {
    diesel::insert_into(class_sessions::table)
        .values((
            class_sessions::code.eq(new.code),
            class_sessions::round_id.eq(new.round_id),
            class_sessions::school_id.eq(new.school_id),
            class_sessions::grade.eq(new.grade),
            class_sessions::class_no.eq(new.class_no),
            class_sessions::expected.eq(new.expected),
            class_sessions::opened_at.eq(new.opened_at),
            class_sessions::closes_at.eq(new.closes_at),
            class_sessions::opened_by.eq(new.opened_by),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<ClassSession>> {
    class_sessions::table
        .filter(class_sessions::code.eq(code))
        .select(ClassSession::as_select())
        .first(conn)
        .optional()
}

/// Counts one answer if the session is still open at `now`; false when it is full or over.
/// One conditional update, so two devices submitting at once cannot both take the last place.
pub fn take_place(
    conn: &mut DbConnection,
    code: &str,
    (round_id, school_id): (i64, i64),
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        class_sessions::table
            .filter(class_sessions::code.eq(code))
            .filter(class_sessions::round_id.eq(round_id))
            .filter(class_sessions::school_id.eq(school_id))
            .filter(class_sessions::submitted.lt(class_sessions::expected))
            .filter(class_sessions::closes_at.gt(now)),
    )
    .set(class_sessions::submitted.eq(class_sessions::submitted + 1))
    .execute(conn)
    .map(|n| n == 1)
}

/// Gives a place back when the answer it was taken for could not be stored.
pub fn give_back(conn: &mut DbConnection, code: &str) -> QueryResult<()> {
    diesel::update(
        class_sessions::table
            .filter(class_sessions::code.eq(code))
            .filter(class_sessions::submitted.gt(0)),
    )
    .set(class_sessions::submitted.eq(class_sessions::submitted - 1))
    .execute(conn)
    .map(|_| ())
}
