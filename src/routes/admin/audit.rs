//! Bureau: GET /admin/audit, the audit log, newest first. Read-only: the app
//! has no route that edits or deletes an entry.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::local_time;
use crate::app::audit;
use crate::auth::session::CurrentUser;
use crate::domain::audit_text::{action_label, detail_text};
use crate::error::AppResult;
use crate::routes::support::render;
use crate::state::State;
use crate::views::admin::{Cell, Link, Page, Section, Table};

const PAGE: i64 = 100;

#[derive(Deserialize)]
pub struct Query {
    page: Option<i64>,
}

pub async fn get(state: State, user: CurrentUser, q: web::Query<Query>) -> AppResult<HttpResponse> {
    let n = q.page.unwrap_or(0).clamp(0, audit::MAX_PAGE);
    let (entries, more) = audit::page(&state, n, PAGE).await?;
    let mut table = Table {
        headers: ["时间", "账户", "操作", "详情"].map(String::from).to_vec(),
        ..Table::default()
    };
    for e in &entries {
        table.rows.push(vec![
            Cell::text(local_time(e.at)),
            Cell::text(e.user_email.clone().unwrap_or_else(|| "—".into())),
            Cell::text(action_label(&e.action)),
            Cell::text(detail_text(&e.detail)),
        ]);
    }
    let mut links = Vec::new();
    if n > 0 {
        links.push(Link {
            href: format!("/admin/audit?page={}", n - 1),
            text: "较新".into(),
        });
    }
    if more {
        links.push(Link {
            href: format!("/admin/audit?page={}", n + 1),
            text: "较早".into(),
        });
    }
    let page = Page::for_user(&user, "操作日志").section(Section {
        paragraphs: vec![
            "记录登录、导出、查看、账户变更和邮件发送。日志只能追加，不能修改。".into(),
        ],
        table: Some(table),
        links,
        ..Section::default()
    });
    render(&state, &page, StatusCode::OK)
}
