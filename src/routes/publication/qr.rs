//! GET /s/{slug}/qr.png and /qr.svg: the QR code of a school's public link.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::error::AppResult;
use crate::publish::{qr, school_url};
use crate::routes::survey::load;
use crate::state::State;

/// PNG side in pixels: sharp enough to print at 40 mm and to share in WeChat.
const PNG_MIN_PX: u32 = 600;

async fn url_for(state: &State, slug: String) -> AppResult<String> {
    let ctx = load(state, slug).await?;
    Ok(school_url(&state.public_base, &ctx.publication.slug))
}

pub async fn png(state: State, slug: web::Path<String>) -> AppResult<HttpResponse> {
    let url = url_for(&state, slug.into_inner()).await?;
    let bytes = web::block(move || qr::png(&url, PNG_MIN_PX)).await??;
    Ok(HttpResponse::Ok()
        .content_type("image/png")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(bytes))
}

pub async fn svg(state: State, slug: web::Path<String>) -> AppResult<HttpResponse> {
    let url = url_for(&state, slug.into_inner()).await?;
    let doc = qr::svg(&url)?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(doc))
}
