//! GET /s/{slug}: the cover letter (告家长一封信, or the students' or teachers' own letter) and
//! the consent statement, shown before any question.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::{gate, html, Gate};
use crate::error::AppResult;
use crate::state::State;
use crate::templates::paragraphs;

#[derive(Deserialize)]
pub struct Query {
    pub c: Option<String>,
    /// A computer-room session's code.
    pub k: Option<String>,
}

#[derive(Serialize)]
struct LetterPage<'a> {
    title: &'a str,
    slug: &'a str,
    survey_title: &'a str,
    school_name: &'a str,
    letter: Vec<String>,
    consent: Vec<String>,
    form_action: String,
    code: Option<&'a str>,
    /// What is not collected and how long it takes, in words for whoever answers.
    note: &'static str,
    session: Option<&'a str>,
}

pub async fn get(
    state: State,
    req: actix_web::HttpRequest,
    slug: web::Path<String>,
    query: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let (ctx, code) = match gate(&state, &req, slug.into_inner(), query.c.as_deref()).await? {
        Gate::Open(ctx, code) => (ctx, code),
        Gate::Page(page) => return Ok(page),
    };
    let school = &ctx.publication.school_name;
    let body = state.templates.render(
        "letter",
        &LetterPage {
            slug: &ctx.publication.slug,
            title: &ctx.def.title,
            survey_title: &ctx.def.title,
            school_name: school,
            letter: paragraphs(&ctx.def.letter_for(school)),
            consent: paragraphs(&ctx.def.consent_for(school)),
            form_action: format!("/s/{}/form", ctx.publication.slug),
            code: code.as_ref().map(|c| c.code.as_str()),
            note: ctx.def.respondent.privacy_note(),
            session: query.k.as_deref(),
        },
    )?;
    Ok(html(StatusCode::OK, body))
}
