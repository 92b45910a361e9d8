//! Bureau: GET /admin/townships lists the townships; POST adds one (a city
//! other than Jinjiang, or a redrawn district).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::townships;
use crate::auth::session::CurrentUser;
use crate::error::AppResult;
use crate::routes::support::{read_form, render};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Page, Section, Table};

async fn page(
    state: &State,
    user: &CurrentUser,
    error: Option<String>,
    notice: Option<String>,
) -> AppResult<Page> {
    let list = townships::list(state).await?;
    let mut table = Table {
        headers: vec!["名称".into(), "类型".into()],
        ..Table::default()
    };
    for t in &list {
        table
            .rows
            .push(vec![Cell::text(&t.name), Cell::text(&t.kind)]);
    }
    let mut p = Page::for_user(user, "镇街");
    p.error = error;
    p.notice = notice;
    let csrf = p.csrf.clone();
    Ok(p.section(Section {
        table: Some(table),
        ..Section::default()
    })
    .section(Section {
        heading: "添加镇街".into(),
        form: Some(Form::post(
            "/admin/townships",
            &csrf,
            "添加",
            vec![
                Field::input("text", "name", "名称"),
                Field::select(
                    "kind",
                    "类型",
                    vec![
                        ("镇".into(), "镇".into()),
                        ("街道".into(), "街道".into()),
                        ("乡".into(), "乡".into()),
                    ],
                    "镇",
                ),
            ],
        )),
        ..Section::default()
    }))
}

pub async fn get(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let p = page(&state, &user, None, None).await?;
    render(&state, &p, StatusCode::OK)
}

pub async fn post(state: State, user: CurrentUser, body: web::Payload) -> AppResult<HttpResponse> {
    let form = read_form(body, &["name", "kind"]).await?;
    let name = form.get("name").trim().to_string();
    let kind = form.get("kind").to_string();
    if !townships::valid(&name, &kind) {
        let p = page(
            &state,
            &user,
            Some("请填写 1–30 字的名称并选择类型。".into()),
            None,
        )
        .await?;
        return render(&state, &p, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let added = townships::add(&state, name.clone(), kind, user.user.id).await?;
    let notice = if added {
        format!("已添加“{name}”。")
    } else {
        format!("“{name}”已存在。")
    };
    let p = page(&state, &user, None, Some(notice)).await?;
    render(&state, &p, StatusCode::OK)
}
