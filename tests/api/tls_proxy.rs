//! The shipped nginx site (docs/deploy/nginx-kehou-survey.conf), run by Debian's nginx with a
//! throwaway self-signed certificate in front of two server processes on one PostgreSQL
//! database: staff sign in over https and get `Secure` cookies, a parent's form is stored,
//! HSTS is sent, oversized bodies stop at nginx, and the per-address limits see the client's
//! address rather than nginx's. The client is curl, which checks the certificate for real.
//! Runs when TEST_NGINX (the nginx binary) and TEST_DATABASE_URL are set.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kehou_survey::app::submission::CODE_MISSES;
use kehou_survey::domain::account::Role;

use crate::helpers::{backend, encode, idem_in, spawn_app, valid_needs_answers, with_meta};
use crate::process::ServerProcess;
use crate::staff_helpers::{csrf_in, PASSWORD};

const HOST: &str = "survey.test";

#[tokio::test]
async fn nginx_with_tls_in_front_of_two_instances() {
    let Ok(nginx) = std::env::var("TEST_NGINX") else {
        println!("skipped: set TEST_NGINX (and TEST_DATABASE_URL) to run nginx with TLS");
        return;
    };
    if backend() != "postgres" {
        println!("skipped: the two-instance nginx test runs on PostgreSQL (TEST_DATABASE_URL)");
        return;
    }
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    app.make_user("sec@school.cn", Role::School, Some("3505820001"), None);

    let dir = tempfile::tempdir().unwrap();
    let (https_port, http_port) = (free_port(), free_port());
    let public = format!("https://{HOST}:{https_port}");
    let env = [
        ("SURVEY_PUBLIC_URL", public.as_str()),
        ("SURVEY_TRUSTED_PROXIES", "127.0.0.1"),
        ("SURVEY_METRICS_ALLOW", "127.0.0.1"),
    ];
    let one = ServerProcess::start_with_env(&app.db_url, "warn", None, &env).await;
    let two = ServerProcess::start_with_env(&app.db_url, "warn", None, &env).await;
    certificate(dir.path());
    let site = site_config(
        dir.path(),
        https_port,
        http_port,
        [&one.address, &two.address],
    );
    let _nginx = Nginx::start(&nginx, dir.path(), &site, https_port);
    let curl = Curl::new(dir.path(), https_port);

    // Plain http only redirects; https answers with HSTS.
    let plain = curl.run(
        &[
            "-H",
            &format!("Host: {HOST}"),
            &format!("http://127.0.0.1:{http_port}/login"),
        ],
        "127.0.0.1",
    );
    assert_eq!(plain.status, 301, "{}", plain.head);
    assert!(
        plain.head.contains(&format!("https://{HOST}")),
        "{}",
        plain.head
    );
    let login_page = curl.get("/login");
    assert_eq!(login_page.status, 200);
    let hsts = login_page
        .head
        .to_ascii_lowercase()
        .matches("strict-transport-security: max-age=31536000")
        .count();
    assert_eq!(hsts, 1, "HSTS once:\n{}", login_page.head);

    // Staff sign in over https: the session cookie is Secure and HttpOnly, and it works.
    let form = encode(&[
        ("csrf", &csrf_in(&login_page.body)),
        ("email", "sec@school.cn"),
        ("password", PASSWORD),
        ("next", "/admin"),
    ]);
    let signed_in = curl.post("/login", &form, "127.0.0.1");
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    let cookie = signed_in
        .head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie: kehou_sid="))
        .unwrap_or_else(|| panic!("no session cookie in\n{}", signed_in.head));
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let home = curl.get("/admin");
    assert_eq!(home.status, 303, "{}", home.head);
    let school_page = format!("/admin/schools/{}", app.school_id("3505820001"));
    assert!(
        home.head.contains(&format!("location: {school_page}")),
        "{}",
        home.head
    );
    assert_eq!(curl.get(&school_page).status, 200);

    // A parent's form goes through nginx and is stored once.
    let form = curl.run(&[&curl.url(&format!("/s/{slug}/form"))], "127.0.0.5");
    assert_eq!(form.status, 200);
    let idem = idem_in(&form.body);
    let answers = valid_needs_answers();
    let sent = curl.post(
        &format!("/s/{slug}"),
        &encode(&with_meta(&idem, &answers)),
        "127.0.0.5",
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(app.response_count(round), 1);

    // nginx stops a body over its limit before it reaches the application.
    let big = "x".repeat(2 * 1024 * 1024);
    assert_eq!(curl.post("/login", &big, "127.0.0.1").status, 413);

    // Per-address limits: one client that keeps guessing codes is held, whatever it claims in
    // X-Forwarded-For, while another client behind the same nginx is not. Had the servers
    // counted nginx's own address, the second client would be held too.
    for i in 0..CODE_MISSES {
        let r = curl.run(
            &[&curl.url(&format!("/c/ABCDEFGHJKMNPQRS{i:04}"))],
            "127.0.0.2",
        );
        assert_eq!(r.status, 400, "guess {i}: {}", r.body);
    }
    let held = curl.run(
        &[
            "-H",
            "X-Forwarded-For: 203.0.113.9",
            &curl.url("/c/ABCDEFGHJKMNPQRS0900"),
        ],
        "127.0.0.2",
    );
    assert_eq!(held.status, 429);
    let other = curl.run(&[&curl.url("/c/ABCDEFGHJKMNPQRS0901")], "127.0.0.3");
    assert_eq!(other.status, 400, "{}", other.body);

    // nginx shared the requests between both instances.
    for server in [&one, &two] {
        let metrics = reqwest::get(format!("{}/metrics", server.address))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            metrics.contains(r#"route="/c/{code}",status="400""#),
            "{} served no code guesses:\n{metrics}",
            server.address
        );
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A self-signed certificate for `HOST`, valid for two days.
fn certificate(dir: &Path) {
    let status = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args(["-subj", &format!("/CN={HOST}")])
        .args(["-addext", &format!("subjectAltName=DNS:{HOST}")])
        .arg("-keyout")
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .stderr(Stdio::null())
        .status()
        .expect("openssl");
    assert!(status.success(), "openssl could not make a certificate");
}

/// The shipped site file with this test's ports and certificate. Every replaced line must be
/// found, so that a change to the shipped file cannot quietly drop out of the test.
fn site_config(dir: &Path, https_port: u16, http_port: u16, servers: [&String; 2]) -> String {
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploy/nginx-kehou-survey.conf"),
    )
    .unwrap();
    let upstream = |a: &String| a.trim_start_matches("http://").to_string();
    let replacements = [
        (
            "server 127.0.0.1:8080 ",
            format!("server {} ", upstream(servers[0])),
        ),
        (
            "server 127.0.0.1:8081 ",
            format!("server {} ", upstream(servers[1])),
        ),
        ("listen 80;", format!("listen 127.0.0.1:{http_port};")),
        ("listen [::]:80;", String::new()),
        (
            "listen 443 ssl http2;",
            format!("listen 127.0.0.1:{https_port} ssl http2;"),
        ),
        ("listen [::]:443 ssl http2;", String::new()),
        (
            "server_name survey.example.edu.cn;",
            format!("server_name {HOST};"),
        ),
        (
            "/etc/ssl/kehou-survey/fullchain.pem",
            dir.join("cert.pem").display().to_string(),
        ),
        (
            "/etc/ssl/kehou-survey/privkey.pem",
            dir.join("key.pem").display().to_string(),
        ),
    ];
    let mut site = shipped;
    for (from, to) in replacements {
        assert!(
            site.contains(from),
            "the shipped nginx site no longer has `{from}`"
        );
        site = site.replace(from, &to);
    }
    site
}

/// nginx in the foreground with its own prefix, pid file and logs in `dir`; stopped on drop.
struct Nginx(Child);

impl Nginx {
    fn start(binary: &str, dir: &Path, site: &str, port: u16) -> Self {
        std::fs::write(dir.join("site.conf"), site).unwrap();
        for sub in ["logs", "body", "proxy"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        let root =
            std::os::unix::fs::MetadataExt::uid(&std::fs::metadata("/proc/self").unwrap()) == 0;
        let main = format!(
            "{user}worker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/logs/error.log warn;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n access_log {d}/logs/access.log;\n client_body_temp_path {d}/body;\n\
             proxy_temp_path {d}/proxy;\n include {d}/site.conf;\n}}\n",
            user = if root { "user root;\n" } else { "" },
            d = dir.display()
        );
        std::fs::write(dir.join("nginx.conf"), main).unwrap();
        let check = Command::new(binary)
            .arg("-t")
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .output()
            .expect("run nginx -t");
        assert!(
            check.status.success(),
            "nginx refused the shipped site:\n{}",
            String::from_utf8_lossy(&check.stderr)
        );
        let child = Command::new(binary)
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "nginx did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self(child)
    }
}

impl Drop for Nginx {
    /// SIGTERM, so that the master stops its workers too (SIGKILL would orphan them).
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

/// curl against nginx, trusting only the test's certificate, with a cookie jar.
struct Curl {
    dir: std::path::PathBuf,
    port: u16,
}

struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Curl {
    fn new(dir: &Path, port: u16) -> Self {
        Self {
            dir: dir.to_path_buf(),
            port,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("https://{HOST}:{}{path}", self.port)
    }

    fn get(&self, path: &str) -> Answer {
        self.run(&[&self.url(path)], "127.0.0.1")
    }

    fn post(&self, path: &str, body: &str, from: &str) -> Answer {
        let file = self.dir.join("request-body");
        std::fs::write(&file, body).unwrap();
        let data = format!("@{}", file.display());
        self.run(
            &[
                "-H",
                "Content-Type: application/x-www-form-urlencoded",
                "--data-binary",
                &data,
                &self.url(path),
            ],
            from,
        )
    }

    /// One request from the local address `from` (any 127.x address reaches nginx on loopback).
    fn run(&self, args: &[&str], from: &str) -> Answer {
        let (head, body) = (self.dir.join("head"), self.dir.join("body.html"));
        let out = Command::new("curl")
            .args(["-sS", "--max-time", "30", "--interface", from])
            .args(["--resolve", &format!("{HOST}:{}:127.0.0.1", self.port)])
            .arg("--cacert")
            .arg(self.dir.join("cert.pem"))
            .arg("--cookie")
            .arg(self.dir.join("jar"))
            .arg("--cookie-jar")
            .arg(self.dir.join("jar"))
            .arg("--dump-header")
            .arg(&head)
            .arg("--output")
            .arg(&body)
            .args(["--write-out", "%{http_code}"])
            .args(args)
            .output()
            .expect("run curl");
        assert!(
            out.status.success(),
            "curl failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Answer {
            status: String::from_utf8_lossy(&out.stdout).trim().parse().unwrap(),
            head: std::fs::read_to_string(head).unwrap_or_default(),
            body: std::fs::read_to_string(body).unwrap_or_default(),
        }
    }
}
