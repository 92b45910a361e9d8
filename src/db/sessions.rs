//! Server-side sessions. The cookie holds a random id; the database holds its
//! hash, so logout or a password change ends a session everywhere, on every
//! app instance, and a replayed cookie gets nothing.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::sessions;
use super::users::User;
use super::DbConnection;
use crate::domain::token::{random_token, sha256_hex};

/// Idle time after which a session ends.
pub const IDLE: Duration = Duration::minutes(30);
/// Age after which a session ends however active it is.
pub const ABSOLUTE: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_EVERY: Duration = Duration::seconds(60);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

/// A new session for `user_id`: returns (cookie value, CSRF token).
pub fn create(
    conn: &mut DbConnection,
    user_id: i64,
    now: NaiveDateTime,
) -> QueryResult<(String, String)> {
    let id = random_token(32);
    let csrf = random_token(32);
    let t = now;
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(sha256_hex(&id)),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq(&csrf),
            sessions::created_at.eq(t),
            sessions::last_seen_at.eq(t),
        ))
        .execute(conn)?;
    Ok((id, csrf))
}

/// The live session and its active user for a cookie value, touching it.
/// An expired session is deleted and gives `None`.
pub fn resolve(
    conn: &mut DbConnection,
    cookie: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(Session, User)>> {
    let hash = sha256_hex(cookie);
    let found = sessions::table
        .inner_join(super::schema::users::table)
        .filter(sessions::id_hash.eq(&hash))
        .select((Session::as_select(), User::as_select()))
        .first::<(Session, User)>(conn)
        .optional()?;
    let Some((session, user)) = found else {
        return Ok(None);
    };
    let t = now;
    if !user.active || t - session.last_seen_at > IDLE || t - session.created_at > ABSOLUTE {
        delete(conn, cookie)?;
        return Ok(None);
    }
    if t - session.last_seen_at > TOUCH_EVERY {
        diesel::update(sessions::table.find(&hash))
            .set(sessions::last_seen_at.eq(t))
            .execute(conn)?;
    }
    Ok(Some((session, user)))
}

pub fn delete(conn: &mut DbConnection, cookie: &str) -> QueryResult<()> {
    diesel::delete(sessions::table.find(sha256_hex(cookie)))
        .execute(conn)
        .map(|_| ())
}

/// Ends every session of a user (password change, deactivation).
pub fn delete_all_for(conn: &mut DbConnection, user_id: i64) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}
