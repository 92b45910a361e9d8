//! The XLSForm converter: the Kobo fixture, each construct and each problem by its cell.

use super::*;

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
        [
            "grade",
            "children",
            "need",
            "days",
            "activities",
            "end_time",
            "fee",
            "suggestion"
        ]
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
        [
            "孩子的基本情况",
            "课后服务需求",
            "课后服务需求（续）",
            "其他"
        ]
    );
    assert!(
        has(&c.problems, "工作表“survey”第 11 行", "另起一页"),
        "{p}"
    );
    // The range.
    let children = def.question("children").unwrap();
    assert!(matches!(
        children.kind,
        QuestionKind::Number { min: 1, max: 5, .. }
    ));
    assert_eq!(children.help.as_deref(), Some("请填写 1 到 5 之间的数字"));
    // `or` on one question → any_of; selected() → any_of.
    let days = def.question("days").unwrap();
    assert!(matches!(days.kind, QuestionKind::Multi { .. }));
    let cond = days.show_if.as_ref().unwrap();
    assert_eq!(
        (cond.question.as_str(), cond.any_of.clone()),
        ("need", vec!["yes".to_string(), "unsure".to_string()])
    );
    let act = def.question("activities").unwrap();
    assert_eq!(act.show_if.as_ref().unwrap().any_of, ["yes"]);
    assert!(act.required, "true counts as required");
    // `and` across questions is reported, the question kept without its condition.
    let end = def.question("end_time").unwrap();
    assert!(end.show_if.is_none() && !end.required);
    assert!(
        has(&c.problems, "工作表“survey”第 13 行“relevant”列", "and"),
        "{p}"
    );
    // decimal → whole numbers, said so.
    assert!(matches!(
        def.question("fee").unwrap().kind,
        QuestionKind::Number {
            min: 0,
            max: 500,
            ..
        }
    ));
    assert!(
        has(&c.problems, "工作表“survey”第 14 行“type”列", "小数"),
        "{p}"
    );
    // Skipped, each with its reason.
    assert!(
        has(
            &c.problems,
            "工作表“survey”第 17 行“type”列（题型）",
            "定位"
        ),
        "{p}"
    );
    assert!(
        has(&c.problems, "工作表“survey”第 18 行“type”列", "计算"),
        "{p}"
    );
    assert!(
        has(&c.problems, "工作表“survey”第 2 行“type”列", "后台信息"),
        "{p}"
    );
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
    assert_eq!(
        options(&def, "q_1"),
        [("1".into(), "Yes".into()), ("2".into(), "No".into())]
    );
    assert!(has(&c.problems, "工作表“choices”第 4 行", "重复"), "{p}");
    assert_eq!(def.questions[1].title, "note2");
    assert!(
        has(&c.problems, "工作表“survey”第 3 行“label”列", "字段名"),
        "{p}"
    );
    assert!(matches!(
        def.question("age").unwrap().kind,
        QuestionKind::Number {
            min: 0,
            max: 9999,
            ..
        }
    ));
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
text,g,庚（${b}）,,,${b} = 'yes'
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
    assert!(
        has(
            &c.problems,
            "工作表“survey”第 2 行“type”列",
            "找不到选项列表“missing”"
        ),
        "{p}"
    );
    assert!(
        has(&c.problems, "工作表“survey”第 3 行“type”列", "其他"),
        "{p}"
    );
    assert_eq!(options(&def, "b").last().unwrap().1, "其他");
    assert!(
        has(&c.problems, "工作表“survey”第 4 行“relevant”列", "不在前面"),
        "{p}"
    );
    assert!(
        has(
            &c.problems,
            "工作表“survey”第 5 行“relevant”列",
            "不是选择题"
        ),
        "{p}"
    );
    assert!(
        has(&c.problems, "工作表“survey”第 6 行“relevant”列", "maybe"),
        "{p}"
    );
    assert!(
        has(
            &c.problems,
            "工作表“survey”第 7 行“constraint”列",
            "无法转换"
        ),
        "{p}"
    );
    assert!(
        has(&c.problems, "工作表“survey”第 8 行“required”列", "选答"),
        "{p}"
    );
    assert!(matches!(
        def.question("h").unwrap().kind,
        QuestionKind::Rank { top: 2, .. }
    ));
    assert!(
        has(&c.problems, "工作表“survey”第 10 行“type”列", "滑块"),
        "{p}"
    );
    assert!(
        has(&c.problems, "工作表“survey”第 11 行“relevant”列", "not"),
        "{p}"
    );
    assert!(def.questions.iter().all(|q| q.show_if.is_none()));
}

#[test]
fn an_xlsform_with_nothing_convertible_imports_nothing() {
    let survey = "type,name,label\ngeopoint,where,位置\nimage,photo,照片\ncalculate,x,\n";
    let err = convert(
        Format::XlsForm,
        &workbook(&[("survey", survey)]),
        &taxonomy(),
    )
    .unwrap_err();
    let p = show(&err.problems);
    assert!(
        has(&err.problems, "工作表“survey”第 2 行“type”列", "定位"),
        "{p}"
    );
    assert!(
        has(&err.problems, "整个文件", "没有一道题目能够转换"),
        "{p}"
    );

    let err = convert(
        Format::XlsForm,
        &workbook(&[("问卷", "type,name\ntext,a\n")]),
        &taxonomy(),
    )
    .unwrap_err();
    assert!(
        err.problems[0].message.contains("survey"),
        "{:?}",
        err.problems
    );

    let err = convert(
        Format::XlsForm,
        &workbook(&[("survey", "name,label\na,甲\n")]),
        &taxonomy(),
    )
    .unwrap_err();
    assert!(
        err.problems[0].message.contains("type"),
        "{:?}",
        err.problems
    );
}
