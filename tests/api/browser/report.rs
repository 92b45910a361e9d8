//! The school's demand report as its administrator sees it: signed in on the phone, the report
//! opens without script, passes axe-core, and prints to A4 for the revised 一校一案. Its
//! screenshot is one of the README's.

use serde_json::json;

use super::driver::{base64_field, chromedriver, Browser, Js};
use crate::analysis::{families, submit_all};
use crate::helpers::spawn_app;
use crate::plans::{good_rows, roster, workbook};
use crate::staff_helpers::PASSWORD;
use kehou_survey::domain::account::Role;

#[tokio::test]
async fn a_school_reads_and_prints_its_report() {
    let Some(driver) = chromedriver("browser::report") else {
        return;
    };
    let app = spawn_app().await;
    assert!(app.import_roster(&roster()).status.success());
    let round = app.publish("after-school-needs", "-1", "+30");
    submit_all(&app, round, &families()).await;
    app.cli_ok(&["import-plans", &workbook(&app, "plan.xlsx", &good_rows())]);
    let school = app.school_id("3505820001");
    app.make_user("a@school.cn", Role::School, Some("3505820001"), None);

    let mut b = Browser::start(&driver, "report", Js::On).await;
    b.goto(&format!("{}/login", app.address)).await;
    b.type_into("[name=\"email\"]", "a@school.cn").await;
    b.type_into("[name=\"password\"]", PASSWORD).await;
    b.mark_page().await;
    b.tap("form button[type=\"submit\"]").await;
    b.wait_new_page(20).await;
    assert_eq!(b.path().await, format!("/admin/schools/{school}"));

    let report = format!("/admin/schools/{school}/rounds/{round}/analysis");
    b.goto(&format!("{}{report}", app.address)).await;
    let text = b
        .eval("return document.body.innerText;", vec![])
        .await
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(text.contains("晋江市青阳中心小学"), "{text}");
    assert!(
        text.contains("方案修订建议"),
        "the gap list is there: {text}"
    );
    b.assert_axe_clean("school report").await;

    // A desktop-sized screenshot for the README (schools read it at a desk).
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 900, "height": 1200, "deviceScaleFactor": 1, "mobile": false}),
    )
    .await;
    let shot = b.shot("school-report").await;
    b.doc_copy(&shot, "school-report").await;

    // Printed: A4 pages, the download bar left out.
    let v = b
        .cdp(
            "Page.printToPDF",
            json!({"preferCSSPageSize": true, "printBackground": false}),
        )
        .await;
    let pdf = base64_field(&v, "data");
    assert!(pdf.starts_with(b"%PDF"));
    let path = shot.with_extension("pdf");
    std::fs::write(&path, &pdf).expect("write PDF");
    let info = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("(A4)"), "not A4:\n{info}");
    let nav = "return getComputedStyle(document.querySelector('.report-links')).display;";
    assert_ne!(
        b.eval(nav, vec![]).await,
        json!("none"),
        "the bar shows on screen"
    );
    b.cdp("Emulation.setEmulatedMedia", json!({"media": "print"}))
        .await;
    assert_eq!(
        b.eval(nav, vec![]).await,
        json!("none"),
        "…and not in print"
    );
}
