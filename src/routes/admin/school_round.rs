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
        supplement,
    } = schools::round(&state, school_id, round_id).await?;
    let url = school_url(&state.public_base, &publication.slug);
    let total: i64 = by_class.iter().map(|c| c.2).sum();
    let on_paper: i64 = by_class.iter().map(|c| c.3).sum();
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
        headers: ["年级", "班级", "回收份数", "其中纸质回执"]
            .map(String::from)
            .to_vec(),
        ..Table::default()
    };
    for (g, k, n, paper) in &by_class {
        let g = g
            .and_then(|g| u8::try_from(g).ok())
            .map_or("未填", grade_label);
        let k = k
            .and_then(|k| u16::try_from(k).ok())
            .map_or("未填".into(), class_label);
        classes.rows.push(vec![
            Cell::text(g),
            Cell::text(k),
            Cell::num(n),
            Cell::num(paper),
        ]);
    }
    let used = codes.iter().filter(|c| c.used_at.is_some()).count();
    let base = format!("/admin/schools/{school_id}/rounds/{round_id}");
    let mut page = Page::for_user(
        &user,
        format!("{} · {}", publication.school_name, publication.round_name),
    );
    let csrf = page.csrf.clone();
    page.script = true;
    // Township officers see how many codes there are, never the codes themselves.
    let makes_codes = Access::SchoolStaff.admits(user.user.role());
    let class_count = classes.rows.len();
    let teachers = respondent == crate::domain::survey::Respondent::Teacher;
    if respondent == crate::domain::survey::Respondent::Student && makes_codes {
        page = page.section(class_session_form(&base, &csrf));
    }
    page = page
        .section(Section {
            paragraphs: vec![
                format!(
                    "按下面的顺序做：分享链接 → 打印{} → 留意回收情况 → 阅读需求报告 → 修订本校一校一案。",
                    respondent.letter_name()
                ),
            ],
            ..Section::default()
        })
        .section(if teachers {
            Section {
                heading: "第 1 步 · 把填写链接发到本校教职工群".into(),
                paragraphs: vec![
                    "这个链接只发给本校老师，请不要转发给家长或学生。老师用手机或电脑打开即可填写，不需要登录。".into(),
                ],
                copy: Some(url),
                ..Section::default()
            }
        } else {
            Section {
                heading: "第 1 步 · 把填写链接发到班级群".into(),
                paragraphs: vec![format!(
                    "{}用手机或电脑打开下面的链接即可填写，不需要注册。",
                    respondent.label()
                )],
                copy: Some(url),
                ..Section::default()
            }
        })
        .section(Section {
            heading: format!("第 2 步 · 打印{}或发二维码", respondent.letter_name()),
            links: vec![
                Link {
                    href: format!("/s/{}/letter", publication.slug),
                    text: format!("打印{}（A4，含二维码）", respondent.letter_name()),
                },
                Link {
                    href: format!("/s/{}/qr.png", publication.slug),
                    text: if teachers {
                        "二维码图片（可发到教职工群）"
                    } else {
                        "二维码图片（可发到班级群）"
                    }
                    .into(),
                },
                Link {
                    href: format!("/s/{}/qr.svg", publication.slug),
                    text: "二维码矢量图（印刷厂用）".into(),
                },
            ],
            ..Section::default()
        })
;
    if !teachers {
        page = page.section(codes_section(
            &base,
            &csrf,
            makes_codes,
            (codes.len(), used),
            &taught,
        ));
    }
    page = if teachers {
        // Teachers are not pupils: no grades, no classes, no rate against enrolment.
        page.section(Section {
            heading: "第 3 步 · 留意回收情况".into(),
            paragraphs: vec![format!(
                "已有 {total} 位老师填写。教师问卷不分年级、班级统计；为保护老师，报告中不足 5 位老师的数字一律不显示。"
            )],
            ..Section::default()
        })
    } else {
        page.section(Section {
            heading: "第 3 步 · 留意回收情况".into(),
            paragraphs: vec![format!(
                "已回收 {total} 份{}，在校生 {enrolled} 人，回收率 {}。回收率低的年级，可以请班主任再提醒一次。",
                if on_paper > 0 {
                    format!("（其中纸质回执 {on_paper} 份）")
                } else {
                    String::new()
                },
                response_rate(rate(total, enrolled))
            )],
            table: Some(grades),
            ..Section::default()
        })
        .section(Section {
            folded: Some(format!("展开各班回收份数（{class_count} 个班）")),
            table: (class_count > 0).then_some(classes),
            ..Section::default()
        })
    };
    page = page
        .section(Section {
            heading: "第 4 步 · 阅读本校需求报告".into(),
            paragraphs: vec![report_note(respondent).into()],
            links: vec![
                Link {
                    href: format!("{base}/analysis"),
                    text: "打开本校需求分析报告".into(),
                },
                Link {
                    href: format!("{base}/analysis?format=xlsx"),
                    text: "下载 Excel 表格".into(),
                },
            ],
            ..Section::default()
        })
        .section(Section {
            heading: "第 5 步 · 修订本校一校一案".into(),
            paragraphs: vec![
                "报告末尾把需求和本校一校一案对照，列出建议新增、扩容或复核的活动；据此修订方案。"
                    .into(),
            ],
            links: vec![Link {
                href: format!("/admin/schools/{school_id}/plan"),
                text: "查看和修订本校一校一案".into(),
            }],
            ..Section::default()
        });
    if respondent == crate::domain::survey::Respondent::Parent {
        page = page.section(supplement_section(&base, supplement, makes_codes));
    }
    if makes_codes && !teachers {
        page = page.section(paper_section(&base, &csrf, !codes.is_empty()));
        for s in double_entry_sections(&base) {
            page = page.section(s);
        }
    }
    render(&state, &page, StatusCode::OK)
}

/// What the school's report holds, for those who answered.
fn report_note(respondent: crate::domain::survey::Respondent) -> &'static str {
    use crate::domain::survey::Respondent;
    match respondent {
        Respondent::Parent => "报告按本校家庭的回答，算出各类课程的需求比例（含 95% 误差范围），可以打印。",
        Respondent::Student => "报告按本校同学的回答，算出各类活动的喜爱和想尝试的比例（含 95% 误差范围），可以打印。",
        Respondent::Teacher => "报告汇总本校老师愿意指导的活动类别、每周能投入的时间，以及对报酬和弹性上下班的看法；不足 5 位老师的数字不显示。",
    }
}

/// The school's own questions after the city's core survey: how many, and the link to them.
fn supplement_section(
    base: &str,
    (count, max, locked): (usize, i32, Option<String>),
    may_edit: bool,
) -> Section {
    let mut paragraphs = vec![if max > 0 {
        format!(
            "全市统一的问题之后，本校可以再问家长最多 {max} 道题，目前有 {count} 道。补充题只在网上填写，纸质回执上没有；结果只出现在本校的报告中。"
        )
    } else {
        "本轮教育局没有开放本校补充题。".into()
    }];
    paragraphs.extend(locked.clone().filter(|_| max > 0));
    Section {
        heading: "本校补充题".into(),
        paragraphs,
        links: vec![Link {
            href: format!("{base}/supplement"),
            text: if may_edit && locked.is_none() {
                "添加、修改本校补充题".into()
            } else {
                "查看本校补充题".into()
            },
        }],
        ..Section::default()
    }
}

/// Printing paper reply slips for families without a smartphone.
fn paper_section(base: &str, csrf: &str, has_codes: bool) -> Section {
    let how = if has_codes {
        "本校已生成填写码：每个未使用的填写码打印一张回执（每次最多 100 张，可填页码继续打印）。回执和手机填写只算一份。"
    } else {
        "每次打印都会取用新的回执编号，编号不会重复。没有智能手机的家庭在回执上打“√”后交回班主任，再由学校录入。"
    };
    let count = if has_codes {
        Field::input("number", "page", "第几批（每批 100 张）").value("1")
    } else {
        Field::input("number", "count", "打印份数").value("45")
    };
    Section {
        heading: "纸质回执".into(),
        links: vec![
            Link {
                href: format!("{base}/paper"),
                text: "录入交回的纸质回执（键盘录入，一屏一张）".into(),
            },
            Link {
                href: format!("{base}/scans"),
                text: "上传扫描的纸质回执（复印机扫描或手机拍照，机器识别）".into(),
            },
        ],
        paragraphs: vec![
            how.into(),
            "双人录入：两个人分别录入同一批回执（批次名称相同，一人选第一遍、一人选第二遍），录完后在“核对”页面处理不一致的回执，整批入库。".into(),
        ],
        form: Some(Form::post(
            format!("{base}/slips"),
            csrf,
            "打印纸质回执",
            vec![count],
        )),
        ..Section::default()
    }
}

/// Starting a pass of double entry, and comparing a batch's two passes (plain GET forms).
fn double_entry_sections(base: &str) -> [Section; 2] {
    let get = |action: String, submit: &str, fields: Vec<Field>| Form {
        method_get: true,
        ..Form::post(action, "", submit, fields)
    };
    let batch = || Field::input("text", "batch", "批次名称").hint("例如：三年级1班");
    let pass = Field::select(
        "pass",
        "第几遍",
        vec![("1".into(), "第一遍".into()), ("2".into(), "第二遍".into())],
        "1",
    );
    [
        Section {
            heading: "双人录入".into(),
            form: Some(get(
                format!("{base}/paper"),
                "开始录入这一遍",
                vec![batch(), pass],
            )),
            ..Section::default()
        },
        Section {
            heading: "核对双人录入".into(),
            form: Some(get(
                format!("{base}/paper/compare"),
                "核对这一批",
                vec![batch()],
            )),
            ..Section::default()
        },
    ]
}

/// The optional one-time codes: how many there are, the letters to print, and the form that
/// makes them for the chosen grades and classes.
fn codes_section(
    base: &str,
    csrf: &str,
    makes_codes: bool,
    (made, used): (usize, usize),
    taught: &[(i32, i32)],
) -> Section {
    let mut fields: Vec<Field> = taught
        .iter()
        .filter_map(|(g, _)| u8::try_from(*g).ok())
        .map(|g| Field::checkbox(&format!("grade_{g}"), grade_label(g), false))
        .collect();
    fields.push(Field::input("number", "first", "从第几班").value("1"));
    fields.push(
        Field::input("number", "last", "到第几班")
            .hint("例如各年级都有 4 个班：从第 1 班到第 4 班。"),
    );
    fields.push(Field::input("number", "per_class", "每班份数").value("45"));
    Section {
        heading: "一生一码（可选）".into(),
        paragraphs: vec![format!(
            "需要每个孩子一份专用填写码时使用。已生成 {made} 个填写码，已使用 {used} 个。每个填写码只能提交一次，不收集姓名。"
        )],
        links: if made == 0 || !makes_codes {
            vec![]
        } else {
            vec![Link {
                href: format!("{base}/codes"),
                text: "打印未使用填写码的告家长书".into(),
            }]
        },
        form: makes_codes
            .then(|| Form::post(format!("{base}/codes"), csrf, "生成填写码", fields)),
        ..Section::default()
    }
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
