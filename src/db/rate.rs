//! Sliding-window rate limits kept in the database, so that every app
//! instance counts the same events. Keys are hashed before storing.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::rate_events;
use super::DbConnection;
use crate::domain::token::sha256_hex;

pub fn record(conn: &mut DbConnection, key: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(rate_events::table)
        .values((
            rate_events::key_hash.eq(sha256_hex(key)),
            rate_events::at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn count_within(
    conn: &mut DbConnection,
    key: &str,
    window: Duration,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    rate_events::table
        .filter(rate_events::key_hash.eq(sha256_hex(key)))
        .filter(rate_events::at.gt(now - window))
        .count()
        .get_result(conn)
}

pub fn clear(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::delete(rate_events::table.filter(rate_events::key_hash.eq(sha256_hex(key))))
        .execute(conn)
        .map(|_| ())
}

/// Drops events older than any window in use.
pub fn prune(
    conn: &mut DbConnection,
    older_than: Duration,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(rate_events::table.filter(rate_events::at.lt(now - older_than))).execute(conn)
}
