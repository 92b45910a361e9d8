//! Impossible figures are flagged, never hidden: a response rate above 100% (more answers than
//! pupils) carries the same warning, with what to check, on every staff page that shows it and
//! in the analysis report's outputs.

use kehou_survey::domain::account::Role;
use kehou_survey::domain::school::OVER_ENROLMENT;

use crate::helpers::{spawn_app, valid_needs_answers, TestApp, ROSTER_CSV};
use crate::low_rate::flagged;
use crate::staff_helpers::Browser;

/// 养正小学 with two pupils, both in grade 3, and three answers: a rate of 150%. Returns the
/// round, the school's id and the bureau signed in.
async fn over_enrolled(app: &TestApp) -> (i64, i64, Browser) {
    let roster = ROSTER_CSV.replace("121,120,118,115,110,109,100,0,0,0", "121,0,0,2,0,0,0,0,0,0");
    assert_ne!(roster, ROSTER_CSV);
    assert!(app.import_roster(&roster).status.success());
    let round = app.publish("after-school-needs", "-1", "+30");
    let slug = app.slug(round, "3505820002");
    for _ in 0..3 {
        app.submit(&slug, &valid_needs_answers()).await;
    }
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    (round, app.school_id("3505820002"), bureau)
}

#[tokio::test]
async fn a_rate_above_one_hundred_percent_is_flagged_on_every_page() {
    let app = spawn_app().await;
    let (round, school, bureau) = over_enrolled(&app).await;
    for path in [
        format!("/admin/coverage?round={round}"),
        format!("/admin/schools/{school}"),
        format!("/admin/schools/{school}/rounds/{round}"),
    ] {
        let (status, html) = bureau.get_html(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("150.0%"), "{path}: {html}");
        assert!(html.contains(OVER_ENROLMENT), "{path}: {html}");
    }
    // A school within its enrolment carries no such warning.
    let ok = app.school_id("3505820001");
    let (_, html) = bureau.get_html(&format!("/admin/schools/{ok}")).await;
    assert!(!html.contains(OVER_ENROLMENT), "{html}");
}

#[tokio::test]
async fn a_rate_above_one_hundred_percent_is_flagged_in_the_report_outputs() {
    let app = spawn_app().await;
    let (round, school, bureau) = over_enrolled(&app).await;
    for base in [
        format!("/admin/schools/{school}/rounds/{round}/analysis"),
        format!("/admin/rounds/{round}/analysis"),
    ] {
        // The printable report: the rate table says what is wrong and what to check.
        let (status, html) = bureau.get_html(&base).await;
        assert_eq!(status, 200);
        let rates = crate::low_rate::table_after(&html, "回收率");
        assert!(
            rates.contains("150.0%") && rates.contains(OVER_ENROLMENT),
            "{rates}"
        );
        // JSON: the school row says so.
        let json: serde_json::Value = bureau.get_json(&format!("{base}?format=json")).await;
        let row = json["schools"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == "3505820002")
            .unwrap();
        assert_eq!(
            (row["over_enrolment"].clone(), row["rate"].clone()),
            (true.into(), 1.5.into())
        );
        // XLSX: the 学校回收率 sheet.
        let xlsx = bureau.get_bytes(&format!("{base}?format=xlsx")).await;
        let sheet = crate::ledger::sheet(&xlsx, "学校回收率");
        assert_eq!(sheet[0][10], "数据异常");
        let row = sheet.iter().find(|r| r[0] == "3505820002").unwrap();
        assert_eq!(row[10], OVER_ENROLMENT);
    }
    // The school's own report opens with it, before any figure.
    let (_, html) = bureau
        .get_html(&format!("/admin/schools/{school}/rounds/{round}/analysis"))
        .await;
    let caution = html.find("class=\"caution\"").expect("a caution");
    assert!(
        html[caution..].starts_with(
            "class=\"caution\" role=\"note\"><strong>请注意：</strong>本校回收率为 150.0%"
        ),
        "{html}"
    );
    assert!(caution < html.find("<h2>回收率").unwrap());
    // Rows within their enrolment are not flagged.
    let json: serde_json::Value = bureau
        .get_json(&format!("/admin/rounds/{round}/analysis?format=json"))
        .await;
    assert_eq!(flagged(&json, "over_enrolment"), ["3505820002"]);
}
