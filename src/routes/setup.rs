//! /setup/{token}: the one-time link printed on the terminal of a fresh
//! installation creates the first bureau administrator. Once one exists the
//! link is dead.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::account::{read_public_form, render_public_form};
use super::support::{render, see_other};
use crate::app::setup;
use crate::domain::account::{check_display_name, check_new_password, Email};
use crate::error::AppResult;
use crate::state::State;
use crate::views::admin::{Field, Form, Page, Section};

fn form_page(action: &str, csrf: &str, name: &str, email: &str, error: Option<String>) -> Page {
    let mut p = Page::public("创建教育局管理员账户");
    p.error = error;
    p.section(Section {
        paragraphs: vec![
            "这是平台的第一个账户，拥有全部权限：管理学校、镇街、账户和调查轮次。".into(),
        ],
        form: Some(Form::post(
            action,
            csrf,
            "创建账户",
            vec![
                Field::input("text", "name", "姓名或称呼").value(name),
                Field::input("email", "email", "电子邮箱（登录用）").value(email),
                Field::input("password", "password", "密码（至少 10 个字符）"),
                Field::input("password", "confirm", "再次输入密码"),
            ],
        )),
        ..Section::default()
    })
}

fn dead() -> Page {
    Page::public("链接无效或已过期").section(Section {
        paragraphs: vec!["此设置链接无效、已过期或已使用。如需新的链接，请重新启动服务器。".into()],
        ..Section::default()
    })
}

pub async fn get(
    state: State,
    req: HttpRequest,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    if !setup::usable(&state, token.into_inner()).await? {
        return render(&state, &dead(), StatusCode::NOT_FOUND);
    }
    render_public_form(&state, &req, |csrf| {
        form_page(req.path(), csrf, "", "", None)
    })
}

pub async fn post(
    state: State,
    req: HttpRequest,
    token: web::Path<String>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let form = read_public_form(&req, body, &["name", "email", "password", "confirm"]).await?;
    let token = token.into_inner();
    if !setup::usable(&state, token.clone()).await? {
        return render(&state, &dead(), StatusCode::NOT_FOUND);
    }
    let checked = (|| {
        let name = check_display_name(form.get("name"))?;
        let email = Email::parse(form.get("email"))?;
        check_new_password(form.get("password"), form.get("confirm"))?;
        Ok::<_, String>((name, email))
    })();
    let (name, email) = match checked {
        Ok(v) => v,
        Err(msg) => {
            let p = form_page(
                req.path(),
                form.get("csrf"),
                form.get("name"),
                form.get("email"),
                Some(msg),
            );
            return render(&state, &p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let pass = form.get("password").to_string();
    setup::first_admin(&state, token, name, email, pass).await?;
    Ok(see_other("/login?notice=password-set"))
}
