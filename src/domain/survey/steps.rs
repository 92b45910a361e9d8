//! A survey split into pages, answered one step at a time: which page comes next or before,
//! given the answers so far, and which problems belong to the pages already seen. Without a
//! script the server walks these steps; the optional script walks the same ones in place.

use super::definition::{Question, QuestionKind, SurveyDefinition};
use super::form::FormInput;
use super::validate::{is_visible, FieldErrors};

/// What the parent pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Go {
    /// 下一步: check this page and the ones before it, then show the next page that asks
    /// something (or, when none is left, submit).
    Next,
    /// 上一步: show the previous page that asks something; nothing is checked.
    Back,
    /// 提交问卷: check everything and store it.
    Submit,
}

/// Where the parent is: the page shown when they pressed, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub page: usize,
    pub go: Go,
}

/// Whether a question is left out of the form because a one-time code already answers it:
/// the grade when the code knows the grade, the class when it knows the class.
pub fn answered_by_code(q: &Question, grade_known: bool, class_known: bool) -> bool {
    match q.kind {
        QuestionKind::Grade { .. } => grade_known,
        QuestionKind::Class { .. } => class_known,
        _ => false,
    }
}

/// Whether page `page` asks anything, given the answers so far; `left_out` names questions the
/// form does not show (the grade and class a one-time code already gives).
pub fn page_asks(
    def: &SurveyDefinition,
    page: usize,
    input: &FormInput,
    left_out: &dyn Fn(&Question) -> bool,
) -> bool {
    def.questions
        .iter()
        .any(|q| q.page == page && !left_out(q) && is_visible(def, &q.id, input))
}

/// The first page after `page` that asks something, if any.
pub fn next_page(
    def: &SurveyDefinition,
    page: usize,
    input: &FormInput,
    left_out: &dyn Fn(&Question) -> bool,
) -> Option<usize> {
    (page + 1..def.page_count()).find(|p| page_asks(def, *p, input, left_out))
}

/// The last page before `page` that asks something, if any.
pub fn previous_page(
    def: &SurveyDefinition,
    page: usize,
    input: &FormInput,
    left_out: &dyn Fn(&Question) -> bool,
) -> Option<usize> {
    (0..page.min(def.page_count()))
        .rev()
        .find(|p| page_asks(def, *p, input, left_out))
}

/// The first page that asks something (page 0 unless it is all left out or hidden).
pub fn first_page(
    def: &SurveyDefinition,
    input: &FormInput,
    left_out: &dyn Fn(&Question) -> bool,
) -> usize {
    (0..def.page_count())
        .find(|p| page_asks(def, *p, input, left_out))
        .unwrap_or(0)
}

/// Whether a page after `page` may still ask something: one that does now, or one whose
/// questions depend on answers not given yet. The form offers 下一步 rather than 提交 then.
pub fn may_continue(
    def: &SurveyDefinition,
    page: usize,
    input: &FormInput,
    left_out: &dyn Fn(&Question) -> bool,
) -> bool {
    next_page(def, page, input, left_out).is_some()
        || def.questions.iter().any(|q| {
            q.page > page
                && !left_out(q)
                && q.show_if
                    .as_ref()
                    .map(|s| s.question.as_str())
                    .into_iter()
                    .chain(q.options_from_answer.as_deref())
                    .any(|dep| def.question(dep).is_some_and(|d| d.page >= page))
        })
}

/// The problems on pages up to and including `page`, in question order.
pub fn errors_through(def: &SurveyDefinition, errors: &FieldErrors, page: usize) -> FieldErrors {
    let mut out = FieldErrors::default();
    for (qid, message) in errors.iter() {
        if def.question(qid).is_some_and(|q| q.page <= page) {
            out.push(qid, message.to_string());
        }
    }
    out
}

/// The page of the first problem (page 0 if there is none).
pub fn page_of_first(def: &SurveyDefinition, errors: &FieldErrors) -> usize {
    errors
        .iter()
        .filter_map(|(qid, _)| def.question(qid).map(|q| q.page))
        .min()
        .unwrap_or(0)
}
