//! GET/POST /login. Sign-in is throttled per account and per address; every
//! failure, including a held account, gets the same message, so the page
//! never tells whether an account exists. A new session id on every sign-in.
//! The e-mail is bounded first; a held sign-in is refused before any Argon2
//! work, and the checks that do run go through the app's hashing gate.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{read_public_form, render_public_form};
use crate::app::sign_in;
use crate::auth::session::session_cookie;
use crate::auth::sign_in::SubmittedEmail;
use crate::error::AppResult;
use crate::routes::support::{peer_addr, render, safe_next, see_other};
use crate::state::State;
use crate::views::admin::{Field, Form, Page, Section};

pub const FAILED: &str = "邮箱或密码不正确，或尝试次数过多。请稍后再试，或使用“忘记密码”。";

#[derive(Deserialize)]
pub struct Query {
    next: Option<String>,
    notice: Option<String>,
}

fn page(csrf: &str, next: &str, email: &str, error: Option<&str>, notice: Option<String>) -> Page {
    let mut p = Page::public("登录");
    p.error = error.map(String::from);
    p.notice = notice;
    p.section(Section {
        form: Some(Form::post(
            "/login",
            csrf,
            "登录",
            vec![
                Field::input("email", "email", "电子邮箱").value(email),
                Field::input("password", "password", "密码"),
                Field::input("hidden", "next", "").value(next),
            ],
        )),
        links: vec![crate::views::admin::Link {
            href: "/password-reset".into(),
            text: "忘记密码？".into(),
        }],
        ..Section::default()
    })
}

fn notice_text(code: Option<&str>) -> Option<String> {
    match code? {
        "password-set" => Some("密码已设置，请登录。".into()),
        "logged-out" => Some("您已退出登录。".into()),
        "session-ended" => Some("密码已修改，所有登录均已退出，请用新密码登录。".into()),
        _ => None,
    }
}

pub async fn get(state: State, req: HttpRequest, q: web::Query<Query>) -> AppResult<HttpResponse> {
    let next = safe_next(q.next.as_deref().unwrap_or("/admin"));
    render_public_form(&state, &req, |csrf| {
        page(csrf, next, "", None, notice_text(q.notice.as_deref()))
    })
}

pub async fn post(state: State, req: HttpRequest, body: web::Payload) -> AppResult<HttpResponse> {
    let form = read_public_form(&req, body, &["email", "password", "next"]).await?;
    let submitted = SubmittedEmail::parse(form.get("email"));
    let pass = form.get("password").to_string();
    let next = safe_next(form.get("next")).to_string();
    let Some(session) = sign_in::sign_in(&state, &submitted, pass, peer_addr(&req)).await? else {
        let csrf = form.get("csrf").to_string();
        return render(
            &state,
            &page(&csrf, &next, submitted.as_str(), Some(FAILED), None),
            StatusCode::UNAUTHORIZED,
        );
    };
    let mut resp = see_other(next);
    resp.add_cookie(&session_cookie(
        session.cookie,
        state.public_base.starts_with("https://"),
    ))
    .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    Ok(resp)
}
