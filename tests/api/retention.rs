//! PIPL retention: past a round's retention date, `purge` and
//! the server's daily task delete its raw responses and one-time codes —
//! rows, and on SQLite the bytes in the file — while the aggregate counters,
//! the round and other rounds stay. Old rate-limit events go too.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use kehou_survey::db::schema::{access_codes, answer_counts, audit_log, rate_events, rounds};
use kehou_survey::db::{self, responses::find_by_key};

use crate::helpers::{backend, spawn_app, valid_needs_answers, TestApp};

type CountRow = (i64, i32, String, String, String, i64);

fn counts(app: &TestApp, round: i64) -> Vec<CountRow> {
    app.count_waiting_responses();
    answer_counts::table
        .filter(answer_counts::round_id.eq(round))
        .select((
            answer_counts::school_id,
            answer_counts::grade,
            answer_counts::segment,
            answer_counts::question_id,
            answer_counts::value,
            answer_counts::n,
        ))
        .order((
            answer_counts::school_id,
            answer_counts::grade,
            answer_counts::segment,
            answer_counts::question_id,
            answer_counts::value,
        ))
        .load(&mut app.conn())
        .unwrap()
}

fn codes(app: &TestApp, round: i64) -> i64 {
    access_codes::table
        .filter(access_codes::round_id.eq(round))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

/// A round with `n` responses and 5 unused codes; returns (round, keys).
async fn round_with_data(app: &TestApp, round: i64, n: usize) -> Vec<String> {
    let slug = app.slug(round, "3505820001");
    let mut keys = Vec::new();
    for _ in 0..n {
        keys.push(app.submit(&slug, &valid_needs_answers()).await);
    }
    let school = app.school_id("3505820001");
    let now = app.clock.now();
    db::codes::generate(&mut app.conn(), round, school, &[(3, 1)], 5, now).unwrap();
    keys
}

/// Puts a round's closing and retention dates in the past.
fn expire(app: &TestApp, round: i64) {
    let now = app.clock.now();
    diesel::update(rounds::table.find(round))
        .set((
            rounds::closes_at.eq(now - chrono::Duration::days(400)),
            rounds::retention_until.eq(now - chrono::Duration::days(1)),
        ))
        .execute(&mut app.conn())
        .unwrap();
}

/// The SQLite file and its WAL hold none of these strings.
fn bytes_gone(app: &TestApp, keys: &[String]) {
    if backend() != "sqlite" {
        return;
    }
    for file in [app.db_url.clone(), format!("{}-wal", app.db_url)] {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        for k in keys {
            let found = bytes.windows(k.len()).any(|w| w == k.as_bytes());
            assert!(!found, "{k} is still in the bytes of {file}");
        }
    }
}

#[tokio::test]
async fn purge_deletes_raw_data_past_retention_and_keeps_aggregates() {
    let app = spawn_app().await;
    let old = app.setup_round();
    let current = app.publish("after-school-needs", "-1", "+30");
    let old_keys = round_with_data(&app, old, 3).await;
    let current_keys = round_with_data(&app, current, 2).await;
    let aggregates = counts(&app, old);
    assert!(!aggregates.is_empty());
    expire(&app, old);
    let stale = app.clock.now() - chrono::Duration::days(2);
    diesel::insert_into(rate_events::table)
        .values((rate_events::key_hash.eq("stale"), rate_events::at.eq(stale)))
        .execute(&mut app.conn())
        .unwrap();
    db::rate::record(&mut app.conn(), "fresh", app.clock.now()).unwrap();

    let out = app.cli_ok(&["purge"]);
    assert!(
        out.contains(&format!(
            "第 {old} 轮已过保留期限：删除原始回答 3 份、填写码 5 个"
        )),
        "{out}"
    );
    assert!(out.contains("删除过期的限流记录 1 条"), "{out}");

    // Nothing of the raw data is left: rows, codes, and (SQLite) bytes.
    assert_eq!(app.response_count(old), 0);
    assert_eq!(codes(&app, old), 0);
    for k in &old_keys {
        assert!(find_by_key(&mut app.conn(), k).unwrap().is_none());
    }
    bytes_gone(&app, &old_keys);
    // The aggregates, the round and the other round stay.
    assert_eq!(counts(&app, old), aggregates);
    let round = db::rounds::find(&mut app.conn(), old).unwrap().unwrap();
    assert!(round.purged_at.is_some());
    assert_eq!(app.response_count(current), 2);
    assert_eq!(codes(&app, current), 5);
    for k in &current_keys {
        assert!(find_by_key(&mut app.conn(), k).unwrap().is_some());
    }
    let rate: Vec<String> = rate_events::table
        .select(rate_events::key_hash)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(rate.len(), 1);
    assert_ne!(rate[0], "stale");
    let audit: Vec<String> = audit_log::table
        .filter(audit_log::action.eq("round_purged"))
        .select(audit_log::detail)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(audit, [format!("round={old} responses=3 codes=5")]);

    // Nothing more to do the second time.
    let again = app.cli_ok(&["purge"]);
    assert!(again.contains("没有超过保留期限的调查轮次"), "{again}");
}

#[tokio::test]
async fn the_server_purges_rounds_past_retention_when_it_starts() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let keys = round_with_data(&app, round, 2).await;
    let aggregates = counts(&app, round);
    expire(&app, round);
    // A restart runs the daily task at once.
    let _restarted = app.second_app(|_| {});
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.response_count(round) > 0 || codes(&app, round) > 0 {
        assert!(Instant::now() < deadline, "the server did not purge");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(counts(&app, round), aggregates);
    bytes_gone(&app, &keys);
}

#[tokio::test]
async fn publish_sets_the_retention_date() {
    let app = spawn_app().await;
    app.import_standard_roster();
    let out = app.cli(&[
        "publish",
        "--survey",
        "after-school-needs",
        "--name",
        "保留期",
        "--opens",
        "2026-09-01",
        "--closes",
        "2026-09-15",
        "--retain-until",
        "2026-09-14",
    ]);
    assert!(!out.status.success(), "a retention date before closing");
    let round = |out: String| -> db::rounds::Round {
        let id: i64 = out
            .split("第 ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        db::rounds::find(&mut app.conn(), id).unwrap().unwrap()
    };
    let base = [
        "publish",
        "--survey",
        "after-school-needs",
        "--name",
        "保留期",
        "--opens",
        "2026-09-01",
        "--closes",
        "2026-09-15",
    ];
    let r = round(app.cli_ok(&[&base[..], &["--retain-until", "2027-03-31"]].concat()));
    // The end of 2027-03-31 in China Standard Time, stored in UTC.
    assert_eq!(r.retention_until.to_string(), "2027-03-31 15:59:59");
    let r = round(app.cli_ok(&base));
    assert_eq!(r.retention_until.to_string(), "2027-09-15 15:59:59");
}
