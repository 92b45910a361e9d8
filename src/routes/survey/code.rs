//! GET /c/{code}: the per-student letter's QR code lands here and goes on to
//! its school's survey with the code attached.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};

use crate::domain::token::normalise_code;
use crate::error::{AppError, AppResult};
use crate::routes::support::peer_addr;
use crate::state::State;

pub async fn get(
    state: State,
    req: actix_web::HttpRequest,
    code: web::Path<String>,
) -> AppResult<HttpResponse> {
    let code = normalise_code(&code)
        .ok_or_else(|| AppError::BadRequest("填写码格式不正确，请核对信上印的填写码。".into()))?;
    let slug = crate::app::submission::link_of_code(&state, code.clone(), peer_addr(&req)).await?;
    let slug =
        slug.ok_or_else(|| AppError::BadRequest("填写码不存在，请核对信上印的填写码。".into()))?;
    Ok(HttpResponse::build(StatusCode::SEE_OTHER)
        .insert_header((header::LOCATION, format!("/s/{slug}?c={code}")))
        .finish())
}
