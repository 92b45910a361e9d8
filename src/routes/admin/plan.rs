//! GET/POST /admin/schools/{school_id}/plan: the school's plan (一校一案) edited on the page —
//! its 2+N model, days and hours, outside resources (ticked), staff, and one row per activity
//! with its category picked by name. Saving adds a revision (every revision is kept, as with the
//! XLSX import), checked by the import's rules; a form with problems comes back with every field
//! as typed and each problem named. 「再添几行」 adds blank rows without saving, so the page
//! needs no script.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::plans;
use crate::auth::session::CurrentUser;
use crate::domain::plan::RESOURCES;
use crate::domain::plan_form::{ActivityRow, PlanForm, MAX_ACTIVITIES};
use crate::error::AppResult;
use crate::routes::support::{read_form, render, see_other, Fields};
use crate::state::State;
use crate::views::plan_page::{self as view, LABELS, ROW_FIELDS, SPARE_ROWS};

#[derive(Debug, serde::Deserialize)]
pub struct Query {
    saved: Option<String>,
}

pub async fn get(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    q: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let school_id = path.into_inner();
    let plan = plans::school(&state, school_id).await?;
    let mut form = plan.form.clone();
    pad(&mut form.activities, SPARE_ROWS);
    let mut page = view::page(
        &user,
        state.catalog.taxonomy(),
        school_id,
        &plan,
        &form,
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
    let allowed = allowed_fields();
    let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
    let fields = read_form(body, &allowed).await?;
    let mut form = form_from(&fields);
    let plan = plans::school(&state, school_id).await?;
    if !fields.get("more").is_empty() {
        pad(&mut form.activities, SPARE_ROWS);
        let page = view::page(
            &user,
            state.catalog.taxonomy(),
            school_id,
            &plan,
            &form,
            &[],
        );
        return render(&state, &page, StatusCode::OK);
    }
    match form.check(&plan.code, state.catalog.taxonomy()) {
        Ok(checked) => {
            let (uid, email) = (user.user.id, user.user.email.clone());
            plans::save(&state, school_id, checked, uid, email).await?;
            Ok(see_other(format!(
                "/admin/schools/{school_id}/plan?saved=1"
            )))
        }
        Err(problems) => {
            let mut page = view::page(
                &user,
                state.catalog.taxonomy(),
                school_id,
                &plan,
                &form,
                &problems,
            );
            page.error = Some(format!(
                "发现 {} 处问题，方案未保存。已填写的内容都保留着，请修改后再保存。",
                problems.len()
            ));
            render(&state, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Every field the form may send: the plan's own, a box per resource, and each row's five.
fn allowed_fields() -> Vec<String> {
    let mut out: Vec<String> = LABELS.iter().map(|(f, _)| (*f).to_string()).collect();
    out.push("more".into());
    out.extend((0..RESOURCES.len()).map(|i| format!("res.{i}")));
    for i in 0..MAX_ACTIVITIES + SPARE_ROWS {
        out.extend(ROW_FIELDS.iter().map(|f| format!("a.{i}.{f}")));
    }
    out
}

/// The form as sent: rows up to the last one that has any field.
fn form_from(fields: &Fields) -> PlanForm {
    let row = |i: usize| {
        let f = |name: &str| fields.get(&format!("a.{i}.{name}")).to_string();
        ActivityRow {
            name: f("name"),
            category: f("category"),
            weekly: f("weekly"),
            capacity: f("capacity"),
            fee: f("fee"),
        }
    };
    let mut activities: Vec<ActivityRow> = (0..MAX_ACTIVITIES + SPARE_ROWS).map(row).collect();
    while activities
        .last()
        .is_some_and(|a| *a == ActivityRow::default())
    {
        activities.pop();
    }
    PlanForm {
        term: fields.get("term").into(),
        extra_n: fields.get("extra_n").into(),
        days_per_week: fields.get("days_per_week").into(),
        minutes_per_day: fields.get("minutes_per_day").into(),
        resources: RESOURCES
            .iter()
            .enumerate()
            .filter(|(i, _)| !fields.get(&format!("res.{i}")).is_empty())
            .map(|(_, r)| (*r).to_string())
            .collect(),
        teachers: fields.get("teachers").into(),
        outside_staff: fields.get("outside_staff").into(),
        activities,
    }
}

/// Adds `n` blank rows, within the most a form may carry.
fn pad(rows: &mut Vec<ActivityRow>, n: usize) {
    let to = (rows.len() + n).min(MAX_ACTIVITIES + SPARE_ROWS);
    rows.resize(to.max(rows.len()), ActivityRow::default());
}
