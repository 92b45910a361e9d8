//! Staff accounts: sign-in and out, one-time links to set a password
//! (invitation, reset), and changing one's password.

pub mod change_password;
pub mod login;
pub mod logout;
pub mod reset;
pub mod set_password;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::domain::token::random_token;
use crate::error::{AppError, AppResult};
use crate::routes::support::{read_form, render, Fields};
use crate::state::State;
use crate::views::admin::Page;

/// Cookie for the sign-in form's CSRF token (there is no session yet, so
/// the token is double-submitted: cookie and hidden field must match).
pub const PRE_COOKIE: &str = "kehou_pre";

pub fn pre_token(req: &HttpRequest) -> (String, Option<Cookie<'static>>) {
    match req.cookie(PRE_COOKIE) {
        Some(c) if c.value().len() == 32 => (c.value().to_string(), None),
        _ => {
            let t = random_token(32);
            let cookie = Cookie::build(PRE_COOKIE, t.clone())
                .path("/")
                .http_only(true)
                .secure(crate::auth::session::is_https(req))
                .same_site(SameSite::Strict)
                .finish();
            (t, Some(cookie))
        }
    }
}

pub fn pre_token_matches(req: &HttpRequest, submitted: &str) -> bool {
    req.cookie(PRE_COOKIE)
        .is_some_and(|c| !submitted.is_empty() && c.value() == submitted)
}

/// Renders a page whose form needs the pre-session token (setting the cookie
/// on first visit); `page` gets the token to put in the form.
pub fn render_public_form(
    state: &State,
    req: &HttpRequest,
    page: impl FnOnce(&str) -> Page,
) -> AppResult<HttpResponse> {
    let (csrf, cookie) = pre_token(req);
    let mut resp = render(state, &page(&csrf), StatusCode::OK)?;
    if let Some(c) = cookie {
        resp.add_cookie(&c)
            .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    }
    Ok(resp)
}

/// Reads a form posted without a session, refusing it unless it carries the
/// token of its own cookie.
pub async fn read_public_form(
    req: &HttpRequest,
    body: web::Payload,
    allowed: &[&str],
) -> AppResult<Fields> {
    let form = read_form(body, allowed).await?;
    if !pre_token_matches(req, form.get("csrf")) {
        return Err(AppError::Csrf);
    }
    Ok(form)
}
