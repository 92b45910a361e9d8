//! GET/POST /password-reset: ask for a reset link by e-mail. The answer is
//! the same whether or not the address has an account.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{read_public_form, render_public_form};
use crate::db::{self, account_tokens::Purpose, rate};
use crate::domain::account::Email;
use crate::email::messages;
use crate::error::{AppError, AppResult};
use crate::routes::support::{peer_addr, render, with_conn};
use crate::state::State;
use crate::views::admin::{Field, Form, Page, Section};

const SENT: &str = "如果该邮箱已在平台注册，我们已向它发送了重置密码的链接（2 小时内有效）。";

fn page(csrf: &str, notice: Option<&str>) -> Page {
    let mut p = Page::public("重置密码");
    p.notice = notice.map(String::from);
    p.section(Section {
        form: Some(Form::post(
            "/password-reset",
            csrf,
            "发送重置链接",
            vec![Field::input("email", "email", "登录用的电子邮箱")],
        )),
        ..Section::default()
    })
}

pub async fn get(state: State, req: HttpRequest) -> AppResult<HttpResponse> {
    render_public_form(&state, &req, |csrf| page(csrf, None))
}

pub async fn post(state: State, req: HttpRequest, body: web::Payload) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let form = read_public_form(&req, body).await?;
    let csrf = form.get("csrf").to_string();
    let Ok(email) = Email::parse(form.get("email")) else {
        return render(&state, &page(&csrf, Some(SENT)), StatusCode::OK);
    };
    let key = format!("reset-address:{}", peer_addr(&req));
    let addr = email.as_str().to_string();
    let token = with_conn(&state, move |c| {
        if rate::count_within(c, &key, chrono::Duration::hours(1), now)? >= 10 {
            return Err(AppError::TooManyRequests);
        }
        rate::record(c, &key, now)?;
        let Some(user) = db::users::find_by_email(c, &addr)?.filter(|u| u.active) else {
            return Ok(None);
        };
        let token = db::account_tokens::issue(c, user.id, Purpose::Reset, now)?;
        db::audit::record(c, Some(user.id), "email_password_reset", &addr, now)?;
        Ok(Some(token))
    })
    .await?;
    if let Some(token) = token {
        let link = format!("{}/reset/{token}", state.public_base);
        let msg = messages::password_reset(&email, &link);
        if let Err(e) = state.mailer.send(&msg).await {
            tracing::error!(error = ?e, "password reset e-mail not sent");
        }
    }
    render(&state, &page(&csrf, Some(SENT)), StatusCode::OK)
}
