//! The parent's whole journey on a phone, with JavaScript off and on: the
//! letter's QR link, consent, every question type, a validation error and its
//! fix, the thank-you page and the stored row; and the same with the keyboard
//! alone.

use serde_json::{json, Value};

use super::driver::{chromedriver, Browser, Js};
use crate::helpers::{spawn_app, TestApp};

/// One answer as a parent gives it.
#[derive(Clone, Copy, Debug)]
pub enum A {
    /// Tap a radio button or checkbox: (field name, value).
    Tap(&'static str, &'static str),
    /// Choose an option of a `<select>`.
    Pick(&'static str, &'static str),
    /// Type into a number field or text area.
    Type(&'static str, &'static str),
}

impl A {
    fn name(&self) -> &'static str {
        match self {
            A::Tap(n, _) | A::Pick(n, _) | A::Type(n, _) => n,
        }
    }

    pub fn css(&self) -> String {
        match self {
            A::Tap(n, v) => format!("input[name=\"{n}\"][value=\"{v}\"]"),
            A::Pick(n, _) | A::Type(n, _) => format!("[name=\"{n}\"]"),
        }
    }
}

/// The needs survey answered in full (every type but the 1–5 scale), with
/// one mistake: 12 summer weeks where at most 8 are allowed.
pub fn needs_answers() -> Vec<A> {
    vec![
        A::Pick("q.grade", "3"),
        A::Pick("q.class", "2"),
        A::Tap("q.need", "yes"),
        A::Tap("q.days", "mon"),
        A::Tap("q.days", "wed"),
        A::Tap("q.end_time", "t1730"),
        A::Tap("q.categories", "science"),
        A::Tap("q.categories", "sports"),
        A::Tap("q.categories", "reading"),
        A::Tap("q.science_items", "science.experiment"),
        A::Tap("q.sports_items", "sports.ball"),
        A::Pick("q.top3.1", "science"),
        A::Pick("q.top3.2", "sports"),
        A::Pick("q.top3.3", "reading"),
        A::Tap("q.fee", "free"),
        A::Tap("q.summer_care", "yes"),
        A::Type("q.summer_weeks", "12"),
        A::Type("q.suggestion", "希望多开设科学实验课。"),
    ]
}

pub const FIX_WEEKS: (&str, A) = ("summer_weeks", A::Type("q.summer_weeks", "4"));

/// Answers every shown question whose field does not yet hold the answer.
pub async fn fill(b: &Browser, answers: &[A]) {
    for a in answers {
        let css = a.css();
        if !b.is_displayed(&css).await {
            continue;
        }
        match a {
            A::Tap(..) => {
                if !b.is_checked(&css).await {
                    b.tap(&css).await;
                    assert!(b.is_checked(&css).await, "the tap did not check {css}");
                }
            }
            A::Pick(_, v) => b.choose(&css, v).await,
            A::Type(_, v) => {
                let now = b
                    .eval(
                        "return document.querySelector(arguments[0]).value;",
                        vec![json!(css)],
                    )
                    .await;
                if now != json!(v) {
                    b.type_into(&css, v).await;
                }
            }
        }
    }
}

/// Answers page by page: fills what each page shows and presses 下一步 until the last page
/// (in place with the script, a new page from the server without). No step shows an error:
/// follow-up questions arrive as the next step.
pub async fn fill_steps(b: &Browser, answers: &[A]) {
    for _ in 0..8 {
        fill(b, answers).await;
        if !b.is_displayed("#go-next").await {
            return;
        }
        if b.js == Js::Off {
            b.mark_page().await;
        }
        b.tap("#go-next").await;
        if b.js == Js::Off {
            b.wait_new_page(20).await;
        }
        let errors = b
            .eval("return document.querySelectorAll('.err').length;", vec![])
            .await;
        assert_eq!(errors, json!(0), "a next step shows errors");
    }
    panic!("more than 8 steps");
}

/// Every message sits in its question, is an alert, and describes its fieldset.
async fn assert_errors_announced(b: &Browser) -> Vec<String> {
    let v = b
        .eval(
            "var out = {ids: [], bad: []};
             var errs = document.querySelectorAll('.err');
             for (var i = 0; i < errs.length; i++) {
               var e = errs[i], fs = e.closest('fieldset');
               out.ids.push(e.id.replace(/^e-/, ''));
               if (!fs || e.getAttribute('role') !== 'alert' || e.id !== 'e-' + fs.id.slice(2)
                   || fs.getAttribute('aria-describedby') !== e.id || !e.getClientRects().length) {
                 out.bad.push(e.outerHTML);
               }
             }
             var a = document.getElementById('form-alert');
             out.alert = !!a && a.getAttribute('role') === 'alert';
             return out;",
            vec![],
        )
        .await;
    assert_eq!(v["bad"], json!([]), "badly tied error messages");
    assert_eq!(v["alert"], json!(true), "no summary alert: {v}");
    serde_json::from_value(v["ids"].clone()).expect("ids")
}

pub async fn wait_after_submit(b: &Browser) -> bool {
    b.wait_new_page(30).await;
    b.eval(
        "return !!document.querySelector('[data-draft-clear]');",
        vec![],
    )
    .await
        == json!(true)
}

/// Answers, submits and fixes until the thank-you page (at most 4 submits).
/// Returns the form's idempotency key and the error ids of each round.
pub async fn submit_until_thanks(
    b: &mut Browser,
    answers: &mut [A],
    fixes: &[(&str, A)],
    label: &str,
) -> (String, Vec<Vec<String>>) {
    let mut rounds = Vec::new();
    loop {
        fill_steps(b, answers).await;
        let idem = b
            .eval(
                "return document.querySelector('input[name=idem]').value;",
                vec![],
            )
            .await;
        let idem = idem.as_str().expect("idem").to_string();
        b.shot(&format!("{label}-answered")).await;
        b.mark_page().await;
        b.tap("#go-submit").await;
        if wait_after_submit(b).await {
            b.shot(&format!("{label}-thanks")).await;
            return (idem, rounds);
        }
        let errs = assert_errors_announced(b).await;
        assert!(!errs.is_empty(), "neither errors nor the thank-you page");
        if b.js == Js::On {
            // The page was swapped in by survey.js: focus moves to the summary.
            let focus = b.eval("return document.activeElement.id;", vec![]).await;
            assert_eq!(focus, json!("form-alert"));
        }
        let path = b.shot(&format!("{label}-errors")).await;
        b.assert_axe_clean(&format!("{label}: form with errors"))
            .await;
        if rounds.is_empty() && label == "needs" {
            b.doc_copy(&path, "form-errors").await;
        }
        for (qid, fix) in fixes {
            if errs.iter().any(|e| e == qid) {
                for a in answers.iter_mut().filter(|a| a.name() == fix.name()) {
                    *a = *fix;
                }
            }
        }
        rounds.push(errs);
        assert!(rounds.len() < 4, "still errors after 3 rounds: {rounds:?}");
    }
}

/// Opens the school's link as the QR code gives it and consents.
pub async fn open_and_consent(b: &mut Browser, base: &str, slug: &str, label: &str) {
    b.goto(&format!("{base}/s/{slug}")).await;
    let h = b.eval("return document.body.innerText;", vec![]).await;
    assert!(h.as_str().is_some_and(|t| t.contains("知情同意")), "{h}");
    let path = b.shot(&format!("{label}-letter")).await;
    if label == "needs" {
        b.doc_copy(&path, "letter").await;
    }
    b.assert_axe_clean(&format!("{label}: letter")).await;
    b.mark_page().await;
    b.tap("form button.btn").await;
    b.wait_new_page(20).await;
    assert_eq!(b.path().await, format!("/s/{slug}/form"));
}

async fn journey(js: Js, test: &str) {
    let Some(cd) = chromedriver(test) else { return };
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let mut b = Browser::start(&cd, test, js).await;

    open_and_consent(&mut b, &app.address, &slug, "needs").await;
    let path = b.shot("needs-form").await;
    b.doc_copy(&path, "form").await;
    b.assert_axe_clean("needs: empty form").await;

    // Follow-up questions come as the next step, with the script and without.
    b.tap("input[name=\"q.need\"][value=\"yes\"]").await;
    assert!(!b.is_displayed("#f-days").await, "{js:?}");

    let mut answers = needs_answers();
    let (idem, rounds) = submit_until_thanks(&mut b, &mut answers, &[FIX_WEEKS], "needs").await;
    assert!(
        rounds
            .iter()
            .any(|r| r.contains(&"summer_weeks".to_string())),
        "{rounds:?}"
    );
    if js == Js::On {
        assert_eq!(rounds, vec![vec!["summer_weeks".to_string()]]);
    }
    assert_eq!(b.path().await, format!("/s/{slug}/thanks"));
    let path = b.shot("needs-thanks").await;
    b.doc_copy(&path, "thanks").await;
    b.assert_axe_clean("needs: thank-you page").await;

    assert_eq!(app.response_count(round), 1);
    let stored = app.stored_answers(&idem);
    assert_eq!(stored["need"], "yes");
    assert_eq!(stored["days"], json!(["mon", "wed"]));
    assert_eq!(stored["top3"], json!(["science", "sports", "reading"]));
    assert_eq!(stored["summer_weeks"], json!(4));
    assert_eq!(stored["suggestion"], "希望多开设科学实验课。");

    satisfaction_scale(&app, &mut b).await;
}

/// The 1–5 scale, on the satisfaction survey.
async fn satisfaction_scale(app: &TestApp, b: &mut Browser) {
    let round = app.publish("parent-satisfaction", "-1", "+30");
    let slug = app.slug(round, "3505820001");
    open_and_consent(b, &app.address, &slug, "satisfaction").await;
    let mut answers = vec![
        A::Pick("q.grade", "4"),
        A::Tap("q.participates", "yes"),
        A::Tap("q.overall", "5"),
        A::Tap("q.sat_content", "4"),
        A::Tap("q.sat_time", "3"),
        A::Tap("q.sat_safety", "5"),
        A::Tap("q.sat_teachers", "5"),
        A::Tap("q.open_day", "no"),
        A::Tap("q.improve", "more_science"),
    ];
    let (idem, _) = submit_until_thanks(b, &mut answers, &[], "satisfaction").await;
    assert_eq!(app.response_count(round), 1);
    let stored = app.stored_answers(&idem);
    assert_eq!(stored["overall"], json!(5));
    assert_eq!(stored["sat_time"], json!(3));
}

#[tokio::test]
async fn phone_journey_without_javascript() {
    journey(Js::Off, "phone_journey_without_javascript").await;
}

#[tokio::test]
async fn phone_journey_with_javascript() {
    journey(Js::On, "phone_journey_with_javascript").await;
}

/// Tabs until the focus is on `css` (at most 40 presses) and checks that the
/// focus is visible.
async fn tab_to(b: &Browser, css: &str) {
    for _ in 0..40 {
        let v: Value = b
            .eval(
                "var el = document.activeElement;
                 return el && el.matches(arguments[0]) ? getComputedStyle(el).outlineStyle : null;",
                vec![json!(css)],
            )
            .await;
        if let Some(style) = v.as_str() {
            assert_ne!(style, "none", "focus on {css} is not visible");
            return;
        }
        b.key("Tab").await;
    }
    panic!("Tab never reached {css}");
}

#[tokio::test]
async fn the_survey_works_with_the_keyboard_alone() {
    let test = "the_survey_works_with_the_keyboard_alone";
    let Some(cd) = chromedriver(test) else { return };
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820002");
    let mut b = Browser::start(&cd, test, Js::On).await;

    b.goto(&format!("{}/s/{slug}", app.address)).await;
    tab_to(&b, "form button.btn").await;
    b.mark_page().await;
    b.key("Enter").await;
    b.wait_new_page(20).await;
    assert_eq!(b.path().await, format!("/s/{slug}/form"));

    tab_to(&b, "#q-grade").await;
    b.key("ArrowDown").await; // the first grade
    tab_to(&b, "#q-class").await;
    b.key("ArrowDown").await; // class 1
    tab_to(&b, "input[name=\"q.need\"][value=\"yes\"]").await;
    b.key(" ").await;
    b.key("ArrowDown").await; // unsure
    b.key("ArrowDown").await; // no: the reasons question comes next
    tab_to(&b, "#go-next").await;
    b.key("Enter").await;
    tab_to(&b, "input[name=\"q.no_reason\"][value=\"family_care\"]").await;
    b.key(" ").await;
    // Nothing else is asked of a family that does not need the service until the last step.
    tab_to(&b, "#go-next").await;
    b.key("Enter").await;
    tab_to(&b, "input[name=\"q.summer_care\"][value=\"yes\"]").await;
    b.key(" ").await;
    tab_to(&b, "#q-summer_weeks").await;
    b.cdp("Input.insertText", json!({"text": "3"})).await;
    b.shot("keyboard-answered").await;
    let idem = b
        .eval(
            "return document.querySelector('input[name=idem]').value;",
            vec![],
        )
        .await;
    tab_to(&b, "#go-submit").await;
    b.mark_page().await;
    b.key("Enter").await;
    assert!(wait_after_submit(&b).await, "no thank-you page");
    b.shot("keyboard-thanks").await;

    assert_eq!(app.response_count(round), 1);
    let stored = app.stored_answers(idem.as_str().expect("idem"));
    assert_eq!(stored["grade"], json!(1), "{stored}");
    assert_eq!(stored["class"], json!(1), "{stored}");
    assert_eq!(stored["need"], "no");
    assert_eq!(stored["no_reason"], json!(["family_care"]));
    assert_eq!(stored["summer_care"], "yes");
    assert_eq!(stored["summer_weeks"], json!(3));
}
