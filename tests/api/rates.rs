//! Impossible figures are flagged, never hidden: a response rate above 100% (more answers than
//! pupils) carries the same warning, with what to check, on every staff page that shows it.

use kehou_survey::domain::account::Role;
use kehou_survey::domain::school::OVER_ENROLMENT;

use crate::helpers::{spawn_app, valid_needs_answers, ROSTER_CSV};

#[tokio::test]
async fn a_rate_above_one_hundred_percent_is_flagged_on_every_page() {
    let app = spawn_app().await;
    // 养正小学 with two pupils, both in grade 3.
    let roster = ROSTER_CSV.replace("121,120,118,115,110,109,100,0,0,0", "121,0,0,2,0,0,0,0,0,0");
    assert_ne!(roster, ROSTER_CSV);
    assert!(app.import_roster(&roster).status.success());
    let round = app.publish("after-school-needs", "-1", "+30");
    let slug = app.slug(round, "3505820002");
    for _ in 0..3 {
        app.submit(&slug, &valid_needs_answers()).await;
    }
    let school = app.school_id("3505820002");
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
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
