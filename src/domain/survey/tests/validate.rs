//! Tests of display logic and every validation rule.

use super::super::{is_visible, validate, AnswerValue, FieldErrors, SurveyDefinition};
use super::{input, needs, parse_with, taxonomy, SATISFACTION_SRC};

fn errors(def: &SurveyDefinition, pairs: &[(&str, &str)]) -> FieldErrors {
    validate(def, &input(def, pairs)).unwrap_err()
}

/// The error of one question, given otherwise-valid answers to the header's `need`.
fn error_of(def: &SurveyDefinition, qid: &str, pairs: &[(&str, &str)]) -> Option<String> {
    let mut all = vec![("q.need", "yes")];
    all.extend_from_slice(pairs);
    match validate(def, &input(def, &all)) {
        Ok(_) => None,
        Err(e) => e.get(qid).map(str::to_string),
    }
}

const BASE: [(&str, &str); 4] = [
    ("q.grade", "3"),
    ("q.class", "5"),
    ("q.need", "yes"),
    ("q.summer_care", "no"),
];

#[test]
fn full_valid_answer() {
    let def = needs();
    let mut pairs = BASE.to_vec();
    pairs.extend([
        ("q.days", "wed"),
        ("q.days", "mon"),
        ("q.end_time", "t1730"),
        ("q.categories", "arts"),
        ("q.categories", "science"),
        ("q.science_items", "science.experiment"),
        ("q.arts_items", "arts.dance"),
        ("q.sports_items", "sports.ball"), // hidden: sports not chosen
        ("q.top3.1", "science"),
        ("q.top3.2", "arts"),
        ("q.suggestion", "  希望多开科学实验课  "),
    ]);
    let answers = validate(&def, &input(&def, &pairs)).unwrap();
    assert_eq!(
        answers.get("days"),
        Some(&AnswerValue::Choices(vec!["mon".into(), "wed".into()]))
    );
    assert_eq!(answers.get("sports_items"), None);
    assert_eq!(
        answers.get("suggestion"),
        Some(&AnswerValue::Text("希望多开科学实验课".into()))
    );
    assert_eq!(answers.grade(), Some(3));
    assert_eq!(answers.class(), Some(5));
}

#[test]
fn not_needed_hides_the_rest_and_drops_hidden_answers() {
    let def = needs();
    let pairs = [
        ("q.grade", "1"),
        ("q.class", "2"),
        ("q.need", "no"),
        ("q.no_reason", "family_care"),
        ("q.days", "mon"),
        ("q.categories", "science"),
        ("q.science_items", "science.lecture"),
        ("q.summer_care", "yes"),
        ("q.summer_weeks", "4"),
    ];
    let form = input(&def, &pairs);
    assert!(!is_visible(&def, "days", &form));
    assert!(!is_visible(&def, "categories", &form));
    // Its condition holds, but it depends on a hidden question.
    assert!(!is_visible(&def, "science_items", &form));
    assert!(is_visible(&def, "no_reason", &form));
    assert!(is_visible(&def, "suggestion", &form));
    assert!(!is_visible(&def, "unknown", &form));
    let answers = validate(&def, &form).unwrap();
    let ids: Vec<&str> = answers.iter().map(|(q, _)| q).collect();
    assert_eq!(
        ids,
        [
            "grade",
            "class",
            "need",
            "no_reason",
            "summer_care",
            "summer_weeks"
        ]
    );
}

#[test]
fn required_questions_unanswered() {
    let def = needs();
    let errs = errors(&def, &[("q.need", "yes"), ("q.top3.1", "")]);
    let got: Vec<(&str, &str)> = errs.iter().collect();
    assert_eq!(
        got,
        [
            ("grade", "请回答此题"),
            ("class", "请回答此题"),
            ("days", "请回答此题"),
            ("end_time", "请回答此题"),
            ("categories", "请回答此题"),
            ("summer_care", "请回答此题"),
        ]
    );
    assert_eq!(
        serde_json::to_string(&errs).unwrap(),
        r#"{"grade":"请回答此题","class":"请回答此题","days":"请回答此题","end_time":"请回答此题","categories":"请回答此题","summer_care":"请回答此题"}"#
    );
}

#[test]
fn multi_count_bounds() {
    let def = parse_with("[[questions]]\nid = \"m\"\ntitle = \"活动\"\ntype = \"multi\"\nmin = 2\nmax = 3\noptions_from_taxonomy = \"science\"\n").unwrap();
    let one = [("q.m", "science.maker")];
    assert_eq!(
        error_of(&def, "m", &one).as_deref(),
        Some("请至少选择 2 项")
    );
    let four = [
        ("q.m", "science.maker"),
        ("q.m", "science.lecture"),
        ("q.m", "science.creation"),
        ("q.m", "science.observation"),
    ];
    assert_eq!(error_of(&def, "m", &four).as_deref(), Some("最多选择 3 项"));
    assert_eq!(error_of(&def, "m", &four[..2]), None);
}

#[test]
fn rank_rules() {
    let def = needs();
    let check = |ranks: &[(&str, &str)]| {
        let mut pairs = BASE.to_vec();
        pairs.extend([
            ("q.days", "mon"),
            ("q.end_time", "t1700"),
            ("q.categories", "reading"),
            ("q.categories", "homework"),
            ("q.categories", "psychology"),
        ]);
        pairs.extend_from_slice(ranks);
        match validate(&def, &input(&def, &pairs)) {
            Ok(a) => Ok(a.get("top3").cloned()),
            Err(e) => Err(e.get("top3").map(str::to_string)),
        }
    };
    let dup = [
        ("q.top3.1", "homework"),
        ("q.top3.2", "homework"),
        ("q.top3.3", "reading"),
    ];
    assert_eq!(check(&dup), Err(Some("排名不能重复".into())));
    let gap = [("q.top3.1", "homework"), ("q.top3.3", "reading")];
    assert_eq!(
        check(&gap),
        Err(Some("请从第 1 位起依次排序，中间不要留空".into()))
    );
    let short = [("q.top3.1", "homework"), ("q.top3.2", "reading")];
    assert_eq!(check(&short), Err(Some("请排出前 3 位".into())));
    // Only the categories the family chose can be ranked.
    let other = [
        ("q.top3.1", "homework"),
        ("q.top3.2", "reading"),
        ("q.top3.3", "science"),
    ];
    assert_eq!(check(&other), Err(Some("请在列出的选项中排序".into())));
    let ok = [
        ("q.top3.3", "reading"),
        ("q.top3.1", "psychology"),
        ("q.top3.2", "homework"),
    ];
    assert_eq!(
        check(&ok),
        Ok(Some(AnswerValue::Ranking(vec![
            "psychology".into(),
            "homework".into(),
            "reading".into()
        ])))
    );
}

#[test]
fn a_family_with_one_or_two_categories_ranks_only_those() {
    let def = needs();
    let mut pairs = BASE.to_vec();
    pairs.extend([
        ("q.days", "mon"),
        ("q.end_time", "t1700"),
        ("q.categories", "reading"),
    ]);
    // One category: nothing to put in order, so the ranking is not asked.
    let one = validate(&def, &input(&def, &pairs)).unwrap();
    assert_eq!(one.get("top3"), None);
    assert!(!is_visible(&def, "top3", &input(&def, &pairs)));
    // Two: the ranking asks for two places, not three.
    pairs.push(("q.categories", "homework"));
    pairs.push(("q.top3.1", "homework"));
    let errs = errors(&def, &pairs);
    assert_eq!(errs.get("top3"), Some("请排出前 2 位"));
    pairs.push(("q.top3.2", "reading"));
    let two = validate(&def, &input(&def, &pairs)).unwrap();
    assert_eq!(
        two.get("top3"),
        Some(&AnswerValue::Ranking(vec![
            "homework".into(),
            "reading".into()
        ]))
    );
}

#[test]
fn not_sure_families_may_leave_days_and_time_out() {
    let def = needs();
    let pairs = [
        ("q.grade", "3"),
        ("q.class", "5"),
        ("q.need", "unsure"),
        ("q.categories", "reading"),
        ("q.summer_care", "no"),
    ];
    assert!(validate(&def, &input(&def, &pairs)).is_ok());
    let mut needs_it = pairs.to_vec();
    needs_it[2] = ("q.need", "yes");
    let errs = errors(&def, &needs_it);
    assert_eq!(errs.get("days"), Some("请回答此题"));
    assert_eq!(errs.get("end_time"), Some("请回答此题"));
}

#[test]
fn optional_rank_may_be_partial_but_not_gapped() {
    let def = parse_with("[[questions]]\nid = \"r\"\ntitle = \"排序\"\ntype = \"rank\"\ntop = 3\nrequired = false\noptions_from_taxonomy = \"*\"\n").unwrap();
    assert_eq!(error_of(&def, "r", &[("q.r.1", "arts")]), None);
    assert_eq!(error_of(&def, "r", &[]), None);
    assert!(error_of(&def, "r", &[("q.r.2", "arts")]).is_some());
}

#[test]
fn scale_rules() {
    let def = super::super::parse_definition(SATISFACTION_SRC, &taxonomy()).unwrap();
    for bad in ["0", "6", "abc", "3.5"] {
        let errs = errors(
            &def,
            &[
                ("q.grade", "2"),
                ("q.participates", "yes"),
                ("q.overall", bad),
            ],
        );
        assert_eq!(
            errs.get("overall"),
            Some("请选择 1 到 5 之间的分值"),
            "{bad}"
        );
    }
    let errs = errors(
        &def,
        &[
            ("q.grade", "2"),
            ("q.participates", "yes"),
            ("q.overall", "5"),
        ],
    );
    assert_eq!(errs.get("overall"), None);
    assert_eq!(errs.get("sat_content"), Some("请回答此题"));
    assert_eq!(errs.get("sat_fee"), None); // optional
}

#[test]
fn number_rules() {
    let def = needs();
    let weeks = |v: &str| {
        let mut pairs = BASE.to_vec();
        pairs.retain(|(k, _)| *k != "q.need" && *k != "q.summer_care");
        pairs.extend([
            ("q.need", "no"),
            ("q.summer_care", "yes"),
            ("q.summer_weeks", v),
        ]);
        match validate(&def, &input(&def, &pairs)) {
            Ok(a) => Ok(a.get("summer_weeks").cloned()),
            Err(e) => Err(e.get("summer_weeks").map(str::to_string)),
        }
    };
    assert_eq!(weeks("4"), Ok(Some(AnswerValue::Number(4))));
    assert_eq!(weeks(" ３ "), Ok(Some(AnswerValue::Number(3))));
    assert_eq!(weeks(""), Ok(None));
    let range = Err(Some("请填写 1 到 8 之间的整数".to_string()));
    for bad in ["９", "0", "2.5", "abc", "1e2", "+3", "-1", "3 3"] {
        assert_eq!(weeks(bad), range, "{bad}");
    }
}

#[test]
fn negative_numbers_parse() {
    let def = parse_with(
        "[[questions]]\nid = \"n\"\ntitle = \"温度\"\ntype = \"number\"\nmin = -10\nmax = 10\n",
    )
    .unwrap();
    assert_eq!(error_of(&def, "n", &[("q.n", "－5")]), None);
    assert_eq!(
        error_of(&def, "n", &[("q.n", "-11")]).as_deref(),
        Some("请填写 -10 到 10 之间的整数")
    );
}

#[test]
fn text_rules() {
    let def = needs();
    let mut base = BASE.to_vec();
    base.retain(|(k, _)| *k != "q.need");
    base.push(("q.need", "no"));
    let long: String = "好".repeat(201);
    let exact: String = format!("  {}  ", "好".repeat(200));
    let mut pairs = base.clone();
    pairs.push(("q.suggestion", &long));
    assert_eq!(
        errors(&def, &pairs).get("suggestion"),
        Some("不能超过 200 字")
    );
    let mut pairs = base.clone();
    pairs.push(("q.suggestion", &exact));
    let answers = validate(&def, &input(&def, &pairs)).unwrap();
    assert_eq!(
        answers.get("suggestion"),
        Some(&AnswerValue::Text("好".repeat(200)))
    );
    let mut pairs = base;
    pairs.push(("q.suggestion", "   "));
    assert_eq!(
        validate(&def, &input(&def, &pairs))
            .unwrap()
            .get("suggestion"),
        None
    );
}

#[test]
fn grade_and_class_rules() {
    let def = needs();
    for (grade, class) in [("10", "21"), ("0", "0"), ("一", "x")] {
        let errs = errors(
            &def,
            &[
                ("q.grade", grade),
                ("q.class", class),
                ("q.need", "no"),
                ("q.summer_care", "no"),
            ],
        );
        assert_eq!(errs.get("grade"), Some("请选择年级"));
        assert_eq!(errs.get("class"), Some("请选择班级"));
        assert_eq!(errs.len(), 2);
    }
    let def = parse_with(
        "[[questions]]\nid = \"g\"\ntitle = \"年级\"\ntype = \"grade\"\ngrades = [7, 8, 9]\n",
    )
    .unwrap();
    assert_eq!(
        error_of(&def, "g", &[("q.g", "6")]).as_deref(),
        Some("请选择年级")
    );
    assert_eq!(error_of(&def, "g", &[("q.g", "8")]), None);
}

#[test]
fn show_if_on_multi_holds_if_any_selected_value_matches() {
    let def = needs();
    let form = input(
        &def,
        &[
            ("q.need", "unsure"),
            ("q.categories", "arts"),
            ("q.categories", "heritage"),
        ],
    );
    assert!(is_visible(&def, "heritage_items", &form));
    assert!(is_visible(&def, "arts_items", &form));
    assert!(!is_visible(&def, "science_items", &form));
}
