//! GET /s/{slug}/letter: the school's printable A4 letter with its QR code.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::error::AppResult;
use crate::publish::letters;
use crate::routes::survey::{html, load};
use crate::state::State;

pub async fn get(state: State, slug: web::Path<String>) -> AppResult<HttpResponse> {
    let ctx = load(&state, slug.into_inner()).await?;
    let body = letters::school_letter(
        &state.templates,
        &ctx.def,
        &ctx.publication.school_name,
        &state.public_base,
        &ctx.publication.slug,
    )?;
    Ok(html(StatusCode::OK, body))
}
