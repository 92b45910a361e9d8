//! PIPL retention: past a round's retention date, `purge` and
//! the server's daily task delete its raw responses and one-time codes —
//! rows, and on SQLite the bytes in the file — while the aggregate counters,
//! the round and other rounds stay. Old rate-limit events go too. The byte scan
//! looks for idempotency keys, one-time codes and an answer's text, and is first
//! shown to find them before the purge.

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

/// What a round's raw data leaves in the database: the responses' idempotency keys, the
/// round's one-time codes and a distinctive answer text.
struct RawData {
    keys: Vec<String>,
    codes: Vec<String>,
    text: String,
}

impl RawData {
    fn strings(&self) -> Vec<String> {
        let mut all = self.keys.clone();
        all.extend(self.codes.iter().cloned());
        all.push(self.text.clone());
        all
    }
}

/// A round with `n` responses, each with the round's own suggestion text, and 5 unused codes.
async fn round_with_data(app: &TestApp, round: i64, n: usize) -> RawData {
    let slug = app.slug(round, "3505820001");
    let text = format!("PLUGHXYZZY{round}QWERTY 希望增加围棋课");
    let mut answers = valid_needs_answers();
    answers.push(("q.suggestion", &text));
    let mut keys = Vec::new();
    for _ in 0..n {
        keys.push(app.submit(&slug, &answers).await);
    }
    let school = app.school_id("3505820001");
    let now = app.clock.now();
    let codes = db::codes::generate(&mut app.conn(), round, school, &[(3, 1)], 5, now)
        .unwrap()
        .into_iter()
        .map(|c| c.code)
        .collect();
    RawData { keys, codes, text }
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

/// The bytes of the SQLite file and its WAL.
fn database_bytes(app: &TestApp) -> Vec<(String, Vec<u8>)> {
    [app.db_url.clone(), format!("{}-wal", app.db_url)]
        .into_iter()
        .filter_map(|f| std::fs::read(&f).ok().map(|b| (f, b)))
        .collect()
}

fn contains(bytes: &[u8], s: &str) -> bool {
    bytes.windows(s.len()).any(|w| w == s.as_bytes())
}

/// Before the purge: the scan finds every one of these strings in the file or its WAL, so
/// that [`bytes_gone`] can fail.
fn bytes_present(app: &TestApp, data: &RawData) {
    if backend() != "sqlite" {
        return;
    }
    let files = database_bytes(app);
    for s in data.strings() {
        assert!(
            files.iter().any(|(_, b)| contains(b, &s)),
            "the scan does not find {s} before the purge"
        );
    }
}

/// The SQLite file and its WAL hold none of these strings.
fn bytes_gone(app: &TestApp, data: &RawData) {
    if backend() != "sqlite" {
        return;
    }
    for (file, bytes) in database_bytes(app) {
        for s in data.strings() {
            assert!(!contains(&bytes, &s), "{s} is still in the bytes of {file}");
        }
    }
}

#[tokio::test]
async fn purge_deletes_raw_data_past_retention_and_keeps_aggregates() {
    let app = spawn_app().await;
    let old = app.setup_round();
    let current = app.publish("after-school-needs", "-1", "+30");
    let old_data = round_with_data(&app, old, 3).await;
    let current_data = round_with_data(&app, current, 2).await;
    let aggregates = counts(&app, old);
    assert!(!aggregates.is_empty());
    bytes_present(&app, &old_data);
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
    for k in &old_data.keys {
        assert!(find_by_key(&mut app.conn(), k).unwrap().is_none());
    }
    bytes_gone(&app, &old_data);
    // The aggregates, the round and the other round stay.
    assert_eq!(counts(&app, old), aggregates);
    let round = db::rounds::find(&mut app.conn(), old).unwrap().unwrap();
    assert!(round.purged_at.is_some());
    assert_eq!(app.response_count(current), 2);
    assert_eq!(codes(&app, current), 5);
    bytes_present(&app, &current_data);
    for k in &current_data.keys {
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
    let data = round_with_data(&app, round, 2).await;
    let aggregates = counts(&app, round);
    bytes_present(&app, &data);
    expire(&app, round);
    // A restart runs the daily task at once.
    let _restarted = app.second_app(|_| {});
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.response_count(round) > 0 || codes(&app, round) > 0 {
        assert!(Instant::now() < deadline, "the server did not purge");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(counts(&app, round), aggregates);
    bytes_gone(&app, &data);
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
