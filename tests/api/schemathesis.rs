//! Schemathesis (from PyPI) against the real server and its own `/api/openapi.json`, signed in
//! as the bureau over a round with answers: every documented response must match its schema
//! and status list, and no request it generates may get a 500. Runs when TEST_SCHEMATHESIS
//! names the `st` command.

use std::process::Command;

use kehou_survey::domain::account::Role;

use crate::analysis::{families, submit_all};
use crate::helpers::spawn_app;
use crate::staff_helpers::{Browser, PASSWORD};

#[tokio::test]
async fn the_server_keeps_its_openapi_contract_under_schemathesis() {
    let Ok(st) = std::env::var("TEST_SCHEMATHESIS") else {
        println!("skipped: set TEST_SCHEMATHESIS to the schemathesis `st` command to run it");
        return;
    };
    let app = spawn_app().await;
    let round = app.setup_round();
    submit_all(&app, round, &families()).await;
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let signed_in = Browser::new(&app).login("admin@bureau.cn", PASSWORD).await;
    assert_eq!(signed_in.status(), 303);
    let cookie = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("kehou_sid="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();

    let dir = tempfile::tempdir().unwrap();
    let schema = format!("{}/api/openapi.json", app.address);
    let out = tokio::task::spawn_blocking({
        let dir = dir.path().to_path_buf();
        move || {
            Command::new(st)
                .current_dir(&dir)
                .args(["run", &schema])
                .args(["--header", &format!("Cookie: {cookie}")])
                .args([
                    "--checks",
                    "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                ])
                .args(["--phases", "examples,coverage,fuzzing"])
                .args(["--max-examples", "40", "--seed", "20261203", "--workers", "1"])
                .args(["--generation-deterministic", "--no-shrink"])
                .env("SCHEMATHESIS_HOOKS", "")
                .env("NO_COLOR", "1")
                .output()
                .expect("run schemathesis")
        }
    })
    .await
    .unwrap();
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{report}"
    );
    // It really tested every documented operation, not only /healthz.
    let doc: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let operations: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|ops| ops.as_object().unwrap().len())
        .sum();
    assert!(operations >= 4);
    assert!(
        report.contains(&format!("Tested: {operations}")),
        "not every operation was tested:\n{report}"
    );
}
