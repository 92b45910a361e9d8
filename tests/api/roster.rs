//! The school roster via the CLI `import-schools`: all or nothing, updates by
//! school code, CSV and XLSX, and a dry run that writes nothing.

use crate::helpers::{spawn_app, TestApp, ROSTER_CSV};
use kehou_survey::db;

const HEADER: &str = "学校代码,学校名称,乡镇街道,学段,城乡分类代码,一年级人数,二年级人数,三年级人数,四年级人数,五年级人数,六年级人数,七年级人数,八年级人数,九年级人数,联系邮箱";

/// Row 2 is fine (and renames a school), row 3 has a bad 城乡分类代码, row 4
/// an unknown township, row 5 is a fine new school.
fn bad_roster() -> String {
    format!(
        "{HEADER}
3505820001,晋江市青阳改名小学,青阳街道,小学,111,200,210,190,205,198,201,0,0,0,
3505820008,晋江市错误代码小学,青阳街道,小学,999,200,210,190,205,198,201,0,0,0,
3505820009,晋江市火星小学,火星镇,小学,121,100,100,100,100,100,100,0,0,0,
3505820010,晋江市新建小学,安海镇,小学,121,100,100,100,100,100,100,0,0,0,
"
    )
}

fn name_of(app: &TestApp, code: &str) -> Option<String> {
    db::schools::find_by_code(&mut app.conn(), code)
        .unwrap()
        .map(|s| s.name)
}

#[tokio::test]
async fn a_roster_with_a_bad_row_imports_nothing() {
    let app = spawn_app().await;

    let out = app.import_roster(&bad_roster());
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("第 3 行，“城乡分类代码”列"),
        "row and column of the bad code:\n{stderr}"
    );
    assert!(
        stderr.contains("第 4 行，“乡镇街道”列"),
        "row and column of the unknown township:\n{stderr}"
    );
    assert!(stderr.contains("火星镇"));
    assert!(stderr.contains("未导入任何学校"));
    assert!(!stderr.contains("第 2 行"), "row 2 is fine:\n{stderr}");
    assert_eq!(app.school_count(), 0, "not even the good rows");

    // With a roster in place, a bad file changes nothing either.
    app.import_standard_roster();
    assert_eq!(app.school_count(), 3);
    let out = app.import_roster(&bad_roster());
    assert!(!out.status.success());
    assert_eq!(app.school_count(), 3);
    assert_eq!(
        name_of(&app, "3505820001").as_deref(),
        Some("晋江市青阳中心小学")
    );
    assert_eq!(name_of(&app, "3505820010"), None);
}

#[tokio::test]
async fn reimporting_updates_schools_by_code() {
    let app = spawn_app().await;
    app.import_standard_roster();
    let before = db::schools::find_by_code(&mut app.conn(), "3505820001")
        .unwrap()
        .unwrap();

    let changed = ROSTER_CSV
        .replace("晋江市青阳中心小学", "晋江市青阳第一中心小学")
        .replace(
            "3505820002,晋江市安海镇养正小学,安海镇,小学,121",
            "3505820002,晋江市安海镇养正小学,安海镇,小学,122",
        )
        + "3505820004,晋江市梅岭实验小学,梅岭街道,小学,111,150,150,150,150,150,150,0,0,0,\n";
    let out = app.import_roster(&changed);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("新增 1 所，更新 3 所"), "{stdout}");

    assert_eq!(app.school_count(), 4, "no duplicate school");
    let after = db::schools::find_by_code(&mut app.conn(), "3505820001")
        .unwrap()
        .unwrap();
    assert_eq!(after.id, before.id, "the same school, updated in place");
    assert_eq!(after.name, "晋江市青阳第一中心小学");
    let anhai = db::schools::find_by_code(&mut app.conn(), "3505820002")
        .unwrap()
        .unwrap();
    assert_eq!(anhai.urban_rural_code, 122);

    // The same file again: nothing new.
    let out = app.import_roster(&changed);
    assert!(String::from_utf8_lossy(&out.stdout).contains("新增 0 所，更新 4 所"));
    assert_eq!(app.school_count(), 4);
}

/// Code, name, township, level, 城乡分类代码, enrolment per grade, e-mail.
type XlsxRow = (
    f64,
    &'static str,
    &'static str,
    &'static str,
    f64,
    [f64; 9],
    &'static str,
);

#[tokio::test]
async fn an_xlsx_roster_with_numeric_cells_imports() {
    let app = spawn_app().await;
    let path = app.temp_path("学校名册.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    let rows: [XlsxRow; 2] = [
        (
            3505820101.0,
            "晋江市罗山中心小学",
            "罗山街道",
            "小学",
            112.0,
            [180.0, 181.0, 182.0, 183.0, 184.0, 185.0, 0.0, 0.0, 0.0],
            "ls@example.edu.cn",
        ),
        (
            3505820102.0,
            "晋江市龙湖中学",
            "龙湖镇",
            "初中",
            210.0,
            [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 250.0, 260.0, 270.0],
            "",
        ),
    ];
    for (i, (code, name, town, level, ur, enrol, email)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, *code).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, *town).unwrap();
        ws.write_string(r, 3, *level).unwrap();
        ws.write_number(r, 4, *ur).unwrap();
        for (g, n) in enrol.iter().enumerate() {
            ws.write_number(r, 5 + g as u16, *n).unwrap();
        }
        if !email.is_empty() {
            ws.write_string(r, 14, *email).unwrap();
        }
    }
    wb.save(&path).unwrap();

    let out = app.cli(&["import-schools", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(app.school_count(), 2);
    let mut conn = app.conn();
    let ls = db::schools::find_by_code(&mut conn, "3505820101")
        .unwrap()
        .expect("numeric code read as 3505820101, not 3505820101.0");
    assert_eq!(ls.name, "晋江市罗山中心小学");
    assert_eq!(ls.urban_rural_code, 112);
    assert_eq!(ls.contact_email.as_deref(), Some("ls@example.edu.cn"));
    let enrolment = db::schools::enrolment(&mut conn, ls.id).unwrap();
    assert!(enrolment.contains(&(1, 180)), "{enrolment:?}");
    assert!(enrolment.contains(&(6, 185)), "{enrolment:?}");
    let lh = db::schools::find_by_code(&mut conn, "3505820102")
        .unwrap()
        .unwrap();
    assert_eq!(lh.contact_email, None);
    assert!(db::schools::enrolment(&mut conn, lh.id)
        .unwrap()
        .contains(&(9, 270)));
}

#[tokio::test]
async fn a_dry_run_writes_nothing() {
    let app = spawn_app().await;
    let path = app.temp_path("roster-dry.csv");
    std::fs::write(&path, ROSTER_CSV).unwrap();

    let out = app.cli(&["import-schools", "--dry-run", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("3 所学校，检查通过（未写入）"), "{stdout}");
    assert_eq!(app.school_count(), 0);

    // A dry run of a bad file reports the problems, also writing nothing.
    std::fs::write(&path, bad_roster()).unwrap();
    let out = app.cli(&["import-schools", "--dry-run", path.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("第 3 行"));
    assert_eq!(app.school_count(), 0);

    // A dry run over an existing roster does not apply the changes.
    app.import_standard_roster();
    std::fs::write(
        &path,
        ROSTER_CSV.replace("晋江市磁灶中学", "晋江市磁灶第一中学"),
    )
    .unwrap();
    let out = app.cli(&["import-schools", "--dry-run", path.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(
        name_of(&app, "3505820003").as_deref(),
        Some("晋江市磁灶中学")
    );
    assert_eq!(app.school_count(), 3);
}
