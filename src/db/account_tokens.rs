//! One-time account links: invitations (72 h) and password resets (2 h).
//! Only hashes are stored; a link works once. An account has at most one live
//! link: a new one, a new password or a disabled account ends every earlier one.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::account_tokens;
use super::DbConnection;
use crate::domain::token::{random_token, sha256_hex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invite,
    Reset,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::Invite => "invite",
            Purpose::Reset => "reset",
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::Invite => Duration::hours(72),
            Purpose::Reset => Duration::hours(2),
        }
    }
}

pub fn issue(
    conn: &mut DbConnection,
    user_id: i64,
    purpose: Purpose,
    now: NaiveDateTime,
) -> QueryResult<String> {
    revoke_all_for(conn, user_id)?;
    let token = random_token(32);
    let t = now;
    diesel::insert_into(account_tokens::table)
        .values((
            account_tokens::token_hash.eq(sha256_hex(&token)),
            account_tokens::user_id.eq(user_id),
            account_tokens::purpose.eq(purpose.code()),
            account_tokens::created_at.eq(t),
            account_tokens::expires_at.eq(t + purpose.lifetime()),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The user a live, unused link belongs to (without using it up).
pub fn peek(
    conn: &mut DbConnection,
    token: &str,
    purpose: Purpose,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    account_tokens::table
        .filter(account_tokens::token_hash.eq(sha256_hex(token)))
        .filter(account_tokens::purpose.eq(purpose.code()))
        .filter(account_tokens::used_at.is_null())
        .filter(account_tokens::expires_at.gt(now))
        .select(account_tokens::user_id)
        .first(conn)
        .optional()
}

/// Uses the link up; `Some(user)` only for the one request that wins.
pub fn consume(
    conn: &mut DbConnection,
    token: &str,
    purpose: Purpose,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    let Some(user_id) = peek(conn, token, purpose, now)? else {
        return Ok(None);
    };
    let n = diesel::update(
        account_tokens::table
            .filter(account_tokens::token_hash.eq(sha256_hex(token)))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok((n == 1).then_some(user_id))
}

/// Ends every unused link of an account (used ones stay, as the record of their use).
pub fn revoke_all_for(conn: &mut DbConnection, user_id: i64) -> QueryResult<usize> {
    diesel::delete(
        account_tokens::table
            .filter(account_tokens::user_id.eq(user_id))
            .filter(account_tokens::used_at.is_null()),
    )
    .execute(conn)
}
