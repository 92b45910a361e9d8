//! Old phones and WeChat's browser: zoom allowed, text ≥ 16 px and tap
//! targets ≥ 44 px on every parent page, and nothing newer than Chrome 80 /
//! iOS Safari 13 in the script and styles.

use std::path::Path;

use serde_json::json;

use super::driver::{chromedriver, node_module, Browser, Js};
use super::journey::open_and_consent;
use crate::helpers::spawn_app;

/// Checks the page that is open; `what` names it in messages.
pub(super) async fn assert_phone_rules(b: &Browser, what: &str) {
    let v = b
        .eval(
            "var out = {viewport: '', small_text: [], small_targets: []};
             var m = document.querySelector('meta[name=viewport]');
             out.viewport = m ? m.getAttribute('content') : '';
             var all = document.body.querySelectorAll('*');
             for (var i = 0; i < all.length; i++) {
               var el = all[i];
               if (!el.getClientRects().length) { continue; }
               var own = '';
               for (var c = el.firstChild; c; c = c.nextSibling) {
                 if (c.nodeType === 3) { own += c.nodeValue.trim(); }
               }
               var size = parseFloat(getComputedStyle(el).fontSize);
               if (own && size < 16) { out.small_text.push(el.tagName + ' ' + size + 'px: ' + own.slice(0, 20)); }
             }
             var targets = document.querySelectorAll('a[href], button, select, textarea, input:not([type=hidden])');
             for (var j = 0; j < targets.length; j++) {
               var t = targets[j];
               if (!t.getClientRects().length) { continue; }
               var box = (t.type === 'radio' || t.type === 'checkbox') ? t.closest('label') : t;
               var r = box.getBoundingClientRect();
               if (r.width < 44 || r.height < 44) {
                 out.small_targets.push((t.name || t.id || t.tagName) + ' ' + Math.round(r.width) + '×' + Math.round(r.height));
               }
             }
             return out;",
            vec![],
        )
        .await;
    let viewport = v["viewport"].as_str().unwrap_or_default().replace(' ', "");
    assert!(
        viewport.contains("width=device-width"),
        "{what}: {viewport}"
    );
    assert!(
        !viewport.contains("user-scalable=no")
            && !viewport.contains("user-scalable=0")
            && !viewport.contains("maximum-scale"),
        "{what}: zoom disabled by {viewport}"
    );
    assert_eq!(v["small_text"], json!([]), "{what}: text under 16 px");
    assert_eq!(
        v["small_targets"],
        json!([]),
        "{what}: tap targets under 44 px"
    );
}

#[tokio::test]
async fn parent_pages_allow_zoom_with_16_px_text_and_44_px_targets() {
    let test = "parent_pages_allow_zoom_with_16_px_text_and_44_px_targets";
    let Some(cd) = chromedriver(test) else { return };
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let mut b = Browser::start(&cd, test, Js::On).await;

    open_and_consent(&mut b, &app.address, &slug, "rules").await;
    assert_phone_rules(&b, "form").await;
    // A follow-up step shown, then the page with errors (the whole form sent at once).
    b.tap("input[name=\"q.need\"][value=\"yes\"]").await;
    b.tap("#go-next").await;
    assert_phone_rules(&b, "form with its step errors").await;
    b.mark_page().await;
    b.eval("document.getElementById('survey-form').submit();", vec![])
        .await;
    b.wait_new_page(30).await;
    assert!(b.is_displayed("#form-alert").await);
    assert_phone_rules(&b, "form with errors").await;
    b.goto(&format!("{}/s/{slug}", app.address)).await;
    assert_phone_rules(&b, "letter").await;
    b.goto(&format!("{}/s/{slug}/thanks", app.address)).await;
    assert_phone_rules(&b, "thank-you page").await;
    b.goto(&format!("{}/s/nothing-here", app.address)).await;
    assert_phone_rules(&b, "not found").await;
    b.assert_axe_clean("not found").await;
    b.goto(&format!("{}/c/ABCDEFGHJKMNPQRSTVWX", app.address))
        .await;
    assert_phone_rules(&b, "unknown code").await;
    b.assert_axe_clean("unknown code").await;
    // A round that has closed: the parent gets a message page.
    let closed = app.publish("parent-satisfaction", "-30", "-1");
    let closed = app.slug(closed, "3505820001");
    b.goto(&format!("{}/s/{closed}", app.address)).await;
    assert_phone_rules(&b, "closed round").await;
    b.assert_axe_clean("closed round").await;
}

/// CSS that Chrome 80 or iOS Safari 13 lacks (flex `gap` is Chrome 84 /
/// Safari 14.1, `clamp()` Safari 13.1, `:focus-visible` Chrome 86 / Safari
/// 15.4, and so on).
const NEWER_CSS: &[&str] = &[
    "gap:",
    "aspect-ratio",
    "inset:",
    ":is(",
    ":where(",
    ":has(",
    ":focus-visible",
    "clamp(",
    "@container",
    "@layer",
    "color-mix(",
    "dvh",
    "svh",
    "lvh",
    "accent-color",
    "content-visibility",
    "overflow:clip",
    "text-underline-offset",
    "scroll-margin",
    "backdrop-filter",
    "appearance:",
    "&",
];

/// Browser APIs newer than Chrome 80 / iOS Safari 13 that ES5 parsing cannot catch.
const NEWER_JS: &[&str] = &[
    "replaceAll(",
    "structuredClone",
    ".at(",
    "Object.hasOwn",
    "toSorted",
    "findLast",
    "Promise.any",
    "AbortSignal.timeout",
    "requestIdleCallback",
    "queueMicrotask",
    "?.",
    "??",
];

#[test]
fn script_and_styles_stay_within_chrome_80_and_ios_13() {
    let Some(_) = chromedriver("script_and_styles_stay_within_chrome_80_and_ios_13") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let js_path = root.join("static/survey.js");
    let js = std::fs::read_to_string(&js_path).expect("survey.js");
    assert!(js.len() < 14 * 1024, "survey.js is {} bytes", js.len());

    // ES5 syntax: acorn refuses anything later (let, =>, classes, template strings …).
    let acorn = node_module("acorn/dist/acorn.js");
    let out = std::process::Command::new("node")
        .arg("-e")
        .arg(
            "const src = require('fs').readFileSync(process.argv[2], 'utf8');
             require(process.argv[1]).parse(src, {ecmaVersion: 5, sourceType: 'script'});",
        )
        .arg(&acorn)
        .arg(&js_path)
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "survey.js is not ES5: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for api in NEWER_JS {
        assert!(!js.contains(api), "survey.js uses {api}");
    }
    for css_file in ["static/app.css", "partials/print_css.hbs"] {
        let css = std::fs::read_to_string(root.join(css_file)).expect("css");
        let css: String = css.split_whitespace().collect();
        for feature in NEWER_CSS {
            assert!(!css.contains(feature), "{css_file} uses {feature}");
        }
    }
}
