//! First setup: the one-time link printed on a fresh installation's terminal
//! creates the first bureau administrator, once.

use super::with_conn;
use crate::auth::password;
use crate::db::{self, users::NewUser};
use crate::domain::account::{Email, Role};
use crate::error::{AppError, AppResult, During};
use crate::state::AppState;

/// Whether `token` can still create the first administrator.
pub async fn usable(state: &AppState, token: String) -> AppResult<bool> {
    let now = state.clock.now();
    with_conn(state, move |c| {
        Ok(
            !db::users::has_bureau_admin(c).during("looking for an administrator")?
                && db::setup::is_valid(c, &token, now).during("checking the setup link")?,
        )
    })
    .await
}

/// Creates the first bureau administrator with `password` (already checked)
/// and retires the link, in one transaction.
pub async fn first_admin(
    state: &AppState,
    token: String,
    name: String,
    email: Email,
    password: String,
) -> AppResult<()> {
    let now = state.clock.now();
    let hash = state
        .hash_gate
        .run(move || password::hash(&password))
        .await??;
    with_conn(state, move |c| {
        diesel::Connection::transaction(c, |c| {
            if db::users::has_bureau_admin(c).during("looking for an administrator")?
                || !db::setup::is_valid(c, &token, now).during("checking the setup link")?
            {
                return Err(AppError::BadRequest("此设置链接已使用。".into()));
            }
            let id = db::users::create(
                c,
                &NewUser {
                    email: &email,
                    display_name: &name,
                    role: Role::Bureau,
                    township_id: None,
                    school_id: None,
                },
                now,
            )
            .during("creating the administrator")?;
            db::users::set_password_hash(c, id, &hash).during("setting the password")?;
            db::setup::clear(c).during("retiring the setup link")?;
            db::audit::record(
                c,
                Some(id),
                "account_created",
                "first bureau administrator",
                now,
            )
            .during("recording the setup")?;
            Ok(())
        })
    })
    .await
}

/// A new setup link for the terminal, replacing any earlier one (CLI).
pub fn issue_link(conn: &mut db::DbConnection, now: chrono::NaiveDateTime) -> AppResult<String> {
    db::setup::issue_token(conn, now).during("issuing the setup link")
}
