//! Township officers view and send reminders; they neither change a school's plan nor make,
//! see or print its one-time codes.

use kehou_survey::db;
use kehou_survey::domain::account::Role;

use crate::helpers::spawn_app;

#[tokio::test]
async fn township_officers_cannot_change_a_plan_or_touch_codes() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let school = app.school_id("3505820001");
    app.make_user("qy@town.cn", Role::Township, None, Some("青阳街道"));
    let officer = app.signed_in("qy@town.cn").await;
    let plan = format!("/admin/schools/{school}/plan");
    let (status, html) = officer.get_html(&plan).await;
    assert_eq!(status, 200, "they may read the plan");
    assert!(
        !html.contains("保存为新版本"),
        "and are offered no form to change it"
    );
    let (status, html) = officer
        .get_html(&format!("/admin/schools/{school}/rounds/{round}"))
        .await;
    assert_eq!(status, 200);
    assert!(!html.contains("生成填写码"));
    let csrf = officer.csrf_from("/account/password").await;
    let codes = format!("/admin/schools/{school}/rounds/{round}/codes");
    let r = officer
        .post(
            &codes,
            &[("csrf", &csrf), ("classes", "1:1"), ("per_class", "5")],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(officer.get(&codes).await.status(), 403);
    let r = officer
        .post(&plan, &[("csrf", &csrf), ("term", "2026秋")])
        .await;
    assert_eq!(r.status(), 403);
    assert!(db::codes::list_for(&mut app.conn(), round, school)
        .unwrap()
        .is_empty());
    assert!(!app.audit_actions().iter().any(|a| a == "plan_saved"));
}
