//! Tests of the survey module: shipped files, taxonomy, lint rules, form decoding, validation and stored answers.
#![allow(clippy::unwrap_used)]

mod answers;
mod form;
mod lint;
mod paper;
mod respondent;
mod steps;
mod taxonomy;
mod validate;

use super::*;

pub(super) const TAXONOMY_SRC: &str = include_str!("../../../../survey-definitions/taxonomy.toml");
pub(super) const NEEDS_SRC: &str =
    include_str!("../../../../survey-definitions/after-school-needs.toml");
pub(super) const SATISFACTION_SRC: &str =
    include_str!("../../../../survey-definitions/parent-satisfaction.toml");

pub(super) fn taxonomy() -> Taxonomy {
    Taxonomy::parse(TAXONOMY_SRC).unwrap()
}

pub(super) fn needs() -> SurveyDefinition {
    parse_definition(NEEDS_SRC, &taxonomy()).unwrap()
}

/// A decoded form from `(field, value)` pairs.
pub(super) fn input(def: &SurveyDefinition, pairs: &[(&str, &str)]) -> FormInput {
    let pairs = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    FormInput::from_pairs(def, pairs).unwrap()
}

/// Lines 1–17 of every lint test file; appended questions start at line 18.
pub(super) const HEADER: &str = r#"id = "t"
title = "测试"
kind = "needs"
letter = "尊敬的家长：{{学校}}"
consent = "同意"
closing = "谢谢"

[[questions]]
id = "need"
title = "是否需要"
type = "single"
[[questions.options]]
id = "yes"
label = "需要"
[[questions.options]]
id = "no"
label = "不需要"
"#;

/// Header plus `more`, parsed against the shipped taxonomy.
pub(super) fn parse_with(more: &str) -> Result<SurveyDefinition, Vec<LintError>> {
    parse_definition(&format!("{HEADER}{more}"), &taxonomy())
}

/// The lint errors of header plus `more`, as `line:column: message` strings.
pub(super) fn lint_errors(more: &str) -> Vec<String> {
    match parse_with(more) {
        Ok(_) => panic!("expected lint errors for:\n{more}"),
        Err(errs) => errs.iter().map(ToString::to_string).collect(),
    }
}

/// Asserts exactly one error, at `line:column`, whose message contains `needle`.
#[track_caller]
pub(super) fn assert_one(more: &str, line: usize, column: usize, needle: &str) {
    let errs = lint_errors(more);
    assert_eq!(errs.len(), 1, "expected one error, got {errs:#?}");
    let prefix = format!("{line}:{column}: ");
    assert!(
        errs[0].starts_with(&prefix) && errs[0].contains(needle),
        "expected `{prefix}…{needle}…`, got `{}`",
        errs[0]
    );
}

#[test]
fn shipped_files_parse_cleanly() {
    let tax = taxonomy();
    for (name, src) in [
        ("after-school-needs.toml", NEEDS_SRC),
        ("parent-satisfaction.toml", SATISFACTION_SRC),
    ] {
        if let Err(errs) = parse_definition(src, &tax) {
            panic!("{}", format_lint(name, &errs));
        }
    }
}

#[test]
fn header_alone_is_valid() {
    let def = parse_with("").unwrap();
    assert_eq!(def.questions.len(), 1);
    assert!(def.questions[0].required);
}

#[test]
fn shipped_needs_survey_shape() {
    let def = needs();
    assert_eq!(def.kind, SurveyKind::Needs);
    let ids: Vec<&str> = def.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "grade",
            "class",
            "need",
            "no_reason",
            "days",
            "end_time",
            "categories",
            "science_items",
            "sports_items",
            "arts_items",
            "labor_items",
            "heritage_items",
            "top3",
            "rural_items",
            "fee",
            "fee_amount",
            "summer_care",
            "summer_weeks",
            "suggestion"
        ]
    );
    let science = def.question("science_items").unwrap();
    let subs: Vec<&str> = science.options().iter().map(|o| o.label.as_str()).collect();
    assert_eq!(
        subs,
        ["科普讲座", "科学实验", "科技创作", "创客活动", "观测研究"]
    );
    let rural = def.question("rural_items").unwrap();
    let labels: Vec<&str> = rural.options().iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels, ["田园劳动", "自然地理", "乡土文化", "革命传统"]);
    assert_eq!(def.question("top3").unwrap().options()[0].id, "science");
    assert_eq!(
        def.question("top3").unwrap().options_from_answer.as_deref(),
        Some("categories")
    );
    // Steps: basics; times; activities in detail; fees and suggestions.
    assert_eq!(def.pages.len(), 4);
    assert_eq!(def.question("need").unwrap().page, 0);
    assert_eq!(def.question("science_items").unwrap().page, 2);
    // Examples under the jargon.
    let maker = science
        .options()
        .iter()
        .find(|o| o.id == "science.maker")
        .unwrap();
    assert!(maker.hint.as_deref().unwrap().contains("机器人"));
    // Summer care only when a round asks it; rural items only at town and village schools.
    assert_eq!(
        def.question("summer_care").unwrap().section.as_deref(),
        Some("summer")
    );
    assert!(def.question("rural_items").unwrap().show_at.is_some());
    // The consent names everyone who sees the data.
    let consent = def.consent_for("某校");
    assert!(consent.contains("镇（街道）教委办") && consent.contains("教育局"));
    let letter = def.letter_for("晋江市第一实验小学");
    assert!(letter.starts_with("尊敬的家长："));
    assert!(letter.contains("晋江市第一实验小学") && !letter.contains("{{"));
    assert!(def.closing_for("某校").ends_with("——某校"));
    assert!(!def.consent_for("某校").contains("{{"));
}

#[test]
fn shipped_satisfaction_survey_shape() {
    let def = parse_definition(SATISFACTION_SRC, &taxonomy()).unwrap();
    assert_eq!(def.kind, SurveyKind::Satisfaction);
    let ids: Vec<&str> = def.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "grade",
            "participates",
            "no_reason",
            "overall",
            "sat_content",
            "sat_time",
            "sat_safety",
            "sat_teachers",
            "sat_fee",
            "open_day",
            "improve",
            "suggestion"
        ]
    );
}

#[test]
fn content_hash_is_sha256_hex() {
    assert_eq!(
        content_hash(""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        content_hash("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_ne!(
        content_hash(NEEDS_SRC),
        content_hash(&format!("{NEEDS_SRC} "))
    );
}

#[test]
fn format_lint_lines() {
    let errs = vec![
        LintError {
            line: 3,
            column: 7,
            message: "a".into(),
        },
        LintError {
            line: 10,
            column: 1,
            message: "b".into(),
        },
    ];
    assert_eq!(
        format_lint("x.toml", &errs),
        "x.toml:3:7: a\nx.toml:10:1: b\n"
    );
    assert_eq!(format_lint("x.toml", &[]), "");
}

#[test]
fn line_column_counts_characters() {
    let src = "ab\n科学x\n";
    assert_eq!(line_column(src, 0), (1, 1));
    assert_eq!(line_column(src, 3), (2, 1));
    assert_eq!(line_column(src, 9), (2, 3));
    assert_eq!(line_column(src, 4), (2, 1)); // inside a character: clamped back
    assert_eq!(line_column(src, 999), (3, 1));
}

#[test]
fn grade_and_class_labels() {
    assert_eq!(grade_label(1), "一年级");
    assert_eq!(grade_label(9), "九年级");
    assert_eq!(grade_label(0), "");
    assert_eq!(grade_label(10), "");
    assert_eq!(class_label(12), "12班");
}

#[test]
fn json_schema_matches_the_format() {
    let schema: serde_json::Value = serde_json::from_str(include_str!(
        "../../../../survey-definitions/survey-definition.schema.json"
    ))
    .unwrap();
    let types = &schema["$defs"]["question"]["properties"]["type"]["enum"];
    let types: Vec<&str> = types
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(types, QuestionKind::TYPE_NAMES);
    let kinds = &schema["properties"]["kind"]["enum"];
    let kinds: Vec<&str> = kinds
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let expected: Vec<&str> = SurveyKind::ALL.iter().map(|(n, _)| *n).collect();
    assert_eq!(kinds, expected);
}

#[test]
fn documented_example_parses() {
    let doc = include_str!("../../../../docs/survey-format.md");
    let example = doc.split("## Example").nth(1).unwrap();
    let toml_src = example
        .split("```toml\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let def = parse_definition(toml_src, &taxonomy()).unwrap();
    assert_eq!(def.questions.len(), 5);
    assert!(def.letter_for("安海中心小学").contains("安海中心小学\n"));
}
