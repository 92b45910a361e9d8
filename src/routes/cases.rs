//! The public page of the typical cases the bureau selected (典型案例), readable on a phone,
//! and their files. Nothing here shows a case that was not selected.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};

use crate::app::cases;
use crate::domain::upload::FileKind;
use crate::error::AppResult;
use crate::routes::survey::html;
use crate::state::State;
use crate::views::cases::{page, Links};

pub async fn list(state: State) -> AppResult<HttpResponse> {
    let selected = cases::selected(&state).await?;
    let p = page(&selected, state.catalog.taxonomy(), Links::Public);
    Ok(html(StatusCode::OK, state.templates.render("cases", &p)?))
}

pub async fn file(state: State, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (kind, bytes) = cases::public_file(&state, path.into_inner()).await?;
    Ok(serve(kind, bytes, "public, max-age=86400"))
}

/// A case's file as a document of its own: a PDF opens in the browser's viewer, never as a
/// page of this site that could run anything.
pub fn serve(kind: FileKind, bytes: Vec<u8>, cache: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(kind.content_type())
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((
            "Content-Security-Policy",
            "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        ))
        .body(bytes)
}
