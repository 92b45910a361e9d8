//! The survey editor with its script: questions added with the page's buttons, one dragged
//! above the other, and the preview frame showing the parent's form in the new order.

use super::driver::{chromedriver, Browser, Js};
use crate::helpers::spawn_app;
use crate::staff_helpers::PASSWORD;
use kehou_survey::domain::account::Role;

/// The preview frame's text.
const PREVIEW_TEXT: &str = "(function(){var f=document.getElementById('preview');\
     return f && f.contentDocument && f.contentDocument.body ? f.contentDocument.body.innerText : '';})()";

#[tokio::test]
async fn a_question_added_and_dragged_shows_in_the_preview() {
    let Some(driver) = chromedriver("browser::survey_editor") else {
        return;
    };
    let app = spawn_app().await;
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let mut b = Browser::start(&driver, "survey_editor", Js::On).await;
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
    )
    .await;
    b.goto(&format!("{}/login", app.address)).await;
    b.type_into("[name=\"email\"]", "admin@bureau.cn").await;
    b.type_into("[name=\"password\"]", PASSWORD).await;
    b.mark_page().await;
    b.tap("form button[type=\"submit\"]").await;
    b.wait_new_page(20).await;

    // 新建, then two questions added with the page's own button.
    b.goto(&format!("{}/admin/surveys", app.address)).await;
    b.mark_page().await;
    b.tap("main section > form.admin-form button[type=\"submit\"]")
        .await;
    b.wait_new_page(20).await;
    assert!(b.path().await.starts_with("/admin/surveys/web-"));
    for kind in ["single", "text"] {
        b.choose("#new-type", kind).await;
        b.mark_page().await;
        b.tap("#add-question").await;
        b.wait_new_page(20).await;
    }
    let names = b
        .eval(
            "return Array.prototype.map.call(document.querySelectorAll('#editor [name]'), function (e) { return e.name + '=' + e.value; }).join(' | ');",
            vec![],
        )
        .await;
    assert!(names.to_string().contains("q0.options"), "{names}");
    b.type_into("[name=\"q0.title\"]", "孩子需要课后托管吗？")
        .await;
    b.type_into("[name=\"q0.options\"]", "yes 需要\nno 不需要")
        .await;
    b.type_into("[name=\"q1.title\"]", "您对课后服务有什么建议？")
        .await;
    // The preview follows the typing, without a button pressed.
    b.wait_for(
        &format!("{PREVIEW_TEXT}.indexOf('您对课后服务有什么建议？') >= 0"),
        20,
    )
    .await;

    // Drag the second question above the first (the script's drag handlers, fired as a
    // mouse drag fires them; WebDriver cannot start a native drag in Chromium).
    b.mark_page().await;
    b.eval(
        "var items = document.querySelectorAll('#questions > li');
         var dt = new DataTransfer();
         var fire = function (el, type, y) {
           var r = el.getBoundingClientRect();
           el.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true,
             dataTransfer: dt, clientX: r.left + 10, clientY: y === undefined ? r.top + 2 : y}));
         };
         fire(items[1], 'dragstart');
         fire(items[0], 'dragover');
         fire(items[0], 'drop');
         fire(items[1], 'dragend');",
        vec![],
    )
    .await;
    b.wait_new_page(20).await;
    let first = b
        .eval(
            "return document.querySelector('[name=\"q0.title\"]').value;",
            vec![],
        )
        .await;
    assert_eq!(first, serde_json::json!("您对课后服务有什么建议？"));
    b.wait_for(
        &format!(
            "{PREVIEW_TEXT}.indexOf('您对课后服务有什么建议？') >= 0 && \
             {PREVIEW_TEXT}.indexOf('您对课后服务有什么建议？') < {PREVIEW_TEXT}.indexOf('孩子需要课后托管吗？')"
        ),
        20,
    )
    .await;
    b.shot("survey-editor").await;

    // The list and the editor fit a phone and a desk, and axe-core finds nothing.
    let editor = b.path().await;
    for px in [390, 1280] {
        b.cdp(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({"width": px, "height": 900, "deviceScaleFactor": 1, "mobile": px < 600}),
        )
        .await;
        for path in ["/admin/surveys", editor.as_str()] {
            b.goto(&format!("{}{path}", app.address)).await;
            let wide = b
                .eval(
                    "return [document.documentElement.scrollWidth, window.innerWidth];",
                    vec![],
                )
                .await;
            assert!(
                wide[0].as_i64() <= wide[1].as_i64(),
                "{path} at {px} px is {wide} wide"
            );
            b.assert_axe_clean(&format!("{path} at {px} px")).await;
            if path == editor && px == 1280 {
                let shot = b.shot("survey-editor-1280").await;
                b.doc_copy(&shot, "survey-editor").await;
            }
        }
    }
    // The preview alone, as a 360 × 640 phone shows it.
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({"width": 360, "height": 640, "deviceScaleFactor": 2, "mobile": true}),
    )
    .await;
    b.goto(&format!("{}{editor}/preview", app.address)).await;
    let text = b.eval("return document.body.innerText;", vec![]).await;
    assert!(text.to_string().contains("孩子需要课后托管吗？"), "{text}");
    let shot = b.shot("survey-preview-360").await;
    b.doc_copy(&shot, "survey-preview").await;
}
