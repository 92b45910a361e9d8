//! The editor page's model: the survey's general fields and each question's fields (only
//! those its type uses), each with the problems the linter found there, and the buttons a
//! page without script posts.

use serde::Serialize;

use crate::app::survey_editor::Editing;
use crate::domain::survey::Taxonomy;
use crate::domain::survey_editor::QUESTION_TYPES;
use crate::views::admin::{Choice, Page};

mod fields;

use fields::{area, question_fields, select, text, KINDS, RESPONDENTS};

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
            for (key, mut f) in question_fields(i, &s.questions, taxonomy) {
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
