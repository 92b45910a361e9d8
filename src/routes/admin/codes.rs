//! /admin/schools/{school_id}/rounds/{round_id}/codes: POST makes
//! per-student one-time codes; GET prints a letter for every unused one,
//! [`LETTERS_PER_PAGE`] at a time (each letter draws its own QR code).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::codes::{self, Printable};
use crate::auth::session::CurrentUser;
use crate::domain::classes::grade_classes;
use crate::error::{AppError, AppResult};
use crate::publish::letters::code_letters_page;
use crate::routes::support::{read_form, render, see_other};
use crate::routes::survey::html;
use crate::state::State;
use crate::views::admin::{Link, Page, Section};

/// The fields of the code form: the grades ticked, the class range, how many per class.
const FIELDS: [&str; 13] = [
    "classes",
    "per_class",
    "first",
    "last",
    "grade_1",
    "grade_2",
    "grade_3",
    "grade_4",
    "grade_5",
    "grade_6",
    "grade_7",
    "grade_8",
    "grade_9",
];

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let form = read_form(body, &FIELDS).await?;
    let per_class: usize = form
        .get("per_class")
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("每班份数应为 1–200 的整数".into()))?;
    // The page ticks grades and gives a class range; the `classes` text is the CLI's form.
    let classes = match form.get("classes").trim() {
        "" => {
            let grades: Vec<i32> = (1..=9)
                .filter(|g| form.get(&format!("grade_{g}")) == "1")
                .collect();
            let range = |name: &str| form.get(name).trim().parse::<i32>().ok();
            grade_classes(&grades, range("first"), range("last")).map_err(AppError::BadRequest)?
        }
        text => text.to_string(),
    };
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
