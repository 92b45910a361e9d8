//! /admin/schools/{school_id}/rounds/{round_id}/codes: POST makes
//! per-student one-time codes; GET prints a letter for every unused one,
//! [`LETTERS_PER_PAGE`] at a time (each letter draws its own QR code).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::codes::{self, Printable};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::publish::letters::code_letters_page;
use crate::routes::support::{read_form, render, see_other};
use crate::routes::survey::html;
use crate::state::State;
use crate::views::admin::{Link, Page, Section};

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let form = read_form(body, &["classes", "per_class"]).await?;
    let per_class: usize = form
        .get("per_class")
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("每班份数应为 1–200 的整数".into()))?;
    let classes = form.get("classes").to_string();
    codes::generate_as(
        &state,
        round_id,
        school_id,
        classes,
        per_class,
        user.user.id,
    )
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
    let (school_id, round_id) = path.into_inner();
    let wanted = q.page.unwrap_or(1);
    let Printable {
        publication,
        def,
        codes,
        pager,
    } = codes::unused_page(
        &state,
        school_id,
        round_id,
        wanted,
        LETTERS_PER_PAGE,
        user.user.id,
    )
    .await?;
    if codes.is_empty() {
        let back = format!("/admin/schools/{school_id}/rounds/{round_id}");
        let page = Page::for_user(&user, "打印填写码").section(Section {
            paragraphs: vec![format!(
                "{}在本轮没有未使用的填写码，没有可打印的告家长书。请回到本校调查页，在“一生一码”一步按年级、班级生成填写码后再打印。",
                publication.school_name
            )],
            links: vec![Link {
                href: back,
                text: "返回本校调查页".into(),
            }],
            ..Section::default()
        });
        return render(&state, &page, StatusCode::OK);
    }
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
