//! GET /admin/ledger: the monthly ledger (台账月报告) of a month — rounds and response rates,
//! plan status and the two targets per township — with its XLSX download (`?format=xlsx`);
//! POST /admin/ledger: e-mails it now to the configured bureau addresses. The server also
//! sends last month's on the first working day of each month (`email::ledger`).

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::{percent, response_rate};
use crate::analysis::ledger::Ledger;
use crate::analysis::low_rate::percent as percent_text;
use crate::app::ledger::{self, NO_RECIPIENTS};
use crate::auth::session::CurrentUser;
use crate::email;
use crate::error::{AppError, AppResult};
use crate::routes::support::{attachment, read_form, render};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Link, Page, Section, Table};

#[derive(Debug, Deserialize)]
pub struct Query {
    month: Option<String>,
    format: Option<String>,
}

pub async fn get(state: State, user: CurrentUser, q: web::Query<Query>) -> AppResult<HttpResponse> {
    let month = ledger::month_or_last(q.month.as_deref(), state.clock.now())?;
    let xlsx = match q.format.as_deref() {
        None | Some("") | Some("html") => false,
        Some("xlsx") => true,
        Some(_) => return Err(AppError::BadRequest("格式只能是 xlsx。".into())),
    };
    if xlsx {
        let bytes = ledger::workbook(&state, month, user.user.id).await?;
        return Ok(HttpResponse::Ok()
            .content_type(crate::analysis::export::OutputFormat::Xlsx.content_type())
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header(attachment(
                format!("ledger-{month}.xlsx"),
                email::ledger::file_name(month),
            ))
            .body(bytes));
    }
    let (l, sent) = ledger::view(&state, month).await?;
    let page = page(&state, &user, &l, sent, None);
    render(&state, &page, StatusCode::OK)
}

pub async fn post(state: State, user: CurrentUser, body: web::Payload) -> AppResult<HttpResponse> {
    let form = read_form(body, &["month"]).await?;
    let month = ledger::month_or_last(Some(form.get("month")), state.clock.now())?;
    let (l, sent, notice) = ledger::send_now(&state, month, user.user.id).await?;
    let page = page(&state, &user, &l, sent, Some(notice));
    render(&state, &page, StatusCode::OK)
}

fn page(
    state: &State,
    user: &CurrentUser,
    l: &Ledger,
    sent: Option<chrono::NaiveDateTime>,
    notice: Option<String>,
) -> Page {
    let month = l.month;
    let mut page = Page::for_user(user, format!("台账月报告 · {}", month.label()));
    page.notice = notice;
    let csrf = page.csrf.clone();
    let mut pick = Form {
        action: "/admin/ledger".into(),
        method_get: true,
        submit: "查看".into(),
        fields: vec![Field::input("month", "month", "月份").value(month.to_string())],
        ..Form::default()
    };
    pick.fields.iter_mut().for_each(|f| f.required = false);
    let mut rounds = Table {
        headers: [
            "调查轮次".to_string(),
            "起止日期".into(),
            "学校数".into(),
            "在校生".into(),
            "月底已回收".into(),
            "回收率".into(),
            format!("低于{}的学校", percent_text(l.low_rate_percent)),
        ]
        .to_vec(),
        ..Table::default()
    };
    for r in &l.rounds {
        rounds.rows.push(vec![
            Cell::text(format!("第 {} 轮：{}", r.id, r.name)),
            Cell::text(&r.dates),
            Cell::num(r.schools),
            Cell::num(r.enrolment),
            Cell::num(r.responses),
            Cell::text(response_rate(r.rate.map(|x| x * 100.0))),
            Cell::num(r.low_rate_schools).warn(r.low_rate_schools > 0),
        ]);
    }
    let mut towns = Table {
        headers: [
            "镇街",
            "学校数",
            "已填报方案",
            "城区学校",
            "“2+3”达标",
            "科学教育达标",
        ]
        .map(String::from)
        .to_vec(),
        ..Table::default()
    };
    let share = |t: &crate::analysis::plans::Targets, met: usize| {
        let s = t.share(met);
        Cell::text(percent(s.map(|x| x * 100.0))).warn(s.is_some_and(|x| x < t.target))
    };
    for t in &l.townships {
        towns.rows.push(vec![
            Cell::text(&t.name),
            Cell::num(t.schools),
            Cell::num(t.with_plan),
            Cell::num(t.targets.urban_schools),
            share(&t.targets, t.targets.two_plus_three),
            share(&t.targets, t.targets.science),
        ]);
    }
    let c = &l.city;
    let recipients = &state.ledger_recipients;
    page.section(Section {
        form: Some(pick),
        ..Section::default()
    })
    .section(Section {
        heading: "下载".into(),
        paragraphs: vec![format!(
            "包括：当月进行的调查轮次及各校回收率、各校一校一案（截至月底）、城区学校两项目标（各 ≥ {:.0}%）的达成情况及未达标学校名单。",
            c.target * 100.0
        )],
        links: vec![Link {
            href: format!("/admin/ledger?month={month}&format=xlsx"),
            text: format!("下载 {}", email::ledger::file_name(month)),
        }],
        ..Section::default()
    })
    .section(Section {
        heading: "调查轮次与回收率".into(),
        paragraphs: if l.rounds.is_empty() {
            vec![format!("{}没有进行中的调查轮次。", month.label())]
        } else {
            vec![]
        },
        table: (!l.rounds.is_empty()).then_some(rounds),
        ..Section::default()
    })
    .section(Section {
        heading: "政策目标（全市城区学校）".into(),
        paragraphs: vec![format!(
            "城区学校 {} 所：开展“2+3”及以上 {} 所（{}），开设科学教育活动 {} 所（{}）；未达标学校 {} 所，名单见下载文件。",
            c.urban_schools,
            c.two_plus_three,
            percent(c.share(c.two_plus_three).map(|x| x * 100.0)),
            c.science,
            percent(c.share(c.science).map(|x| x * 100.0)),
            c.missing.len()
        )],
        table: Some(towns),
        ..Section::default()
    })
    .section(Section {
        heading: "发送".into(),
        paragraphs: vec![
            match sent {
                Some(t) => format!("{}的台账月报告已于 {} 自动发送。", month.label(), super::local_time(t)),
                None => "每月第一个工作日自动发送上月的台账月报告。".into(),
            },
            if recipients.is_empty() {
                NO_RECIPIENTS.into()
            } else {
                format!(
                    "接收邮箱：{}",
                    recipients.iter().map(|e| e.as_str()).collect::<Vec<_>>().join("、")
                )
            },
        ],
        form: Some(Form {
            disabled_hint: recipients.is_empty().then(|| "还没有接收邮箱，暂时不能发送。".into()),
            ..Form::post(
                "/admin/ledger",
                &csrf,
                "现在发送",
                vec![Field::input("hidden", "month", "").value(month.to_string())],
            )
        }),
        ..Section::default()
    })
}
