//! The teachers' survey: published beside the parents' one, counted only in aggregate (any
//! figure under 5 teachers hidden, in the school's own report too), and feeding the supply side
//! of the school's report: a wanted category with no places and no willing teacher gets
//! 需引进校外资源.

use kehou_survey::db;
use kehou_survey::domain::account::Role;
use serde_json::Value;

use crate::helpers::{spawn_app, TestApp};
use crate::voices::parent;

const SCHOOL: &str = "3505820001";

fn teacher(cats: &[&'static str]) -> Vec<(&'static str, &'static str)> {
    let mut v = vec![("q.willing", "yes")];
    v.extend(cats.iter().map(|c| ("q.categories", *c)));
    v.extend([("q.hours", "2"), ("q.pay", "low"), ("q.flexible", "need")]);
    v
}

/// Publishes parents', students' and teachers' surveys together; returns (round, teachers' round).
fn publish_three(app: &TestApp) -> (i64, i64) {
    app.import_standard_roster();
    let dir = app.survey_dir.clone();
    let round = app.publish_with(
        &dir,
        "after-school-needs",
        ("-1", "+30"),
        &[
            "--student-survey",
            "student-needs",
            "--teacher-survey",
            "teacher-survey",
        ],
    );
    let companions = db::rounds::companions(&mut app.conn(), round).unwrap();
    assert_eq!(companions.len(), 2);
    assert!(companions[1].name.ends_with("（教师问卷）"));
    (round, companions[1].id)
}

fn category<'a>(report: &'a Value, value: &str) -> &'a Value {
    report["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["dim"] == "total"
                && s["question"] == "@category"
                && s["value"] == value
                && s["base"] == "all"
        })
        .unwrap_or_else(|| panic!("no row for {value}"))
}

/// The parents' report's row of supply beside demand for category `c`.
fn voice_of(report: &Value, c: &str) -> Value {
    report["voices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["category"] == c)
        .cloned()
        .unwrap_or_else(|| panic!("no voice for {c}"))
}

#[tokio::test]
async fn teachers_are_counted_only_in_fives_and_feed_the_supply_side() {
    let app = spawn_app().await;
    let (round, teachers_round) = publish_three(&app);
    let t_slug = app.slug(teachers_round, SCHOOL);
    // Four teachers would lead science, six reading; nobody psychology.
    for i in 0..10 {
        let cats: &[&str] = if i < 4 { &["science"] } else { &["reading"] };
        app.submit(&t_slug, &teacher(cats)).await;
    }
    // Parents want psychology (and some reading); the school has no plan.
    let p_slug = app.slug(round, SCHOOL);
    for i in 0..8 {
        let cats: &[&str] = if i % 2 == 0 {
            &["psychology"]
        } else {
            &["reading"]
        };
        app.submit(&p_slug, &parent(cats)).await;
    }
    app.count_waiting_responses();

    app.make_user("a@school.cn", Role::School, Some(SCHOOL), None);
    let staff = app.signed_in("a@school.cn").await;
    let school = app.school_id(SCHOOL);

    // The teachers' own report, seen by the school: 4 is hidden, 6 is shown.
    let teachers = staff
        .get_json(&format!(
            "/admin/schools/{school}/rounds/{teachers_round}/analysis?format=json"
        ))
        .await;
    assert_eq!(teachers["single_school"], true);
    assert_eq!(teachers["respondent"], "teacher");
    let science = category(&teachers, "science");
    assert_eq!(science["suppressed"], true, "{science}");
    assert!(
        science["k"].is_null() && science["raw"].is_null(),
        "{science}"
    );
    let reading = category(&teachers, "reading");
    assert_eq!(reading["suppressed"], false, "{reading}");
    assert_eq!(reading["k"], 6);
    // Ten teachers answered the hours: their mean is shown.
    let hours = teachers["means"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["dim"] == "total" && m["question"] == "hours")
        .unwrap();
    assert_eq!(hours["suppressed"], false);
    // The printed report says nothing of the four either.
    let (_, html) = staff
        .get_html(&format!(
            "/admin/schools/{school}/rounds/{teachers_round}/analysis"
        ))
        .await;
    assert!(html.contains("教师"), "the report speaks of teachers");

    // The parents' report: supply beside demand.
    let parents = staff
        .get_json(&format!(
            "/admin/schools/{school}/rounds/{round}/analysis?format=json"
        ))
        .await;
    let voice = |c: &str| voice_of(&parents, c);
    assert!(
        voice("science")["teachers"].is_null(),
        "four teachers stay hidden"
    );
    assert_eq!(voice("reading")["teachers"], 6);
    assert_eq!(voice("psychology")["teachers"], 0);
    assert_eq!(voice("psychology")["places"], 0);
    assert_eq!(voice("psychology")["outside"], true);
    // Reading is wanted too, but six teachers would lead it.
    assert_eq!(voice("reading")["outside"], false);
    // Science: no demand, so no remedy.
    assert_eq!(voice("science")["outside"], false);
    let (_, html) = staff
        .get_html(&format!("/admin/schools/{school}/rounds/{round}/analysis"))
        .await;
    assert!(html.contains("需引进校外资源"), "{html}");
}

/// Within a single-choice question the options add up to the teachers who answered, who are
/// shown: one hidden option would follow by subtraction, so a second one is hidden with it.
#[tokio::test]
async fn a_hidden_teacher_figure_cannot_be_recovered_by_subtraction() {
    let app = spawn_app().await;
    let (_, teachers_round) = publish_three(&app);
    let t_slug = app.slug(teachers_round, SCHOOL);
    // Ten teachers: three find the pay fair, seven find it low.
    for i in 0..10 {
        let mut answers = teacher(&["reading"]);
        if i < 3 {
            answers.retain(|(k, _)| *k != "q.pay");
            answers.push(("q.pay", "fair"));
        }
        app.submit(&t_slug, &answers).await;
    }
    app.count_waiting_responses();
    app.make_user("a@school.cn", Role::School, Some(SCHOOL), None);
    let staff = app.signed_in("a@school.cn").await;
    let school = app.school_id(SCHOOL);
    let report = staff
        .get_json(&format!(
            "/admin/schools/{school}/rounds/{teachers_round}/analysis?format=json"
        ))
        .await;
    let pay: Vec<&Value> = report["shares"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["dim"] == "total" && s["question"] == "pay" && s["base"] == "answered")
        .collect();
    let row = |v: &str| *pay.iter().find(|s| s["value"] == v).unwrap();
    assert_eq!(row("fair")["n"], 10, "the respondents are shown");
    assert_eq!(row("fair")["suppressed"], true, "three teachers are hidden");
    assert_eq!(
        row("low")["suppressed"],
        true,
        "seven would give the three away: 10 − 7"
    );
    assert!(row("low")["k"].is_null() && row("low")["raw"].is_null());
    // Independently: in no single-choice question of any group is exactly one option hidden.
    let mut hidden: std::collections::HashMap<String, usize> = Default::default();
    for s in report["shares"].as_array().unwrap() {
        let q = s["question"].as_str().unwrap();
        if ["willing", "pay", "flexible"].contains(&q) && s["n"].as_i64() > Some(0) {
            let key = format!("{} {} {} {}", s["dim"], s["group"], q, s["base"]);
            *hidden.entry(key).or_default() += usize::from(s["suppressed"] == true);
        }
    }
    for (key, n) in hidden {
        assert_ne!(n, 1, "{key}: one hidden option follows from the others");
    }

    // Answer by answer, the teachers' round leaves the server only when asked for by name.
    let out = app.temp_path("teachers.csv");
    let args = [
        "export",
        "--round",
        &teachers_round.to_string(),
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ];
    let refused = app.cli(&args);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("教师问卷") && said.contains("--teacher-rows"),
        "{said}"
    );
    assert!(!out.exists(), "nothing written");
    let mut asked = args.to_vec();
    asked.push("--teacher-rows");
    app.cli_ok(&asked);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(csv.lines().count(), 11, "a header and ten teachers");
}

/// The supply side with a plan: planned places count, and only a wanted category with neither
/// places nor a willing teacher needs outside resources.
#[tokio::test]
async fn planned_places_stand_beside_demand_and_willing_teachers() {
    let app = spawn_app().await;
    let (round, teachers_round) = publish_three(&app);
    // The school plans 30 places of psychology and 5 of science experiments.
    let rows: Vec<Vec<&str>> = crate::plans::good_rows()
        .into_iter()
        .filter(|r| r[0] == SCHOOL)
        .collect();
    app.cli_ok(&[
        "import-plans",
        &crate::plans::workbook(&app, "plan.xlsx", &rows),
    ]);
    // Five teachers would lead reading only; parents want psychology and sports.
    let t_slug = app.slug(teachers_round, SCHOOL);
    for _ in 0..5 {
        app.submit(&t_slug, &teacher(&["reading"])).await;
    }
    let p_slug = app.slug(round, SCHOOL);
    for _ in 0..6 {
        let mut answers = parent(&["psychology", "sports"]);
        answers.push(("q.sports_items", "sports.ball"));
        app.submit(&p_slug, &answers).await;
    }
    app.count_waiting_responses();
    app.make_user("a@school.cn", Role::School, Some(SCHOOL), None);
    let staff = app.signed_in("a@school.cn").await;
    let school = app.school_id(SCHOOL);
    let parents = staff
        .get_json(&format!(
            "/admin/schools/{school}/rounds/{round}/analysis?format=json"
        ))
        .await;
    let voice = |c: &str| voice_of(&parents, c);
    assert_eq!(voice("psychology")["places"], 30);
    assert_eq!(voice("psychology")["teachers"], 0);
    assert_eq!(
        voice("psychology")["outside"],
        false,
        "30 places are planned"
    );
    assert_eq!(voice("science")["places"], 5);
    assert_eq!(voice("sports")["places"], 0);
    assert_eq!(voice("sports")["outside"], true);
    assert_eq!(voice("reading")["teachers"], 5);

    // The teachers' round page speaks of staff, not of pupils, classes or codes.
    let (status, page) = staff
        .get_html(&format!("/admin/schools/{school}/rounds/{teachers_round}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("本校教职工群"), "{page}");
    assert!(page.contains("已有 5 位老师填写"), "{page}");
    for pupils in ["班级群", "在校生", "回收率", "回执"] {
        assert!(
            !page.contains(pupils),
            "the teachers' page says {pupils}: {page}"
        );
    }
}
