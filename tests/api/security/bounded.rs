//! Bounded work per request: one-time codes per request and per class, the codes page in
//! pages, analyses in a bounded line (503 when full), and audit page numbers that cannot
//! overflow.

use kehou_survey::analysis::queue::WAITING;
use kehou_survey::db;
use kehou_survey::domain::account::Role;
use kehou_survey::domain::classes::MAX_PER_CLASS;

use super::{BUREAU, SCHOOL};
use crate::helpers::spawn_app;

#[tokio::test]
async fn codes_are_capped_per_request_and_per_class() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let school = app.school_id("3505820001");
    app.make_user(SCHOOL, Role::School, Some("3505820001"), None);
    let b = app.signed_in(SCHOOL).await;
    let path = format!("/admin/schools/{school}/rounds/{round}/codes");
    let csrf = b
        .csrf_from(&format!("/admin/schools/{school}/rounds/{round}"))
        .await;
    let make = |classes: &'static str, per: &'static str| {
        let (b, path, csrf) = (&b, path.clone(), csrf.clone());
        async move {
            let r = b
                .post(
                    &path,
                    &[("csrf", &csrf), ("classes", classes), ("per_class", per)],
                )
                .await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let count = || {
        db::codes::list_for(&mut app.conn(), round, school)
            .unwrap()
            .len()
    };
    let (status, html) = make("1:1-99", "60").await;
    assert_eq!(status, 400, "5,940 codes in one request");
    assert!(html.contains("一次最多生成"), "{html}");
    assert_eq!(count(), 0);
    assert_eq!(make("3:1", "200").await.0, 303);
    let (status, html) = make("3:1,3:2", "1").await;
    assert_eq!(status, 400, "a 201st code for 3:1");
    assert!(html.contains("3年级1班") && html.contains("上限"), "{html}");
    let (status, _) = make("3:2,3:2", "150").await;
    assert_eq!(
        status, 400,
        "the same class twice in one request counts twice"
    );
    assert_eq!(count(), MAX_PER_CLASS as usize, "nothing more made");
}

#[tokio::test]
async fn the_codes_page_prints_a_page_of_letters_at_a_time() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let school = app.school_id("3505820001");
    app.make_user(SCHOOL, Role::School, Some("3505820001"), None);
    let b = app.signed_in(SCHOOL).await;
    let classes = [(3, 1), (3, 2), (3, 3)];
    db::codes::generate(
        &mut app.conn(),
        round,
        school,
        &classes,
        50,
        app.clock.now(),
    )
    .unwrap();
    let path = format!("/admin/schools/{school}/rounds/{round}/codes");
    let letters = |html: &str| html.matches("<article class=\"page\">").count();
    let (status, first) = b.get_html(&path).await;
    assert_eq!(status, 200);
    assert_eq!(letters(&first), 60);
    assert!(
        first.contains("第 1/3 页") && first.contains("下一页"),
        "pager"
    );
    assert!(!first.contains("上一页"));
    let (_, last) = b.get_html(&format!("{path}?page=3")).await;
    assert_eq!(letters(&last), 30);
    let (status, beyond) = b.get_html(&format!("{path}?page=4000000000")).await;
    assert_eq!(
        (status, letters(&beyond)),
        (200, 30),
        "clamped to the last page"
    );
    for bad in ["-1", "abc", "99999999999999999999"] {
        let (status, _) = b.get_html(&format!("{path}?page={bad}")).await;
        assert_eq!(status, 400, "page={bad}");
    }
}

#[tokio::test]
async fn a_full_analysis_line_answers_503_with_retry_after() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let school = app.school_id("3505820001");
    app.make_user(SCHOOL, Role::School, Some("3505820001"), None);
    let b = app.signed_in(SCHOOL).await;
    let path = format!("/admin/schools/{school}/rounds/{round}/analysis?format=csv");
    // The running analysis and every waiting place are taken.
    let held: Vec<_> = (0..=WAITING)
        .map(|_| app.state.analysis_queue.join().unwrap())
        .collect();
    let r = b.get(&path).await;
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("请稍等片刻"));
    drop(held);
    assert_eq!(b.get(&path).await.status(), 200);
}

#[tokio::test]
async fn audit_page_numbers_never_overflow() {
    let app = spawn_app().await;
    app.make_user(BUREAU, Role::Bureau, None, None);
    let b = app.signed_in(BUREAU).await;
    for (page, status) in [
        ("9223372036854775807", 200),
        ("-9223372036854775808", 200),
        ("1000001", 200),
        ("-1", 200),
        ("99999999999999999999", 400),
        ("abc", 400),
    ] {
        let (got, html) = b.get_html(&format!("/admin/audit?page={page}")).await;
        assert_eq!(got, status, "page={page}: {html}");
    }
}
