//! Students beside parents: a round that carries the students' questionnaire, answered through
//! its own link, and the school report's side-by-side demand checked against a recount.

use std::collections::BTreeMap;

use kehou_survey::db;
use kehou_survey::domain::account::Role;

use crate::helpers::{spawn_app, TestApp};

const SCHOOL: &str = "3505820001";
const CATS: [&str; 4] = ["science", "reading", "homework", "psychology"];

/// The categories respondent `i` of `salt` chooses: a fixed, uneven pattern.
fn chosen(i: usize, salt: usize) -> Vec<&'static str> {
    let mut out: Vec<&str> = (0..CATS.len())
        .filter(|c| (i * (3 + salt) + c * (5 + salt)) % 7 < 3)
        .map(|c| CATS[c])
        .collect();
    if out.is_empty() {
        out.push(CATS[(i + salt) % CATS.len()]);
    }
    out
}

pub(crate) fn parent(cats: &[&'static str]) -> Vec<(&'static str, &'static str)> {
    let mut v = vec![
        ("q.grade", "4"),
        ("q.class", "1"),
        ("q.need", "yes"),
        ("q.days", "mon"),
        ("q.end_time", "t1730"),
    ];
    v.extend(cats.iter().map(|c| ("q.categories", *c)));
    if cats.contains(&"science") {
        v.push(("q.science_items", "science.experiment"));
    }
    for (c, pos) in cats
        .iter()
        .take(3)
        .zip(["q.top3.1", "q.top3.2", "q.top3.3"])
    {
        v.push((pos, *c));
    }
    v
}

pub(crate) fn student(cats: &[&'static str]) -> Vec<(&'static str, &'static str)> {
    let mut v = vec![
        ("q.grade", "4"),
        ("q.class", "1"),
        ("q.enjoy", "make"),
        ("q.join", "yes"),
        ("q.stay", "t1730"),
    ];
    v.extend(cats.iter().map(|c| ("q.categories", *c)));
    if cats.contains(&"science") {
        v.push(("q.science_items", "science.maker"));
    }
    v
}

/// Publishes a parents' round carrying the students' survey; returns (round, students' round).
pub(crate) fn publish_both(app: &TestApp) -> (i64, i64) {
    app.import_standard_roster();
    let dir = app.survey_dir.clone();
    let round = app.publish_with(
        &dir,
        "after-school-needs",
        ("-1", "+30"),
        &["--student-survey", "student-needs"],
    );
    let companion = db::rounds::companions(&mut app.conn(), round)
        .expect("query")
        .into_iter()
        .next()
        .expect("the students' round");
    assert_eq!(companion.opens_at, {
        db::rounds::find(&mut app.conn(), round)
            .unwrap()
            .unwrap()
            .opens_at
    });
    (round, companion.id)
}

/// Share of respondents choosing each category, counted from what was sent.
fn recount(sent: &[Vec<&'static str>]) -> BTreeMap<&'static str, f64> {
    CATS.iter()
        .map(|c| {
            let k = sent.iter().filter(|s| s.contains(c)).count();
            (*c, k as f64 / sent.len() as f64)
        })
        .collect()
}

#[tokio::test]
async fn parents_and_students_side_by_side_agree_with_a_recount() {
    let app = spawn_app().await;
    let (round, students_round) = publish_both(&app);
    let (p_slug, s_slug) = (app.slug(round, SCHOOL), app.slug(students_round, SCHOOL));
    assert_ne!(p_slug, s_slug);

    // The students' link shows their own letter and words.
    let letter = app.get(&format!("/s/{s_slug}")).await.text().await.unwrap();
    assert!(letter.contains("亲爱的同学"), "{letter}");
    assert!(letter.contains("不用写名字"), "{letter}");

    let parents: Vec<_> = (0..14).map(|i| chosen(i, 0)).collect();
    let pupils: Vec<_> = (0..17).map(|i| chosen(i, 2)).collect();
    for cats in &parents {
        app.submit(&p_slug, &parent(cats)).await;
    }
    for cats in &pupils {
        app.submit(&s_slug, &student(cats)).await;
    }
    app.count_waiting_responses();
    assert_eq!(app.response_count(round), 14);
    assert_eq!(app.response_count(students_round), 17);

    app.make_user("a@school.cn", Role::School, Some(SCHOOL), None);
    let staff = app.signed_in("a@school.cn").await;
    let school = app.school_id(SCHOOL);
    let base = format!("/admin/schools/{school}/rounds/{round}/analysis");
    let got = staff.get_json(&format!("{base}?format=json")).await;
    let voices = got["voices"].as_array().expect("voices");
    let (p, s) = (recount(&parents), recount(&pupils));
    let mut seen = 0;
    for v in voices {
        let cat = v["category"].as_str().unwrap();
        let Some(want_p) = p.get(cat) else {
            // Categories nobody in the test chose are 0 on both sides.
            if let Some(e) = v["parents"]["estimate"].as_f64() {
                assert_eq!(e, 0.0, "{cat}");
            }
            continue;
        };
        seen += 1;
        // One grade at one school: the enrolment weight is the same for everyone, so the
        // weighted share is the plain one.
        let est = |side: &str| v[side]["estimate"].as_f64().unwrap();
        assert!((est("parents") - want_p).abs() < 1e-9, "{cat}: {v}");
        assert!((est("students") - s[cat]).abs() < 1e-9, "{cat}: {v}");
        let gap = v["gap_points"].as_f64().unwrap();
        assert!((gap - (s[cat] - want_p) * 100.0).abs() < 1e-6, "{cat}");
        assert_eq!(v["parents_n"], 14);
        assert_eq!(v["students_n"], 17);
        for side in ["parents", "students"] {
            assert!(v[side]["low"].as_f64().unwrap() <= est(side));
            assert!(v[side]["high"].as_f64().unwrap() >= est(side));
        }
    }
    assert_eq!(seen, CATS.len());
    // Largest disagreement first.
    let gaps: Vec<f64> = voices
        .iter()
        .filter_map(|v| v["gap_points"].as_f64())
        .map(f64::abs)
        .collect();
    assert!(gaps.windows(2).all(|w| w[0] >= w[1]), "{gaps:?}");
    let (widest, _) = CATS
        .iter()
        .map(|c| (*c, (s[c] - p[c]).abs()))
        .fold(("", -1.0), |a, b| if b.1 > a.1 { b } else { a });
    assert_eq!(voices[0]["category"], widest);

    // The school's page of the students' round speaks of students.
    let (_, page) = staff
        .get_html(&format!("/admin/schools/{school}/rounds/{students_round}"))
        .await;
    assert!(page.contains("学生用手机或电脑打开下面的链接"), "{page}");
    assert!(page.contains("打印给同学们的一封信"), "{page}");

    let (status, html) = staff.get_html(&base).await;
    assert_eq!(status, 200);
    assert!(html.contains("家长和学生的需求对比"), "{html}");
    assert!(html.contains("看法相差最大的类别"), "{html}");

    // A round without students has no such section.
    let dir = app.survey_dir.clone();
    let alone = app.publish_with(&dir, "after-school-needs", ("-1", "+30"), &[]);
    assert!(db::rounds::companions(&mut app.conn(), alone)
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_parents_survey_cannot_stand_in_for_the_students() {
    let app = spawn_app().await;
    app.import_standard_roster();
    let out = app.cli(&[
        "publish",
        "--survey",
        "after-school-needs",
        "--name",
        "测试",
        "--closes",
        "2099-01-01",
        "--student-survey",
        "parent-satisfaction",
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("请选择学生版问卷"), "{stderr}");
    assert!(db::rounds::list(&mut app.conn()).unwrap().is_empty());
}
