//! Rate limits that must not lock out the innocent, nor let the guilty slip past: an unlisted
//! proxy is reported, IPv6 counts by /64, and a held account can be unlocked.

use kehou_survey::auth::throttle::CODE_MISSES;
use kehou_survey::domain::account::Role;

use super::SCHOOL;
use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use crate::staff_helpers::{Browser, PASSWORD};

async fn health(app: &TestApp, xff: Option<&str>) -> serde_json::Value {
    let mut r = app.client.get(format!("{}/healthz", app.address));
    if let Some(x) = xff {
        r = r.header("X-Forwarded-For", x);
    }
    r.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn healthz_warns_of_forwarded_requests_from_an_unlisted_proxy() {
    let app = spawn_app().await;
    assert_eq!(
        health(&app, None).await["untrusted_proxy"],
        serde_json::Value::Null
    );
    health(&app, Some("203.0.113.9")).await;
    let body = health(&app, None).await;
    let warn = &body["untrusted_proxy"];
    assert_eq!(warn["address"], "127.0.0.1", "{body}");
    assert_eq!(warn["requests"], 1, "{body}");
    assert!(warn["warning"]
        .as_str()
        .unwrap()
        .contains("trusted_proxies"));
    // A listed proxy is not reported.
    let behind = spawn_app_with(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    health(&behind, Some("203.0.113.9")).await;
    assert_eq!(
        health(&behind, None).await["untrusted_proxy"],
        serde_json::Value::Null
    );
}

#[tokio::test]
async fn ipv6_addresses_of_one_64_share_a_limit() {
    let app = spawn_app_with(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    let code = |i: usize, xff: String| {
        let client = app.client.clone();
        let url = format!("{}/c/ABCDEFGHJKMNPQRS{i:04}", app.address);
        async move {
            let r = client.get(url).header("X-Forwarded-For", xff).send().await;
            r.unwrap().status().as_u16()
        }
    };
    // A new address of the same /64 for every guess.
    for i in 0..CODE_MISSES as usize {
        assert_eq!(code(i, format!("2001:db8:7:7::{:x}", i + 1)).await, 400);
    }
    assert_eq!(
        code(900, "2001:db8:7:7:ffff::1".into()).await,
        429,
        "hopped out"
    );
    // The next /64 is someone else.
    assert_eq!(code(901, "2001:db8:7:8::1".into()).await, 400);
}

#[tokio::test]
async fn a_held_account_is_unlocked_from_the_command_line() {
    let app = spawn_app().await;
    app.import_standard_roster();
    app.make_user(SCHOOL, Role::School, Some("3505820001"), None);
    let b = Browser::new(&app);
    for _ in 0..5 {
        assert_eq!(b.login(SCHOOL, "wrong password!").await.status(), 401);
    }
    assert_eq!(b.login(SCHOOL, PASSWORD).await.status(), 401, "held");
    let out = app.cli_ok(&["unlock", "--email", "SEC@school.cn"]);
    assert!(out.contains("已解除"), "{out}");
    assert_eq!(b.login(SCHOOL, PASSWORD).await.status(), 303);
    assert!(app
        .audit_actions()
        .contains(&"account_unlocked".to_string()));
    let unknown = app.cli(&["unlock", "--email", "nobody@school.cn"]);
    assert!(!unknown.status.success());
}
