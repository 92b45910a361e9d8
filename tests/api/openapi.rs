//! `/api/openapi.json`, the OpenAPI 3.1 document utoipa generates for the read-only JSON,
//! against the server's real answers: every documented path is a route, and every response
//! fits its schema, with no field left undocumented.

use kehou_survey::domain::account::Role;
use serde_json::Value;

use crate::analysis::{families, submit_all};
use crate::helpers::spawn_app;

/// Checks `v` against `schema` (the subset of OpenAPI 3.1 that utoipa writes: `$ref`,
/// `oneOf`, `allOf`, `type` as a name or a list with `"null"`, `enum`, `properties`,
/// `required`, `items`), reporting the first mismatch at its JSON path. Objects are closed:
/// a field the document does not list fails, as a client generated from it would not see it.
fn check(doc: &Value, schema: &Value, v: &Value, at: &str) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r
            .strip_prefix("#/components/schemas/")
            .expect("a local $ref");
        return check(doc, &doc["components"]["schemas"][name], v, at);
    }
    // utoipa writes an optional field as `oneOf: [{type: null}, <the schema>]`.
    if let Some(any) = schema["oneOf"].as_array() {
        let (nulls, others): (Vec<&Value>, Vec<&Value>) =
            any.iter().partition(|s| s["type"] == "null");
        if v.is_null() {
            assert!(!nulls.is_empty(), "{at}: null, but not nullable");
        } else {
            assert_eq!(others.len(), 1, "{at}: a oneOf this checker does not know");
            check(doc, others[0], v, at);
        }
        return;
    }
    if let Some(all) = schema["allOf"].as_array() {
        return all.iter().for_each(|s| check(doc, s, v, at));
    }
    if let Some(values) = schema["enum"].as_array() {
        assert!(values.contains(v), "{at}: {v} is not one of {values:?}");
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ if schema["enum"].is_array() => return,
        other => panic!("{at}: schema type {other:?}"),
    };
    let fits = types.iter().any(|t| match *t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        other => panic!("{at}: schema type {other}"),
    });
    assert!(fits, "{at}: {v} is not {}", schema["type"]);
    if let Some(obj) = v.as_object() {
        let props = schema["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for req in schema["required"].as_array().into_iter().flatten() {
            let req = req.as_str().unwrap();
            assert!(obj.contains_key(req), "{at}: {req} missing");
        }
        for (k, field) in obj {
            match props.get(k) {
                Some(s) => check(doc, s, field, &format!("{at}.{k}")),
                None => panic!("{at}.{k} is not in the document"),
            }
        }
    }
    if let Some(items) = v.as_array() {
        for (i, item) in items.iter().enumerate() {
            check(doc, &schema["items"], item, &format!("{at}[{i}]"));
        }
    }
}

fn schema_of<'a>(doc: &'a Value, path: &str) -> &'a Value {
    &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
}

#[tokio::test]
async fn the_document_describes_the_real_responses() {
    let app = spawn_app().await;
    let resp = app.get("/api/openapi.json").await;
    assert_eq!(resp.status(), 200);
    let doc: Value = resp.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));

    // Every documented path is a GET route of the table.
    let paths = doc["paths"].as_object().unwrap();
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            assert!(
                kehou_survey::routes::TABLE
                    .iter()
                    .any(|r| r.path == path && r.method == method),
                "{method} {path} is documented but not routed"
            );
        }
    }

    let health: Value = app.get("/healthz").await.json().await.unwrap();
    check(&doc, schema_of(&doc, "/healthz"), &health, "healthz");

    let round = app.setup_round();
    submit_all(&app, round, &families()).await;
    let school = app.school_id("3505820001");
    let township = app.township_id("青阳街道");
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    for (pattern, path) in [
        (
            "/admin/schools/{school_id}/rounds/{round_id}/analysis",
            format!("/admin/schools/{school}/rounds/{round}/analysis"),
        ),
        (
            "/admin/townships/{township_id}/rounds/{round_id}/analysis",
            format!("/admin/townships/{township}/rounds/{round}/analysis"),
        ),
        (
            "/admin/rounds/{round_id}/analysis",
            format!("/admin/rounds/{round}/analysis"),
        ),
    ] {
        let report = bureau.get_json(&format!("{path}?format=json")).await;
        assert!(!report["shares"].as_array().unwrap().is_empty(), "{path}");
        check(&doc, schema_of(&doc, pattern), &report, pattern);
        // Every format, and none, answers 200 with a media type the document lists for it.
        let documented = doc["paths"][pattern]["get"]["responses"]["200"]["content"]
            .as_object()
            .expect("200 has content");
        for query in [
            "",
            "?format=html",
            "?format=xlsx",
            "?format=csv",
            "?format=parquet",
        ] {
            let resp = bureau.get(&format!("{path}{query}")).await;
            assert_eq!(resp.status(), 200, "{path}{query}");
            let media = resp.headers()["content-type"].to_str().unwrap().to_string();
            let media = media.split(';').next().unwrap().trim();
            assert!(
                documented.contains_key(media),
                "{path}{query}: {media} is not documented"
            );
        }
    }
}

/// A query or path parameter outside the documented values is a 400 whose page says what to do
/// in Chinese, without the parser's English.
#[tokio::test]
async fn a_parameter_outside_the_documented_values_is_a_chinese_400() {
    let app = spawn_app().await;
    let round = app.setup_round();
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    for path in [
        format!("/admin/rounds/{round}/analysis?format=AAA"),
        format!("/admin/rounds/{round}/analysis?compare_to=x"),
        "/admin/rounds/abc/analysis".to_string(),
    ] {
        let (status, page) = bureau.get_html(&path).await;
        assert_eq!(status, 400, "{path}");
        assert!(page.contains("链接"), "{path}: {page}");
        for english in [
            "unknown variant",
            "deserialize",
            "expected",
            "invalid digit",
        ] {
            assert!(!page.contains(english), "{path} shows `{english}`: {page}");
        }
    }
}
