//! XLSX rosters built with rust_xlsxwriter: numbers as numbers or text, dates, odd layouts.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

use super::*;

/// Writes `rows` from `first_row` (0-based); cells starting with `#` are written as numbers.
fn write_rows(ws: &mut Worksheet, first_row: u32, rows: &[&[&str]]) {
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            let (r, c) = (first_row + r as u32, c as u16);
            if let Some(n) = cell.strip_prefix('#') {
                ws.write_number(r, c, n.parse::<f64>().unwrap()).unwrap();
            } else if !cell.is_empty() {
                ws.write_string(r, c, *cell).unwrap();
            }
        }
    }
}

fn xlsx(first_row: u32, rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    write_rows(wb.add_worksheet(), first_row, rows);
    wb.save_to_buffer().unwrap()
}

fn xlsx_errors(bytes: &[u8]) -> Vec<RowError> {
    match parse_xlsx(bytes, &townships()) {
        Ok(rows) => panic!("expected errors, parsed {} rows", rows.len()),
        Err(e) => e.0,
    }
}

const HEADER: &[&str] = &[
    "学校代码",
    "学校名称",
    "乡镇街道",
    "学段",
    "城乡分类代码",
    "一年级人数",
    "七年级人数",
    "联系邮箱",
];

#[test]
fn happy_path_numbers_as_numbers_and_as_text() {
    let bytes = xlsx(
        0,
        &[
            HEADER,
            &[
                "#2135012345",
                "甲小学",
                "青阳街道",
                "小学",
                "#111",
                "#45.0",
                "#0",
                "a@b.cn",
            ],
            &[
                "2135012346",
                "乙中学",
                " 龙湖镇 ",
                "初中",
                "210",
                "",
                "400",
                "",
            ],
            &[
                "#7",
                "丙学校",
                "内坑镇",
                "九年一贯制",
                "#220",
                "12",
                "#13",
                "c@d.cn",
            ],
        ],
    );
    let rows = parse_xlsx(&bytes, &townships()).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].code.as_str(), "2135012345");
    assert_eq!(rows[0].urban_rural.value(), 111);
    assert_eq!(rows[0].enrolment[0], 45);
    assert_eq!(rows[1].township, "龙湖镇");
    assert_eq!(rows[1].enrolment[6], 400);
    assert_eq!(rows[1].email, None);
    assert_eq!(rows[2].code.as_str(), "7");
    assert_eq!((rows[2].enrolment[0], rows[2].enrolment[6]), (12, 13));
    assert_eq!(parse_file("名册.XLSX", &bytes, &townships()).unwrap(), rows);
}

#[test]
fn errors_carry_excel_row_numbers_across_blank_rows() {
    let bytes = xlsx(
        0,
        &[
            HEADER,
            &["#1", "甲小学", "青阳街道", "小学", "#111", "#45.5", "", ""],
            &[],
            &["#2", "乙中学", "安海镇", "初中", "#121", "#3", "#-1", ""],
        ],
    );
    let errs = xlsx_errors(&bytes);
    assert_eq!(errs.len(), 3, "{errs:#?}");
    assert_error(&errs[0], 2, "一年级人数", "必须是整数（当前为 45.5）");
    assert_error(&errs[1], 4, "一年级人数", "学段为“初中”");
    assert_error(&errs[2], 4, "七年级人数", "不能为负数");
}

#[test]
fn title_rows_above_the_header_keep_row_numbers() {
    // Row 1 is a title, row 2 is blank, the header is row 3 and data starts at row 4.
    let bytes = xlsx(
        0,
        &[
            &["晋江市中小学名册"],
            &[],
            HEADER,
            &["#1", "甲小学", "青阳街道", "小学", "#999", "", "", ""],
        ],
    );
    assert_single(&xlsx_errors(&bytes), 4, "城乡分类代码", "999");
    // Starting lower down on the sheet shifts the numbers too.
    let bytes = xlsx(4, &[HEADER, &["#1", "甲小学", "青阳街道", "初中", "#111"]]);
    let rows = parse_xlsx(&bytes, &townships()).unwrap();
    assert_eq!(rows[0].level, SchoolLevel::JuniorMiddle);
    let bytes = xlsx(4, &[HEADER, &["#1", "", "青阳街道", "初中", "#111"]]);
    assert_single(&xlsx_errors(&bytes), 6, "学校名称", "不能为空");
}

#[test]
fn date_cells_are_refused() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_rows(
        ws,
        0,
        &[HEADER, &["#1", "甲小学", "青阳街道", "小学", "#111"]],
    );
    let date = ExcelDateTime::from_ymd(2024, 9, 1).unwrap();
    let format = Format::new().set_num_format("yyyy-mm-dd");
    ws.write_datetime_with_format(1, 5, &date, &format).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    assert_single(&xlsx_errors(&bytes), 2, "一年级人数", "日期");
}

#[test]
fn only_the_first_worksheet_is_read() {
    let mut wb = Workbook::new();
    write_rows(wb.add_worksheet(), 0, &[HEADER]);
    write_rows(
        wb.add_worksheet(),
        0,
        &[HEADER, &["#1", "甲小学", "青阳街道", "小学", "#111"]],
    );
    let bytes = wb.save_to_buffer().unwrap();
    assert_single(&xlsx_errors(&bytes), 0, "", "名册中没有学校");
}

#[test]
fn empty_workbook_and_missing_headers() {
    let bytes = xlsx(0, &[]);
    assert_single(&xlsx_errors(&bytes), 0, "", "名册中没有学校");
    let bytes = xlsx(0, &[&["code", "name", "level"], &["#1", "甲", "小学"]]);
    let errs = xlsx_errors(&bytes);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert_error(&errs[0], 1, "乡镇街道", "缺少必填列");
    assert_error(&errs[1], 1, "城乡分类代码", "缺少必填列");
}

#[test]
fn not_an_xlsx_file() {
    let errs = xlsx_errors(b"this is plainly not a zip");
    assert_single(&errs, 0, "", "无法读取 Excel 文件");
    let errs = xlsx_errors(&csv_of(&[&primary("1")]));
    assert_single(&errs, 0, "", "无法读取 Excel 文件");
    let errs = xlsx_errors(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    assert_single(&errs, 0, "", "旧版 .xls");
}
