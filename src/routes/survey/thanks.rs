//! GET /s/{slug}/thanks: the closing message after a stored response.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::{html, load};
use crate::error::AppResult;
use crate::state::State;
use crate::templates::paragraphs;

#[derive(Serialize)]
struct ThanksPage<'a> {
    title: &'a str,
    slug: &'a str,
    school_name: &'a str,
    closing: Vec<String>,
    draft_key: &'a str,
}

pub async fn get(state: State, slug: web::Path<String>) -> AppResult<HttpResponse> {
    let ctx = load(&state, slug.into_inner()).await?;
    let school = &ctx.publication.school_name;
    let body = state.templates.render(
        "thanks",
        &ThanksPage {
            slug: &ctx.publication.slug,
            title: "提交成功",
            school_name: school,
            closing: paragraphs(&ctx.def.closing_for(school)),
            draft_key: &ctx.publication.slug,
        },
    )?;
    Ok(html(StatusCode::OK, body))
}
