//! Headless Chromium over WebDriver, dressed as WeChat on a cheap Android
//! phone: starts chromedriver on a free port, opens a 360×640 touch session,
//! and ends both when dropped (also when the test panics).
//!
//! Taps, typing and keys go through the DevTools protocol (`Input.*`), not
//! WebDriver's element commands: chromedriver's click waits on a page timer,
//! which never fires when the page's JavaScript is off.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// WeChat's in-app browser (XWEB, Chromium 78 based) on a mid-range Android 10 phone.
pub const WECHAT_UA: &str = "Mozilla/5.0 (Linux; Android 10; V1934A Build/QP1A.190711.020; wv) \
     AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.62 XWEB/2693 \
     MMWEBSDK/201201 Mobile Safari/537.36 MMWEBID/1234 MicroMessenger/8.0.1.1841(0x2800015D) \
     Process/toolsmp WeChat/arm64 NetType/4G Language/zh_CN ABI/arm64";

/// The chromedriver to use, from `TEST_CHROMEDRIVER`; `None` (and a note
/// that the test skipped) when it is not set, so that `cargo test` passes on
/// a machine without Chromium.
pub fn chromedriver(test: &str) -> Option<PathBuf> {
    match std::env::var("TEST_CHROMEDRIVER") {
        Ok(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => {
            println!(
                "skipped {test}: set TEST_CHROMEDRIVER=/usr/bin/chromedriver to run the browser tests"
            );
            None
        }
    }
}

/// The files of tests/browser/ (axe-core, acorn), installed by `npm ci --prefix tests/browser`.
pub fn node_module(rel: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules")
        .join(rel);
    assert!(
        p.exists(),
        "{} is missing: run `npm ci --prefix tests/browser`",
        p.display()
    );
    p
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Js {
    On,
    Off,
}

/// chromedriver, killed on drop after its browser session is deleted.
struct Driver {
    child: Child,
    port: u16,
    session: Option<String>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Deleting the session makes chromedriver quit Chromium; killing
        // chromedriver alone would leave the browser running.
        if let Some(id) = &self.session {
            let _ = raw_delete(self.port, &format!("/session/{id}"));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A blocking DELETE (used from `Drop`, where nothing can be awaited).
fn raw_delete(port: u16, path: &str) -> std::io::Result<()> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "DELETE {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut sink = Vec::new();
    s.read_to_end(&mut sink).map(|_| ())
}

pub struct Browser {
    pub client: Client,
    pub js: Js,
    http: reqwest::Client,
    cdp_url: String,
    shots: PathBuf,
    step: u32,
    /// The screen a test asked for with `Emulation.setDeviceMetricsOverride`: chromedriver's
    /// phone emulation puts its own back on every navigation, so `goto` applies this again.
    metrics: std::sync::Mutex<Option<Value>>,
    _driver: Driver,
}

/// Decodes a base64 string field of a DevTools answer (screenshots, PDFs).
pub fn base64_field(v: &Value, field: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(
            v[field]
                .as_str()
                .unwrap_or_else(|| panic!("no {field} in {v}")),
        )
        .expect("base64")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Browser {
    /// Starts chromedriver and a phone-sized Chromium session. Screenshots go
    /// to `target/tmp/browser/<test>/`.
    pub async fn start(chromedriver: &Path, test: &str, js: Js) -> Browser {
        let port = free_port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", chromedriver.display()));
        let mut driver = Driver {
            child,
            port,
            session: None,
        };
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = match http.get(format!("{base}/status")).send().await {
                Ok(r) => r
                    .json::<Value>()
                    .await
                    .ok()
                    .map(|v| v["value"]["ready"] == true),
                Err(_) => None,
            };
            if ready == Some(true) {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut options = json!({
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--lang=zh-CN"
            ],
            "mobileEmulation": {
                "deviceMetrics": {"width": 360, "height": 640, "pixelRatio": 2.0, "touch": true, "mobile": true},
                "userAgent": WECHAT_UA
            }
        });
        if js == Js::Off {
            options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
        }
        if let Ok(bin) = std::env::var("TEST_CHROMIUM") {
            options["binary"] = json!(bin);
        }
        let caps = json!({"browserName": "chrome", "goog:chromeOptions": options});
        let caps = caps.as_object().cloned().expect("an object");
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&base)
            .await
            .expect("a WebDriver session");
        let id = client
            .session_id()
            .await
            .expect("session id")
            .expect("a session");
        driver.session = Some(id.clone());
        let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("browser")
            .join(test);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).expect("screenshot folder");
        Browser {
            client,
            js,
            http,
            cdp_url: format!("{base}/session/{id}/goog/cdp/execute"),
            shots,
            step: 0,
            metrics: std::sync::Mutex::new(None),
            _driver: driver,
        }
    }

    /// A DevTools protocol command on the current tab.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        if cmd == "Emulation.setDeviceMetricsOverride" {
            *self.metrics.lock().expect("metrics") = Some(params.clone());
        }
        let resp = self
            .http
            .post(&self.cdp_url)
            .json(&json!({"cmd": cmd, "params": params}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let body: Value = resp.json().await.expect("JSON from chromedriver");
        assert!(body["value"]["error"].is_null(), "{cmd}: {body}");
        body["value"].clone()
    }

    /// Page script run by the test driver (works with the page's JS off).
    pub async fn eval(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
        let metrics = self.metrics.lock().expect("metrics").clone();
        if let Some(m) = metrics {
            self.cdp("Emulation.setDeviceMetricsOverride", m).await;
        }
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current URL");
        url.path().to_string()
    }

    /// Waits until `expr` (a JS expression) is truthy; panics after `secs`.
    pub async fn wait_for(&self, expr: &str, secs: u64) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let v = self
                .client
                .execute(&format!("return !!({expr});"), vec![])
                .await;
            if matches!(v, Ok(Value::Bool(true))) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {expr}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Marks the current document, so that a later wait can tell a new page
    /// (or a body swapped in by survey.js) from this one.
    pub async fn mark_page(&self) {
        self.eval("document.body.setAttribute('data-test-old', '1');", vec![])
            .await;
    }

    pub async fn wait_new_page(&self, secs: u64) {
        self.wait_for(
            "document.readyState === 'complete' && document.body && !document.body.hasAttribute('data-test-old')",
            secs,
        )
        .await;
    }

    /// Scrolls the element into view and returns its centre in CSS pixels.
    async fn centre(&self, css: &str) -> (f64, f64) {
        let v = self
            .eval(
                "var el = document.querySelector(arguments[0]);
                 if (!el) { return null; }
                 el.scrollIntoView({block: 'center'});
                 var r = el.getBoundingClientRect();
                 return [r.left + r.width / 2, r.top + r.height / 2, r.width, r.height];",
                vec![json!(css)],
            )
            .await;
        let a = v.as_array().unwrap_or_else(|| panic!("no element {css}"));
        let f = |i: usize| a[i].as_f64().expect("a number");
        assert!(f(2) > 0.0 && f(3) > 0.0, "{css} is not displayed");
        (f(0), f(1))
    }

    /// A finger tap on the element's centre (touch events, as on a phone).
    pub async fn tap(&self, css: &str) {
        let (x, y) = self.centre(css).await;
        self.cdp(
            "Input.dispatchTouchEvent",
            json!({"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}),
        )
        .await;
        self.cdp(
            "Input.dispatchTouchEvent",
            json!({"type": "touchEnd", "touchPoints": []}),
        )
        .await;
    }

    /// Taps a text field and types into it, replacing what it held.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.tap(css).await;
        self.eval(
            "var el = document.querySelector(arguments[0]); el.focus(); el.select();",
            vec![json!(css)],
        )
        .await;
        self.key("Delete").await;
        self.cdp("Input.insertText", json!({ "text": text })).await;
    }

    /// Chooses a `<select>` option. Native pickers cannot be driven in
    /// headless Chromium, so the value is set and `change` fired, as a
    /// picker does.
    pub async fn choose(&self, css: &str, value: &str) {
        self.centre(css).await;
        let ok = self
            .eval(
                "var el = document.querySelector(arguments[0]);
                 el.value = arguments[1];
                 el.dispatchEvent(new Event('change', {bubbles: true}));
                 return el.value === arguments[1];",
                vec![json!(css), json!(value)],
            )
            .await;
        assert_eq!(ok, json!(true), "{css} has no option {value}");
    }

    /// Presses and releases one key (`Tab`, `Enter`, ` `, `ArrowDown`, `Delete`, a digit).
    pub async fn key(&self, key: &str) {
        let digit = key.parse::<u8>().ok().filter(|d| *d < 10 && key.len() == 1);
        let digit_code = format!("Digit{key}");
        let (code, vk, text) = match (key, digit) {
            ("Tab", _) => ("Tab", 9, ""),
            ("Enter", _) => ("Enter", 13, "\r"),
            (" ", _) => ("Space", 32, " "),
            ("ArrowDown", _) => ("ArrowDown", 40, ""),
            ("Delete", _) => ("Delete", 46, ""),
            (_, Some(d)) => (digit_code.as_str(), 48 + u32::from(d), key),
            (other, None) => panic!("no key mapping for {other:?}"),
        };
        let kind = if text.is_empty() {
            "rawKeyDown"
        } else {
            "keyDown"
        };
        self.cdp(
            "Input.dispatchKeyEvent",
            json!({"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": vk, "text": text}),
        )
        .await;
        self.cdp(
            "Input.dispatchKeyEvent",
            json!({"type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": vk}),
        )
        .await;
    }

    pub async fn is_displayed(&self, css: &str) -> bool {
        self.eval(
            "var el = document.querySelector(arguments[0]);
             return !!el && el.getClientRects().length > 0;",
            vec![json!(css)],
        )
        .await
            == json!(true)
    }

    pub async fn is_checked(&self, css: &str) -> bool {
        self.eval(
            "var el = document.querySelector(arguments[0]); return !!el && el.checked;",
            vec![json!(css)],
        )
        .await
            == json!(true)
    }

    /// Saves a screenshot of the viewport as `NN-name.png`; returns its path.
    pub async fn shot(&mut self, name: &str) -> PathBuf {
        self.step += 1;
        let v = self
            .cdp("Page.captureScreenshot", json!({"format": "png"}))
            .await;
        let png = base64_field(&v, "data");
        let path = self.shots.join(format!("{:02}-{name}.png", self.step));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// With `BROWSER_DOC_SCREENSHOTS=1`, copies a screenshot of the JS
    /// journey to docs/screenshots/<name>.png (the README shows them).
    pub async fn doc_copy(&self, shot: &Path, name: &str) {
        if self.js == Js::On && std::env::var("BROWSER_DOC_SCREENSHOTS").is_ok_and(|v| v == "1") {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
            std::fs::create_dir_all(&dir).expect("docs/screenshots");
            std::fs::copy(shot, dir.join(format!("{name}.png"))).expect("copy screenshot");
        }
    }

    /// Runs axe-core on the page and asserts that it finds no violation.
    /// axe needs timers, which do not run while the page's JavaScript is
    /// off; the JS-off pages are the same server HTML that the JS-on tests
    /// check, so there it is skipped.
    pub async fn assert_axe_clean(&self, what: &str) {
        if self.js == Js::Off {
            return;
        }
        let src = std::fs::read_to_string(node_module("axe-core/axe.min.js")).expect("axe.min.js");
        self.eval(&src, vec![]).await;
        let v = self
            .client
            .execute_async(
                "var done = arguments[arguments.length - 1];
                 axe.run(document, {resultTypes: ['violations']}).then(function (r) {
                   done(r.violations.map(function (v) {
                     return {id: v.id, impact: v.impact, help: v.help,
                             nodes: v.nodes.map(function (n) { return n.target.join(' '); })};
                   }));
                 }, function (e) { done('axe failed: ' + e); });",
                vec![],
            )
            .await
            .expect("axe.run");
        assert_eq!(v, json!([]), "{what}: axe-core violations: {v:#}");
    }

    /// Network emulation (chromedriver's own setting, kept across navigations).
    pub async fn network(&self, offline: bool, latency_ms: u64, bytes_per_sec: i64) {
        let url = self
            .cdp_url
            .replace("goog/cdp/execute", "chromium/network_conditions");
        let body = json!({"network_conditions": {
            "offline": offline, "latency": latency_ms,
            "download_throughput": bytes_per_sec, "upload_throughput": bytes_per_sec
        }});
        let resp = self
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .expect("network conditions");
        assert!(
            resp.status().is_success(),
            "network conditions: {}",
            resp.status()
        );
    }
}
