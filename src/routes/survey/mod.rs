//! The parent's pages: letter and consent, the form, submission, thanks.
//! Shared here: resolving a link to its round, school and survey version, and
//! the pages for rounds that are not open.

pub mod code;
pub mod form;
pub mod letter;
pub mod submit;
pub mod thanks;

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::db::codes::AccessCode;
use crate::db::rounds::{Publication, RoundState};
use crate::domain::survey::SurveyDefinition;
use crate::domain::token::{display_code, normalise_code};
use crate::error::{AppError, AppResult};
use crate::state::State;

/// What a public link resolves to.
pub struct Ctx {
    pub publication: Publication,
    pub def: Arc<SurveyDefinition>,
}

/// Looks up the link (404 if unknown) and the exact survey version it pins.
pub async fn load(state: &State, slug: String) -> AppResult<Ctx> {
    let state = state.clone();
    web::block(move || -> AppResult<Ctx> {
        let mut conn = state.pool.get()?;
        let publication =
            crate::db::rounds::publication_by_slug(&mut conn, &slug)?.ok_or(AppError::NotFound)?;
        let def = state.catalog.version(&mut conn, &publication.survey_hash)?;
        Ok(Ctx { publication, def })
    })
    .await?
}

/// Looks a one-time code up for a parent at `addr`: 429 once that address
/// has had too many wrong codes lately, and a wrong code counts against it.
pub async fn find_code(state: &State, code: String, addr: String) -> AppResult<Option<AccessCode>> {
    let now = state.clock.now();
    let pool = state.pool.clone();
    web::block(move || -> AppResult<Option<AccessCode>> {
        let mut conn = pool.get()?;
        if crate::auth::throttle::code_guessing_held(&mut conn, &addr, now)? {
            return Err(AppError::TooManyRequests);
        }
        let found = crate::db::codes::find(&mut conn, &code)?;
        if found.is_none() {
            crate::auth::throttle::record_code_miss(&mut conn, &addr, now)?;
        }
        Ok(found)
    })
    .await?
}

/// A code from a query string or form, checked against the link's round and
/// school. `Ok(None)` when no code was given.
pub async fn load_code(
    state: &State,
    ctx: &Ctx,
    raw: Option<&str>,
    addr: &str,
) -> AppResult<Option<AccessCode>> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let code = normalise_code(raw)
        .ok_or_else(|| AppError::BadRequest("填写码格式不正确，请核对信上印的填写码。".into()))?;
    let found = find_code(state, code, addr.to_string()).await?;
    match found {
        Some(c)
            if c.round_id == ctx.publication.round_id
                && c.school_id == ctx.publication.school_id =>
        {
            Ok(Some(c))
        }
        Some(_) => Err(AppError::BadRequest(
            "此填写码不属于本校的本次调查，请使用孩子学校发放的信中的二维码。".into(),
        )),
        None => Err(AppError::BadRequest(
            "填写码不存在，请核对信上印的填写码。".into(),
        )),
    }
}

#[derive(Serialize)]
struct MessagePage<'a> {
    title: &'a str,
    heading: &'a str,
    school_name: &'a str,
    paragraphs: Vec<String>,
    link: Option<()>,
}

/// A simple page with a heading and paragraphs.
pub fn message(
    state: &State,
    status: StatusCode,
    heading: &str,
    school_name: &str,
    paragraphs: Vec<String>,
) -> AppResult<HttpResponse> {
    let body = state.templates.render(
        "message",
        &MessagePage {
            title: heading,
            heading,
            school_name,
            paragraphs,
            link: None,
        },
    )?;
    Ok(html(status, body))
}

pub fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

/// The page for a round that is not open now, or `None` if it is open.
pub fn not_open_page(state: &State, ctx: &Ctx) -> AppResult<Option<HttpResponse>> {
    let p = &ctx.publication;
    let fmt = |t: chrono::NaiveDateTime| {
        crate::domain::time::to_local(t)
            .format("%Y年%m月%d日 %H:%M")
            .to_string()
    };
    let page = match p.state_at(state.clock.now()) {
        RoundState::Open => return Ok(None),
        RoundState::NotYetOpen => message(
            state,
            StatusCode::FORBIDDEN,
            "问卷尚未开始",
            &p.school_name,
            vec![
                format!("“{}”将于 {} 开放填写。", ctx.def.title, fmt(p.opens_at)),
                "请到时再扫描二维码或打开链接。感谢您的关注！".into(),
            ],
        )?,
        RoundState::Closed => message(
            state,
            StatusCode::GONE,
            "问卷已结束",
            &p.school_name,
            vec![
                format!("“{}”已于 {} 截止填写。", ctx.def.title, fmt(p.closes_at)),
                "感谢您的关注。如有意见建议，请与学校联系。".into(),
            ],
        )?,
    };
    Ok(Some(page))
}

/// What a parent's GET of a link leads to: the survey (with the code, if one
/// was given), or a page that says why not (round not open, code used).
pub enum Gate {
    Open(Ctx, Option<AccessCode>),
    Page(HttpResponse),
}

pub async fn gate(
    state: &State,
    req: &actix_web::HttpRequest,
    slug: String,
    code: Option<&str>,
) -> AppResult<Gate> {
    let addr = &crate::routes::support::peer_addr(req);
    let ctx = load(state, slug).await?;
    if let Some(page) = not_open_page(state, &ctx)? {
        return Ok(Gate::Page(page));
    }
    let code = load_code(state, &ctx, code, addr).await?;
    if code.as_ref().is_some_and(|c| c.used_at.is_some()) {
        return Ok(Gate::Page(code_used_page(
            state,
            &ctx,
            StatusCode::CONFLICT,
        )?));
    }
    Ok(Gate::Open(ctx, code))
}

/// The page for a code that has already been used.
pub fn code_used_page(state: &State, ctx: &Ctx, status: StatusCode) -> AppResult<HttpResponse> {
    message(
        state,
        status,
        "此填写码已使用",
        &ctx.publication.school_name,
        vec![
            "这封信上的填写码已经提交过问卷，每个填写码只能提交一次。".into(),
            "如果您没有填写过，请联系班主任领取新的填写码。".into(),
        ],
    )
}

/// The key under which the optional script keeps a draft.
pub fn draft_key(slug: &str, code: Option<&AccessCode>) -> String {
    match code {
        Some(c) => format!("{slug}:{}", display_code(&c.code)),
        None => slug.to_string(),
    }
}
