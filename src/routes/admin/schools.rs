//! Bureau: GET /admin/schools lists every school; POST /admin/schools/import
//! takes the roster (CSV or XLSX, multipart upload). As from the CLI, every
//! problem is reported by row and column and a file with any problem changes
//! nothing.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use futures_util::StreamExt;

use super::{level_label, urban_label};
use crate::app::roster;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::routes::support::{read_body, render};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Page, Section, Table};

/// Largest roster file accepted (a province's schools fit in far less).
const MAX_UPLOAD: usize = 10 * 1024 * 1024;

async fn page(
    state: &State,
    user: &CurrentUser,
    notice: Option<String>,
    errors: Vec<String>,
) -> AppResult<Page> {
    let (schools, townships, enrol) = roster::overview(state).await?;
    let names: HashMap<i64, String> = townships.into_iter().map(|t| (t.id, t.name)).collect();
    let enrol: HashMap<i64, i64> = enrol.into_iter().collect();
    let mut table = Table {
        headers: [
            "学校代码",
            "学校名称",
            "镇街",
            "学段",
            "城乡",
            "在校生",
            "联系邮箱",
        ]
        .map(String::from)
        .to_vec(),
        ..Table::default()
    };
    for s in &schools {
        table.rows.push(vec![
            Cell::text(&s.code),
            Cell::link(&s.name, format!("/admin/schools/{}", s.id)),
            Cell::text(names.get(&s.township_id).cloned().unwrap_or_default()),
            Cell::text(level_label(&s.level)),
            Cell::text(urban_label(s.urban_rural_code)),
            Cell::num(enrol.get(&s.id).copied().unwrap_or(0)),
            Cell::text(s.contact_email.clone().unwrap_or_default()),
        ]);
    }
    let mut p = Page::for_user(user, "学校");
    p.notice = notice;
    if !errors.is_empty() {
        p.error = Some(format!("名册有 {} 处问题，未导入任何学校：", errors.len()));
    }
    let csrf = p.csrf.clone();
    let mut upload = Form::post(
        "/admin/schools/import",
        &csrf,
        "导入",
        vec![Field::input("file", "roster", "名册文件（.xlsx 或 .csv）").hint(
            "表头：学校代码、学校名称、乡镇街道、学段、城乡分类代码、一年级人数……九年级人数、联系邮箱。按学校代码更新已有学校。",
        )],
    );
    upload.multipart = true;
    Ok(p.section(Section {
        heading: "导入学校名册".into(),
        paragraphs: errors,
        form: Some(upload),
        ..Section::default()
    })
    .section(Section {
        heading: format!("全部学校（{} 所）", schools.len()),
        table: Some(table),
        ..Section::default()
    }))
}

pub async fn get(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let p = page(&state, &user, None, vec![]).await?;
    render(&state, &p, StatusCode::OK)
}

pub async fn import(
    state: State,
    user: CurrentUser,
    mut form: Multipart,
) -> AppResult<HttpResponse> {
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(AppError::unreadable)?;
        if field.name() != Some("roster") {
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or("roster.csv")
            .to_string();
        file = Some((name, read_body(&mut field, MAX_UPLOAD).await?));
    }
    let (name, bytes) = file.ok_or_else(|| AppError::BadRequest("请选择名册文件。".into()))?;
    let result = roster::upload(&state, name, bytes, user.user.id).await;
    let (notice, errors, status) = match result {
        Ok(s) => (
            Some(format!(
                "导入完成：新增 {} 所，更新 {} 所。",
                s.created, s.updated
            )),
            vec![],
            StatusCode::OK,
        ),
        Err(AppError::Invalid(i)) => (
            None,
            i.fields.into_iter().map(|(_, m)| m).collect(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => return Err(e),
    };
    let p = page(&state, &user, notice, errors).await?;
    render(&state, &p, status)
}
