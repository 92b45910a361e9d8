//! Tests of form decoding: structural rejections (HTTP 400) and raw values kept for re-rendering.

use super::super::{FormInput, MalformedInput};
use super::needs;

fn decode(pairs: &[(&str, &str)]) -> Result<FormInput, MalformedInput> {
    let pairs = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    FormInput::from_pairs(&needs(), pairs)
}

#[test]
fn keeps_raw_values() {
    let input = decode(&[
        ("q.grade", "3"),
        ("q.days", "mon"),
        ("q.days", "fri"),
        ("q.top3.2", "arts"),
        ("q.top3.1", "science"),
        ("q.top3.3", ""),
        ("q.suggestion", "  多开科学课  "),
        ("q.summer_weeks", "abc"),
    ])
    .unwrap();
    assert_eq!(input.values("grade"), ["3"]);
    assert_eq!(input.values("days"), ["mon", "fri"]);
    assert_eq!(input.values("need"), [] as [String; 0]);
    assert_eq!(input.rank_value("top3", 1), Some("science"));
    assert_eq!(input.rank_value("top3", 2), Some("arts"));
    assert_eq!(input.rank_value("top3", 3), None);
    assert_eq!(input.values("suggestion"), ["  多开科学课  "]);
    assert_eq!(input.value("summer_weeks"), Some("abc"));
}

#[test]
fn empty_choice_values_are_allowed() {
    let input = decode(&[("q.need", ""), ("q.days", "")]).unwrap();
    assert_eq!(input.value("need"), Some(""));
    assert!(input.values("days").is_empty());
}

#[test]
fn rejects_structural_problems() {
    let cases: Vec<(Vec<(&str, &str)>, MalformedInput)> = vec![
        (
            vec![("consent", "1")],
            MalformedInput::NotAQuestionField("consent".into()),
        ),
        (
            vec![("q.nope", "1")],
            MalformedInput::UnknownQuestion("nope".into()),
        ),
        (
            vec![("q.need", "maybe")],
            MalformedInput::UnknownOption {
                question: "need".into(),
                value: "maybe".into(),
            },
        ),
        (
            vec![("q.days", "sat")],
            MalformedInput::UnknownOption {
                question: "days".into(),
                value: "sat".into(),
            },
        ),
        (
            vec![("q.top3.1", "cooking")],
            MalformedInput::UnknownOption {
                question: "top3".into(),
                value: "cooking".into(),
            },
        ),
        (
            vec![("q.need", "yes"), ("q.need", "no")],
            MalformedInput::RepeatedField("q.need".into()),
        ),
        (
            vec![("q.grade", "1"), ("q.grade", "2")],
            MalformedInput::RepeatedField("q.grade".into()),
        ),
        (
            vec![("q.days", "mon"), ("q.days", "mon")],
            MalformedInput::RepeatedField("q.days".into()),
        ),
        (
            vec![("q.top3.1", "arts"), ("q.top3.1", "science")],
            MalformedInput::RepeatedField("q.top3.1".into()),
        ),
        (
            vec![("q.top3", "arts")],
            MalformedInput::WrongShape("q.top3".into()),
        ),
        (
            vec![("q.need.1", "yes")],
            MalformedInput::WrongShape("q.need.1".into()),
        ),
        (
            vec![("q.days.1", "mon")],
            MalformedInput::WrongShape("q.days.1".into()),
        ),
    ];
    for (pairs, expected) in cases {
        assert_eq!(decode(&pairs), Err(expected), "{pairs:?}");
    }
    for pos in ["0", "4", "x", "01", "+1", ""] {
        let key = format!("q.top3.{pos}");
        assert_eq!(
            decode(&[(key.as_str(), "arts")]),
            Err(MalformedInput::RankPositionOutOfRange {
                question: "top3".into(),
                position: pos.into()
            })
        );
    }
}

#[test]
fn messages() {
    let e = MalformedInput::UnknownQuestion("xxx".into());
    assert_eq!(e.message(), "提交的内容包含未知的题目：xxx");
    assert_eq!(e.to_string(), "unknown question \"xxx\"");
    let e = MalformedInput::UnknownOption {
        question: "need".into(),
        value: "maybe".into(),
    };
    assert_eq!(
        e.message(),
        "提交的内容包含未知的选项：题目 need 的选项 maybe"
    );
    assert_eq!(
        e.to_string(),
        "unknown option \"maybe\" for question \"need\""
    );
}
