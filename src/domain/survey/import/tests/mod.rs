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
        .any(|p| p.place.to_string().starts_with(place) && p.message.contains(needle))
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

/// Whether the converter wrote TOML the linter refused (a fault of the converter, never of the
/// file).
fn wrote_bad_toml(r: &Result<Converted, ImportFailure>) -> bool {
    r.as_ref().err().is_some_and(|f| {
        f.problems
            .iter()
            .any(|p| p.message.contains("没有通过问卷定义的检查"))
    })
}

fn wjx_line() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        Just(String::new()),
        (1u8..9, "[单选题多排序填空量表矩阵段落说明]{0,5}", ".{0,12}")
            .prop_map(|(n, tag, t)| format!("{n}. {t}[{tag}]")),
        (1u8..9, ".{0,12}").prop_map(|(n, t)| format!("{n}、*{t}")),
        "[A-F]\\. .{0,8}",
        Just("其他〖〗".to_string()),
        Just("=====分页栏=====".to_string()),
        ".{0,20}",
    ]
}

fn xlsform_row() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let kind = prop_oneof![
        Just("select_one yn"),
        Just("select_multiple yn"),
        Just("select_one nope"),
        Just("rank yn"),
        Just("integer"),
        Just("decimal"),
        Just("text"),
        Just("note"),
        Just("begin_group"),
        Just("end_group"),
        Just("begin repeat"),
        Just("geopoint"),
        Just(""),
    ];
    let name = prop_oneof![Just("a"), Just("b"), Just("c.d"), Just("年级"), Just("")];
    let relevant = prop_oneof![
        Just(""),
        Just("${a} = 'yes'"),
        Just("selected(${b}, 'no') or ${b} = 'yes'"),
        Just("${a} = 'yes' and ${b} = 'no'"),
        Just("${c.d} = 'x'"),
    ];
    let constraint = prop_oneof![
        Just(""),
        Just(". >= 3 and . <= 1"),
        Just(". > 2"),
        Just("x")
    ];
    (kind, name, ".{0,6}", relevant, constraint).prop_map(|(k, n, l, r, c)| {
        let field = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        [k, n, &l, r, c, "yes"].map(field).join(",")
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    #[test]
    fn the_wjx_converter_never_panics_nor_writes_bad_toml(
        lines in proptest::collection::vec(wjx_line(), 0..30)
    ) {
        let r = convert(Format::Wjx, lines.join("\n").as_bytes(), &taxonomy());
        proptest::prop_assert!(!wrote_bad_toml(&r), "{:?}", r);
    }

    #[test]
    fn the_xlsform_converter_never_panics_nor_writes_bad_toml(
        rows in proptest::collection::vec(xlsform_row(), 0..12)
    ) {
        let survey = format!("type,name,label,relevant,constraint,required\n{}\n", rows.join("\n"));
        let choices = "list_name,name,label\nyn,yes,是\nyn,no,否\n";
        let r = convert(Format::XlsForm, &workbook(&[("survey", &survey), ("choices", choices)]), &taxonomy());
        proptest::prop_assert!(!wrote_bad_toml(&r), "{:?}", r);
    }

    #[test]
    fn any_bytes_give_an_answer_not_a_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        let _ = convert(Format::Wjx, &bytes, &taxonomy());
        let _ = convert(Format::XlsForm, &bytes, &taxonomy());
    }
}
