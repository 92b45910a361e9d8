//! The bureau imports a 问卷星 export on a phone: the file is picked in the page's own form and
//! sent by its button (token first, as a browser orders the parts), and the problems and the
//! converted file can be read at 390 px without the page scrolling sideways; both pages are
//! axe-clean.

use std::path::Path;

use kehou_survey::domain::account::Role;
use serde_json::json;

use super::driver::{chromedriver, Browser, Js};
use crate::helpers::spawn_app;
use crate::staff_helpers::PASSWORD;

#[tokio::test]
async fn the_bureau_imports_a_wjx_export_on_a_phone() {
    let Some(driver) = chromedriver("browser::survey_import") else {
        return;
    };
    let app = spawn_app().await;
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let mut b = Browser::start(&driver, "survey_import", Js::On).await;
    b.goto(&format!("{}/login", app.address)).await;
    b.type_into("[name=\"email\"]", "admin@bureau.cn").await;
    b.type_into("[name=\"password\"]", PASSWORD).await;
    b.mark_page().await;
    b.tap("form button[type=\"submit\"]").await;
    b.wait_new_page(20).await;

    b.goto(&format!("{}/admin/surveys/import", app.address))
        .await;
    b.assert_axe_clean("the upload page").await;
    b.choose("select[name=\"format\"]", "wjx").await;
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/wjx-after-school.txt");
    let input = b
        .cdp(
            "Runtime.evaluate",
            json!({"expression": "document.querySelector('input[type=file]')"}),
        )
        .await;
    let object = input["result"]["objectId"].clone();
    assert!(object.is_string(), "{input}");
    b.cdp(
        "DOM.setFileInputFiles",
        json!({"files": [file.to_str().unwrap()], "objectId": object}),
    )
    .await;
    b.mark_page().await;
    b.tap("main form button[type=\"submit\"]").await;
    b.wait_new_page(20).await;

    let text = b.eval("return document.body.innerText;", vec![]).await;
    let text = text.as_str().unwrap();
    assert!(
        text.contains("已转换“课后服务家长需求调查问卷”，共 10 道题"),
        "{text}"
    );
    assert!(
        text.contains("第 44 行") && text.contains("矩阵单选题"),
        "{text}"
    );
    assert!(text.contains("title = \"您的孩子在读几年级？\""), "{text}");
    let wide = b
        .eval(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await;
    let (doc, view) = (wide[0].as_i64().unwrap(), wide[1].as_i64().unwrap());
    assert!(
        doc <= view,
        "the result page is {doc} px wide on a {view} px phone"
    );
    b.assert_axe_clean("the result page").await;
    b.shot("import-result").await;
}
