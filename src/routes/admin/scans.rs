//! /admin/schools/{school_id}/rounds/{round_id}/scans: the school's page for returned paper
//! slips scanned on the copier or photographed. GET lists the slips waiting for a person and
//! offers the upload; POST scans the uploaded files and says what became of each slip (or,
//! when a file or page cannot be read, names it and stores nothing).

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;

use crate::app::paper::EntryForm;
use crate::app::scan_review;
use crate::app::scan_review::ScanReview;
use crate::app::scans::{self, Fate, ScanReport, Scope, Upload};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::routes::support::{read_body, render};
use crate::scan::input::{MAX_FILE_BYTES, MAX_PAGES};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Page, Section, Table};

/// Most files in one upload.
const MAX_FILES: usize = 20;

fn base(school_id: i64, round_id: i64) -> String {
    format!("/admin/schools/{school_id}/rounds/{round_id}/scans")
}

fn upload_section(csrf: &str, school_id: i64, round_id: i64) -> Section {
    let mut files = Field::input("file", "files", "扫描文件或照片").hint(format!(
        "复印机“扫描到 PDF”得到的文件（选灰度或彩色，200–300 dpi），或手机拍的 JPEG、PNG 照片；一次最多 {MAX_FILES} 个文件、共 {MAX_PAGES} 页，每个文件不超过 {} MB。",
        MAX_FILE_BYTES / 1024 / 1024
    ));
    files.multiple = true;
    files.accept = Some("application/pdf,image/jpeg,image/png".into());
    let mut form = Form::post(base(school_id, round_id), csrf, "上传并识别", vec![files]);
    form.multipart = true;
    Section {
        heading: "上传扫描的回执".into(),
        paragraphs: vec![
            "每页放一张回执，正放、倒放都可以。机器看得清的回执直接保存；看不准的题目（记号太淡、单选题选了两项、有涂改）不会猜，会列在下面等您对照图片确认。".into(),
            "如果有一页读不出来（找不到四角的黑块或二维码），整批都不会保存，页面会说明是哪个文件的第几页；请重新扫描那一页，或改用键盘录入那张回执。".into(),
        ],
        form: Some(form),
        ..Section::default()
    }
}

fn waiting_section(school_id: i64, round_id: i64, waiting: &[ScanReview]) -> Section {
    if waiting.is_empty() {
        return Section {
            heading: "等待人工核对的回执".into(),
            paragraphs: vec!["目前没有需要核对的回执。".into()],
            ..Section::default()
        };
    }
    let rows = waiting
        .iter()
        .map(|r| {
            vec![
                Cell::link(
                    format!("核对编号 {}", r.serial),
                    format!("{}/{}", base(school_id, round_id), r.id),
                ),
                Cell::text(&r.source),
                Cell::num(
                    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&r.doubts)
                        .map_or(0, |m| m.len()),
                ),
            ]
        })
        .collect();
    Section {
        heading: format!("等待人工核对的回执（{} 张）", waiting.len()),
        paragraphs: vec!["核对并保存后，这张回执才计入统计。".into()],
        table: Some(Table {
            headers: vec!["回执".into(), "来自".into(), "需要核对的题数".into()],
            rows,
        }),
        ..Section::default()
    }
}

fn report_section(report: &ScanReport) -> Section {
    let rows = report
        .slips
        .iter()
        .map(|s| {
            let what = match &s.fate {
                Fate::Stored => "已保存".to_string(),
                Fate::Waiting => "等待人工核对".to_string(),
                Fate::Skipped(why) => format!("未保存：{why}"),
            };
            vec![
                Cell::text(&s.place),
                Cell::text(&s.serial),
                Cell::text(what),
            ]
        })
        .collect();
    Section {
        heading: "本次识别结果".into(),
        table: Some(Table {
            headers: vec!["来自".into(), "回执编号".into(), "结果".into()],
            rows,
        }),
        ..Section::default()
    }
}

fn page(
    user: &CurrentUser,
    form: &EntryForm,
    waiting: &[ScanReview],
    report: Option<&ScanReport>,
) -> Page {
    let p = &form.link.publication;
    let (school_id, round_id) = (p.school_id, p.round_id);
    let mut page = Page::for_user(
        user,
        format!("扫描纸质回执 · {} · {}", p.school_name, p.round_name),
    );
    let csrf = page.csrf.clone();
    if let Some(r) = report {
        page.notice = Some(format!(
            "共识别 {} 页：已保存 {} 张，等待人工核对 {} 张，未保存 {} 张。",
            r.pages,
            r.count(|f| *f == Fate::Stored),
            r.count(|f| *f == Fate::Waiting),
            r.count(|f| matches!(f, Fate::Skipped(_)))
        ));
        page = page.section(report_section(r));
    }
    page.section(waiting_section(school_id, round_id, waiting))
        .section(upload_section(&csrf, school_id, round_id))
}

#[derive(serde::Deserialize)]
pub struct Query {
    saved: Option<String>,
    aside: Option<String>,
}

pub async fn get(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    q: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let (form, waiting) = scan_review::list(&state, (round_id, school_id)).await?;
    let mut p = page(&user, &form, &waiting, None);
    let short = |s: &str| s.chars().take(30).collect::<String>();
    if let Some(s) = &q.saved {
        p.notice = Some(format!("编号 {} 的回执已核对并保存。", short(s)));
    } else if let Some(s) = &q.aside {
        p.notice = Some(format!(
            "编号 {} 的回执没有保存，已从待核对列表中移除。请用“录入纸质回执”手工录入这张回执。",
            short(s)
        ));
    }
    render(&state, &p, StatusCode::OK)
}

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    mut body: Multipart,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let mut uploads = Vec::new();
    while let Some(field) = body.next().await {
        let mut field = field.map_err(AppError::unreadable)?;
        if field.name() != Some("files") {
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename().map(str::to_string))
            .unwrap_or_default();
        let bytes = read_body(&mut field, MAX_FILE_BYTES).await?;
        if bytes.is_empty() {
            continue;
        }
        if uploads.len() == MAX_FILES {
            return Err(AppError::BadRequest(format!(
                "一次最多上传 {MAX_FILES} 个文件，请分几次上传。"
            )));
        }
        let name: String = name.chars().take(60).collect();
        uploads.push(Upload { name, bytes });
    }
    if uploads.is_empty() {
        return Err(AppError::BadRequest(
            "请选择要上传的扫描文件或照片。".into(),
        ));
    }
    let scope = Scope::School {
        round_id,
        school_id,
    };
    let result = scans::scan_uploads(&state, scope, uploads, Some(user.user.id)).await?;
    let (form, waiting) = scan_review::list(&state, (round_id, school_id)).await?;
    match result {
        Ok(report) => render(
            &state,
            &page(&user, &form, &waiting, Some(&report)),
            StatusCode::OK,
        ),
        Err(why) => {
            let mut p = page(&user, &form, &waiting, None);
            p.error = Some(format!("{why}这次上传的回执都没有保存。"));
            render(&state, &p, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
