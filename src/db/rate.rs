//! Sliding-window rate limits kept in the database, so that every app
//! instance counts the same events. Keys are hashed before storing, to 128
//! bits: plenty to keep keys apart, and half the bytes per event (row and
//! index) of a whole SHA-256, which matters when every failed sign-in of a
//! flood leaves two events.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::rate_events;
use super::DbConnection;
use crate::domain::token::sha256_hex;

/// The stored form of a key: the first 128 bits of its SHA-256, in hex.
fn key_hash(key: &str) -> String {
    let mut h = sha256_hex(key);
    h.truncate(32);
    h
}

pub fn record(conn: &mut DbConnection, key: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(rate_events::table)
        .values((
            rate_events::key_hash.eq(key_hash(key)),
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
        .filter(rate_events::key_hash.eq(key_hash(key)))
        .filter(rate_events::at.gt(now - window))
        .count()
        .get_result(conn)
}

pub fn clear(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::delete(rate_events::table.filter(rate_events::key_hash.eq(key_hash(key))))
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
