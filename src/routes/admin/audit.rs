//! Bureau: GET /admin/audit, the audit log, newest first. Read-only: the app
//! has no route that edits or deletes an entry.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::local_time;
use crate::app::audit;
use crate::auth::session::CurrentUser;
use crate::domain::audit_text::{action_label, detail_text, ACTIONS};
use crate::error::AppResult;
use crate::routes::support::render;
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Link, Page, Section, Table};

const PAGE: i64 = 50;

#[derive(Deserialize)]
pub struct Query {
    page: Option<i64>,
    action: Option<String>,
}

pub async fn get(state: State, user: CurrentUser, q: web::Query<Query>) -> AppResult<HttpResponse> {
    let n = q.page.unwrap_or(0).clamp(0, audit::MAX_PAGE);
    // Only a known action filters; anything else shows the whole log.
    let action = q
        .action
        .as_deref()
        .filter(|a| ACTIONS.iter().any(|(c, _)| c == a))
        .map(String::from);
    let (entries, more, total) = audit::page(&state, action.clone(), n, PAGE).await?;
    let mut table = Table {
        headers: ["时间", "账户", "操作", "详情"].map(String::from).to_vec(),
        ..Table::default()
    };
    for e in &entries {
        table.rows.push(vec![
            Cell::text(local_time(e.at)),
            Cell::text(e.user_email.clone().unwrap_or_else(|| "系统".into())),
            Cell::text(action_label(&e.action)),
            Cell::text(detail_text(&e.detail)),
        ]);
    }
    let keep = action
        .as_deref()
        .map_or(String::new(), |a| format!("&action={a}"));
    let mut links = Vec::new();
    if n > 0 {
        links.push(Link {
            href: format!("/admin/audit?page={}{keep}", n - 1),
            text: "← 较新的记录".into(),
        });
    }
    if more {
        links.push(Link {
            href: format!("/admin/audit?page={}{keep}", n + 1),
            text: "较早的记录 →".into(),
        });
    }
    let mut choices = vec![(String::new(), "全部操作".to_string())];
    choices.extend(
        ACTIONS
            .iter()
            .map(|(c, l)| ((*c).to_string(), (*l).to_string())),
    );
    let mut filter = Form {
        action: "/admin/audit".into(),
        method_get: true,
        submit: "筛选".into(),
        fields: vec![Field::select(
            "action",
            "只看这类操作",
            choices,
            action.as_deref().unwrap_or(""),
        )],
        ..Form::default()
    };
    filter.fields.iter_mut().for_each(|f| f.required = false);
    let first = n * PAGE + 1;
    let last = n * PAGE + entries.len() as i64;
    let page = Page::for_user(&user, "操作日志")
        .section(Section {
            paragraphs: vec![
                "记录登录、导出、查看、账户变更和邮件发送。日志只能追加，不能修改。".into(),
            ],
            form: Some(filter),
            ..Section::default()
        })
        .section(Section {
            heading: if total == 0 {
                "没有符合条件的记录".into()
            } else {
                format!("共 {total} 条，这是第 {first}–{last} 条（最新的在前）")
            },
            table: (!entries.is_empty()).then_some(table),
            links,
            ..Section::default()
        });
    render(&state, &page, StatusCode::OK)
}
