//! GET/POST /s/{slug}/feedback: a parent's complaint or suggestion about a
//! school's after-school service (the rules are in `app::complaints`).
//! The form sets a random browser cookie, which the per-browser limit counts
//! (a much higher per-address limit lets one school's NAT through).

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::app::complaints::{self, Complaint, Sender};
use crate::domain::token::random_token;
use crate::error::{AppError, AppResult};
use crate::routes::support::{peer_addr, read_form};
use crate::routes::survey::{html, load};
use crate::state::State;

const CLIENT_COOKIE: &str = "kehou_fb";

#[derive(Serialize, Default)]
struct FeedbackPage<'a> {
    title: &'a str,
    school_name: &'a str,
    action: String,
    kind: &'a str,
    body: &'a str,
    contact: &'a str,
    error: Option<String>,
    done: bool,
    back: String,
}

fn page(state: &State, p: &FeedbackPage<'_>, status: StatusCode) -> AppResult<HttpResponse> {
    Ok(html(status, state.templates.render("feedback", p)?))
}

pub async fn get(
    state: State,
    req: HttpRequest,
    slug: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = load(&state, slug.into_inner()).await?;
    let mut resp = page(
        &state,
        &FeedbackPage {
            title: "意见与举报",
            school_name: &ctx.publication.school_name,
            action: format!("/s/{}/feedback", ctx.publication.slug),
            kind: "suggestion",
            back: format!("/s/{}", ctx.publication.slug),
            ..FeedbackPage::default()
        },
        StatusCode::OK,
    )?;
    if req.cookie(CLIENT_COOKIE).is_none() {
        let c = Cookie::build(CLIENT_COOKIE, random_token(26))
            .path("/")
            .http_only(true)
            .secure(crate::auth::session::is_https(&req))
            .same_site(SameSite::Lax)
            .max_age(actix_web::cookie::time::Duration::days(30))
            .finish();
        resp.add_cookie(&c)
            .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    }
    Ok(resp)
}

pub async fn post(
    state: State,
    req: HttpRequest,
    slug: web::Path<String>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let form = read_form(body, &["kind", "body", "contact"]).await?;
    let ctx = load(&state, slug.into_inner()).await?;
    let kind = form.get("kind");
    let text = form.get("body").trim().to_string();
    let contact = form.get("contact").trim().to_string();
    let slug = ctx.publication.slug.clone();
    let mut view = FeedbackPage {
        title: "意见与举报",
        school_name: &ctx.publication.school_name,
        action: format!("/s/{slug}/feedback"),
        kind,
        body: &text,
        contact: &contact,
        error: None,
        done: false,
        back: format!("/s/{slug}"),
    };
    let complaint = Complaint {
        school_id: ctx.publication.school_id,
        school_name: ctx.publication.school_name.clone(),
        school_level: ctx.publication.school_level.clone(),
        kind: kind.to_string(),
        body: text.clone(),
        contact: contact.clone(),
    };
    let from = Sender {
        client: req
            .cookie(CLIENT_COOKIE)
            .map(|c| c.value().to_string())
            .unwrap_or_default(),
        address: peer_addr(&req),
    };
    match complaints::submit(&state, complaint, from).await {
        Ok(()) => {
            view.done = true;
            page(&state, &view, StatusCode::OK)
        }
        Err(AppError::Invalid(e)) => {
            view.error = Some(e.summary());
            page(&state, &view, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e),
    }
}
