//! Bureau: GET /admin/rounds lists rounds; POST publishes a new round of a
//! survey (from the survey folder or written on the web) to every school (or one township's).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::local_time;
use crate::app::rounds::{self, CompanionSurvey, PublishRound, RoundSummary, Scope};
use crate::auth::session::CurrentUser;
use crate::catalog::SurveyFile;
use crate::domain::survey::Respondent;
use crate::domain::time::{parse_local, DayEdge};
use crate::error::{AppError, AppResult, Invalid};
use crate::routes::support::{read_form, render};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Page, Section, Table};

async fn page(
    state: &State,
    user: &CurrentUser,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Page> {
    let (rounds, townships) = rounds::list(state).await?;
    let all = rounds::surveys(state).await?;
    let mut p = Page::for_user(user, "调查轮次");
    p.notice = notice;
    p.error = error;
    let csrf = p.csrf.clone();
    let mut table = Table {
        headers: [
            "轮次",
            "问卷",
            "开始",
            "截止",
            "原始回答保留至",
            "学校数",
            "回收份数",
            "每校补充题",
        ]
        .map(String::from)
        .to_vec(),
        ..Table::default()
    };
    for RoundSummary {
        round: r,
        schools,
        responses: n,
    } in &rounds
    {
        table.rows.push(vec![
            Cell::link(&r.name, format!("/admin/coverage?round={}", r.id)),
            Cell::text(survey_title(&all, &r.survey_hash)),
            Cell::text(local_time(r.opens_at)),
            Cell::text(crate::domain::time::closing_label(r.closes_at)),
            Cell::text(match r.purged_at {
                Some(_) => "已删除（汇总保留）".to_string(),
                None => crate::domain::time::closing_label(r.retention_until),
            }),
            Cell::num(schools),
            Cell::num(n),
            Cell::text(match r.supplement_max {
                m if m > 0 && r.companion_of.is_none() => format!("最多 {m} 道"),
                _ => "不设".to_string(),
            }),
        ]);
    }
    let surveys = all
        .iter()
        .filter(|f| f.definition.respondent != Respondent::Student)
        .map(|f| (f.definition.id.clone(), f.definition.title.clone()))
        .collect();
    let of = |who: Respondent, none: &str| {
        let mut v = vec![(String::new(), none.to_string())];
        v.extend(
            all.iter()
                .filter(|f| f.definition.respondent == who)
                .map(|f| (f.definition.id.clone(), f.definition.title.clone())),
        );
        v
    };
    let student_surveys = of(Respondent::Student, "不调查学生");
    let teacher_surveys = of(Respondent::Teacher, "不调查教师");
    let mut scope = vec![(String::new(), "全部学校".to_string())];
    scope.extend(
        townships
            .iter()
            .map(|t| (t.id.to_string(), format!("仅{}", t.name))),
    );
    Ok(p.section(Section {
        heading: "发布新一轮调查".into(),
        paragraphs: vec![
            "发布时锁定问卷的当前版本；之后修改问卷不会影响本轮。时间为北京时间。".into(),
        ],
        form: Some(Form::post(
            "/admin/rounds",
            &csrf,
            "发布",
            vec![
                Field::select("survey", "问卷", surveys, "after-school-needs"),
                Field::select("student_survey", "同时调查学生", student_surveys, "")
                    .hint("选学生版问卷后，本轮同时请三至九年级学生填写（各校另有学生链接，可在机房集中填写），分析报告中家长和学生的需求并列显示。"),
                Field::select("teacher_survey", "同时调查教师", teacher_surveys, "")
                    .hint("选教师问卷后，各校另有一个教师填写链接，只显示在学校的管理页面上，不印在告家长书上；结果只按人数汇总，不足 5 位老师的数字不显示。"),
                Field::input("text", "name", "轮次名称").hint("例如：2026 年秋季课后服务需求调查"),
                Field::input("date", "opens", "开始日期"),
                Field::input("date", "closes", "截止日期（当天 24 时截止）"),
                Field::input("date", "retain_until", "原始回答保留至")
                    .optional()
                    .hint("到期后删除原始回答和填写码，只保留汇总统计；不填则为截止后一年"),
                Field::select("township_id", "范围", scope, ""),
                Field::select(
                    "codes_required",
                    "填写码",
                    vec![
                        ("0".into(), "不需要：凭学校链接或二维码即可填写".into()),
                        ("1".into(), "需要：凭信上印的填写码填写，每个孩子一份".into()),
                    ],
                    "0",
                )
                .hint("选“需要”时，请在发布后为各班生成填写码并随信发放；没有填写码的回答不会被接收。"),
                Field::select("sections", "可选部分", optional_sections(&all), "")
                    .hint("有的问卷带有可选部分（例如暑期托管需求），只在需要时询问；默认不询问。"),
                Field::input("number", "supplement_max", "每校补充题上限")
                    .value("3")
                    .hint("全市统一的问题之后，每所学校可在开始日期前自行添加的题目数；填 0 为不允许添加。补充题只在网上填写，不进入全市和镇街的分析。"),
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
    let form = read_form(
        body,
        &[
            "survey",
            "name",
            "opens",
            "closes",
            "retain_until",
            "township_id",
            "codes_required",
            "sections",
            "student_survey",
            "teacher_survey",
            "supplement_max",
        ],
    )
    .await?;
    let retain = form.get("retain_until").trim();
    let dates = (
        parse_local(form.get("opens"), DayEdge::Start),
        parse_local(form.get("closes"), DayEdge::End),
        (!retain.is_empty()).then(|| parse_local(retain, DayEdge::End)),
    );
    let all = rounds::surveys(&state).await?;
    let by_id = |id: &str| all.iter().find(|f| f.definition.id == id);
    let chosen = by_id(form.get("survey"));
    let companion = |field: &str, missing: &str| {
        Some(form.get(field).trim())
            .filter(|s| !s.is_empty())
            .map(|id| {
                by_id(id)
                    .map(CompanionSurvey::of)
                    .ok_or_else(|| Invalid::field(field, missing))
            })
            .transpose()
    };
    let student = companion("student_survey", "找不到所选的学生问卷。");
    let teacher = companion("teacher_survey", "找不到所选的教师问卷。");
    let supplement_max = match form.get("supplement_max").trim() {
        "" => Ok(3),
        n => n
            .parse::<i32>()
            .map_err(|_| Invalid::field("supplement_max", "每校补充题上限请填 0–10 的整数。")),
    };
    let asked = match dates {
        (None, _, _) | (_, None, _) => Err(Invalid::field("closes", "请填写开始和截止日期。")),
        (_, _, Some(None)) => Err(Invalid::field(
            "retain_until",
            "原始回答保留日期应为截止日期当天或之后。",
        )),
        (opens, closes, retain_until) => Ok(PublishRound {
            name: form.get("name").to_string(),
            survey: chosen.map(|f| (f.hash.clone(), f.definition.id.clone())),
            opens,
            closes,
            retain_until: retain_until.flatten(),
            scope: match form.get("township_id").trim().parse::<i64>() {
                Ok(t) => Scope::Township(t),
                Err(_) => Scope::All,
            },
            codes_required: form.get("codes_required") == "1",
            sections: Some(form.get("sections").trim())
                .filter(|s| !s.is_empty())
                .map(String::from)
                .into_iter()
                .collect(),
            survey_sections: chosen
                .map(|f| {
                    f.definition
                        .sections
                        .iter()
                        .map(|s| (s.id.clone(), s.title.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            student_survey: student.clone().ok().flatten(),
            teacher_survey: teacher.clone().ok().flatten(),
            supplement_max: *supplement_max.as_ref().unwrap_or(&0),
        }),
    };
    let asked = asked
        .and_then(|a| student.map(|_| a))
        .and_then(|a| teacher.map(|_| a))
        .and_then(|a| supplement_max.map(|_| a));
    let published = match asked {
        Ok(r) => rounds::publish_as(&state, r, user.user.id).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    let (notice, error, status) = match published {
        Ok(p) => (
            Some(format!(
                "已发布第 {} 轮，共 {} 所学校。各校可在“本校调查”中打印告家长书。",
                p.id, p.schools
            )),
            None,
            StatusCode::OK,
        ),
        Err(AppError::Invalid(e)) => (None, Some(e.summary()), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e),
    };
    let p = page(&state, &user, notice, error).await?;
    render(&state, &p, status)
}

/// The title of the survey a round pinned, by its version; a version no longer in the survey
/// folder is still named as a survey, never by its hash.
fn survey_title(all: &[SurveyFile], hash: &str) -> String {
    all.iter().find(|f| f.hash == hash).map_or_else(
        || "（问卷已更新，本轮仍用发布时的版本）".into(),
        |f| f.definition.title.clone(),
    )
}

/// The choices of the optional-section picker: none, or one section of a survey.
fn optional_sections(all: &[SurveyFile]) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), "不询问可选部分".to_string())];
    for f in all {
        for s in &f.definition.sections {
            out.push((
                s.id.clone(),
                format!("询问“{}”（{}）", s.title, f.definition.title),
            ));
        }
    }
    out
}
