//! GET /k/{code}: a device opens a computer-room session; while it is open, the students'
//! letter (and then the form) for the session's school, with the code carried along.

use actix_web::{web, HttpResponse};

use super::over_page;
use crate::app::class_sessions;
use crate::domain::class_session::Status;
use crate::error::AppResult;
use crate::routes::support::see_other;
use crate::state::State;

pub async fn get(state: State, code: web::Path<String>) -> AppResult<HttpResponse> {
    let view = class_sessions::find(&state, &code).await?;
    if view.status != Status::Open {
        return over_page(&state, &view.publication.school_name);
    }
    let mut resp = see_other(format!(
        "/s/{}?k={}",
        view.publication.slug, view.session.code
    ));
    resp.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(resp)
}
