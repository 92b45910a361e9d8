//! Who answers a survey: the default, the shipped files, and the rules that follow from it.

use super::super::{parse_definition, Respondent};
use super::{needs, taxonomy, HEADER, SATISFACTION_SRC};

fn errors(src: &str) -> Vec<String> {
    parse_definition(src, &taxonomy())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn with_respondent(r: &str) -> String {
    HEADER.replace(
        "kind = \"needs\"\n",
        &format!("kind = \"needs\"\nrespondent = \"{r}\"\n"),
    )
}

#[test]
fn parent_is_the_default_and_the_shipped_files_say_so() {
    assert_eq!(
        parse_definition(HEADER, &taxonomy()).unwrap().respondent,
        Respondent::Parent
    );
    assert_eq!(needs().respondent, Respondent::Parent);
    assert_eq!(
        parse_definition(SATISFACTION_SRC, &taxonomy())
            .unwrap()
            .respondent,
        Respondent::Parent
    );
    for src in [super::NEEDS_SRC, SATISFACTION_SRC] {
        assert!(src.contains("respondent = \"parent\""));
    }
}

#[test]
fn unknown_respondent_is_located() {
    let errs = errors(&with_respondent("pupil"));
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].starts_with("4:14: unknown respondent \"pupil\""),
        "{errs:#?}"
    );
}

#[test]
fn a_student_survey_tells_of_parents_and_asks_no_free_text() {
    // The header's consent ("同意") does not mention parents.
    let src = format!(
        "{}[[questions]]\nid = \"note\"\ntitle = \"想说的话\"\ntype = \"text\"\nrequired = false\n[[questions]]\nid = \"grade\"\ntitle = \"年级\"\ntype = \"grade\"\n",
        with_respondent("student")
    );
    let errs = errors(&src);
    assert_eq!(errs.len(), 3, "{errs:#?}");
    assert!(
        errs[0].starts_with("6:11: the consent of a student survey"),
        "{errs:#?}"
    );
    assert!(errs[1].contains("\"note\": a student survey has no free-text"));
    assert!(errs[2].contains("\"grade\": a student survey is for grades 3-9"));
    let ok = with_respondent("student")
        .replace("consent = \"同意\"", "consent = \"学校已告知家长。\"")
        + "[[questions]]\nid = \"grade\"\ntitle = \"年级\"\ntype = \"grade\"\ngrades = [3, 4, 9]\n";
    assert_eq!(
        parse_definition(&ok, &taxonomy()).unwrap().respondent,
        Respondent::Student
    );
}

#[test]
fn a_teacher_survey_asks_no_grade_or_class() {
    let src = format!(
        "{}[[questions]]\nid = \"grade\"\ntitle = \"任教年级\"\ntype = \"grade\"\n[[questions]]\nid = \"class\"\ntitle = \"班级\"\ntype = \"class\"\n",
        with_respondent("teacher")
    );
    let errs = errors(&src);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(errs
        .iter()
        .all(|e| e.contains("a teacher survey does not ask grade or class")));
    assert_eq!(
        parse_definition(&with_respondent("teacher"), &taxonomy())
            .unwrap()
            .respondent,
        Respondent::Teacher
    );
}

#[test]
fn the_student_survey_asks_the_parents_categories_in_its_own_words() {
    let src = include_str!("../../../../survey-definitions/student-needs.toml");
    let def = parse_definition(src, &taxonomy()).unwrap();
    assert_eq!(def.respondent, Respondent::Student);
    assert!(def.questions.iter().all(|q| q.type_name() != "text"));
    // The categories a student may pick are the parents' categories, so demand maps.
    let parents = needs();
    let ids = |d: &super::super::SurveyDefinition| -> Vec<String> {
        d.question("categories")
            .unwrap()
            .options()
            .iter()
            .map(|o| o.category.clone().unwrap())
            .collect()
    };
    assert_eq!(ids(&def), ids(&parents));
    assert!(super::super::is_demand(
        &def,
        def.question("science_items").unwrap()
    ));
    // The question that splits who wants the service is "join", as "need" is for parents.
    assert_eq!(
        crate::domain::tally::segment_question(&def).map(|q| q.id.as_str()),
        Some("join")
    );
    // Short sentences: no question title runs past 30 characters.
    for q in &def.questions {
        assert!(q.title.chars().count() <= 30, "{}", q.title);
    }
}
