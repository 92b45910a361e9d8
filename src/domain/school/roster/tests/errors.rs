//! Every kind of bad roster is refused, each problem pinned to its row and column.

use super::*;

#[test]
fn empty_file_and_header_only_have_no_schools() {
    for bytes in [
        &b""[..],
        b"\n\n",
        "\u{feff}".as_bytes(),
        header().as_bytes(),
    ] {
        let errs = csv_errors(bytes);
        assert_single(&errs, 0, "", "名册中没有学校");
    }
}

#[test]
fn invalid_utf8_is_explained() {
    // “学校代码” in GBK, as Excel's plain “CSV” would save it.
    let mut bytes = b"code,name\n".to_vec();
    bytes.extend_from_slice(&[0xD1, 0xA7, 0xD0, 0xA3, 0xB4, 0xFA, 0xC2, 0xEB]);
    let errs = csv_errors(&bytes);
    assert_single(
        &errs,
        2,
        "",
        "文件不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”",
    );
}

#[test]
fn xlsx_uploaded_as_csv_is_explained() {
    let errs = csv_errors(b"PK\x03\x04rest-of-zip");
    assert_single(&errs, 0, "", "Excel 文件");
}

#[test]
fn missing_required_headers_are_all_reported_on_row_1() {
    let text = "学校名称,学段,一年级人数\n甲,小学,1\n";
    let errs = csv_errors(text.as_bytes());
    let columns: Vec<_> = errs.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(
        columns,
        [(1, "学校代码"), (1, "乡镇街道"), (1, "城乡分类代码")]
    );
    assert!(errs[1].message.contains("乡镇、镇街"), "{}", errs[1]);
}

#[test]
fn repeated_header_is_reported() {
    let text = format!("{},乡镇\n{},青阳街道\n", header(), primary("1"));
    let errs = csv_errors(text.as_bytes());
    assert_single(&errs, 1, "乡镇", "与“乡镇街道”列重复");
}

#[test]
fn empty_required_cells() {
    let line = ",,,,,,,,,,,,,,a@b.cn";
    let errs = csv_errors(&csv_of(&[line]));
    let columns: Vec<_> = errs.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(
        columns,
        ["学校代码", "学校名称", "乡镇街道", "学段", "城乡分类代码"]
    );
    assert!(errs.iter().all(|e| e.row == 2 && e.message == "不能为空"));
}

#[test]
fn bad_school_code() {
    let errs = csv_errors(&csv_of(&[&primary("21 35")]));
    assert_single(&errs, 2, "学校代码", "不能包含“ ”");
    let long = "1".repeat(33);
    let errs = csv_errors(&csv_of(&[&primary(&long)]));
    assert_single(&errs, 2, "学校代码", "不能超过 32 个字符");
}

#[test]
fn duplicate_code_names_the_first_row() {
    let errs = csv_errors(&csv_of(&[&primary("1"), &primary("2"), "", &primary("1")]));
    assert_single(&errs, 5, "学校代码", "学校代码“1”与第 2 行重复");
}

#[test]
fn name_too_long() {
    let line = primary("1").replace("青阳街道示例小学1", &"校".repeat(101));
    let errs = csv_errors(&csv_of(&[&line]));
    assert_single(&errs, 2, "学校名称", "不能超过 100 个字（当前 101 个）");
    let ok = primary("1").replace("青阳街道示例小学1", &"校".repeat(100));
    assert!(parse_csv(&csv_of(&[&ok]), &townships()).is_ok());
}

#[test]
fn unknown_township_lists_choices_or_guesses() {
    let line = primary("1").replacen(",青阳街道,", ",泉州市,", 1);
    let errs = csv_errors(&csv_of(&[&line]));
    assert_single(
        &errs,
        2,
        "乡镇街道",
        "“泉州市”不在乡镇街道名单中，可选值：青阳街道、梅岭街道",
    );
    assert!(errs[0].message.ends_with("西滨镇"), "{}", errs[0]);
    let line = primary("1").replacen(",青阳街道,", ",安海,", 1);
    let errs = csv_errors(&csv_of(&[&line]));
    assert_single(&errs, 2, "乡镇街道", "是否应为“安海镇”");
    let line = primary("1").replacen(",青阳街道,", ",晋江市陈埭镇,", 1);
    let errs = csv_errors(&csv_of(&[&line]));
    assert_single(&errs, 2, "乡镇街道", "是否应为“陈埭镇”");
}

#[test]
fn bad_level_and_urban_rural_code() {
    let line = primary("1").replace(",小学,111,", ",高中,113,");
    let errs = csv_errors(&csv_of(&[&line]));
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert_error(&errs[0], 2, "学段", "学段“高中”无法识别");
    assert_error(&errs[1], 2, "城乡分类代码", "“113”无效");
}

#[test]
fn bad_enrolments() {
    let cases = [
        ("-3", "不能为负数"),
        ("45.5", "必须是整数（当前为 45.5）"),
        ("5001", "不能超过 5000"),
        ("99999999999999999999", "不能超过 5000"),
        ("四十", "不是整数"),
        ("1e3", "不是整数"),
    ];
    for (value, needle) in cases {
        let line = primary("1").replacen(",50,", &format!(",{value},"), 1);
        let errs = csv_errors(&csv_of(&[&line]));
        assert_single(&errs, 2, "一年级人数", needle);
    }
    let line = primary("1").replacen(",50,", ",5000,", 1);
    assert!(parse_csv(&csv_of(&[&line]), &townships()).is_ok());
}

#[test]
fn enrolment_outside_the_levels_grades() {
    let line = "1,甲中学,磁灶镇,初中,121,12,0,,,,,300,300,300,";
    let errs = csv_errors(&csv_of(&[line]));
    assert_single(&errs, 2, "一年级人数", "学段为“初中”的学校没有一年级");
    let line = primary("1").replace(",0,0,0,", ",0,0,5,");
    let errs = csv_errors(&csv_of(&[&line]));
    assert_single(&errs, 2, "九年级人数", "当前为 5");
}

#[test]
fn bad_emails() {
    let cases = [
        ("ab.example.com", "不是有效的邮箱地址"),
        ("a@@b.cn", "不是有效的邮箱地址"),
        ("a@b@c.cn", "不是有效的邮箱地址"),
        ("@b.cn", "不是有效的邮箱地址"),
        ("a@localhost", "不是有效的邮箱地址"),
        ("a@b..cn", "不是有效的邮箱地址"),
        ("a b@c.cn", "不能包含空格"),
        ("a＠b.cn", "不是有效的邮箱地址"),
    ];
    for (value, needle) in cases {
        let line = primary("1").replace("a@example.com", value);
        let errs = csv_errors(&csv_of(&[&line]));
        assert_single(&errs, 2, "联系邮箱", needle);
    }
    let long = format!("{}@example.com", "a".repeat(250));
    let line = primary("1").replace("a@example.com", &long);
    assert_single(
        &csv_errors(&csv_of(&[&line])),
        2,
        "联系邮箱",
        "不能超过 254",
    );
}

#[test]
fn line_breaks_and_control_characters_in_text_fields() {
    let line = primary("1").replace("青阳街道示例小学1", "\"某\n小学\"");
    let errs = csv_errors(&csv_of(&[&line, &primary("2")]));
    assert_single(&errs, 2, "学校名称", "换行符");
    let line = primary("1").replace("a@example.com", "a@exa\u{7}mple.com");
    assert_single(&csv_errors(&csv_of(&[&line])), 2, "联系邮箱", "控制字符");
    let line = primary("1").replace("小学,111", "小\t学,111");
    assert_single(&csv_errors(&csv_of(&[&line])), 2, "学段", "制表符");
}

#[test]
fn many_errors_in_one_file_are_all_reported_in_order() {
    let lines = [
        primary("1"),
        primary("2").replace(",111,", ",300,"),
        primary("3"),
        primary("4")
            .replace(",a@example.com", ",bad")
            .replace(",50,", ",x,"),
        primary("1"),
    ];
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let errs = csv_errors(&csv_of(&refs));
    let at: Vec<_> = errs.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(
        at,
        [
            (3, "城乡分类代码"),
            (5, "一年级人数"),
            (5, "联系邮箱"),
            (6, "学校代码"),
        ]
    );
}

#[test]
fn error_list_is_capped() {
    let lines: Vec<String> = (0..250)
        .map(|i| primary(&i.to_string()).replace(",111,", ",0,"))
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let errs = csv_errors(&csv_of(&refs));
    assert_eq!(errs.len(), MAX_REPORTED_ERRORS + 1);
    assert_eq!(errs[199].row, 201);
    assert_eq!(errs[200].to_string(), "还有 50 个错误未列出");
}
