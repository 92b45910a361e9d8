//! What one response adds to the running answer counters: the (segment, question, value) keys
//! from which every figure of the demand analysis is derived, so that analysis reads counts and
//! never the responses themselves. Free text is never counted.

use std::collections::BTreeSet;

use super::survey::{
    categories_of, AnswerValue, Answers, Question, QuestionKind, SurveyDefinition,
};

/// The counting rule. Counters made by an older rule must be rebuilt (`recount`) before they
/// mean what the reports say: until version 2 a ranking counted as demand for its categories.
pub const VERSION: i32 = 2;

/// Pseudo-question of the response total (value [`ANSWERED`]).
pub const TOTAL: &str = "#";
/// Pseudo-question of the taxonomy categories and sub-categories a response asked for in the
/// categories question or its sub-category questions (value: the taxonomy id); see
/// [`categories_of`].
pub const CATEGORY: &str = "@category";
/// Value meaning "the question was answered" (the base of its shares).
pub const ANSWERED: &str = "";
/// Separates an option from its place in a ranking value: `science#1`.
pub const RANK_SEP: char = '#';

/// The question that splits respondents into segments: the first required single-choice
/// question, always shown, that another question's display logic depends on (`need` in a needs
/// survey, `participates` in a satisfaction survey). `None` if the survey has none.
pub fn segment_question(def: &SurveyDefinition) -> Option<&Question> {
    def.questions.iter().find(|q| {
        matches!(q.kind, QuestionKind::Single { .. })
            && q.required
            && q.show_if.is_none()
            && def
                .questions
                .iter()
                .any(|o| o.show_if.as_ref().is_some_and(|s| s.question == q.id))
    })
}

/// The segment of "families who need the service": the segmenting question's first option
/// (by the survey format's convention the affirmative one: 需要, 参加了).
pub fn need_segment(def: &SurveyDefinition) -> Option<&str> {
    segment_question(def)
        .and_then(|q| q.options().first())
        .map(|o| o.id.as_str())
}

/// The segments of families who need or may need the service (有兴趣: 需要 and 还不确定): those
/// to whom the categories question is put, when its condition is on the segmenting question
/// and admits more than the "needs" segment. Empty otherwise (the survey then reports no such
/// base).
pub fn interest_segments(def: &SurveyDefinition) -> Vec<String> {
    let Some(seg) = segment_question(def) else {
        return Vec::new();
    };
    def.questions
        .iter()
        .filter(|q| super::survey::is_demand(def, q))
        .find_map(|q| q.show_if.as_ref().filter(|s| s.question == seg.id))
        .map(|s| s.any_of.clone())
        .filter(|any| {
            any.len() > 1 && need_segment(def).is_some_and(|n| any.iter().any(|a| a == n))
        })
        .unwrap_or_default()
}

/// Whether a question's answers are counted (everything but free text and the grade and class
/// pickers, whose values are dimensions of the counters already or too fine to report).
pub fn is_counted(q: &Question) -> bool {
    !matches!(
        q.kind,
        QuestionKind::Text { .. } | QuestionKind::Grade { .. } | QuestionKind::Class { .. }
    )
}

/// The ranking value of `option` placed `rank`-th (1-based).
pub fn rank_value(option: &str, rank: usize) -> String {
    format!("{option}{RANK_SEP}{rank}")
}

/// One response's counter keys: its segment and the `(question, value)` pairs it adds 1 to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub segment: String,
    pub keys: Vec<(String, String)>,
}

/// The keys one response adds to the counters.
pub fn tally(def: &SurveyDefinition, answers: &Answers) -> Tally {
    let segment = segment_question(def)
        .and_then(|q| answers.get(&q.id))
        .and_then(|v| v.option_ids().first().cloned())
        .unwrap_or_default();
    let mut keys = vec![(TOTAL.to_string(), ANSWERED.to_string())];
    for (qid, value) in answers.iter() {
        let Some(q) = def.question(qid) else { continue };
        if !is_counted(q) {
            continue;
        }
        keys.push((qid.to_string(), ANSWERED.to_string()));
        let mut push = |v: String| keys.push((qid.to_string(), v));
        match value {
            AnswerValue::Choice(o) => push(o.clone()),
            AnswerValue::Choices(os) => os.iter().for_each(|o| push(o.clone())),
            AnswerValue::Ranking(os) => os
                .iter()
                .enumerate()
                .for_each(|(i, o)| push(rank_value(o, i + 1))),
            AnswerValue::Scale(n) => push(n.to_string()),
            AnswerValue::Number(n) => push(n.to_string()),
            AnswerValue::Text(_) | AnswerValue::Grade(_) | AnswerValue::Class(_) => {}
        }
    }
    let cats: BTreeSet<String> = categories_of(def, answers);
    keys.extend(cats.into_iter().map(|c| (CATEGORY.to_string(), c)));
    Tally { segment, keys }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::survey::{parse_definition, validate, FormInput, Taxonomy};

    fn needs() -> SurveyDefinition {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/survey-definitions/");
        let tax = Taxonomy::parse(&std::fs::read_to_string(format!("{dir}taxonomy.toml")).unwrap())
            .unwrap();
        let src = std::fs::read_to_string(format!("{dir}after-school-needs.toml")).unwrap();
        parse_definition(&src, &tax).unwrap()
    }

    #[test]
    fn a_response_counts_its_total_answers_options_ranks_and_categories_but_no_text() {
        let def = needs();
        assert_eq!(segment_question(&def).unwrap().id, "need");
        assert_eq!(need_segment(&def), Some("yes"));
        assert_eq!(interest_segments(&def), ["yes", "unsure"]);
        let pairs: Vec<(String, String)> = [
            ("q.grade", "3"),
            ("q.class", "2"),
            ("q.need", "yes"),
            ("q.days", "mon"),
            ("q.end_time", "t1730"),
            ("q.categories", "science"),
            ("q.categories", "reading"),
            ("q.science_items", "science.maker"),
            ("q.top3.1", "reading"),
            ("q.top3.2", "science"),
            ("q.summer_care", "maybe"),
            ("q.summer_weeks", "4"),
            ("q.suggestion", "多一些实验"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let input = FormInput::from_pairs(&def, pairs).unwrap();
        let answers = validate(&def, &input).unwrap();
        let t = tally(&def, &answers);
        assert_eq!(t.segment, "yes");
        let has = |q: &str, v: &str| t.keys.iter().any(|(a, b)| a == q && b == v);
        assert!(has(TOTAL, ""));
        assert!(has("need", "") && has("need", "yes"));
        assert!(has("days", "mon") && has("end_time", "t1730"));
        assert!(has("top3", "reading#1") && has("top3", "science#2"));
        assert!(has("summer_weeks", "4"));
        for c in ["science", "science.maker", "reading"] {
            assert!(has(CATEGORY, c), "{c}");
        }
        assert!(!t
            .keys
            .iter()
            .any(|(q, _)| q == "suggestion" || q == "grade"));
        // Each key once: a response adds 1, never 2, to a counter.
        let distinct: BTreeSet<_> = t.keys.iter().collect();
        assert_eq!(distinct.len(), t.keys.len());
    }
}
