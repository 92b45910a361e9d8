//! The demand analysis of a round, for the people entitled to it: a school's own report (its
//! staff, its township officer, the bureau; no suppression), a township's (its officer, the
//! bureau) and the city's (the bureau). The printable HTML report by default; `?format=xlsx`,
//! `csv`, `parquet` or `json` downloads the same report — the JSON is the read-only API
//! documented in docs/analysis.md. `?compare_to=R` adds the change since round R.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::analysis::export::OutputFormat;
use crate::analysis::Scope;
use crate::app::analysis::{self, Report};
use crate::auth::session::CurrentUser;
use crate::error::AppResult;
use crate::routes::support::{attachment, render};
use crate::state::State;
use crate::views::admin::Page;

#[derive(Debug, Deserialize)]
pub struct Query {
    format: Option<OutputFormat>,
    compare_to: Option<i64>,
}

/// GET /admin/schools/{school_id}/rounds/{round_id}/analysis
pub async fn school(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    query: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let scope = analysis::school_scope(&state, school_id, round_id).await?;
    let back = format!("/admin/schools/{school_id}/rounds/{round_id}");
    respond(state, &user, round_id, scope, query.into_inner(), back).await
}

/// GET /admin/townships/{township_id}/rounds/{round_id}/analysis
pub async fn township(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    query: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let (township_id, round_id) = path.into_inner();
    let scope = analysis::township_scope(&state, township_id).await?;
    let back = format!("/admin/coverage?round={round_id}");
    respond(state, &user, round_id, scope, query.into_inner(), back).await
}

/// GET /admin/rounds/{round_id}/analysis
pub async fn city(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    query: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let round_id = path.into_inner();
    let back = format!("/admin/coverage?round={round_id}");
    respond(
        state,
        &user,
        round_id,
        Scope::City,
        query.into_inner(),
        back,
    )
    .await
}

/// Answers the report in the asked format (HTML by default).
async fn respond(
    state: State,
    user: &CurrentUser,
    round_id: i64,
    scope: Scope,
    query: Query,
    back: String,
) -> AppResult<HttpResponse> {
    let format = query.format.unwrap_or(OutputFormat::Html);
    let Report {
        body,
        file_stem,
        title,
    } = analysis::report(
        &state,
        user.user.id,
        round_id,
        scope,
        format,
        query.compare_to,
        back,
    )
    .await?;
    if format == OutputFormat::Html {
        // The report inside the staff layout: the same menu as every staff page.
        let mut page = Page::for_user(user, title);
        page.report = Some(String::from_utf8_lossy(&body).into_owned());
        page.report_css = Some(crate::analysis::html::page_css());
        return render(&state, &page, StatusCode::OK);
    }
    let mut resp = HttpResponse::Ok();
    resp.content_type(format.content_type())
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if format != OutputFormat::Html {
        let ext = format.extension();
        resp.insert_header(attachment(
            format!("analysis-round-{round_id}.{ext}"),
            format!("{file_stem}.{ext}"),
        ));
    }
    Ok(resp.body(body))
}
