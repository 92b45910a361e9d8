//! GET /admin/schools/{school_id}: a school's rounds with their response
//! counts, and links to each round's material and figures.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{level_label, local_time, percent, urban_label};
use crate::auth::session::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::routes::support::{render, with_conn};
use crate::state::State;
use crate::views::admin::{Cell, Link, Page, Section, Table};

pub async fn get(state: State, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let school_id = path.into_inner();
    let (school, rows, enrolment) = with_conn(&state, move |c| {
        let school = db::schools::find(c, school_id)?.ok_or(AppError::NotFound)?;
        let enrolment: i64 = db::schools::enrolment(c, school_id)?
            .iter()
            .map(|(_, n)| i64::from(*n))
            .sum();
        let mut rows = Vec::new();
        for r in db::rounds::list(c)? {
            if db::rounds::publication(c, r.id, school_id)?.is_some() {
                let n = db::responses::count_for(c, r.id, Some(school_id))?;
                rows.push((r, n));
            }
        }
        Ok((school, rows, enrolment))
    })
    .await?;
    let mut table = Table {
        headers: ["调查轮次", "开始", "截止", "回收份数", "回收率"]
            .map(String::from)
            .to_vec(),
        ..Table::default()
    };
    for (r, n) in &rows {
        let rate = db::stats::rate(*n, enrolment);
        table.rows.push(vec![
            Cell::link(
                &r.name,
                format!("/admin/schools/{school_id}/rounds/{}", r.id),
            ),
            Cell::text(local_time(r.opens_at)),
            Cell::text(local_time(r.closes_at)),
            Cell::num(n),
            Cell::text(percent(rate)).warn(rate.is_some_and(|x| x < 30.0)),
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
