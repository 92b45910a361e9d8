//! Typing in returned paper reply slips: stored through the same rules and writer as a phone
//! answer, marked as paper, counted and exported with it; a serial stored once; a slip and a
//! phone answer for the same per-student code never both count.

use diesel::prelude::*;
use kehou_survey::db::schema::responses;
use kehou_survey::domain::account::Role;

use crate::codes::{coded_body, make_codes};
use crate::helpers::{spawn_app, TestApp};
use crate::paper::{print_slips, secretary, serials, SCHOOL};
use crate::staff_helpers::{location, Browser};

/// A slip as a family ticks it: third grade, class 2, needs the service on two days, no
/// summer care (the test round asks the summer section).
pub fn slip_answers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("q.grade", "3"),
        ("q.class", "2"),
        ("q.need", "yes"),
        ("q.days", "mon"),
        ("q.days", "fri"),
        ("q.end_time", "t1800"),
        ("q.categories", "science"),
        ("q.categories", "arts"),
        ("q.summer_care", "no"),
    ]
}

/// Posts one slip on the entry screen.
pub async fn enter(
    app: &TestApp,
    b: &Browser,
    round: i64,
    serial: &str,
    answers: &[(&str, &str)],
) -> reqwest::Response {
    let path = format!(
        "/admin/schools/{}/rounds/{round}/paper",
        app.school_id(SCHOOL)
    );
    let csrf = b.csrf_from(&path).await;
    let mut pairs = vec![("csrf", csrf.as_str()), ("serial", serial)];
    pairs.extend_from_slice(answers);
    b.post(&path, &pairs).await
}

/// (channel, serial) of every stored response, in order.
fn channels(app: &TestApp) -> Vec<(String, Option<String>)> {
    responses::table
        .select((responses::channel, responses::serial))
        .order(responses::id)
        .load(&mut app.conn())
        .unwrap()
}

#[tokio::test]
async fn a_typed_slip_is_stored_as_paper_counted_and_exported() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let b = secretary(&app).await;
    let (_, printed) = print_slips(&app, &b, round, "2").await;
    let serial = serials(&printed)[0].clone();
    let school = app.school_id(SCHOOL);

    let (status, screen) = b
        .get_html(&format!("/admin/schools/{school}/rounds/{round}/paper"))
        .await;
    assert_eq!(status, 200);
    assert!(screen.contains("<kbd>1</kbd>需要"), "{screen}");
    assert!(screen.contains("/static/paper.js"));

    let r = enter(&app, &b, round, &serial, &slip_answers()).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert!(location(&r).ends_with(&format!("?saved={serial}")));
    assert_eq!(channels(&app), vec![("paper".into(), Some(serial.clone()))]);
    assert!(app.audit_actions().contains(&"paper_entered".to_string()));

    // A phone answer too: the school's page counts both.
    let slug = app.slug(round, SCHOOL);
    app.submit(&slug, &crate::helpers::valid_needs_answers())
        .await;
    let (_, page) = b
        .get_html(&format!("/admin/schools/{school}/rounds/{round}"))
        .await;
    assert!(page.contains("已回收 2 份（其中纸质回执 1 份）"), "{page}");
    // Per class too: the slip and the phone answer are both 三年级2班 here.
    assert!(
        page.contains("<td>2班</td><td class=\"num\">2</td><td class=\"num\">1</td>"),
        "{page}"
    );

    // The export says how each came in.
    let out = app.temp_path("export.csv");
    app.cli_ok(&[
        "export",
        "--round",
        &round.to_string(),
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains("填写方式"), "{csv}");
    assert!(csv.contains(&format!("纸质回执,{serial}")), "{csv}");
    assert!(csv.contains("网上填写"), "{csv}");

    // The coverage page shows the paper count beside the total.
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let (_, coverage) = bureau.get_html("/admin/coverage").await;
    assert!(coverage.contains("其中纸质回执"), "{coverage}");
}

#[tokio::test]
async fn a_serial_is_stored_once_and_a_wrong_one_is_refused_with_the_answers_kept() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let b = secretary(&app).await;
    let (_, printed) = print_slips(&app, &b, round, "1").await;
    let serial = serials(&printed)[0].clone();

    let r = enter(&app, &b, round, &serial, &slip_answers()).await;
    assert_eq!(r.status(), 303);
    let again = enter(&app, &b, round, &serial, &slip_answers()).await;
    assert_eq!(again.status(), 422);
    let html = again.text().await.unwrap();
    assert!(html.contains("已经录入过了"), "{html}");
    assert_eq!(channels(&app).len(), 1);

    // A mistyped digit, and a slip never printed.
    let wrong = format!(
        "{}{}",
        &serial[..serial.len() - 1],
        (serial.as_bytes()[serial.len() - 1] - b'0' + 1) % 10
    );
    let r = enter(&app, &b, round, &wrong, &slip_answers()).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("校验码对不上"), "{html}");
    // The answers typed are still there.
    assert!(
        html.contains("value=\"fri\" data-key=\"5\" checked"),
        "{html}"
    );
    let never = kehou_survey::domain::slip::Serial {
        round_id: round,
        school_id: app.school_id(SCHOOL),
        slip_no: 99,
    };
    let r = enter(&app, &b, round, &never.to_string(), &slip_answers()).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("没有打印过"));

    // Missing the days a family that needs the service must give: the message beside it.
    let (_, printed) = print_slips(&app, &b, round, "1").await;
    let next = serials(&printed)[0].clone();
    let partial: Vec<_> = slip_answers()
        .into_iter()
        .filter(|(k, _)| *k != "q.days")
        .collect();
    let r = enter(&app, &b, round, &next, &partial).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("1 道题需要核对"), "{html}");
    assert_eq!(channels(&app).len(), 1);
}

#[tokio::test]
async fn a_slip_and_a_phone_answer_for_the_same_code_count_once() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let (_, codes) = make_codes(&app, round, SCHOOL);
    let (_, html) = crate::paper::slips_cli(&app, round);
    // (serial, code) of each slip, as printed on it.
    let printed: Vec<(String, String)> = html
        .split("<article class=\"page\">")
        .skip(1)
        .map(|slip| {
            let code = slip
                .split("填写码：")
                .nth(1)
                .unwrap()
                .split('（')
                .next()
                .unwrap();
            (serials(slip)[0].clone(), crate::codes::raw(code))
        })
        .collect();
    assert_eq!(printed.len(), codes.len());
    let b = secretary(&app).await;
    let no_grade: Vec<_> = slip_answers()
        .into_iter()
        .filter(|(k, _)| *k != "q.grade" && *k != "q.class")
        .collect();

    // The first slip typed in: its code's grade and class are taken from the code.
    let r = enter(&app, &b, round, &printed[0].0, &no_grade).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let first_code = printed[0].1.clone();
    let used: Option<String> = responses::table
        .select(responses::access_code)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(used.as_deref(), Some(first_code.as_str()));

    // The family of the first code then tries the phone too: refused as used.
    let slug = app.slug(round, SCHOOL);
    let (_, idem) = app.open_form(&slug, None).await;
    let body = coded_body(&idem, &first_code, &crate::codes::coded_answers());
    let r = app.post_form(&slug, body).await;
    assert_ne!(r.status(), 303);

    // The second family answered on the phone first: its slip is then refused.
    let second = printed[1].1.clone();
    let (_, idem) = app.open_form(&slug, None).await;
    let r = app
        .post_form(
            &slug,
            coded_body(&idem, &second, &crate::codes::coded_answers()),
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = enter(&app, &b, round, &printed[1].0, &no_grade).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("同一个孩子只算一份"), "{html}");
    assert_eq!(app.response_count(round), 2);
}

#[tokio::test]
async fn double_entry_stores_a_batch_only_after_a_planted_disagreement_is_decided() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let b = secretary(&app).await;
    let (_, printed) = print_slips(&app, &b, round, "2").await;
    let slips = serials(&printed);
    let school = app.school_id(SCHOOL);
    let entry = format!("/admin/schools/{school}/rounds/{round}/paper");
    let type_pass =
        |pass: &'static str, serial: String, answers: Vec<(&'static str, &'static str)>| {
            let (b, entry) = (&b, &entry);
            async move {
                let csrf = b.csrf_from(entry).await;
                let mut pairs = vec![
                    ("csrf", csrf.as_str()),
                    ("batch", "三年级2班"),
                    ("pass", pass),
                    ("serial", serial.as_str()),
                ];
                pairs.extend_from_slice(&answers);
                let r = b.post(entry, &pairs).await;
                assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
                location(&r)
            }
        };
    // The second person ticks 17:30 instead of 18:00 on the first slip.
    let planted: Vec<_> = slip_answers()
        .into_iter()
        .map(|(k, v)| {
            if k == "q.end_time" {
                (k, "t1730")
            } else {
                (k, v)
            }
        })
        .collect();
    let to = type_pass("1", slips[0].clone(), slip_answers()).await;
    assert!(to.contains("batch=%E4%B8%89"), "{to}");
    type_pass("1", slips[1].clone(), slip_answers()).await;
    type_pass("2", slips[0].clone(), planted).await;
    assert!(
        channels(&app).is_empty(),
        "nothing stored before the batch is compared"
    );

    let compare = format!("{entry}/compare");
    let csrf = b.csrf_from(&entry).await;
    // The second slip has one pass only: nothing is stored.
    let r = b
        .post(&compare, &[("csrf", &csrf), ("batch", "三年级2班")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("只录了一遍"));
    type_pass("2", slips[1].clone(), slip_answers()).await;

    let (_, side_by_side) = b
        .get_html(&format!(
            "{compare}?batch=%E4%B8%89%E5%B9%B4%E7%BA%A72%E7%8F%AD"
        ))
        .await;
    assert!(side_by_side.contains("18:00左右"), "{side_by_side}");
    assert!(side_by_side.contains("17:30左右"), "{side_by_side}");
    assert!(side_by_side.contains(&format!("pick.{}", slips[0])));
    assert!(!side_by_side.contains(&format!("pick.{}", slips[1])));

    // Undecided: refused, nothing stored.
    let r = b
        .post(&compare, &[("csrf", &csrf), ("batch", "三年级2班")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("两遍录入不一致"));
    assert!(channels(&app).is_empty());

    // Decided for the first pass: the whole batch is stored, as the first person typed it.
    let pick = format!("pick.{}", slips[0]);
    let r = b
        .post(
            &compare,
            &[
                ("csrf", &csrf),
                ("batch", "三年级2班"),
                (pick.as_str(), "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("已入库 2 张回执"));
    assert_eq!(channels(&app).len(), 2);
    let answers: String = responses::table
        .filter(responses::serial.eq(&slips[0]))
        .select(responses::answers)
        .first(&mut app.conn())
        .unwrap();
    assert!(answers.contains("t1800"), "{answers}");
}
