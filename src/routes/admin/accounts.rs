//! Bureau: GET /admin/accounts lists staff accounts; POST invites a new one
//! by e-mail (a one-time link to set a password, valid 72 hours); POST
//! /admin/accounts/{user_id}/active turns an account off (ending its
//! sessions) or on again.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::accounts::{self, Invite};
use crate::auth::session::CurrentUser;
use crate::domain::account::{check_display_name, Email, Role};
use crate::error::{AppError, AppResult};
use crate::routes::support::{read_form, render, Fields};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Page, Section, Table};

async fn page(
    state: &State,
    user: &CurrentUser,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Page> {
    let (users, schools, townships) = accounts::overview(state).await?;
    let school_names: HashMap<i64, &str> =
        schools.iter().map(|s| (s.id, s.name.as_str())).collect();
    let township_names: HashMap<i64, &str> =
        townships.iter().map(|t| (t.id, t.name.as_str())).collect();
    let mut p = Page::for_user(user, "账户");
    p.notice = notice;
    p.error = error;
    let csrf = p.csrf.clone();
    let mut table = Table {
        headers: ["姓名", "电子邮箱", "角色", "范围", "状态", "操作"]
            .map(String::from)
            .to_vec(),
        ..Table::default()
    };
    for u in &users {
        let scope = match u.role() {
            Role::Bureau => "全市".to_string(),
            Role::Township => u
                .township_id
                .and_then(|t| township_names.get(&t))
                .copied()
                .unwrap_or("")
                .to_string(),
            Role::School => u
                .school_id
                .and_then(|s| school_names.get(&s))
                .copied()
                .unwrap_or("")
                .to_string(),
        };
        let status = match (u.active, u.password_hash.is_some()) {
            (false, _) => "已停用",
            (true, false) => "已邀请，未设置密码",
            (true, true) => "正常",
        };
        let mut toggle = Cell::default();
        if u.id != user.user.id {
            toggle.button = Some(Form::post(
                format!("/admin/accounts/{}/active", u.id),
                &csrf,
                if u.active { "停用" } else { "启用" },
                vec![Field::input("hidden", "active", "").value(if u.active { "0" } else { "1" })],
            ));
        }
        table.rows.push(vec![
            Cell::text(&u.display_name),
            Cell::text(&u.email),
            Cell::text(u.role().label()),
            Cell::text(scope),
            Cell::text(status).warn(!u.active),
            toggle,
        ]);
    }
    let roles = vec![
        ("school".to_string(), "学校管理员".to_string()),
        ("township".to_string(), "镇街教委办".to_string()),
        ("bureau".to_string(), "教育局管理员".to_string()),
    ];
    let mut township_choices = vec![(String::new(), "（学校管理员和教育局无需选择）".to_string())];
    township_choices.extend(townships.iter().map(|t| (t.id.to_string(), t.name.clone())));
    let mut fields = vec![
        Field::input("text", "name", "姓名或称呼"),
        Field::input("email", "email", "电子邮箱"),
        Field::select("role", "角色", roles, "school"),
        Field::input("text", "school_code", "学校代码")
            .optional()
            .hint("角色为学校管理员时填写"),
        Field::select("township_id", "镇街", township_choices, ""),
    ];
    fields[4].required = false;
    Ok(p
        .section(Section {
            heading: "邀请新账户".into(),
            paragraphs: vec![if state.mailer.is_smtp() {
                "被邀请人会收到一封邮件，用其中的链接（72 小时内有效）设置密码。".into()
            } else {
                "尚未设置发信服务器：邀请邮件会先保存在服务器上，请系统管理员从中取出设置密码的链接，转交被邀请人。".into()
            }],
            form: Some(Form::post("/admin/accounts", &csrf, "发送邀请", fields)),
            ..Section::default()
        })
        .section(Section { heading: format!("全部账户（{} 个）", users.len()), table: Some(table), ..Section::default() }))
}

pub async fn get(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let p = page(&state, &user, None, None).await?;
    render(&state, &p, StatusCode::OK)
}

/// The new account's role and scope, checked.
fn parse_invite(form: &Fields) -> Result<(String, Email, Role, String, Option<i64>), String> {
    let name = check_display_name(form.get("name"))?;
    let email = Email::parse(form.get("email"))?;
    let role = Role::from_db_code(form.get("role")).ok_or("请选择角色。")?;
    let township = form.get("township_id").trim().parse::<i64>().ok();
    Ok((
        name,
        email,
        role,
        form.get("school_code").trim().to_string(),
        township,
    ))
}

pub async fn invite(
    state: State,
    user: CurrentUser,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let form = read_form(
        body,
        &["name", "email", "role", "school_code", "township_id"],
    )
    .await?;
    let invited = match parse_invite(&form) {
        Ok((name, email, role, school_code, township_id)) => {
            let i = Invite {
                name,
                email,
                role,
                school_code,
                township_id,
            };
            accounts::invite(&state, i, user.user.id).await
        }
        Err(msg) => Err(AppError::invalid(msg)),
    };
    let (notice, error, status) = match invited {
        Ok(notice) => (Some(notice), None, StatusCode::OK),
        Err(AppError::Invalid(e)) => (None, Some(e.summary()), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e),
    };
    let p = page(&state, &user, notice, error).await?;
    render(&state, &p, status)
}

pub async fn set_active(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let target = path.into_inner();
    let form = read_form(body, &["active"]).await?;
    let active = form.get("active") == "1";
    accounts::set_active(&state, target, active, user.user.id).await?;
    let p = page(
        &state,
        &user,
        Some(
            if active {
                "账户已启用。"
            } else {
                "账户已停用，其登录已全部退出。"
            }
            .into(),
        ),
        None,
    )
    .await?;
    render(&state, &p, StatusCode::OK)
}
