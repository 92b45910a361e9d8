//! GET /admin/complaints: the complaints and suggestions each staff member sees — the
//! bureau all, a township officer its township's, a school its own — with their status and
//! deadline; the parent's contact only for the bureau. Viewing is audit-logged.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::local_time;
use crate::app::rectification::{self, ComplaintRow};
use crate::auth::session::CurrentUser;
use crate::domain::account::Role;
use crate::domain::complaint::{self, Status};
use crate::error::AppResult;
use crate::routes::support::render;
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Link, Page, Section, Table};

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

/// Complaints shown on one page of the list.
const PER_PAGE: usize = 20;

#[derive(Debug, Deserialize)]
pub struct Query {
    status: Option<String>,
    kind: Option<String>,
    page: Option<usize>,
}

pub async fn get(state: State, user: CurrentUser, q: web::Query<Query>) -> AppResult<HttpResponse> {
    let all = rectification::list(&state, &user.user).await?;
    let status = q.status.as_deref().and_then(Status::from_db_code);
    let kind = q
        .kind
        .as_deref()
        .filter(|k| ["complaint", "suggestion"].contains(k));
    let counts: Vec<(Status, usize)> = complaint::ALL
        .into_iter()
        .map(|st| (st, all.iter().filter(|r| r.status == st.db_code()).count()))
        .collect();
    let chosen: Vec<&ComplaintRow> = all
        .iter()
        .filter(|r| status.is_none_or(|st| r.status == st.db_code()))
        .filter(|r| kind.is_none_or(|k| (r.kind == "complaint") == (k == "complaint")))
        .collect();
    let pages = chosen.len().div_ceil(PER_PAGE).max(1);
    let n = q.page.unwrap_or(1).clamp(1, pages);
    let rows: Vec<&ComplaintRow> = chosen
        .iter()
        .skip((n - 1) * PER_PAGE)
        .take(PER_PAGE)
        .copied()
        .collect();
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
    for r in rows.iter().copied() {
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
    let keep = |page: usize| {
        let mut q = format!("/admin/complaints?page={page}");
        if let Some(st) = status {
            q.push_str(&format!("&status={}", st.db_code()));
        }
        if let Some(k) = kind {
            q.push_str(&format!("&kind={k}"));
        }
        q
    };
    let mut pager = Vec::new();
    if n > 1 {
        pager.push(Link {
            href: keep(n - 1),
            text: "← 上一页".into(),
        });
    }
    if n < pages {
        pager.push(Link {
            href: keep(n + 1),
            text: "下一页 →".into(),
        });
    }
    let summary = counts
        .iter()
        .map(|(st, c)| format!("{}{c}件", st.label()))
        .collect::<Vec<_>>()
        .join("，");
    let mut statuses = vec![(String::new(), "全部状态".to_string())];
    statuses.extend(
        counts
            .iter()
            .map(|(st, c)| (st.db_code().to_string(), format!("{}（{c}）", st.label()))),
    );
    let kinds = vec![
        (String::new(), "全部类型".to_string()),
        ("complaint".into(), "投诉举报".into()),
        ("suggestion".into(), "意见建议".into()),
    ];
    let mut filter = Form {
        action: "/admin/complaints".into(),
        method_get: true,
        submit: "筛选".into(),
        fields: vec![
            Field::select(
                "status",
                "状态",
                statuses,
                status.map_or("", |s| s.db_code()),
            ),
            Field::select("kind", "类型", kinds, kind.unwrap_or("")),
        ],
        ..Form::default()
    };
    filter.fields.iter_mut().for_each(|f| f.required = false);
    let p = p
        .section(Section {
            paragraphs: vec![
                if all.is_empty() {
                    format!("{intro}目前没有记录。")
                } else {
                    intro.to_string()
                },
                format!("共 {} 件：{summary}。", all.len()),
            ],
            form: (!all.is_empty()).then_some(filter),
            ..Section::default()
        })
        .section(Section {
            heading: if chosen.is_empty() {
                "没有符合条件的记录".into()
            } else {
                format!(
                    "符合条件的 {} 件，第 {n}/{pages} 页；点“查看与办理”处理",
                    chosen.len()
                )
            },
            table: (!rows.is_empty()).then_some(table),
            links: pager,
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
