//! Bureau: GET /admin/accounts lists staff accounts; POST invites a new one
//! by e-mail (a one-time link to set a password, valid 72 hours); POST
//! /admin/accounts/{user_id}/active turns an account off (ending its
//! sessions) or on again.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::auth::session::CurrentUser;
use crate::db::{self, account_tokens::Purpose, users::NewUser};
use crate::domain::account::{check_display_name, Email, Role};
use crate::email::{messages, Delivery};
use crate::error::{AppError, AppResult};
use crate::routes::support::{read_form, render, with_conn, Fields};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Page, Section, Table};

async fn page(
    state: &State,
    user: &CurrentUser,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Page> {
    let (users, schools, townships) = with_conn(state, |c| {
        Ok((
            db::users::list(c)?,
            db::schools::list(c)?,
            db::townships::list(c)?,
        ))
    })
    .await?;
    let school_names: HashMap<i64, &str> =
        schools.iter().map(|s| (s.id, s.name.as_str())).collect();
    let township_names: HashMap<i64, &str> =
        townships.iter().map(|t| (t.id, t.name.as_str())).collect();
    let mut p = Page::for_user(user, "账户");
    p.notice = notice;
    p.error = error;
    let csrf = p.csrf.clone();
    let mut table = Table {
        headers: ["姓名", "电子邮箱", "角色", "范围", "状态", ""]
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
                format!("未配置邮件服务器：邀请邮件将保存到服务器的 {} 文件夹，请从中取出链接转交被邀请人。", state.mailer.outbox_dir().display())
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
    let now = state.clock.now();
    let form = read_form(body).await?;
    form.only(&["name", "email", "role", "school_code", "township_id"])?;
    let (name, email, role, school_code, township_id) = match parse_invite(&form) {
        Ok(v) => v,
        Err(msg) => {
            let p = page(&state, &user, None, Some(msg)).await?;
            return render(&state, &p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (uid, e2, n2) = (user.user.id, email.clone(), name.clone());
    let created = with_conn(&state, move |c| {
        use diesel::Connection;
        c.transaction(|c| {
            if db::users::find_by_email(c, e2.as_str())?.is_some() {
                return Ok(Err("该电子邮箱已有账户。".to_string()));
            }
            let (school_id, township_id, scope) = match role {
                Role::Bureau => (None, None, "全市".to_string()),
                Role::Township => {
                    let t = db::townships::list(c)?
                        .into_iter()
                        .find(|t| Some(t.id) == township_id);
                    match t {
                        Some(t) => (None, Some(t.id), t.name),
                        None => return Ok(Err("镇街教委办账户需要选择镇街。".to_string())),
                    }
                }
                Role::School => match db::schools::find_by_code(c, &school_code)? {
                    Some(s) => (Some(s.id), None, s.name),
                    None => return Ok(Err(format!("找不到学校代码“{school_code}”。"))),
                },
            };
            let id = db::users::create(
                c,
                &NewUser {
                    email: &e2,
                    display_name: &n2,
                    role,
                    township_id,
                    school_id,
                },
                now,
            )?;
            let token = db::account_tokens::issue(c, id, Purpose::Invite, now)?;
            db::audit::record(
                c,
                Some(uid),
                "account_invited",
                &format!("{} role={}", e2.as_str(), role.db_code()),
                now,
            )?;
            Ok::<_, AppError>(Ok((token, scope)))
        })
    })
    .await?;
    let (token, scope) = match created {
        Ok(v) => v,
        Err(msg) => {
            let p = page(&state, &user, None, Some(msg)).await?;
            return render(&state, &p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let link = format!("{}/invite/{token}", state.public_base);
    let msg = messages::invitation(&email, &name, role.label(), &scope, &link);
    let notice = match state.mailer.send(&msg).await {
        Ok(Delivery::Sent) => format!("已向 {} 发送邀请邮件。", email.as_str()),
        Ok(Delivery::Outbox(path)) => {
            format!("未配置邮件服务器：邀请邮件已保存为 {}。", path.display())
        }
        Err(e) => {
            tracing::error!(error = ?e, "invitation not sent");
            "账户已创建，但邀请邮件发送失败，请检查邮件设置。".to_string()
        }
    };
    let detail = format!("invitation to {}", email.as_str());
    with_conn(&state, move |c| {
        Ok(db::audit::record(
            c,
            Some(uid),
            "email_invitation",
            &detail,
            now,
        )?)
    })
    .await?;
    let p = page(&state, &user, Some(notice), None).await?;
    render(&state, &p, StatusCode::OK)
}

pub async fn set_active(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let target = path.into_inner();
    let form = read_form(body).await?;
    form.only(&["active"])?;
    let active = form.get("active") == "1";
    if target == user.user.id {
        return Err(AppError::BadRequest("不能停用自己的账户。".into()));
    }
    let uid = user.user.id;
    with_conn(&state, move |c| {
        db::users::find(c, target)?.ok_or(AppError::NotFound)?;
        db::users::set_active(c, target, active)?;
        if !active {
            db::sessions::delete_all_for(c, target)?;
        }
        db::audit::record(
            c,
            Some(uid),
            if active {
                "account_enabled"
            } else {
                "account_disabled"
            },
            &format!("user={target}"),
            now,
        )?;
        Ok(())
    })
    .await?;
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
