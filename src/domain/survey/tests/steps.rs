//! Tests of pages, options drawn from an earlier answer, conditions on the school and optional
//! sections: what the linter accepts, and how a form walks its pages.

use super::super::{
    errors_through, for_school, is_visible, may_continue, next_page, previous_page, validate,
    Question,
};
use super::{input, lint_errors, needs, parse_with};
use crate::domain::school::UrbanRural3;

const NONE: &dyn Fn(&Question) -> bool = &|_| false;

#[test]
fn a_follow_up_on_the_same_page_is_refused_in_a_survey_with_pages() {
    let errs = lint_errors(concat!(
        "[[questions]]\npage = \"第二页\"\nid = \"a\"\ntitle = \"甲\"\ntype = \"multi\"\noptions_from_taxonomy = \"*\"\n",
        "[[questions]]\nid = \"b\"\ntitle = \"乙\"\ntype = \"multi\"\noptions_from_taxonomy = \"science\"\n",
        "show_if = { question = \"a\", any_of = [\"science\"] }\n",
    ));
    // The header's first question starts no page; and b follows a on a's page.
    assert!(
        errs.iter()
            .any(|e| e.contains("the first question must start a page")),
        "{errs:#?}"
    );
    assert!(errs.iter().any(|e| e.contains("same page")), "{errs:#?}");
}

#[test]
fn options_from_answer_needs_an_earlier_multi_question_and_no_options_of_its_own() {
    let errs = lint_errors(
        "[[questions]]\nid = \"r\"\ntitle = \"排序\"\ntype = \"rank\"\ntop = 2\noptions_from_answer = \"need\"\n",
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("must name a multi question")),
        "{errs:#?}"
    );
    let errs = lint_errors(concat!(
        "[[questions]]\nid = \"c\"\ntitle = \"类别\"\ntype = \"multi\"\noptions_from_taxonomy = \"*\"\n",
        "[[questions]]\nid = \"r\"\ntitle = \"排序\"\ntype = \"rank\"\ntop = 2\noptions_from_answer = \"c\"\noptions_from_taxonomy = \"*\"\n",
    ));
    assert!(
        errs.iter().any(|e| e.contains("remove its own options")),
        "{errs:#?}"
    );
    let def = parse_with(concat!(
        "[[questions]]\nid = \"c\"\ntitle = \"类别\"\ntype = \"multi\"\noptions_from_taxonomy = \"*\"\n",
        "[[questions]]\nid = \"r\"\ntitle = \"排序\"\ntype = \"rank\"\ntop = 2\noptions_from_answer = \"c\"\n",
    ))
    .unwrap();
    assert_eq!(def.question("r").unwrap().options().len(), 10);
}

#[test]
fn show_at_names_urban_rural_classes_and_sections_must_be_declared() {
    let errs = lint_errors(
        "[[questions]]\nid = \"x\"\ntitle = \"乡土\"\ntype = \"text\"\nshow_at = { area = [\"rural\"] }\nsection = \"summer\"\n",
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("not one of: city, town, village")),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("not declared in [[sections]]")),
        "{errs:#?}"
    );
}

#[test]
fn the_school_and_the_round_decide_what_is_asked() {
    let def = needs();
    let city = for_school(&def, Some(UrbanRural3::City), &[]);
    assert!(city.question("rural_items").is_none());
    assert!(city.question("summer_care").is_none());
    let village = for_school(&def, Some(UrbanRural3::Village), &["summer"]);
    assert!(village.question("rural_items").is_some());
    assert!(village.question("summer_care").is_some());
    // Unknown urban-rural class: the school-specific question is not asked.
    assert!(for_school(&def, None, &[])
        .question("rural_items")
        .is_none());
}

#[test]
fn steps_skip_pages_that_ask_nothing_and_check_only_pages_seen() {
    let def = for_school(&needs(), Some(UrbanRural3::City), &[]);
    let page1 = [("q.grade", "3"), ("q.class", "2"), ("q.need", "no")];
    let i = input(&def, &page1);
    // A family that does not need the service: the times page asks the reason, then the
    // activity pages ask nothing, so the next step after the reason is fees and suggestions.
    assert_eq!(next_page(&def, 0, &i, NONE), Some(1));
    assert_eq!(next_page(&def, 1, &i, NONE), Some(3));
    assert_eq!(previous_page(&def, 3, &i, NONE), Some(1));
    assert!(!may_continue(&def, 3, &i, NONE));
    // Page 1 alone is complete; the problems later on are not the parent's yet.
    let yes = input(
        &def,
        &[("q.grade", "3"), ("q.class", "2"), ("q.need", "yes")],
    );
    let errors = validate(&def, &yes).unwrap_err();
    assert!(errors_through(&def, &errors, 0).is_empty());
    assert!(errors_through(&def, &errors, 1).get("days").is_some());
    // The ranking is on a later page than the categories it offers.
    assert!(!is_visible(&def, "top3", &yes));
}
