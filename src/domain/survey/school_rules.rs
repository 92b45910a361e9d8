//! What the school and the round decide, on top of the survey's own rules: a
//! question shown only at some schools (乡土特色 at 镇区 and 乡村 schools), the
//! optional sections a round switches on, and the grades the school teaches (a
//! grade it does not teach is refused beside the grade question, and the form
//! offers only the grades it teaches).

use super::answers::Answers;
use super::definition::{grade_label, QuestionKind, SurveyDefinition};
use super::form::FormInput;
use super::validate::{is_visible, validate, FieldErrors};
use crate::domain::school::{SchoolLevel, UrbanRural3};

/// The survey as one school's parents see it in one round: questions shown only at other kinds
/// of school, and those of sections the round did not switch on, are left out. Their answers
/// are then neither asked nor accepted, and display logic that depends on them hides too.
/// `area` is `None` when the school's code is unknown: such questions are left out.
pub fn for_school(
    def: &SurveyDefinition,
    area: Option<UrbanRural3>,
    sections: &[&str],
) -> SurveyDefinition {
    let mut out = def.clone();
    out.questions.retain(|q| {
        let at = q
            .show_at
            .as_ref()
            .is_none_or(|s| area.is_some_and(|a| s.area.contains(&a)));
        let on = q.section.as_deref().is_none_or(|s| sections.contains(&s));
        at && on
    });
    out
}

/// The message beside a grade the school does not teach.
pub fn grade_not_taught(level: SchoolLevel, grade: u8) -> String {
    format!(
        "本校是{}，没有{}。请选择孩子现在就读的年级。",
        level.as_str(),
        grade_label(grade)
    )
}

/// [`validate`] at a school of `level` (`None`: a level this version does not know, so only
/// the survey's own rules apply). Messages stay in question order.
pub fn validate_at(
    def: &SurveyDefinition,
    input: &FormInput,
    level: Option<SchoolLevel>,
) -> Result<Answers, FieldErrors> {
    let result = validate(def, input);
    let Some(level) = level else {
        return result;
    };
    let before = match &result {
        Ok(_) => FieldErrors::default(),
        Err(e) => e.clone(),
    };
    let mut errors = FieldErrors::default();
    for q in &def.questions {
        if let Some(m) = before.get(&q.id) {
            errors.push(&q.id, m.to_string());
            continue;
        }
        if !matches!(q.kind, QuestionKind::Grade { .. }) || !is_visible(def, &q.id, input) {
            continue;
        }
        let grade = input
            .values(&q.id)
            .first()
            .and_then(|v| v.parse::<u8>().ok());
        if let Some(g) = grade.filter(|g| !level.has_grade(*g)) {
            errors.push(&q.id, grade_not_taught(level, g));
        }
    }
    if errors.is_empty() {
        result
    } else {
        Err(errors)
    }
}

/// The grades of a grade question that a school of `level` teaches, in the question's order.
pub fn grades_at(grades: &[u8], level: Option<SchoolLevel>) -> Vec<u8> {
    grades
        .iter()
        .copied()
        .filter(|g| level.is_none_or(|l| l.has_grade(*g)))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::survey::{parse_definition, Taxonomy};

    fn needs() -> SurveyDefinition {
        let dir = std::path::Path::new("survey-definitions");
        let tax =
            Taxonomy::parse(&std::fs::read_to_string(dir.join("taxonomy.toml")).unwrap()).unwrap();
        let src = std::fs::read_to_string(dir.join("after-school-needs.toml")).unwrap();
        parse_definition(&src, &tax).unwrap()
    }

    #[test]
    fn a_primary_school_refuses_grade_nine_beside_the_grade_question() {
        let def = needs();
        let grade_q = def
            .questions
            .iter()
            .find(|q| matches!(q.kind, QuestionKind::Grade { .. }))
            .unwrap()
            .id
            .clone();
        let input =
            FormInput::from_pairs(&def, vec![(format!("q.{grade_q}"), "9".into())]).unwrap();
        let errors = validate_at(&def, &input, Some(SchoolLevel::Primary)).unwrap_err();
        assert_eq!(
            errors.get(&grade_q),
            Some("本校是小学，没有九年级。请选择孩子现在就读的年级。")
        );
        // The same grade at a junior middle school breaks no school rule.
        let errors = validate_at(&def, &input, Some(SchoolLevel::JuniorMiddle)).unwrap_err();
        assert!(!errors.get(&grade_q).is_some_and(|m| m.contains("本校")));
        // Question order is kept: the grade's message comes where the grade question is.
        let order: Vec<&str> = errors.iter().map(|(q, _)| q).collect();
        let mut sorted = order.clone();
        sorted.sort_by_key(|q| def.questions.iter().position(|d| d.id == *q));
        assert_eq!(order, sorted);
    }

    #[test]
    fn the_form_offers_only_the_grades_taught() {
        let all: Vec<u8> = (1..=9).collect();
        assert_eq!(
            grades_at(&all, Some(SchoolLevel::Primary)),
            (1..=6).collect::<Vec<_>>()
        );
        assert_eq!(
            grades_at(&all, Some(SchoolLevel::JuniorMiddle)),
            vec![7, 8, 9]
        );
        assert_eq!(grades_at(&all, None), all);
    }
}
