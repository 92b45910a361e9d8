//! The 问卷星 converter: the export fixture, each question type and each problem by its line.

use super::*;

#[test]
fn the_wjx_export_converts_with_stable_ids() {
    let c = convert(Format::Wjx, WJX.as_bytes(), &taxonomy()).unwrap();
    let p = show(&c.problems);
    let def = parsed(&c);
    assert_eq!(def.title, "课后服务家长需求调查问卷");
    let ids: Vec<&str> = def.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        ["q1", "q2", "q3", "q4", "q5", "q6", "q8", "q10", "q12", "q13"]
    );
    let q1 = def.question("q1").unwrap();
    assert_eq!(q1.title, "您的孩子在读几年级？");
    assert!(q1.required);
    assert_eq!(options(&def, "q1")[5], ("o6".into(), "六年级".into()));
    assert!(!def.question("q3").unwrap().required);
    assert!(def.question("q12").unwrap().required, "(必答) marks it");
    assert_eq!(def.question("q12").unwrap().title, "平时主要由谁接送孩子？");
    assert!(matches!(
        def.question("q3").unwrap().kind,
        QuestionKind::Multi { .. }
    ));
    assert!(matches!(
        def.question("q5").unwrap().kind,
        QuestionKind::Rank { top: 3, .. }
    ));
    match &def.question("q6").unwrap().kind {
        QuestionKind::Scale {
            low_label,
            high_label,
        } => {
            assert_eq!(low_label.as_deref(), Some("非常不满意"));
            assert_eq!(high_label.as_deref(), Some("非常满意"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        def.question("q8").unwrap().kind,
        QuestionKind::Text { .. }
    ));
    assert!(matches!(
        def.question("q10").unwrap().kind,
        QuestionKind::Single { .. }
    ));
    assert_eq!(options(&def, "q4")[4].1, "其他");
    assert_eq!(def.pages, ["第 1 页", "第 2 页"]);
    assert!(has(&c.problems, "第 28 行", "填空框"), "{p}");
    assert!(has(&c.problems, "第 44 行", "矩阵单选题"), "{p}");
    assert!(has(&c.problems, "第 51 行", "多项填空题"), "{p}");
    assert!(has(&c.problems, "第 59 行", "滑动条"), "{p}");
}

#[test]
fn wjx_problems_and_defaults() {
    let text = "1、孩子的年级\n一年级\n二年级\n\n2．您的看法\n\n3. 满意度[量表题]\n差\n中\n好\n\n4. 排一排[排序题]\nA. 唯一\n\n5. 说明文字[段落说明]\n6. 选一个[多选题]\n\n7. 名字[填空题]\n多余的一行\n\n7. 又是七[单选题]\n○ 是\nA. 是\n\n这行孤零零\n8. [单选题]\n";
    let c = convert(Format::Wjx, text.as_bytes(), &taxonomy()).unwrap();
    let p = show(&c.problems);
    let def = parsed(&c);
    assert_eq!(def.title, "导入的问卷");
    assert!(matches!(
        def.question("q1").unwrap().kind,
        QuestionKind::Single { .. }
    ));
    assert!(has(&c.problems, "第 1 行", "单选题"), "{p}");
    assert!(matches!(
        def.question("q2").unwrap().kind,
        QuestionKind::Text { .. }
    ));
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
    let (gbk, _, _) =
        encoding_rs::GBK.encode("家长问卷\n1. 是否需要？[单选题]\nA. 需要\nB. 不需要\n");
    let c = convert(Format::Wjx, &gbk, &taxonomy()).unwrap();
    assert_eq!(parsed(&c).title, "家长问卷");
}

#[test]
fn awkward_text_is_quoted_safely() {
    let text = "标题 \"引号\" \\反斜杠 ''' \"\"\"\n1. 题目里有 \"引号\" 和 \\ 以及 \t 制表符[单选题]\nA. 选项 \"一\"\nB. {{学校}}\n";
    let c = convert(Format::Wjx, text.as_bytes(), &taxonomy()).unwrap();
    let def = parsed(&c);
    assert_eq!(def.title, "标题 \"引号\" \\反斜杠 ''' \"\"\"");
    assert_eq!(
        def.questions[0].title,
        "题目里有 \"引号\" 和 \\ 以及 \t 制表符"
    );
    assert_eq!(options(&def, "q1")[0].1, "选项 \"一\"");
}
