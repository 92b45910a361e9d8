//! The monthly ledger's sheet on complaints (投诉整改): counts by township and status as they
//! stood at the month's end, the overdue items, and the median days to close.

use kehou_survey::analysis::rectification::{CountLine, NO_TOWNSHIP};
use kehou_survey::app::rectification;
use kehou_survey::db::{self, complaints::NewComplaint};
use kehou_survey::domain::month::Month;

use crate::helpers::{at_local, spawn_app, TestApp};
use crate::rectification::make_staff;

fn new_complaint(app: &TestApp, school_code: Option<&str>) -> i64 {
    let mut c = app.conn();
    let school = school_code.map(|code| db::schools::find_by_code(&mut c, code).unwrap().unwrap());
    db::complaints::insert(
        &mut c,
        &NewComplaint {
            school_id: school.as_ref().map(|s| s.id),
            township_id: school.as_ref().map(|s| s.township_id),
            kind: "complaint".into(),
            body: "内容".into(),
            contact: None,
            office: "primary".into(),
        },
        app.clock.now(),
    )
    .unwrap()
}

#[tokio::test]
async fn the_ledger_sheet_holds_the_months_complaint_figures() {
    let app = spawn_app().await;
    app.clock.set(at_local("2026-11-18 15:00"));
    app.import_standard_roster();
    make_staff(&app);
    let bureau = db::users::find_by_email(&mut app.conn(), "admin@bureau.cn")
        .unwrap()
        .unwrap();
    let school_a = app.school_id("3505820001");
    let s = &app.state;

    // 青阳: one overdue at the month's end (closed only in December), one closed in 4 days.
    let late = new_complaint(&app, Some("3505820001"));
    rectification::assign(s, &bureau, late, school_a)
        .await
        .unwrap();
    rectification::plan(s, &bureau, late, "整改", "2026-11-20")
        .await
        .unwrap();
    let quick = new_complaint(&app, Some("3505820001"));
    rectification::assign(s, &bureau, quick, school_a)
        .await
        .unwrap();
    rectification::plan(s, &bureau, quick, "整改", "2026-11-28")
        .await
        .unwrap();
    // 安海: closed in 2 days without assigning. No township: still new.
    let ah = new_complaint(&app, Some("3505820002"));
    new_complaint(&app, None);
    app.clock.advance(chrono::Duration::days(2));
    rectification::close(s, &bureau, ah, "已答复家长")
        .await
        .unwrap();
    app.clock.advance(chrono::Duration::days(2));
    rectification::close(s, &bureau, quick, "已整改")
        .await
        .unwrap();
    // December: the late one is closed, and a new one arrives; neither is November's.
    app.clock.set(at_local("2026-12-02 10:00"));
    rectification::close(s, &bureau, late, "已整改")
        .await
        .unwrap();
    new_complaint(&app, Some("3505820002"));

    let month = Month::parse("2026-11").unwrap();
    let data = db::ledger::load(&mut app.conn(), month).unwrap();
    let ledger = kehou_survey::analysis::ledger::build(
        &data,
        kehou_survey::analysis::DEFAULT_LOW_RATE_PERCENT,
    );
    let r = &ledger.rectification;
    let line = |name: &str, by_status: [usize; 4], overdue: usize| CountLine {
        name: name.into(),
        by_status,
        overdue,
    };
    assert_eq!(
        r.townships,
        vec![
            line("青阳街道", [0, 0, 1, 1], 1),
            line("安海镇", [0, 0, 0, 1], 0),
            line(NO_TOWNSHIP, [1, 0, 0, 0], 0),
        ]
    );
    assert_eq!(r.total, line("合计", [1, 0, 1, 2], 1));
    assert_eq!(r.overdue.len(), 1);
    assert_eq!(r.overdue[0].school, "晋江市青阳中心小学");
    assert_eq!(r.overdue[0].due, "2026-11-20");
    assert_eq!(r.overdue[0].days_over, 10);
    assert_eq!(r.closed_in_month, 2);
    assert_eq!(r.median_days_to_close, Some(3.0));

    // The workbook carries the sheet.
    let bytes = kehou_survey::analysis::ledger::xlsx(&ledger).unwrap();
    use calamine::Reader;
    let wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert!(wb.sheet_names().iter().any(|n| n == "投诉整改"));
}
