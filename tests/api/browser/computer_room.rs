//! Computer-room mode in the browser, with JavaScript off and on: the teacher opens a class
//! session and projects it; three students answer one after another in the same browser
//! profile; each finds a clean form (nothing ticked, nothing in localStorage, nothing behind
//! the back button) and the session closes after the third.

use serde_json::json;

use super::driver::{chromedriver, Browser, Js};
use super::journey::{fill_steps, A};
use crate::class_sessions::SCHOOL;
use crate::helpers::{spawn_app, TestApp};
use crate::staff_helpers::PASSWORD;
use crate::voices::publish_both;

fn student(cats: &[&'static str]) -> Vec<A> {
    let mut v = vec![
        A::Pick("q.grade", "4"),
        A::Pick("q.class", "2"),
        A::Tap("q.enjoy", "make"),
        A::Tap("q.join", "yes"),
        A::Tap("q.stay", "t1800"),
    ];
    v.extend(cats.iter().map(|c| A::Tap("q.categories", c)));
    if cats.contains(&"science") {
        v.push(A::Tap("q.science_items", "science.experiment"));
    }
    v
}

/// Nothing a student could have left behind: no ticked box, no chosen grade or class, no
/// draft in localStorage.
async fn assert_clean(b: &Browser, what: &str) {
    let v = b
        .eval(
            "var sel = document.querySelectorAll('select'), chosen = 0, drafts = 0;
             for (var i = 0; i < sel.length; i++) { if (sel[i].value) { chosen++; } }
             try {
               for (var k = 0; k < localStorage.length; k++) {
                 if (localStorage.key(k).indexOf('draft:') === 0) { drafts++; }
               }
             } catch (e) {}
             return [document.querySelectorAll('input:checked').length, chosen, drafts];",
            vec![],
        )
        .await;
    assert_eq!(v, json!([0, 0, 0]), "{what}: [ticked, chosen, drafts]");
}

/// The teacher signs in, opens the session from the round's page and gets the projected page.
async fn open_in_browser(b: &mut Browser, app: &TestApp, round: i64) -> String {
    app.make_user(
        "t@school.cn",
        kehou_survey::domain::account::Role::School,
        Some(SCHOOL),
        None,
    );
    b.goto(&format!("{}/login", app.address)).await;
    b.type_into("[name=\"email\"]", "t@school.cn").await;
    b.type_into("[name=\"password\"]", PASSWORD).await;
    b.mark_page().await;
    b.tap("form button[type=\"submit\"]").await;
    b.wait_new_page(20).await;
    let school = app.school_id(SCHOOL);
    b.goto(&format!(
        "{}/admin/schools/{school}/rounds/{round}",
        app.address
    ))
    .await;
    let form = "form[action$=\"/class-sessions\"]";
    b.choose(&format!("{form} [name=\"grade\"]"), "4").await;
    b.type_into(&format!("{form} [name=\"class_no\"]"), "2")
        .await;
    b.type_into(&format!("{form} [name=\"expected\"]"), "3")
        .await;
    b.mark_page().await;
    b.tap(&format!("{form} button[type=\"submit\"]")).await;
    b.wait_new_page(20).await;
    let path = b.path().await;
    assert!(path.contains("/class-sessions/"), "{path}");
    let shot = b.shot("projector").await;
    b.doc_copy(&shot, "computer-room-session").await;
    path.rsplit('/').next().unwrap().to_string()
}

async fn three_students(js: Js, test: &str) {
    let Some(cd) = chromedriver(test) else { return };
    let app = spawn_app().await;
    let (_, students_round) = publish_both(&app);
    let mut b = Browser::start(&cd, test, js).await;
    let code = open_in_browser(&mut b, &app, students_round).await;

    let choices: [&[&'static str]; 3] = [&["science", "reading"], &["psychology"], &["homework"]];
    b.goto(&format!("{}/k/{code}", app.address)).await;
    for (i, cats) in choices.iter().enumerate() {
        // The students' letter, then the form.
        let text = b.eval("return document.body.innerText;", vec![]).await;
        assert!(
            text.as_str().is_some_and(|t| t.contains("亲爱的同学")),
            "{text}"
        );
        b.mark_page().await;
        b.tap("form button.btn").await;
        b.wait_new_page(20).await;
        assert_clean(&b, &format!("student {i}'s form")).await;
        if i == 1 {
            let shot = b.shot("second-student-form").await;
            b.doc_copy(&shot, "computer-room-form").await;
        }
        fill_steps(&b, &student(cats)).await;
        // Without the script, 下一步 on the last page that applies submits the answers.
        if !b.path().await.ends_with("/next") {
            b.mark_page().await;
            b.tap("#go-submit").await;
            b.wait_new_page(30).await;
        }
        assert_eq!(b.path().await, format!("/k/{code}/next"), "student {i}");
        if i == 0 {
            // The back button shows nothing stored: the pages are never cached.
            b.client.back().await.expect("back");
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            b.wait_for("document.readyState === 'complete'", 20).await;
            assert_clean(&b, "after the back button").await;
            b.goto(&format!("{}/k/{code}/next", app.address)).await;
        }
        if i < 2 {
            b.mark_page().await;
            b.tap("#next-student").await;
            b.wait_new_page(20).await;
        }
    }
    // The third answer filled the session: the device says so.
    let text = b.eval("return document.body.innerText;", vec![]).await;
    assert!(
        text.as_str().is_some_and(|t| t.contains("填写已经结束")),
        "{text}"
    );
    assert_eq!(app.response_count(students_round), 3);
}

#[tokio::test]
async fn computer_room_three_students_without_js() {
    three_students(Js::Off, "computer_room_three_students_without_js").await;
}

#[tokio::test]
async fn computer_room_three_students_with_js() {
    three_students(Js::On, "computer_room_three_students_with_js").await;
}
