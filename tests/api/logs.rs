//! `[log] format = "json"` (or `SURVEY_LOG_FORMAT=json`): the server process logs one JSON
//! object a line.

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::helpers::{spawn_app, survey_dir, test_clock};

/// Starts `serve` on `db_url` with `setting` applied, and returns the stderr line that
/// announces it is serving (the process is killed then).
fn serving_line(db_url: &str, config: Option<&std::path::Path>, env: Option<&str>) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kehou-survey"));
    if let Some(file) = config {
        cmd.arg("--config").arg(file);
    }
    cmd.args(["serve", "--port", "0"])
        .env("DATABASE_URL", db_url)
        .env("SURVEY_DIR", survey_dir())
        .env("SURVEY_CLOCK", test_clock().to_rfc3339())
        .env("RUST_LOG", "info")
        .env_remove("SURVEY_LOG_FORMAT")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(format) = env {
        cmd.env("SURVEY_LOG_FORMAT", format);
    }
    let mut child = cmd.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if line.contains("serving on") {
                let _ = tx.send(line);
                return;
            }
        }
    });
    let line = rx.recv_timeout(Duration::from_secs(60));
    let _ = child.kill();
    let _ = child.wait();
    line.expect("the server says it is serving")
}

#[tokio::test]
async fn json_log_lines_parse_as_json() {
    let app = spawn_app().await;
    let file = app.temp_path("settings.toml");
    std::fs::write(&file, "[log]\nformat = \"json\"\n").unwrap();

    for (config, env) in [(Some(file.as_path()), None), (None, Some("json"))] {
        let line = serving_line(&app.db_url, config, env);
        let v: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert_eq!(v["level"], "INFO", "{line}");
        assert!(v["timestamp"].is_string(), "{line}");
        assert!(
            v["message"].as_str().unwrap().starts_with("serving on"),
            "{line}"
        );
    }

    // Text unless asked; the environment wins over the file.
    let text = serving_line(&app.db_url, Some(file.as_path()), Some("text"));
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );
}
