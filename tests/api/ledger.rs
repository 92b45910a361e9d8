//! The monthly ledger (台账月报告): the figures in its workbook against what was submitted and
//! planned (responses after the month's end left out), the bureau's page and download, sending
//! it on demand, and the scheduled send happening once per month however many instances ask.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use diesel::prelude::*;
use kehou_survey::db::schema::responses;
use kehou_survey::domain::account::Role;
use kehou_survey::domain::month::Month;
use mail_parser::{MessageParser, MimeHeaders};

use crate::helpers::{at_local, spawn_app_with, test_clock, valid_needs_answers, TestApp};
use crate::plans::{good_rows, roster, workbook};

pub(crate) fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an XLSX");
    wb.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn row<'a>(rows: &'a [Vec<String>], first: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r.first().is_some_and(|c| c == first))
        .unwrap_or_else(|| panic!("no row {first} in {rows:?}"))
}

/// The 20th of the test clock's month, 10:00: never in a ledger's due week (which ends by the
/// 9th), so the server's own scheduled check sends nothing while the test runs.
fn not_due() -> chrono::NaiveDateTime {
    let month = Month::containing(test_clock().now());
    at_local(&format!("{month}-20 10:00"))
}

fn mails(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

/// Another instance on `app`'s database whose clock reads `at`, mailing to the same outbox.
fn instance_at(app: &TestApp, outbox: &std::path::Path, at: chrono::NaiveDateTime) -> TestApp {
    let dir = outbox.to_path_buf();
    app.second_app(move |s| {
        s.clock = kehou_survey::clock::Clock::fixed(at);
        s.email.smtp_host = None;
        s.email.outbox_dir = dir;
        s.email.ledger_recipients = vec![
            "ledger@bureau.example.cn".into(),
            "kz@bureau.example.cn".into(),
        ];
    })
}

#[tokio::test]
async fn the_ledger_reports_a_months_rounds_rates_plans_and_targets_and_is_sent_once() {
    let outbox = tempfile::tempdir().unwrap();
    let dir = outbox.path().to_path_buf();
    let app = spawn_app_with(move |s| {
        s.clock = kehou_survey::clock::Clock::fixed(not_due());
        s.email.smtp_host = None;
        s.email.outbox_dir = dir;
        s.email.ledger_recipients = vec![
            "ledger@bureau.example.cn".into(),
            "kz@bureau.example.cn".into(),
        ];
    })
    .await;
    assert!(app.import_roster(&roster()).status.success());
    let round = app.publish("after-school-needs", "-1", "+30");
    let slug = app.slug(round, "3505820001");
    for _ in 0..5 {
        app.submit(&slug, &valid_needs_answers()).await;
    }
    app.cli_ok(&["import-plans", &workbook(&app, "plan.xlsx", &good_rows())]);
    // Two responses arrive after the month's end: the month's ledger leaves them out.
    let month = Month::containing(app.clock.now());
    let late: Vec<i64> = responses::table
        .select(responses::id)
        .order(responses::id.desc())
        .limit(2)
        .load(&mut app.conn())
        .unwrap();
    diesel::update(responses::table.filter(responses::id.eq_any(&late)))
        .set(responses::submitted_at.eq(month.end_utc() + chrono::Duration::hours(1)))
        .execute(&mut app.conn())
        .unwrap();

    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let resp = bureau
        .get(&format!("/admin/ledger?month={month}&format=xlsx"))
        .await;
    assert_eq!(resp.status(), 200);
    let bytes = resp.bytes().await.unwrap();

    let schools = sheet(&bytes, "学校");
    let one = row(&schools, "3505820001");
    assert_eq!(one[6], "2026秋 · 2+3");
    assert_eq!((one[7].as_str(), one[8].as_str()), ("是", "是"));
    assert_eq!(one[9], "3", "responses by the month's end");
    let rate: f64 = one[10].parse().unwrap();
    assert!((rate - 3.0 / 1204.0).abs() < 1e-12, "{rate}");
    let four = row(&schools, "3505820004");
    assert_eq!(four[6], "2026秋 · 2+2");
    assert_eq!((four[7].as_str(), four[8].as_str()), ("否", "否"));
    assert_eq!(row(&schools, "3505820002")[6], "未填报");
    assert_eq!(row(&schools, "3505820002")[9], "0");

    let summary = sheet(&bytes, "汇总");
    let r = row(&summary, &format!("第 {round} 轮：测试轮次"));
    assert_eq!((r[2].as_str(), r[4].as_str()), ("4", "3"));
    // Urban schools: 0001 (111) and 0004 (112); one runs 2+3 and offers science.
    let t = row(&summary, "开展“2+3”及以上");
    assert_eq!((t[2].as_str(), t[3].as_str()), ("2", "1"));
    let missing = sheet(&bytes, "未达标学校");
    assert_eq!(missing.len(), 2, "a header and one school: {missing:?}");
    assert_eq!(missing[1][1], "3505820004");

    // The page; a month without rounds; a month that is not one.
    let (status, html) = bureau
        .get_html(&format!("/admin/ledger?month={month}"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("ledger@bureau.example.cn"), "{html}");
    let (_, html) = bureau.get_html("/admin/ledger?month=2020-01").await;
    assert!(html.contains("没有进行中的调查轮次"), "{html}");
    assert_eq!(
        bureau.get("/admin/ledger?month=2026-13").await.status(),
        400
    );
    assert_eq!(bureau.get("/admin/ledger?format=pdf").await.status(), 400);

    // On demand: one message per address, the workbook attached.
    let csrf = bureau.csrf_from("/admin/ledger").await;
    let page = bureau
        .post(
            "/admin/ledger",
            &[("csrf", &csrf), ("month", &month.to_string())],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("已发送给 2 个邮箱"), "{page}");
    assert_eq!(mails(outbox.path()), 2);
    for entry in std::fs::read_dir(outbox.path()).unwrap() {
        let raw = std::fs::read(entry.unwrap().path()).unwrap();
        let m = MessageParser::default().parse(&raw).unwrap();
        assert!(m.subject().unwrap().contains("台账月报告"));
        let att = m.attachments().next().expect("the workbook");
        assert_eq!(
            att.attachment_name(),
            Some(format!("台账月报告-{month}.xlsx").as_str())
        );
        assert_eq!(sheet(att.contents(), "学校"), schools);
    }

    // The server's own hourly check ran at start-up, outside the due week: nothing more sent.
    assert_eq!(mails(outbox.path()), 2);

    // On schedule: due in the week from next month's first working day, sent by whoever claims
    // it first. Two more instances start on that day; both check at start-up, one sends.
    let next = month.next();
    let due_at = at_local(&format!("{} 09:00", next.first_working_day()));
    let a = instance_at(&app, outbox.path(), due_at);
    let b = instance_at(&app, outbox.path(), due_at + chrono::Duration::days(6));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while mails(outbox.path()) < 4 {
        assert!(
            std::time::Instant::now() < deadline,
            "the scheduled ledger was not sent"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let sent = kehou_survey::db::ledger::sent_at(&mut app.conn(), month).unwrap();
    assert!(
        sent.is_some_and(|t| t == due_at || t == b.clock.now()),
        "{sent:?}"
    );
    // However many instances ask again, and whenever in the week, it is not sent twice.
    for i in [&a, &b, &app] {
        let s = &i.state;
        let to = &s.ledger_recipients;
        for at in [due_at, due_at + chrono::Duration::days(3)] {
            let again =
                kehou_survey::email::ledger::send_if_due(&s.pool, &s.mailer, to, at, 30.0).await;
            assert_eq!(again.unwrap(), None);
        }
    }
    // Outside the due week nothing is sent, even for a month never sent: the day before the
    // month after next's first working day, and a week after it.
    let s = &app.state;
    let to = &s.ledger_recipients;
    let after = next.next().first_working_day();
    for day in [after.pred_opt().unwrap(), after + chrono::Duration::days(7)] {
        let at = at_local(&format!("{day} 09:00"));
        let r = kehou_survey::email::ledger::send_if_due(&s.pool, &s.mailer, to, at, 30.0).await;
        assert_eq!(r.unwrap(), None, "{day}");
    }
    assert_eq!(
        kehou_survey::db::ledger::sent_at(&mut app.conn(), next).unwrap(),
        None
    );
    assert_eq!(mails(outbox.path()), 4);
    let audit = app.audit_actions();
    assert!(audit.iter().any(|a| a == "email_ledger"), "{audit:?}");
    assert!(audit.iter().any(|a| a == "ledger_export"), "{audit:?}");
}
