//! The editor's model keeps every shipped survey intact and places problems beside fields.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::survey::{parse_definition, Taxonomy};

fn taxonomy() -> Taxonomy {
    crate::catalog::load_taxonomy(std::path::Path::new("survey-definitions")).unwrap()
}

#[test]
fn every_shipped_survey_survives_the_editor() {
    let tax = taxonomy();
    for name in [
        "after-school-needs",
        "parent-satisfaction",
        "student-needs",
        "teacher-survey",
    ] {
        let src = std::fs::read_to_string(format!("survey-definitions/{name}.toml")).unwrap();
        let before = parse_definition(&src, &tax).unwrap();
        let edit = EditSurvey::from_toml(&src).unwrap();
        let written = to_toml(&edit);
        assert_eq!(written.origins.len(), written.source.lines().count());
        let after = parse_definition(&written.source, &tax)
            .unwrap_or_else(|e| panic!("{name}: {e:?}\n{}", written.source));
        assert_eq!(before.questions, after.questions, "{name}");
        assert_eq!(before.letter, after.letter, "{name}");
        // Written again from its own text, nothing changes.
        let again = to_toml(&EditSurvey::from_toml(&written.source).unwrap());
        assert_eq!(again.source, written.source);
    }
}

#[test]
fn a_problem_shows_beside_its_question_and_field() {
    let mut s = EditSurvey::blank("web-1");
    s.add("single");
    s.add("number");
    s.questions[0].title = "孩子需要课后服务吗？".into();
    s.questions[1].title = "每周几天？".into();
    s.questions[1].min = "abc".into();
    s.questions[1].max = "5".into();
    let written = to_toml(&s);
    let errs = parse_definition(&written.source, &taxonomy()).unwrap_err();
    let p = problems(&written, &errs, s.questions.len());
    assert_eq!(
        p.of_question(1, "min"),
        vec!["这里应填写整数。".to_string()]
    );
    // The type error stops the parser; once fixed, the missing options are named.
    s.questions[1].min = "0".into();
    let written = to_toml(&s);
    let errs = parse_definition(&written.source, &taxonomy()).unwrap_err();
    let p = problems(&written, &errs, s.questions.len());
    assert!(
        p.questions[0].iter().any(|(_, m)| m.contains("还没有选项")),
        "{p:?}"
    );
    assert!(p.questions[1].is_empty() && p.survey.is_empty(), "{p:?}");
}

#[test]
fn moving_and_removing_questions() {
    let mut s = EditSurvey::blank("web-1");
    for k in ["single", "text", "grade"] {
        s.add(k);
    }
    s.shift(0, true);
    s.shift(2, false);
    s.shift(0, false);
    assert_eq!(
        s.questions
            .iter()
            .map(|q| q.id.as_str())
            .collect::<Vec<_>>(),
        ["q2", "q1", "q3"]
    );
    s.reorder(&[2, 0, 1]);
    s.reorder(&[0, 0, 1]);
    s.remove(0);
    s.remove(9);
    assert_eq!(
        s.questions
            .iter()
            .map(|q| q.id.as_str())
            .collect::<Vec<_>>(),
        ["q2", "q1"]
    );
    s.add("nonsense");
    assert_eq!(s.questions[2].kind, "single");
    assert_eq!(s.questions[2].id, "q3");
}

#[test]
fn every_problem_a_bureau_editor_makes_reads_in_chinese() {
    let tax = taxonomy();
    let mut s = EditSurvey::blank("web-1");
    s.title = " ".into();
    s.letter = "{{日期}}".into();
    for k in [
        "single", "single", "multi", "rank", "number", "text", "grade", "class", "scale",
    ] {
        s.add(k);
    }
    let q = &mut s.questions;
    q[0].id = "bad id".into();
    q[1].id = q[2].id.clone();
    q[1].options = "a 是\na 否\nb".into();
    q[2].options = "x 一 | nonsense".into();
    q[2].min = "3".into();
    q[2].max = "1".into();
    q[3].taxonomy = "*".into();
    q[3].top = "99".into();
    q[3].show_question = q[5].id.clone();
    q[3].show_values = "1".into();
    q[4].min = "5".into();
    q[4].max = "1".into();
    q[5].max_length = "0".into();
    q[6].grades = "0 3 3".into();
    q[7].max_class = "100".into();
    q[8].show_question = q[1].id.clone();
    q[8].show_values = "zzz".into();
    q[8].required = false;
    q[8].required_question = q[1].id.clone();
    q[8].required_values = "a".into();
    let written = to_toml(&s);
    let errs = parse_definition(&written.source, &tax).unwrap_err();
    assert!(errs.len() >= 10, "{errs:?}");
    for e in &errs {
        let zh = in_chinese(&e.message);
        assert_ne!(zh, "这一项填写有误，请检查。", "{}", e.message);
    }
}
