//! Every staff page as each role uses it, on a phone (390 px) and at a desk (1,280 px): the page
//! body never scrolls sideways (wide tables scroll in their own box), and axe-core finds
//! nothing. The main pages' screenshots are the README's role guides.

use serde_json::json;

use super::driver::{chromedriver, Browser, Js};
use crate::helpers::{spawn_app, TestApp};
use crate::staff_helpers::PASSWORD;
use crate::staff_pages::round_and_roles;

async fn sign_in(b: &Browser, app: &TestApp, email: &str) {
    b.goto(&format!("{}/login", app.address)).await;
    b.type_into("[name=\"email\"]", email).await;
    b.type_into("[name=\"password\"]", PASSWORD).await;
    b.mark_page().await;
    b.tap("form button[type=\"submit\"]").await;
    b.wait_new_page(20).await;
}

async fn width(b: &Browser, px: u32) {
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": px, "height": 900, "deviceScaleFactor": 1, "mobile": px < 600}),
    )
    .await;
}

/// Opens each page at both widths: no sideways scroll of the body, axe-clean; the pages named
/// with a screenshot go to docs/screenshots/ (with `BROWSER_DOC_SCREENSHOTS=1`).
async fn walk(b: &mut Browser, app: &TestApp, who: &str, pages: &[(String, Option<&str>)]) {
    for px in [390, 1280] {
        width(b, px).await;
        for (path, shot) in pages {
            b.goto(&format!("{}{path}", app.address)).await;
            let wide = b
                .eval(
                    "return [document.documentElement.scrollWidth, window.innerWidth];",
                    vec![],
                )
                .await;
            let (doc, view) = (wide[0].as_i64().unwrap(), wide[1].as_i64().unwrap());
            assert!(
                doc <= view,
                "{who} {path} at {px} px: the page is {doc} px wide"
            );
            b.assert_axe_clean(&format!("{who} {path} at {px} px"))
                .await;
            if let Some(name) = shot {
                let s = b.shot(&format!("{name}-{px}")).await;
                b.doc_copy(&s, &format!("staff-{name}-{px}")).await;
            }
        }
    }
}

#[tokio::test]
async fn every_staff_page_fits_the_phone_and_the_desk_and_is_axe_clean() {
    let Some(driver) = chromedriver("browser::staff") else {
        return;
    };
    let app = spawn_app().await;
    let (round, emails) = round_and_roles(&app).await;
    let s = app.school_id("3505820001");
    let t = app.township_id("青阳街道");
    let school_pages = vec![
        (format!("/admin/schools/{s}"), Some("school-home")),
        (
            format!("/admin/schools/{s}/rounds/{round}"),
            Some("school-round"),
        ),
        (
            format!("/admin/schools/{s}/rounds/{round}/analysis"),
            Some("school-report"),
        ),
        (format!("/admin/schools/{s}/rounds/{round}/codes"), None),
        (format!("/admin/schools/{s}/plan"), Some("school-plan")),
        (format!("/admin/schools/{s}/cases"), None),
        ("/admin/complaints".to_string(), None),
        ("/account/password".to_string(), None),
    ];
    let town_pages = vec![
        (
            format!("/admin/coverage?round={round}"),
            Some("township-coverage"),
        ),
        (
            format!("/admin/townships/{t}/rounds/{round}/analysis"),
            Some("township-report"),
        ),
        ("/admin/complaints".to_string(), None),
        ("/admin/cases".to_string(), None),
    ];
    let bureau_pages = vec![
        ("/admin/rounds".to_string(), Some("bureau-rounds")),
        (
            format!("/admin/rounds/{round}/analysis"),
            Some("city-report"),
        ),
        (
            format!("/admin/coverage?round={round}"),
            Some("bureau-coverage"),
        ),
        ("/admin/ledger".to_string(), Some("bureau-ledger")),
        ("/admin/schools".to_string(), None),
        ("/admin/townships".to_string(), None),
        ("/admin/accounts".to_string(), None),
        ("/admin/audit".to_string(), Some("bureau-audit")),
        ("/admin/complaints".to_string(), None),
        ("/admin/cases".to_string(), None),
    ];
    for (email, pages) in emails
        .into_iter()
        .zip([school_pages, town_pages, bureau_pages])
    {
        let mut b = Browser::start(&driver, &format!("staff-{email}"), Js::On).await;
        sign_in(&b, &app, email).await;
        walk(&mut b, &app, email, &pages).await;
    }
}
