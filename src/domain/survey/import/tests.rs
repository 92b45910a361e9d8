//! Tests of the converters: the hand-written fixtures in `tests/fixtures/import/`, every
//! construct each converter knows, every problem it reports, and broken files.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::survey::{QuestionKind, SurveyDefinition};

const TAXONOMY_SRC: &str = include_str!("../../../../survey-definitions/taxonomy.toml");
const KOBO_SURVEY: &str =
    include_str!("../../../../tests/fixtures/import/kobo-after-school/survey.csv");
const KOBO_CHOICES: &str =
    include_str!("../../../../tests/fixtures/import/kobo-after-school/choices.csv");
const KOBO_SETTINGS: &str =
    include_str!("../../../../tests/fixtures/import/kobo-after-school/settings.csv");
const WJX: &str = include_str!("../../../../tests/fixtures/import/wjx-after-school.txt");

fn taxonomy() -> Taxonomy {
    Taxonomy::parse(TAXONOMY_SRC).unwrap()
}

/// An .xlsx workbook with one sheet per `(name, csv)`.
fn workbook(sheets: &[(&str, &str)]) -> Vec<u8> {
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

fn kobo() -> Vec<u8> {
    workbook(&[
        ("survey", KOBO_SURVEY),
        ("choices", KOBO_CHOICES),
        ("settings", KOBO_SETTINGS),
    ])
}

fn parsed(c: &Converted) -> SurveyDefinition {
    parse_definition(&c.source, &taxonomy()).unwrap()
}

/// The problem at `place` (as displayed) that contains `needle`.
fn has(problems: &[Problem], place: &str, needle: &str) -> bool {
    problems
        .iter()
        .any(|p| p.place.to_string() == place && p.message.contains(needle))
}

fn show(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("{p}\n"))
        .collect::<String>()
}

fn options(def: &SurveyDefinition, id: &str) -> Vec<(String, String)> {
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
fn the_kobo_form_converts_with_its_groups_logic_and_ranges() {
    let c = convert(Format::XlsForm, &kobo(), &taxonomy()).unwrap();
    let p = show(&c.problems);
    let def = parsed(&c);
    assert_eq!(def.id, "kobo_after_school");
    assert_eq!(def.title, "2026 年秋季课后服务需求调查");
    let ids: Vec<&str> = def.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        ["grade", "children", "need", "days", "activities", "end_time", "fee", "suggestion"]
    );
    // Chinese labels, not the English ones; the note became the first question's hint.
    let grade = def.question("grade").unwrap();
    assert_eq!(grade.title, "您的孩子在读几年级？");
    assert!(grade.help.as_deref().unwrap().contains("约需 3 分钟"));
    assert!(grade.required);
    assert_eq!(options(&def, "grade")[0], ("g1".into(), "一年级".into()));
    // Groups are pages; a condition on the same page starts a continuation page.
    assert_eq!(
        def.pages,
        ["孩子的基本情况", "课后服务需求", "课后服务需求（续）", "其他"]
    );
    assert!(has(&c.problems, "工作表“survey”第 11 行", "另起一页"), "{p}");
    // The range.
    let children = def.question("children").unwrap();
    assert!(matches!(children.kind, QuestionKind::Number { min: 1, max: 5, .. }));
    assert_eq!(children.help.as_deref(), Some("请填写 1 到 5 之间的数字"));
    // `or` on one question → any_of; selected() → any_of.
    let days = def.question("days").unwrap();
    assert!(matches!(days.kind, QuestionKind::Multi { .. }));
    let cond = days.show_if.as_ref().unwrap();
    assert_eq!((cond.question.as_str(), cond.any_of.clone()), ("need", vec!["yes".to_string(), "unsure".to_string()]));
    let act = def.question("activities").unwrap();
    assert_eq!(act.show_if.as_ref().unwrap().any_of, ["yes"]);
    assert!(act.required, "true counts as required");
    // `and` across questions is reported, the question kept without its condition.
    let end = def.question("end_time").unwrap();
    assert!(end.show_if.is_none() && !end.required);
    assert!(has(&c.problems, "工作表“survey”第 13 行“relevant”列", "and"), "{p}");
    // decimal → whole numbers, said so.
    assert!(matches!(def.question("fee").unwrap().kind, QuestionKind::Number { min: 0, max: 500, .. }));
    assert!(has(&c.problems, "工作表“survey”第 14 行“type”列", "小数"), "{p}");
    // Skipped, each with its reason.
    assert!(has(&c.problems, "工作表“survey”第 17 行“type”列", "定位"), "{p}");
    assert!(has(&c.problems, "工作表“survey”第 18 行“type”列", "计算"), "{p}");
    assert!(has(&c.problems, "工作表“survey”第 2 行“type”列", "后台信息"), "{p}");
    assert!(has(&c.problems, "整个文件", "默认"), "{p}");
    assert!(c.source.contains("由其他问卷工具导入"));
}

#[test]
fn an_xlsform_without_settings_or_chinese_columns_still_converts() {
    let survey = "type,name,label,required\nselect_one yn,q.1,Need care?,1\ntext,note2,,\ninteger,age,Age,no\n";
    let choices = "list name,name,label\nyn,1,Yes\nyn,2,No\nyn,2,Again\n";
    let c = convert(
        Format::XlsForm,
        &workbook(&[("survey", survey), ("choices", choices)]),
        &taxonomy(),
    )
    .unwrap();
    let def = parsed(&c);
    let p = show(&c.problems);
    assert_eq!(def.id, "xlsform-import");
    assert_eq!(def.questions[0].id, "q_1", "a dot is not allowed in an id");
    assert_eq!(options(&def, "q_1"), [("1".into(), "Yes".into()), ("2".into(), "No".into())]);
    assert!(has(&c.problems, "工作表“choices”第 4 行", "重复"), "{p}");
    assert_eq!(def.questions[1].title, "note2");
    assert!(has(&c.problems, "工作表“survey”第 3 行“label”列", "字段名"), "{p}");
    assert!(matches!(def.question("age").unwrap().kind, QuestionKind::Number { min: 0, max: 9999, .. }));
    assert!(has(&c.problems, "工作表“survey”第 4 行", "9999"), "{p}");
}

#[test]
fn xlsform_problems_are_named_by_cell() {
    let survey = "type,name,label,relevant,constraint,required
select_one missing,a,甲,,,
select_one yn or_other,b,乙,,,yes
text,c,丙,${zz} = 'x',,
text,d,丁,${c} = 'x',,
text,e,戊,${b} = 'maybe',,
integer,f,己,,regex(., '[0-9]'),
text,g,庚,,,${b} = 'yes'
rank yn,h,辛,,,
range,i,壬,,,
select_one yn,j,癸,not(${b} = 'yes'),,
";
    let choices = "list_name,name,label\nyn,yes,是\nyn,no,否\n";
    let c = convert(
        Format::XlsForm,
        &workbook(&[("survey", survey), ("choices", choices)]),
        &taxonomy(),
    )
    .unwrap();
    let p = show(&c.problems);
    let def = parsed(&c);
    assert!(has(&c.problems, "工作表“survey”第 2 行“type”列", "找不到选项列表“missing”"), "{p}");
    assert!(has(&c.problems, "工作表“survey”第 3 行“type”列", "其他"), "{p}");
    assert_eq!(options(&def, "b").last().unwrap().1, "其他");
    assert!(has(&c.problems, "工作表“survey”第 4 行“relevant”列", "不在前面"), "{p}");
    assert!(has(&c.problems, "工作表“survey”第 5 行“relevant”列", "不是选择题"), "{p}");
    assert!(has(&c.problems, "工作表“survey”第 6 行“relevant”列", "maybe"), "{p}");
    assert!(has(&c.problems, "工作表“survey”第 7 行“constraint”列", "无法转换"), "{p}");
    assert!(has(&c.problems, "工作表“survey”第 8 行“required”列", "选答"), "{p}");
    assert!(matches!(def.question("h").unwrap().kind, QuestionKind::Rank { top: 2, .. }));
    assert!(has(&c.problems, "工作表“survey”第 10 行“type”列", "滑块"), "{p}");
    assert!(has(&c.problems, "工作表“survey”第 11 行“relevant”列", "not"), "{p}");
    assert!(def.questions.iter().all(|q| q.show_if.is_none()));
}

#[test]
fn an_xlsform_with_nothing_convertible_imports_nothing() {
    let survey = "type,name,label\ngeopoint,where,位置\nimage,photo,照片\ncalculate,x,\n";
    let err = convert(Format::XlsForm, &workbook(&[("survey", survey)]), &taxonomy()).unwrap_err();
    let p = show(&err.problems);
    assert!(has(&err.problems, "工作表“survey”第 2 行“type”列", "定位"), "{p}");
    assert!(has(&err.problems, "整个文件", "没有一道题目能够转换"), "{p}");

    let err = convert(Format::XlsForm, &workbook(&[("问卷", "type,name\ntext,a\n")]), &taxonomy())
        .unwrap_err();
    assert!(err.problems[0].message.contains("survey"), "{:?}", err.problems);

    let err = convert(Format::XlsForm, &workbook(&[("survey", "name,label\na,甲\n")]), &taxonomy())
        .unwrap_err();
    assert!(err.problems[0].message.contains("type"), "{:?}", err.problems);
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
        assert!(err.problems[0].message.contains(needle), "{:?}", err.problems);
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
fn the_wjx_export_converts_with_stable_ids() {
    let c = convert(Format::Wjx, WJX.as_bytes(), &taxonomy()).unwrap();
    let p = show(&c.problems);
    let def = parsed(&c);
    assert_eq!(def.title, "课后服务家长需求调查问卷");
    let ids: Vec<&str> = def.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["q1", "q2", "q3", "q4", "q5", "q6", "q8", "q10", "q12", "q13"]);
    let q1 = def.question("q1").unwrap();
    assert_eq!(q1.title, "您的孩子在读几年级？");
    assert!(q1.required);
    assert_eq!(options(&def, "q1")[5], ("o6".into(), "六年级".into()));
    assert!(!def.question("q3").unwrap().required);
    assert!(def.question("q12").unwrap().required, "(必答) marks it");
    assert_eq!(def.question("q12").unwrap().title, "平时主要由谁接送孩子？");
    assert!(matches!(def.question("q3").unwrap().kind, QuestionKind::Multi { .. }));
    assert!(matches!(def.question("q5").unwrap().kind, QuestionKind::Rank { top: 3, .. }));
    match &def.question("q6").unwrap().kind {
        QuestionKind::Scale { low_label, high_label } => {
            assert_eq!(low_label.as_deref(), Some("非常不满意"));
            assert_eq!(high_label.as_deref(), Some("非常满意"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(def.question("q8").unwrap().kind, QuestionKind::Text { .. }));
    assert!(matches!(def.question("q10").unwrap().kind, QuestionKind::Single { .. }));
    assert_eq!(options(&def, "q4")[4].1, "其他");
    assert_eq!(def.pages, ["第 1 页", "第 2 页"]);
    assert!(has(&c.problems, "第 28 行", "填空框"), "{p}");
    assert!(has(&c.problems, "第 44 行", "矩阵单选题"), "{p}");
    assert!(has(&c.problems, "第 51 行", "多项填空题"), "{p}");
    assert!(has(&c.problems, "第 59 行", "滑动条"), "{p}");
}

#[test]
fn wjx_problems_and_defaults() {
    let text = "1、孩子的年级\n一年级\n二年级\n\n2．您的看法\n\n3. 满意度[量表题]\n差\n中\n好\n\n4. 排一排[排序题]\nA. 唯一\n\n5. 说明文字[段落说明]\n6. 选一个[多选题]\n\n7. 名字[填空题]\n多余的一行\n\n7. 又是七[单选题]\nA. 是\nA. 是\n\n这行孤零零\n8. [单选题]\n";
    let c = convert(Format::Wjx, text.as_bytes(), &taxonomy()).unwrap();
    let p = show(&c.problems);
    let def = parsed(&c);
    assert_eq!(def.title, "导入的问卷");
    assert!(matches!(def.question("q1").unwrap().kind, QuestionKind::Single { .. }));
    assert!(has(&c.problems, "第 1 行", "单选题"), "{p}");
    assert!(matches!(def.question("q2").unwrap().kind, QuestionKind::Text { .. }));
    assert!(has(&c.problems, "第 5 行", "填空题"), "{p}");
    assert!(has(&c.problems, "第 7 行", "3 个等级"), "{p}");
    assert!(has(&c.problems, "第 12 行", "两个选项"), "{p}");
    assert!(has(&c.problems, "第 16 行", "没有选项"), "{p}");
    assert_eq!(
        def.question("q7").unwrap().help.as_deref(),
        Some("说明文字"),
        "a description is the next question's hint"
    );
    assert!(has(&c.problems, "第 18 行", "填空题下面"), "{p}");
    assert!(has(&c.problems, "第 23 行", "重复"), "{p}");
    assert!(has(&c.problems, "第 21 行", "题号 7"), "{p}");
    assert!(has(&c.problems, "第 25 行", "不属于任何题目"), "{p}");
    assert!(has(&c.problems, "第 26 行", "没有文字"), "{p}");
    assert!(def.questions.iter().all(|q| !q.id.contains('.')));
}

#[test]
fn a_wjx_file_in_gbk_is_read() {
    let (gbk, _, _) = encoding_rs::GBK.encode("家长问卷\n1. 是否需要？[单选题]\nA. 需要\nB. 不需要\n");
    let c = convert(Format::Wjx, &gbk, &taxonomy()).unwrap();
    assert_eq!(parsed(&c).title, "家长问卷");
}

#[test]
fn awkward_text_is_quoted_safely() {
    let text = "标题 \"引号\" \\反斜杠 ''' \"\"\"\n1. 题目里有 \"引号\" 和 \\ 以及 \t 制表符[单选题]\nA. 选项 \"一\"\nB. {{学校}}\n";
    let c = convert(Format::Wjx, text.as_bytes(), &taxonomy()).unwrap();
    let def = parsed(&c);
    assert_eq!(def.title, "标题 \"引号\" \\反斜杠 ''' \"\"\"");
    assert_eq!(def.questions[0].title, "题目里有 \"引号\" 和 \\ 以及 \t 制表符");
    assert_eq!(options(&def, "q1")[0].1, "选项 \"一\"");
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
    assert!(err.problems.iter().any(|p| p.message.contains("没有通过问卷定义的检查")));
}
