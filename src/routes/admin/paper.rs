//! /admin/schools/{school_id}/rounds/{round_id}/paper: the school's screen for typing in
//! returned paper reply slips, one per screen. GET shows an empty slip; POST stores one and
//! comes back to an empty screen, or shows the same slip again with every answer kept and the
//! message beside what is wrong. With `batch` and `pass` (double entry) a slip is kept in its
//! batch instead, until the batch is compared (see `paper_compare`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::double_entry::{self, batch_name, pass_of};
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
    batch: Option<String>,
    pass: Option<String>,
}

/// The double-entry batch and pass a request names, checked; `None` when it names none.
fn double(batch: Option<&str>, pass: Option<&str>) -> AppResult<Option<(String, i32)>> {
    let Some(raw) = batch.filter(|b| !b.trim().is_empty()) else {
        return Ok(None);
    };
    let name = batch_name(raw).map_err(AppError::BadRequest)?;
    let pass = pass
        .and_then(pass_of)
        .ok_or_else(|| AppError::BadRequest("请选择第一遍或第二遍。".into()))?;
    Ok(Some((name, pass)))
}

/// What the screen shows besides the questions.
struct Shown<'a> {
    serial: &'a str,
    notice: Option<String>,
    error: Option<String>,
    errors: Option<&'a FieldErrors>,
    double: Option<&'a (String, i32)>,
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
    page.notice = shown.notice.or_else(|| {
        shown.double.map(|(b, p)| {
            format!(
                "双人录入：批次“{b}”第{p}遍。录入的回执先保存在本批次中，两遍都录完后再核对入库。"
            )
        })
    });
    page.error = shown.error;
    let view = EntryPage {
        page,
        action: format!("/admin/schools/{}/rounds/{}/paper", p.school_id, p.round_id),
        serial: shown.serial.to_string(),
        questions: questions(&form.slip, form.level(), input, shown.errors),
        batch: shown.double.map(|d| d.0.clone()).unwrap_or_default(),
        pass: shown.double.map(|d| d.1.to_string()).unwrap_or_default(),
        aside: None,
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
    let double = double(q.batch.as_deref(), q.pass.as_deref())?;
    let form = paper::form(&state, round_id, school_id).await?;
    let notice = q.saved.as_deref().map(|s| {
        let s: String = s.chars().take(30).collect();
        match &double {
            Some((b, p)) => format!("编号 {s} 的回执已记入批次“{b}”第{p}遍。请录入下一张。"),
            None => format!("编号 {s} 的回执已保存。请录入下一张。"),
        }
    });
    let shown = Shown {
        serial: "",
        notice,
        error: None,
        errors: None,
        double: double.as_ref(),
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

/// The typed fields of a posted slip besides its answers.
#[derive(Default)]
struct Meta {
    serial: Option<String>,
    batch: Option<String>,
    pass: Option<String>,
}

/// The serial (and batch and pass) and the answers of a posted slip; any other field is refused.
fn split(pairs: Vec<(String, String)>) -> AppResult<(Meta, Vec<(String, String)>)> {
    let mut meta = Meta::default();
    let mut answers = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "csrf" => {}
            "serial" if meta.serial.is_none() => meta.serial = Some(v),
            "batch" if meta.batch.is_none() => meta.batch = Some(v),
            "pass" if meta.pass.is_none() => meta.pass = Some(v),
            _ if k.starts_with("q.") => answers.push((k, v)),
            _ => {
                return Err(AppError::BadRequest(format!(
                    "提交的内容包含无法识别的字段：{}",
                    k.chars().take(40).collect::<String>()
                )))
            }
        }
    }
    Ok((meta, answers))
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
    let (meta, answers) = split(pairs)?;
    let double = double(meta.batch.as_deref(), meta.pass.as_deref())?;
    let serial = meta.serial.unwrap_or_default();
    let ids = (round_id, school_id);
    let typed = (serial.clone(), answers.clone());
    let (form, entered) = match &double {
        Some(d) => {
            double_entry::enter_pass(&state, ids, d.clone(), typed.0, typed.1, user.user.id).await?
        }
        None => paper::enter(&state, ids, typed.0, typed.1, Some(user.user.id)).await?,
    };
    // What was typed, kept for the screen (answers to questions not on the slip are dropped).
    let kept: Vec<(String, String)> = answers
        .into_iter()
        .filter(|(k, _)| form.slip.question(&k[2..]).is_some())
        .collect();
    let input = FormInput::from_pairs(&form.slip, kept).unwrap_or_default();
    let (error, errors) = match &entered {
        Entered::Stored(s) | Entered::Kept(s) => {
            let mut to = format!("/admin/schools/{school_id}/rounds/{round_id}/paper?saved={s}");
            if let Some((b, p)) = &double {
                to.push_str(&format!("&batch={}&pass={p}", form_body::encode(b)));
            }
            return Ok(see_other(to));
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
        double: double.as_ref(),
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
