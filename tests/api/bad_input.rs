//! Input no honest form sends: each is refused with a 4xx and a clear Chinese
//! message (an HTML page for people, JSON for `Accept: application/json`),
//! nothing is stored, and the server keeps serving.

use crate::helpers::{encode, spawn_app, valid_needs_answers, with_meta, TestApp};

const IDEM: &str = "ABCDEFGHJKMNPQRSTVWXYZ0123";

async fn post(app: &TestApp, slug: &str, body: Vec<u8>, json: bool) -> reqwest::Response {
    let mut req = app
        .client
        .post(format!("{}/s/{slug}", app.address))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body);
    if json {
        req = req.header("Accept", "application/json");
    }
    req.send().await.expect("POST")
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Sends `body` as a person and as a JSON client; both must get `status`
/// with `message` in the page / in the JSON, and nothing may be stored.
async fn refused(
    app: &TestApp,
    round: i64,
    slug: &str,
    what: &str,
    body: &[u8],
    status: u16,
    message: &str,
) {
    let resp = post(app, slug, body.to_vec(), false).await;
    assert_eq!(resp.status().as_u16(), status, "{what} (HTML)");
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/html"), "{what}: {ct}");
    let page = resp.text().await.unwrap();
    assert!(
        page.contains(message),
        "{what}: expected “{message}” in\n{page}"
    );

    let resp = post(app, slug, body.to_vec(), true).await;
    assert_eq!(resp.status().as_u16(), status, "{what} (JSON)");
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("application/json"), "{what}: {ct}");
    let json: serde_json::Value = resp.json().await.unwrap();
    let error = json["error"].as_str().unwrap_or_default();
    assert!(
        has_chinese(error),
        "{what}: JSON error not in Chinese: {json}"
    );
    let in_json = error.contains(message)
        || json["fields"]
            .as_object()
            .is_some_and(|f| f.values().any(|v| v.as_str() == Some(message)));
    assert!(in_json, "{what}: expected “{message}” in {json}");

    assert_eq!(app.response_count(round), 0, "{what}: nothing stored");
}

fn body(pairs: &[(&str, &str)]) -> Vec<u8> {
    encode(pairs).into_bytes()
}

fn valid_plus(extra: &[(&str, &str)]) -> Vec<u8> {
    let answers = valid_needs_answers();
    let mut pairs = with_meta(IDEM, &answers);
    pairs.extend_from_slice(extra);
    body(&pairs)
}

/// The valid answers with `key` sent as `value` instead.
fn replaced(key: &str, value: &str) -> Vec<u8> {
    let answers = valid_needs_answers();
    let mut pairs: Vec<_> = with_meta(IDEM, &answers)
        .into_iter()
        .filter(|(k, _)| *k != key)
        .collect();
    pairs.push((key, value));
    body(&pairs)
}

async fn assert_healthy(app: &TestApp) {
    let resp = app.get("/healthz").await;
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn missing_or_malformed_meta_fields() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let answers = valid_needs_answers();

    let mut no_consent = vec![("idem", IDEM)];
    no_consent.extend_from_slice(&answers);
    refused(
        &app,
        round,
        &slug,
        "missing consent",
        &body(&no_consent),
        400,
        "请先阅读告家长书",
    )
    .await;
    refused(
        &app,
        round,
        &slug,
        "consent=no",
        &replaced("consent", "no"),
        400,
        "请先阅读告家长书",
    )
    .await;

    let mut no_idem = vec![("consent", "yes")];
    no_idem.extend_from_slice(&answers);
    refused(
        &app,
        round,
        &slug,
        "missing idem",
        &body(&no_idem),
        400,
        "表单已失效",
    )
    .await;
    refused(
        &app,
        round,
        &slug,
        "short idem",
        &replaced("idem", "ABC"),
        400,
        "表单已失效",
    )
    .await;
    refused(
        &app,
        round,
        &slug,
        "idem with symbols",
        &replaced("idem", "ABCDEFGHJKMNPQRSTVWXYZ01'-"),
        400,
        "表单已失效",
    )
    .await;

    refused(
        &app,
        round,
        &slug,
        "idem twice",
        &valid_plus(&[("idem", "ZZZZZZZZZZZZZZZZZZZZZZZZZZ")]),
        400,
        "字段重复：idem",
    )
    .await;
    refused(
        &app,
        round,
        &slug,
        "consent twice",
        &valid_plus(&[("consent", "yes")]),
        400,
        "字段重复：consent",
    )
    .await;
    assert_healthy(&app).await;
}

#[tokio::test]
async fn fields_that_are_not_answers_are_refused() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");

    for field in ["school_id", "round_id", "role", "answers", "grade"] {
        refused(
            &app,
            round,
            &slug,
            field,
            &valid_plus(&[(field, "2")]),
            400,
            &format!("无法识别的字段：{field}"),
        )
        .await;
    }
    refused(
        &app,
        round,
        &slug,
        "unknown question",
        &valid_plus(&[("q.salary", "1")]),
        400,
        "未知的题目：salary",
    )
    .await;
    refused(
        &app,
        round,
        &slug,
        "unknown option (single)",
        &replaced("q.need", "maybe"),
        400,
        "未知的选项",
    )
    .await;
    refused(
        &app,
        round,
        &slug,
        "unknown option (multi)",
        &valid_plus(&[("q.days", "sun")]),
        400,
        "未知的选项",
    )
    .await;
    refused(
        &app,
        round,
        &slug,
        "unknown option (rank)",
        &replaced("q.top3.3", "chess"),
        400,
        "未知的选项",
    )
    .await;
    refused(
        &app,
        round,
        &slug,
        "single twice",
        &valid_plus(&[("q.need", "no")]),
        400,
        "字段重复：q.need",
    )
    .await;
    refused(
        &app,
        round,
        &slug,
        "same option twice",
        &valid_plus(&[("q.days", "mon")]),
        400,
        "字段重复",
    )
    .await;
    refused(
        &app,
        round,
        &slug,
        "rank position 4",
        &valid_plus(&[("q.top3.4", "arts")]),
        400,
        "排序位置无效",
    )
    .await;
    refused(
        &app,
        round,
        &slug,
        "rank position 0",
        &valid_plus(&[("q.top3.0", "arts")]),
        400,
        "排序位置无效",
    )
    .await;
    refused(
        &app,
        round,
        &slug,
        "rank without position",
        &valid_plus(&[("q.top3", "arts")]),
        400,
        "与题目类型不符",
    )
    .await;
    refused(
        &app,
        round,
        &slug,
        "single with position",
        &valid_plus(&[("q.fee.1", "free")]),
        400,
        "与题目类型不符",
    )
    .await;
    assert_healthy(&app).await;
}

#[tokio::test]
async fn out_of_range_values_are_422() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");

    let weeks = valid_plus(&[("q.summer_weeks", "99")]);
    let weeks = String::from_utf8(weeks)
        .unwrap()
        .replace("q.summer_care=no", "q.summer_care=yes");
    refused(
        &app,
        round,
        &slug,
        "number out of range",
        weeks.as_bytes(),
        422,
        "请填写 1 到 8 之间的整数",
    )
    .await;
    let long = "长".repeat(201);
    let text = valid_plus(&[("q.suggestion", &long)]);
    refused(
        &app,
        round,
        &slug,
        "text too long",
        &text,
        422,
        "不能超过 200 字",
    )
    .await;
    let long = "a".repeat(5000);
    let text = valid_plus(&[("q.suggestion", &long)]);
    refused(
        &app,
        round,
        &slug,
        "text far too long",
        &text,
        422,
        "不能超过 200 字",
    )
    .await;
    assert_healthy(&app).await;
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");

    for (what, size) in [("1 MB", 1 << 20), ("10 MB", 10 << 20)] {
        let mut b = valid_plus(&[]);
        b.extend_from_slice(b"&q.suggestion=");
        b.resize(size, b'a');
        refused(&app, round, &slug, what, &b, 413, "提交的内容过长").await;
    }
    // 50,000 fields: too many and too long.
    let many = "q.days=mon&".repeat(50_000);
    let resp = post(&app, &slug, many.clone().into_bytes(), false).await;
    assert!(
        matches!(resp.status().as_u16(), 400 | 413),
        "{}",
        resp.status()
    );
    let resp = post(&app, &slug, many.into_bytes(), true).await;
    assert!(
        matches!(resp.status().as_u16(), 400 | 413),
        "{}",
        resp.status()
    );
    // Too many fields within the size limit.
    let mut b = valid_plus(&[]);
    b.extend_from_slice("&x".repeat(1_001).as_bytes());
    refused(
        &app,
        round,
        &slug,
        "1,001 fields",
        &b,
        400,
        "提交的字段过多",
    )
    .await;
    assert_eq!(app.response_count(round), 0);
    assert_healthy(&app).await;
}

#[tokio::test]
async fn bodies_that_are_not_form_data_are_400() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");

    let mut raw_ff = valid_plus(&[]);
    raw_ff.extend_from_slice(b"&q.suggestion=\xff\xfe");
    refused(
        &app,
        round,
        &slug,
        "raw 0xFF",
        &raw_ff,
        400,
        "不是有效的 UTF-8",
    )
    .await;
    let mut pct_ff = valid_plus(&[]);
    pct_ff.extend_from_slice(b"&q.suggestion=%FF");
    refused(&app, round, &slug, "%FF", &pct_ff, 400, "不是有效的 UTF-8").await;
    let mut bad_key = b"\xff=1&".to_vec();
    bad_key.extend_from_slice(&valid_plus(&[]));
    refused(
        &app,
        round,
        &slug,
        "0xFF in a key",
        &bad_key,
        400,
        "不是有效的 UTF-8",
    )
    .await;

    refused(
        &app,
        round,
        &slug,
        "empty body",
        b"",
        400,
        "请先阅读告家长书",
    )
    .await;
    let json = serde_json::json!({"consent": "yes", "idem": IDEM, "q.need": "yes"}).to_string();
    refused(
        &app,
        round,
        &slug,
        "JSON text",
        json.as_bytes(),
        400,
        "无法识别的字段",
    )
    .await;

    // Sent with a JSON content type as well.
    let resp = app
        .client
        .post(format!("{}/s/{slug}", app.address))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(json)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(app.response_count(round), 0);
    assert_healthy(&app).await;
}
