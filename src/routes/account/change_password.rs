//! GET/POST /account/password: change one's own password. Every session of
//! the account ends, this one included.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::passwords;
use crate::auth::session::{removal_cookie, CurrentUser};
use crate::domain::account::check_new_password;
use crate::error::AppResult;
use crate::routes::support::{read_form, render, see_other};
use crate::state::State;
use crate::views::admin::{Field, Form, Page, Section};

fn page(user: &CurrentUser, error: Option<String>) -> Page {
    let mut p = Page::for_user(user, "修改密码");
    p.error = error;
    let csrf = p.csrf.clone();
    p.section(Section {
        paragraphs: vec!["修改后，所有设备上的登录都会退出。".into()],
        form: Some(Form::post(
            "/account/password",
            &csrf,
            "修改密码",
            vec![
                Field::input("password", "current", "当前密码"),
                Field::input("password", "password", "新密码（至少 10 个字符）"),
                Field::input("password", "confirm", "再次输入新密码"),
            ],
        )),
        ..Section::default()
    })
}

pub async fn get(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    render(&state, &page(&user, None), StatusCode::OK)
}

pub async fn post(state: State, user: CurrentUser, body: web::Payload) -> AppResult<HttpResponse> {
    let form = read_form(body, &["current", "password", "confirm"]).await?;
    let (current, new) = (
        form.get("current").to_string(),
        form.get("password").to_string(),
    );
    if let Err(msg) = check_new_password(&new, form.get("confirm")) {
        return render(
            &state,
            &page(&user, Some(msg)),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let stored = user.user.password_hash.clone().unwrap_or_default();
    if !passwords::change(&state, user.user.id, stored, current, new).await? {
        let msg = Some("当前密码不正确。".to_string());
        return render(&state, &page(&user, msg), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let mut resp = see_other("/login?notice=session-ended");
    resp.add_cookie(&removal_cookie(state.public_base.starts_with("https://")))
        .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    Ok(resp)
}
