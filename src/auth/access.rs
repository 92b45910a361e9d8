//! The one place where access is checked. Each route in the route table has
//! an [`Access`] level; [`guard`] wraps it and, before the handler runs:
//! resolves the session, checks the role, checks that a `{school_id}`,
//! `{township_id}`, `{complaint_id}` or `{case_id}` in the path is within the user's reach
//! (404 if not, so nothing is revealed), and checks the CSRF token of every POST.

use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};
use futures_util::StreamExt;

use super::multipart_csrf;
use super::session::{CurrentUser, COOKIE};
use crate::db;
use crate::domain::account::Role;
use crate::domain::form_body;
use crate::error::AppError;
use crate::state::AppState;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Access {
    /// Anyone: parents' pages, sign-in, health.
    Public,
    /// Any signed-in staff account (path scope still applies).
    Staff,
    /// A school's own administrators and the bureau: what changes a school's plan or makes
    /// and prints its one-time codes. Township officers view and remind, nothing more.
    SchoolStaff,
    /// Township officers and the bureau.
    Township,
    /// The bureau only.
    Bureau,
}

impl Access {
    pub fn admits(self, role: Role) -> bool {
        match self {
            Access::Public | Access::Staff => true,
            Access::SchoolStaff => matches!(role, Role::School | Role::Bureau),
            Access::Township => matches!(role, Role::Township | Role::Bureau),
            Access::Bureau => role == Role::Bureau,
        }
    }
}

/// Largest url-encoded form body the CSRF check reads (roster uploads are multipart: only
/// their first part, the token, is read here).
const MAX_FORM_BYTES: usize = 1024 * 1024;

type GuardResult = Result<ServiceResponse<EitherBody<BoxBody>>, actix_web::Error>;

pub async fn guard(access: Access, req: ServiceRequest, next: Next<BoxBody>) -> GuardResult {
    if let Some(state) = state(&req) {
        state
            .forwarded_watch
            .observe(req.request(), &state.settings.trusted_proxies);
    }
    if access == Access::Public {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    match check(access, req).await {
        Ok(req) => Ok(next.call(req).await?.map_into_left_body()),
        Err((req, resp)) => Ok(ServiceResponse::new(req, resp).map_into_right_body()),
    }
}

fn state(req: &ServiceRequest) -> Option<web::Data<AppState>> {
    req.app_data::<web::Data<AppState>>().cloned()
}

async fn check(
    access: Access,
    mut req: ServiceRequest,
) -> Result<ServiceRequest, (actix_web::HttpRequest, HttpResponse)> {
    let fail = |req: ServiceRequest, e: AppError| {
        let (r, _) = req.into_parts();
        (r, e.error_response())
    };
    let Some(state) = state(&req) else {
        return Err(fail(
            req,
            AppError::Unexpected(anyhow::anyhow!("no app state")),
        ));
    };
    let cookie = req.cookie(COOKIE).map(|c| c.value().to_string());
    let resolved = match cookie.clone() {
        Some(c) => {
            let (pool, now) = (state.pool.clone(), state.clock.now());
            web::block(move || -> Result<_, AppError> {
                let mut conn = pool.get()?;
                Ok(db::sessions::resolve(&mut conn, &c, now)?)
            })
            .await
            .map_err(AppError::from)
            .and_then(|r| r)
        }
        None => Ok(None),
    };
    let (session, user) = match resolved {
        Ok(Some(found)) => found,
        Ok(None) => {
            let resp = if req.method() == Method::GET {
                HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, login_redirect(&req)))
                    .finish()
            } else {
                AppError::Forbidden.error_response()
            };
            let (r, _) = req.into_parts();
            return Err((r, resp));
        }
        Err(e) => return Err(fail(req, e)),
    };
    if !access.admits(user.role()) {
        return Err(fail(req, AppError::Forbidden));
    }
    if let Err(e) = check_scope(&state, &req, &user).await {
        return Err(fail(req, e));
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        match csrf_ok(&mut req, &session.csrf_token).await {
            Ok(true) => {}
            Ok(false) => return Err(fail(req, AppError::Csrf)),
            Err(e) => return Err(fail(req, e)),
        }
    }
    req.extensions_mut().insert(CurrentUser {
        user,
        csrf: session.csrf_token,
        cookie: cookie.unwrap_or_default(),
        path: req.path().to_string(),
    });
    Ok(req)
}

/// `/login?next=<this path>`, so that signing in returns here.
fn login_redirect(req: &ServiceRequest) -> String {
    let path = req.uri().path_and_query().map_or("/admin", |p| p.as_str());
    let next: String = crate::domain::form_body::encode(path);
    format!("/login?next={next}")
}

/// A `{school_id}`, `{township_id}`, `{complaint_id}` or `{case_id}` in the path must be
/// within reach: the bureau reaches all, a township officer the schools (and
/// complaints and cases) of its township, a school administrator its own
/// school and its complaints and cases. Anything else is a 404.
async fn check_scope(
    state: &web::Data<AppState>,
    req: &ServiceRequest,
    user: &db::users::User,
) -> Result<(), AppError> {
    let role = user.role();
    if let Some(raw) = req.match_info().get("township_id") {
        let id: i64 = raw.parse().map_err(|_| AppError::NotFound)?;
        match role {
            Role::Bureau => {}
            Role::Township if user.township_id == Some(id) => {}
            _ => return Err(AppError::NotFound),
        }
    }
    if let Some(raw) = req.match_info().get("school_id") {
        let id: i64 = raw.parse().map_err(|_| AppError::NotFound)?;
        let pool = state.pool.clone();
        let school = web::block(move || -> Result<_, AppError> {
            let mut conn = pool.get()?;
            Ok(db::schools::find(&mut conn, id)?)
        })
        .await??
        .ok_or(AppError::NotFound)?;
        let reachable = match role {
            Role::Bureau => true,
            Role::Township => user.township_id == Some(school.township_id),
            Role::School => user.school_id == Some(school.id),
        };
        if !reachable {
            return Err(AppError::NotFound);
        }
    }
    if let Some(raw) = req.match_info().get("complaint_id") {
        let id: i64 = raw.parse().map_err(|_| AppError::NotFound)?;
        let pool = state.pool.clone();
        let c = web::block(move || -> Result<_, AppError> {
            let mut conn = pool.get()?;
            Ok(db::complaints::reach(&mut conn, id)?)
        })
        .await??
        .ok_or(AppError::NotFound)?;
        let reachable = match role {
            Role::Bureau => true,
            Role::Township => user.township_id.is_some() && user.township_id == c.township_id,
            // A school's once assigned to it.
            Role::School => user.school_id.is_some() && user.school_id == c.school_id && !c.new,
        };
        if !reachable {
            return Err(AppError::NotFound);
        }
    }
    if let Some(raw) = req.match_info().get("case_id") {
        let id: i64 = raw.parse().map_err(|_| AppError::NotFound)?;
        let pool = state.pool.clone();
        let (school, township) = web::block(move || -> Result<_, AppError> {
            let mut conn = pool.get()?;
            Ok(db::cases::reach(&mut conn, id)?)
        })
        .await??
        .ok_or(AppError::NotFound)?;
        let reachable = match role {
            Role::Bureau => true,
            Role::Township => user.township_id == Some(township),
            Role::School => user.school_id == Some(school),
        };
        if !reachable {
            return Err(AppError::NotFound);
        }
    }
    Ok(())
}

/// Whether the request carries the session's CSRF token as a `csrf` field of its
/// url-encoded form body, or as the first part of a multipart one. Never in the query
/// string: a URL ends up in logs and history. The body is read and put back for the
/// handler.
async fn csrf_ok(req: &mut ServiceRequest, expected: &str) -> Result<bool, AppError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if let Some(boundary) = multipart_csrf::boundary(&content_type) {
        return multipart_csrf::check(req, &boundary, |t| constant_time_eq(t, expected)).await;
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Ok(false);
    }
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(AppError::unreadable)?;
        if body.len() + chunk.len() > MAX_FORM_BYTES {
            return Err(AppError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let token = form_body::parse(&body)
        .map_err(|e| AppError::BadRequest(e.message()))?
        .into_iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v);
    req.set_payload(Payload::from(body));
    Ok(token.is_some_and(|t| constant_time_eq(&t, expected)))
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
