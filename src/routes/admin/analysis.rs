//! The demand analysis of a round, for the people entitled to it: a school's own report (its
//! staff, its township officer, the bureau; no suppression), a township's (its officer, the
//! bureau) and the city's (the bureau). The printable HTML report by default; `?format=xlsx`,
//! `csv`, `parquet` or `json` downloads the same report — the JSON is the read-only API
//! documented in docs/analysis.md. `?compare_to=R` adds the change since round R.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::analysis::export::{self, OutputFormat};
use crate::analysis::{self, html, Inputs, NothingToAnalyze, Scope};
use crate::auth::session::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::routes::support::attachment;
use crate::startup::State;

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
    let code = crate::routes::support::with_conn(&state, move |c| {
        db::rounds::publication(c, round_id, school_id)?.ok_or(AppError::NotFound)?;
        Ok(db::schools::find(c, school_id)?
            .ok_or(AppError::NotFound)?
            .code)
    })
    .await?;
    let back = format!("/admin/schools/{school_id}/rounds/{round_id}");
    respond(
        state,
        user.user.id,
        round_id,
        Scope::School(code),
        query.into_inner(),
        back,
    )
    .await
}

/// GET /admin/townships/{township_id}/rounds/{round_id}/analysis
pub async fn township(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    query: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let (township_id, round_id) = path.into_inner();
    let name = crate::routes::support::with_conn(&state, move |c| {
        db::townships::list(c)?
            .into_iter()
            .find(|t| t.id == township_id)
            .map(|t| t.name)
            .ok_or(AppError::NotFound)
    })
    .await?;
    let back = format!("/admin/coverage?round={round_id}");
    respond(
        state,
        user.user.id,
        round_id,
        Scope::Township(name),
        query.into_inner(),
        back,
    )
    .await
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
        user.user.id,
        round_id,
        Scope::City,
        query.into_inner(),
        back,
    )
    .await
}

/// Computes the report and answers it in `format`; every view and download goes into the
/// audit log.
async fn respond(
    state: State,
    user_id: i64,
    round_id: i64,
    scope: Scope,
    query: Query,
    back: String,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let format = query.format.unwrap_or(OutputFormat::Html);
    let compare_to = query.compare_to;
    let worker = state.clone();
    let _turn = state.analysis_queue.join()?.turn().await?;
    let (body, file_stem) = web::block(move || -> AppResult<(Vec<u8>, String)> {
        let mut conn = worker.pool.get()?;
        let versions = worker.catalog.versions();
        let min_cell = worker.settings.min_cell;
        let inputs = Inputs::load(&mut conn, &versions, round_id, scope).map_err(not_found)?;
        let mut report = analysis::off_runtime(|| analysis::engine::compute(&inputs, min_cell))?;
        if let Some(earlier) = compare_to {
            analysis::add_changes(&mut conn, &versions, &mut report, earlier, &inputs.scope)
                .map_err(not_found)?;
        }
        let stem = format!("需求分析-第{}轮-{}", report.round_id, report.scope);
        let body = match format {
            OutputFormat::Html => {
                let suffix = compare_to.map_or(String::new(), |r| format!("&compare_to={r}"));
                let mut links = vec![
                    ("← 返回".to_string(), back),
                    ("下载 Excel".into(), format!("?format=xlsx{suffix}")),
                    ("下载 CSV".into(), format!("?format=csv{suffix}")),
                    ("Parquet".into(), format!("?format=parquet{suffix}")),
                    ("JSON".into(), format!("?format=json{suffix}")),
                ];
                // Rounds over time: the earlier rounds these schools took part in.
                let mine: std::collections::HashSet<i64> =
                    inputs.schools.iter().map(|s| s.id).collect();
                for r in db::rounds::list(&mut conn)?
                    .into_iter()
                    .filter(|r| r.id != round_id && Some(r.id) != compare_to)
                    .take(6)
                {
                    let shared = db::analysis::round_schools(&mut conn, r.id)?
                        .iter()
                        .any(|s| mine.contains(&s.id));
                    if shared {
                        links.push((
                            format!("与“{}”比较", r.name),
                            format!("?compare_to={}", r.id),
                        ));
                    }
                }
                let links: Vec<(&str, String)> =
                    links.iter().map(|(l, h)| (l.as_str(), h.clone())).collect();
                html::render(&report, &links).into_bytes()
            }
            _ => export::render(&report, &export::titles(&inputs.definition), format)?,
        };
        let (action, scope) = (
            if format == OutputFormat::Html {
                "analysis_view"
            } else {
                "analysis_export"
            },
            &report.scope,
        );
        db::audit::record(
            &mut conn,
            Some(user_id),
            action,
            &format!(
                "round={round_id} scope={scope} format={}",
                format.extension()
            ),
            now,
        )?;
        Ok((body, stem))
    })
    .await??;
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

/// A round, school or township the analysis cannot find is a 404; anything else is unexpected.
fn not_found(e: anyhow::Error) -> AppError {
    if e.downcast_ref::<NothingToAnalyze>().is_some() {
        AppError::NotFound
    } else {
        AppError::Unexpected(e)
    }
}
