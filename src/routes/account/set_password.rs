//! /invite/{token} and /reset/{token}: a one-time link from an e-mail lets
//! its owner choose a password. Invitations last 72 hours, resets 2 hours;
//! either works once, and setting a password ends every existing session.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{read_public_form, render_public_form};
use crate::auth::password;
use crate::db::{self, account_tokens::Purpose};
use crate::domain::account::check_new_password;
use crate::error::AppResult;
use crate::routes::support::{render, see_other, with_conn};
use crate::startup::State;
use crate::views::admin::{Field, Form, Page, Section};

fn form_page(action: &str, csrf: &str, email: &str, error: Option<String>) -> Page {
    let mut p = Page::public("设置登录密码");
    p.error = error;
    p.section(Section {
        paragraphs: vec![format!("账户：{email}。密码至少 10 个字符。")],
        form: Some(Form::post(
            action,
            csrf,
            "设置密码",
            vec![
                Field::input("password", "password", "新密码"),
                Field::input("password", "confirm", "再次输入新密码"),
            ],
        )),
        ..Section::default()
    })
}

fn dead_link() -> Page {
    Page::public("链接无效或已过期").section(Section {
        paragraphs: vec![
            "此链接已使用、已过期或不存在。".into(),
            "请联系教育局管理员重新发送邀请，或在登录页使用“忘记密码”。".into(),
        ],
        ..Section::default()
    })
}

async fn show(
    state: State,
    req: HttpRequest,
    token: String,
    purpose: Purpose,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let t = token.clone();
    let user = with_conn(&state, move |c| {
        Ok(match db::account_tokens::peek(c, &t, purpose, now)? {
            Some(id) => db::users::find(c, id)?,
            None => None,
        })
    })
    .await?;
    let Some(user) = user else {
        return render(&state, &dead_link(), StatusCode::NOT_FOUND);
    };
    render_public_form(&state, &req, |csrf| {
        form_page(req.path(), csrf, &user.email, None)
    })
}

async fn set(
    state: State,
    req: HttpRequest,
    token: String,
    purpose: Purpose,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let form = read_public_form(&req, body).await?;
    let (pass, confirm) = (form.get("password").to_string(), form.get("confirm"));
    if let Err(msg) = check_new_password(&pass, confirm) {
        let t = token.clone();
        let email = with_conn(&state, move |c| {
            Ok(match db::account_tokens::peek(c, &t, purpose, now)? {
                Some(id) => db::users::find(c, id)?.map(|u| u.email),
                None => None,
            })
        })
        .await?;
        let Some(email) = email else {
            return render(&state, &dead_link(), StatusCode::NOT_FOUND);
        };
        let page = form_page(req.path(), form.get("csrf"), &email, Some(msg));
        return render(&state, &page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // A dead link costs no Argon2 work: only a live one is worth hashing for.
    let t = token.clone();
    let live = with_conn(&state, move |c| {
        Ok(db::account_tokens::peek(c, &t, purpose, now)?.is_some())
    })
    .await?;
    if !live {
        return render(&state, &dead_link(), StatusCode::NOT_FOUND);
    }
    let hash = state.hash_gate.run(move || password::hash(&pass)).await??;
    let done = with_conn(&state, move |c| {
        let Some(user_id) = db::account_tokens::consume(c, &token, purpose, now)? else {
            return Ok(false);
        };
        db::users::set_password_hash(c, user_id, &hash)?;
        db::sessions::delete_all_for(c, user_id)?;
        let what = match purpose {
            Purpose::Invite => "password_set_from_invitation",
            Purpose::Reset => "password_reset",
        };
        db::audit::record(c, Some(user_id), what, "", now)?;
        Ok(true)
    })
    .await?;
    if !done {
        return render(&state, &dead_link(), StatusCode::NOT_FOUND);
    }
    Ok(see_other("/login?notice=password-set"))
}

pub async fn get_invite(
    state: State,
    req: HttpRequest,
    t: web::Path<String>,
) -> AppResult<HttpResponse> {
    show(state, req, t.into_inner(), Purpose::Invite).await
}

pub async fn post_invite(
    state: State,
    req: HttpRequest,
    t: web::Path<String>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    set(state, req, t.into_inner(), Purpose::Invite, body).await
}

pub async fn get_reset(
    state: State,
    req: HttpRequest,
    t: web::Path<String>,
) -> AppResult<HttpResponse> {
    show(state, req, t.into_inner(), Purpose::Reset).await
}

pub async fn post_reset(
    state: State,
    req: HttpRequest,
    t: web::Path<String>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    set(state, req, t.into_inner(), Purpose::Reset, body).await
}
