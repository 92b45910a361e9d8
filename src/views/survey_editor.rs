//! The editor page's model: the survey's general fields and each question's fields (only
//! those its type uses), each with the problems the linter found there, and the buttons a
//! page without script posts.

use serde::Serialize;

use crate::app::survey_editor::Editing;
use crate::domain::survey::Taxonomy;
use crate::domain::survey_editor::{EditQuestion, QUESTION_TYPES};
use crate::views::admin::{Choice, Page};

#[derive(Debug, Serialize)]
pub struct EditorPage {
    #[serde(flatten)]
    pub page: Page,
    pub key: String,
    pub readonly: bool,
    pub status: String,
    /// Problems not beside any field shown.
    pub top_problems: Vec<String>,
    pub problem_count: usize,
    /// How many questions the form carries (`q0` … `q<count-1>`).
    pub count: usize,
    pub general: Vec<FieldView>,
    pub questions: Vec<QuestionView>,
    pub types: Vec<Choice>,
    pub import_errors: Vec<String>,
    /// The preview's page numbers (1-based) when the draft can be previewed.
    pub preview_pages: Vec<usize>,
}

#[derive(Debug, Serialize)]
pub struct QuestionView {
    pub index: usize,
    pub number: usize,
    pub type_label: String,
    pub first: bool,
    pub last: bool,
    pub problems: Vec<String>,
    pub fields: Vec<FieldView>,
}

#[derive(Debug, Default, Serialize)]
pub struct FieldView {
    pub name: String,
    pub label: String,
    pub value: String,
    pub hint: Option<String>,
    pub is_textarea: bool,
    pub is_select: bool,
    pub is_check: bool,
    pub checked: bool,
    /// Several check boxes under one name (`show_at`'s areas).
    pub checks: Vec<Choice>,
    pub options: Vec<Choice>,
    pub errors: Vec<String>,
}

fn text(name: String, label: &str, value: &str) -> FieldView {
    FieldView {
        name,
        label: label.into(),
        value: value.into(),
        ..FieldView::default()
    }
}

fn area(name: String, value: &str) -> FieldView {
    FieldView {
        is_textarea: true,
        ..text(name, "", value)
    }
}

fn select(name: String, label: &str, choices: &[(&str, &str)], current: &str) -> FieldView {
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

fn check(name: String, label: &str, checked: bool) -> FieldView {
    FieldView {
        is_check: true,
        checked,
        ..text(name, label, "1")
    }
}

const KINDS: &[(&str, &str)] = &[("needs", "需求调查"), ("satisfaction", "满意度调查")];
const RESPONDENTS: &[(&str, &str)] = &[
    ("parent", "家长"),
    ("student", "学生（三至九年级）"),
    ("teacher", "教师"),
];
const AREAS: &[(&str, &str)] = &[("city", "城区"), ("town", "镇区"), ("village", "乡村")];

/// The fields of question `i`, in the order the page shows them: `(field key, view)`; the
/// key is the one problems are placed by.
fn question_fields(
    i: usize,
    q: &EditQuestion,
    taxonomy: &Taxonomy,
) -> Vec<(&'static str, FieldView)> {
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
            text(
                n("from_answer"),
                "只列出前面某道多选题选中的项（填该题编号，选填）",
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
        text(
            n("show_question"),
            "只在这道题的回答符合时显示：题目编号（选填）",
            &q.show_question,
        ),
    );
    push(
        "show_if",
        FieldView {
            hint: Some("选项编号，多个用空格隔开；评分题填 1 到 5，年级、班级填数字。".into()),
            ..text(n("show_values"), "……回答为以下之一时显示", &q.show_values)
        },
    );
    push(
        "required_if",
        text(
            n("required_question"),
            "只在这道题的回答符合时必答：题目编号（选填）",
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

/// The editor page for a web survey.
pub fn editor_page(
    page: Page,
    e: &Editing,
    readonly: bool,
    import_errors: Vec<String>,
    preview_pages: usize,
    taxonomy: &Taxonomy,
) -> EditorPage {
    let s = &e.edit;
    let general_fields: Vec<(&str, FieldView)> = vec![
        ("title", text("title".into(), "问卷标题", &s.title)),
        ("kind", select("kind".into(), "问卷类别", KINDS, &s.kind)),
        (
            "respondent",
            select("respondent".into(), "填写人", RESPONDENTS, &s.respondent),
        ),
        (
            "letter",
            FieldView {
                hint: Some("可用 {{学校}} 代表学校名称。".into()),
                ..area("letter".into(), &s.letter)
            },
        ),
        ("consent", area("consent".into(), &s.consent)),
        ("closing", area("closing".into(), &s.closing)),
        (
            "sections",
            FieldView {
                hint: Some("每行一个：编号 空格 名称。只在发布时选中的轮次询问。".into()),
                ..area("sections".into(), &s.sections)
            },
        ),
    ];
    let labels = [
        ("letter", "告家长书"),
        ("consent", "知情同意说明"),
        ("closing", "提交后的感谢语"),
        ("sections", "可选部分（选填）"),
    ];
    let mut shown: Vec<&str> = Vec::new();
    let general = general_fields
        .into_iter()
        .map(|(key, mut f)| {
            if let Some((_, l)) = labels.iter().find(|(k, _)| *k == key) {
                f.label = (*l).into();
            }
            f.errors = e.problems.of_survey(key);
            shown.push(key);
            f
        })
        .collect();
    let top_problems = e
        .problems
        .survey
        .iter()
        .filter(|(f, _)| !shown.contains(&f.as_str()))
        .map(|(_, m)| m.clone())
        .collect();
    let count = s.questions.len();
    let questions = s
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let mut keys: Vec<&str> = Vec::new();
            let mut fields: Vec<FieldView> = Vec::new();
            for (key, mut f) in question_fields(i, q, taxonomy) {
                if !keys.contains(&key) {
                    f.errors = e.problems.of_question(i, key);
                }
                keys.push(key);
                fields.push(f);
            }
            let problems = e
                .problems
                .questions
                .get(i)
                .map(|v| {
                    v.iter()
                        .filter(|(f, _)| !keys.contains(&f.as_str()))
                        .map(|(_, m)| m.clone())
                        .collect()
                })
                .unwrap_or_default();
            QuestionView {
                index: i,
                number: i + 1,
                type_label: QUESTION_TYPES
                    .iter()
                    .find(|(k, _)| *k == q.kind)
                    .map_or("题型未选", |(_, l)| l)
                    .into(),
                first: i == 0,
                last: i + 1 == count,
                problems,
                fields,
            }
        })
        .collect();
    EditorPage {
        page,
        key: e.key.clone(),
        readonly,
        status: match (e.saved_at, e.unsaved) {
            (None, _) => "尚未保存过版本：改好后请点“保存为新版本”，才能用于发布。".into(),
            (Some(at), true) => format!(
                "草稿有改动尚未保存为新版本（当前版本保存于 {}）。",
                crate::domain::time::to_local(at).format("%Y-%m-%d %H:%M")
            ),
            (Some(at), false) => format!(
                "草稿与当前版本相同（保存于 {}）。",
                crate::domain::time::to_local(at).format("%Y-%m-%d %H:%M")
            ),
        },
        top_problems,
        problem_count: e.problems.count(),
        count,
        general,
        questions,
        types: QUESTION_TYPES
            .iter()
            .map(|(v, l)| Choice {
                value: (*v).into(),
                label: (*l).into(),
                selected: *v == "single",
            })
            .collect(),
        import_errors,
        preview_pages: (1..=preview_pages).collect(),
    }
}
