//! Shared helpers for the roster import tests; the cases live in the submodules.

#![allow(clippy::unwrap_used)]

mod csv_input;
mod errors;
mod xlsx_input;

use super::*;

/// Jinjiang's 19 townships, as in the bureau's reference list.
fn townships() -> Vec<String> {
    [
        "青阳街道",
        "梅岭街道",
        "西园街道",
        "罗山街道",
        "新塘街道",
        "灵源街道",
        "安海镇",
        "磁灶镇",
        "陈埭镇",
        "东石镇",
        "深沪镇",
        "金井镇",
        "池店镇",
        "内坑镇",
        "龙湖镇",
        "永和镇",
        "英林镇",
        "紫帽镇",
        "西滨镇",
    ]
    .map(String::from)
    .to_vec()
}

fn header() -> String {
    TEMPLATE_HEADERS.join(",")
}

/// A valid primary-school line for the canonical header, with the given code.
fn primary(code: &str) -> String {
    format!("{code},青阳街道示例小学{code},青阳街道,小学,111,50,51,52,53,54,55,0,0,0,a@example.com")
}

/// A canonical-header CSV made of the given data lines.
fn csv_of(lines: &[&str]) -> Vec<u8> {
    let mut s = header();
    for l in lines {
        s.push('\n');
        s.push_str(l);
    }
    s.push('\n');
    s.into_bytes()
}

fn csv_errors(bytes: &[u8]) -> Vec<RowError> {
    match parse_csv(bytes, &townships()) {
        Ok(rows) => panic!("expected errors, parsed {} rows", rows.len()),
        Err(e) => e.0,
    }
}

/// Asserts that exactly one error is reported, at `row` and `column`, mentioning `needle`.
fn assert_single(errors: &[RowError], row: usize, column: &str, needle: &str) {
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_error(&errors[0], row, column, needle);
}

fn assert_error(e: &RowError, row: usize, column: &str, needle: &str) {
    assert_eq!((e.row, e.column.as_str()), (row, column), "{e}");
    assert!(
        e.message.contains(needle),
        "“{}” lacks “{needle}”",
        e.message
    );
}

#[test]
fn template_parses_and_uses_real_townships() {
    let template = template_csv();
    assert!(template.starts_with('\u{feff}'));
    let rows = parse_csv(template.as_bytes(), &townships()).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].township, "青阳街道");
    assert_eq!(rows[1].township, "安海镇");
    assert_eq!(rows[1].level, SchoolLevel::NineYear);
    assert_eq!(rows[1].email, None);
}

#[test]
fn parse_file_dispatches_by_extension() {
    let csv = csv_of(&[&primary("1")]);
    assert_eq!(
        parse_file("学校名册.CSV", &csv, &townships())
            .unwrap()
            .len(),
        1
    );
    assert_eq!(parse_file("csv", &csv, &townships()).unwrap().len(), 1);
    assert_eq!(parse_file(".csv", &csv, &townships()).unwrap().len(), 1);
    let xls = parse_file("名册.xls", &csv, &townships()).unwrap_err();
    assert!(xls.to_string().contains(".xlsx"), "{xls}");
    let txt = parse_file("名册.txt", &csv, &townships()).unwrap_err();
    assert_eq!(
        txt.to_string(),
        "不支持的文件类型“txt”，请上传 .xlsx 或 .csv 文件"
    );
}

#[test]
fn display_locates_the_problem() {
    let cell = RowError::new(3, "城乡分类代码", "不能为空");
    assert_eq!(cell.to_string(), "第 3 行，“城乡分类代码”列：不能为空");
    assert_eq!(RowError::new(4, "", "x").to_string(), "第 4 行：x");
    assert_eq!(
        RowError::file("名册中没有学校").to_string(),
        "名册中没有学校"
    );
    let all = RosterErrors(vec![cell, RowError::new(4, "学段", "y")]);
    assert_eq!(
        all.to_string(),
        "第 3 行，“城乡分类代码”列：不能为空\n第 4 行，“学段”列：y"
    );
}

#[test]
fn row_helpers() {
    let rows = parse_csv(&csv_of(&[&primary("1")]), &townships()).unwrap();
    assert_eq!(rows[0].enrolment_in(1), 50);
    assert_eq!(rows[0].enrolment_in(7), 0);
    assert_eq!(rows[0].enrolment_in(0), 0);
    assert_eq!(rows[0].total_enrolment(), 50 + 51 + 52 + 53 + 54 + 55);
}
