//! The parent's pages: letter and consent, the form, submission, thanks.
//! Shared here: resolving a link to its round, school and survey version, and
//! the pages for rounds that are not open.

pub mod code;
pub mod form;
pub mod letter;
pub mod submit;
pub mod thanks;

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde::Serialize;

use crate::app::submission::{self, AccessCode, Entry, RoundState};
use crate::domain::token::display_code;
use crate::error::AppResult;
use crate::state::State;

/// What a public link resolves to (the use case's name for it is `Link`).
pub use crate::app::submission::Link as Ctx;

/// Looks up the link (404 if unknown) and the exact survey version it pins.
pub async fn load(state: &State, slug: String) -> AppResult<Ctx> {
    submission::load(state, slug).await
}

#[derive(Serialize)]
struct MessagePage<'a> {
    title: &'a str,
    heading: &'a str,
    school_name: &'a str,
    paragraphs: Vec<String>,
    link: Option<()>,
}

/// A simple page's HTML: a heading and paragraphs.
pub fn message_body(
    state: &State,
    heading: &str,
    school_name: &str,
    paragraphs: Vec<String>,
) -> AppResult<String> {
    Ok(state.templates.render(
        "message",
        &MessagePage {
            title: heading,
            heading,
            school_name,
            paragraphs,
            link: None,
        },
    )?)
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

/// The page for a round that has not opened yet, or has closed.
pub fn not_open_page(state: &State, ctx: &Ctx, round: RoundState) -> AppResult<HttpResponse> {
    let p = &ctx.publication;
    let fmt = crate::domain::time::spoken_label;
    match round {
        RoundState::NotYetOpen => message(
            state,
            StatusCode::FORBIDDEN,
            "问卷尚未开始",
            &p.school_name,
            vec![
                format!("“{}”将于 {} 开放填写。", ctx.def.title, fmt(p.opens_at)),
                "请到时再扫描二维码或打开链接。感谢您的关注！".into(),
            ],
        ),
        RoundState::Closed | RoundState::Open => message(
            state,
            StatusCode::GONE,
            "问卷已结束",
            &p.school_name,
            vec![
                format!("“{}”已于 {} 截止填写。", ctx.def.title, fmt(p.closes_at)),
                "感谢您的关注。如有意见建议，请与学校联系。".into(),
            ],
        ),
    }
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
    let addr = crate::routes::support::peer_addr(req);
    Ok(match submission::enter(state, slug, code, &addr).await? {
        Entry::Open(ctx, code) => Gate::Open(ctx, code),
        Entry::NotOpen(ctx, round) => Gate::Page(not_open_page(state, &ctx, round)?),
        Entry::CodeUsed(ctx) => Gate::Page(code_used_page(state, &ctx, StatusCode::CONFLICT)?),
        Entry::CodeNeeded(ctx, wrong) => {
            let status = match wrong {
                Some(_) => StatusCode::BAD_REQUEST,
                None => StatusCode::OK,
            };
            Gate::Page(code_needed_page(state, &ctx, wrong, status)?)
        }
    })
}

#[derive(Serialize)]
struct CodePage<'a> {
    title: &'a str,
    school_name: &'a str,
    slug: &'a str,
    value: &'a str,
    error: Option<&'a str>,
}

/// The page that asks for the code printed on the letter, for a round that needs one; with
/// what was typed and why it was refused, when it was.
pub fn code_needed_page(
    state: &State,
    ctx: &Ctx,
    wrong: Option<(String, String)>,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let (value, error) = wrong.map_or((String::new(), None), |(v, e)| (v, Some(e)));
    let body = state.templates.render(
        "code",
        &CodePage {
            title: "请输入填写码",
            school_name: &ctx.publication.school_name,
            slug: &ctx.publication.slug,
            value: &value,
            error: error.as_deref(),
        },
    )?;
    Ok(html(status, body))
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
