//! The public page of selected typical cases on the phone: no horizontal scrolling, every
//! image shown, and axe-core finds nothing.

use kehou_survey::app::cases::{self, Submission, Upload};
use kehou_survey::db;
use kehou_survey::domain::account::Role;

use super::driver::{chromedriver, Browser, Js};
use crate::cases::{jpeg_with_gps, png_with_gps, PDF};
use crate::helpers::spawn_app;

#[tokio::test]
async fn the_public_case_page_reads_on_a_phone_and_passes_axe() {
    let Some(driver) = chromedriver("browser::cases") else {
        return;
    };
    let app = spawn_app().await;
    app.import_standard_roster();
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = db::users::find_by_email(&mut app.conn(), "admin@bureau.cn")
        .unwrap()
        .unwrap();
    let file = |name: &str, bytes: Vec<u8>| Upload {
        name: name.into(),
        bytes,
        oversized: false,
    };
    for (code, title) in [
        ("3505820001", "科学实验社团"),
        ("3505820003", "非遗南音进校园"),
    ] {
        let id = cases::submit(
            &app.state,
            &bureau,
            app.school_id(code),
            Submission {
                title: title.into(),
                category: "science".into(),
                body: "每周三下午开展活动。\n学生自己设计实验，家长开放日展示成果。".into(),
                files: vec![
                    file("poster.png", png_with_gps()),
                    file("photo.jpg", jpeg_with_gps()),
                    file("方案.pdf", PDF.to_vec()),
                ],
            },
        )
        .await
        .unwrap();
        cases::select(&app.state, &bureau, id).await.unwrap();
    }
    let b = Browser::start(&driver, "cases", Js::On).await;
    b.goto(&format!("{}/cases", app.address)).await;
    let shown = b
        .eval(
            "return [document.body.innerText, \
             document.documentElement.scrollWidth <= window.innerWidth];",
            vec![],
        )
        .await;
    let text = shown[0].as_str().unwrap_or_default();
    assert!(
        text.contains("科学实验社团") && text.contains("非遗南音进校园"),
        "{text}"
    );
    assert_eq!(shown[1], true, "the page scrolls sideways on a phone");
    // The first case's poster, loaded lazily once scrolled to.
    let poster = "var i = document.querySelector('img[src$=\"/files/1\"]'); \
                  i.scrollIntoView(); return i.complete ? i.naturalWidth : 0;";
    let mut width = serde_json::Value::from(0);
    for _ in 0..50 {
        width = b.eval(poster, vec![]).await;
        if width != 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(width, 8, "the PNG is shown");
    b.assert_axe_clean("public typical cases").await;
}
