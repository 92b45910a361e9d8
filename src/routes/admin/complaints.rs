//! GET /admin/complaints: the complaints and suggestions each staff member sees — the
//! bureau all, a township officer its township's, a school its own — with their status and
//! deadline; the parent's contact only for the bureau. Viewing is audit-logged.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;

use super::local_time;
use crate::app::rectification::{self, ComplaintRow};
use crate::auth::session::CurrentUser;
use crate::domain::account::Role;
use crate::domain::complaint::{self, Status};
use crate::error::AppResult;
use crate::routes::support::render;
use crate::state::State;
use crate::views::admin::{Cell, Page, Section, Table};

pub fn kind_label(kind: &str) -> &'static str {
    if kind == "complaint" {
        "投诉举报"
    } else {
        "意见建议"
    }
}

/// "晋江市青阳中心小学", "青阳街道（未指明学校）" or "未指明学校".
pub fn about(r: &ComplaintRow) -> String {
    match (&r.school_name, &r.township_name) {
        (Some(s), _) => s.clone(),
        (None, Some(t)) => format!("{t}（未指明学校）"),
        (None, None) => "未指明学校".into(),
    }
}

/// The warning the bureau sees while no office mailbox is set.
pub fn routing_warning(state: &State) -> Option<String> {
    let missing = state.offices.unrouted();
    (!missing.is_empty()).then(|| {
        format!(
            "尚未设置{}接收举报的邮箱：相关投诉只保存在平台中，不会发送邮件。\
             请系统管理员在服务器设置的“科室”部分填写接收邮箱。",
            missing.join("、")
        )
    })
}

pub async fn get(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let rows = rectification::list(&state, &user.user).await?;
    let bureau = user.user.role() == Role::Bureau;
    let now = state.clock.now();
    let mut p = Page::for_user(&user, "举报与意见");
    if bureau {
        p.error = routing_warning(&state);
    }
    let mut headers = vec!["收到时间", "涉及学校", "类型", "内容"];
    if bureau {
        headers.push("联系方式");
    }
    headers.extend(["状态", "整改期限", "办理"]);
    let mut table = Table {
        headers: headers.into_iter().map(String::from).collect(),
        ..Table::default()
    };
    for r in &rows {
        let status = Status::from_db_code(&r.status).unwrap_or(Status::New);
        let overdue = complaint::overdue(status, r.due_at, now);
        let mut row = vec![
            Cell::text(local_time(r.created_at)),
            Cell::text(about(r)),
            Cell::text(kind_label(&r.kind)),
            Cell::text(&r.body),
        ];
        if bureau {
            row.push(Cell::text(r.contact.clone().unwrap_or_else(|| "—".into())));
        }
        let label = if overdue {
            format!("{}（已逾期）", status.label())
        } else {
            status.label().to_string()
        };
        row.extend([
            Cell::text(label).warn(status == Status::New || overdue),
            Cell::text(r.due_at.map_or_else(|| "—".into(), local_date)),
            Cell::link("查看与办理", format!("/admin/complaints/{}", r.id)),
        ]);
        table.rows.push(row);
    }
    let intro = match user.user.role() {
        Role::Bureau => "家长通过问卷页面或常设意见箱提交的意见建议和投诉举报。请分办到学校，督促学校整改，并在办结时写明处理情况。",
        Role::Township => "本镇街学校的投诉举报和意见建议。请跟进学校的整改情况。",
        Role::School => "教育局分办到本校的投诉举报和意见建议。请提交整改方案和整改期限，并按期整改。",
    };
    let p = p.section(Section {
        paragraphs: vec![if rows.is_empty() {
            format!("{intro}目前没有记录。")
        } else {
            intro.to_string()
        }],
        table: (!rows.is_empty()).then_some(table),
        ..Section::default()
    });
    render(&state, &p, StatusCode::OK)
}

/// A deadline (the end of a local day) as that day.
pub fn local_date(t: chrono::NaiveDateTime) -> String {
    crate::domain::time::to_local(t)
        .format("%Y-%m-%d")
        .to_string()
}
