//! GET /admin/surveys/{survey_key}/history: a web survey's saved versions and, line by
//! line, what changed between two of them (by default the last two).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::survey_editor;
use crate::auth::session::CurrentUser;
use crate::error::AppResult;
use crate::routes::support::render;
use crate::state::State;
use crate::views::admin::{Cell, Page, Section, Table};

#[derive(serde::Deserialize)]
pub struct Query {
    a: Option<usize>,
    b: Option<usize>,
}

pub async fn get(
    state: State,
    user: CurrentUser,
    key: web::Path<String>,
    query: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let key = key.into_inner();
    let (versions, diff) = survey_editor::history(&state, key.clone(), query.a, query.b).await?;
    let mut table = Table {
        headers: ["版本", "问卷标题", "保存时间", "比较"]
            .map(String::from)
            .to_vec(),
        ..Table::default()
    };
    for (i, v) in versions.iter().enumerate() {
        let n = i + 1;
        table.rows.push(vec![
            Cell::text(format!("第 {n} 版")),
            Cell::text(&v.title),
            Cell::text(
                crate::domain::time::to_local(v.created_at)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            ),
            if n > 1 {
                Cell::link(
                    format!("与第 {} 版比较", n - 1),
                    format!("/admin/surveys/{key}/history?a={}&b={n}", n - 1),
                )
            } else {
                Cell::text("—")
            },
        ]);
    }
    let mut p = Page::for_user(&user, "问卷版本历史").section(Section {
        heading: format!("已保存的版本（共 {} 版）", versions.len()),
        paragraphs: vec![
            "每次“保存为新版本”都会留下一版；已发布的轮次一直使用发布时的那一版。".into(),
        ],
        links: vec![crate::views::admin::Link {
            href: format!("/admin/surveys/{key}"),
            text: "返回编辑".into(),
        }],
        table: Some(table),
        ..Section::default()
    });
    if let Some((a, b, lines)) = diff {
        let mut t = Table {
            headers: ["变化", "内容"].map(String::from).to_vec(),
            ..Table::default()
        };
        for l in lines.iter().filter(|l| l.sign != " ") {
            t.rows.push(vec![
                Cell::text(if l.sign == "+" { "新增" } else { "删去" }).warn(l.sign == "-"),
                Cell::text(&l.text),
            ]);
        }
        p = p.section(Section {
            heading: format!("第 {a} 版到第 {b} 版的改动"),
            paragraphs: vec![if t.rows.is_empty() {
                "两版内容相同。".into()
            } else {
                "按问卷文件逐行列出：“删去”是第一版里有、后一版里没有的行，“新增”反之。".into()
            }],
            table: Some(t),
            ..Section::default()
        });
    }
    render(&state, &p, StatusCode::OK)
}
