//! Weak networks and interruptions: the first page under 400 kbps / 400 ms,
//! a draft that survives closing the tab, a submit while offline, and a
//! retry whose first attempt reached the server although its answer was lost.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::driver::{chromedriver, Browser, Js};
use super::journey::{
    fill, fill_steps, needs_answers, open_and_consent, wait_after_submit, A, FIX_WEEKS,
};
use crate::helpers::spawn_app;

/// 400 kbit/s each way.
const WEAK_BYTES_PER_SEC: i64 = 50_000;
const WEAK_RTT_MS: u64 = 400;

/// The valid answers, summer weeks already right.
fn valid_answers() -> Vec<A> {
    let mut a = needs_answers();
    for x in a.iter_mut() {
        if let A::Type("q.summer_weeks", _) = x {
            *x = FIX_WEEKS.1;
        }
    }
    a
}

/// Navigation timing of the current page: (DOMContentLoaded, load) in ms.
async fn timing(b: &Browser) -> (f64, f64) {
    let v = b
        .eval(
            "var t = performance.getEntriesByType('navigation')[0];
             return [t.domContentLoadedEventEnd - t.startTime, t.loadEventEnd - t.startTime];",
            vec![],
        )
        .await;
    let f = |i: usize| v[i].as_f64().expect("a number");
    (f(0), f(1))
}

#[tokio::test]
async fn first_pages_are_usable_within_2_s_at_400_kbps_and_400_ms() {
    let test = "first_pages_are_usable_within_2_s_at_400_kbps_and_400_ms";
    let Some(cd) = chromedriver(test) else { return };
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let mut b = Browser::start(&cd, test, Js::On).await;
    b.network(false, WEAK_RTT_MS, WEAK_BYTES_PER_SEC).await;

    let started = std::time::Instant::now();
    open_and_consent(&mut b, &app.address, &slug, "throttled").await;
    b.wait_for("document.readyState === 'complete'", 20).await;
    let form = timing(&b).await;
    let wall = started.elapsed();
    // The letter again, for its own timing (the consent step navigated away).
    b.goto(&format!("{}/s/{slug}", app.address)).await;
    let letter = timing(&b).await;
    println!(
        "throttled {WEAK_BYTES_PER_SEC} B/s, {WEAK_RTT_MS} ms: letter DOMContentLoaded {:.0} ms, load {:.0} ms; \
         form (with survey.js) DOMContentLoaded {:.0} ms, load {:.0} ms; letter→consent→form {} ms wall",
        letter.0,
        letter.1,
        form.0,
        form.1,
        wall.as_millis()
    );
    // Throttling is really on: a request costs at least the emulated latency.
    assert!(letter.0 >= WEAK_RTT_MS as f64, "{letter:?}");
    assert!(letter.0 < 2000.0, "letter usable after {letter:?} ms");
    assert!(form.0 < 2000.0, "form usable after {form:?} ms");
}

#[tokio::test]
async fn a_draft_comes_back_after_closing_the_tab() {
    let test = "a_draft_comes_back_after_closing_the_tab";
    let Some(cd) = chromedriver(test) else { return };
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let mut b = Browser::start(&cd, test, Js::On).await;

    open_and_consent(&mut b, &app.address, &slug, "draft").await;
    // The first step: grade, class and whether the service is needed.
    let half = &valid_answers()[..3];
    fill(&b, half).await;
    b.shot("half-answered").await;

    // Close the tab (a new one first: closing the last ends the session).
    let old = b.client.window().await.expect("window");
    let new = b.client.new_window(true).await.expect("new tab").handle;
    b.client.close_window().await.expect("close the tab");
    assert_ne!(old, new);
    b.client.switch_to_window(new).await.expect("switch tab");

    open_and_consent(&mut b, &app.address, &slug, "reopened").await;
    assert!(
        b.is_displayed("#draft-note").await,
        "no note that a draft came back"
    );
    for a in half {
        if let A::Tap(..) = a {
            assert!(b.is_checked(&a.css()).await, "{a:?} not restored");
        }
    }
    let grade = b
        .eval(
            "return document.querySelector('[name=\"q.grade\"]').value;",
            vec![],
        )
        .await;
    assert_eq!(grade, json!("3"));
    b.shot("draft-restored").await;
    b.assert_axe_clean("restored draft").await;

    // Finish and submit: the draft is gone afterwards.
    fill_steps(&b, &valid_answers()).await;
    b.mark_page().await;
    b.tap("#go-submit").await;
    assert!(wait_after_submit(&b).await, "no thank-you page");
    assert_eq!(app.response_count(round), 1);
    open_and_consent(&mut b, &app.address, &slug, "after-submit").await;
    assert!(
        !b.is_displayed("#draft-note").await,
        "draft kept after submit"
    );
    assert!(!b.is_checked("input[name=\"q.need\"][value=\"yes\"]").await);
}

#[tokio::test]
async fn an_offline_submit_keeps_the_answers_and_offers_a_retry() {
    let test = "an_offline_submit_keeps_the_answers_and_offers_a_retry";
    let Some(cd) = chromedriver(test) else { return };
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let mut b = Browser::start(&cd, test, Js::On).await;

    open_and_consent(&mut b, &app.address, &slug, "offline").await;
    let answers = valid_answers();
    fill_steps(&b, &answers).await;
    b.network(true, 0, -1).await;
    b.tap("#go-submit").await;
    b.wait_for("document.getElementById('retry')", 30).await;
    assert_eq!(b.path().await, format!("/s/{slug}/form"));
    assert!(b.is_checked("input[name=\"q.days\"][value=\"wed\"]").await);
    assert!(
        b.is_checked("input[name=\"q.summer_care\"][value=\"yes\"]")
            .await
    );
    let focus = b.eval("return document.activeElement.id;", vec![]).await;
    assert_eq!(focus, json!("retry"));
    b.shot("offline-retry").await;
    b.assert_axe_clean("offline retry").await;
    assert_eq!(app.response_count(round), 0);

    // Still offline: the retry says so and keeps everything.
    b.tap("#retry").await;
    assert!(b.is_displayed("#retry").await);
    assert!(b.is_checked("input[name=\"q.days\"][value=\"wed\"]").await);

    b.network(false, 0, -1).await;
    b.mark_page().await;
    b.tap("#retry").await;
    assert!(
        wait_after_submit(&b).await,
        "no thank-you page after the retry"
    );
    assert_eq!(b.path().await, format!("/s/{slug}/thanks"));
    b.shot("retried-thanks").await;
    assert_eq!(app.response_count(round), 1);
}

/// A TCP proxy in front of the app that, while `lose` is set, passes POSTs
/// on to the server but drops the server's answer and the connection: the
/// response is stored, and the phone never hears of it (the browser shows
/// its connection error page).
struct LossyProxy {
    address: String,
    lose: Arc<AtomicBool>,
    posts: Arc<AtomicUsize>,
}

async fn lossy_proxy(upstream: u16) -> LossyProxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    let lose = Arc::new(AtomicBool::new(false));
    let posts = Arc::new(AtomicUsize::new(0));
    let (l, p) = (lose.clone(), posts.clone());
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(pipe(client, upstream, l.clone(), p.clone()));
        }
    });
    LossyProxy {
        address,
        lose,
        posts,
    }
}

async fn pipe(client: TcpStream, upstream: u16, lose: Arc<AtomicBool>, posts: Arc<AtomicUsize>) {
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)).await else {
        return;
    };
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let swallow = Arc::new(AtomicBool::new(false));
    let sw_flag = swallow.clone();
    let up = tokio::spawn(async move {
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n) = cr.read(&mut buf).await {
            if n == 0 {
                break;
            }
            if buf[..n].starts_with(b"POST ") {
                posts.fetch_add(1, Ordering::SeqCst);
                if lose.load(Ordering::SeqCst) {
                    sw_flag.store(true, Ordering::SeqCst);
                }
            }
            if sw.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
    });
    let mut buf = vec![0u8; 64 * 1024];
    while let Ok(n) = sr.read(&mut buf).await {
        // The server answered: drop the answer and hang up on the phone.
        if n == 0 || swallow.load(Ordering::SeqCst) {
            break;
        }
        if cw.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    up.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_that_reaches_the_server_twice_stores_one_response() {
    let test = "a_retry_that_reaches_the_server_twice_stores_one_response";
    let Some(cd) = chromedriver(test) else { return };
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let proxy = lossy_proxy(app.port).await;
    let mut b = Browser::start(&cd, test, Js::On).await;

    open_and_consent(&mut b, &proxy.address, &slug, "lossy").await;
    fill_steps(&b, &valid_answers()).await;
    let idem = b
        .eval(
            "return document.querySelector('input[name=idem]').value;",
            vec![],
        )
        .await;
    proxy.lose.store(true, Ordering::SeqCst);
    b.mark_page().await;
    b.tap("#go-submit").await;
    // The browser shows its error page; the server has stored the response.
    b.wait_new_page(60).await;
    b.shot("answer-lost").await;
    assert_eq!(app.response_count(round), 1);

    // The parent opens the link again: the draft comes back with the same
    // idempotency key, and submitting again reaches the server a second time.
    proxy.lose.store(false, Ordering::SeqCst);
    open_and_consent(&mut b, &proxy.address, &slug, "reopened").await;
    assert!(b.is_displayed("#draft-note").await, "draft not restored");
    let again = b
        .eval(
            "return document.querySelector('input[name=idem]').value;",
            vec![],
        )
        .await;
    assert_eq!(again, idem, "the retry carries the first attempt's key");
    fill_steps(&b, &valid_answers()).await;
    b.mark_page().await;
    b.tap("#go-submit").await;
    assert!(
        wait_after_submit(&b).await,
        "no thank-you page after the retry"
    );
    b.shot("retried-thanks").await;
    let posts = proxy.posts.load(Ordering::SeqCst);
    println!("POSTs that reached the server: {posts}");
    assert!(posts >= 2, "{posts}");
    assert_eq!(
        app.response_count(round),
        1,
        "one response for {posts} POSTs"
    );
}
