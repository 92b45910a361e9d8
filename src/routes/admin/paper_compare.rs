//! /admin/schools/{school_id}/rounds/{round_id}/paper/compare?batch=…: a double-entry batch's
//! two passes side by side. GET lists each slip and where its two entries differ, with a choice
//! of which pass to follow; POST stores the batch once both passes are complete and every
//! difference is decided.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::double_entry::{self, batch_name, pass_of, Batch};
use crate::auth::session::CurrentUser;
use crate::domain::form_body;
use crate::error::{AppError, AppResult};
use crate::routes::support::{read_body, render};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Page, Section, Table};

#[derive(serde::Deserialize)]
pub struct Query {
    batch: Option<String>,
}

/// Without a batch name: the form that asks for one.
fn ask(user: &CurrentUser, base: String) -> Page {
    Page::for_user(user, "核对双人录入").section(Section {
        paragraphs: vec!["请输入要核对的批次名称（两个人录入时填写的名称）。".into()],
        form: Some(Form {
            method_get: true,
            ..Form::post(
                base,
                "",
                "核对这一批",
                vec![Field::input("text", "batch", "批次名称")],
            )
        }),
        ..Section::default()
    })
}

fn page(
    user: &CurrentUser,
    b: &Batch,
    name: &str,
    message: (Option<String>, Option<String>),
) -> Page {
    let p = &b.form.link.publication;
    let base = format!("/admin/schools/{}/rounds/{}/paper", p.school_id, p.round_id);
    let mut page = Page::for_user(user, format!("核对双人录入 · 批次“{name}”"));
    (page.notice, page.error) = message;
    let csrf = page.csrf.clone();
    let mut table = Table {
        headers: [
            "回执编号",
            "第一遍",
            "第二遍",
            "题目",
            "第一遍录入",
            "第二遍录入",
        ]
        .map(String::from)
        .to_vec(),
        ..Table::default()
    };
    let mut picks = vec![Field::input("hidden", "batch", "").value(name)];
    let mark = |typed: bool| Cell::text(if typed { "已录" } else { "未录" }).warn(!typed);
    for slip in &b.slips {
        let [one, two] = [slip.passes[0].is_some(), slip.passes[1].is_some()];
        if slip.differences.is_empty() {
            let agreed = if one && two { "一致" } else { "—" };
            table.rows.push(vec![
                Cell::text(&slip.serial),
                mark(one),
                mark(two),
                Cell::text(agreed),
                Cell::text(""),
                Cell::text(""),
            ]);
            continue;
        }
        for d in &slip.differences {
            table.rows.push(vec![
                Cell::text(&slip.serial),
                mark(one),
                mark(two),
                Cell::text(&d.question).warn(true),
                Cell::text(&d.first),
                Cell::text(&d.second),
            ]);
        }
        picks.push(Field::select(
            &format!("pick.{}", slip.serial),
            &format!("编号 {} 以哪一遍为准（请对照回执原件）", slip.serial),
            vec![
                (String::new(), "请选择".into()),
                ("1".into(), "第一遍".into()),
                ("2".into(), "第二遍".into()),
            ],
            "",
        ));
    }
    page.section(Section {
        heading: format!("共 {} 张回执", b.slips.len()),
        paragraphs: vec![
            "两遍录入一致的回执直接入库；不一致的标红，请第三个人对照回执原件选定以哪一遍为准。每张回执都录完两遍、所有不一致都选定后，整批才会入库。".into(),
        ],
        table: Some(table),
        form: Some(Form::post(
            format!("{base}/compare"),
            &csrf,
            "核对完毕，整批入库",
            picks,
        )),
        ..Section::default()
    })
}

pub async fn get(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    q: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let Some(raw) = q.batch.as_deref().filter(|b| !b.trim().is_empty()) else {
        let base = format!("/admin/schools/{school_id}/rounds/{round_id}/paper/compare");
        return render(&state, &ask(&user, base), StatusCode::OK);
    };
    let name = batch_name(raw).map_err(AppError::BadRequest)?;
    let b = double_entry::compare(&state, (round_id, school_id), name.clone()).await?;
    render(
        &state,
        &page(&user, &b, &name, (None, None)),
        StatusCode::OK,
    )
}

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let body = read_body(body, 64 * 1024).await?;
    let pairs = form_body::parse(&body).map_err(|e| AppError::BadRequest(e.message()))?;
    let mut batch = None;
    let mut picks = Vec::new();
    for (k, v) in pairs {
        if k == "batch" {
            batch = Some(v);
        } else if let Some(serial) = k.strip_prefix("pick.") {
            if let Some(p) = pass_of(&v) {
                picks.push((serial.to_string(), p));
            }
        } else if k != "csrf" {
            return Err(AppError::BadRequest(
                "提交的内容包含无法识别的字段。".into(),
            ));
        }
    }
    let name = batch_name(batch.as_deref().unwrap_or("")).map_err(AppError::BadRequest)?;
    let ids = (round_id, school_id);
    let outcome = double_entry::store(&state, ids, name.clone(), &picks, user.user.id).await?;
    let b = double_entry::compare(&state, ids, name.clone()).await?;
    let (message, status) = match outcome {
        Err(why) => ((None, Some(why)), StatusCode::UNPROCESSABLE_ENTITY),
        Ok(done) if done.refused.is_empty() => (
            (Some(format!("已入库 {} 张回执。", done.stored.len())), None),
            StatusCode::OK,
        ),
        Ok(done) => {
            let why: Vec<String> = done
                .refused
                .iter()
                .map(|(s, w)| format!("编号 {s}：{w}"))
                .collect();
            (
                (
                    Some(format!("已入库 {} 张回执。", done.stored.len())),
                    Some(format!("以下回执没有入库：{}", why.join("；"))),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    render(&state, &page(&user, &b, &name, message), status)
}
