//! GET /admin/surveys lists every survey (shipped files and those written on the web) with
//! 新建 and 复制; POST makes a new web survey, blank or a copy, and opens its editor.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::survey_editor;
use crate::auth::session::CurrentUser;
use crate::domain::account::Role;
use crate::error::AppResult;
use crate::routes::support::{read_form, render, see_other};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Link, Page, Section, Table};

pub async fn get(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let surveys = survey_editor::list(&state).await?;
    let bureau = user.user.role() == Role::Bureau;
    let mut p = Page::for_user(&user, "问卷编写");
    let csrf = p.csrf.clone();
    let mut headers = vec!["问卷", "来源", "填写人", "题目数", "最后保存"];
    if bureau {
        headers.push("操作");
    }
    let mut table = Table {
        headers: headers.into_iter().map(String::from).collect(),
        ..Table::default()
    };
    for s in &surveys {
        let title = match s.web {
            true => Cell::link(&s.title, format!("/admin/surveys/{}", s.key)),
            false => Cell::text(&s.title),
        };
        let mut row = vec![
            title,
            Cell::text(if s.web {
                "网页编写"
            } else {
                "随系统提供"
            }),
            Cell::text(s.respondent.map_or("—", |r| r.label())),
            Cell::num(s.questions),
            Cell::text(s.saved_at.map_or_else(
                || "尚未保存版本".to_string(),
                |t| {
                    crate::domain::time::to_local(t)
                        .format("%Y-%m-%d %H:%M")
                        .to_string()
                },
            )),
        ];
        if bureau {
            let mut copy = Form::post(
                "/admin/surveys",
                &csrf,
                "复制",
                vec![Field::input("hidden", "copy", "").value(&s.key)],
            );
            copy.submit = "复制".into();
            row.push(Cell {
                button: Some(copy),
                ..Cell::default()
            });
        }
        table.rows.push(row);
    }
    let mut intro = Section {
        heading: "全部问卷".into(),
        paragraphs: vec![
            "随系统提供的问卷不能在网页上修改，可以“复制”后修改。网页编写的问卷点标题进入编辑；保存为新版本后即可在“调查轮次”中发布，已发布的轮次仍用发布时的版本。".into(),
        ],
        table: Some(table),
        ..Section::default()
    };
    if bureau {
        intro.form = Some(Form::post("/admin/surveys", &csrf, "新建问卷", vec![]));
        intro.links = vec![Link {
            href: "/admin/surveys/import".into(),
            text: "从问卷星或 XLSForm（KoboToolbox、ODK）导入问卷".into(),
        }];
    }
    p = p.section(intro);
    render(&state, &p, StatusCode::OK)
}

pub async fn post(state: State, user: CurrentUser, body: web::Payload) -> AppResult<HttpResponse> {
    let form = read_form(body, &["copy"]).await?;
    let copy = Some(form.get("copy").trim())
        .filter(|s| !s.is_empty())
        .map(String::from);
    let key = survey_editor::create(&state, copy, user.user.id).await?;
    Ok(see_other(format!("/admin/surveys/{key}")))
}
