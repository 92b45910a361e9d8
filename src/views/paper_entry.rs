//! The paper-slip entry screen's view model: one slip per screen, each question with the same
//! numbered keys as the printed tick boxes, the answers typed so far kept on a re-render.

use serde::Serialize;

use super::admin::Page;
use crate::domain::school::SchoolLevel;
use crate::domain::survey::{
    boxes, condition, FieldErrors, FormInput, QuestionKind, SurveyDefinition,
};

#[derive(Debug, Serialize)]
pub struct KeyOption {
    pub key: String,
    pub id: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Debug, Serialize)]
pub struct EntryQuestion {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub condition: Option<String>,
    pub multi: bool,
    /// Typed in digits (a class or a number): a text box.
    pub digits: bool,
    pub text: bool,
    pub options: Vec<KeyOption>,
    pub value: String,
    pub error: Option<String>,
    pub hint: String,
    /// A scanned slip's picture of this question, shown for review.
    pub picture: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct EntryPage {
    #[serde(flatten)]
    pub page: Page,
    pub action: String,
    pub serial: String,
    pub questions: Vec<EntryQuestion>,
    /// Fields the double-entry mode adds (batch name and pass), kept on a re-render.
    pub batch: String,
    pub pass: String,
    /// Reviewing a scanned slip: where to set it aside (the serial is not typed).
    pub aside: Option<String>,
}

/// The questions of the slip, with what was typed and the messages beside them.
pub fn questions(
    slip: &SurveyDefinition,
    level: Option<SchoolLevel>,
    input: &FormInput,
    errors: Option<&FieldErrors>,
) -> Vec<EntryQuestion> {
    let numbers: Vec<(String, usize)> = slip
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.clone(), i + 1))
        .collect();
    slip.questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let values = input.values(&q.id);
            let multi = matches!(q.kind, QuestionKind::Multi { .. });
            let digits = matches!(
                q.kind,
                QuestionKind::Class { .. } | QuestionKind::Number { .. }
            );
            let text = matches!(q.kind, QuestionKind::Text { .. });
            let hint = if multi {
                "按选项前的键勾选或取消，回车到下一题"
            } else if digits || text {
                "输入后按回车到下一题，没填的直接回车"
            } else {
                "按选项前的键选择，退格键清除，回车到下一题"
            };
            EntryQuestion {
                number: i + 1,
                id: q.id.clone(),
                title: q.title.clone(),
                condition: condition(slip, &numbers, q),
                multi,
                digits,
                text,
                options: boxes(q, level)
                    .into_iter()
                    .map(|(key, id, label)| KeyOption {
                        checked: values.contains(&id),
                        key,
                        id,
                        label,
                    })
                    .collect(),
                value: if digits || text {
                    values.first().cloned().unwrap_or_default()
                } else {
                    String::new()
                },
                error: errors.and_then(|e| e.get(&q.id)).map(String::from),
                hint: hint.into(),
                picture: None,
            }
        })
        .collect()
}
