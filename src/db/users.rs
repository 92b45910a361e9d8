//! Staff accounts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::users;
use super::DbConnection;
use crate::domain::account::{Email, Role};

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub township_id: Option<i64>,
    pub school_id: Option<i64>,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub active: bool,
}

impl User {
    pub fn role(&self) -> Role {
        // The CHECK constraint admits only the three codes; anything else
        // would be a corrupted row, treated as the least privileged role.
        Role::from_db_code(&self.role).unwrap_or(Role::School)
    }
}

pub struct NewUser<'a> {
    pub email: &'a Email,
    pub display_name: &'a str,
    pub role: Role,
    pub township_id: Option<i64>,
    pub school_id: Option<i64>,
}

pub fn create(conn: &mut DbConnection, new: &NewUser<'_>, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(new.email.as_str()),
            users::display_name.eq(new.display_name),
            users::role.eq(new.role.db_code()),
            users::township_id.eq(new.township_id),
            users::school_id.eq(new.school_id),
            users::active.eq(true),
            users::created_at.eq(now),
        ))
        .execute(conn)?;
    users::table
        .filter(users::email.eq(new.email.as_str()))
        .select(users::id)
        .first(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<User>> {
    users::table
        .order((users::role, users::email))
        .select(User::as_select())
        .load(conn)
}

/// A new password also ends every invitation or reset link the account still had.
pub fn set_password_hash(conn: &mut DbConnection, id: i64, hash: &str) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::update(users::table.find(id))
            .set(users::password_hash.eq(hash))
            .execute(conn)?;
        super::account_tokens::revoke_all_for(conn, id).map(|_| ())
    })
}

/// Turning an account off also ends every invitation or reset link it still had.
pub fn set_active(conn: &mut DbConnection, id: i64, active: bool) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::update(users::table.find(id))
            .set(users::active.eq(active))
            .execute(conn)?;
        if !active {
            super::account_tokens::revoke_all_for(conn, id)?;
        }
        Ok(())
    })
}

/// Whether any bureau administrator can sign in (has a password).
pub fn has_bureau_admin(conn: &mut DbConnection) -> QueryResult<bool> {
    let n: i64 = users::table
        .filter(users::role.eq(Role::Bureau.db_code()))
        .filter(users::password_hash.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// School administrators' addresses for one school (for reminders).
pub fn school_contacts(conn: &mut DbConnection, school_id: i64) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::school_id.eq(school_id))
        .filter(users::active.eq(true))
        .select(users::email)
        .load(conn)
}

/// Township officers' addresses for one township (for the overdue-rectification mail).
pub fn township_contacts(conn: &mut DbConnection, township_id: i64) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::township_id.eq(township_id))
        .filter(users::role.eq(Role::Township.db_code()))
        .filter(users::active.eq(true))
        .select(users::email)
        .load(conn)
}
