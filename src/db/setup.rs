//! The first administrator's one-time setup link, printed on an empty database.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::setup_tokens;
use super::DbConnection;
use crate::domain::token::{random_token, sha256_hex};

/// Replaces any earlier setup token with a new one valid for 72 hours and
/// returns it. Only its hash is stored.
pub fn issue_token(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<String> {
    let token = random_token(26);
    let created = now;
    conn.transaction(|conn| {
        diesel::delete(setup_tokens::table).execute(conn)?;
        diesel::insert_into(setup_tokens::table)
            .values((
                setup_tokens::token_hash.eq(sha256_hex(&token)),
                setup_tokens::created_at.eq(created),
                setup_tokens::expires_at.eq(created + Duration::hours(72)),
            ))
            .execute(conn)
    })?;
    Ok(token)
}

/// Whether `token` is the current, unexpired setup token.
pub fn is_valid(conn: &mut DbConnection, token: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n: i64 = setup_tokens::table
        .filter(setup_tokens::token_hash.eq(sha256_hex(token)))
        .filter(setup_tokens::expires_at.gt(now))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Removes the setup token once the first administrator exists.
pub fn clear(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::delete(setup_tokens::table)
        .execute(conn)
        .map(|_| ())
}
