//! The paper reply slip: which questions fit it, and the slip view of the shipped survey.

use super::*;

fn messages(more: &str) -> Vec<String> {
    parse_with(more)
        .unwrap_err()
        .into_iter()
        .map(|e| e.message)
        .collect()
}

#[test]
fn rank_and_long_numbers_do_not_fit_paper() {
    let errs = messages(
        "[[questions]]\nid = \"r\"\ntitle = \"排序\"\ntype = \"rank\"\ntop = 1\npaper = true\n[[questions.options]]\nid = \"a\"\nlabel = \"甲\"\n\
         [[questions]]\nid = \"n\"\ntitle = \"数字\"\ntype = \"number\"\nmin = 0\nmax = 100000\npaper = true\n",
    );
    assert!(
        errs.iter().any(|m| m.contains("\"r\" cannot be on paper")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|m| m.contains("\"n\" cannot be on paper")),
        "{errs:?}"
    );
}

#[test]
fn a_condition_on_paper_must_name_a_paper_question() {
    let errs = messages(
        "[[questions]]\nid = \"why\"\ntitle = \"原因\"\ntype = \"text\"\npaper = true\nshow_if = { question = \"need\", any_of = [\"no\"] }\n",
    );
    assert!(
        errs.iter()
            .any(|m| m.contains("add paper = true to \"need\"")),
        "{errs:?}"
    );
    let fine = parse_with(
        "[[questions]]\nid = \"n\"\ntitle = \"周数\"\ntype = \"number\"\nmin = 1\nmax = 8\npaper = true\n",
    )
    .unwrap();
    assert!(fine.question("n").unwrap().paper);
    assert!(!fine.question("need").unwrap().paper);
}

#[test]
fn the_shipped_survey_has_its_core_questions_on_paper() {
    let def = needs();
    let slip = paper_view(&def);
    let ids: Vec<&str> = slip.questions.iter().map(|q| q.id.as_str()).collect();
    for core in ["grade", "class", "need", "days", "end_time", "categories"] {
        assert!(ids.contains(&core), "{core} missing from {ids:?}");
    }
    assert!(!ids.contains(&"top3"));
    assert_eq!(slip.page_count(), 1);
    assert!(slip.questions.iter().all(|q| q.page == 0));
}
