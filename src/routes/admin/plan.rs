//! GET/POST /admin/schools/{school_id}/plan: the school's plan (一校一案) edited on the page —
//! its 2+N model, days and hours, outside resources, staff and activities. Saving adds a
//! revision (every revision is kept, as with the XLSX import), checked by the import's rules;
//! a form with problems comes back with every field as typed and each problem named.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::plans::{self, SchoolPlan};
use crate::auth::access::Access;
use crate::auth::session::CurrentUser;
use crate::domain::plan::RESOURCES;
use crate::domain::plan_form::{Place, PlanForm};
use crate::error::AppResult;
use crate::routes::support::{read_form, render, see_other};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Link, Page, Section, Table};

#[derive(Debug, serde::Deserialize)]
pub struct Query {
    saved: Option<String>,
}

const LABELS: [(&str, &str); 8] = [
    ("term", "学期"),
    ("extra_n", "N（2+N 模式）"),
    ("days_per_week", "每周服务天数"),
    ("minutes_per_day", "每天服务分钟数"),
    ("resources", "校外资源"),
    ("teachers", "校内教师人数"),
    ("outside_staff", "校外人员人数"),
    ("activities", "活动"),
];

fn label(field: &str) -> &'static str {
    LABELS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or("", |(_, l)| l)
}

pub async fn get(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    q: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let school_id = path.into_inner();
    let SchoolPlan {
        name,
        code,
        form,
        revisions,
    } = plans::school(&state, school_id).await?;
    let mut page = page(
        &state,
        &user,
        school_id,
        &name,
        &code,
        &form,
        revisions,
        &[],
    );
    if q.saved.is_some() {
        page.notice = Some("方案已保存为新的修订版本。".into());
    }
    render(&state, &page, StatusCode::OK)
}

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let school_id = path.into_inner();
    let fields = read_form(body, &LABELS.map(|(f, _)| f)).await?;
    let form = PlanForm {
        term: fields.get("term").into(),
        extra_n: fields.get("extra_n").into(),
        days_per_week: fields.get("days_per_week").into(),
        minutes_per_day: fields.get("minutes_per_day").into(),
        resources: fields.get("resources").into(),
        teachers: fields.get("teachers").into(),
        outside_staff: fields.get("outside_staff").into(),
        activities: fields.get("activities").into(),
    };
    let SchoolPlan {
        name,
        code,
        revisions,
        ..
    } = plans::school(&state, school_id).await?;
    match form.check(&code, state.catalog.taxonomy()) {
        Ok(plan) => {
            let (uid, email) = (user.user.id, user.user.email.clone());
            plans::save(&state, school_id, plan, uid, email).await?;
            Ok(see_other(format!(
                "/admin/schools/{school_id}/plan?saved=1"
            )))
        }
        Err(problems) => {
            let mut page = page(
                &state, &user, school_id, &name, &code, &form, revisions, &problems,
            );
            page.error = Some(format!(
                "发现 {} 处问题，方案未保存。已填写的内容都保留着，请修改后再保存。",
                problems.len()
            ));
            render(&state, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn page(
    state: &State,
    user: &CurrentUser,
    school_id: i64,
    name: &str,
    code: &str,
    f: &PlanForm,
    revisions: i64,
    problems: &[(Place, String)],
) -> Page {
    let mut page = Page::for_user(user, format!("{name} · 一校一案"));
    let csrf = page.csrf.clone();
    let categories: Vec<String> = state
        .catalog
        .taxonomy()
        .categories()
        .iter()
        .map(|c| format!("{} {}", c.id, c.name))
        .collect();
    let problem_lines: Vec<String> = problems
        .iter()
        .map(|(p, m)| match p {
            Place::Field(f) => format!("{}：{m}", label(f)),
            Place::Activity(n) => format!("活动第 {n} 行：{m}"),
        })
        .collect();
    let input = |kind: &'static str, name: &str, value: &str| {
        Field::input(kind, name, label(name)).value(value)
    };
    page = page.section(Section {
        paragraphs: vec![
            format!(
                "学校代码 {code}。每次保存都会新增一个修订版本（已有 {revisions} 个），需求分析使用最新版本。也可由教育局用 XLSX 批量导入。"
            ),
        ],
        links: vec![Link {
            href: format!("/admin/schools/{school_id}"),
            text: "← 返回学校页面".into(),
        }],
        ..Section::default()
    });
    if !problem_lines.is_empty() {
        page = page.section(Section {
            heading: "需要修改的地方".into(),
            paragraphs: problem_lines,
            ..Section::default()
        });
    }
    if !Access::SchoolStaff.admits(user.user.role()) {
        // Township officers read the plan; only the school and the bureau change it.
        return page.section(Section {
            heading: "方案".into(),
            table: Some(read_only(f)),
            ..Section::default()
        });
    }
    page.section(Section {
        heading: "方案".into(),
        form: Some(Form::post(
            format!("/admin/schools/{school_id}/plan"),
            &csrf,
            "保存为新版本",
            vec![
                input("text", "term", &f.term).hint("如“2026秋”"),
                input("number", "extra_n", &f.extra_n).hint("“2+N”中的 N：作业辅导和体育锻炼之外的拓展活动数"),
                input("number", "days_per_week", &f.days_per_week).hint("1–5；“5+2”为 5"),
                input("number", "minutes_per_day", &f.minutes_per_day).hint("30–240；“5+2”每天至少 120"),
                input("text", "resources", &f.resources)
                    .optional()
                    .hint(format!("用“；”分开，可选：{}", RESOURCES.join("；"))),
                input("number", "teachers", &f.teachers),
                input("number", "outside_staff", &f.outside_staff),
                Field::textarea("activities", label("activities")).value(&f.activities).hint(format!(
                    "每行一项：名称，类别代码，每周次数，容量，每月收费（元，0 为免费）。例：科学实验社，science.experiment，2，40，0。类别代码：{}；也可写子类别，如 science.maker",
                    categories.join("、")
                )),
            ],
        )),
        ..Section::default()
    })
}

/// The plan as a table, for those who may read it but not change it.
fn read_only(f: &PlanForm) -> Table {
    let values = [
        &f.term,
        &f.extra_n,
        &f.days_per_week,
        &f.minutes_per_day,
        &f.resources,
        &f.teachers,
        &f.outside_staff,
        &f.activities,
    ];
    Table {
        headers: vec!["项目".into(), "内容".into()],
        rows: LABELS
            .iter()
            .zip(values)
            .map(|((_, label), v)| vec![Cell::text(*label), Cell::text(v.as_str())])
            .collect(),
    }
}
