//! The survey as printed on a paper reply slip (回执): only the questions marked `paper = true`,
//! on one page, so that a typed-in slip is validated by the same rules as a phone answer.

use super::definition::{
    grade_label, Question, QuestionKind, SurveyDefinition, SCALE_MAX, SCALE_MIN,
};
use super::school_rules::grades_at;
use crate::domain::school::SchoolLevel;

/// The questions of `def` that are on the slip, all on one page. Conditions stay: the linter
/// makes sure they refer to questions on the slip.
pub fn paper_view(def: &SurveyDefinition) -> SurveyDefinition {
    let mut out = def.clone();
    out.questions.retain(|q| q.paper);
    for q in &mut out.questions {
        q.page = 0;
    }
    out.pages.clear();
    out
}

/// Whether any question of `def` is printed on the slip.
pub fn has_paper(def: &SurveyDefinition) -> bool {
    def.questions.iter().any(|q| q.paper)
}

/// The key of the `i`-th box (from 0): 1–9, then 0 for the tenth (as on a phone keypad), then
/// a, b, c … for a long list.
fn key(i: usize) -> String {
    match i {
        0..=8 => (i + 1).to_string(),
        9 => "0".into(),
        _ => char::from(b'a' + u8::try_from(i - 10).unwrap_or(25).min(25)).to_string(),
    }
}

/// `(key, value, label)` of each tick box of a question on paper, keyed 1, 2, 3 … (a scale by
/// its own points); empty for a question written in digits or lines. The entry screen uses
/// the same keys.
pub fn boxes(q: &Question, level: Option<SchoolLevel>) -> Vec<(String, String, String)> {
    let numbered = |items: Vec<(String, String)>| {
        items
            .into_iter()
            .enumerate()
            .map(|(i, (id, label))| (key(i), id, label))
            .collect()
    };
    match &q.kind {
        QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => numbered(
            options
                .iter()
                .map(|o| (o.id.clone(), o.label.clone()))
                .collect(),
        ),
        QuestionKind::Grade { grades } => numbered(
            grades_at(grades, level)
                .into_iter()
                .map(|g| (g.to_string(), grade_label(g).to_string()))
                .collect(),
        ),
        QuestionKind::Scale { .. } => (SCALE_MIN..=SCALE_MAX)
            .map(|n| (n.to_string(), n.to_string(), n.to_string()))
            .collect(),
        _ => Vec::new(),
    }
}

/// "第N题选“…”的请填写", for a question with a condition; `numbers` gives each printed
/// question's number.
pub fn condition(
    def: &SurveyDefinition,
    numbers: &[(String, usize)],
    q: &Question,
) -> Option<String> {
    let cond = q.show_if.as_ref()?;
    let target = def.question(&cond.question)?;
    let n = numbers.iter().find(|(id, _)| *id == target.id)?.1;
    let labels: Vec<String> = cond
        .any_of
        .iter()
        .map(|v| target.option(v).map_or(v.clone(), |o| o.label.clone()))
        .collect();
    Some(format!("第{n}题选“{}”的请填写", labels.join("”或“")))
}
