//! The analysis over HTTP: the staff pages serve the same report the engine computes, in every
//! format, only within each role's reach; the JSON API is the engine's report, field for field.

use kehou_survey::analysis::{Report, Scope};
use kehou_survey::domain::account::Role;

use crate::analysis::{families, report, submit_all};
use crate::helpers::spawn_app;

/// The served JSON equals the engine's report: the same fields and text, counts exactly, and
/// every other number to 1e-9 (polars may add floats in another order from run to run).
fn assert_same(got: &serde_json::Value, r: &Report) {
    same(got, &serde_json::to_value(r).unwrap(), "$");
}

fn same(a: &serde_json::Value, b: &serde_json::Value, at: &str) {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) if x.is_i64() && y.is_i64() => assert_eq!(x, y, "{at}"),
        (V::Number(x), V::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= 1e-9 * x.abs().max(1.0), "{at}: {x} vs {y}");
        }
        (V::Array(x), V::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}");
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                same(x, y, &format!("{at}[{i}]"));
            }
        }
        (V::Object(x), V::Object(y)) => {
            assert_eq!(
                x.keys().collect::<Vec<_>>(),
                y.keys().collect::<Vec<_>>(),
                "{at}"
            );
            for (k, v) in x {
                same(v, &y[k], &format!("{at}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

#[tokio::test]
async fn each_role_gets_its_report_in_every_format() {
    let app = spawn_app().await;
    let round = app.setup_round();
    submit_all(&app, round, &families()).await;
    let school = app.school_id("3505820001");
    let township = app.township_id("青阳街道");
    app.make_user("a@school.cn", Role::School, Some("3505820001"), None);
    app.make_user("qy@town.cn", Role::Township, None, Some("青阳街道"));
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);

    // The school's own report: printable HTML with the download links, no suppression.
    let staff = app.signed_in("a@school.cn").await;
    let base = format!("/admin/schools/{school}/rounds/{round}/analysis");
    let (status, html) = staff.get_html(&base).await;
    assert_eq!(status, 200);
    assert!(html.contains("晋江市青阳中心小学"), "{html}");
    assert!(html.contains("课程类别需求"), "{html}");
    assert!(html.contains("?format=xlsx"), "{html}");
    assert!(!html.contains("<script"), "the report needs no script");

    // JSON is the engine's own report for the same scope.
    let resp = staff.get(&format!("{base}?format=json")).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let got: serde_json::Value = resp.json().await.unwrap();
    let expected = report(&app, round, Scope::School("3505820001".into()));
    assert_same(&got, &expected);
    assert_eq!(got["single_school"], true);

    // The downloads: each format's signature and a file name.
    for (format, magic) in [
        ("xlsx", &b"PK"[..]),
        ("csv", "\u{feff}维度".as_bytes()),
        ("parquet", &b"PAR1"[..]),
    ] {
        let resp = staff.get(&format!("{base}?format={format}")).await;
        assert_eq!(resp.status(), 200, "{format}");
        let disposition = resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(disposition.starts_with("attachment"), "{disposition}");
        assert!(
            disposition.contains(&format!("analysis-round-{round}.{format}")),
            "{disposition}"
        );
        let body = resp.bytes().await.unwrap();
        assert!(body.starts_with(magic), "{format}");
    }

    // The township officer's view of the township is suppressed below k = 10.
    let officer = app.signed_in("qy@town.cn").await;
    let path = format!("/admin/townships/{township}/rounds/{round}/analysis?format=json");
    let got: serde_json::Value = officer.get(&path).await.json().await.unwrap();
    let expected = report(&app, round, Scope::Township("青阳街道".into()));
    assert_same(&got, &expected);
    assert_eq!(got["single_school"], false);
    // …and the school's report is within the officer's reach too.
    assert_eq!(officer.get(&base).await.status(), 200);
    // The city view is the bureau's alone.
    let city = format!("/admin/rounds/{round}/analysis");
    assert_eq!(officer.get(&city).await.status(), 403);

    let bureau = app.signed_in("admin@bureau.cn").await;
    let got: serde_json::Value = bureau
        .get(&format!("{city}?format=json"))
        .await
        .json()
        .await
        .unwrap();
    let expected = report(&app, round, Scope::City);
    assert_same(&got, &expected);
    let suppressed = expected.shares.iter().filter(|s| s.suppressed).count();
    assert!(suppressed > 0, "the town school's 8 families are hidden");
    let (status, html) = bureau.get_html(&city).await;
    assert_eq!(status, 200);
    assert!(html.contains("乡镇比较"), "{html}");
    assert!(html.contains("政策目标"), "{html}");
    // Every view and download is in the audit log.
    let audit = app.audit_actions();
    assert!(audit.iter().any(|a| a == "analysis_view"), "{audit:?}");
    assert_eq!(audit.iter().filter(|a| *a == "analysis_export").count(), 6);
}

#[tokio::test]
async fn bad_parameters_are_clear_errors_never_500() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let school = app.school_id("3505820001");
    let other_round = app.setup_round();
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let base = format!("/admin/schools/{school}/rounds/{round}/analysis");
    // The report offers the comparison with the other round the school took part in.
    let (_, html) = bureau.get_html(&base).await;
    assert!(
        html.contains(&format!("?compare_to={other_round}")),
        "{html}"
    );
    for (path, want) in [
        // A round without responses still has a report (every share empty).
        (base.clone(), 200),
        (format!("{base}?format=docx"), 400),
        (format!("{base}?compare_to=abc"), 400),
        (format!("{base}?compare_to=999999"), 404),
        (format!("{base}?compare_to={other_round}&format=json"), 200),
        (
            format!("/admin/schools/{school}/rounds/999999/analysis"),
            404,
        ),
        ("/admin/rounds/999999/analysis".into(), 404),
        (
            format!("/admin/townships/999999/rounds/{round}/analysis"),
            404,
        ),
        (
            format!(
                "/admin/townships/{}/rounds/{round}/analysis",
                app.township_id("内坑镇")
            ),
            404,
        ),
    ] {
        let status = bureau.get(&path).await.status().as_u16();
        assert_eq!(status, want, "{path}");
    }
}
