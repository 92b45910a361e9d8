//! GET/POST /account/password: change one's own password. Every session of
//! the account ends, this one included.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::auth::{password, session::removal_cookie, session::CurrentUser};
use crate::db;
use crate::domain::account::check_new_password;
use crate::error::AppResult;
use crate::routes::support::{read_form, render, see_other, with_conn};
use crate::startup::State;
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
    let now = state.clock.now();
    let form = read_form(body).await?;
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
    let hash = state
        .hash_gate
        .run(move || {
            password::verify(&stored, &current)
                .then(|| password::hash(&new))
                .transpose()
        })
        .await??;
    let Some(hash) = hash else {
        let msg = Some("当前密码不正确。".to_string());
        return render(&state, &page(&user, msg), StatusCode::UNPROCESSABLE_ENTITY);
    };
    let id = user.user.id;
    with_conn(&state, move |c| {
        db::users::set_password_hash(c, id, &hash)?;
        db::sessions::delete_all_for(c, id)?;
        db::audit::record(c, Some(id), "password_changed", "", now)?;
        Ok(())
    })
    .await?;
    let mut resp = see_other("/login?notice=session-ended");
    resp.add_cookie(&removal_cookie(state.public_base.starts_with("https://")))
        .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    Ok(resp)
}
