//! GET/POST /s/{slug}/feedback: a parent's complaint or suggestion about a
//! school's after-school service, stored and e-mailed to the office that
//! handles the school's level (初幼教科 for primary, 中教科 for secondary).
//!
//! Rate limits: per browser (a random cookie) and, much higher, per address,
//! so that parents behind one school's NAT do not block each other.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::db::{self, complaints::NewComplaint, rate};
use crate::domain::account::Email;
use crate::domain::school::SchoolLevel;
use crate::domain::token::random_token;
use crate::email::messages;
use crate::error::{AppError, AppResult};
use crate::routes::support::{peer_addr, read_form, with_conn};
use crate::routes::survey::{html, load};
use crate::startup::State;

const CLIENT_COOKIE: &str = "kehou_fb";
pub const MAX_BODY_CHARS: usize = 1000;
pub const MAX_CONTACT_CHARS: usize = 100;
/// Per browser per hour.
pub const PER_CLIENT: i64 = 5;
/// Per address per hour: a whole school's parents share one address.
pub const PER_ADDRESS: i64 = 300;

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
    let now = state.clock.now();
    let form = read_form(body).await?;
    let ctx = load(&state, slug.into_inner()).await?;
    let kind = form.get("kind");
    let text = form.get("body").trim().to_string();
    let contact = form.get("contact").trim().to_string();
    let error = if !matches!(kind, "complaint" | "suggestion") {
        Some("请选择“意见建议”或“投诉举报”。".to_string())
    } else if text.is_empty() {
        Some("请填写内容。".into())
    } else if text.chars().count() > MAX_BODY_CHARS {
        Some(format!("内容不能超过 {MAX_BODY_CHARS} 字。"))
    } else if contact.chars().count() > MAX_CONTACT_CHARS || contact.contains(['\r', '\n']) {
        Some(format!(
            "联系方式不能超过 {MAX_CONTACT_CHARS} 字，且不能换行。"
        ))
    } else {
        None
    };
    let slug = ctx.publication.slug.clone();
    let mut view = FeedbackPage {
        title: "意见与举报",
        school_name: &ctx.publication.school_name,
        action: format!("/s/{slug}/feedback"),
        kind,
        body: &text,
        contact: &contact,
        error,
        done: false,
        back: format!("/s/{slug}"),
    };
    if view.error.is_some() {
        return page(&state, &view, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let client = req
        .cookie(CLIENT_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    let addr_key = format!("feedback-address:{}", peer_addr(&req));
    let client_key = format!("feedback-client:{client}");
    let level = SchoolLevel::from_db_code(&ctx.publication.school_level);
    let offices = offices_for(&state, level);
    let new = NewComplaint {
        school_id: ctx.publication.school_id,
        kind: kind.to_string(),
        body: text.clone(),
        contact: (!contact.is_empty()).then(|| contact.clone()),
        office: if level == Some(SchoolLevel::Primary) {
            "primary"
        } else {
            "secondary"
        }
        .into(),
    };
    with_conn(&state, move |c| {
        let hour = chrono::Duration::hours(1);
        if (!client.is_empty() && rate::count_within(c, &client_key, hour, now)? >= PER_CLIENT)
            || rate::count_within(c, &addr_key, hour, now)? >= PER_ADDRESS
        {
            return Err(AppError::TooManyRequests);
        }
        if !client.is_empty() {
            rate::record(c, &client_key, now)?;
        }
        rate::record(c, &addr_key, now)?;
        db::complaints::insert(c, &new, now)?;
        Ok(())
    })
    .await?;
    let kind_label = if kind == "complaint" {
        "投诉举报"
    } else {
        "意见建议"
    };
    let link = format!("{}/admin/complaints", state.public_base);
    for (office, address) in offices {
        let Ok(to) = Email::parse(&address) else {
            tracing::error!(
                address,
                "the office e-mail address in the settings is invalid"
            );
            continue;
        };
        let msg = messages::complaint(
            &to,
            office,
            &ctx.publication.school_name,
            kind_label,
            &text,
            (!contact.is_empty()).then_some(contact.as_str()),
            &link,
        );
        match state.mailer.send(&msg).await {
            Ok(_) => {
                let detail = format!("complaint to {address}");
                with_conn(&state, move |c| {
                    Ok(db::audit::record(c, None, "email_complaint", &detail, now)?)
                })
                .await?;
            }
            Err(e) => tracing::error!(error = ?e, "complaint e-mail not sent"),
        }
    }
    view.done = true;
    page(&state, &view, StatusCode::OK)
}

/// 初幼教科 handles primary schools, 中教科 secondary ones; a nine-year school
/// has both, so both offices hear of it.
fn offices_for(state: &State, level: Option<SchoolLevel>) -> Vec<(&'static str, String)> {
    let e = &state.settings.email;
    let primary = ("初幼教科", e.office_primary.clone());
    let secondary = ("中教科", e.office_secondary.clone());
    match level {
        Some(SchoolLevel::Primary) => vec![primary],
        Some(SchoolLevel::JuniorMiddle) => vec![secondary],
        _ => vec![primary, secondary],
    }
}
