//! `/metrics`: Prometheus text for listed addresses or the bearer token, 404 for anyone else.

use crate::helpers::{encode, spawn_app_with, valid_needs_answers, with_meta, TestApp};

const NAMES: &[&str] = &[
    "survey_http_request_duration_seconds_bucket",
    "survey_writer_queue_depth",
    "survey_writer_batch_size_bucket",
    "survey_responses_uncounted",
    "survey_submissions_stored_total",
    "survey_submissions_duplicate_total",
    "survey_submissions_refused_total",
    "survey_mail_total",
];

async fn scrape(app: &TestApp) -> String {
    let resp = app.get("/metrics").await;
    assert_eq!(resp.status(), 200);
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    resp.text().await.unwrap()
}

/// The value of the sample whose name and labels are `series`, exactly.
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {series} in\n{text}"))
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_listed_address_reads_the_metrics_and_they_move() {
    let app = spawn_app_with(|s| s.metrics.allow = vec!["127.0.0.1".parse().unwrap()]).await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");

    app.get("/healthz").await;
    let before = scrape(&app).await;
    for name in NAMES {
        assert!(before.contains(name), "{name} missing from\n{before}");
    }
    let stored = value(&before, "survey_submissions_stored_total");
    let batches = value(&before, "survey_writer_batch_size_count");

    let answers = valid_needs_answers();
    let idem = app.submit(&slug, &answers).await;
    app.get(&format!("/s/{slug}/form")).await;
    // The same submission again (a retried POST), and one with an answer missing.
    let again = app
        .post_form(&slug, encode(&with_meta(&idem, &answers)))
        .await;
    assert_eq!(again.status(), 303);
    let (_, idem2) = app.open_form(&slug, None).await;
    let missing = app
        .post_form(&slug, encode(&with_meta(&idem2, &answers[1..])))
        .await;
    assert_ne!(missing.status(), 303);

    let after = scrape(&app).await;
    assert!(
        value(&after, "survey_submissions_stored_total") > stored,
        "{after}"
    );
    assert!(
        value(&after, "survey_writer_batch_size_count") > batches,
        "{after}"
    );
    // Requests are labelled by their route pattern, never by the path with the school's link.
    assert!(
        after.contains(r#"method="POST",route="/s/{slug}",status="303""#),
        "{after}"
    );
    assert!(
        value(
            &after,
            r#"survey_http_request_duration_seconds_count{method="GET",route="/s/{slug}/form",status="200"}"#
        ) >= 1.0
    );
    assert!(!after.contains(&slug), "a raw path in the metrics");
}

#[tokio::test]
async fn anyone_else_gets_404_unless_they_bring_the_token() {
    let app = spawn_app_with(|s| {
        s.metrics.allow = vec!["10.9.8.7".parse().unwrap()];
        s.metrics.token = Some("scrape-token-123".into());
    })
    .await;
    let url = format!("{}/metrics", app.address);
    let not_found = app.get("/nothing-here").await.text().await.unwrap();

    let refused = app.get("/metrics").await;
    assert_eq!(refused.status(), 404);
    assert_eq!(
        refused.text().await.unwrap(),
        not_found,
        "it looks like no page at all"
    );
    for auth in [
        "Bearer wrong-token-123",
        "Basic scrape-token-123",
        "scrape-token-123",
    ] {
        let resp = app
            .client
            .get(&url)
            .header("Authorization", auth)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 404, "{auth}");
    }

    let resp = app
        .client
        .get(&url)
        .header("Authorization", "Bearer scrape-token-123")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("survey_submissions_stored_total"));
}

#[tokio::test]
async fn a_listed_address_behind_a_proxy_is_not_enough() {
    // A reverse proxy on the same machine connects from 127.0.0.1 for everyone.
    let app = spawn_app_with(|s| s.metrics.allow = vec!["127.0.0.1".parse().unwrap()]).await;
    assert_eq!(app.get("/metrics").await.status(), 200);
    let resp = app
        .client
        .get(format!("{}/metrics", app.address))
        .header("X-Forwarded-For", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
}

/// Every series the sample Grafana dashboard queries is one that `/metrics` exports.
#[tokio::test]
async fn the_sample_dashboard_asks_only_for_exported_metrics() {
    let app = spawn_app_with(|s| s.metrics.allow = vec!["127.0.0.1".parse().unwrap()]).await;
    // A request first, so that the request histogram has a series in a fresh process.
    app.get("/healthz").await;
    let text = scrape(&app).await;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/grafana-dashboard.json");
    let dashboard: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut queried = 0;
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap();
            for name in expr
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| w.starts_with("survey_"))
            {
                queried += 1;
                assert!(
                    text.lines().any(|l| l.starts_with(name)),
                    "the dashboard queries {name}, which /metrics does not export"
                );
            }
        }
    }
    assert!(queried >= 8);
}
