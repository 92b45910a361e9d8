//! /admin/schools/{school_id}/rounds/{round_id}/scans/{id}: one scanned slip waiting for a
//! person. GET shows the slip's entry screen, filled with what the scanner read without doubt,
//! each doubted question marked with why and its picture; POST stores it as confirmed, or shows
//! it again with every answer kept; `/aside` removes it so it can be typed in by hand; and
//! `/picture/{question}` is a doubted question's picture.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::paper::Entered;
use crate::app::scan_review::{self, Waiting};
use crate::auth::session::CurrentUser;
use crate::domain::form_body;
use crate::domain::survey::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::routes::support::{read_body, read_form, see_other};
use crate::routes::survey::html;
use crate::state::State;
use crate::views::admin::Page;
use crate::views::paper_entry::{questions, EntryPage};

/// The largest body the screen can honestly send.
const MAX_BODY_BYTES: usize = 32 * 1024;

fn base(school_id: i64, round_id: i64) -> String {
    format!("/admin/schools/{school_id}/rounds/{round_id}/scans")
}

fn screen(
    state: &State,
    user: &CurrentUser,
    w: &Waiting,
    (error, errors): (Option<String>, Option<&FieldErrors>),
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let p = &w.form.link.publication;
    let at = format!("{}/{}", base(p.school_id, p.round_id), w.review.id);
    let mut page = Page::for_user(user, format!("核对扫描的回执 · 编号 {}", w.review.serial));
    page.notice = Some(format!("这张回执来自{}。", w.review.source));
    page.error = error;
    let mut qs = questions(&w.form.slip, w.form.level(), &w.input, errors);
    for q in &mut qs {
        if let Some((_, why)) = w.doubts.iter().find(|(id, _)| *id == q.id) {
            if q.error.is_none() {
                q.error = Some(format!("请核对：{why}。"));
            }
            q.picture = Some(format!("{at}/picture/{}", form_body::encode(&q.id)));
        }
    }
    let view = EntryPage {
        page,
        action: at.clone(),
        serial: w.review.serial.clone(),
        questions: qs,
        batch: String::new(),
        pass: String::new(),
        aside: Some(format!("{at}/aside")),
    };
    Ok(html(status, state.templates.render("paper_entry", &view)?))
}

pub async fn get(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64, i64)>,
) -> AppResult<HttpResponse> {
    let (school_id, round_id, id) = path.into_inner();
    let w = scan_review::open(&state, (round_id, school_id), id).await?;
    screen(&state, &user, &w, (None, None), StatusCode::OK)
}

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64, i64)>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let (school_id, round_id, id) = path.into_inner();
    let body = read_body(body, MAX_BODY_BYTES).await?;
    let pairs = form_body::parse(&body).map_err(|e| AppError::BadRequest(e.message()))?;
    let mut answers = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "csrf" | "serial" => {}
            _ if k.starts_with("q.") => answers.push((k, v)),
            _ => {
                return Err(AppError::BadRequest(format!(
                    "提交的内容包含无法识别的字段：{}",
                    k.chars().take(40).collect::<String>()
                )))
            }
        }
    }
    match scan_review::confirm(&state, (round_id, school_id), id, answers, user.user.id).await? {
        Ok(serial) => Ok(see_other(format!(
            "{}?saved={}",
            base(school_id, round_id),
            form_body::encode(&serial)
        ))),
        Err((w, entered)) => {
            let (error, errors) = match &entered {
                Entered::Refused(why) => (why.clone(), None),
                Entered::Invalid(e) => (
                    format!("这张回执有 {} 道题需要核对，请看标红的题目。", e.len()),
                    Some(e),
                ),
                Entered::Stored(_) | Entered::Kept(_) => (String::new(), None),
            };
            screen(
                &state,
                &user,
                &w,
                (Some(error), errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

pub async fn aside(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64, i64)>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let (school_id, round_id, id) = path.into_inner();
    read_form(body, &[]).await?;
    let serial = scan_review::set_aside(&state, (round_id, school_id), id, user.user.id).await?;
    Ok(see_other(format!(
        "{}?aside={}",
        base(school_id, round_id),
        form_body::encode(&serial)
    )))
}

pub async fn picture(
    state: State,
    path: web::Path<(i64, i64, i64, String)>,
) -> AppResult<HttpResponse> {
    let (school_id, round_id, id, question) = path.into_inner();
    let png = scan_review::picture(&state, (round_id, school_id), id, question).await?;
    Ok(HttpResponse::Ok()
        .content_type("image/png")
        .insert_header(("Cache-Control", "private, no-store"))
        .body(png))
}
