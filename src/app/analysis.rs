//! A round's demand analysis for the people entitled to it (a school, a
//! township, the city), computed one at a time off the async workers, in the
//! asked format, and recorded in the audit log on every view and download.

use actix_web::web;

use super::with_conn;
use crate::analysis::export::{self, OutputFormat};
use crate::analysis::{self, html, Inputs, NothingToAnalyze, Scope};
use crate::db;
use crate::domain::survey::Respondent;
use crate::error::{AppError, AppResult, During};
use crate::state::State;

/// A computed report: its bytes and the file name's stem for a download. For HTML, `body` is
/// the report's content for the staff layout and `title` its heading.
pub struct Report {
    pub body: Vec<u8>,
    pub file_stem: String,
    pub title: String,
}

/// One school's scope in a round, if the round went to it.
pub async fn school_scope(state: &State, school_id: i64, round_id: i64) -> AppResult<Scope> {
    with_conn(state, move |c| {
        db::rounds::publication(c, round_id, school_id)
            .during("looking up the school's publication")?
            .ok_or(AppError::NotFound)?;
        Ok(Scope::School(
            db::schools::find(c, school_id)
                .during("looking up the school")?
                .ok_or(AppError::NotFound)?
                .code,
        ))
    })
    .await
}

/// One township's scope.
pub async fn township_scope(state: &State, township_id: i64) -> AppResult<Scope> {
    with_conn(state, move |c| {
        db::townships::list(c)
            .during("listing townships")?
            .into_iter()
            .find(|t| t.id == township_id)
            .map(|t| Scope::Township(t.name))
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Computes the report in `format`; every view and download goes into the audit log.
pub async fn report(
    state: &State,
    user_id: i64,
    round_id: i64,
    scope: Scope,
    format: OutputFormat,
    compare_to: Option<i64>,
    back: String,
) -> AppResult<Report> {
    let now = state.clock.now();
    let worker = state.clone();
    // One analysis at a time (a city run holds a few hundred MB), a few waiting, then 503.
    let _turn = state.analysis_queue.join()?.turn().await?;
    web::block(move || -> AppResult<Report> {
        let mut conn = worker.pool.get()?;
        let versions = worker.catalog.versions();
        let min_cell = worker.settings.min_cell;
        let inputs =
            Inputs::load(&mut conn, &versions, round_id, scope.clone()).map_err(not_found)?;
        let low_rate = worker.settings.analysis.low_rate_percent;
        let mut report = analysis::run(&inputs, min_cell, low_rate)?;
        if let Some(earlier) = compare_to {
            analysis::add_changes(&mut conn, &versions, &mut report, earlier, &inputs.scope)
                .map_err(not_found)?;
        }
        // The students' and teachers' surveys asked in the same round, beside the parents'.
        let mut others = (None, None);
        for companion in
            db::rounds::companions(&mut conn, round_id).during("looking up companion rounds")?
        {
            let theirs = Inputs::load(&mut conn, &versions, companion.id, scope.clone())
                .map_err(not_found)?;
            let run = analysis::run(&theirs, min_cell, low_rate)?;
            match theirs.definition.respondent {
                Respondent::Student => others.0 = Some(run),
                Respondent::Teacher => others.1 = Some(run),
                Respondent::Parent => {}
            }
        }
        if others.0.is_some() || others.1.is_some() {
            report.voices =
                analysis::voices::side_by_side(&report, others.0.as_ref(), others.1.as_ref());
        }
        let stem = format!("需求分析-第{}轮-{}", report.round_id, report.scope);
        let body = match format {
            OutputFormat::Html => {
                let suffix = compare_to.map_or(String::new(), |r| format!("&compare_to={r}"));
                let mut links = vec![
                    ("← 返回上一页".to_string(), back),
                    ("下载 Excel".into(), format!("?format=xlsx{suffix}")),
                    (
                        "表格文本（CSV，逗号分隔）".into(),
                        format!("?format=csv{suffix}"),
                    ),
                    (
                        "数据分析文件（Parquet，供统计软件使用）".into(),
                        format!("?format=parquet{suffix}"),
                    ),
                    (
                        "数据接口（JSON，供其他系统读取）".into(),
                        format!("?format=json{suffix}"),
                    ),
                ];
                // Rounds over time: the earlier rounds these schools took part in.
                let mine: std::collections::HashSet<i64> =
                    inputs.schools.iter().map(|s| s.id).collect();
                for r in db::rounds::list(&mut conn)
                    .during("listing rounds")?
                    .into_iter()
                    .filter(|r| r.id != round_id && Some(r.id) != compare_to)
                    .take(6)
                {
                    let shared = db::analysis::round_schools(&mut conn, r.id)
                        .during("listing a round's schools")?
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
                html::body(&report, &export::titles(&inputs.definition), &links).into_bytes()
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
        )
        .during("recording the analysis view")?;
        Ok(Report {
            body,
            file_stem: stem,
            title: html::title(&report),
        })
    })
    .await?
}

/// A round, school or township the analysis cannot find is a 404; anything else is unexpected.
fn not_found(e: anyhow::Error) -> AppError {
    if e.downcast_ref::<NothingToAnalyze>().is_some() {
        AppError::NotFound
    } else {
        AppError::Unexpected(e)
    }
}
