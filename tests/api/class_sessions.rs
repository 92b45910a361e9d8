//! Computer-room mode over plain HTTP (no script): a teacher opens a class session, three
//! students answer one after another on the same device, each from a clean start, and the
//! session closes at its count or its time.

use kehou_survey::domain::account::Role;

use crate::helpers::{encode, with_meta, TestApp};
use crate::staff_helpers::location;
use crate::voices::{publish_both, student as answers};

pub(crate) const SCHOOL: &str = "3505820001";

/// Opens a session as the school's teacher; returns its code.
pub(crate) async fn open_session(
    app: &TestApp,
    round: i64,
    expected: &str,
    minutes: &str,
) -> String {
    app.make_user("t@school.cn", Role::School, Some(SCHOOL), None);
    let staff = app.signed_in("t@school.cn").await;
    let school = app.school_id(SCHOOL);
    let (_, page) = staff
        .get_html(&format!("/admin/schools/{school}/rounds/{round}"))
        .await;
    assert!(page.contains("机房集中填写"), "{page}");
    let csrf = crate::staff_helpers::csrf_in(&page);
    let resp = staff
        .post(
            &format!("/admin/schools/{school}/rounds/{round}/class-sessions"),
            &[
                ("csrf", &csrf),
                ("grade", "4"),
                ("class_no", "2"),
                ("expected", expected),
                ("minutes", minutes),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let to = location(&resp);
    let code = to.rsplit('/').next().unwrap().to_string();
    let (status, projected) = staff.get_html(&to).await;
    assert_eq!(status, 200);
    assert!(projected.contains(&format!("/k/{code}")), "{projected}");
    assert!(projected.contains("<svg"), "the QR for the projector");
    assert!(projected.contains("四年级2班"), "{projected}");
    code
}

/// Follows the device from `/k/{code}` to the form; returns the form's HTML and its key.
async fn device_form(app: &TestApp, code: &str) -> (String, String) {
    let resp = app.get(&format!("/k/{code}")).await;
    assert_eq!(resp.status(), 303);
    let letter_path = location(&resp);
    assert!(
        letter_path.ends_with(&format!("?k={code}")),
        "{letter_path}"
    );
    let letter = app.get(&letter_path).await.text().await.unwrap();
    assert!(
        letter.contains(&format!("name=\"k\" value=\"{code}\"")),
        "{letter}"
    );
    let slug = letter_path[3..].split('?').next().unwrap().to_string();
    let resp = app.get(&format!("/s/{slug}/form?k={code}")).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("data-no-draft"),
        "no draft on a shared device"
    );
    let idem = crate::helpers::idem_in(&html);
    (html, idem)
}

async fn submit(
    app: &TestApp,
    slug: &str,
    code: &str,
    idem: &str,
    a: &[(&str, &str)],
) -> reqwest::Response {
    let mut pairs = with_meta(idem, a);
    pairs.push(("k", code));
    app.post_form(slug, encode(&pairs)).await
}

#[tokio::test]
async fn three_students_on_one_device_each_start_clean_and_the_session_closes_at_its_count() {
    let app = crate::helpers::spawn_app().await;
    let (round, students_round) = publish_both(&app);
    let code = open_session(&app, students_round, "3", "").await;
    let slug = app.slug(students_round, SCHOOL);

    let students = [
        answers(&["science", "reading"]),
        answers(&["psychology"]),
        answers(&["homework"]),
    ];
    let mut keys = Vec::new();
    for (i, a) in students.iter().enumerate() {
        let (form, idem) = device_form(&app, &code).await;
        // Nothing of an earlier student is on the page: no choice is ticked, a new key.
        assert!(
            !form.contains("checked"),
            "student {i} sees an earlier answer"
        );
        assert!(!keys.contains(&idem), "a new key for every student");
        // The session knows the class: the form does not ask it, and says it.
        assert!(!form.contains("name=\"q.grade\""), "{form}");
        assert!(!form.contains("name=\"q.class\""), "{form}");
        assert!(form.contains("四年级2班"), "{form}");
        keys.push(idem.clone());
        let resp = submit(&app, &slug, &code, &idem, a).await;
        assert_eq!(
            resp.status(),
            303,
            "{}",
            resp.text().await.unwrap_or_default()
        );
        assert_eq!(location(&resp), format!("/k/{code}/next"));
        if i < 2 {
            let next = app.get(&format!("/k/{code}/next")).await;
            assert_eq!(next.headers()["cache-control"], "no-store");
            let next = next.text().await.unwrap();
            assert!(next.contains("下一位同学开始填写"), "{next}");
            assert!(next.contains("data-draft-clear"), "{next}");
        }
    }
    assert_eq!(app.response_count(students_round), 3);

    // Three of three: the session is over for every device, and a late answer is refused.
    let over = app.get(&format!("/k/{code}")).await;
    assert_eq!(over.status(), 410);
    assert!(over.text().await.unwrap().contains("填写已经结束"));
    let late = submit(&app, &slug, &code, &"A".repeat(26), &students[0]).await;
    assert_eq!(late.status(), 410);
    assert_eq!(app.response_count(students_round), 3);
    let staff = app.signed_in("t@school.cn").await;
    let school = app.school_id(SCHOOL);
    let (_, projected) = staff
        .get_html(&format!("/admin/schools/{school}/class-sessions/{code}"))
        .await;
    assert!(
        projected.contains("已提交 <strong>3</strong> 份"),
        "{projected}"
    );
    assert!(projected.contains("已收齐"), "{projected}");

    // Nothing identifies a student: the stored rows carry no session, only the answers.
    let stored = app.stored_answers(&keys[1]);
    assert_eq!(stored["categories"], serde_json::json!(["psychology"]));
    // The class is the session's (4年级2班), whatever the device sent (1班).
    assert_eq!(
        (&stored["grade"], &stored["class"]),
        (&serde_json::json!(4), &serde_json::json!(2)),
        "{stored}"
    );

    // A parent's link does not take a session's code: the code belongs to the students' round.
    let parent_slug = app.slug(round, SCHOOL);
    let (_, idem) = app.open_form(&parent_slug, None).await;
    let resp = submit(
        &app,
        &parent_slug,
        &code,
        &idem,
        &crate::helpers::valid_needs_answers(),
    )
    .await;
    assert_eq!(resp.status(), 410);
}

#[tokio::test]
async fn a_session_closes_when_its_time_is_up() {
    let app = crate::helpers::spawn_app().await;
    let (_, students_round) = publish_both(&app);
    let code = open_session(&app, students_round, "30", "10").await;
    let slug = app.slug(students_round, SCHOOL);
    let (_, idem) = device_form(&app, &code).await;
    app.clock.advance(chrono::Duration::minutes(11));
    let resp = submit(&app, &slug, &code, &idem, &answers(&["science"])).await;
    assert_eq!(resp.status(), 410);
    assert_eq!(app.response_count(students_round), 0);
    assert_eq!(app.get(&format!("/k/{code}")).await.status(), 410);
}

#[tokio::test]
async fn only_a_students_round_opens_sessions_and_bad_numbers_are_refused() {
    let app = crate::helpers::spawn_app().await;
    let (round, students_round) = publish_both(&app);
    app.make_user("t@school.cn", Role::School, Some(SCHOOL), None);
    let staff = app.signed_in("t@school.cn").await;
    let school = app.school_id(SCHOOL);
    let csrf = staff
        .csrf_from(&format!("/admin/schools/{school}/rounds/{students_round}"))
        .await;
    let form = |g: &'static str, c: &'static str, n: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("grade", g.into()),
            ("class_no", c.into()),
            ("expected", n.into()),
            ("minutes", String::new()),
        ]
    };
    let pairs = |f: &[(&'static str, String); 5]| -> Vec<(&'static str, String)> { f.to_vec() };
    let parents = staff
        .post(
            &format!("/admin/schools/{school}/rounds/{round}/class-sessions"),
            &refs(&pairs(&form("4", "2", "30"))),
        )
        .await;
    assert_eq!(parents.status(), 422);
    assert!(parents.text().await.unwrap().contains("只用于学生版问卷"));
    for bad in [
        form("2", "1", "30"),
        form("4", "x", "30"),
        form("4", "1", "0"),
    ]
    .map(|f| pairs(&f))
    {
        let resp = staff
            .post(
                &format!("/admin/schools/{school}/rounds/{students_round}/class-sessions"),
                &refs(&bad),
            )
            .await;
        assert_eq!(resp.status(), 422, "{bad:?}");
    }
    assert_eq!(app.get("/k/ZZZZZZ").await.status(), 404);
}

fn refs<'a>(pairs: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    pairs.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
