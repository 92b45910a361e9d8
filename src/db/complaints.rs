//! Complaints and suggestions from parents, and the bureau's handling of them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{complaints, schools};
use super::DbConnection;

pub struct NewComplaint {
    pub school_id: i64,
    pub kind: String,
    pub body: String,
    pub contact: Option<String>,
    pub office: String,
}

pub fn insert(conn: &mut DbConnection, c: &NewComplaint, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(complaints::table)
        .values((
            complaints::school_id.eq(c.school_id),
            complaints::kind.eq(&c.kind),
            complaints::body.eq(&c.body),
            complaints::contact.eq(&c.contact),
            complaints::office.eq(&c.office),
            complaints::status.eq("new"),
            complaints::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct ComplaintRow {
    pub id: i64,
    pub school_name: String,
    pub kind: String,
    pub body: String,
    pub contact: Option<String>,
    pub office: String,
    pub status: String,
    pub reply: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<ComplaintRow>> {
    complaints::table
        .inner_join(schools::table)
        .order((complaints::status.desc(), complaints::id.desc()))
        .select((
            complaints::id,
            schools::name,
            complaints::kind,
            complaints::body,
            complaints::contact,
            complaints::office,
            complaints::status,
            complaints::reply,
            complaints::created_at,
        ))
        .load(conn)
}

/// Marks a complaint handled (or new again) with the bureau's note.
pub fn set_status(
    conn: &mut DbConnection,
    id: i64,
    handled: bool,
    reply: &str,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(complaints::table.find(id))
        .set((
            complaints::status.eq(if handled { "handled" } else { "new" }),
            complaints::reply.eq(reply),
            complaints::handled_at.eq(handled.then_some(now)),
            complaints::handled_by.eq(handled.then_some(by)),
        ))
        .execute(conn)
}
