//! Complaints followed through to rectification: from the standing channel through every
//! status, each side seeing only its own, the contact only for the bureau, every step logged.

use kehou_survey::domain::account::Role;
use kehou_survey::domain::time::to_local;

use crate::helpers::{spawn_app, TestApp};
use crate::staff_helpers::{csrf_in, Browser};

/// Sends a complaint through the standing channel as a fresh parent's browser.
pub async fn send_standing(
    app: &TestApp,
    township: &str,
    school: &str,
    body: &str,
    contact: &str,
) -> (u16, String) {
    let parent = Browser::new(app);
    assert_eq!(parent.get("/feedback").await.status(), 200);
    let r = parent
        .post(
            "/feedback",
            &[
                ("kind", "complaint"),
                ("township", township),
                ("school", school),
                ("body", body),
                ("contact", contact),
            ],
        )
        .await;
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Staff users: schools A (青阳) and B (安海), their townships' officers, the bureau.
pub fn make_staff(app: &TestApp) {
    app.make_user("a@school.cn", Role::School, Some("3505820001"), None);
    app.make_user("b@school.cn", Role::School, Some("3505820002"), None);
    app.make_user("qy@town.cn", Role::Township, None, Some("青阳街道"));
    app.make_user("ah@town.cn", Role::Township, None, Some("安海镇"));
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
}

async fn step(b: &Browser, id: i64, what: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let path = format!("/admin/complaints/{id}");
    let (_, page) = b.get_html(&path).await;
    let csrf = csrf_in(&page);
    let mut pairs = vec![("csrf", csrf.as_str())];
    pairs.extend_from_slice(fields);
    let r = b.post(&format!("{path}/{what}"), &pairs).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

fn local_day(app: &TestApp, days: i64) -> String {
    (to_local(app.clock.now()) + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn a_complaint_from_the_standing_channel_goes_through_every_status() {
    let app = spawn_app().await;
    app.import_standard_roster();
    make_staff(&app);
    let (qy, ah) = (app.township_id("青阳街道"), app.township_id("安海镇"));
    let (school_a, school_b) = (app.school_id("3505820001"), app.school_id("3505820002"));

    // The standing page lists townships and schools and asks for nothing personal.
    let (status, form) = Browser::new(&app).get_html("/feedback").await;
    assert_eq!(status, 200);
    assert!(form.contains("青阳街道") && form.contains("晋江市青阳中心小学"));
    assert!(form.contains("无需填写姓名") && form.contains("联系方式（选填）"));
    // A school outside the township picked is refused and nothing is stored.
    let (status, page) = send_standing(
        &app,
        &ah.to_string(),
        &school_a.to_string(),
        "收费不透明",
        "",
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("所选学校不在所选镇街"));
    // A school picked without its township is fine; its school does not see it until it is
    // assigned.
    let (status, _) = send_standing(&app, "", &school_a.to_string(), "作业辅导敷衍", "").await;
    assert_eq!(status, 200);
    // Neither township nor school is fine; so is a township alone.
    assert_eq!(send_standing(&app, "", "", "托管老师不足", "").await.0, 200);
    let (status, _) = send_standing(
        &app,
        &qy.to_string(),
        "",
        "课后服务收费不透明",
        "微信 kehou123",
    )
    .await;
    assert_eq!(status, 200);
    let id = 3;

    let bureau = app.signed_in("admin@bureau.cn").await;
    let school = app.signed_in("a@school.cn").await;
    let other_school = app.signed_in("b@school.cn").await;
    let township = app.signed_in("qy@town.cn").await;
    let other_township = app.signed_in("ah@town.cn").await;

    let (_, list) = bureau.get_html("/admin/complaints").await;
    assert!(list.contains("课后服务收费不透明") && list.contains("微信 kehou123"));
    assert!(list.contains("待分办") && list.contains("托管老师不足"));
    let (_, list) = township.get_html("/admin/complaints").await;
    assert!(list.contains("课后服务收费不透明"), "{list}");
    assert!(!list.contains("微信 kehou123") && !list.contains("托管老师不足"));
    let (_, list) = school.get_html("/admin/complaints").await;
    assert!(
        !list.contains("作业辅导敷衍"),
        "a new complaint reached its school"
    );
    assert_eq!(school.get("/admin/complaints/1").await.status(), 404);
    let (_, list) = township.get_html("/admin/complaints").await;
    assert!(list.contains("作业辅导敷衍"));
    for b in [&school, &other_school, &other_township] {
        let (_, list) = b.get_html("/admin/complaints").await;
        assert!(!list.contains("课后服务收费不透明"));
        let path = format!("/admin/complaints/{id}");
        assert_eq!(b.get(&path).await.status(), 404);
    }

    // The township assigns it, within the township only.
    let (status, _) = step(
        &township,
        id,
        "assign",
        &[("school", &school_b.to_string())],
    )
    .await;
    assert_eq!(status, 422);
    let (status, page) = step(
        &township,
        id,
        "assign",
        &[("school", &school_a.to_string())],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("已分办"));

    // Now the school sees it, without the parent's contact; the other school still not.
    let (_, page) = school.get_html(&format!("/admin/complaints/{id}")).await;
    assert!(page.contains("课后服务收费不透明") && !page.contains("kehou123"));
    assert_eq!(
        other_school
            .get(&format!("/admin/complaints/{id}"))
            .await
            .status(),
        404
    );

    // The school answers with a plan and a deadline (not in the past).
    let yesterday = local_day(&app, -1);
    let (status, page) = step(
        &school,
        id,
        "plan",
        &[("plan", "公示收费标准"), ("deadline", &yesterday)],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("整改期限不能早于今天"));
    let due = local_day(&app, 7);
    let (status, page) = step(
        &school,
        id,
        "plan",
        &[("plan", "公示收费标准，退还多收费用"), ("deadline", &due)],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("整改中") && page.contains(&due));

    // The township and the bureau follow up; only the bureau closes.
    let (status, _) = step(&township, id, "follow-up", &[("note", "已电话督促学校")]).await;
    assert_eq!(status, 200);
    let (_, page) = school.get_html(&format!("/admin/complaints/{id}")).await;
    let csrf = csrf_in(&page);
    let r = school
        .post(
            &format!("/admin/complaints/{id}/close"),
            &[("csrf", &csrf), ("result", "自行办结")],
        )
        .await;
    assert_eq!(r.status(), 403);
    let (status, page) = step(
        &bureau,
        id,
        "close",
        &[("result", "学校已公示收费标准并退费")],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("已办结") && page.contains("学校已公示收费标准并退费"));
    // Closed is final.
    let (status, page) = step(&bureau, id, "plan", &[("plan", "再改"), ("deadline", &due)]).await;
    assert_eq!(status, 422);
    assert!(page.contains("已办结"));

    // Everyone who may see it sees every step; the contact stays the bureau's.
    let (_, page) = school.get_html(&format!("/admin/complaints/{id}")).await;
    for s in ["分办", "整改方案", "跟进督办", "办结", "已电话督促学校"] {
        assert!(page.contains(s), "{s} missing:\n{page}");
    }
    assert!(!page.contains("kehou123"));
    let audit = app.audit_actions();
    for a in [
        "complaints_viewed",
        "complaint_viewed",
        "complaint_assigned",
        "complaint_plan",
        "complaint_follow_up",
        "complaint_closed",
    ] {
        assert!(audit.iter().any(|x| x == a), "audit log lacks {a}");
    }
}

#[tokio::test]
async fn office_numbers_and_mailboxes_come_only_from_the_settings() {
    let app = spawn_app().await;
    app.import_standard_roster();
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    // Nothing set: no numbers, no built-in addresses, and the bureau is warned.
    let (_, page) = Browser::new(&app).get_html("/feedback").await;
    assert!(
        !page.contains("举报电话和邮箱") && !page.contains("mailto:"),
        "{page}"
    );
    let bureau = app.signed_in("admin@bureau.cn").await;
    for page in ["/admin/complaints", "/admin/coverage"] {
        let (_, html) = bureau.get_html(page).await;
        assert!(
            html.contains("尚未设置初幼教科、中教科接收举报的邮箱"),
            "{page}"
        );
    }

    let configured = crate::helpers::spawn_app_with(|s| {
        s.offices.primary_email = Some("cjk@bureau.example.cn".into());
        s.offices.primary_phone = Some("0595-00000001".into());
        s.offices.secondary_phone = Some("0595-00000002".into());
    })
    .await;
    configured.import_standard_roster();
    let (_, page) = Browser::new(&configured).get_html("/feedback").await;
    for s in [
        "举报电话和邮箱",
        "0595-00000001",
        "cjk@bureau.example.cn",
        "0595-00000002",
    ] {
        assert!(page.contains(s), "{s} missing");
    }
    configured.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = configured.signed_in("admin@bureau.cn").await;
    let (_, list) = bureau.get_html("/admin/complaints").await;
    assert!(list.contains("尚未设置中教科接收举报的邮箱") && !list.contains("初幼教科、"));
}
