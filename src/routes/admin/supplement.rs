//! GET/POST /admin/schools/{school_id}/rounds/{round_id}/supplement: the school's own
//! questions after the city's core survey (本校补充题). The school adds, changes and removes
//! them until the round opens; its township officer and the bureau read them. A form with
//! problems comes back with every field as typed and each problem named.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::supplements::{self, Change, SchoolSupplement};
use crate::auth::access::Access;
use crate::auth::session::CurrentUser;
use crate::domain::supplement::{Kind, QuestionForm, MAX_OPTIONS, TEXT_MAX_LENGTH};
use crate::error::{AppError, AppResult};
use crate::routes::support::{read_form, render, see_other};
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Link, Page, Section, Table};

#[derive(Debug, serde::Deserialize)]
pub struct Query {
    saved: Option<String>,
    edit: Option<usize>,
}

const FIELDS: [&str; 8] = [
    "action", "n", "kind", "title", "options", "min", "max", "required",
];

/// The checkbox of the plan's `i`th activity (from 1).
fn pick_field(i: usize) -> String {
    format!("plan_{i}")
}

fn label(field: &str) -> &'static str {
    match field {
        "kind" => "题型",
        "title" => "题目",
        "options" => "选项",
        "min" | "max" => "数字范围",
        _ => "补充题",
    }
}

pub async fn get(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    q: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let s = supplements::school(&state, school_id, round_id).await?;
    let editing = q
        .edit
        .filter(|n| (1..=s.questions.len()).contains(n))
        .map(|n| (n, QuestionForm::of(&s.questions[n - 1])));
    let mut page = page(&user, &s, editing, &[]);
    if q.saved.is_some() {
        page.notice = Some("本校补充题已保存。".into());
    }
    render(&state, &page, StatusCode::OK)
}

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let picks: Vec<String> = (1..=MAX_OPTIONS).map(pick_field).collect();
    let mut allowed: Vec<&str> = FIELDS.to_vec();
    allowed.extend(picks.iter().map(String::as_str));
    let fields = read_form(body, &allowed).await?;
    let form = QuestionForm {
        kind: fields.get("kind").into(),
        title: fields.get("title").into(),
        options: fields.get("options").into(),
        plan_picks: (1..=MAX_OPTIONS)
            .filter(|i| fields.get(&pick_field(*i)) == "1")
            .collect(),
        min: fields.get("min").into(),
        max: fields.get("max").into(),
        required: fields.get("required") == "1",
    };
    let n = fields.get("n").trim().parse::<usize>().unwrap_or(0);
    let change = match fields.get("action") {
        "add" => Change::Add(form.clone()),
        "edit" => Change::Edit(n, form.clone()),
        "remove" => Change::Remove(n),
        _ => return Err(AppError::BadRequest("无法识别的操作。".into())),
    };
    // A refused question comes back as typed; a refused removal shows the page as it was.
    let shown = match &change {
        Change::Add(_) => Some((0, form)),
        Change::Edit(..) => Some((n, form)),
        Change::Remove(_) => None,
    };
    match supplements::save(&state, school_id, round_id, change, user.user.id).await {
        Ok(()) => Ok(see_other(format!(
            "/admin/schools/{school_id}/rounds/{round_id}/supplement?saved=1"
        ))),
        Err(AppError::Invalid(e)) => {
            let s = supplements::school(&state, school_id, round_id).await?;
            let error = if shown.is_some() {
                "补充题未保存。已填写的内容都保留着，请按提示修改后再保存。"
            } else {
                "补充题未删除。"
            };
            let mut page = page(&user, &s, shown, &e.fields);
            page.error = Some(error.into());
            render(&state, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e),
    }
}

/// The page: what the supplement is, its questions, and (for the school, while the round has
/// not opened) the form for one question: `editing` is `(number, form)`, number 0 adding one.
fn page(
    user: &CurrentUser,
    s: &SchoolSupplement,
    editing: Option<(usize, QuestionForm)>,
    problems: &[(String, String)],
) -> Page {
    let p = &s.publication;
    let base = format!("/admin/schools/{}/rounds/{}", p.school_id, p.round_id);
    let mut page = Page::for_user(
        user,
        format!("{} · {} · 本校补充题", p.school_name, p.round_name),
    );
    let csrf = page.csrf.clone();
    let may_edit = Access::SchoolStaff.admits(user.user.role()) && s.locked.is_none();
    let max = s.round.supplement_max.max(0);
    page = page.section(Section {
        paragraphs: vec![
            format!(
                "全市统一的问题之后，本校可以再问家长最多 {max} 道题（单选、多选、填空或数字）。本轮 {opens} 开始填写，在此之前可以添加、修改和删除。",
                opens = crate::domain::time::to_local(s.round.opens_at).format("%Y-%m-%d %H:%M")
            ),
            "补充题只在网上填写：纸质回执不印补充题，学生问卷和教师问卷也不设补充题。选择题和数字题的结果列在本校的需求分析报告中，全部回答（包括填空题）可以在本页下载；补充题不进入镇街和全市的报告，全市统一的问题不受影响。".into(),
        ],
        links: vec![Link {
            href: base.clone(),
            text: "← 返回本轮调查页面".into(),
        }],
        ..Section::default()
    });
    if let Some(why) = &s.locked {
        page = page.section(Section {
            heading: "只能查看".into(),
            paragraphs: vec![why.clone()],
            ..Section::default()
        });
    }
    if !problems.is_empty() {
        page = page.section(Section {
            heading: "需要修改的地方".into(),
            paragraphs: problems
                .iter()
                .map(|(f, m)| match f.as_str() {
                    "" => m.clone(),
                    f => format!("{}：{m}", label(f)),
                })
                .collect(),
            ..Section::default()
        });
    }
    page = page.section(questions_section(s, &base, &csrf, may_edit));
    match editing {
        Some((n, f)) if may_edit => page.section(form_section(s, &base, &csrf, n, &f)),
        None if may_edit && s.questions.len() < usize::try_from(max).unwrap_or(0) => {
            let blank = QuestionForm {
                kind: "single".into(),
                required: true,
                min: "0".into(),
                max: "10".into(),
                ..QuestionForm::default()
            };
            page.section(form_section(s, &base, &csrf, 0, &blank))
        }
        _ => page,
    }
}

fn questions_section(s: &SchoolSupplement, base: &str, csrf: &str, may_edit: bool) -> Section {
    let mut headers = ["序号", "题目", "题型", "必答", "选项或范围"]
        .map(String::from)
        .to_vec();
    if may_edit {
        headers.extend(["修改", "删除"].map(String::from));
    }
    let mut table = Table {
        headers,
        ..Table::default()
    };
    for (i, q) in s.questions.iter().enumerate() {
        let n = i + 1;
        let mut row = vec![
            Cell::num(n),
            Cell::text(&q.title),
            Cell::text(q.kind.label()),
            Cell::text(if q.required { "是" } else { "否" }),
            Cell::text(q.summary()),
        ];
        if may_edit {
            row.push(Cell::link("修改", format!("{base}/supplement?edit={n}")));
            row.push(Cell {
                button: Some(Form::post(
                    format!("{base}/supplement"),
                    csrf,
                    "删除",
                    vec![
                        Field::input("hidden", "action", "").value("remove"),
                        Field::input("hidden", "n", "").value(n.to_string()),
                    ],
                )),
                ..Cell::default()
            });
        }
        table.rows.push(row);
    }
    let empty = s.questions.is_empty();
    Section {
        heading: format!("本校补充题（{} 道）", s.questions.len()),
        paragraphs: if empty {
            vec!["本校还没有补充题，家长只回答全市统一的问题。".into()]
        } else {
            Vec::new()
        },
        table: (!empty).then_some(table),
        links: if empty {
            Vec::new()
        } else {
            vec![Link {
                href: format!("{base}/supplement/answers"),
                text: "下载本校家长对补充题的回答（CSV 表格，电话、身份证号等已隐去）".into(),
            }]
        },
        ..Section::default()
    }
}

fn form_section(
    s: &SchoolSupplement,
    base: &str,
    csrf: &str,
    n: usize,
    f: &QuestionForm,
) -> Section {
    let kinds = Kind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label().to_string()))
        .collect();
    let plan_hint = if s.activities.is_empty() {
        "本校一校一案还没有活动，请逐行填写选项。".to_string()
    } else {
        "单选题、多选题的选项可以勾选本校一校一案中的活动，也可以逐行填写（两者都有时，勾选的在前）。"
            .to_string()
    };
    let (heading, action, submit) = if n == 0 {
        ("添加一道补充题".to_string(), "add", "添加")
    } else {
        (format!("修改第 {n} 题"), "edit", "保存修改")
    };
    let mut fields = vec![
        Field::input("hidden", "action", "").value(action),
        Field::input("hidden", "n", "").value(n.to_string()),
        Field::select("kind", "题型", kinds, &f.kind),
        Field::input("text", "title", "题目")
            .value(&f.title)
            .hint("例如：您希望学校增加哪项特色活动？"),
    ];
    fields.extend(
        s.activities
            .iter()
            .take(MAX_OPTIONS)
            .enumerate()
            .map(|(i, a)| {
                Field::checkbox(
                    &pick_field(i + 1),
                    &format!("选项：{a}（本校一校一案）"),
                    f.plan_picks.contains(&(i + 1)),
                )
            }),
    );
    fields.extend([
        Field::textarea("options", "选项（单选、多选）")
            .value(&f.options)
            .optional()
            .hint(format!("每行一个，连同勾选的活动共 2–{MAX_OPTIONS} 个")),
        Field::input("number", "min", "最小值（数字题）")
            .value(&f.min)
            .optional(),
        Field::input("number", "max", "最大值（数字题）")
            .value(&f.max)
            .optional(),
        Field::checkbox("required", "必答", f.required),
    ]);
    Section {
        heading,
        paragraphs: vec![
            plan_hint,
            format!("填空题每题最多 {TEXT_MAX_LENGTH} 字；数字题请填写最小值和最大值，只收整数。"),
        ],
        form: Some(Form::post(
            format!("{base}/supplement"),
            csrf,
            submit,
            fields,
        )),
        ..Section::default()
    }
}
