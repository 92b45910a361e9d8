//! The audit log: sign-ins, exports, response views, account changes and
//! e-mails sent. The app only ever appends to it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{audit_log, users};
use super::DbConnection;

pub fn record(
    conn: &mut DbConnection,
    user_id: Option<i64>,
    action: &str,
    detail: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(now),
            audit_log::user_id.eq(user_id),
            audit_log::action.eq(action),
            audit_log::detail.eq(detail),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: NaiveDateTime,
    pub user_email: Option<String>,
    pub action: String,
    pub detail: String,
}

/// The furthest page of the log that is read (pages are counted from 0): far past any real
/// log, and far from where a page number times a page size overflows.
pub const MAX_PAGE: i64 = 1_000_000;

/// Newest first; only entries of `action` when one is given.
pub fn page(
    conn: &mut DbConnection,
    action: Option<&str>,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<AuditEntry>> {
    let mut q = audit_log::table
        .left_join(users::table)
        .order(audit_log::id.desc())
        .limit(limit)
        .offset(offset)
        .select((
            audit_log::id,
            audit_log::at,
            users::email.nullable(),
            audit_log::action,
            audit_log::detail,
        ))
        .into_boxed();
    if let Some(a) = action {
        q = q.filter(audit_log::action.eq(a));
    }
    q.load(conn)
}

/// How many entries there are (of `action`, when one is given).
pub fn count(conn: &mut DbConnection, action: Option<&str>) -> QueryResult<i64> {
    let mut q = audit_log::table.count().into_boxed();
    if let Some(a) = action {
        q = q.filter(audit_log::action.eq(a));
    }
    q.get_result(conn)
}
