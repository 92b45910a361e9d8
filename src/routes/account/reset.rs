//! GET/POST /password-reset: ask for a reset link by e-mail. The answer is
//! the same whether or not the address has an account.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{read_public_form, render_public_form};
use crate::app::passwords;
use crate::domain::account::Email;
use crate::error::AppResult;
use crate::routes::support::{peer_addr, render};
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
    let form = read_public_form(&req, body, &["email"]).await?;
    let csrf = form.get("csrf").to_string();
    let Ok(email) = Email::parse(form.get("email")) else {
        return render(&state, &page(&csrf, Some(SENT)), StatusCode::OK);
    };
    passwords::request_reset(&state, email, peer_addr(&req)).await?;
    render(&state, &page(&csrf, Some(SENT)), StatusCode::OK)
}
