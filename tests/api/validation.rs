//! Every validation rule: the form comes back (422) with the message beside
//! its field and every other answer kept, and nothing is stored.

use crate::helpers::{
    assert_field_error, assert_kept, copy_survey_dir, encode, error_ids, html_of, spawn_app,
    spawn_app_with, valid_needs_answers, with_meta, TestApp,
};

/// Valid needs answers touching every question type the survey has.
fn needs() -> Vec<(&'static str, &'static str)> {
    // The standard answers, with summer care wanted so that the weeks
    // question shows, and a suggestion so that the text type is covered.
    let mut v: Vec<_> = valid_needs_answers()
        .into_iter()
        .filter(|(k, _)| *k != "q.summer_care")
        .collect();
    v.extend([
        ("q.summer_care", "yes"),
        ("q.summer_weeks", "3"),
        ("q.suggestion", "希望多开设科学实验课"),
    ]);
    v
}

/// Valid parent-satisfaction answers.
fn satisfaction() -> Vec<(&'static str, &'static str)> {
    vec![
        ("q.grade", "5"),
        ("q.participates", "yes"),
        ("q.overall", "4"),
        ("q.sat_content", "5"),
        ("q.sat_time", "3"),
        ("q.sat_safety", "5"),
        ("q.sat_teachers", "4"),
        ("q.open_day", "yes"),
        ("q.improve", "more_science"),
        ("q.improve", "homework"),
        ("q.suggestion", "作业辅导很好"),
    ]
}

/// `base` with the answers to `qid` replaced by `bad`.
fn replace<'a>(
    base: &[(&'a str, &'a str)],
    qid: &str,
    bad: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<_> = base
        .iter()
        .copied()
        .filter(|(k, _)| qid_of(k) != qid)
        .collect();
    out.extend_from_slice(bad);
    out
}

fn qid_of(field: &str) -> &str {
    field[2..].split('.').next().unwrap()
}

/// Posts `answers`, expects the form again with exactly one error, `message`
/// on `qid`, every other answer kept and nothing stored. Returns the page.
async fn expect_invalid(
    app: &TestApp,
    slug: &str,
    round: i64,
    answers: &[(&str, &str)],
    qid: &str,
    message: &str,
) -> String {
    let (_, idem) = app.open_form(slug, None).await;
    let resp = app
        .post_form(slug, encode(&with_meta(&idem, answers)))
        .await;
    assert_eq!(resp.status(), 422, "{answers:?}");
    let html = html_of(resp).await;
    assert_eq!(error_ids(&html), [qid], "{answers:?}");
    assert_field_error(&html, qid, message);
    assert!(html.contains("有 1 道题需要修改"));
    let others: Vec<_> = answers
        .iter()
        .copied()
        .filter(|(k, _)| qid_of(k) != qid)
        .collect();
    assert_kept(&html, &others);
    assert!(html.contains(&format!("name=\"idem\" value=\"{idem}\"")));
    assert_eq!(app.response_count(round), 0, "{answers:?}");
    html
}

async fn needs_round() -> (TestApp, i64, String) {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    (app, round, slug)
}

async fn satisfaction_round() -> (TestApp, i64, String) {
    let app = spawn_app().await;
    app.import_standard_roster();
    let round = app.publish("parent-satisfaction", "-1", "+30");
    let slug = app.slug(round, "3505820002");
    (app, round, slug)
}

#[tokio::test]
async fn the_base_answers_are_valid() {
    let (app, round, slug) = needs_round().await;
    let idem = app.submit(&slug, &needs()).await;
    assert_eq!(app.stored_answers(&idem)["summer_weeks"], 3);
    let (app2, round2, slug2) = satisfaction_round().await;
    let idem2 = app2.submit(&slug2, &satisfaction()).await;
    assert_eq!(app2.stored_answers(&idem2)["overall"], 4);
    assert_eq!(app.response_count(round), 1);
    assert_eq!(app2.response_count(round2), 1);
}

#[tokio::test]
async fn a_required_question_left_unanswered() {
    let (app, round, slug) = needs_round().await;
    let answers = replace(&needs(), "end_time", &[]);
    expect_invalid(&app, &slug, round, &answers, "end_time", "请回答此题").await;
    let answers = replace(&needs(), "summer_care", &[]);
    // summer_weeks depends on summer_care, so it is hidden and not checked.
    let answers = replace(&answers, "summer_weeks", &[]);
    expect_invalid(&app, &slug, round, &answers, "summer_care", "请回答此题").await;
    // An empty value is no answer.
    let answers = replace(&needs(), "end_time", &[("q.end_time", "")]);
    expect_invalid(&app, &slug, round, &answers, "end_time", "请回答此题").await;
}

#[tokio::test]
async fn a_multi_above_its_maximum() {
    let (app, round, slug) = satisfaction_round().await;
    let four = [
        ("q.improve", "more_science"),
        ("q.improve", "more_sports"),
        ("q.improve", "homework"),
        ("q.improve", "safety"),
    ];
    let answers = replace(&satisfaction(), "improve", &four);
    let html = expect_invalid(&app, &slug, round, &answers, "improve", "最多选择 3 项").await;
    // The ticked boxes themselves are kept too.
    assert_kept(&html, &four);
    // Three is allowed.
    let idem = app
        .submit(&slug, &replace(&satisfaction(), "improve", &four[..3]))
        .await;
    assert_eq!(
        app.stored_answers(&idem)["improve"],
        serde_json::json!(["more_science", "more_sports", "homework"])
    );
    assert_eq!(app.response_count(round), 1);
}

/// A survey with a `multi` that needs at least two options (none of the
/// shipped surveys has one), in a copy of the survey folder.
const MIN_SURVEY: &str = r#"
id = "min-test"
title = "最少选项测试问卷"
kind = "needs"
letter = "尊敬的家长：这是测试问卷。{{学校}}"
consent = "我已阅读上述说明，自愿填写本问卷。"
closing = "提交成功。"

[[questions]]
id = "grade"
title = "孩子所在的年级"
type = "grade"

[[questions]]
id = "days"
title = "请选择至少两天"
type = "multi"
min = 2
max = 4

[[questions.options]]
id = "mon"
label = "星期一"

[[questions.options]]
id = "tue"
label = "星期二"

[[questions.options]]
id = "wed"
label = "星期三"

[[questions.options]]
id = "thu"
label = "星期四"
"#;

#[tokio::test]
async fn a_multi_below_its_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let surveys = dir.path().join("surveys");
    copy_survey_dir(&surveys);
    std::fs::write(surveys.join("min-test.toml"), MIN_SURVEY).unwrap();
    let app = spawn_app_with(|s| s.survey_dir = surveys.clone()).await;
    app.import_standard_roster();
    let round = app.publish("min-test", "-1", "+30");
    let slug = app.slug(round, "3505820001");

    let answers = [("q.grade", "2"), ("q.days", "tue")];
    expect_invalid(&app, &slug, round, &answers, "days", "请至少选择 2 项").await;
    let answers = [("q.grade", "2")];
    expect_invalid(&app, &slug, round, &answers, "days", "请回答此题").await;
    let idem = app
        .submit(
            &slug,
            &[("q.grade", "2"), ("q.days", "thu"), ("q.days", "mon")],
        )
        .await;
    assert_eq!(
        app.stored_answers(&idem)["days"],
        serde_json::json!(["mon", "thu"])
    );
}

#[tokio::test]
async fn a_ranking_with_duplicates_gaps_or_too_few_places() {
    let (app, round, slug) = needs_round().await;
    let dup = [
        ("q.top3.1", "science"),
        ("q.top3.2", "science"),
        ("q.top3.3", "reading"),
    ];
    let answers = replace(&needs(), "top3", &dup);
    let html = expect_invalid(&app, &slug, round, &answers, "top3", "排名不能重复").await;
    assert_kept(&html, &dup);

    let gap = [("q.top3.1", "science"), ("q.top3.3", "reading")];
    let answers = replace(&needs(), "top3", &gap);
    let html = expect_invalid(
        &app,
        &slug,
        round,
        &answers,
        "top3",
        "请从第 1 位起依次排序，中间不要留空",
    )
    .await;
    assert_kept(&html, &gap);
    let gap = [
        ("q.top3.1", ""),
        ("q.top3.2", "science"),
        ("q.top3.3", "sports"),
    ];
    let answers = replace(&needs(), "top3", &gap);
    expect_invalid(
        &app,
        &slug,
        round,
        &answers,
        "top3",
        "请从第 1 位起依次排序，中间不要留空",
    )
    .await;

    let few = [("q.top3.1", "science"), ("q.top3.2", "sports")];
    let answers = replace(&needs(), "top3", &few);
    expect_invalid(&app, &slug, round, &answers, "top3", "请排出前 3 位").await;

    // Only categories the family chose can be ranked.
    let other = [
        ("q.top3.1", "science"),
        ("q.top3.2", "sports"),
        ("q.top3.3", "arts"),
    ];
    let answers = replace(&needs(), "top3", &other);
    expect_invalid(&app, &slug, round, &answers, "top3", "请在列出的选项中排序").await;
}

#[tokio::test]
async fn a_number_out_of_range_or_not_an_integer() {
    let (app, round, slug) = needs_round().await;
    for bad in ["0", "9", "-1", "2.5", "abc", "1e1", "+3", "3 周"] {
        let answers = replace(&needs(), "summer_weeks", &[("q.summer_weeks", bad)]);
        let html = expect_invalid(
            &app,
            &slug,
            round,
            &answers,
            "summer_weeks",
            "请填写 1 到 8 之间的整数",
        )
        .await;
        // What was typed is shown again so the parent can correct it.
        assert!(
            html.contains(&format!(
                "name=\"q.summer_weeks\" min=\"1\" max=\"8\" step=\"1\" value=\"{bad}\""
            )),
            "{bad}"
        );
    }
    // The bounds themselves, and full-width digits typed on a phone, are fine.
    for (typed, stored) in [("1", 1), ("8", 8), ("３", 3)] {
        let answers = replace(&needs(), "summer_weeks", &[("q.summer_weeks", typed)]);
        let idem = app.submit(&slug, &answers).await;
        assert_eq!(app.stored_answers(&idem)["summer_weeks"], stored);
    }
    assert_eq!(app.response_count(round), 3);
}

#[tokio::test]
async fn a_text_over_its_maximum_length_counting_characters() {
    let (app, round, slug) = needs_round().await;
    let long: String = "课".repeat(201);
    let answers = replace(&needs(), "suggestion", &[("q.suggestion", &long)]);
    let html = expect_invalid(
        &app,
        &slug,
        round,
        &answers,
        "suggestion",
        "不能超过 200 字",
    )
    .await;
    assert!(
        html.contains(&format!(">{long}</textarea>")),
        "the text is kept"
    );

    // 200 Chinese characters (600 bytes) are within the limit.
    let ok: String = "课".repeat(200);
    let answers = replace(&needs(), "suggestion", &[("q.suggestion", &ok)]);
    let idem = app.submit(&slug, &answers).await;
    assert_eq!(app.stored_answers(&idem)["suggestion"], ok.as_str());
    // Surrounding spaces are trimmed before counting.
    let padded = format!("  {ok}  ");
    let answers = replace(&needs(), "suggestion", &[("q.suggestion", &padded)]);
    let idem = app.submit(&slug, &answers).await;
    assert_eq!(app.stored_answers(&idem)["suggestion"], ok.as_str());
    assert_eq!(app.response_count(round), 2);
}

#[tokio::test]
async fn a_scale_value_outside_one_to_five() {
    let (app, round, slug) = satisfaction_round().await;
    for bad in ["0", "6", "-1", "3.5", "很满意"] {
        let answers = replace(&satisfaction(), "sat_time", &[("q.sat_time", bad)]);
        expect_invalid(
            &app,
            &slug,
            round,
            &answers,
            "sat_time",
            "请选择 1 到 5 之间的分值",
        )
        .await;
    }
}

#[tokio::test]
async fn a_grade_that_is_not_allowed() {
    let (app, round, slug) = needs_round().await;
    for bad in ["0", "10", "三", "3.0"] {
        let answers = replace(&needs(), "grade", &[("q.grade", bad)]);
        expect_invalid(&app, &slug, round, &answers, "grade", "请选择年级").await;
    }
}

/// 3505820001 is a primary school: grades 7–9 are neither offered nor accepted, and the
/// message says why beside the grade question. 3505820003 (junior middle) takes grade 9.
#[tokio::test]
async fn a_grade_the_school_does_not_teach() {
    let (app, round, slug) = needs_round().await;
    let (form, _) = app.open_form(&slug, None).await;
    assert!(
        form.contains("六年级") && !form.contains("七年级"),
        "{form}"
    );
    for grade in ["7", "9"] {
        let answers = replace(&needs(), "grade", &[("q.grade", grade)]);
        let label = if grade == "7" {
            "七年级"
        } else {
            "九年级"
        };
        let message = format!("本校是小学，没有{label}。请选择孩子现在就读的年级。");
        expect_invalid(&app, &slug, round, &answers, "grade", &message).await;
    }
    let junior = app.slug(round, "3505820003");
    let idem = app
        .submit(&junior, &replace(&needs(), "grade", &[("q.grade", "9")]))
        .await;
    assert_eq!(app.stored_answers(&idem)["grade"], 9);
}

/// The demo data answers only grades its schools teach.
#[tokio::test]
async fn demo_answers_respect_each_schools_grades() {
    use diesel::prelude::*;
    use kehou_survey::db::schema::{responses, schools};
    use kehou_survey::domain::school::SchoolLevel;
    let app = spawn_app().await;
    app.cli_ok(&["demo", "--schools", "12", "--responses", "400"]);
    let rows: Vec<(String, Option<i32>)> = responses::table
        .inner_join(schools::table)
        .select((schools::level, responses::grade))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(rows.len(), 400);
    for (level, grade) in rows {
        let level = SchoolLevel::from_db_code(&level).unwrap();
        let g = u8::try_from(grade.unwrap()).unwrap();
        assert!(level.has_grade(g), "grade {g} at a {level} school");
    }
}

#[tokio::test]
async fn a_class_out_of_range() {
    let (app, round, slug) = needs_round().await;
    for bad in ["0", "21", "100", "x"] {
        let answers = replace(&needs(), "class", &[("q.class", bad)]);
        expect_invalid(&app, &slug, round, &answers, "class", "请选择班级").await;
    }
    let idem = app
        .submit(&slug, &replace(&needs(), "class", &[("q.class", "20")]))
        .await;
    assert_eq!(app.stored_answers(&idem)["class"], 20);
}

#[tokio::test]
async fn json_clients_get_422_with_a_fields_map() {
    let (app, round, slug) = needs_round().await;
    let (_, idem) = app.open_form(&slug, None).await;
    let answers = replace(&needs(), "end_time", &[]);
    let answers = replace(&answers, "summer_weeks", &[("q.summer_weeks", "9")]);
    let answers = replace(&answers, "class", &[("q.class", "21")]);
    let resp = app
        .post_json_client(&slug, &encode(&with_meta(&idem, &answers)))
        .await;
    assert_eq!(resp.status(), 422);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(
        body["fields"],
        serde_json::json!({
            "class": "请选择班级",
            "end_time": "请回答此题",
            "summer_weeks": "请填写 1 到 8 之间的整数",
        })
    );
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("有 3 道题需要修改"));
    assert_eq!(app.response_count(round), 0);

    // The same client, once corrected, is stored with the same key.
    let resp = app
        .post_json_client(&slug, &encode(&with_meta(&idem, &needs())))
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(app.response_count(round), 1);
}
