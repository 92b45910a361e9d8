//! GET /admin/surveys/{survey_key}/preview: the parent's form rendered from the draft with
//! the same template and view model as `/s/...`, framed on the editor page (so, unlike every
//! other page, it may be framed by this site).

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};

use crate::app::survey_editor;
use crate::error::AppResult;
use crate::routes::survey::form::preview_body;
use crate::routes::CSP;
use crate::state::State;

#[derive(serde::Deserialize)]
pub struct Query {
    /// The page to show, 1-based.
    page: Option<usize>,
}

pub async fn get(
    state: State,
    key: web::Path<String>,
    query: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let key = key.into_inner();
    let body = match survey_editor::preview(&state, key.clone()).await? {
        Ok(def) => {
            let page = query.page.unwrap_or(1).saturating_sub(1);
            (
                StatusCode::OK,
                preview_body(&state, &def, format!("/admin/surveys/{key}/preview"), page)?,
            )
        }
        Err(n) => (
            StatusCode::OK,
            crate::routes::survey::message_body(
                &state,
                "暂时无法预览",
                "问卷预览",
                vec![format!("草稿中还有 {n} 处问题，改正后即可预览。")],
            )?,
        ),
    };
    Ok(HttpResponse::build(body.0)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'"),
        ))
        .insert_header((header::X_FRAME_OPTIONS, "SAMEORIGIN"))
        .body(body.1))
}
