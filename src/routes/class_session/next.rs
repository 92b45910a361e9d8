//! GET /k/{code}/next: after a student's answer is stored, the device thanks them and offers a
//! clean start to the next one; any draft on the device is cleared.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::over_page;
use crate::app::class_sessions;
use crate::domain::class_session::Status;
use crate::error::AppResult;
use crate::routes::survey::html;
use crate::state::State;

#[derive(Serialize)]
struct NextPage<'a> {
    title: &'a str,
    school_name: &'a str,
    slug: &'a str,
    start: String,
}

pub async fn get(state: State, code: web::Path<String>) -> AppResult<HttpResponse> {
    let view = class_sessions::find(&state, &code).await?;
    if view.status != Status::Open {
        return over_page(&state, &view.publication.school_name);
    }
    let body = state.templates.render(
        "class_next",
        &NextPage {
            title: "提交好了",
            school_name: &view.publication.school_name,
            slug: &view.publication.slug,
            start: format!("/k/{}", view.session.code),
        },
    )?;
    Ok(html(StatusCode::OK, body))
}
