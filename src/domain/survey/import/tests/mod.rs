//! Tests of the converters: the hand-written fixtures in `tests/fixtures/import/`, every
//! construct each converter knows, every problem it reports, and broken files.
#![allow(clippy::unwrap_used)]

mod wjx;
mod xlsform;

use super::*;
pub(super) use crate::domain::survey::{QuestionKind, SurveyDefinition};

pub(super) const TAXONOMY_SRC: &str =
    include_str!("../../../../../survey-definitions/taxonomy.toml");
pub(super) const KOBO_SURVEY: &str =
    include_str!("../../../../../tests/fixtures/import/kobo-after-school/survey.csv");
pub(super) const KOBO_CHOICES: &str =
    include_str!("../../../../../tests/fixtures/import/kobo-after-school/choices.csv");
pub(super) const KOBO_SETTINGS: &str =
    include_str!("../../../../../tests/fixtures/import/kobo-after-school/settings.csv");
pub(super) const WJX: &str =
    include_str!("../../../../../tests/fixtures/import/wjx-after-school.txt");

pub(super) fn taxonomy() -> Taxonomy {
    Taxonomy::parse(TAXONOMY_SRC).unwrap()
}

/// An .xlsx workbook with one sheet per `(name, csv)`.
pub(super) fn workbook(sheets: &[(&str, &str)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, csv) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(csv.as_bytes());
        for (r, record) in reader.records().enumerate() {
            for (c, v) in record.unwrap().iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, v).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

pub(super) fn kobo() -> Vec<u8> {
    workbook(&[
        ("survey", KOBO_SURVEY),
        ("choices", KOBO_CHOICES),
        ("settings", KOBO_SETTINGS),
    ])
}

pub(super) fn parsed(c: &Converted) -> SurveyDefinition {
    parse_definition(&c.source, &taxonomy()).unwrap()
}

/// The problem at `place` (as displayed) that contains `needle`.
pub(super) fn has(problems: &[Problem], place: &str, needle: &str) -> bool {
    problems
        .iter()
        .any(|p| p.place.to_string() == place && p.message.contains(needle))
}

pub(super) fn show(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("{p}\n"))
        .collect::<String>()
}

pub(super) fn options(def: &SurveyDefinition, id: &str) -> Vec<(String, String)> {
    match &def.question(id).unwrap().kind {
        QuestionKind::Single { options }
        | QuestionKind::Multi { options, .. }
        | QuestionKind::Rank { options, .. } => options
            .iter()
            .map(|o| (o.id.clone(), o.label.clone()))
            .collect(),
        other => panic!("{id} is {other:?}"),
    }
}

#[test]
fn broken_files_are_refused_with_a_reason() {
    for (bytes, needle) in [
        (&b""[..], "空"),
        (&b"PK\x03\x04 not really a zip"[..], "无法读取"),
        (&b"1. Not a workbook [single]"[..], "无法读取"),
        (&b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"[..], ".xls"),
    ] {
        let err = convert(Format::XlsForm, bytes, &taxonomy()).unwrap_err();
        assert_eq!(err.problems.len(), 1);
        assert!(
            err.problems[0].message.contains(needle),
            "{:?}",
            err.problems
        );
        assert_eq!(err.problems[0].place, Place::File);
    }
    for (bytes, needle) in [
        (&b""[..], "空"),
        (&b" \r\n\n"[..], "空"),
        (&b"\xEF\xBB\xBF"[..], "空"),
        (&b"PK\x03\x04\x00\x00binary"[..], "不是文本文件"),
        (&b"\xFF\xFE\xFF\xFE\x81"[..], "编码"),
        ("没有题号的一段话\n第二行".as_bytes(), "没有找到题目"),
    ] {
        let err = convert(Format::Wjx, bytes, &taxonomy()).unwrap_err();
        assert!(
            err.problems.iter().any(|p| p.message.contains(needle)),
            "{needle}: {:?}",
            err.problems
        );
    }
    // An xlsx offered as 问卷星 text is not text.
    assert!(convert(Format::Wjx, &kobo(), &taxonomy()).is_err());
}

#[test]
fn a_draft_the_linter_refuses_imports_nothing() {
    let draft = Draft {
        id: "bad id with spaces".into(),
        title: "t".into(),
        questions: vec![DraftQuestion {
            id: "a".into(),
            title: "甲".into(),
            help: None,
            required: true,
            kind: DraftKind::Text,
            page: None,
            show_if: None,
            place: None,
        }],
    };
    let err = finish(draft, vec![], &taxonomy()).unwrap_err();
    assert!(err
        .problems
        .iter()
        .any(|p| p.message.contains("没有通过问卷定义的检查")));
}
