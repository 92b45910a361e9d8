//! GET/POST /s/{slug}/feedback: a parent's complaint or suggestion about the school of a
//! survey link (the rules are in `app::complaints`).

use actix_web::{web, HttpRequest, HttpResponse};

use super::{form_page, submit, FeedbackPage};
use crate::app::complaints::Complaint;
use crate::error::AppResult;
use crate::routes::support::read_form;
use crate::routes::survey::load;
use crate::state::State;

pub async fn get(
    state: State,
    req: HttpRequest,
    slug: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = load(&state, slug.into_inner()).await?;
    let slug = &ctx.publication.slug;
    let mut p = FeedbackPage::new(
        &state,
        format!("/s/{slug}/feedback"),
        Some(format!("/s/{slug}")),
    );
    p.school_name = &ctx.publication.school_name;
    form_page(&state, &req, &p)
}

pub async fn post(
    state: State,
    req: HttpRequest,
    slug: web::Path<String>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let form = read_form(body, &["kind", "body", "contact"]).await?;
    let ctx = load(&state, slug.into_inner()).await?;
    let text = form.get("body").trim().to_string();
    let contact = form.get("contact").trim().to_string();
    let slug = &ctx.publication.slug;
    let mut view = FeedbackPage::new(
        &state,
        format!("/s/{slug}/feedback"),
        Some(format!("/s/{slug}")),
    );
    view.school_name = &ctx.publication.school_name;
    view.kind = form.get("kind");
    view.body = &text;
    view.contact = &contact;
    let complaint = Complaint {
        school_id: Some(ctx.publication.school_id),
        township_id: None,
        kind: form.get("kind").to_string(),
        body: text.clone(),
        contact: contact.clone(),
    };
    submit(&state, &req, complaint, view).await
}
