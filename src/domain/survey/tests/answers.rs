//! Tests of stored answers: JSON shape, round trip, rejection of foreign JSON, categories.

use super::super::{categories_of, validate, Answers, FormInput};
use super::{needs, parse_with};

fn sample() -> Answers {
    let def = needs();
    let pairs = [
        ("q.grade", "4"),
        ("q.class", "12"),
        ("q.need", "yes"),
        ("q.days", "mon"),
        ("q.days", "tue"),
        ("q.end_time", "t1800"),
        ("q.categories", "science"),
        ("q.categories", "heritage"),
        ("q.science_items", "science.experiment"),
        ("q.science_items", "science.maker"),
        ("q.heritage_items", "heritage.nanyin"),
        ("q.top3.1", "science"),
        ("q.top3.2", "heritage"),
        ("q.rural_items", "rural_local.culture"),
        ("q.fee", "free"),
        ("q.summer_care", "yes"),
        ("q.summer_weeks", "3"),
        ("q.suggestion", "希望增加\"南音\"课"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    validate(&def, &FormInput::from_pairs(&def, pairs).unwrap()).unwrap()
}

#[test]
fn compact_json_in_question_order() {
    assert_eq!(
        sample().to_json(),
        r#"{"grade":4,"class":12,"need":"yes","days":["mon","tue"],"end_time":"t1800","categories":["science","heritage"],"science_items":["science.experiment","science.maker"],"heritage_items":["heritage.nanyin"],"top3":["science","heritage"],"rural_items":["rural_local.culture"],"fee":"free","summer_care":"yes","summer_weeks":3,"suggestion":"希望增加\"南音\"课"}"#
    );
}

#[test]
fn json_round_trip() {
    let def = needs();
    let answers = sample();
    let back = Answers::from_json(&def, &answers.to_json()).unwrap();
    assert_eq!(back, answers);
    assert_eq!(back.grade(), Some(4));
    assert_eq!(back.class(), Some(12));
    // Key order in the stored JSON does not matter.
    let shuffled = r#"{"need":"no","grade":1,"class":1,"summer_care":"no"}"#;
    let a = Answers::from_json(&def, shuffled).unwrap();
    assert_eq!(
        a.to_json(),
        r#"{"grade":1,"class":1,"need":"no","summer_care":"no"}"#
    );
    assert!(Answers::from_json(&def, "{}").unwrap().is_empty());
}

#[test]
fn from_json_rejects_what_does_not_fit() {
    let def = needs();
    for bad in [
        "[]",
        "not json",
        r#"{"nope":"yes"}"#,
        r#"{"need":"maybe"}"#,
        r#"{"need":["yes"]}"#,
        r#"{"days":"mon"}"#,
        r#"{"days":["sun"]}"#,
        r#"{"grade":10}"#,
        r#"{"grade":"3"}"#,
        r#"{"class":0}"#,
        r#"{"summer_weeks":9}"#,
        r#"{"summer_weeks":2.5}"#,
        r#"{"suggestion":5}"#,
    ] {
        assert!(Answers::from_json(&def, bad).is_err(), "{bad}");
    }
    let scale =
        parse_with("[[questions]]\nid = \"s\"\ntitle = \"满意度\"\ntype = \"scale\"\n").unwrap();
    assert!(Answers::from_json(&scale, r#"{"s":6}"#).is_err());
    assert_eq!(
        Answers::from_json(&scale, r#"{"s":5}"#).unwrap().to_json(),
        r#"{"s":5}"#
    );
}

#[test]
fn categories_of_chosen_options() {
    let def = needs();
    let cats: Vec<String> = categories_of(&def, &sample()).into_iter().collect();
    // The categories question and its sub-category questions only: not the ranking, and not
    // the rural question asked only at rural schools.
    assert_eq!(
        cats,
        [
            "heritage",
            "heritage.nanyin",
            "science",
            "science.experiment",
            "science.maker",
        ]
    );
}

#[test]
fn a_ranking_never_adds_demand() {
    let def = parse_with(concat!(
        "[[questions]]\nid = \"c\"\ntitle = \"类别\"\ntype = \"multi\"\noptions_from_taxonomy = \"*\"\n",
        "[[questions]]\nid = \"r\"\ntitle = \"排序\"\ntype = \"rank\"\ntop = 3\noptions_from_taxonomy = \"*\"\n",
    ))
    .unwrap();
    let answers = Answers::from_json(
        &def,
        r#"{"need":"yes","c":["arts"],"r":["science","arts","reading"]}"#,
    )
    .unwrap();
    let cats: Vec<String> = categories_of(&def, &answers).into_iter().collect();
    assert_eq!(cats, ["arts"]);
}
