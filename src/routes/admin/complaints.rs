//! Bureau: GET /admin/complaints lists parents' complaints and suggestions
//! with their status; POST /admin/complaints/{complaint_id} records the
//! handling (status and a reply note). Viewing is audit-logged.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::local_time;
use crate::app::complaints;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::routes::support::{read_form, render};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Page, Section, Table};

async fn page(state: &State, user: &CurrentUser, notice: Option<String>) -> AppResult<Page> {
    let rows = complaints::list(state, user.user.id).await?;
    let mut p = Page::for_user(user, "举报与意见");
    p.notice = notice;
    let csrf = p.csrf.clone();
    let mut table = Table {
        headers: [
            "收到时间",
            "学校",
            "类型",
            "内容",
            "联系方式",
            "科室",
            "状态",
            "处理",
        ]
        .map(String::from)
        .to_vec(),
        ..Table::default()
    };
    for r in &rows {
        let handled = r.status == "handled";
        let mut action = Cell::text(r.reply.clone().unwrap_or_default());
        let mut fields =
            vec![Field::textarea("reply", "处理情况").value(r.reply.clone().unwrap_or_default())];
        fields.push(Field::input("hidden", "status", "").value(if handled {
            "new"
        } else {
            "handled"
        }));
        action.button = Some(Form::post(
            format!("/admin/complaints/{}", r.id),
            &csrf,
            if handled {
                "改回未处理"
            } else {
                "标记已处理"
            },
            fields,
        ));
        table.rows.push(vec![
            Cell::text(local_time(r.created_at)),
            Cell::text(&r.school_name),
            Cell::text(if r.kind == "complaint" {
                "投诉举报"
            } else {
                "意见建议"
            }),
            Cell::text(&r.body),
            Cell::text(r.contact.clone().unwrap_or_else(|| "—".into())),
            Cell::text(if r.office == "primary" {
                "初幼教科"
            } else {
                "中教科"
            }),
            Cell::text(if handled { "已处理" } else { "未处理" }).warn(!handled),
            action,
        ]);
    }
    Ok(p.section(Section {
        table: Some(table),
        ..Section::default()
    }))
}

pub async fn get(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let p = page(&state, &user, None).await?;
    render(&state, &p, StatusCode::OK)
}

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = read_form(body, &["status", "reply"]).await?;
    let handled = match form.get("status") {
        "handled" => true,
        "new" => false,
        _ => return Err(AppError::BadRequest("状态只能是已处理或未处理。".into())),
    };
    let reply = form.get("reply").to_string();
    complaints::set_status(&state, id, handled, reply, user.user.id).await?;
    let p = page(&state, &user, Some("已保存。".into())).await?;
    render(&state, &p, StatusCode::OK)
}
