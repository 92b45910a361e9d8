//! Bureau: GET /admin/rounds lists rounds; POST publishes a new round of a
//! survey from the survey folder to every school (or one township's).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::local_time;
use crate::auth::session::CurrentUser;
use crate::db;
use crate::domain::time::{parse_local, DayEdge};
use crate::error::AppResult;
use crate::routes::support::{read_form, render, with_conn};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Page, Section, Table};

async fn page(
    state: &State,
    user: &CurrentUser,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Page> {
    let (rounds, townships) = with_conn(state, |c| {
        let mut out = Vec::new();
        for r in db::rounds::list(c)? {
            let schools = db::rounds::publications(c, r.id)?.len();
            let n = db::responses::count_for(c, r.id, None)?;
            out.push((r, schools, n));
        }
        Ok((out, db::townships::list(c)?))
    })
    .await?;
    let mut p = Page::for_user(user, "调查轮次");
    p.notice = notice;
    p.error = error;
    let csrf = p.csrf.clone();
    let mut table = Table {
        headers: [
            "轮次",
            "问卷版本",
            "开始",
            "截止",
            "原始回答保留至",
            "学校数",
            "回收份数",
        ]
        .map(String::from)
        .to_vec(),
        ..Table::default()
    };
    for (r, schools, n) in &rounds {
        table.rows.push(vec![
            Cell::link(&r.name, format!("/admin/coverage?round={}", r.id)),
            Cell::text(&r.survey_hash[..12]),
            Cell::text(local_time(r.opens_at)),
            Cell::text(local_time(r.closes_at)),
            Cell::text(match r.purged_at {
                Some(_) => "已删除（汇总保留）".to_string(),
                None => local_time(r.retention_until),
            }),
            Cell::num(schools),
            Cell::num(n),
        ]);
    }
    let surveys = state
        .catalog
        .files()
        .iter()
        .map(|f| (f.definition.id.clone(), f.definition.title.clone()))
        .collect();
    let mut scope = vec![(String::new(), "全部学校".to_string())];
    scope.extend(
        townships
            .iter()
            .map(|t| (t.id.to_string(), format!("仅{}", t.name))),
    );
    Ok(p.section(Section {
        heading: "发布新一轮调查".into(),
        paragraphs: vec![
            "发布时锁定问卷文件的当前版本；之后修改文件不会影响本轮。时间为北京时间。".into(),
        ],
        form: Some(Form::post(
            "/admin/rounds",
            &csrf,
            "发布",
            vec![
                Field::select("survey", "问卷", surveys, "after-school-needs"),
                Field::input("text", "name", "轮次名称").hint("例如：2026 年秋季课后服务需求调查"),
                Field::input("date", "opens", "开始日期"),
                Field::input("date", "closes", "截止日期（当天 24 时截止）"),
                Field::input("date", "retain_until", "原始回答保留至")
                    .optional()
                    .hint("到期后删除原始回答和填写码，只保留汇总统计；不填则为截止后一年"),
                Field::select("township_id", "范围", scope, ""),
            ],
        )),
        ..Section::default()
    })
    .section(Section {
        heading: "全部轮次".into(),
        table: Some(table),
        ..Section::default()
    }))
}

pub async fn get(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let p = page(&state, &user, None, None).await?;
    render(&state, &p, StatusCode::OK)
}

pub async fn post(state: State, user: CurrentUser, body: web::Payload) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let form = read_form(body).await?;
    form.only(&[
        "survey",
        "name",
        "opens",
        "closes",
        "retain_until",
        "township_id",
    ])?;
    let name = form.get("name").trim().to_string();
    let survey = state.catalog.by_id(form.get("survey")).cloned();
    let opens = parse_local(form.get("opens"), DayEdge::Start);
    let closes = parse_local(form.get("closes"), DayEdge::End);
    let retain = form.get("retain_until").trim();
    let retain_until = match (retain.is_empty(), closes) {
        (true, Some(c)) => Some(db::rounds::default_retention(c)),
        (true, None) => None,
        (false, _) => parse_local(retain, DayEdge::End),
    };
    let township = form.get("township_id").trim().parse::<i64>().ok();
    let error = match (&survey, opens, closes) {
        _ if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) => {
            Some("请填写 1–60 字的轮次名称。")
        }
        (None, _, _) => Some("请选择问卷。"),
        (_, None, _) | (_, _, None) => Some("请填写开始和截止日期。"),
        (_, Some(o), Some(c)) if c <= o => Some("截止日期应晚于开始日期。"),
        (_, _, Some(c)) if retain_until.is_none_or(|r| r < c) => {
            Some("原始回答保留日期应为截止日期当天或之后。")
        }
        _ => None,
    };
    let (Some(survey), Some(opens), Some(closes), Some(retain_until), None) =
        (survey, opens, closes, retain_until, error)
    else {
        let p = page(&state, &user, None, error.map(String::from)).await?;
        return render(&state, &p, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let uid = user.user.id;
    let result = with_conn(&state, move |c| {
        let school_ids: Vec<i64> = db::schools::list(c)?
            .into_iter()
            .filter(|s| township.is_none_or(|t| s.township_id == t))
            .map(|s| s.id)
            .collect();
        if school_ids.is_empty() {
            return Ok(Err("没有学校：请先导入学校名册。".to_string()));
        }
        let id = db::rounds::create_retained(
            c,
            &db::rounds::NewRound {
                name: &name,
                survey_hash: &survey.hash,
                opens_at: opens,
                closes_at: closes,
                school_ids: &school_ids,
            },
            retain_until,
            now,
        )?;
        db::audit::record(
            c,
            Some(uid),
            "round_published",
            &format!(
                "round={id} survey={} schools={}",
                survey.definition.id,
                school_ids.len()
            ),
            now,
        )?;
        Ok(Ok((id, school_ids.len())))
    })
    .await?;
    let (notice, error, status) = match result {
        Ok((id, n)) => (
            Some(format!(
                "已发布第 {id} 轮，共 {n} 所学校。各校可在“本校调查”中打印告家长书。"
            )),
            None,
            StatusCode::OK,
        ),
        Err(e) => (None, Some(e), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let p = page(&state, &user, notice, error).await?;
    render(&state, &p, status)
}
