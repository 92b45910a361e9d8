//! GET /admin/surveys/{survey_key} shows a web survey's editor; POST takes the page's
//! fields and one button (move, remove or add a question, keep the draft, or save it as a
//! new version) and shows the page again.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::render_editor;
use crate::app::survey_editor::{self, Editing};
use crate::auth::session::CurrentUser;
use crate::domain::survey_editor::{EditSurvey, QUESTION_FIELDS, SURVEY_FIELDS};
use crate::error::AppResult;
use crate::routes::support::read_form_matching;
use crate::state::State;

/// The most questions one survey may have on the page.
const MAX_QUESTIONS: usize = 200;

/// How many pages the preview has, or none when the draft has problems.
async fn preview_pages(state: &State, key: &str) -> AppResult<usize> {
    Ok(survey_editor::preview(state, key.to_string())
        .await?
        .map_or(0, |d| d.page_count()))
}

pub async fn get(
    state: State,
    user: CurrentUser,
    key: web::Path<String>,
) -> AppResult<HttpResponse> {
    let key = key.into_inner();
    let e = survey_editor::open(&state, key.clone()).await?;
    let pages = preview_pages(&state, &key).await?;
    render_editor(&state, &user, &e, None, Vec::new(), pages, StatusCode::OK)
}

/// Whether `name` is a field of the editor form.
fn known(name: &str) -> bool {
    if SURVEY_FIELDS.contains(&name) || ["count", "do", "new_type", "order"].contains(&name) {
        return true;
    }
    name.strip_prefix('q')
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(i, field)| {
            i.parse::<usize>().is_ok_and(|i| i < MAX_QUESTIONS) && QUESTION_FIELDS.contains(&field)
        })
}

pub async fn post(
    state: State,
    user: CurrentUser,
    key: web::Path<String>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let key = key.into_inner();
    let form = read_form_matching(body, known, |n| n.ends_with(".show_at")).await?;
    let count = form
        .get("count")
        .parse::<usize>()
        .unwrap_or(0)
        .min(MAX_QUESTIONS);
    let mut edit = EditSurvey::from_form(
        &key,
        |n| form.get(n).to_string(),
        |n| form.all(n).into_iter().map(String::from).collect(),
        count,
    );
    let order: Vec<usize> = form
        .get("order")
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    if !order.is_empty() {
        edit.reorder(&order);
    }
    let action = form.get("do");
    let at = |prefix: &str| {
        action
            .strip_prefix(prefix)
            .and_then(|i| i.parse::<usize>().ok())
    };
    let mut notice = None;
    let (e, status): (Editing, StatusCode) = if action == "save" {
        let (saved, e) = survey_editor::save(&state, key.clone(), edit, user.user.id).await?;
        if saved {
            notice = Some("已保存为新版本，可以在“调查轮次”中发布。".into());
            (e, StatusCode::OK)
        } else {
            (e, StatusCode::UNPROCESSABLE_ENTITY)
        }
    } else {
        if action == "add" {
            edit.add(form.get("new_type"));
        } else if let Some(i) = at("up.") {
            edit.shift(i, true);
        } else if let Some(i) = at("down.") {
            edit.shift(i, false);
        } else if let Some(i) = at("del.") {
            edit.remove(i);
        }
        let e = survey_editor::keep(&state, key.clone(), edit, user.user.id).await?;
        notice = Some("草稿已更新。".into());
        (e, StatusCode::OK)
    };
    let pages = preview_pages(&state, &key).await?;
    render_editor(&state, &user, &e, notice, Vec::new(), pages, status)
}
