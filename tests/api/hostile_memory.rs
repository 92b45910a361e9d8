//! Oversized and malformed requests against the real server binary: a 10 MB body,
//! 50,000 fields, a 1 MB answer, invalid UTF-8 and deeply nested JSON, 20 times each. Every one
//! is refused with 413 or 400 without waiting, and the server's resident memory grows by no more
//! than a few MB. Prints the figures for RELIABILITY.md (`-- --nocapture`).

use std::time::{Duration, Instant};

use crate::helpers::{encode, spawn_app, valid_needs_answers, with_meta};
use crate::process::ServerProcess;

const ROUNDS: usize = 20;
/// Growth of the server's RSS over all the hostile requests that still passes.
const MAX_GROWTH_KB: u64 = 8 * 1024;

#[tokio::test]
async fn hostile_requests_are_refused_fast_and_memory_stays_flat() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let server = ServerProcess::start(&app.db_url).await;
    let url = format!("{}/s/{slug}", server.address);
    let valid = encode(&with_meta("A".repeat(26).as_str(), &valid_needs_answers()));

    let mut big = valid.clone().into_bytes();
    big.extend_from_slice(b"&q.suggestion=");
    let mut huge = big.clone();
    big.resize(1 << 20, b'a');
    huge.resize(10 << 20, b'a');
    let mut invalid_utf8 = valid.clone().into_bytes();
    invalid_utf8.extend_from_slice(b"&q.suggestion=%FF%FE\xff\xfe");
    let nested = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let nested_small = format!("{}1{}", "{\"a\":".repeat(5_000), "}".repeat(5_000));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("10 MB body", huge, "application/x-www-form-urlencoded"),
        ("1 MB answer", big, "application/x-www-form-urlencoded"),
        (
            "50,000 fields",
            "q.days=mon&".repeat(50_000).into_bytes(),
            "application/x-www-form-urlencoded",
        ),
        (
            "invalid UTF-8",
            invalid_utf8,
            "application/x-www-form-urlencoded",
        ),
        (
            "nested JSON, 200 KB",
            nested.into_bytes(),
            "application/json",
        ),
        (
            "nested JSON, 5,000 deep",
            nested_small.into_bytes(),
            "application/json",
        ),
    ];

    let send = |body: Vec<u8>, kind: &'static str| {
        let url = url.clone();
        async move {
            let started = Instant::now();
            let status = reqwest::Client::new()
                .post(&url)
                .header("Content-Type", kind)
                .header("Accept", "text/html")
                .body(body)
                .timeout(Duration::from_secs(30))
                .send()
                .await
                // The server may close a refused upload before it is all sent.
                .map_or(0, |r| r.status().as_u16());
            (status, started.elapsed())
        }
    };
    // Warm up the allocator and the connection pools first.
    for (_, body, kind) in &cases {
        send(body.clone(), kind).await;
    }
    let before = server.rss_kb();
    let mut slowest = Duration::ZERO;
    let mut seen: Vec<(&str, u16)> = Vec::new();
    for _ in 0..ROUNDS {
        for (what, body, kind) in &cases {
            let (status, took) = send(body.clone(), kind).await;
            assert!(matches!(status, 400 | 413 | 0), "{what}: answered {status}");
            if !seen.contains(&(what, status)) {
                seen.push((what, status));
            }
            slowest = slowest.max(took);
        }
    }
    println!("answers (0 = closed before the upload finished): {seen:?}");
    let after = server.rss_kb();
    let growth = after.saturating_sub(before);
    println!(
        "hostile requests: {} sent, slowest answer {:.0} ms, RSS {:.1} MB → {:.1} MB (+{:.1} MB)",
        ROUNDS * cases.len(),
        slowest.as_secs_f64() * 1e3,
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        growth as f64 / 1024.0
    );
    assert!(growth <= MAX_GROWTH_KB, "RSS grew by {growth} KB");
    assert!(
        slowest < Duration::from_secs(10),
        "a refusal took {slowest:?}"
    );
    // Still healthy, and nothing was stored.
    let health = reqwest::get(format!("{}/healthz", server.address))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(app.response_count(round), 0);
}
