//! The front page on a phone: axe-clean, zoomable, 16 px text, 44 px targets, nothing
//! wider than the screen.

use super::driver::{chromedriver, Browser, Js};
use super::phone::assert_phone_rules;
use crate::helpers::spawn_app;

#[tokio::test]
async fn the_front_page_is_axe_clean_and_fits_a_phone() {
    let test = "the_front_page_is_axe_clean_and_fits_a_phone";
    let Some(cd) = chromedriver(test) else { return };
    let app = spawn_app().await;
    let mut b = Browser::start(&cd, test, Js::On).await;
    b.goto(&format!("{}/", app.address)).await;
    assert_phone_rules(&b, "front page").await;
    b.assert_axe_clean("front page").await;
    let overflow = b
        .eval(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await;
    assert!(
        overflow.as_i64().unwrap_or(1) <= 0,
        "the front page scrolls sideways by {overflow} px"
    );
    b.shot("front").await;
}
