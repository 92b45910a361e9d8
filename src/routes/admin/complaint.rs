//! One complaint on its way to rectification: GET /admin/complaints/{complaint_id} shows it
//! with its steps and the forms its viewer may use; the POSTs take one step each (assign,
//! plan, follow-up, close). The guard has checked that the complaint is within reach.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::complaints::{about, kind_label, local_date};
use super::local_time;
use crate::app::rectification::{self, Detail};
use crate::auth::session::CurrentUser;
use crate::domain::account::Role;
use crate::domain::complaint::{Status, Step};
use crate::error::{AppError, AppResult};
use crate::routes::support::{read_form, render};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Page, Section, Table};

fn page(user: &CurrentUser, d: &Detail) -> Page {
    let c = &d.complaint;
    let role = user.user.role();
    let mut p = Page::for_user(user, format!("{}：{}", kind_label(&c.kind), about(c)));
    let status = if d.overdue {
        format!("{}（已超过整改期限）", d.status.label())
    } else {
        d.status.label().to_string()
    };
    let mut facts = vec![
        format!("收到时间：{}", local_time(c.created_at)),
        format!("状态：{status}"),
        format!("内容：{}", c.body),
    ];
    if role == Role::Bureau {
        facts.push(match &c.contact {
            Some(ct) => format!("家长留下的联系方式：{ct}"),
            None => "家长未留联系方式。".into(),
        });
    }
    if let Some(plan) = &c.plan {
        facts.push(format!("整改方案：{plan}"));
    }
    if let Some(due) = c.due_at {
        facts.push(format!("整改期限：{}", local_date(due)));
    }
    if let Some(note) = &c.reply {
        facts.push(format!("办结情况：{note}"));
    }
    p = p.section(Section {
        paragraphs: facts,
        ..Section::default()
    });
    let mut steps = Table {
        headers: ["时间", "环节", "办理人", "说明"]
            .map(String::from)
            .to_vec(),
        ..Table::default()
    };
    for s in &d.steps {
        let who = match (&s.user_name, s.user_role.as_deref()) {
            (Some(n), Some(r)) => crate::domain::account::Role::from_db_code(r)
                .map_or_else(|| n.clone(), |r| format!("{n}（{}）", r.label())),
            _ => "—".into(),
        };
        steps.rows.push(vec![
            Cell::text(local_time(s.at)),
            Cell::text(Step::from_db_code(&s.step).map_or("—", Step::label)),
            Cell::text(who),
            Cell::text(&s.note),
        ]);
    }
    p = p.section(Section {
        heading: "办理记录".into(),
        paragraphs: if d.steps.is_empty() {
            vec!["尚无办理记录。".into()]
        } else {
            Vec::new()
        },
        table: (!d.steps.is_empty()).then_some(steps),
        ..Section::default()
    });
    let action = |what: &str| format!("/admin/complaints/{}/{what}", c.id);
    let csrf = p.csrf.clone();
    if !d.assignable.is_empty() {
        let choices = d
            .assignable
            .iter()
            .map(|(id, name)| (id.to_string(), name.clone()))
            .collect();
        let current = c.school_id.map(|s| s.to_string()).unwrap_or_default();
        p = p.section(Section {
            heading: "分办到学校".into(),
            form: Some(Form::post(
                action("assign"),
                &csrf,
                "分办",
                vec![Field::select("school", "学校", choices, &current)],
            )),
            ..Section::default()
        });
    }
    let open = d.status != Status::Closed;
    if matches!(role, Role::School | Role::Bureau)
        && matches!(d.status, Status::Assigned | Status::Rectifying)
    {
        let due = c.due_at.map(local_date).unwrap_or_default();
        p = p.section(Section {
            heading: "整改方案".into(),
            form: Some(Form::post(
                action("plan"),
                &csrf,
                if d.status == Status::Rectifying {
                    "修改整改方案"
                } else {
                    "提交整改方案"
                },
                vec![
                    Field::textarea("plan", "整改措施").value(c.plan.clone().unwrap_or_default()),
                    Field::input("date", "deadline", "整改期限")
                        .value(due)
                        .hint("逾期未办结的，平台每天提醒学校和镇街。"),
                ],
            )),
            ..Section::default()
        });
    }
    if open && matches!(role, Role::Township | Role::Bureau) {
        p = p.section(Section {
            heading: "跟进督办".into(),
            form: Some(Form::post(
                action("follow-up"),
                &csrf,
                "记录跟进情况",
                vec![Field::textarea("note", "跟进情况")],
            )),
            ..Section::default()
        });
    }
    if open && role == Role::Bureau {
        p = p.section(Section {
            heading: "办结".into(),
            form: Some(Form::post(
                action("close"),
                &csrf,
                "办结",
                vec![Field::textarea("result", "处理情况")
                    .hint("写明做了什么、结果如何。办结后不能再修改。")],
            )),
            ..Section::default()
        });
    }
    p
}

async fn show(
    state: &State,
    user: &CurrentUser,
    id: i64,
    outcome: AppResult<()>,
) -> AppResult<HttpResponse> {
    let (notice, error) = match outcome {
        Ok(()) => (Some("已保存。".to_string()), None),
        Err(AppError::Invalid(e)) => (None, Some(e.summary())),
        Err(e) => return Err(e),
    };
    let d = rectification::detail(state, &user.user, id).await?;
    let mut p = page(user, &d);
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    p.notice = notice;
    p.error = error;
    render(state, &p, status)
}

pub async fn get(state: State, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let d = rectification::detail(&state, &user.user, path.into_inner()).await?;
    render(&state, &page(&user, &d), StatusCode::OK)
}

pub async fn assign(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = read_form(body, &["school"]).await?;
    let outcome = match form.get("school").parse::<i64>() {
        Ok(school) => rectification::assign(&state, &user.user, id, school).await,
        Err(_) => Err(AppError::invalid("请从列表中选择学校。")),
    };
    show(&state, &user, id, outcome).await
}

pub async fn plan(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = read_form(body, &["plan", "deadline"]).await?;
    let outcome = rectification::plan(
        &state,
        &user.user,
        id,
        form.get("plan"),
        form.get("deadline"),
    )
    .await;
    show(&state, &user, id, outcome).await
}

pub async fn follow_up(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = read_form(body, &["note"]).await?;
    let outcome = rectification::follow_up(&state, &user.user, id, form.get("note")).await;
    show(&state, &user, id, outcome).await
}

pub async fn close(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = read_form(body, &["result"]).await?;
    let outcome = rectification::close(&state, &user.user, id, form.get("result")).await;
    show(&state, &user, id, outcome).await
}
