//! GET/POST /feedback: the standing complaint and suggestion channel, reachable without a
//! survey link. The parent may pick a township and a school from the lists, or neither.

use actix_web::{web, HttpRequest, HttpResponse};

use super::{form_page, submit, FeedbackPage};
use crate::app::complaints::Complaint;
use crate::error::{AppError, AppResult, Invalid};
use crate::routes::support::read_form;
use crate::state::State;

const ACTION: &str = "/feedback";

pub async fn get(state: State, req: HttpRequest) -> AppResult<HttpResponse> {
    let p = FeedbackPage::new(&state, ACTION.into(), None)
        .with_choices(&state, None, None)
        .await?;
    form_page(&state, &req, &p)
}

/// An optional id picked from a list: empty is none, anything but a number is refused.
fn picked(value: &str, field: &str, message: &str) -> AppResult<Option<i64>> {
    match value.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| AppError::Invalid(Invalid::field(field, message))),
    }
}

pub async fn post(state: State, req: HttpRequest, body: web::Payload) -> AppResult<HttpResponse> {
    let form = read_form(body, &["kind", "body", "contact", "township", "school"]).await?;
    let township = picked(form.get("township"), "township", "请从列表中选择镇街。")?;
    let school = picked(form.get("school"), "school", "请从列表中选择学校。")?;
    let text = form.get("body").trim().to_string();
    let contact = form.get("contact").trim().to_string();
    let mut view = FeedbackPage::new(&state, ACTION.into(), None)
        .with_choices(&state, township, school)
        .await?;
    view.kind = form.get("kind");
    view.body = &text;
    view.contact = &contact;
    let complaint = Complaint {
        school_id: school,
        township_id: township,
        kind: form.get("kind").to_string(),
        body: text.clone(),
        contact: contact.clone(),
    };
    submit(&state, &req, complaint, view).await
}
