//! Lints what follows from who answers a survey: children are not asked to write free text and
//! are told their parents know; teachers, few per school, are not asked grade or class.

use super::definition::{Question, QuestionKind, Respondent};
use super::lint::Linter;
use super::raw::RawDefinition;

/// Grades a student questionnaire may be answered in (三年级 to 九年级).
pub const STUDENT_GRADES: std::ops::RangeInclusive<u8> = 3..=9;

/// The declared respondent (parent when absent); `None` when the value is unknown.
pub(super) fn respondent(lx: &mut Linter<'_>, raw: &RawDefinition) -> Option<Respondent> {
    let Some(r) = &raw.respondent else {
        return Some(Respondent::Parent);
    };
    let parsed = Respondent::parse(r.get_ref());
    if parsed.is_none() {
        let allowed: Vec<&str> = Respondent::ALL.iter().map(|(n, _)| *n).collect();
        lx.err(
            r.span().start,
            format!(
                "unknown respondent \"{}\" (expected one of: {})",
                r.get_ref(),
                allowed.join(", ")
            ),
        );
    }
    parsed
}

/// Checks the questions and the consent against the respondent.
pub(super) fn check(
    lx: &mut Linter<'_>,
    raw: &RawDefinition,
    respondent: Respondent,
    built: &[Option<Question>],
) {
    if respondent == Respondent::Student && !raw.consent.get_ref().contains("家长") {
        lx.err(
            raw.consent.span().start,
            "the consent of a student survey must say that parents (家长) are told about it",
        );
    }
    for (rq, q) in raw.questions.iter().zip(built) {
        let Some(q) = q else { continue };
        let at = rq.kind.span().start;
        match (respondent, &q.kind) {
            (Respondent::Student, QuestionKind::Text { .. }) => lx.err(
                at,
                format!("question \"{}\": a student survey has no free-text questions (children write their names in them)", q.id),
            ),
            (Respondent::Student, QuestionKind::Grade { grades })
                if grades.iter().any(|g| !STUDENT_GRADES.contains(g)) =>
            {
                lx.err(
                    at,
                    format!("question \"{}\": a student survey is for grades 3-9 only (set `grades`)", q.id),
                )
            }
            (Respondent::Teacher, QuestionKind::Grade { .. } | QuestionKind::Class { .. }) => lx
                .err(
                    at,
                    format!("question \"{}\": a teacher survey does not ask grade or class (teachers are few and would be identifiable)", q.id),
                ),
            _ => {}
        }
    }
}
