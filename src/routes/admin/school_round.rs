//! GET /admin/schools/{school_id}/rounds/{round_id}: the school's link, QR
//! code and letter for the round; live response counts and rates by grade
//! and class against enrolment; and the form that makes per-student codes.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{rate_cell, response_rate};
use crate::analysis::definitions::GRADE_MISMATCH;
use crate::app::schools::{self, rate, SchoolRound};
use crate::auth::access::Access;
use crate::auth::session::CurrentUser;
use crate::domain::survey::{class_label, grade_label};
use crate::error::AppResult;
use crate::publish::school_url;
use crate::routes::support::render;
use crate::state::State;
use crate::views::admin::{Cell, Field, Form, Link, Page, Section, Table};

pub async fn get(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let SchoolRound {
        publication,
        by_class,
        enrolment,
        codes,
        respondent,
    } = schools::round(&state, school_id, round_id).await?;
    let url = school_url(&state.public_base, &publication.slug);
    let total: i64 = by_class.iter().map(|(_, _, n)| n).sum();
    let enrolled: i64 = enrolment.iter().map(|(_, n)| i64::from(*n)).sum();

    let mut grades = Table {
        headers: ["年级", "在校生", "回收份数", "回收率"]
            .map(String::from)
            .to_vec(),
        ..Table::default()
    };
    let low = state.settings.analysis.low_rate_percent;
    let taught: Vec<(i32, i32)> = enrolment.iter().copied().filter(|e| e.1 > 0).collect();
    let answered = |keep: &dyn Fn(Option<i32>) -> bool| -> i64 {
        by_class.iter().filter(|x| keep(x.0)).map(|x| x.2).sum()
    };
    for (g, students) in &taught {
        let n = answered(&|gg| gg == Some(*g));
        grades.rows.push(vec![
            Cell::text(grade_label(u8::try_from(*g).unwrap_or(0))),
            Cell::num(students),
            Cell::num(n),
            rate_cell(rate(n, i64::from(*students)), low),
        ]);
    }
    // Every response in one row, so the rows add up to the total: a grade the school has no
    // pupils in, and no grade, each have their own.
    let is_taught = |g: i32| taught.iter().any(|(t, _)| *t == g);
    for (label, n) in [
        (
            GRADE_MISMATCH,
            answered(&|g| g.is_some_and(|g| !is_taught(g))),
        ),
        ("未填年级", answered(&|g| g.is_none())),
    ] {
        if n > 0 {
            grades.rows.push(vec![
                Cell::text(label).warn(label == GRADE_MISMATCH),
                Cell::text("—"),
                Cell::num(n),
                Cell::text("—"),
            ]);
        }
    }
    grades.rows.push(vec![
        Cell::text("合计"),
        Cell::num(enrolled),
        Cell::num(total),
        rate_cell(rate(total, enrolled), low),
    ]);
    let mut classes = Table {
        headers: ["年级", "班级", "回收份数"].map(String::from).to_vec(),
        ..Table::default()
    };
    for (g, k, n) in &by_class {
        let g = g
            .and_then(|g| u8::try_from(g).ok())
            .map_or("未填", grade_label);
        let k = k
            .and_then(|k| u16::try_from(k).ok())
            .map_or("未填".into(), class_label);
        classes
            .rows
            .push(vec![Cell::text(g), Cell::text(k), Cell::num(n)]);
    }
    let used = codes.iter().filter(|c| c.used_at.is_some()).count();
    let base = format!("/admin/schools/{school_id}/rounds/{round_id}");
    let mut page = Page::for_user(
        &user,
        format!("{} · {}", publication.school_name, publication.round_name),
    );
    let csrf = page.csrf.clone();
    // Township officers see how many codes there are, never the codes themselves.
    let makes_codes = Access::SchoolStaff.admits(user.user.role());
    if respondent == crate::domain::survey::Respondent::Student && makes_codes {
        page = page.section(class_session_form(&base, &csrf));
    }
    page = page
        .section(Section {
            heading: "发布材料".into(),
            paragraphs: vec![format!("{}填写链接：{url}", respondent.label())],
            links: vec![
                Link {
                    href: format!("/s/{}/letter", publication.slug),
                    text: format!("打印{}（A4，含二维码）", respondent.letter_name()),
                },
                Link {
                    href: format!("/s/{}/qr.png", publication.slug),
                    text: "二维码图片（PNG，可发到班级群）".into(),
                },
                Link {
                    href: format!("/s/{}/qr.svg", publication.slug),
                    text: "二维码矢量图（SVG，印刷用）".into(),
                },
            ],
            ..Section::default()
        })
        .section(Section {
            heading: "需求分析".into(),
            paragraphs: vec![
                "按本校家庭的回答计算各类课程的需求比例（含 95% 区间），并与本校一校一案对照，列出建议新增、扩容或复核的活动。".into(),
            ],
            links: vec![
                Link {
                    href: format!("{base}/analysis"),
                    text: "本校需求分析报告（可打印，附一校一案修订建议）".into(),
                },
                Link {
                    href: format!("{base}/analysis?format=xlsx"),
                    text: "下载 Excel".into(),
                },
            ],
            ..Section::default()
        })
        .section(Section {
            heading: "回收情况".into(),
            paragraphs: vec![format!(
                "已回收 {total} 份，在校生 {enrolled} 人，回收率 {}。",
                response_rate(rate(total, enrolled))
            )],
            table: Some(grades),
            ..Section::default()
        })
        .section(Section {
            heading: "各班回收份数".into(),
            table: Some(classes),
            ..Section::default()
        })
        .section(Section {
            heading: "一生一码（可选）".into(),
            paragraphs: vec![format!(
                "已生成 {} 个填写码，已使用 {used} 个。每个填写码只能提交一次，不收集姓名。",
                codes.len()
            )],
            links: if codes.is_empty() || !makes_codes {
                vec![]
            } else {
                vec![Link {
                    href: format!("{base}/codes"),
                    text: "打印未使用填写码的告家长书".into(),
                }]
            },
            form: makes_codes.then(|| {
                Form::post(
                format!("{base}/codes"),
                &csrf,
                "生成填写码",
                vec![
                    Field::input("text", "classes", "班级")
                        .hint("格式：年级:起始班-结束班，多个用逗号分隔，例如 1:1-4,2:1-3"),
                    Field::input("number", "per_class", "每班份数").value("45"),
                ],
            )
            }),
            ..Section::default()
        });
    render(&state, &page, StatusCode::OK)
}

/// The form a teacher opens a computer-room session with (机房模式).
fn class_session_form(base: &str, csrf: &str) -> Section {
    use crate::domain::class_session::{DEFAULT_MINUTES, MAX_EXPECTED, MAX_MINUTES};
    let grades = crate::domain::survey::STUDENT_GRADES
        .map(|g| (g.to_string(), grade_label(g).to_string()))
        .collect();
    Section {
        heading: "机房集中填写（机房模式）".into(),
        paragraphs: vec![
            "带一个班到机房填写时使用：开始后，把下一页投到大屏幕上，同学们在电脑上输入网址或扫码即可填写。每交一份，电脑自动回到开头；收齐人数或到时间后自动结束。不记录学生的姓名和座位。".into(),
        ],
        form: Some(Form::post(
            format!("{base}/class-sessions"),
            csrf,
            "开始本班填写",
            vec![
                Field::select("grade", "年级", grades, "3"),
                Field::input("number", "class_no", "班级").hint("填数字，例如 2 表示 2 班"),
                Field::input("number", "expected", "本班今天参加的人数")
                    .hint(format!("1–{MAX_EXPECTED} 人；收齐这个人数后自动结束")),
                Field::input("number", "minutes", "填写时长（分钟）")
                    .optional()
                    .value(DEFAULT_MINUTES.to_string())
                    .hint(format!("5–{MAX_MINUTES} 分钟，不填为 {DEFAULT_MINUTES} 分钟")),
            ],
        )),
        ..Section::default()
    }
}
