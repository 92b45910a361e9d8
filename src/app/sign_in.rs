//! Signing staff in and out: the throttles checked before any Argon2 work,
//! the password checked through the hashing gate, failures counted and
//! audited in a bounded form, and the server-side session created or ended.

use super::with_conn;
use crate::auth::sign_in::SubmittedEmail;
use crate::auth::{password, throttle};
use crate::db;
use crate::error::{AppResult, During};
use crate::state::AppState;

/// A new session: the cookie value (its hash is what the database keeps).
pub struct Session {
    pub cookie: String,
}

/// Signs in with `email` and `pass` from address `addr`. `None` for every kind of failure
/// alike (wrong password, unknown or disabled account, held by the throttles), so that the
/// answer never says which.
pub async fn sign_in(
    state: &AppState,
    submitted: &SubmittedEmail,
    pass: String,
    addr: String,
) -> AppResult<Option<Session>> {
    let now = state.clock.now();
    let email = submitted.as_str().to_string();
    let (e, a) = (email.clone(), addr.clone());
    let held = with_conn(state, move |c| {
        throttle::is_held(c, &e, &a, now).during("checking the sign-in limits")
    })
    .await?;
    // Held, or an address no account can have: refused without any Argon2 work.
    let checked = if held || submitted.too_long() {
        None
    } else {
        let lookup = email.clone();
        let user = with_conn(state, move |c| {
            db::users::find_by_email(c, &lookup).during("looking up the account")
        })
        .await?;
        state
            .hash_gate
            .run(move || match user {
                Some(u) if u.active => {
                    let ok = u
                        .password_hash
                        .as_deref()
                        .is_some_and(|h| password::verify(h, &pass));
                    ok.then_some(u)
                }
                _ => {
                    password::verify_dummy(&pass);
                    None
                }
            })
            .await?
    };
    let Some(user) = checked else {
        // A held sign-in adds nothing: the hold already counts, and a flood must not grow
        // the audit log or the rate table.
        if !held {
            let shown = submitted.for_audit();
            with_conn(state, move |c| {
                throttle::record_failure(c, &email, &addr, now).during("counting a failure")?;
                db::audit::record(c, None, "sign_in_failed", &format!("email={shown}"), now)
                    .during("recording a failure")
            })
            .await?;
        }
        return Ok(None);
    };
    let user_id = user.id;
    let (cookie, _csrf) = with_conn(state, move |c| {
        throttle::record_success(c, &email).during("clearing failures")?;
        db::audit::record(c, Some(user_id), "sign_in", &format!("email={email}"), now)
            .during("recording the sign-in")?;
        db::sessions::create(c, user_id, now).during("creating the session")
    })
    .await?;
    Ok(Some(Session { cookie }))
}

/// Ends the session behind `cookie` everywhere, so that a kept copy is dead too.
pub async fn sign_out(state: &AppState, cookie: String, user_id: i64) -> AppResult<()> {
    let now = state.clock.now();
    with_conn(state, move |c| {
        db::sessions::delete(c, &cookie).during("ending the session")?;
        db::audit::record(c, Some(user_id), "sign_out", "", now).during("recording the sign-out")
    })
    .await
}
