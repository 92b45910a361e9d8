//! GET /admin/coverage: response coverage of a round by township and by
//! school, low-response schools highlighted, filtered by urban/rural and
//! level. A township officer sees only their own township.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{level_label, rate_cell, response_rate, urban_label};
use crate::analysis::low_rate::{is_low, percent};
use crate::app::coverage::{self, rate, Filter, SORTS};
use crate::auth::session::CurrentUser;
use crate::domain::account::Role;
use crate::error::AppResult;
use crate::routes::support::render;
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Link, Page, Section, Table};

pub async fn get(
    state: State,
    user: CurrentUser,
    q: web::Query<Filter>,
) -> AppResult<HttpResponse> {
    let filter = q.into_inner();
    // Below this response rate (percent) a school is highlighted, and reminded by default.
    let low_rate = state.settings.analysis.low_rate_percent;
    let mut cov = coverage::coverage(&state, &user.user, filter.clone()).await?;
    let sort = filter
        .sort
        .as_deref()
        .filter(|s| SORTS.iter().any(|(k, _)| k == s))
        .unwrap_or("rate");
    coverage::sort_schools(&mut cov.schools, sort);
    let mut page = Page::for_user(&user, "问卷回收情况");
    if user.user.role() == Role::Bureau {
        // The bureau's first page: say so while complaints cannot be mailed.
        page.error = super::complaints::routing_warning(&state);
    }
    let csrf = page.csrf.clone();
    let round_choices = cov
        .rounds
        .iter()
        .map(|r| (r.id.to_string(), r.name.clone()))
        .collect();
    let current = cov
        .round
        .as_ref()
        .map(|r| r.id.to_string())
        .unwrap_or_default();
    let mut filter_form = Form {
        action: "/admin/coverage".into(),
        method_get: true,
        submit: "筛选".into(),
        fields: vec![
            Field::select("round", "调查轮次", round_choices, &current),
            Field::select(
                "urban",
                "城区/农村",
                vec![
                    ("".into(), "全部".into()),
                    ("urban".into(), "城区".into()),
                    ("rural".into(), "农村".into()),
                ],
                filter.urban.as_deref().unwrap_or(""),
            ),
            Field::input("hidden", "sort", "").value(sort),
            Field::select(
                "level",
                "学段",
                vec![
                    ("".into(), "全部".into()),
                    ("primary".into(), "小学".into()),
                    ("junior".into(), "初中".into()),
                    ("nine_year".into(), "九年一贯制".into()),
                ],
                filter.level.as_deref().unwrap_or(""),
            ),
        ],
        ..Form::default()
    };
    filter_form
        .fields
        .iter_mut()
        .for_each(|f| f.required = false);
    page = page.section(Section {
        form: Some(filter_form),
        ..Section::default()
    });
    let Some(round) = &cov.round else {
        page.notice = Some("还没有发布任何调查轮次。".into());
        return render(&state, &page, StatusCode::OK);
    };

    let mut by_township = Table {
        headers: [
            "镇街",
            "学校数",
            "在校生",
            "回收份数",
            "其中纸质回执",
            "回收率",
            "低回收学校",
        ]
        .map(String::from)
        .to_vec(),
        ..Table::default()
    };
    for t in &cov.townships {
        let rows: Vec<_> = cov
            .schools
            .iter()
            .filter(|(s, _, _)| s.township_id == t.id)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let e: i64 = rows.iter().map(|r| r.1).sum();
        let n: i64 = rows.iter().map(|r| r.2).sum();
        let paper: i64 = rows
            .iter()
            .map(|r| cov.paper.get(&r.0.id).copied().unwrap_or(0))
            .sum();
        let low = rows
            .iter()
            .filter(|r| is_low(rate(r.2, r.1), low_rate))
            .count();
        let rate = rate(n, e);
        by_township.rows.push(vec![
            Cell::link(
                &t.name,
                format!("/admin/townships/{}/rounds/{}/analysis", t.id, round.id),
            ),
            Cell::num(rows.len()),
            Cell::num(e),
            Cell::num(n),
            Cell::num(paper),
            rate_cell(rate, low_rate),
            Cell::num(low).warn(low > 0),
        ]);
    }
    let names: HashMap<i64, &str> = cov
        .townships
        .iter()
        .map(|t| (t.id, t.name.as_str()))
        .collect();
    let mut by_school = Table {
        headers: [
            "镇街",
            "学校",
            "学段",
            "城乡",
            "在校生",
            "回收份数",
            "其中纸质回执",
            "回收率",
        ]
        .map(String::from)
        .to_vec(),
        ..Table::default()
    };
    for (s, e, n) in &cov.schools {
        let rate = rate(*n, *e);
        by_school.rows.push(vec![
            Cell::text(names.get(&s.township_id).copied().unwrap_or("")),
            Cell::link(
                &s.name,
                format!("/admin/schools/{}/rounds/{}", s.id, round.id),
            ),
            Cell::text(level_label(&s.level)),
            Cell::text(urban_label(s.urban_rural_code)),
            Cell::num(e),
            Cell::num(n),
            Cell::num(cov.paper.get(&s.id).copied().unwrap_or(0)),
            rate_cell(rate, low_rate),
        ]);
    }
    let total_e: i64 = cov.schools.iter().map(|r| r.1).sum();
    let total_n: i64 = cov.schools.iter().map(|r| r.2).sum();
    let total_paper: i64 = cov
        .schools
        .iter()
        .map(|r| cov.paper.get(&r.0.id).copied().unwrap_or(0))
        .sum();
    let mut analyses = vec![];
    if user.user.role() == Role::Bureau {
        analyses.push(Link {
            href: format!("/admin/rounds/{}/analysis", round.id),
            text: "全市需求分析（乡镇比较、城区与农村、政策目标）".into(),
        });
    }
    page = page
        .section(Section {
            heading: "需求分析".into(),
            paragraphs: vec![format!(
                "点镇街名称查看该镇街的需求分析，点学校名称查看学校的回收情况和学校报告。跨校视图中少于 {} 人的格子不显示。",
                state.settings.min_cell
            )],
            links: analyses,
            ..Section::default()
        })
        .section(Section {
            heading: format!("{}：按镇街", round.name),
            paragraphs: vec![format!(
                "共 {} 所学校，回收 {total_n} 份（其中纸质回执 {total_paper} 份），在校生 {total_e} 人，总回收率 {}。回收率低于 {} 的标红。",
                cov.schools.len(),
                response_rate(rate(total_n, total_e)),
                percent(low_rate)
            )],
            table: Some(by_township),
            ..Section::default()
        })
        .section(Section {
            heading: "按学校".into(),
            paragraphs: vec![format!(
                "排列：{}。",
                SORTS.iter().find(|(k, _)| *k == sort).map_or("", |(_, t)| *t)
            )],
            links: SORTS
                .iter()
                .filter(|(k, _)| *k != sort)
                .map(|(k, t)| Link {
                    href: sorted_href(&filter, round.id, k),
                    text: format!("改为{t}"),
                })
                .collect(),
            table: Some(by_school),
            ..Section::default()
        })
        .section(Section {
            heading: "提醒回收率低的学校".into(),
            paragraphs: vec![if state.mailer.is_smtp() {
                "向回收率低于所填比例的学校管理员发送提醒邮件。".into()
            } else {
                "尚未设置发信服务器：提醒邮件会先保存在服务器上，不会真正发出。".into()
            }],
            form: Some(Form::post(
                format!("/admin/rounds/{}/reminders", round.id),
                &csrf,
                "发送提醒",
                vec![
                    Field::input("number", "threshold", "回收率低于（%）").value(low_rate.to_string()),
                    Field::input("hidden", "urban", "").value(filter.urban.clone().unwrap_or_default()),
                    Field::input("hidden", "level", "").value(filter.level.clone().unwrap_or_default()),
                ],
            )),
            ..Section::default()
        });
    render(&state, &page, StatusCode::OK)
}

/// This page with the same round and filters, listed in order `sort`.
fn sorted_href(f: &Filter, round: i64, sort: &str) -> String {
    let mut href = format!("/admin/coverage?round={round}&sort={sort}");
    for (k, v) in [("urban", &f.urban), ("level", &f.level)] {
        // The filters' values are plain codes (urban, primary…); anything else is left out.
        let code =
            |v: &&str| !v.is_empty() && v.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        if let Some(v) = v.as_deref().filter(code) {
            href.push_str(&format!("&{k}={v}"));
        }
    }
    href
}
