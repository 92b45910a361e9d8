//! The survey as printed on a paper reply slip (回执): only the questions marked `paper = true`,
//! on one page, so that a typed-in slip is validated by the same rules as a phone answer.

use super::definition::SurveyDefinition;

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
