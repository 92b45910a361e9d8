//! Typical cases (典型案例) on the staff pages: a school's cases and the form to submit one
//! (multipart: up to nine images or PDFs); the township's and the bureau's list, where the
//! township recommends and the bureau selects; and the bureau's ZIP for the prefecture.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;

use super::local_time;
use crate::app::cases::{self, status_label, Case, Submission, Upload};
use crate::auth::session::CurrentUser;
use crate::domain::account::Role;
use crate::domain::upload::{MAX_FILES, MAX_FILE_BYTES};
use crate::error::{AppError, AppResult};
use crate::routes::support::{attachment, read_body, render};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Page, Section, Table};
use crate::views::cases::Links;

fn table(state: &State, list: &[Case], actions: impl Fn(&Case) -> Option<Form>) -> Table {
    let mut t = Table {
        headers: ["提交时间", "学校", "标题", "类别", "文件", "状态", "操作"]
            .map(String::from)
            .to_vec(),
        ..Table::default()
    };
    for case in list {
        let (c, files) = case;
        let mut action = Cell::text("");
        action.button = actions(case);
        t.rows.push(vec![
            Cell::text(local_time(c.created_at)),
            Cell::text(&c.school_name),
            Cell::link(&c.title, format!("/admin/cases/{}", c.id)),
            Cell::text(
                state
                    .catalog
                    .taxonomy()
                    .name_of(&c.category)
                    .unwrap_or(&c.category),
            ),
            Cell::num(files.len()),
            Cell::text(status_label(&c.status)).warn(c.status == "submitted"),
            action,
        ]);
    }
    t
}

async fn school_page(
    state: &State,
    user: &CurrentUser,
    school_id: i64,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Page> {
    let list = cases::of_school(state, school_id).await?;
    let mut p = Page::for_user(user, "典型案例");
    p.notice = notice;
    p.error = error;
    let csrf = p.csrf.clone();
    p = p.section(Section {
        paragraphs: vec![
            "本校报送的课后服务典型案例。镇街推荐、教育局遴选后，入选案例在平台的公开页面展示，并择优选送泉州市教育局。".into(),
        ],
        table: (!list.is_empty()).then(|| table(state, &list, |_| None)),
        ..Section::default()
    });
    if matches!(user.user.role(), Role::School | Role::Bureau) {
        let categories = state
            .catalog
            .taxonomy()
            .categories()
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect();
        let mut files = Field::input("file", "files", "图片或 PDF 文件").optional().hint(format!(
            "最多 {MAX_FILES} 个，每个不超过 10 MB；只接受 JPEG、PNG 图片和 PDF 文件。图片中的拍摄地点等信息会在上传时删除。"
        ));
        files.multiple = true;
        files.accept = Some("image/jpeg,image/png,application/pdf".into());
        let mut form = Form::post(
            format!("/admin/schools/{school_id}/cases"),
            &csrf,
            "报送案例",
            vec![
                Field::input("text", "title", "标题"),
                Field::select("category", "课程类别", categories, ""),
                Field::textarea("body", "案例介绍").hint("做法、成效和经验，不超过 5000 字。"),
                files,
            ],
        );
        form.multipart = true;
        p = p.section(Section {
            heading: "报送新案例".into(),
            form: Some(form),
            ..Section::default()
        });
    }
    Ok(p)
}

pub async fn school_get(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let p = school_page(&state, &user, path.into_inner(), None, None).await?;
    render(&state, &p, StatusCode::OK)
}

/// Most bytes of a whole case upload read before the request is refused outright.
const MAX_REQUEST: usize = (MAX_FILES + 2) * MAX_FILE_BYTES;

pub async fn school_post(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    mut form: Multipart,
) -> AppResult<HttpResponse> {
    let school_id = path.into_inner();
    let mut s = Submission {
        title: String::new(),
        category: String::new(),
        body: String::new(),
        files: Vec::new(),
    };
    let mut total = 0;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(AppError::unreadable)?;
        let name = field.name().unwrap_or_default().to_string();
        let filename = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(String::from);
        if name == "files" {
            let (bytes, oversized) = read_capped(&mut field, MAX_FILE_BYTES).await?;
            total += bytes.len();
            if total > MAX_REQUEST {
                return Err(AppError::PayloadTooLarge);
            }
            let name = filename.unwrap_or_default();
            if name.is_empty() && bytes.is_empty() {
                continue; // no file picked
            }
            s.files.push(Upload {
                name,
                bytes,
                oversized,
            });
            continue;
        }
        let value = read_body(&mut field, 64 * 1024).await?;
        let value = String::from_utf8(value)
            .map_err(|_| AppError::BadRequest("提交的内容不是有效的文字。".into()))?;
        match name.as_str() {
            "title" => s.title = value,
            "category" => s.category = value,
            "body" => s.body = value,
            _ => {}
        }
    }
    let (notice, error, status) = match cases::submit(&state, &user.user, school_id, s).await {
        Ok(_) => (Some("案例已报送。".to_string()), None, StatusCode::OK),
        Err(AppError::Invalid(e)) => (None, Some(e.summary()), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e),
    };
    let p = school_page(&state, &user, school_id, notice, error).await?;
    render(&state, &p, status)
}

/// Reads one file up to `max` bytes; past that it reads on (so that the answer can say which
/// file was too large) but keeps nothing more, and says so.
async fn read_capped(field: &mut actix_multipart::Field, max: usize) -> AppResult<(Vec<u8>, bool)> {
    let mut out = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(AppError::unreadable)?;
        seen += chunk.len();
        if seen > MAX_REQUEST {
            return Err(AppError::PayloadTooLarge);
        }
        if seen <= max {
            out.extend_from_slice(&chunk);
        }
    }
    Ok((if seen > max { Vec::new() } else { out }, seen > max))
}

async fn review_page(
    state: &State,
    user: &CurrentUser,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Page> {
    let list = cases::list(state, &user.user).await?;
    let role = user.user.role();
    let mut p = Page::for_user(user, "典型案例");
    p.notice = notice;
    p.error = error;
    let csrf = p.csrf.clone();
    let t = table(state, &list, |(c, _)| match (role, c.status.as_str()) {
        (Role::Township, "submitted") => Some(Form::post(
            format!("/admin/cases/{}/recommend", c.id),
            &csrf,
            "推荐",
            vec![],
        )),
        (Role::Bureau, "submitted" | "recommended") => Some(Form::post(
            format!("/admin/cases/{}/select", c.id),
            &csrf,
            "选送",
            vec![],
        )),
        _ => None,
    });
    let mut paragraphs = vec![if role == Role::Bureau {
        "各校报送的典型案例（镇街推荐的排在前面）。选送的案例在公开页面 /cases 展示，可下载为一个 ZIP 文件（含可打印的目录页），报送泉州市教育局。".to_string()
    } else {
        "本镇街学校报送的典型案例。请推荐优秀案例给教育局。".to_string()
    }];
    if list.is_empty() {
        paragraphs.push("目前没有案例。".into());
    }
    let mut links = vec![crate::views::admin::Link {
        href: "/cases".into(),
        text: "公开页面".into(),
    }];
    if role == Role::Bureau {
        links.push(crate::views::admin::Link {
            href: "/admin/cases/export".into(),
            text: "下载选送案例（ZIP）".into(),
        });
    }
    Ok(p.section(Section {
        paragraphs,
        links,
        table: (!list.is_empty()).then_some(t),
        ..Section::default()
    }))
}

pub async fn review_get(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let p = review_page(&state, &user, None, None).await?;
    render(&state, &p, StatusCode::OK)
}

async fn after(
    state: &State,
    user: &CurrentUser,
    outcome: AppResult<()>,
) -> AppResult<HttpResponse> {
    let (notice, error, status) = match outcome {
        Ok(()) => (Some("已保存。".to_string()), None, StatusCode::OK),
        Err(AppError::Invalid(e)) => (None, Some(e.summary()), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e),
    };
    let p = review_page(state, user, notice, error).await?;
    render(state, &p, status)
}

pub async fn recommend(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let outcome = cases::recommend(&state, &user.user, path.into_inner()).await;
    after(&state, &user, outcome).await
}

pub async fn select(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let outcome = cases::select(&state, &user.user, path.into_inner()).await;
    after(&state, &user, outcome).await
}

pub async fn export(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let taxonomy = state.catalog.taxonomy().clone();
    let templates = &state.templates;
    let bytes = cases::export(&state, &user.user, |list| {
        let p = crate::views::cases::page(list, &taxonomy, Links::Zip);
        Ok(templates.render("cases", &p)?)
    })
    .await?;
    let day = crate::domain::time::to_local(state.clock.now()).format("%Y%m%d");
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header(attachment(
            format!("typical-cases-{day}.zip"),
            format!("课后服务典型案例-{day}.zip"),
        ))
        .body(bytes))
}

/// One case as its reviewers see it, whatever its status.
pub async fn show(state: State, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let case = cases::one(&state, path.into_inner()).await?;
    let p = crate::views::cases::page(&[case], state.catalog.taxonomy(), Links::Staff);
    let body = state.templates.render("cases", &p)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(body))
}

pub async fn file(state: State, path: web::Path<(i64, i64)>) -> AppResult<HttpResponse> {
    let (case_id, id) = path.into_inner();
    let (kind, bytes) = cases::staff_file(&state, case_id, id).await?;
    Ok(crate::routes::cases::serve(
        kind,
        bytes,
        "private, no-store",
    ))
}
