//! When the database cannot store (disk full, read-only), a
//! parent gets a 503 page with every answer kept and the same form key, never
//! a false success; once the fault is gone the same server stores the retry.
//!
//! The fault is injected into the writer's own connection with SQLite's
//! limits (`max_page_count`, `query_only`) or PostgreSQL's
//! `default_transaction_read_only`: the tests run as root, which ignores file
//! permissions, and a size-limited filesystem needs privileges. SQLite then
//! fails the batch with the very error codes of a full disk (SQLITE_FULL)
//! and of a read-only file (SQLITE_READONLY).

use kehou_survey::db::responses::find_by_key;
use kehou_survey::db::writer::Fault;

use crate::helpers::{
    assert_kept, backend, encode, html_of, spawn_app, valid_needs_answers, with_meta, TestApp,
};

/// Submits fresh forms until one is refused; checks the refusal page and
/// that nothing refused is stored. Returns (acknowledged keys, refused key).
async fn submit_until_refused(app: &TestApp, slug: &str) -> (Vec<String>, String) {
    let answers = valid_needs_answers();
    let mut acked = Vec::new();
    for _ in 0..2000 {
        let (_, key) = app.open_form(slug, None).await;
        let resp = app
            .post_form(slug, encode(&with_meta(&key, &answers)))
            .await;
        match resp.status().as_u16() {
            303 => acked.push(key),
            503 => {
                assert!(resp.headers().contains_key("retry-after"));
                let html = html_of(resp).await;
                assert!(
                    html.contains("系统暂时无法保存，您的回答尚未提交"),
                    "{html}"
                );
                assert_kept(&html, &answers);
                assert!(html.contains(&format!("name=\"idem\" value=\"{key}\"")));
                assert!(find_by_key(&mut app.conn(), &key).unwrap().is_none());
                return (acked, key);
            }
            s => panic!("unexpected status {s}"),
        }
    }
    panic!("the fault never refused a submission");
}

async fn refused_while_faulty_then_recovers(app: &TestApp, fault: Fault) -> (usize, usize) {
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    app.submit(&slug, &valid_needs_answers()).await;
    app.state.writer.inject_fault(fault);
    let (acked, key) = submit_until_refused(app, &slug).await;
    let body = encode(&with_meta(&key, &valid_needs_answers()));

    // Still faulty after the writer has reconnected: the parent's retry, and
    // a JSON client, are refused again, and nothing is stored.
    let mut refusals = 1;
    for _ in 0..3 {
        assert_eq!(app.post_form(&slug, body.clone()).await.status(), 503);
        refusals += 1;
    }
    let r = app.post_json_client(&slug, &body).await;
    assert_eq!(r.status(), 503);
    let json: serde_json::Value = r.json().await.unwrap();
    assert!(json["error"].as_str().unwrap().contains("尚未提交"));
    refusals += 1;
    assert!(find_by_key(&mut app.conn(), &key).unwrap().is_none());
    let count = app.response_count(round);

    // The fault is gone: the same server stores the retry, once.
    app.state.writer.inject_fault(Fault::None);
    let resp = app.post_form(&slug, body.clone()).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(app.response_count(round), count + 1);
    assert_eq!(app.stored_answers(&key)["need"], "yes");
    for k in &acked {
        assert!(find_by_key(&mut app.conn(), k).unwrap().is_some());
    }
    assert_eq!(app.post_form(&slug, body).await.status(), 303);
    assert_eq!(app.response_count(round), count + 1);
    (acked.len(), refusals)
}

#[tokio::test]
async fn a_full_disk_refuses_with_503_keeps_the_answers_and_recovers() {
    if backend() != "sqlite" {
        println!("skipped: the disk-full fault is SQLite's max_page_count");
        return;
    }
    let app = spawn_app().await;
    let (fitted, refused) = refused_while_faulty_then_recovers(&app, Fault::DiskFull).await;
    println!("disk full: {fitted} stored in the last free pages, then {refused} refused, 0 false successes");
}

#[tokio::test]
async fn a_read_only_database_refuses_with_503_keeps_the_answers_and_recovers() {
    let app = spawn_app().await;
    let (fitted, refused) = refused_while_faulty_then_recovers(&app, Fault::ReadOnly).await;
    assert_eq!(fitted, 0, "a read-only database stores nothing");
    println!(
        "read-only ({}): {refused} refused, 0 false successes",
        backend()
    );
}

/// More submissions at once than the bounded queue holds: the overflow is refused at once with
/// 503 and `Retry-After`, the page keeps every answer, and every 303 is a stored response.
#[tokio::test]
async fn a_full_queue_refuses_with_503_and_retry_after_and_keeps_the_answers() {
    let app = crate::helpers::spawn_app_with(|s| {
        s.queue_capacity = 1;
        s.max_batch = 1;
    })
    .await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let mut answers = valid_needs_answers();
    answers.retain(|(k, _)| *k != "q.suggestion");
    answers.push(("q.suggestion", "希望增加科学实验课"));
    let mut bodies = Vec::new();
    for _ in 0..60 {
        let (_, idem) = app.open_form(&slug, None).await;
        bodies.push(encode(&with_meta(&idem, &answers)));
    }
    let replies =
        futures_util::future::join_all(bodies.into_iter().map(|b| app.post_form(&slug, b))).await;
    let (mut stored, mut refused) = (0, 0);
    for r in replies {
        match r.status().as_u16() {
            303 => stored += 1,
            503 => {
                refused += 1;
                assert_eq!(r.headers()["retry-after"], "5");
                let html = r.text().await.unwrap();
                assert!(html.contains("提交的人数较多"), "{html}");
                assert!(html.contains("希望增加科学实验课"), "answers kept");
            }
            s => panic!("unexpected {s}"),
        }
    }
    assert!(refused > 0, "60 at once overflow a queue of 1");
    assert_eq!(app.response_count(round), stored);
}
