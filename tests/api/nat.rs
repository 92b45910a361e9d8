//! Rate limits vs NAT: 300 parents behind one school's NAT all submit; a spoofed
//! `X-Forwarded-For` moves nobody's bucket, unless the request came through a configured
//! trusted proxy, and then the address it forwards is the one that counts.

use kehou_survey::app::submission::CODE_MISSES;

use crate::helpers::{spawn_app, spawn_app_with, valid_needs_answers, TestApp};

async fn code_with_xff(app: &TestApp, code: &str, xff: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/c/{code}", app.address))
        .header("X-Forwarded-For", xff)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn wrong(i: usize) -> String {
    format!("ABCDEFGHJKMNPQRS{i:04}")
}

#[tokio::test]
async fn three_hundred_parents_behind_one_nat_all_submit() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    for _ in 0..300 {
        // `submit` asserts the 303.
        app.submit(&slug, &valid_needs_answers()).await;
    }
    assert_eq!(app.response_count(round), 300);
}

#[tokio::test]
async fn a_spoofed_forwarded_for_moves_no_bucket() {
    let app = spawn_app().await;
    for i in 0..CODE_MISSES as usize {
        assert_eq!(
            code_with_xff(&app, &wrong(i), &format!("10.0.{i}.1")).await,
            400
        );
    }
    // Every made-up address is still this connection's: held.
    assert_eq!(code_with_xff(&app, &wrong(900), "192.0.2.77").await, 429);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_counts() {
    let app = spawn_app_with(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    for i in 0..CODE_MISSES as usize {
        assert_eq!(code_with_xff(&app, &wrong(i), "203.0.113.7").await, 400);
    }
    assert_eq!(code_with_xff(&app, &wrong(900), "203.0.113.7").await, 429);
    // The client's own claim left of the proxy's entry changes nothing.
    assert_eq!(
        code_with_xff(&app, &wrong(901), "198.51.100.1, 203.0.113.7").await,
        429
    );
    // Another parent behind the same proxy is not held.
    assert_eq!(code_with_xff(&app, &wrong(902), "203.0.113.8").await, 400);
}
