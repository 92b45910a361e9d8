//! /admin/schools/{school_id}/rounds/{round_id}/codes: POST makes
//! per-student one-time codes; GET prints a letter for every unused one,
//! [`LETTERS_PER_PAGE`] at a time (each letter draws its own QR code).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::auth::session::CurrentUser;
use crate::db;
use crate::domain::classes::{check_count, parse_classes};
use crate::error::{AppError, AppResult};
use crate::publish::letters::{code_letters_page, paginate};
use crate::routes::support::{read_form, see_other, with_conn};
use crate::routes::survey::html;
use crate::state::State;

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let (school_id, round_id) = path.into_inner();
    let form = read_form(body).await?;
    let classes = parse_classes(form.get("classes")).map_err(AppError::BadRequest)?;
    let per_class: usize = form
        .get("per_class")
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("每班份数应为 1–200 的整数".into()))?;
    check_count(classes.len(), per_class).map_err(AppError::BadRequest)?;
    let uid = user.user.id;
    with_conn(&state, move |c| {
        db::rounds::publication(c, round_id, school_id)?.ok_or(AppError::NotFound)?;
        let made = db::codes::generate(c, round_id, school_id, &classes, per_class, now)?;
        db::audit::record(
            c,
            Some(uid),
            "codes_generated",
            &format!("round={round_id} school={school_id} codes={}", made.len()),
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(see_other(format!(
        "/admin/schools/{school_id}/rounds/{round_id}/codes"
    )))
}

/// Letters (and QR codes) drawn per page: about a class and a half, quick to render.
pub const LETTERS_PER_PAGE: usize = 60;

#[derive(serde::Deserialize)]
pub struct Query {
    page: Option<u32>,
}

pub async fn get(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    q: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let (school_id, round_id) = path.into_inner();
    let uid = user.user.id;
    let wanted = q.page.unwrap_or(1);
    let (publication, codes, pager) = with_conn(&state, move |c| {
        let p = db::rounds::publication(c, round_id, school_id)?.ok_or(AppError::NotFound)?;
        let unused: Vec<_> = db::codes::list_for(c, round_id, school_id)?
            .into_iter()
            .filter(|c| c.used_at.is_none())
            .collect();
        let (codes, pager) = paginate(unused, wanted, LETTERS_PER_PAGE);
        db::audit::record(
            c,
            Some(uid),
            "codes_printed",
            &format!("round={round_id} school={school_id} codes={}", codes.len()),
            now,
        )?;
        Ok((p, codes, pager))
    })
    .await?;
    let st = state.clone();
    let hash = publication.survey_hash.clone();
    let def = with_conn(&state, move |c| Ok(st.catalog.version(c, &hash)?)).await?;
    let body = code_letters_page(
        &state.templates,
        &def,
        &publication.school_name,
        &state.public_base,
        &codes,
        pager,
    )?;
    Ok(html(StatusCode::OK, body))
}
