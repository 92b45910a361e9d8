//! The real server binary under concurrent submissions is killed
//! with SIGKILL mid-load and restarted on the same database, cycle after
//! cycle. Every submission that received its 303 must be stored, exactly
//! once and whole; SQLite must pass `PRAGMA integrity_check`.
//! Figures for RELIABILITY.md: run with `-- --nocapture` to see them.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use kehou_survey::db::{self, schema::responses, DbConnection};
use kehou_survey::domain::token::random_token;

use crate::helpers::{backend, encode, spawn_app, valid_needs_answers, with_meta, TestApp};
use crate::process::ServerProcess;

const CYCLES: u64 = 10;
const CLIENTS: usize = 8;

/// What the clients saw in one run of load.
#[derive(Default)]
pub struct Load {
    /// Every idempotency key sent.
    pub sent: HashSet<String>,
    /// Keys that received their 303.
    pub acked: Vec<String>,
    /// Other statuses (a 503 when overloaded is allowed; never a 5xx crash page).
    pub refused: usize,
}

/// Load running against a server: what the clients saw so far.
pub struct Running {
    pub seen: Arc<Mutex<Load>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    pub fn acked(&self) -> usize {
        self.seen.lock().unwrap().acked.len()
    }

    /// Waits until `n` submissions have been acknowledged.
    pub async fn wait_for_acks(&self, n: usize) {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while self.acked() < n {
            assert!(std::time::Instant::now() < deadline, "no acknowledgements");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Waits for every client to stop (the server is gone, or `stop` set).
    pub async fn finish(self) -> Load {
        for t in self.tasks {
            t.await.unwrap();
        }
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

/// Posts valid submissions to `base` from `CLIENTS` concurrent clients, each
/// with a fresh idempotency key, until `stop` is set or the server is gone.
pub fn start_load(base: &str, slug: &str, stop: Arc<Mutex<bool>>) -> Running {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let seen = Arc::new(Mutex::new(Load::default()));
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (client, load, stop) = (client.clone(), seen.clone(), stop.clone());
        let url = format!("{base}/s/{slug}");
        tasks.push(tokio::spawn(async move {
            let answers = valid_needs_answers();
            while !*stop.lock().unwrap() {
                let key = random_token(26);
                load.lock().unwrap().sent.insert(key.clone());
                let sent = client
                    .post(&url)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(encode(&with_meta(&key, &answers)))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == 303 => load.lock().unwrap().acked.push(key),
                    Ok(r) => {
                        assert_eq!(r.status(), 503, "only an overload may refuse");
                        load.lock().unwrap().refused += 1;
                    }
                    // Killed: the connection was reset or refused.
                    Err(_) => break,
                }
            }
        }));
    }
    Running { seen, tasks }
}

#[derive(QueryableByName)]
struct TextRow {
    #[diesel(sql_type = Text)]
    v: String,
}

#[derive(QueryableByName)]
struct IntRow {
    #[diesel(sql_type = Integer)]
    v: i32,
}

/// `PRAGMA integrity_check` of an SQLite file ("ok" when sound).
pub fn integrity_check(url: &str) -> String {
    let mut c = SqliteConnection::establish(url).unwrap();
    diesel::sql_query("SELECT integrity_check AS v FROM pragma_integrity_check()")
        .load::<TextRow>(&mut c)
        .unwrap()
        .into_iter()
        .map(|r| r.v)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Key, answers, round, school, grade, class.
type StoredRow = (String, String, i64, i64, Option<i32>, Option<i32>);

/// Checks the stored responses of a database against what clients saw:
/// every acknowledged key once, no key twice, no key nobody sent, every row
/// whole (the answers that were sent, its school and round). Returns the
/// number of rows.
pub fn check_store(conn: &mut DbConnection, round: i64, school: i64, load: &Load) -> usize {
    let rows: Vec<StoredRow> = responses::table
        .filter(responses::round_id.eq(round))
        .select((
            responses::idempotency_key,
            responses::answers,
            responses::round_id,
            responses::school_id,
            responses::grade,
            responses::class_no,
        ))
        .load(conn)
        .unwrap();
    let keys: HashSet<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(keys.len(), rows.len(), "a key is stored twice");
    let lost: Vec<_> = load
        .acked
        .iter()
        .filter(|k| !keys.contains(k.as_str()))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged submissions lost: {lost:?}",
        lost.len()
    );
    let expected_need = "yes";
    for (key, answers, r, s, grade, class) in &rows {
        assert!(load.sent.contains(key), "a row nobody sent: {key}");
        assert_eq!((*r, *s, *grade, *class), (round, school, Some(3), Some(2)));
        let a: serde_json::Value = serde_json::from_str(answers)
            .unwrap_or_else(|e| panic!("half-written answers for {key}: {e}: {answers}"));
        assert_eq!(a["need"], expected_need, "answers of {key}: {answers}");
        assert_eq!(
            a["top3"],
            serde_json::json!(["science", "sports", "reading"])
        );
    }
    rows.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_load_loses_no_acknowledged_submission() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let school = app.school_id("3505820001");
    let mut total = Load::default();
    let mut in_flight_at_kill = 0;
    for cycle in 0..CYCLES {
        let server = ServerProcess::start(&app.db_url).await;
        let stop = Arc::new(Mutex::new(false));
        let running = start_load(&server.address, &slug, stop);
        // Kill at a different moment in each cycle: 50–500 ms after the
        // first acknowledgement, while every client has a request in flight.
        running.wait_for_acks(1).await;
        tokio::time::sleep(Duration::from_millis(50 + cycle * 50)).await;
        drop(server); // SIGKILL (Child::kill), then reap
        let load = running.finish().await;
        assert!(
            !load.acked.is_empty(),
            "cycle {cycle}: no submission was acknowledged"
        );
        let unanswered = load.sent.len() - load.acked.len() - load.refused;
        in_flight_at_kill += unanswered;
        let rows = check_store(&mut app.conn(), round, school, merge(&mut total, load));
        if backend() == "sqlite" {
            assert_eq!(integrity_check(&app.db_url), "ok", "cycle {cycle}");
        }
        println!(
            "cycle {cycle}: {} acknowledged so far, {rows} rows, {unanswered} in flight at the kill",
            total.acked.len()
        );
    }
    println!(
        "crash test ({}): {CYCLES} kills, {} submissions sent, {} acknowledged, {in_flight_at_kill} in flight at a kill, 0 lost",
        backend(),
        total.sent.len(),
        total.acked.len()
    );
    assert!(
        in_flight_at_kill > 0,
        "no kill ever hit a submission in flight"
    );
}

fn merge(total: &mut Load, cycle: Load) -> &Load {
    total.sent.extend(cycle.sent);
    total.acked.extend(cycle.acked);
    total.refused += cycle.refused;
    total
}

/// The SQLite settings every connection of the app gets are the ones that
/// make a 303 durable on power loss: WAL with `synchronous = FULL` (2), so
/// each commit syncs the WAL before the writer answers.
#[tokio::test]
async fn sqlite_connections_sync_every_commit() {
    if backend() != "sqlite" {
        return;
    }
    let app: TestApp = spawn_app().await;
    let DbConnection::Sqlite(mut c) = db::establish(&app.db_url).unwrap() else {
        panic!("an SQLite connection");
    };
    let sync = diesel::sql_query("SELECT synchronous AS v FROM pragma_synchronous()")
        .load::<IntRow>(&mut c)
        .unwrap();
    assert_eq!(sync[0].v, 2, "synchronous = FULL");
    let mode = diesel::sql_query("SELECT journal_mode AS v FROM pragma_journal_mode()")
        .load::<TextRow>(&mut c)
        .unwrap();
    assert_eq!(mode[0].v, "wal");
}
