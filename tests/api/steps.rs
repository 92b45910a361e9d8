//! A survey in steps, as a parent without script walks it through the real HTTP form: a
//! follow-up arrives as the next step and never as an error, going back keeps every answer,
//! the ranking offers only the categories chosen, and what is asked depends on the school
//! and on the round.

use crate::helpers::{encode, error_ids, fieldset, html_of, is_hidden, spawn_app, TestApp};

/// Whether page `n` of the form is the one shown.
fn page_shown(html: &str, n: usize) -> bool {
    html.contains(&format!("<section class=\"page\" data-page=\"{n}\">"))
}

async fn step(
    app: &TestApp,
    slug: &str,
    idem: &str,
    page: &str,
    go: &str,
    answers: &[(&str, &str)],
) -> (u16, String) {
    let mut pairs = vec![("consent", "yes"), ("idem", idem), ("page", page)];
    if !go.is_empty() {
        pairs.push(("go", go));
    }
    pairs.extend_from_slice(answers);
    let resp = app.post_form(slug, encode(&pairs)).await;
    let status = resp.status().as_u16();
    if status == 303 {
        return (status, String::new());
    }
    (status, html_of(resp).await)
}

/// The standard roster and a needs round as published by default (no optional section).
fn default_round(app: &TestApp) -> i64 {
    app.import_standard_roster();
    app.publish("after-school-needs", "-1", "+30")
}

#[tokio::test]
async fn without_script_follow_ups_arrive_as_the_next_step_and_back_keeps_every_answer() {
    let app = spawn_app().await;
    let round = default_round(&app);
    let slug = app.slug(round, "3505820001");
    let (html, idem) = app.open_form(&slug, None).await;
    assert!(page_shown(&html, 1) && !page_shown(&html, 2));
    assert!(html.contains("id=\"go-next\">下一步</button>"));

    let mut answers = vec![("q.grade", "3"), ("q.class", "2"), ("q.need", "yes")];
    let (status, html) = step(&app, &slug, &idem, "1", "next", &answers).await;
    assert_eq!(status, 200);
    assert!(page_shown(&html, 2), "the times are the next step");
    assert!(!is_hidden(&html, "days") && !is_hidden(&html, "categories"));
    assert!(
        error_ids(&html).is_empty() && !html.contains("需要修改"),
        "no error text on a next step"
    );
    assert!(html.contains(&format!("name=\"idem\" value=\"{idem}\"")));

    // A required question of this step left out is the parent's own omission.
    let (status, html) = step(&app, &slug, &idem, "2", "next", &answers).await;
    assert_eq!(status, 422);
    assert!(page_shown(&html, 2));
    assert_eq!(error_ids(&html), ["days", "end_time", "categories"]);

    answers.extend([
        ("q.days", "mon"),
        ("q.end_time", "t1730"),
        ("q.categories", "science"),
        ("q.categories", "reading"),
    ]);
    let (status, html) = step(&app, &slug, &idem, "2", "next", &answers).await;
    assert_eq!(status, 200);
    assert!(page_shown(&html, 3) && error_ids(&html).is_empty());
    assert!(!is_hidden(&html, "science_items") && is_hidden(&html, "sports_items"));
    // The ranking offers the two categories chosen, in two places.
    let rank = fieldset(&html, "top3");
    assert!(rank.contains("value=\"science\"") && rank.contains("value=\"reading\""));
    assert!(!rank.contains("value=\"arts\""), "{rank}");
    assert!(rank.contains("<div class=\"rank-pos\" hidden><label for=\"q-top3-3\">"));
    // Rural items are not asked at a city school.
    assert!(!html.contains("id=\"f-rural_items\""));

    // Back: the times again, every answer as given.
    let (status, html) = step(&app, &slug, &idem, "3", "back", &answers).await;
    assert_eq!(status, 200);
    assert!(page_shown(&html, 2));
    assert!(fieldset(&html, "days").contains("value=\"mon\" checked"));
    assert!(fieldset(&html, "categories").contains("value=\"reading\" checked"));

    answers.extend([
        ("q.science_items", "science.maker"),
        ("q.top3.1", "reading"),
        ("q.top3.2", "science"),
    ]);
    let (status, html) = step(&app, &slug, &idem, "3", "next", &answers).await;
    assert_eq!(status, 200);
    assert!(page_shown(&html, 4), "fees and suggestions");
    assert!(html.contains("id=\"go-submit\">提交问卷</button>"));
    assert!(
        !html.contains("id=\"f-summer_care\""),
        "summer care is not asked by default"
    );
    answers.push(("q.fee", "standard"));
    let (status, _) = step(&app, &slug, &idem, "4", "", &answers).await;
    assert_eq!(status, 303);
    let stored = app.stored_answers(&idem);
    assert_eq!(stored["top3"], serde_json::json!(["reading", "science"]));
    assert_eq!(
        stored["categories"],
        serde_json::json!(["science", "reading"])
    );
    assert!(stored.get("summer_care").is_none());
}

#[tokio::test]
async fn a_family_ticking_one_category_submits_without_ranking_others() {
    let app = spawn_app().await;
    let round = default_round(&app);
    let slug = app.slug(round, "3505820001");
    let answers = [
        ("q.grade", "3"),
        ("q.class", "2"),
        ("q.need", "yes"),
        ("q.days", "fri"),
        ("q.end_time", "t1700"),
        ("q.categories", "science"),
        ("q.science_items", "science.experiment"),
    ];
    let idem = app.submit(&slug, &answers).await;
    let stored = app.stored_answers(&idem);
    assert!(stored.get("top3").is_none(), "{stored}");
    assert_eq!(app.response_count(round), 1);
}

#[tokio::test]
async fn a_family_not_sure_may_skip_days_and_times() {
    let app = spawn_app().await;
    let round = default_round(&app);
    let slug = app.slug(round, "3505820001");
    let answers = [
        ("q.grade", "3"),
        ("q.class", "2"),
        ("q.need", "unsure"),
        ("q.categories", "reading"),
    ];
    let idem = app.submit(&slug, &answers).await;
    assert_eq!(app.stored_answers(&idem)["need"], "unsure");
}

#[tokio::test]
async fn rural_items_are_asked_at_town_and_village_schools_and_summer_care_when_the_round_asks() {
    let app = spawn_app().await;
    let round = default_round(&app);
    let (town, _) = app.open_form(&app.slug(round, "3505820002"), None).await;
    assert!(town.contains("id=\"f-rural_items\""));
    let (city, _) = app.open_form(&app.slug(round, "3505820001"), None).await;
    assert!(!city.contains("id=\"f-rural_items\""));
    // An answer to a question not asked at this school is dropped, not stored.
    let slug = app.slug(round, "3505820001");
    let idem = app
        .submit(
            &slug,
            &[
                ("q.grade", "1"),
                ("q.class", "1"),
                ("q.need", "no"),
                ("q.rural_items", "rural_local.farm"),
                ("q.summer_care", "yes"),
            ],
        )
        .await;
    let stored = app.stored_answers(&idem);
    assert!(stored.get("rural_items").is_none() && stored.get("summer_care").is_none());

    let dir = app.survey_dir.clone();
    let summer = app.publish_with(
        &dir,
        "after-school-needs",
        ("-1", "+30"),
        &["--sections", "summer"],
    );
    let (html, _) = app.open_form(&app.slug(summer, "3505820001"), None).await;
    assert!(html.contains("id=\"f-summer_care\""));
    // A section the survey does not have is refused when publishing.
    let out = app.cli_in(
        &dir,
        &[
            "publish",
            "--survey",
            "after-school-needs",
            "--name",
            "错误",
            "--closes",
            "2099-01-01",
            "--sections",
            "winter",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有可选部分“winter”"));
}

#[tokio::test]
async fn a_recount_brings_a_round_counted_by_an_older_rule_up_to_date() {
    use diesel::prelude::*;
    use kehou_survey::db::schema::rounds;
    let app = spawn_app().await;
    let round = default_round(&app);
    let version = |app: &TestApp| -> i32 {
        rounds::table
            .find(round)
            .select(rounds::tally_version)
            .first(&mut app.conn())
            .unwrap()
    };
    assert_eq!(version(&app), kehou_survey::domain::tally::VERSION);
    diesel::update(rounds::table.find(round))
        .set(rounds::tally_version.eq(1))
        .execute(&mut app.conn())
        .unwrap();
    let out = app.cli_in(
        &app.survey_dir.clone(),
        &["recount", "--round", &round.to_string()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(version(&app), kehou_survey::domain::tally::VERSION);
}
