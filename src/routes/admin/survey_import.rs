//! Bureau: GET /admin/surveys/import offers the upload of a questionnaire made in another tool
//! (XLSForm from ODK or KoboToolbox, 问卷星 text); POST converts it and lists every problem by
//! its place beside the converted definition; POST with `?download` hands the reviewed
//! definition back as a file, and with `?save` makes it a web survey's draft, to be finished in
//! the editor. Converting alone stores nothing.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;

use crate::app::survey_import::{self, Converted, Format, ImportFailure, Problem, MAX_FILE_BYTES};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::routes::support::{attachment, read_body, render, see_other};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Page, Section, Table};

const PATH: &str = "/admin/surveys/import";

#[derive(Debug, Deserialize)]
pub struct Query {
    download: Option<String>,
    save: Option<String>,
}

fn upload_section(csrf: &str, format: Option<Format>) -> Section {
    let choices = Format::ALL
        .iter()
        .map(|(code, f)| (code.to_string(), f.label().to_string()))
        .collect();
    let current = format.unwrap_or(Format::XlsForm).as_str();
    let mut upload = Form::post(
        PATH,
        csrf,
        "转换",
        vec![
            Field::select("format", "问卷来自", choices, current),
            Field {
                accept: Some(".xlsx,.txt".into()),
                ..Field::input("file", "file", "问卷文件").hint(
                    "XLSForm 表格要有“survey”和“choices”两个工作表；问卷星文本中每道题以题号开头，题型写在方括号里，例如“1. 您孩子在读几年级？[单选题]”。",
                )
            },
        ],
    );
    upload.multipart = true;
    Section {
        heading: "从其他问卷工具导入".into(),
        paragraphs: vec![
            "转换本身不保存任何内容，也不会发布。转换后请逐条查看提示，再“保存为网页问卷”，到问卷编写里审核修改；也可以下载文件，放入服务器的问卷目录。".into(),
        ],
        form: Some(upload),
        ..Section::default()
    }
}

fn problem_table(problems: &[Problem]) -> Table {
    Table {
        headers: vec!["位置".into(), "说明".into()],
        rows: problems
            .iter()
            .map(|p| vec![Cell::text(p.place.to_string()), Cell::text(&p.message)])
            .collect(),
    }
}

fn result_page(
    user: &CurrentUser,
    format: Format,
    result: Result<Converted, ImportFailure>,
) -> (Page, StatusCode) {
    let mut p = Page::for_user(user, "导入问卷");
    let csrf = p.csrf.clone();
    let status = match result {
        Ok(c) => {
            p.notice = Some(format!(
                "已转换“{}”，共 {} 道题。请先逐条查看下面 {} 处提示，审核后再下载。",
                c.title,
                c.questions,
                c.problems.len()
            ));
            p = p.section(Section {
                heading: "需要审核的地方".into(),
                table: Some(problem_table(&c.problems)),
                ..Section::default()
            });
            let mut save = Form::post(
                format!("{PATH}?save"),
                &csrf,
                "保存为网页问卷（草稿）",
                vec![Field::input("hidden", "toml", "").value(c.source.clone())],
            );
            save.multipart = true;
            p = p.section(Section {
                heading: "在问卷编写中继续修改".into(),
                paragraphs: vec![
                    "保存后打开问卷编写页面，可以逐题修改；保存为新版本之前，问卷不能发布。".into(),
                ],
                form: Some(save),
                ..Section::default()
            });
            let mut download = Form::post(
                format!("{PATH}?download"),
                &csrf,
                "下载问卷定义文件",
                vec![Field::input("hidden", "toml", "").value(c.source.clone())],
            );
            download.multipart = true;
            p = p.section(Section {
                heading: "转换结果".into(),
                code: Some(c.source),
                form: Some(download),
                ..Section::default()
            });
            StatusCode::OK
        }
        Err(f) => {
            p.error = Some(format!(
                "文件有 {} 处问题，未能转换，没有导入任何内容：",
                f.problems.len()
            ));
            p = p.section(Section {
                heading: "问题清单".into(),
                table: Some(problem_table(&f.problems)),
                ..Section::default()
            });
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    (p.section(upload_section(&csrf, Some(format))), status)
}

pub async fn get(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let p = Page::for_user(&user, "导入问卷");
    let csrf = p.csrf.clone();
    render(
        &state,
        &p.section(upload_section(&csrf, None)),
        StatusCode::OK,
    )
}

pub async fn post(
    state: State,
    user: CurrentUser,
    q: web::Query<Query>,
    mut form: Multipart,
) -> AppResult<HttpResponse> {
    let (mut format, mut file, mut toml) = (None, None, None);
    while let Some(field) = form.next().await {
        let mut field = field.map_err(AppError::unreadable)?;
        match field.name() {
            Some("format") => format = Some(read_body(&mut field, 64).await?),
            Some("file") => file = Some(read_body(&mut field, MAX_FILE_BYTES).await?),
            Some("toml") => toml = Some(read_body(&mut field, MAX_FILE_BYTES).await?),
            _ => {}
        }
    }
    if q.save.is_some() {
        let text = toml
            .and_then(|t| String::from_utf8(t).ok())
            .ok_or_else(|| AppError::BadRequest("没有收到要保存的问卷定义。".into()))?;
        return match crate::app::survey_editor::create_from(&state, text, user.user.id).await? {
            Ok(key) => Ok(see_other(format!("/admin/surveys/{key}"))),
            Err(problems) => {
                let mut p = Page::for_user(&user, "导入问卷");
                p.error = Some("这份问卷定义没有通过检查，没有保存：".into());
                let csrf = p.csrf.clone();
                let p = p
                    .section(Section {
                        heading: "问题清单".into(),
                        paragraphs: problems,
                        ..Section::default()
                    })
                    .section(upload_section(&csrf, None));
                render(&state, &p, StatusCode::UNPROCESSABLE_ENTITY)
            }
        };
    }
    if q.download.is_some() {
        let text = toml
            .and_then(|t| String::from_utf8(t).ok())
            .ok_or_else(|| AppError::BadRequest("没有收到要下载的问卷定义。".into()))?;
        let (name, source) = survey_import::download(&state, &text)?;
        return Ok(HttpResponse::Ok()
            .content_type("application/toml; charset=utf-8")
            .insert_header(attachment(name.clone(), name))
            .body(source));
    }
    let format = format
        .and_then(|f| String::from_utf8(f).ok())
        .and_then(|f| Format::parse(f.trim()))
        .ok_or_else(|| AppError::BadRequest("请选择问卷来自哪个工具。".into()))?;
    let bytes = file.ok_or_else(|| AppError::BadRequest("请选择问卷文件。".into()))?;
    let result = survey_import::convert_upload(&state, format, bytes).await?;
    let (p, status) = result_page(&user, format, result);
    render(&state, &p, status)
}
