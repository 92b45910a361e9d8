//! Mail about complaints over real SMTP: overdue rectifications reach the school and the
//! township once a day however many instances run, and with no office mailbox set nothing
//! is mailed anywhere.

use kehou_survey::app::{overdue, rectification};
use kehou_survey::db::{self, complaints::NewComplaint};
use kehou_survey::domain::account::Role;

use crate::email::{parse, read_messages, start_smtp, wait_for};
use crate::helpers::{at_local, encode, spawn_app_with, TestApp};
use crate::rectification::{make_staff, send_standing};

fn smtp_settings(port: u16) -> impl FnOnce(&mut kehou_survey::config::Settings) {
    move |s| {
        s.email.smtp_host = Some("127.0.0.1".into());
        s.email.smtp_port = port;
        s.email.smtp_tls = kehou_survey::email::TlsMode::None;
        s.email.from = "晋江市教育局 <noreply@jj.example.cn>".into();
    }
}

fn user(app: &TestApp, email: &str) -> db::users::User {
    db::users::find_by_email(&mut app.conn(), email)
        .unwrap()
        .unwrap()
}

/// A complaint about `school_code`, assigned and planned with a deadline `days` ahead.
async fn rectifying(app: &TestApp, school_code: &str, body: &str, days: i64) -> i64 {
    let mut c = app.conn();
    let school = db::schools::find_by_code(&mut c, school_code)
        .unwrap()
        .unwrap();
    let id = db::complaints::insert(
        &mut c,
        &NewComplaint {
            school_id: Some(school.id),
            township_id: Some(school.township_id),
            kind: "complaint".into(),
            body: body.into(),
            contact: Some("电话 13900000000".into()),
            office: "primary".into(),
        },
        app.clock.now(),
    )
    .unwrap();
    let bureau = user(app, "admin@bureau.cn");
    rectification::assign(&app.state, &bureau, id, school.id)
        .await
        .unwrap();
    let due = (kehou_survey::domain::time::to_local(app.clock.now())
        + chrono::Duration::days(days))
    .format("%Y-%m-%d")
    .to_string();
    rectification::plan(&app.state, &bureau, id, "限期整改", &due)
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn overdue_rectifications_are_mailed_daily_once_across_instances() {
    let Some(smtp) = start_smtp() else { return };
    let app = spawn_app_with(smtp_settings(smtp.port)).await;
    app.clock.set(at_local("2026-11-18 15:00"));
    app.import_standard_roster();
    make_staff(&app);
    rectifying(&app, "3505820001", "托管时段安排不合理", 1).await;
    rectifying(&app, "3505820003", "收费项目未公示", 1).await;
    rectifying(&app, "3505820001", "尚未到期的事项", 10).await;
    let other = app.second_app(smtp_settings(smtp.port));
    other.clock.set(app.clock.now());
    let maildir = smtp.dir.path().join("mail");

    // Nothing is overdue yet.
    assert_eq!(overdue::send_if_due(&app.state).await.unwrap(), 0);
    assert_eq!(overdue::send_if_due(&other.state).await.unwrap(), 0);

    // Two days on, both instances check at once: one of them sends.
    for a in [&app, &other] {
        a.clock.advance(chrono::Duration::days(2));
    }
    let (x, y) = tokio::join!(
        overdue::send_if_due(&app.state),
        overdue::send_if_due(&other.state)
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(
        (x.min(y), x.max(y)),
        (0, 3),
        "one instance sent three mails"
    );
    let mails: Vec<_> = wait_for(&maildir, 3)
        .await
        .iter()
        .map(|m| parse(m))
        .collect();
    let mut to: Vec<&str> = mails.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    // School A's administrator, its township officer, and school 3 through the roster's
    // address (its township has no officer).
    assert_eq!(to, ["a@school.cn", "cz@example.edu.cn", "qy@town.cn"]);
    let school = mails.iter().find(|m| m.to == "a@school.cn").unwrap();
    assert_eq!(school.subject, "整改逾期提醒：1 件事项已超过整改期限");
    assert!(school.text.contains("托管时段安排不合理"));
    assert!(!school.text.contains("尚未到期的事项"));
    assert!(mails.iter().all(|m| !m.text.contains("13900000000")));

    // Later the same day, neither sends again; the next day, once more.
    app.clock.advance(chrono::Duration::hours(3));
    other.clock.advance(chrono::Duration::hours(3));
    assert_eq!(overdue::send_if_due(&app.state).await.unwrap(), 0);
    assert_eq!(overdue::send_if_due(&other.state).await.unwrap(), 0);
    for a in [&app, &other] {
        a.clock.advance(chrono::Duration::days(1));
    }
    let sent = overdue::send_if_due(&other.state).await.unwrap()
        + overdue::send_if_due(&app.state).await.unwrap();
    assert_eq!(sent, 3);
    assert_eq!(wait_for(&maildir, 6).await.len(), 6);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        read_messages(&maildir).len(),
        6,
        "no mail beyond the two days'"
    );
    assert!(app.audit_actions().iter().any(|a| a == "email_overdue"));
}

#[tokio::test]
async fn with_no_office_mailbox_set_no_complaint_is_mailed_anywhere() {
    let Some(smtp) = start_smtp() else { return };
    let app = spawn_app_with(smtp_settings(smtp.port)).await;
    let round = app.setup_round();
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let maildir = smtp.dir.path().join("mail");
    // From a survey link (a primary and a junior school) and from the standing channel.
    for code in ["3505820001", "3505820003"] {
        let slug = app.slug(round, code);
        let r = app
            .client
            .post(format!("{}/s/{slug}/feedback", app.address))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(encode(&[
                ("kind", "complaint"),
                ("body", "课后服务时间太短"),
                ("contact", ""),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    assert_eq!(
        send_standing(&app, "", "", "没有指明学校的意见", "")
            .await
            .0,
        200
    );
    // Mail does work here: an invitation arrives.
    let bureau = app.signed_in("admin@bureau.cn").await;
    let csrf = bureau.csrf_from("/admin/accounts").await;
    let r = bureau
        .post(
            "/admin/accounts",
            &[
                ("csrf", &csrf),
                ("name", "王老师"),
                ("email", "wang@school.cn"),
                ("role", "school"),
                ("school_code", "3505820001"),
                ("township_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    wait_for(&maildir, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let mails: Vec<_> = read_messages(&maildir).iter().map(|m| parse(m)).collect();
    assert_eq!(mails.len(), 1, "only the invitation was mailed");
    assert_eq!(mails[0].to, "wang@school.cn");
    // The complaints are all stored and shown, under the warning.
    let (_, list) = bureau.get_html("/admin/complaints").await;
    assert!(list.contains("尚未设置初幼教科、中教科接收举报的邮箱"));
    assert_eq!(list.matches("课后服务时间太短").count(), 2);
    assert!(list.contains("没有指明学校的意见"));
    assert!(!app.audit_actions().iter().any(|a| a == "email_complaint"));
}
