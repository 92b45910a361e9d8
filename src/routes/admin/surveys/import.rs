//! POST /admin/surveys/{survey_key}/import: an uploaded `.toml` replaces the draft when the
//! linter accepts it; a bad file is refused with its problems and nothing is kept.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;

use super::render_editor;
use crate::app::survey_editor;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::routes::support::read_body;
use crate::state::State;

/// The largest survey file taken (the shipped ones are a few kilobytes).
const MAX_FILE: usize = 256 * 1024;

pub async fn post(
    state: State,
    user: CurrentUser,
    key: web::Path<String>,
    mut form: Multipart,
) -> AppResult<HttpResponse> {
    let key = key.into_inner();
    let mut file = None;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(AppError::unreadable)?;
        if field.name() == Some("file") {
            file = Some(read_body(&mut field, MAX_FILE).await?);
        }
    }
    let bytes = file.ok_or_else(|| AppError::BadRequest("请选择问卷文件。".into()))?;
    let result = survey_editor::import(&state, key.clone(), bytes, user.user.id).await?;
    let e = survey_editor::open(&state, key.clone()).await?;
    let pages = survey_editor::preview(&state, key)
        .await?
        .map_or(0, |d| d.page_count());
    match result {
        Ok(()) => render_editor(
            &state,
            &user,
            &e,
            Some("已导入到草稿，检查无误后请点“保存为新版本”。".into()),
            Vec::new(),
            pages,
            StatusCode::OK,
        ),
        Err(problems) => render_editor(
            &state,
            &user,
            &e,
            None,
            problems,
            pages,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}
