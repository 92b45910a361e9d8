//! `spawn_app()`: the real server on port 0 with its own fresh database —
//! an SQLite file in a temp folder, or, when `TEST_DATABASE_URL` is set, a new
//! PostgreSQL database that is dropped afterwards — plus helpers for the
//! common steps (CLI commands, roster import, publishing, the parent's form).

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use kehou_survey::clock::Clock;
use kehou_survey::config::Settings;
use kehou_survey::db::{self, DbConnection};
use kehou_survey::startup::{AppState, Application};

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub db_url: String,
    pub client: reqwest::Client,
    pub state: Arc<AppState>,
    /// The app's clock: fixed at [`test_clock`]'s instant, moved only by the test.
    pub clock: Clock,
    /// The survey folder this app (and its CLI runs) reads.
    pub survey_dir: PathBuf,
    _dir: tempfile::TempDir,
    _pg: Option<PgDatabase>,
}

/// A throwaway PostgreSQL database, dropped with the test.
pub struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut c) = PgConnection::establish(&self.admin_url) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

pub fn survey_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("survey-definitions")
}

/// Which backend this run tests: PostgreSQL if `TEST_DATABASE_URL` is set.
pub fn backend() -> &'static str {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        "postgres"
    } else {
        "sqlite"
    }
}

pub fn fresh_database(dir: &tempfile::TempDir) -> (String, Option<PgDatabase>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!(
                "kehou_test_{}",
                kehou_survey::domain::token::random_token(12).to_lowercase()
            );
            let mut c = PgConnection::establish(&admin_url).expect("TEST_DATABASE_URL reachable");
            c.batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create test database");
            let base = admin_url
                .rsplit_once('/')
                .map_or(admin_url.as_str(), |(b, _)| b);
            (
                format!("{base}/{name}"),
                Some(PgDatabase {
                    admin_url: admin_url.clone(),
                    name,
                }),
            )
        }
        _ => (
            dir.path().join("survey.db").to_string_lossy().into_owned(),
            None,
        ),
    }
}

/// The instant every test app starts at: `TEST_CLOCK` (RFC 3339) when set, so
/// that `.ci/run` can run the suite on the dates that break date-dependent code
/// (a month's first working day, its last day, 29 February, New Year's Eve at
/// midnight), otherwise an ordinary Wednesday afternoon. Never the wall clock.
pub fn test_clock() -> Clock {
    let at = std::env::var("TEST_CLOCK")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "2026-11-18T15:00:00+08:00".into());
    Clock::parse_fixed(&at).expect("TEST_CLOCK is an RFC 3339 instant")
}

/// A UTC instant from China Standard Time, e.g. `at_local("2027-02-01 09:00")`.
pub fn at_local(local: &str) -> chrono::NaiveDateTime {
    kehou_survey::domain::time::parse_local(local, kehou_survey::domain::time::DayEdge::Start)
        .expect("a local time")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    kehou_survey::cli::init_tracing_for_tests();
    let dir = tempfile::tempdir().expect("temp dir");
    let (db_url, pg) = fresh_database(&dir);
    start(db_url, dir, pg, tweak)
}

fn start(
    db_url: String,
    dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
    tweak: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = Settings {
        database_url: db_url.clone(),
        host: "127.0.0.1".into(),
        port: 0,
        survey_dir: survey_dir(),
        data_dir: dir.path().join("data"),
        workers: 2,
        pool_size: 4,
        clock: test_clock(),
        ..Settings::default()
    };
    tweak(&mut settings);
    let survey_dir = settings.survey_dir.clone();
    let app = Application::build(settings).expect("application builds");
    let port = app.port();
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        db_url,
        client,
        clock: state.clock.clone(),
        state,
        survey_dir,
        _dir: dir,
        _pg: pg,
    }
}

/// Copies the shipped survey folder into `dst` (for tests that edit definitions).
pub fn copy_survey_dir(dst: &Path) {
    std::fs::create_dir_all(dst).expect("create survey dir");
    for entry in std::fs::read_dir(survey_dir()).expect("read survey dir") {
        let entry = entry.expect("dir entry");
        std::fs::copy(entry.path(), dst.join(entry.file_name())).expect("copy definition");
    }
}

/// A small roster: two urban primary schools, one rural junior middle school.
pub const ROSTER_CSV: &str = "\u{feff}学校代码,学校名称,乡镇街道,学段,城乡分类代码,一年级人数,二年级人数,三年级人数,四年级人数,五年级人数,六年级人数,七年级人数,八年级人数,九年级人数,联系邮箱
3505820001,晋江市青阳中心小学,青阳街道,小学,111,200,210,190,205,198,201,0,0,0,qy@example.edu.cn
3505820002,晋江市安海镇养正小学,安海镇,小学,121,120,118,115,110,109,100,0,0,0,
3505820003,晋江市磁灶中学,磁灶镇,初中,220,0,0,0,0,0,0,300,310,305,cz@example.edu.cn
";

impl TestApp {
    pub fn conn(&self) -> DbConnection {
        db::establish(&self.db_url).expect("test database")
    }

    /// Another server on this app's database (as after a restart), built
    /// with `tweak` applied to its settings. The database stays owned by `self`.
    pub fn second_app(&self, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        start(self.db_url.clone(), dir, None, tweak)
    }

    /// Runs the real CLI binary against this app's database and survey folder.
    pub fn cli(&self, args: &[&str]) -> Output {
        self.cli_in(&self.survey_dir, args)
    }

    /// Runs the real CLI binary with `SURVEY_DIR` set to `dir`.
    pub fn cli_in(&self, dir: &Path, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_kehou-survey"))
            .args(args)
            .env("DATABASE_URL", &self.db_url)
            .env("SURVEY_DIR", dir)
            .env("SURVEY_PUBLIC_URL", &self.address)
            .env("SURVEY_CLOCK", self.clock.to_rfc3339())
            .env("RUST_LOG", "warn")
            .output()
            .expect("run the CLI")
    }

    /// A path in this app's temp folder.
    pub fn temp_path(&self, name: &str) -> PathBuf {
        self._dir.path().join(name)
    }

    pub fn school_count(&self) -> usize {
        db::schools::list(&mut self.conn()).expect("schools").len()
    }

    /// The stored answers JSON of the response with this idempotency key.
    pub fn stored_answers(&self, idem: &str) -> serde_json::Value {
        let stored = db::responses::find_by_key(&mut self.conn(), idem)
            .expect("query")
            .expect("response stored");
        serde_json::from_str(&stored.answers).expect("answers JSON")
    }

    pub fn cli_ok(&self, args: &[&str]) -> String {
        let out = self.cli(args);
        assert!(
            out.status.success(),
            "CLI {args:?} failed:\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn import_roster(&self, csv: &str) -> Output {
        let path = self._dir.path().join("roster.csv");
        std::fs::write(&path, csv).expect("write roster");
        self.cli(&["import-schools", path.to_str().expect("utf-8 path")])
    }

    /// Imports the standard roster and publishes the needs survey to all of
    /// it, open from yesterday for a month. Returns the round id.
    /// Adds the responses committed in the last second to the answer counters now, instead of
    /// waiting for the counting thread.
    pub fn count_waiting_responses(&self) {
        kehou_survey::db::counts::fold_all(&mut self.conn(), &self.state.catalog.versions())
            .expect("counting");
    }

    /// The standard roster and an open needs round that asks everything, the optional summer
    /// section included.
    pub fn setup_round(&self) -> i64 {
        self.import_standard_roster();
        let dir = self.survey_dir.clone();
        self.publish_with(
            &dir,
            "after-school-needs",
            ("-1", "+30"),
            &["--sections", "summer"],
        )
    }

    pub fn import_standard_roster(&self) {
        let out = self.import_roster(ROSTER_CSV);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Publishes a round; `opens`/`closes` are day offsets from the app clock's day.
    pub fn publish(&self, survey: &str, opens: &str, closes: &str) -> i64 {
        self.publish_in(&self.survey_dir, survey, opens, closes)
    }

    /// Publishes a round with the CLI reading the survey folder `dir`.
    pub fn publish_in(&self, dir: &Path, survey: &str, opens: &str, closes: &str) -> i64 {
        self.publish_with(dir, survey, (opens, closes), &[])
    }

    /// [`TestApp::publish_in`] with more CLI arguments (`--sections`, `--codes-required`).
    pub fn publish_with(
        &self,
        dir: &Path,
        survey: &str,
        (opens, closes): (&str, &str),
        extra: &[&str],
    ) -> i64 {
        let day = |off: &str| {
            let n: i64 = off.parse().expect("day offset");
            (kehou_survey::domain::time::to_local(self.clock.now()) + chrono::Duration::days(n))
                .format("%Y-%m-%d")
                .to_string()
        };
        let (opens, closes) = (day(opens), day(closes));
        let mut args = vec![
            "publish",
            "--survey",
            survey,
            "--name",
            "测试轮次",
            "--opens",
            &opens,
            "--closes",
            &closes,
        ];
        args.extend_from_slice(extra);
        let out = self.cli_in(dir, &args);
        assert!(
            out.status.success(),
            "CLI {args:?} failed:\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let out = String::from_utf8_lossy(&out.stdout);
        out.split("第 ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("round id in {out}"))
    }

    pub fn slug(&self, round_id: i64, school_code: &str) -> String {
        let mut conn = self.conn();
        let school = db::schools::find_by_code(&mut conn, school_code)
            .expect("query")
            .expect("school exists");
        db::rounds::publication(&mut conn, round_id, school.id)
            .expect("query")
            .expect("publication exists")
            .slug
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("GET")
    }

    /// GETs the form and returns its HTML and idempotency key.
    pub async fn open_form(&self, slug: &str, code: Option<&str>) -> (String, String) {
        let q = code.map(|c| format!("?c={c}")).unwrap_or_default();
        let resp = self.get(&format!("/s/{slug}/form{q}")).await;
        assert_eq!(resp.status(), 200);
        let html = resp.text().await.expect("body");
        let idem = idem_in(&html);
        (html, idem)
    }

    pub async fn post_form(&self, slug: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.client
            .post(format!("{}/s/{slug}", self.address))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST")
    }

    pub async fn post_json_client(&self, slug: &str, body: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/s/{slug}", self.address))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("POST")
    }

    pub fn response_count(&self, round_id: i64) -> i64 {
        db::responses::count_for(&mut self.conn(), round_id, None).expect("count")
    }
}

/// Form-encodes pairs.
/// The idempotency key a served form carries.
pub fn idem_in(html: &str) -> String {
    html.split("name=\"idem\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("idempotency key in form")
        .to_string()
}

pub fn encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A complete, valid set of answers for the after-school needs survey.
pub fn valid_needs_answers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("q.grade", "3"),
        ("q.class", "2"),
        ("q.need", "yes"),
        ("q.days", "mon"),
        ("q.days", "wed"),
        ("q.end_time", "t1730"),
        ("q.categories", "science"),
        ("q.categories", "sports"),
        ("q.categories", "reading"),
        ("q.science_items", "science.experiment"),
        ("q.sports_items", "sports.ball"),
        ("q.top3.1", "science"),
        ("q.top3.2", "sports"),
        ("q.top3.3", "reading"),
        ("q.fee", "free"),
        ("q.summer_care", "no"),
    ]
}

/// The meta fields a browser sends with the answers.
pub fn with_meta<'a>(idem: &'a str, answers: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut v = vec![("consent", "yes"), ("idem", idem)];
    v.extend_from_slice(answers);
    v
}

impl TestApp {
    /// Opens the form, posts `answers` and expects the 303 to the thank-you
    /// page. Returns the idempotency key the response was stored under.
    pub async fn submit(&self, slug: &str, answers: &[(&str, &str)]) -> String {
        let (_, idem) = self.open_form(slug, None).await;
        let resp = self
            .post_form(slug, encode(&with_meta(&idem, answers)))
            .await;
        assert_eq!(
            resp.status(),
            303,
            "{}",
            resp.text().await.unwrap_or_default()
        );
        idem
    }
}

/// The HTML of question `qid`'s fieldset, from `<fieldset` to `</fieldset>`.
pub fn fieldset<'a>(html: &'a str, qid: &str) -> &'a str {
    let start = html
        .find(&format!("<fieldset id=\"f-{qid}\""))
        .unwrap_or_else(|| panic!("no fieldset for {qid}"));
    let len = html[start..].find("</fieldset>").expect("fieldset closes");
    &html[start..start + len]
}

/// Whether question `qid`'s fieldset carries the `hidden` attribute.
pub fn is_hidden(html: &str, qid: &str) -> bool {
    let fs = fieldset(html, qid);
    let tag = &fs[..fs.find('>').expect("tag ends")];
    tag.split_whitespace().any(|attr| attr == "hidden")
}

/// Question ids with an error message on the page, in page order.
pub fn error_ids(html: &str) -> Vec<String> {
    html.split("<p class=\"err\" id=\"e-")
        .skip(1)
        .map(|s| s.split('"').next().unwrap_or_default().to_string())
        .collect()
}

/// The message is shown inside the question's fieldset, as an alert tied to it.
pub fn assert_field_error(html: &str, qid: &str, message: &str) {
    let fs = fieldset(html, qid);
    let expected = format!("<p class=\"err\" id=\"e-{qid}\" role=\"alert\">{message}</p>");
    assert!(
        fs.contains(&expected),
        "expected {expected} in fieldset {qid}:\n{fs}"
    );
    assert!(
        fs.contains(&format!("aria-describedby=\"e-{qid}\"")),
        "fieldset {qid} is not described by its error"
    );
}

/// Every submitted answer is shown again: radios and checkboxes checked,
/// select options selected, text and numbers filled in.
pub fn assert_kept(html: &str, answers: &[(&str, &str)]) {
    for (name, value) in answers {
        let qid = name
            .strip_prefix("q.")
            .and_then(|r| r.split('.').next())
            .expect("a question field");
        let fs = fieldset(html, qid);
        let checked = format!("name=\"{name}\" value=\"{value}\" checked");
        let kept = if fs.contains(&checked) {
            true
        } else if let Some(i) =
            fs.find(&format!("<select id=\"q-{}\"", name[2..].replace('.', "-")))
        {
            let select = &fs[i..i + fs[i..].find("</select>").expect("select closes")];
            select.contains(&format!("<option value=\"{value}\" selected>"))
        } else if let Some(i) = fs.find("<textarea") {
            fs[i..].contains(&format!(">{value}</textarea>"))
        } else {
            fs.contains(&format!("name=\"{name}\"")) && fs.contains(&format!("value=\"{value}\""))
        };
        assert!(kept, "answer {name}={value} was not kept:\n{fs}");
    }
}

/// Reads a response body that the test expects to be an HTML page.
pub async fn html_of(resp: reqwest::Response) -> String {
    let ct = resp.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .to_string();
    assert!(ct.starts_with("text/html"), "content type {ct}");
    resp.text().await.expect("body")
}
