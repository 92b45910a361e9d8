//! The server as a separate process (the real binary), for tests that need
//! several instances or that kill one.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{survey_dir, test_clock};

pub struct ServerProcess {
    child: Child,
    pub address: String,
}

impl ServerProcess {
    /// Starts `kehou-survey serve` on a free port against `db_url` and waits
    /// until `/healthz` answers.
    pub async fn start(db_url: &str) -> Self {
        Self::start_with_log(db_url, "warn", None).await
    }

    /// The same, at log level `level`, its log written to `log` (or dropped).
    pub async fn start_with_log(db_url: &str, level: &str, log: Option<&std::path::Path>) -> Self {
        Self::start_with_env(db_url, level, log, &[]).await
    }

    /// The same, with extra environment variables (settings such as `SURVEY_PUBLIC_URL`).
    pub async fn start_with_env(
        db_url: &str,
        level: &str,
        log: Option<&std::path::Path>,
        env: &[(&str, &str)],
    ) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_kehou-survey"))
            .args(["serve", "--port", &port.to_string()])
            .env("DATABASE_URL", db_url)
            .env("SURVEY_DIR", survey_dir())
            .env("SURVEY_CLOCK", test_clock().to_rfc3339())
            .env("RUST_LOG", level)
            .envs(env.iter().copied())
            .stdout(match log {
                Some(p) => Stdio::from(std::fs::File::create(p).expect("log file")),
                None => Stdio::null(),
            })
            .stderr(match log {
                Some(p) => Stdio::from(
                    std::fs::OpenOptions::new()
                        .append(true)
                        .open(p)
                        .expect("log file"),
                ),
                None => Stdio::null(),
            })
            .spawn()
            .expect("start the server binary");
        let address = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = client.get(format!("{address}/healthz")).send().await {
                if r.status() == 200 {
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "server at {address} did not come up"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, address }
    }
}

impl ServerProcess {
    /// The server's resident memory now, from /proc, in KB.
    pub fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/<pid>/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .expect("VmRSS")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
