//! A returned paper reply slip typed in by keys only (the serial as a USB barcode reader types
//! it), and the keystrokes it took.

use diesel::prelude::*;
use kehou_survey::db::schema::responses;

use super::driver::{chromedriver, Browser, Js};
use crate::helpers::spawn_app;
use crate::paper::{print_slips, secretary, serials};
use crate::staff_helpers::PASSWORD;

#[tokio::test]
async fn a_slip_is_typed_by_keys_only() {
    let Some(driver) = chromedriver("browser::paper") else {
        return;
    };
    let app = spawn_app().await;
    let round = app.setup_round();
    let http = secretary(&app).await;
    let (_, printed) = print_slips(&app, &http, round, "1").await;
    let serial = serials(&printed)[0].clone();
    let school = app.school_id(crate::paper::SCHOOL);

    let mut b = Browser::start(&driver, "paper", Js::On).await;
    b.goto(&format!("{}/login", app.address)).await;
    b.type_into("[name=\"email\"]", "sec@school.cn").await;
    b.type_into("[name=\"password\"]", PASSWORD).await;
    b.mark_page().await;
    b.tap("form button[type=\"submit\"]").await;
    b.wait_new_page(20).await;
    b.goto(&format!(
        "{}/admin/schools/{school}/rounds/{round}/paper",
        app.address
    ))
    .await;
    b.eval("document.getElementById('serial').focus();", vec![])
        .await;

    // The reader types the serial and Enter; then, per question, the keys printed beside the
    // ticked boxes (or the digits written) and Enter. Empty questions take Enter alone.
    b.cdp("Input.insertText", serde_json::json!({ "text": serial }))
        .await;
    let shot = b.shot("paper-entry").await;
    b.doc_copy(&shot, "paper-entry").await;
    let mut keys = serial.chars().count();
    let slip: [&[&str]; 12] = [
        &[],         // after the serial
        &["3"],      // 三年级
        &["2"],      // 2班
        &["1"],      // 需要
        &[],         // reasons for not needing it: skipped
        &["1", "5"], // Monday and Friday
        &["3"],      // 18:00
        &["1"],      // science
        &[],         // fees: skipped
        &["3"],      // no summer care
        &[],         // summer weeks: skipped
        &[],         // suggestion: skipped; Enter saves
    ];
    b.mark_page().await;
    for typed in slip {
        for k in typed {
            b.key(k).await;
        }
        b.key("Enter").await;
        keys += typed.len() + 1;
    }
    b.wait_new_page(20).await;
    assert!(
        b.path().await.ends_with("/paper"),
        "back to an empty screen"
    );
    let stored: Vec<(String, Option<String>, String)> = responses::table
        .select((responses::channel, responses::serial, responses::answers))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(stored.len(), 1, "one slip stored");
    let (channel, saved, answers) = &stored[0];
    assert_eq!(channel, "paper");
    assert_eq!(saved.as_deref(), Some(serial.as_str()));
    for want in ["\"mon\"", "\"fri\"", "t1800", "science"] {
        assert!(answers.contains(want), "{want} in {answers}");
    }
    println!(
        "paper slip typed by keys only: {keys} keystrokes ({} for the serial)",
        serial.chars().count()
    );
}
