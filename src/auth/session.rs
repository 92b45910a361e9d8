//! The signed-in user of a request, and the session cookie.

use std::future::{ready, Ready};

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::{dev::Payload, FromRequest, HttpMessage, HttpRequest};

use crate::db::users::User;
use crate::error::AppError;

pub const COOKIE: &str = "kehou_sid";

/// Put in the request by the access guard for every route that needs a
/// signed-in user; handlers take it as an extractor.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    /// The session's CSRF token, for the forms a page renders.
    pub csrf: String,
    /// The cookie value, to end this session on logout.
    pub cookie: String,
    /// The path asked for, so the staff menu can show where the user is.
    pub path: String,
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // A handler that asks for a user on a route the table left public is
        // a programming error: refuse rather than serve it anonymously.
        ready(
            req.extensions()
                .get::<CurrentUser>()
                .cloned()
                .ok_or(AppError::Forbidden),
        )
    }
}

/// The session cookie: HttpOnly, SameSite=Strict, and Secure when the
/// public address is https.
pub fn session_cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE, value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::hours(12))
        .finish()
}

/// Whether the site is served over https (`public_url`): then every cookie it sets is
/// `Secure`, so that none of them ever travels in clear.
pub fn is_https(req: &HttpRequest) -> bool {
    req.app_data::<actix_web::web::Data<crate::state::AppState>>()
        .is_some_and(|s| s.public_base.starts_with("https://"))
}

pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut c = session_cookie(String::new(), secure);
    c.make_removal();
    c
}
