//! The school's plan page (一校一案): the form as rows — the plan's own fields, a box per
//! outside resource, one block per activity with its category picked by name and its units
//! beside each number — the problems above it, the latest revisions below, and for those who
//! may only read it, the plan as a table.

use crate::app::plans::SchoolPlan;
use crate::auth::access::Access;
use crate::auth::session::CurrentUser;
use crate::domain::plan::RESOURCES;
use crate::domain::plan_form::{ActivityRow, Place, PlanForm};
use crate::domain::survey::Taxonomy;
use crate::views::admin::{Cell, Choice, Field, Form, Link, Page, Section, Table};

/// Blank activity rows the form shows below the filled ones, and adds per 「再添几行」.
pub const SPARE_ROWS: usize = 3;

/// An activity row's fields, each sent as `a.{row}.{field}`.
pub const ROW_FIELDS: [&str; 5] = ["name", "category", "weekly", "capacity", "fee"];

/// The plan's own fields and what the page calls them.
pub const LABELS: [(&str, &str); 8] = [
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

/// The whole page: `form` as shown (rows padded), with `problems` named above it.
pub fn page(
    user: &CurrentUser,
    taxonomy: &Taxonomy,
    school_id: i64,
    plan: &SchoolPlan,
    form: &PlanForm,
    problems: &[(Place, String)],
) -> Page {
    let mut page = Page::for_user(user, format!("{} · 一校一案", plan.name));
    let csrf = page.csrf.clone();
    let current = plan.recent.first().map_or_else(
        || "还没有保存过方案。".to_string(),
        |r| {
            format!(
                "当前是第 {} 版（{}，{} 保存）。每次保存都会新增一个版本，需求分析使用最新版本；也可由教育局用表格批量导入。",
                plan.revisions,
                r.term,
                r.created_at.format("%Y-%m-%d %H:%M")
            )
        },
    );
    page = page.section(Section {
        paragraphs: vec![current],
        links: vec![Link {
            href: format!("/admin/schools/{school_id}"),
            text: "← 返回学校页面".into(),
        }],
        ..Section::default()
    });
    if !problems.is_empty() {
        page = page.section(Section {
            heading: "需要修改的地方".into(),
            paragraphs: problems.iter().map(problem_line).collect(),
            ..Section::default()
        });
    }
    page = if Access::SchoolStaff.admits(user.user.role()) {
        page.section(Section {
            heading: "方案".into(),
            form: Some(form_of(school_id, &csrf, taxonomy, form)),
            ..Section::default()
        })
    } else {
        // Township officers read the plan; only the school and the bureau change it.
        page.section(Section {
            heading: "方案".into(),
            table: Some(read_only(taxonomy, form)),
            ..Section::default()
        })
    };
    if !plan.recent.is_empty() {
        let mut table = Table {
            headers: ["保存时间", "学期", "活动数", "来源"]
                .map(String::from)
                .to_vec(),
            ..Table::default()
        };
        for r in &plan.recent {
            table.rows.push(vec![
                Cell::text(r.created_at.format("%Y-%m-%d %H:%M").to_string()),
                Cell::text(r.term.as_str()),
                Cell::num(r.activities),
                Cell::text(source_text(&r.source)),
            ]);
        }
        page = page.section(Section {
            heading: "最近的版本".into(),
            table: Some(table),
            ..Section::default()
        });
    }
    page
}

fn form_of(school_id: i64, csrf: &str, taxonomy: &Taxonomy, f: &PlanForm) -> Form {
    let input = |kind: &'static str, name: &str, value: &str| {
        Field::input(kind, name, label(name)).value(value)
    };
    let mut fields = vec![
        input("text", "term", &f.term).hint("如“2026秋”"),
        input("number", "extra_n", &f.extra_n)
            .hint("“2+N”中的 N：作业辅导和体育锻炼之外的拓展活动数"),
        input("number", "days_per_week", &f.days_per_week).hint("1–5 天；“5+2”为 5"),
        input("number", "minutes_per_day", &f.minutes_per_day)
            .hint("30–240 分钟；“5+2”每天至少 120"),
        input("number", "teachers", &f.teachers).hint("人"),
        input("number", "outside_staff", &f.outside_staff).hint("人，如退休教师、志愿者"),
        Field::heading("校外资源（可多选，没有就不选）"),
    ];
    fields.extend(
        RESOURCES.iter().enumerate().map(|(i, r)| {
            Field::checkbox(&format!("res.{i}"), r, f.resources.iter().any(|x| x == r))
        }),
    );
    let mut categories = vec![(String::new(), "请选择类别".to_string())];
    for c in taxonomy.categories() {
        categories.push((c.id.clone(), c.name.clone()));
        categories.extend(
            c.subcategories
                .iter()
                .map(|s| (s.id.clone(), format!("{} · {}", c.name, s.name))),
        );
    }
    for (i, a) in f.activities.iter().enumerate() {
        fields.extend(activity_fields(i, a, &categories));
    }
    let mut form = Form::post(
        format!("/admin/schools/{school_id}/plan"),
        csrf,
        "保存为新版本",
        fields,
    );
    form.extra_submit = Some(Choice {
        value: "more".into(),
        label: format!("再添 {SPARE_ROWS} 行活动"),
        selected: false,
    });
    form
}

/// One activity's block: a heading and its five fields, units beside the numbers. A wholly
/// blank block is skipped when saving.
fn activity_fields(i: usize, a: &ActivityRow, categories: &[(String, String)]) -> Vec<Field> {
    let name = |f: &str| format!("a.{i}.{f}");
    vec![
        Field::heading(format!("活动 {}", i + 1)),
        Field::input("text", &name("name"), "活动名称")
            .value(&a.name)
            .in_row(),
        Field::select(
            &name("category"),
            "课程类别",
            categories.to_vec(),
            &a.category,
        )
        .in_row(),
        Field::input("number", &name("weekly"), "每周次数（次/周）")
            .value(&a.weekly)
            .in_row(),
        Field::input("number", &name("capacity"), "容量（人）")
            .value(&a.capacity)
            .in_row(),
        Field::input("number", &name("fee"), "每月收费（元/月，免费填 0）")
            .value(&a.fee)
            .in_row(),
    ]
}

/// The plan as a table, for those who may read it but not change it.
fn read_only(taxonomy: &Taxonomy, f: &PlanForm) -> Table {
    let mut rows: Vec<Vec<Cell>> = [
        ("term", &f.term),
        ("extra_n", &f.extra_n),
        ("days_per_week", &f.days_per_week),
        ("minutes_per_day", &f.minutes_per_day),
        ("teachers", &f.teachers),
        ("outside_staff", &f.outside_staff),
    ]
    .iter()
    .map(|(k, v)| vec![Cell::text(label(k)), Cell::text(v.as_str())])
    .collect();
    rows.push(vec![
        Cell::text(label("resources")),
        Cell::text(if f.resources.is_empty() {
            "无".to_string()
        } else {
            f.resources.join("、")
        }),
    ]);
    let filled = f.activities.iter().filter(|a| !a.name.trim().is_empty());
    for (i, a) in filled.enumerate() {
        let category = taxonomy.name_of(&a.category).unwrap_or("未知类别");
        rows.push(vec![
            Cell::text(format!("活动 {}", i + 1)),
            Cell::text(format!(
                "{}（{category}）：每周 {} 次，{} 人，每月 {} 元",
                a.name, a.weekly, a.capacity, a.fee
            )),
        ]);
    }
    Table {
        headers: vec!["项目".into(), "内容".into()],
        rows,
    }
}

/// What a revision's source reads as.
fn source_text(source: &str) -> String {
    match source.split_once(':') {
        Some(("web", who)) => format!("网页填写（{who}）"),
        Some(("xlsx", file)) => format!("表格导入（{file}）"),
        _ => "其他".to_string(),
    }
}

/// A problem's line above the form.
fn problem_line((place, message): &(Place, String)) -> String {
    match place {
        Place::Field(f) => format!("{}：{message}", label(f)),
        Place::Activity(n) => format!("活动 {n}：{message}"),
    }
}
