//! CSV rosters that should import: BOM, CRLF, quoting, aliases, blank lines.

use super::super::super::urban_rural::UrbanRural3;
use super::*;

#[test]
fn happy_path_with_bom_crlf_and_quoted_commas() {
    let text = format!(
        "\u{feff}{}\r\n\
         2135012345,\"晋江市实验小学（东区, 本部）\",青阳街道,小学,111,320,315,330,298,305,310,0,0,0,sy@example.com\r\n\
         \"2135099999\", 安海镇中学 ,安海镇,初中,121,,,,,,,410,\"398\",402,\r\n",
        header()
    );
    let rows = parse_csv(text.as_bytes(), &townships()).unwrap();
    assert_eq!(rows.len(), 2);
    let a = &rows[0];
    assert_eq!(a.code.as_str(), "2135012345");
    assert_eq!(a.name, "晋江市实验小学（东区, 本部）");
    assert_eq!(a.township, "青阳街道");
    assert_eq!(a.level, SchoolLevel::Primary);
    assert_eq!(a.urban_rural.value(), 111);
    assert_eq!(a.enrolment, [320, 315, 330, 298, 305, 310, 0, 0, 0]);
    assert_eq!(a.email.as_deref(), Some("sy@example.com"));
    let b = &rows[1];
    assert_eq!(b.name, "安海镇中学");
    assert_eq!(b.level, SchoolLevel::JuniorMiddle);
    assert_eq!(b.enrolment, [0, 0, 0, 0, 0, 0, 410, 398, 402]);
    assert_eq!(b.email, None);
}

#[test]
fn english_aliases_any_order_optional_columns_and_extras() {
    let text = "Email,Level,Name,Code,Township,Urban_Rural_Code,grade7,八年级,备注\n\
                ,junior,某中学,JJ-01,镇街ignored,220,100,90,随便写\n";
    // “镇街ignored” is not a township: prove the column is found, then fix the value.
    let errs = csv_errors(text.as_bytes());
    assert_single(&errs, 2, "Township", "不在乡镇街道名单中");
    let text = text.replace("镇街ignored", "西滨镇");
    let rows = parse_csv(text.as_bytes(), &townships()).unwrap();
    assert_eq!(rows[0].code.as_str(), "JJ-01");
    assert_eq!(rows[0].enrolment, [0, 0, 0, 0, 0, 0, 100, 90, 0]);
    assert_eq!(rows[0].urban_rural.value(), 220);
}

#[test]
fn chinese_aliases_for_township_and_grades() {
    let text = "学校代码,学校名称,乡镇,学段,城乡分类代码,一年级,二年级人数\n\
                1,甲小学,紫帽镇,小学,210,30,31\n";
    let rows = parse_csv(text.as_bytes(), &townships()).unwrap();
    assert_eq!(rows[0].enrolment[..2], [30, 31]);
    let text = text.replace("乡镇,", "镇街,");
    assert_eq!(parse_csv(text.as_bytes(), &townships()).unwrap().len(), 1);
}

#[test]
fn extra_cells_beyond_the_headers_are_ignored() {
    let line = format!("{},多余,内容", primary("7"));
    let rows = parse_csv(&csv_of(&[&line]), &townships()).unwrap();
    assert_eq!(rows[0].code.as_str(), "7");
}

#[test]
fn short_rows_read_missing_cells_as_empty() {
    // Optional trailing cells (grades 7-9, e-mail) left off entirely.
    let line = "8,乙小学,池店镇,小学,122,1,2,3,4,5,6";
    let rows = parse_csv(&csv_of(&[line]), &townships()).unwrap();
    assert_eq!(rows[0].email, None);
    assert_eq!(rows[0].total_enrolment(), 21);
}

#[test]
fn blank_lines_and_empty_rows_are_skipped_and_rows_still_counted() {
    let text = format!(
        "{}\n\n{}\n,,,,,,\n\n{}\n   \n",
        header(),
        primary("1"),
        primary("2").replace(",111,", ",999,")
    );
    // Excel shows: 1 header, 2 blank, 3 school 1, 4 commas, 5 blank, 6 school 2.
    for eol in ["\n", "\r\n", "\r"] {
        let text = text.replace('\n', eol);
        let errs = csv_errors(text.as_bytes());
        assert_single(&errs, 6, "城乡分类代码", "999");
        let fixed = text.replace(",999,", ",111,");
        assert_eq!(parse_csv(fixed.as_bytes(), &townships()).unwrap().len(), 2);
    }
}

#[test]
fn line_breaks_inside_ignored_cells_do_not_shift_row_numbers() {
    let text = format!(
        "{},备注\n{},\"第一行\n第二行\r\n第三行\"\n{},\n",
        header(),
        primary("1"),
        primary("2").replace("小学,111", "高中,111")
    );
    let errs = csv_errors(text.as_bytes());
    assert_single(&errs, 3, "学段", "高中");
}

#[test]
fn title_row_above_the_headers_is_skipped() {
    let text = format!("晋江市义务教育学校名册（2024年）,,,\n{}\n", header());
    let text = format!("{text}{}\n", primary("1").replace(",111,", ",abc,"));
    let errs = csv_errors(text.as_bytes());
    assert_single(&errs, 3, "城乡分类代码", "abc");
}

#[test]
fn integral_decimals_in_text_are_accepted() {
    let line = primary("1").replace(",50,", ",50.0,");
    let rows = parse_csv(&csv_of(&[&line]), &townships()).unwrap();
    assert_eq!(rows[0].enrolment[0], 50);
}

#[test]
fn nine_year_school_may_fill_every_grade() {
    let line = "9,丙学校,英林镇,九年一贯制,123,1,1,1,1,1,1,1,1,1,x@y.cn";
    let rows = parse_csv(&csv_of(&[line]), &townships()).unwrap();
    assert_eq!(rows[0].total_enrolment(), 9);
    assert_eq!(rows[0].urban_rural.three_way(), UrbanRural3::Town);
}
