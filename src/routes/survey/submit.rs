//! POST /s/{slug}: a parent submits the form. The body is decoded strictly,
//! validated against the round's pinned survey version, queued for the
//! group-commit writer, and the 303 to the thank-you page is sent only after
//! the response has been committed.
//!
//! People get HTML (the form again, every answer kept, the message beside its
//! field); clients that send `Accept: application/json` get JSON errors.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

use super::form::{render, FormState, IDEM_CHARS};
use super::{code_needed_page, code_used_page, not_open_page, Ctx};
use crate::app::prefilled;
use crate::app::submission::{self, Entry, Taken, WriteError};
use crate::domain::form_body;
use crate::domain::survey::{FieldErrors, FormInput, Go, Step};
use crate::error::{AppError, AppResult, RETRY_AFTER_SECS};
use crate::routes::support::read_body;
use crate::state::State;

/// The largest body a survey form can honestly produce, with room to spare.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Fields a form carries besides the answers. Anything else (a `school_id`,
/// a `round_id`, a `role` …) is refused: nothing is mass-assigned.
struct Meta {
    consent: Option<String>,
    idem: Option<String>,
    code: Option<String>,
    /// `1`: the parent was shown the personal-information notice and submits anyway.
    pii_ok: Option<String>,
    /// The page the form showed, 1-based.
    page: Option<String>,
    /// `next` or `back`; absent when the parent submits.
    go: Option<String>,
    /// The computer-room session the device answers through.
    k: Option<String>,
}

impl Meta {
    /// The step the parent took; a whole form sent at once is a submit.
    fn step(&self) -> AppResult<Step> {
        let bad = || AppError::BadRequest("表单已失效，请重新打开问卷链接填写。".into());
        let page = match self.page.as_deref() {
            None => 0,
            Some(p) => {
                p.parse::<usize>()
                    .ok()
                    .filter(|p| (1..=100).contains(p))
                    .ok_or_else(bad)?
                    - 1
            }
        };
        let go = match self.go.as_deref() {
            None => Go::Submit,
            Some("next") => Go::Next,
            Some("back") => Go::Back,
            Some(_) => return Err(bad()),
        };
        Ok(Step { page, go })
    }
}

fn split_meta(pairs: Vec<(String, String)>) -> AppResult<(Meta, Vec<(String, String)>)> {
    let mut meta = Meta {
        consent: None,
        idem: None,
        code: None,
        pii_ok: None,
        page: None,
        go: None,
        k: None,
    };
    let mut answers = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        let slot = match k.as_str() {
            "consent" => &mut meta.consent,
            "idem" => &mut meta.idem,
            "code" => &mut meta.code,
            "pii_ok" => &mut meta.pii_ok,
            "page" => &mut meta.page,
            "go" => &mut meta.go,
            "k" => &mut meta.k,
            _ if k.starts_with("q.") => {
                answers.push((k, v));
                continue;
            }
            _ => {
                return Err(AppError::BadRequest(format!(
                    "提交的内容包含无法识别的字段：{}",
                    k.chars().take(40).collect::<String>()
                )))
            }
        };
        if slot.replace(v).is_some() {
            return Err(AppError::BadRequest(format!("提交的内容中字段重复：{k}")));
        }
    }
    Ok((meta, answers))
}

fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

fn json_error(status: StatusCode, message: &str, fields: Option<&FieldErrors>) -> HttpResponse {
    let fields: serde_json::Map<String, serde_json::Value> = fields
        .map(|f| f.iter().map(|(k, v)| (k.to_string(), v.into())).collect())
        .unwrap_or_default();
    let mut resp = HttpResponse::build(status);
    if status == StatusCode::SERVICE_UNAVAILABLE {
        resp.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECS.to_string()));
    }
    resp.json(serde_json::json!({ "error": message, "fields": fields }))
}

pub async fn post(
    state: State,
    req: HttpRequest,
    slug: web::Path<String>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let json = wants_json(&req);
    let addr = crate::routes::support::peer_addr(&req);
    let result = handle(&state, slug.into_inner(), payload, json, &addr).await;
    match result {
        Err(e) if json => {
            use actix_web::ResponseError;
            // The same Chinese message the HTML page shows, never internals.
            let (_, msg) = e.user_message();
            match &e {
                AppError::Unexpected(err) => tracing::error!(error = ?err, "unexpected error"),
                AppError::Unavailable(err) => tracing::warn!(error = %err, "service unavailable"),
                _ => {}
            }
            Ok(json_error(e.status_code(), &msg, None))
        }
        other => other,
    }
}

async fn handle(
    state: &State,
    slug: String,
    payload: web::Payload,
    json: bool,
    addr: &str,
) -> AppResult<HttpResponse> {
    let body = read_body(payload, MAX_BODY_BYTES).await?;
    let pairs = form_body::parse(&body).map_err(|e| AppError::BadRequest(e.message()))?;
    let (meta, answer_pairs) = split_meta(pairs)?;
    let step = meta.step()?;
    let (ctx, code) = match submission::enter(state, slug, meta.code.as_deref(), addr).await? {
        Entry::Open(ctx, code) => (ctx, code),
        Entry::NotOpen(ctx, round) => return not_open_page(state, &ctx, round),
        Entry::CodeUsed(ctx) => return already_used(state, &ctx, json),
        Entry::CodeNeeded(ctx, wrong) => {
            if json {
                let msg = "本次调查需要使用信上印的填写码，请输入填写码后再提交。";
                return Ok(json_error(StatusCode::FORBIDDEN, msg, None));
            }
            return code_needed_page(state, &ctx, wrong, StatusCode::FORBIDDEN);
        }
    };
    if meta.consent.as_deref() != Some("yes") {
        return Err(AppError::BadRequest(format!(
            "请先阅读{}和知情同意说明，再填写问卷。",
            ctx.def.respondent.letter_name()
        )));
    }
    let idem = meta
        .idem
        .filter(|k| k.len() == IDEM_CHARS && k.bytes().all(|b| b.is_ascii_alphanumeric()))
        .ok_or_else(|| AppError::BadRequest("表单已失效，请重新打开问卷链接填写。".into()))?;
    let known = prefilled::known(state, &ctx, code.as_ref(), meta.k.as_deref()).await;
    let answer_pairs = prefilled::with_known_fields(&ctx.def, known, answer_pairs);
    let input = FormInput::from_pairs(&ctx.pinned, answer_pairs)
        .map_err(|e| AppError::BadRequest(e.message()))?;
    let pii_asked = meta.pii_ok.as_deref() == Some("1");
    // The form again with every answer kept (or the JSON error), `alert` on top and `errors`
    // marked on their questions, at `page`.
    let again = |status: StatusCode,
                 alert: Option<&str>,
                 errors: Option<&FieldErrors>,
                 asked: bool,
                 page: usize| {
        if json {
            return Ok(json_error(status, alert.unwrap_or_default(), errors));
        }
        let form = FormState {
            input: &input,
            errors,
            alert,
            idem: &idem,
            personal_info_asked: asked,
            page,
            session: meta.k.as_deref(),
            known,
        };
        render(state, &ctx, code.as_ref(), form, status)
    };
    let seat = meta.k.as_deref();
    let taken = submission::take(
        state,
        &ctx,
        (code.as_ref(), known),
        &input,
        (&idem, step),
        pii_asked,
        seat,
    );
    match taken.await? {
        Taken::Stored => Ok(HttpResponse::SeeOther()
            .insert_header((
                header::LOCATION,
                match seat {
                    // The computer room: a fresh start for the next student.
                    Some(k) => format!("/k/{}/next", crate::routes::class_session::url_code(k)),
                    None => format!("/s/{}/thanks", ctx.publication.slug),
                },
            ))
            .finish()),
        Taken::SessionOver => {
            crate::routes::class_session::over_page(state, &ctx.publication.school_name)
        }
        // A phone answer carries no serial, so only a code can have been used already.
        Taken::CodeUsed | Taken::SerialStored => already_used(state, &ctx, json),
        // The next step of a survey with pages: nothing is wrong, so no alert.
        Taken::Page(page) => again(StatusCode::OK, None, None, pii_asked, page),
        Taken::Invalid(errors, page) => {
            let alert = format!("有 {} 道题需要修改，请查看标红的题目。", errors.len());
            again(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&alert),
                Some(&errors),
                pii_asked,
                page,
            )
        }
        Taken::PersonalInfo(flagged, page) => {
            let alert = "为保护您和孩子的个人信息，请检查标出的回答，删去电话、身份证号、邮箱等后再提交；如确需保留，可直接再次提交。";
            again(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(alert),
                Some(&flagged),
                true,
                page,
            )
        }
        Taken::NotStored(e) => {
            let alert = match e {
                WriteError::Overloaded => "提交的人数较多，您的回答尚未保存。请稍候几秒后再次点击“提交问卷”。",
                WriteError::Unavailable(_) => "系统暂时无法保存，您的回答尚未提交。请稍候再次点击“提交问卷”，已填写的内容都保留在本页。",
            };
            let mut resp = again(
                StatusCode::SERVICE_UNAVAILABLE,
                Some(alert),
                None,
                pii_asked,
                step.page,
            )?;
            resp.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from(RETRY_AFTER_SECS),
            );
            Ok(resp)
        }
    }
}

fn already_used(state: &State, ctx: &Ctx, json: bool) -> AppResult<HttpResponse> {
    if json {
        return Ok(json_error(StatusCode::CONFLICT, "此填写码已使用", None));
    }
    code_used_page(state, ctx, StatusCode::CONFLICT)
}
