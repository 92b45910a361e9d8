//! Other writers on SQLite: sessions, audit rows, rate-limit events and analysis folds commit
//! on pool connections while the group-commit writer stores parents' submissions. None of
//! them may make a submission batch fail (SQLITE_BUSY, BUSY_SNAPSHOT), not even once and
//! retried: the writer counts every failed attempt.

use std::future::Future;
use std::pin::Pin;

use kehou_survey::domain::account::Role;

use crate::helpers::{spawn_app, valid_needs_answers};
use crate::staff_helpers::{Browser, PASSWORD};

const SUBMISSIONS: usize = 300;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_batch_fails_under_concurrent_sign_ins_and_analyses() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let school = app.school_id("3505820001");
    let staff: Vec<String> = (0..8).map(|i| format!("staff{i}@school.cn")).collect();
    for e in &staff {
        app.make_user(e, Role::School, Some("3505820001"), None);
    }
    let analysis = format!("/admin/schools/{school}/rounds/{round}/analysis?format=csv");
    let analyst = app.signed_in(&staff[0]).await;
    let answers = valid_needs_answers();

    let mut work: Vec<Pin<Box<dyn Future<Output = ()> + '_>>> = Vec::new();
    for i in 0..SUBMISSIONS {
        work.push(Box::pin(async {
            app.submit(&slug, &answers).await;
        }));
        if i % 8 == 0 {
            // A sign-in: a session row, an audit row, the account's failures cleared.
            let email = staff[i / 8 % staff.len()].clone();
            let app = &app;
            work.push(Box::pin(async move {
                let r = Browser::new(app).login(&email, PASSWORD).await;
                assert_eq!(r.status(), 303);
            }));
        }
        if i % 12 == 0 {
            // A failed sign-in: rate-limit events and an audit row.
            let email = format!("nobody{i}@school.cn");
            let app = &app;
            work.push(Box::pin(async move {
                let r = Browser::new(app).login(&email, "wrong password!").await;
                assert_eq!(r.status(), 401);
            }));
        }
        if i % 20 == 0 {
            // An analysis: folds the waiting responses into the counters, then an audit row.
            let (b, path) = (&analyst, &analysis);
            work.push(Box::pin(async move {
                let status = b.get(path).await.status().as_u16();
                assert!(status == 200 || status == 503, "{status}");
            }));
        }
        if i % 25 == 0 {
            // A wrong one-time code: a rate-limit event.
            let app = &app;
            work.push(Box::pin(async move {
                let s = app
                    .get(&format!("/c/ABCDEFGHJKMNPQRS{i:04}"))
                    .await
                    .status();
                assert_eq!(s, 400);
            }));
        }
    }
    let tasks = work.len();
    futures_util::future::join_all(work).await;
    assert_eq!(app.response_count(round), SUBMISSIONS as i64);
    assert_eq!(
        app.state.writer.failed_attempts(),
        0,
        "a submission batch failed while {tasks} requests ran"
    );
}
