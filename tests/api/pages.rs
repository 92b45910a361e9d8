//! Pages and headers: security headers everywhere, the health check, the
//! printable letter and QR, and the weight of the first survey page.

use crate::helpers::{backend, encode, html_of, spawn_app, valid_needs_answers, with_meta};

fn assert_security_headers(what: &str, h: &reqwest::header::HeaderMap) {
    let get = |name: &str| {
        h.get(name)
            .unwrap_or_else(|| panic!("{what}: no {name} header"))
            .to_str()
            .unwrap()
            .to_string()
    };
    let csp = get("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(csp.contains("default-src 'none'"), "{what}: {csp}");
    assert!(csp.contains("script-src 'self'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-eval"), "{what}: {csp}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("referrer-policy"), "no-referrer", "{what}");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");

    let mut checked = 0;
    for (path, status) in [
        ("/healthz".to_string(), 200),
        ("/static/survey.js".to_string(), 200),
        (format!("/s/{slug}"), 200),
        (format!("/s/{slug}/form"), 200),
        (format!("/s/{slug}/thanks"), 200),
        (format!("/s/{slug}/letter"), 200),
        (format!("/s/{slug}/qr.svg"), 200),
        (format!("/s/{slug}/qr.png"), 200),
        ("/c/ABCDEFGHJKMNPQRSTVWX".to_string(), 400),
        ("/s/unknown".to_string(), 404),
        ("/nothing/here".to_string(), 404),
    ] {
        let resp = app.get(&path).await;
        assert_eq!(resp.status(), status, "{path}");
        assert_security_headers(&path, resp.headers());
        checked += 1;
    }
    // POSTs: stored (303), invalid (422), malformed (400), too large (413).
    let (_, idem) = app.open_form(&slug, None).await;
    let valid = encode(&with_meta(&idem, &valid_needs_answers()));
    let invalid = encode(&with_meta(
        "ZZZZZZZZZZZZZZZZZZZZZZZZZZ",
        &[("q.need", "yes")],
    ));
    for (what, body, status) in [
        ("stored", valid.into_bytes(), 303),
        ("invalid", invalid.into_bytes(), 422),
        ("malformed", b"role=admin".to_vec(), 400),
        ("too large", vec![b'a'; 200 * 1024], 413),
    ] {
        let resp = app.post_form(&slug, body).await;
        assert_eq!(resp.status(), status, "{what}");
        assert_security_headers(what, resp.headers());
        checked += 1;
    }
    assert_eq!(checked, 15);
    assert_eq!(app.response_count(round), 1);
}

#[tokio::test]
async fn healthz_reports_ok_as_json() {
    let app = spawn_app().await;
    let resp = app.get("/healthz").await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"status": "ok", "database": "ok", "untrusted_proxy": null})
    );
    // The app answers on the port it reported.
    assert_eq!(app.address, format!("http://127.0.0.1:{}", app.port));
}

#[tokio::test]
async fn the_printable_letter_and_qr_svg() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820002");

    let resp = app.get(&format!("/s/{slug}/letter")).await;
    assert_eq!(resp.status(), 200);
    let letter = html_of(resp).await;
    assert!(letter.contains("晋江市安海镇养正小学"));
    assert!(letter.contains("<svg"), "the QR is inline");
    assert!(!letter.contains("<img"));
    assert!(
        letter.contains("我已阅读上述说明，自愿填写本问卷。"),
        "consent text"
    );
    assert!(letter.contains("知情同意"));
    assert!(letter.contains("@page{size:A4"), "A4 print CSS");
    // The printed address is the school's public link.
    assert!(letter.contains(&format!("{}/s/{slug}", app.state.public_base)));
    assert!(!letter.contains("{{学校}}"), "placeholder replaced");

    let resp = app.get(&format!("/s/{slug}/qr.svg")).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/svg+xml");
    let svg = resp.text().await.unwrap();
    assert!(svg.contains("<svg"));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(!svg.contains("<script"));
}

/// Bytes of a response as sent on the wire with `Accept-Encoding: gzip`
/// (this reqwest has no gzip feature, so nothing is decompressed).
async fn gzip_size(app: &crate::helpers::TestApp, path: &str) -> usize {
    let resp = app
        .client
        .get(format!("{}{path}", app.address))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{path}");
    assert_eq!(resp.headers()["content-encoding"], "gzip", "{path}");
    let body = resp.bytes().await.unwrap();
    assert_eq!(&body[..2], [0x1f, 0x8b], "{path}: a gzip stream");
    body.len()
}

#[tokio::test]
async fn the_first_survey_page_fits_in_14_kb_gzipped() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");

    let plain = app.get(&format!("/s/{slug}/form")).await;
    let plain = plain.bytes().await.unwrap().len();
    let form = gzip_size(&app, &format!("/s/{slug}/form")).await;
    let js = gzip_size(&app, "/static/survey.js").await;
    let total = form + js;
    println!(
        "[{}] first survey page: form {plain} B raw, {form} B gzip; survey.js {js} B gzip; total {total} B gzip",
        backend()
    );
    assert!(form < plain, "gzip makes the page smaller");
    assert!(
        total <= 14 * 1024,
        "form + script gzip = {total} bytes > 14 KB"
    );
}
