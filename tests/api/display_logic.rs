//! Display logic without JavaScript: the server decides which questions are
//! shown, drops answers to hidden ones and requires only visible ones.

use crate::helpers::{
    assert_field_error, assert_kept, encode, error_ids, fieldset, html_of, is_hidden, spawn_app,
    valid_needs_answers, with_meta,
};

#[tokio::test]
async fn answers_to_hidden_questions_are_not_stored() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    // need = no, but the answers to the need = yes questions are still sent
    // (the parent ticked them before changing their mind, without script).
    let answers: Vec<_> = valid_needs_answers()
        .into_iter()
        .map(|(k, v)| if k == "q.need" { (k, "no") } else { (k, v) })
        .chain([("q.no_reason", "family_care")])
        .collect();
    let idem = app.submit(&slug, &answers).await;
    assert_eq!(app.response_count(round), 1);

    let json = app.stored_answers(&idem);
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["class", "grade", "need", "no_reason", "summer_care"],
        "{json}"
    );
    assert_eq!(json["need"], "no");
    assert_eq!(json["no_reason"], serde_json::json!(["family_care"]));
    for hidden in [
        "days",
        "end_time",
        "categories",
        "science_items",
        "top3",
        "fee",
    ] {
        assert!(json.get(hidden).is_none(), "{hidden} stored: {json}");
    }
}

#[tokio::test]
async fn a_chain_of_follow_ups_hides_with_its_first_condition() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    // science_items depends on categories, which depends on need: with
    // need = unsure and no science category, science_items is dropped.
    let answers: Vec<_> = valid_needs_answers()
        .into_iter()
        .map(|(k, v)| match (k, v) {
            ("q.need", _) => (k, "unsure"),
            ("q.categories", "science") | ("q.top3.1", "science") => (k, "arts"),
            _ => (k, v),
        })
        .chain([("q.arts_items", "arts.music")])
        .collect();
    let idem = app.submit(&slug, &answers).await;
    let json = app.stored_answers(&idem);
    assert_eq!(json["need"], "unsure");
    assert_eq!(json["arts_items"], serde_json::json!(["arts.music"]));
    assert_eq!(
        json["categories"],
        serde_json::json!(["sports", "arts", "reading"])
    );
    assert!(json.get("science_items").is_none(), "{json}");
    assert_eq!(json["sports_items"], serde_json::json!(["sports.ball"]));
    assert_eq!(app.response_count(round), 1);
}

#[tokio::test]
async fn newly_visible_required_questions_must_be_answered() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let (_, idem) = app.open_form(&slug, None).await;
    let answers = [
        ("q.grade", "4"),
        ("q.class", "12"),
        ("q.need", "yes"),
        ("q.summer_care", "maybe"),
    ];
    let resp = app
        .post_form(&slug, encode(&with_meta(&idem, &answers)))
        .await;
    assert_eq!(resp.status(), 422);
    let html = html_of(resp).await;
    // Posted all at once, as by a client without pages; the ranking is not asked before any
    // category is chosen.
    assert_eq!(error_ids(&html), ["days", "end_time", "categories"]);
    for qid in ["days", "end_time", "categories"] {
        assert_field_error(&html, qid, "请回答此题");
        assert!(!is_hidden(&html, qid), "{qid} is shown now");
    }
    assert!(html.contains("有 3 道题需要修改"));
    // Optional follow-ups are shown but not required; unrelated chains stay hidden.
    assert!(!is_hidden(&html, "fee"));
    assert!(!is_hidden(&html, "summer_weeks"));
    assert!(is_hidden(&html, "no_reason"));
    assert!(is_hidden(&html, "science_items"));
    assert_kept(&html, &answers);
    // The same idempotency key is carried on.
    assert!(html.contains(&format!("name=\"idem\" value=\"{idem}\"")));
    assert_eq!(app.response_count(round), 0);
}

#[tokio::test]
async fn conditional_questions_start_hidden_with_data_for_the_script() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let (html, _) = app.open_form(&slug, None).await;

    assert!(!is_hidden(&html, "need"));
    assert!(!is_hidden(&html, "summer_care"));
    let days = fieldset(&html, "days");
    assert!(is_hidden(&html, "days"));
    assert!(days.starts_with(
        "<fieldset id=\"f-days\" hidden data-show-q=\"need\" data-show-any=\"yes unsure\">"
    ));
    assert!(is_hidden(&html, "science_items"));
    assert!(fieldset(&html, "science_items")
        .contains("data-show-q=\"categories\" data-show-any=\"science\""));
    // The ranking offers what the categories question chose, so it waits for an answer there.
    assert!(is_hidden(&html, "top3"));
    assert!(fieldset(&html, "top3").contains("data-from-q=\"categories\""));
    // Unconditional questions carry no data attributes.
    assert!(!fieldset(&html, "need").contains("data-show-q"));
}

#[tokio::test]
async fn the_script_is_small_and_nothing_comes_from_another_host() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let (html, _) = app.open_form(&slug, None).await;
    assert!(html.contains("<script src=\"/static/survey.js\" defer></script>"));
    assert!(
        !html.contains("http://"),
        "no absolute URL in the form page"
    );
    assert!(
        !html.contains("https://"),
        "no absolute URL in the form page"
    );
    assert!(!html.contains("src=\"//"));
    assert!(!html.contains("href=\"//"));

    let js = app.get("/static/survey.js").await;
    assert_eq!(js.status(), 200);
    assert!(js.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/javascript"));
    let js = js.bytes().await.unwrap();
    assert!(js.len() < 14 * 1024, "survey.js is {} bytes", js.len());
    let js = String::from_utf8(js.to_vec()).unwrap();
    assert!(js.contains("data-show-q"));
    assert!(!js.contains("http"));
}
