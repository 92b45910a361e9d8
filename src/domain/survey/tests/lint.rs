//! One test per lint rule, each checking the reported line:column.

use super::super::{parse_definition, QuestionKind, Taxonomy};
use super::{assert_one, lint_errors, parse_with, HEADER};

#[test]
fn toml_syntax_error_is_located() {
    assert_one("[[questions]]\nid \"x\"\n", 19, 4, "TOML");
}

#[test]
fn unknown_field_is_located() {
    assert_one(
        "[[questions]]\nid = \"x\"\ntitle = \"标题\"\ntype = \"text\"\nmaxlength = 5\n",
        22,
        1,
        "maxlength",
    );
}

#[test]
fn unknown_category() {
    assert_one(
        "[[questions]]\nid = \"m\"\ntitle = \"活动\"\ntype = \"multi\"\n[[questions.options]]\nid = \"a\"\nlabel = \"甲\"\ncategory = \"sciense\"\n",
        25,
        12,
        "unknown category \"sciense\"",
    );
}

#[test]
fn unknown_taxonomy_reference() {
    assert_one(
        "[[questions]]\nid = \"m\"\ntitle = \"活动\"\ntype = \"multi\"\noptions_from_taxonomy = \"magic\"\n",
        22,
        25,
        "unknown category \"magic\"",
    );
}

#[test]
fn duplicate_question_id() {
    assert_one(
        "[[questions]]\nid = \"need\"\ntitle = \"再问\"\ntype = \"text\"\n",
        19,
        6,
        "duplicate question id \"need\" (first defined at line 9)",
    );
}

#[test]
fn duplicate_option_id() {
    assert_one(
        "[[questions]]\nid = \"m\"\ntitle = \"活动\"\ntype = \"multi\"\n[[questions.options]]\nid = \"a\"\nlabel = \"甲\"\n[[questions.options]]\nid = \"a\"\nlabel = \"乙\"\n",
        26,
        6,
        "duplicate option id \"a\" in question \"m\" (first defined at line 23)",
    );
}

#[test]
fn duplicate_option_id_against_taxonomy_expansion() {
    assert_one(
        "[[questions]]\nid = \"m\"\ntitle = \"活动\"\ntype = \"multi\"\noptions_from_taxonomy = \"science\"\n[[questions.options]]\nid = \"science.maker\"\nlabel = \"创客\"\n",
        24,
        6,
        "first defined at line 22",
    );
}

#[test]
fn show_if_later_self_unknown() {
    let later = "[[questions]]\nid = \"a\"\ntitle = \"甲\"\ntype = \"text\"\nshow_if = { question = \"b\", any_of = [\"x\"] }\n[[questions]]\nid = \"b\"\ntitle = \"乙\"\ntype = \"text\"\n";
    assert_one(
        later,
        22,
        24,
        "refers to question \"b\" defined later (line 24)",
    );
    let itself = "[[questions]]\nid = \"a\"\ntitle = \"甲\"\ntype = \"single\"\nshow_if = { question = \"a\", any_of = [\"x\"] }\n[[questions.options]]\nid = \"x\"\nlabel = \"X\"\n";
    assert_one(itself, 22, 24, "refers to itself");
    let unknown = "[[questions]]\nid = \"a\"\ntitle = \"甲\"\ntype = \"text\"\nshow_if = { question = \"nope\", any_of = [\"x\"] }\n";
    assert_one(unknown, 22, 24, "refers to unknown question \"nope\"");
}

#[test]
fn show_if_value_must_be_an_option() {
    assert_one(
        "[[questions]]\nid = \"a\"\ntitle = \"甲\"\ntype = \"text\"\nshow_if = { question = \"need\", any_of = [\"yes\", \"maybe\"] }\n",
        22,
        49,
        "show_if value \"maybe\" is not an option of question \"need\"",
    );
}

#[test]
fn show_if_on_grade_and_text() {
    let more = "[[questions]]\nid = \"g\"\ntitle = \"年级\"\ntype = \"grade\"\ngrades = [1, 2, 3]\n[[questions]]\nid = \"a\"\ntitle = \"甲\"\ntype = \"text\"\nshow_if = { question = \"g\", any_of = [\"2\", \"7\"] }\n";
    assert_one(more, 27, 44, "\"7\" is not an allowed grade");
    let more = "[[questions]]\nid = \"s\"\ntitle = \"建议\"\ntype = \"text\"\n[[questions]]\nid = \"a\"\ntitle = \"甲\"\ntype = \"text\"\nshow_if = { question = \"s\", any_of = [\"x\"] }\n";
    assert_one(more, 26, 24, "cannot refer to question \"s\" of type text");
}

#[test]
fn min_above_max() {
    let multi = "[[questions]]\nid = \"m\"\ntitle = \"活动\"\ntype = \"multi\"\nmin = 3\nmax = 2\n[[questions.options]]\nid = \"a\"\nlabel = \"甲\"\n[[questions.options]]\nid = \"b\"\nlabel = \"乙\"\n[[questions.options]]\nid = \"c\"\nlabel = \"丙\"\n";
    assert_one(multi, 22, 7, "min (3) of question \"m\" is above max (2)");
    let number =
        "[[questions]]\nid = \"n\"\ntitle = \"人数\"\ntype = \"number\"\nmin = 10\nmax = 0\n";
    assert_one(number, 22, 7, "min (10) of question \"n\" is above max (0)");
}

#[test]
fn multi_max_above_option_count() {
    assert_one(
        "[[questions]]\nid = \"m\"\ntitle = \"活动\"\ntype = \"multi\"\nmax = 6\noptions_from_taxonomy = \"science\"\n",
        22,
        7,
        "max (6) of question \"m\" is above the number of options (5)",
    );
}

#[test]
fn rank_top_out_of_range() {
    let base = "[[questions]]\nid = \"r\"\ntitle = \"排序\"\ntype = \"rank\"\noptions_from_taxonomy = \"rural_local\"\n";
    assert_one(
        &format!("{base}top = 5\n"),
        23,
        7,
        "top (5) of question \"r\" is above the number of options (4)",
    );
    assert_one(
        &format!("{base}top = 0\n"),
        23,
        7,
        "top (0) of question \"r\" must be at least 1",
    );
    assert_one(base, 21, 8, "needs `top`");
}

#[test]
fn missing_options() {
    assert_one(
        "[[questions]]\nid = \"s\"\ntitle = \"单选\"\ntype = \"single\"\n",
        21,
        8,
        "question \"s\" of type single has no options",
    );
}

#[test]
fn text_max_length_bounds() {
    let base = "[[questions]]\nid = \"t\"\ntitle = \"建议\"\ntype = \"text\"\n";
    assert_one(
        &format!("{base}max_length = 0\n"),
        22,
        14,
        "max_length (0) of question \"t\" must be between 1 and 2000",
    );
    assert_one(
        &format!("{base}max_length = 2001\n"),
        22,
        14,
        "max_length (2001)",
    );
    let def = parse_with(&format!("{base}max_length = 2000\n")).unwrap();
    assert_eq!(
        def.questions[1].kind,
        QuestionKind::Text { max_length: 2000 }
    );
    let def = parse_with(base).unwrap();
    assert_eq!(
        def.questions[1].kind,
        QuestionKind::Text { max_length: 200 }
    );
}

#[test]
fn unknown_question_type() {
    assert_one(
        "[[questions]]\nid = \"d\"\ntitle = \"日期\"\ntype = \"date\"\n",
        21,
        8,
        "unknown question type \"date\"",
    );
}

#[test]
fn field_not_for_this_type() {
    assert_one(
        "[[questions]]\nid = \"t\"\ntitle = \"建议\"\ntype = \"text\"\ntop = 3\n",
        22,
        7,
        "field `top` does not apply to question \"t\" of type text",
    );
}

#[test]
fn empty_titles_and_labels() {
    assert_one(
        "[[questions]]\nid = \"t\"\ntitle = \"  \"\ntype = \"text\"\n",
        20,
        9,
        "title of question \"t\" is empty",
    );
    let errs = parse_definition(
        &HEADER.replace("title = \"测试\"", "title = \"\""),
        &super::taxonomy(),
    )
    .unwrap_err();
    assert_eq!(errs[0].to_string(), "2:9: survey title is empty");
    assert_one(
        "[[questions]]\nid = \"s\"\ntitle = \"单选\"\ntype = \"single\"\n[[questions.options]]\nid = \"a\"\nlabel = \"\"\n",
        24,
        9,
        "label of option \"a\" in question \"s\" is empty",
    );
}

#[test]
fn bad_ids() {
    assert_one(
        "[[questions]]\nid = \"建议\"\ntitle = \"建议\"\ntype = \"text\"\n",
        19,
        6,
        "question id \"建议\" must be",
    );
    assert_one(
        "[[questions]]\nid = \"\"\ntitle = \"建议\"\ntype = \"text\"\n",
        19,
        6,
        "question id \"\" must be",
    );
    assert_one(
        "[[questions]]\nid = \"a.b\"\ntitle = \"建议\"\ntype = \"text\"\n",
        19,
        6,
        "question id \"a.b\" must be",
    );
    assert_one(
        "[[questions]]\nid = \"s\"\ntitle = \"单选\"\ntype = \"single\"\n[[questions.options]]\nid = \"是\"\nlabel = \"是\"\n",
        23,
        6,
        "option id \"是\" of question \"s\" must be",
    );
    let errs = parse_definition(
        &HEADER.replace("id = \"t\"", "id = \"测试\""),
        &super::taxonomy(),
    )
    .unwrap_err();
    assert!(errs[0].to_string().starts_with("1:6: survey id \"测试\""));
}

#[test]
fn grade_and_class_settings() {
    assert_one(
        "[[questions]]\nid = \"g\"\ntitle = \"年级\"\ntype = \"grade\"\ngrades = [1, 10]\n",
        22,
        14,
        "grade 10 of question \"g\" is not between 1 and 9",
    );
    assert_one(
        "[[questions]]\nid = \"g\"\ntitle = \"年级\"\ntype = \"grade\"\ngrades = [7, 7]\n",
        22,
        14,
        "grade 7 of question \"g\" is listed twice",
    );
    assert_one(
        "[[questions]]\nid = \"c\"\ntitle = \"班级\"\ntype = \"class\"\nmax_class = 0\n",
        22,
        13,
        "max_class (0)",
    );
}

#[test]
fn number_needs_bounds() {
    assert_one(
        "[[questions]]\nid = \"n\"\ntitle = \"人数\"\ntype = \"number\"\nmin = 0\n",
        21,
        8,
        "needs both `min` and `max`",
    );
}

#[test]
fn unknown_placeholder_and_kind() {
    let src = HEADER
        .replace("{{学校}}", "{{school}}")
        .replace("kind = \"needs\"", "kind = \"poll\"");
    let errs: Vec<String> = parse_definition(&src, &super::taxonomy())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(errs[0].starts_with("3:8: unknown survey kind \"poll\""));
    assert!(errs[1].starts_with("4:17: unknown placeholder \"{{school}}\" in letter"));
}

#[test]
fn every_problem_is_reported() {
    let more = "[[questions]]\nid = \"need\"\ntitle = \"\"\ntype = \"multi\"\nmin = 2\nmax = 1\n[[questions]]\nid = \"x\"\ntitle = \"乙\"\ntype = \"blob\"\nshow_if = { question = \"zzz\", any_of = [\"a\"] }\n";
    let errs = lint_errors(more);
    assert_eq!(errs.len(), 6, "{errs:#?}");
    let locations: Vec<&str> = errs.iter().map(|e| e.split(": ").next().unwrap()).collect();
    assert_eq!(locations, ["19:6", "20:9", "21:8", "22:7", "27:8", "28:24"]);
}

#[test]
fn taxonomy_options_expand() {
    let def = parse_with("[[questions]]\nid = \"r\"\ntitle = \"排序\"\ntype = \"rank\"\ntop = 3\noptions_from_taxonomy = \"*\"\n[[questions.options]]\nid = \"other\"\nlabel = \"其他\"\n").unwrap();
    let q = &def.questions[1];
    let tax: Taxonomy = super::taxonomy();
    assert_eq!(q.options().len(), tax.categories().len() + 1);
    assert_eq!(q.options()[0].category.as_deref(), Some("science"));
    assert_eq!(q.options().last().unwrap().id, "other");
}
