//! /admin/schools/{school_id}/rounds/{round_id}/paper: the school's screen for typing in
//! returned paper reply slips, one per screen. GET shows an empty slip; POST stores one and
//! comes back to an empty screen, or shows the same slip again with every answer kept and the
//! message beside what is wrong.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::paper::{self, Entered, EntryForm};
use crate::auth::session::CurrentUser;
use crate::domain::form_body;
use crate::domain::survey::{FieldErrors, FormInput};
use crate::error::{AppError, AppResult};
use crate::routes::support::{read_body, see_other};
use crate::routes::survey::html;
use crate::state::State;
use crate::views::admin::Page;
use crate::views::paper_entry::{questions, EntryPage};

/// The largest body the entry screen can honestly send.
const MAX_BODY_BYTES: usize = 32 * 1024;

#[derive(serde::Deserialize)]
pub struct Query {
    saved: Option<String>,
}

/// What the screen shows besides the questions.
struct Shown<'a> {
    serial: &'a str,
    notice: Option<String>,
    error: Option<String>,
    errors: Option<&'a FieldErrors>,
}

fn page(
    state: &State,
    user: &CurrentUser,
    form: &EntryForm,
    input: &FormInput,
    shown: Shown<'_>,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let p = &form.link.publication;
    let mut page = Page::for_user(
        user,
        format!("录入纸质回执 · {} · {}", p.school_name, p.round_name),
    );
    page.notice = shown.notice;
    page.error = shown.error;
    let view = EntryPage {
        page,
        action: format!("/admin/schools/{}/rounds/{}/paper", p.school_id, p.round_id),
        serial: shown.serial.to_string(),
        questions: questions(&form.slip, form.level(), input, shown.errors),
        batch: String::new(),
        pass: String::new(),
    };
    Ok(html(status, state.templates.render("paper_entry", &view)?))
}

pub async fn get(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    q: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let form = paper::form(&state, round_id, school_id).await?;
    let notice = q.saved.as_deref().map(|s| {
        let s: String = s.chars().take(30).collect();
        format!("编号 {s} 的回执已保存。请录入下一张。")
    });
    let shown = Shown {
        serial: "",
        notice,
        error: None,
        errors: None,
    };
    page(
        &state,
        &user,
        &form,
        &FormInput::default(),
        shown,
        StatusCode::OK,
    )
}

/// The serial and the answers of a posted slip; any other field is refused.
fn split(pairs: Vec<(String, String)>) -> AppResult<(String, Vec<(String, String)>)> {
    let mut serial = None;
    let mut answers = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "csrf" => {}
            "serial" if serial.is_none() => serial = Some(v),
            _ if k.starts_with("q.") => answers.push((k, v)),
            _ => {
                return Err(AppError::BadRequest(format!(
                    "提交的内容包含无法识别的字段：{}",
                    k.chars().take(40).collect::<String>()
                )))
            }
        }
    }
    Ok((serial.unwrap_or_default(), answers))
}

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let body = read_body(body, MAX_BODY_BYTES).await?;
    let pairs = form_body::parse(&body).map_err(|e| AppError::BadRequest(e.message()))?;
    let (serial, answers) = split(pairs)?;
    let ids = (round_id, school_id);
    let (form, entered) =
        paper::enter(&state, ids, serial.clone(), answers.clone(), user.user.id).await?;
    // What was typed, kept for the screen (answers to questions not on the slip are dropped).
    let kept: Vec<(String, String)> = answers
        .into_iter()
        .filter(|(k, _)| form.slip.question(&k[2..]).is_some())
        .collect();
    let input = FormInput::from_pairs(&form.slip, kept).unwrap_or_default();
    let (error, errors) = match &entered {
        Entered::Stored(s) => {
            return Ok(see_other(format!(
                "/admin/schools/{school_id}/rounds/{round_id}/paper?saved={s}"
            )))
        }
        Entered::Refused(why) => (why.clone(), None),
        Entered::Invalid(e) => (
            format!("这张回执有 {} 道题需要核对，请看标红的题目。", e.len()),
            Some(e),
        ),
    };
    let shown = Shown {
        serial: &serial,
        notice: None,
        error: Some(error),
        errors,
    };
    page(
        &state,
        &user,
        &form,
        &input,
        shown,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}
