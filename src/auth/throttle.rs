//! Sign-in throttling, per account and per address, counted in the database
//! so that every app instance sees the same failures. Once either limit is
//! reached, even a correct password is refused until the window passes, and
//! the message is the same as for a wrong password. (Parents' wrong one-time
//! codes are limited where codes are taken: `app::submission`.)

use chrono::{Duration, NaiveDateTime};

use crate::db::{rate, DbConnection};

pub const WINDOW: Duration = Duration::minutes(15);
/// Failures on one account within the window before it is held.
pub const PER_ACCOUNT: i64 = 5;
/// Failures from one address within the window (a school's staff share one
/// NAT, so this is higher than the per-account limit).
pub const PER_ADDRESS: i64 = 30;

fn account_key(email: &str) -> String {
    format!("signin-account:{}", email.trim().to_lowercase())
}

fn address_key(addr: &str) -> String {
    format!("signin-address:{addr}")
}

pub fn is_held(
    conn: &mut DbConnection,
    email: &str,
    addr: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    Ok(
        rate::count_within(conn, &account_key(email), WINDOW, now)? >= PER_ACCOUNT
            || rate::count_within(conn, &address_key(addr), WINDOW, now)? >= PER_ADDRESS,
    )
}

pub fn record_failure(
    conn: &mut DbConnection,
    email: &str,
    addr: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    rate::record(conn, &account_key(email), now)?;
    rate::record(conn, &address_key(addr), now)
}

/// A successful sign-in clears the account's failures (not the address's).
pub fn record_success(conn: &mut DbConnection, email: &str) -> diesel::QueryResult<()> {
    rate::clear(conn, &account_key(email))
}

/// Lifts an account's hold (its failures), for the one whose right password is refused
/// because someone keeps guessing: `kehou-survey unlock --email …`.
pub fn unlock_account(
    conn: &mut DbConnection,
    email: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    let held = rate::count_within(conn, &account_key(email), WINDOW, now)? >= PER_ACCOUNT;
    rate::clear(conn, &account_key(email))?;
    Ok(held)
}
