//! GET /: what the platform is, for parents and staff who arrive without a school's link.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde::Serialize;

use super::survey::html;
use crate::error::AppResult;
use crate::state::State;

#[derive(Serialize)]
struct HomePage {
    title: &'static str,
}

pub async fn get(state: State) -> AppResult<HttpResponse> {
    let body = state.templates.render(
        "home",
        &HomePage {
            title: "课后服务需求调查平台",
        },
    )?;
    Ok(html(StatusCode::OK, body))
}
