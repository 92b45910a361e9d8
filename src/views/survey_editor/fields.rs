//! The editor form's fields, built per question type: text boxes, choices in words (question
//! types, taxonomy categories, other questions by number and title) and check boxes.

use super::FieldView;
use crate::domain::survey::Taxonomy;
use crate::domain::survey_editor::{EditQuestion, QUESTION_TYPES};
use crate::views::admin::Choice;

pub(super) fn text(name: String, label: &str, value: &str) -> FieldView {
    FieldView {
        name,
        label: label.into(),
        value: value.into(),
        ..FieldView::default()
    }
}

pub(super) fn area(name: String, value: &str) -> FieldView {
    FieldView {
        is_textarea: true,
        ..text(name, "", value)
    }
}

pub(super) fn select(
    name: String,
    label: &str,
    choices: &[(&str, &str)],
    current: &str,
) -> FieldView {
    FieldView {
        is_select: true,
        options: choices
            .iter()
            .map(|(v, l)| Choice {
                value: (*v).into(),
                label: (*l).into(),
                selected: *v == current,
            })
            .collect(),
        ..text(name, label, current)
    }
}

/// A choice of another question (by number and title) for a condition; a value that names
/// no question is kept, marked, for the linter to name.
fn pick_question(
    name: String,
    label: &str,
    none: &str,
    all: &[EditQuestion],
    own: usize,
    current: &str,
) -> FieldView {
    let mut choices = vec![(String::new(), none.to_string())];
    choices.extend(
        all.iter()
            .enumerate()
            .filter(|(j, _)| *j != own)
            .map(|(j, q)| (q.id.clone(), format!("第 {} 题：{}", j + 1, q.title.trim()))),
    );
    if !choices.iter().any(|(v, _)| v == current.trim()) {
        choices.push((current.to_string(), "（没有这道题）".into()));
    }
    FieldView {
        is_select: true,
        options: choices
            .into_iter()
            .map(|(value, label)| Choice {
                selected: value == current.trim(),
                value,
                label,
            })
            .collect(),
        ..text(name, label, current)
    }
}

fn check(name: String, label: &str, checked: bool) -> FieldView {
    FieldView {
        is_check: true,
        checked,
        ..text(name, label, "1")
    }
}

pub(super) const KINDS: &[(&str, &str)] = &[("needs", "需求调查"), ("satisfaction", "满意度调查")];
pub(super) const RESPONDENTS: &[(&str, &str)] = &[
    ("parent", "家长"),
    ("student", "学生（三至九年级）"),
    ("teacher", "教师"),
];
const AREAS: &[(&str, &str)] = &[("city", "城区"), ("town", "镇区"), ("village", "乡村")];

/// The fields of question `i`, in the order the page shows them: `(field key, view)`; the
/// key is the one problems are placed by.
pub(super) fn question_fields(
    i: usize,
    all: &[EditQuestion],
    taxonomy: &Taxonomy,
) -> Vec<(&'static str, FieldView)> {
    let q = &all[i];
    let n = |f: &str| format!("q{i}.{f}");
    let mut out = vec![
        ("id", text(n("id"), "题目编号（英文字母、数字）", &q.id)),
        ("title", text(n("title"), "题目", &q.title)),
        ("help", text(n("help"), "提示（选填）", &q.help)),
        ("type", select(n("type"), "题型", QUESTION_TYPES, &q.kind)),
        ("required", check(n("required"), "必答", q.required)),
    ];
    let mut push = |key, view| out.push((key, view));
    if q.is_choice() {
        let mut o = area(n("options"), &q.options);
        o.label = "选项（每行一个：编号 空格 文字）".into();
        o.hint = Some("例如“yes 需要”。需要时在文字后加“| 课程分类 | 提示”。".into());
        push("options", o);
        let mut from_taxonomy = vec![
            (String::new(), "不用（只用上面写的选项）".to_string()),
            ("*".to_string(), "全部课程大类".to_string()),
        ];
        from_taxonomy.extend(
            taxonomy
                .iter()
                .map(|c| (c.id.clone(), format!("“{}”的各个小类", c.name))),
        );
        if !from_taxonomy.iter().any(|(v, _)| *v == q.taxonomy.trim()) {
            from_taxonomy.push((q.taxonomy.clone(), "（课程分类表中没有这一类）".into()));
        }
        push(
            "taxonomy",
            FieldView {
                is_select: true,
                options: from_taxonomy
                    .into_iter()
                    .map(|(value, label)| Choice {
                        selected: value == q.taxonomy.trim(),
                        value,
                        label,
                    })
                    .collect(),
                hint: Some("选中的分类排在上面写的选项之前。".into()),
                ..text(n("taxonomy"), "从课程分类表取选项", &q.taxonomy)
            },
        );
        push(
            "from_answer",
            pick_question(
                n("from_answer"),
                "只列出前面某道多选题中选了的项",
                "不用",
                all,
                i,
                &q.from_answer,
            ),
        );
    }
    match q.kind.as_str() {
        "multi" => {
            push("min", text(n("min"), "至少选几项（选填）", &q.min));
            push("max", text(n("max"), "最多选几项（选填）", &q.max));
        }
        "rank" => push("top", text(n("top"), "排出前几位", &q.top)),
        "number" => {
            push("min", text(n("min"), "最小值", &q.min));
            push("max", text(n("max"), "最大值", &q.max));
            push("unit", text(n("unit"), "单位（选填，如“天”）", &q.unit));
        }
        "scale" => {
            push(
                "low_label",
                text(n("low_label"), "1 分的说明（选填）", &q.low_label),
            );
            push(
                "high_label",
                text(n("high_label"), "5 分的说明（选填）", &q.high_label),
            );
        }
        "text" => push(
            "max_length",
            text(
                n("max_length"),
                "最多几个字（选填，默认 200）",
                &q.max_length,
            ),
        ),
        "grade" => push(
            "grades",
            text(n("grades"), "可选年级（选填，如“1 2 3 4 5 6”）", &q.grades),
        ),
        "class" => push(
            "max_class",
            text(n("max_class"), "最多几个班（选填，默认 20）", &q.max_class),
        ),
        _ => {}
    }
    push(
        "show_if",
        pick_question(
            n("show_question"),
            "只在某道题的回答符合时显示",
            "总是显示",
            all,
            i,
            &q.show_question,
        ),
    );
    push(
        "show_if",
        FieldView {
            hint: Some("选项编号，多个用空格隔开；评分题填 1 到 5，年级、班级填数字。".into()),
            ..text(n("show_values"), "……且回答为以下之一", &q.show_values)
        },
    );
    push(
        "required_if",
        pick_question(
            n("required_question"),
            "只在某道题的回答符合时必答",
            "勾选“必答”时总是必答",
            all,
            i,
            &q.required_question,
        ),
    );
    push(
        "required_if",
        text(
            n("required_values"),
            "……回答为以下之一时必答",
            &q.required_values,
        ),
    );
    push(
        "show_at",
        FieldView {
            checks: AREAS
                .iter()
                .map(|(v, l)| Choice {
                    value: (*v).into(),
                    label: (*l).into(),
                    selected: q.show_at.iter().any(|a| a == v),
                })
                .collect(),
            hint: Some("都不勾选则所有学校都问。".into()),
            ..text(n("show_at"), "只在这些学校问", "")
        },
    );
    push(
        "page",
        text(n("page"), "从本题开始新的一页：页标题（选填）", &q.page),
    );
    push(
        "section",
        text(n("section"), "属于可选部分（填部分编号，选填）", &q.section),
    );
    push("paper", check(n("paper"), "也印在纸质回执上", q.paper));
    out
}
