//! GET /admin/surveys/{survey_key}/export: the draft as a `.toml` file, the same format as
//! the shipped surveys (`docs/survey-format.md`).

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::app::survey_editor;
use crate::error::AppResult;
use crate::routes::support::attachment;
use crate::state::State;

pub async fn get(state: State, key: web::Path<String>) -> AppResult<HttpResponse> {
    let key = key.into_inner();
    let source = survey_editor::export(&state, key.clone()).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/toml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(attachment(format!("{key}.toml"), format!("{key}.toml")))
        .body(source))
}
