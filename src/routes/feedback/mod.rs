//! The complaint and suggestion channel (举报/意见): from every survey page (about that
//! school) and at its own standing address, where a parent may pick a township and a school
//! or neither. It asks for no personal data; a contact is optional. Both pages show the two
//! offices' phone numbers and mailboxes as the operator set them.

pub mod form;
pub mod standing;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use crate::app::complaints::{self, Complaint, Sender};
use crate::config::Office;
use crate::domain::token::random_token;
use crate::error::{AppError, AppResult};
use crate::routes::support::peer_addr;
use crate::routes::survey::html;
use crate::state::State;

/// A random per-browser cookie, which the per-browser limit counts (a much higher
/// per-address limit lets one school's NAT through).
const CLIENT_COOKIE: &str = "kehou_fb";

#[derive(Serialize)]
struct Choice {
    id: i64,
    name: String,
    selected: bool,
}

#[derive(Serialize)]
struct TownshipOption {
    id: i64,
    name: String,
    selected: bool,
    schools: Vec<Choice>,
}

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
    back: Option<String>,
    /// The standing channel's lists (empty on a school's own page).
    townships: Vec<TownshipOption>,
    choose: bool,
    /// The offices with a phone number or a mailbox set.
    offices: Vec<&'a Office>,
}

impl<'a> FeedbackPage<'a> {
    fn new(state: &'a State, action: String, back: Option<String>) -> Self {
        Self {
            title: "意见与举报",
            action,
            kind: "suggestion",
            back,
            offices: [&state.offices.primary, &state.offices.secondary]
                .into_iter()
                .filter(|o| o.email.is_some() || o.phone.is_some())
                .collect(),
            ..Self::default()
        }
    }

    /// Fills the standing channel's lists, keeping the parent's picks.
    async fn with_choices(
        mut self,
        state: &State,
        township: Option<i64>,
        school: Option<i64>,
    ) -> AppResult<Self> {
        self.choose = true;
        self.townships = complaints::choices(state)
            .await?
            .into_iter()
            .map(|t| TownshipOption {
                selected: Some(t.id) == township,
                id: t.id,
                name: t.name,
                schools: t
                    .schools
                    .into_iter()
                    .map(|(id, name)| Choice {
                        selected: Some(id) == school,
                        id,
                        name,
                    })
                    .collect(),
            })
            .collect();
        Ok(self)
    }
}

fn render(state: &State, p: &FeedbackPage<'_>, status: StatusCode) -> AppResult<HttpResponse> {
    Ok(html(status, state.templates.render("feedback", p)?))
}

/// The form page, setting the per-browser cookie on a first visit.
fn form_page(state: &State, req: &HttpRequest, p: &FeedbackPage<'_>) -> AppResult<HttpResponse> {
    let mut resp = render(state, p, StatusCode::OK)?;
    if req.cookie(CLIENT_COOKIE).is_none() {
        let c = Cookie::build(CLIENT_COOKIE, random_token(26))
            .path("/")
            .http_only(true)
            .secure(crate::auth::session::is_https(req))
            .same_site(SameSite::Lax)
            .max_age(actix_web::cookie::time::Duration::days(30))
            .finish();
        resp.add_cookie(&c)
            .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    }
    Ok(resp)
}

/// Submits `c` and answers with the thank-you page, or the form again with the message.
async fn submit(
    state: &State,
    req: &HttpRequest,
    c: Complaint,
    mut view: FeedbackPage<'_>,
) -> AppResult<HttpResponse> {
    let from = Sender {
        client: req
            .cookie(CLIENT_COOKIE)
            .map(|c| c.value().to_string())
            .unwrap_or_default(),
        address: peer_addr(req),
    };
    match complaints::submit(state, c, from).await {
        Ok(()) => {
            view.done = true;
            render(state, &view, StatusCode::OK)
        }
        Err(AppError::Invalid(e)) => {
            view.error = Some(e.summary());
            render(state, &view, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e),
    }
}
