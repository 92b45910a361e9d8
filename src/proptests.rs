//! Property tests: arbitrary input never panics the survey-definition parser, the
//! form-body decoder and validator, the roster import (CSV and XLSX) or the exporters, and valid
//! data round-trips through the CSV export. Cases per property: `PROPTEST_CASES` (256 by default
//! in `cargo test`; `PROPTEST_CASES=20000 cargo test --lib proptests` for a long run).

use std::path::Path;

use proptest::prelude::*;

use crate::domain::survey::{parse_definition, validate, FormInput, SurveyDefinition, Taxonomy};
use crate::domain::{form_body, pii};
use crate::publish::export::{neutralise, CsvExport};

fn taxonomy() -> Taxonomy {
    crate::catalog::load_taxonomy(Path::new("survey-definitions")).expect("taxonomy")
}

fn needs() -> (String, SurveyDefinition) {
    let src = std::fs::read_to_string("survey-definitions/after-school-needs.toml").expect("file");
    let def = parse_definition(&src, &taxonomy()).expect("valid");
    (src, def)
}

/// Field names the needs survey knows, and some it does not.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("q.grade".to_string()),
        Just("q.class".to_string()),
        Just("q.need".to_string()),
        Just("q.days".to_string()),
        Just("q.end_time".to_string()),
        Just("q.categories".to_string()),
        Just("q.science_items".to_string()),
        Just("q.top3.1".to_string()),
        Just("q.top3.2".to_string()),
        Just("q.top3.3".to_string()),
        Just("q.fee".to_string()),
        Just("q.summer_care".to_string()),
        Just("q.summer_weeks".to_string()),
        Just("q.suggestion".to_string()),
        "q\\.[a-z0-9_.]{0,12}",
        ".{0,12}",
    ]
}

fn field_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("yes".to_string()),
        Just("no".to_string()),
        Just("mon".to_string()),
        Just("science".to_string()),
        Just("t1730".to_string()),
        "[0-9]{1,4}",
        "-?[0-9]{1,20}",
        ".{0,40}",
    ]
}

proptest! {
    #[test]
    fn the_definition_parser_never_panics_on_any_text(src in ".{0,400}") {
        let _ = parse_definition(&src, &taxonomy());
    }

    #[test]
    fn the_definition_parser_never_panics_on_a_mutated_definition(
        cut in 0usize..20_000, insert in ".{0,20}",
    ) {
        let (src, _) = needs();
        let mut at = cut.min(src.len());
        while !src.is_char_boundary(at) {
            at -= 1;
        }
        let mutated = format!("{}{}{}", &src[..at], insert, &src[at..]);
        let _ = parse_definition(&mutated, &taxonomy());
    }

    #[test]
    fn the_form_decoder_never_panics(body in proptest::collection::vec(any::<u8>(), 0..2_000)) {
        let _ = form_body::parse(&body);
    }

    #[test]
    fn decoding_and_validation_never_panic(
        pairs in proptest::collection::vec((field_name(), field_value()), 0..40),
    ) {
        let (_, def) = needs();
        if let Ok(input) = FormInput::from_pairs(&def, pairs) {
            let _ = validate(&def, &input);
        }
    }

    #[test]
    fn the_roster_import_never_panics(
        text in ".{0,600}", bytes in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let towns = vec!["青阳街道".to_string(), "安海镇".to_string()];
        let header = "学校代码,学校名称,乡镇街道,学段,城乡分类代码,一年级人数,二年级人数,三年级人数,四年级人数,五年级人数,六年级人数,七年级人数,八年级人数,九年级人数,联系邮箱\n";
        let _ = crate::domain::school::roster::parse_csv(format!("{header}{text}").as_bytes(), &towns);
        let _ = crate::domain::school::roster::parse_csv(&bytes, &towns);
        let _ = crate::domain::school::roster::parse_xlsx(&bytes, &towns);
    }

    #[test]
    fn a_neutralised_cell_never_starts_a_formula(cell in ".{0,30}") {
        let out = neutralise(&cell);
        prop_assert!(!out.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']));
        prop_assert!(out.ends_with(&cell));
    }

    #[test]
    fn masking_never_panics_and_leaves_nothing_to_mask(text in ".{0,80}") {
        let masked = pii::mask(&text);
        prop_assert!(!pii::contains(&masked), "{masked}");
    }

    #[test]
    fn a_valid_suggestion_round_trips_through_the_csv_export(text in "[^\\x00-\\x1f]{1,60}") {
        let (_, def) = needs();
        let pairs: Vec<(String, String)> = [
            ("q.grade", "3"), ("q.class", "2"), ("q.need", "no"), ("q.fee", "free"),
            ("q.summer_care", "no"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .chain(std::iter::once(("q.suggestion".to_string(), text.clone())))
        .collect();
        let input = FormInput::from_pairs(&def, pairs).expect("decodes");
        let Ok(answers) = validate(&def, &input) else {
            // Too long or otherwise refused: nothing to round-trip.
            return Ok(());
        };
        let stored = crate::db::responses::StoredResponse {
            id: 1,
            round_id: 1,
            school_id: 1,
            survey_hash: String::new(),
            grade: Some(3),
            class_no: Some(2),
            answers: serde_json::to_string(&answers).expect("json"),
            submitted_at: chrono::NaiveDateTime::default(),
            channel: "online".into(),
            serial: None,
        };
        let mut out = Vec::new();
        let mut csv = CsvExport::start(&mut out, &def, false).expect("start");
        csv.row(&def, &stored, "3505820001").expect("row");
        csv.finish().expect("finish");
        let mut reader = csv::Reader::from_reader(&out[3..]);
        let header: Vec<String> = reader.headers().expect("header").iter().map(String::from).collect();
        let column = header.iter().position(|h| h.starts_with("suggestion ")).expect("column");
        let row = reader.records().next().expect("a row").expect("readable");
        let cell = &row[column];
        let trimmed = text.trim();
        prop_assert!(cell == trimmed || cell == format!("'{trimmed}"), "{cell:?} vs {trimmed:?}");
    }
}
