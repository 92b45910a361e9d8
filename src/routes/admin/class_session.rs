//! GET /admin/schools/{school_id}/class-sessions/{code}: the page a teacher projects in the
//! computer room: the session's short address, its code and QR, and the count so far.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::app::class_sessions;
use crate::domain::survey::{class_label, grade_label};
use crate::error::{AppError, AppResult};
use crate::publish::qr;
use crate::routes::survey::html;
use crate::state::State;

#[derive(Serialize)]
struct SessionPage {
    title: String,
    class_name: String,
    school_name: String,
    round_name: String,
    url: String,
    code: String,
    qr: String,
    submitted: i32,
    expected: i32,
    status: &'static str,
    closes: String,
    back: String,
}

/// Seconds between refreshes of the projected page (no script needed).
const REFRESH_SECS: u32 = 15;

pub async fn get(state: State, path: web::Path<(i64, String)>) -> AppResult<HttpResponse> {
    let (school_id, code) = path.into_inner();
    let view = class_sessions::find(&state, &code).await?;
    if view.session.school_id != school_id {
        return Err(AppError::NotFound);
    }
    let s = &view.session;
    let url = format!("{}/k/{}", state.public_base.trim_end_matches('/'), s.code);
    let class_name = format!(
        "{}{}",
        grade_label(u8::try_from(s.grade).unwrap_or(0)),
        class_label(u16::try_from(s.class_no).unwrap_or(0))
    );
    let body = state.templates.render(
        "class_session",
        &SessionPage {
            title: format!("机房填写 · {class_name}"),
            class_name,
            school_name: view.publication.school_name.clone(),
            round_name: view.publication.round_name.clone(),
            qr: qr::inline_svg(&url)?,
            url,
            code: s.code.clone(),
            submitted: s.submitted,
            expected: s.expected,
            status: view.status.label(),
            closes: crate::domain::time::to_local(s.closes_at)
                .format("%H:%M")
                .to_string(),
            back: format!("/admin/schools/{school_id}/rounds/{}", s.round_id),
        },
    )?;
    let mut resp = html(StatusCode::OK, body);
    resp.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("refresh"),
        actix_web::http::header::HeaderValue::from(REFRESH_SECS),
    );
    Ok(resp)
}
