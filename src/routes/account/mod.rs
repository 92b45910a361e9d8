//! Staff accounts: sign-in and out, one-time links to set a password
//! (invitation, reset), and changing one's password.

pub mod change_password;
pub mod login;
pub mod logout;
pub mod reset;
pub mod set_password;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::HttpRequest;

use crate::domain::token::random_token;

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
