//! GET /admin/schools/{school_id}: a school's rounds with their response
//! counts, and links to each round's material and figures.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{level_label, local_time, rate_cell, urban_label};
use crate::app::schools::{self, rate};
use crate::auth::session::CurrentUser;
use crate::error::AppResult;
use crate::routes::support::render;
use crate::state::State;
use crate::views::admin::{Cell, Link, Page, Section, Table};

pub async fn get(state: State, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let school_id = path.into_inner();
    let (school, rows, enrolment) = schools::overview(&state, school_id).await?;
    let mut table = Table {
        headers: ["调查轮次", "开始", "截止", "回收份数", "回收率"]
            .map(String::from)
            .to_vec(),
        ..Table::default()
    };
    for (r, n) in &rows {
        let rate = rate(*n, enrolment);
        table.rows.push(vec![
            Cell::link(
                &r.name,
                format!("/admin/schools/{school_id}/rounds/{}", r.id),
            ),
            Cell::text(local_time(r.opens_at)),
            Cell::text(crate::domain::time::closing_label(r.closes_at)),
            Cell::num(n),
            rate_cell(rate, state.settings.analysis.low_rate_percent),
        ]);
    }
    let page = Page::for_user(&user, school.name.clone())
        .section(Section {
            paragraphs: vec![format!(
                "学校代码 {} · {} · {} · 在校生 {} 人",
                school.code,
                level_label(&school.level),
                urban_label(school.urban_rural_code),
                enrolment
            )],
            table: Some(table),
            ..Section::default()
        })
        .section(Section {
            heading: "一校一案".into(),
            links: vec![Link {
                href: format!("/admin/schools/{school_id}/plan"),
                text: "查看和修改本校课后服务方案（2+N 模式、活动、校外资源）".into(),
            }],
            ..Section::default()
        });
    render(&state, &page, StatusCode::OK)
}
