//! Passwords: changing one's own, asking for a reset link by e-mail, and
//! setting a password from an invitation or reset link. Each new password
//! ends every session of the account; each link works once.

use super::with_conn;
use crate::auth::password;
use crate::db::{self, rate};
use crate::domain::account::Email;
use crate::email::messages;
use crate::error::{AppError, AppResult, During};
use crate::state::AppState;

pub use crate::db::account_tokens::Purpose;

/// Reset links asked for from one address per hour.
pub const RESETS_PER_ADDRESS: i64 = 10;

/// Changes a signed-in user's password after checking the current one;
/// `false` if the current one is wrong. Ends every session of the account.
pub async fn change(
    state: &AppState,
    user_id: i64,
    stored_hash: String,
    current: String,
    new: String,
) -> AppResult<bool> {
    let now = state.clock.now();
    let hash = state
        .hash_gate
        .run(move || {
            password::verify(&stored_hash, &current)
                .then(|| password::hash(&new))
                .transpose()
        })
        .await??;
    let Some(hash) = hash else {
        return Ok(false);
    };
    with_conn(state, move |c| {
        db::users::set_password_hash(c, user_id, &hash).during("storing the password")?;
        db::sessions::delete_all_for(c, user_id).during("ending the sessions")?;
        db::audit::record(c, Some(user_id), "password_changed", "", now)
            .during("recording the change")
    })
    .await?;
    Ok(true)
}

/// Mails a reset link to `email` if it is an active account's; says nothing either way, so
/// that the page cannot tell who has an account. Limited per address (`addr`).
pub async fn request_reset(state: &AppState, email: Email, addr: String) -> AppResult<()> {
    let now = state.clock.now();
    let key = format!("reset-address:{addr}");
    let address = email.as_str().to_string();
    let token = with_conn(state, move |c| {
        let asked = rate::count_within(c, &key, chrono::Duration::hours(1), now)
            .during("counting reset requests")?;
        if asked >= RESETS_PER_ADDRESS {
            return Err(AppError::TooManyRequests);
        }
        rate::record(c, &key, now).during("recording a reset request")?;
        let Some(user) = db::users::find_by_email(c, &address)
            .during("looking up the account")?
            .filter(|u| u.active)
        else {
            return Ok(None);
        };
        let token = db::account_tokens::issue(c, user.id, Purpose::Reset, now)
            .during("issuing the reset link")?;
        db::audit::record(c, Some(user.id), "email_password_reset", &address, now)
            .during("recording the reset request")?;
        Ok(Some(token))
    })
    .await?;
    if let Some(token) = token {
        let link = format!("{}/reset/{token}", state.public_base);
        let msg = messages::password_reset(&email, &link);
        if let Err(e) = state.mailer.send(&msg).await {
            tracing::error!(error = ?e, "password reset e-mail not sent");
        }
    }
    Ok(())
}

/// The e-mail address of the account a live, unused link belongs to.
pub async fn link_owner(
    state: &AppState,
    token: String,
    purpose: Purpose,
) -> AppResult<Option<String>> {
    let now = state.clock.now();
    with_conn(state, move |c| {
        Ok(
            match db::account_tokens::peek(c, &token, purpose, now).during("checking the link")? {
                Some(id) => db::users::find(c, id)
                    .during("looking up the account")?
                    .map(|u| u.email),
                None => None,
            },
        )
    })
    .await
}

/// Sets the password (already checked) from a link, using the link up; `false` if the link is
/// dead (used, expired or replaced). Ends every session of the account.
pub async fn set_from_link(
    state: &AppState,
    token: String,
    purpose: Purpose,
    pass: String,
) -> AppResult<bool> {
    let now = state.clock.now();
    // A dead link costs no Argon2 work: only a live one is worth hashing for.
    let t = token.clone();
    let live = with_conn(state, move |c| {
        Ok(db::account_tokens::peek(c, &t, purpose, now)
            .during("checking the link")?
            .is_some())
    })
    .await?;
    if !live {
        return Ok(false);
    }
    let hash = state.hash_gate.run(move || password::hash(&pass)).await??;
    with_conn(state, move |c| {
        let Some(user_id) =
            db::account_tokens::consume(c, &token, purpose, now).during("using the link")?
        else {
            return Ok(false);
        };
        db::users::set_password_hash(c, user_id, &hash).during("storing the password")?;
        db::sessions::delete_all_for(c, user_id).during("ending the sessions")?;
        let what = match purpose {
            Purpose::Invite => "password_set_from_invitation",
            Purpose::Reset => "password_reset",
        };
        db::audit::record(c, Some(user_id), what, "", now).during("recording the password")?;
        Ok(true)
    })
    .await
}
