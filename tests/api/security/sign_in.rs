//! Sign-in as a lever against the server: a held sign-in runs no Argon2 and writes nothing,
//! an e-mail longer than any address is refused before any work and stored bounded, a dead
//! reset link hashes nothing, and the Argon2 checks that do run never exceed the hashing
//! gate's permits.

use diesel::prelude::*;
use kehou_survey::db::schema::{audit_log, rate_events};
use kehou_survey::domain::account::Role;

use super::SCHOOL;
use crate::helpers::{spawn_app, TestApp};
use crate::staff_helpers::{Browser, PASSWORD};

fn rows(app: &TestApp) -> (i64, i64) {
    let mut c = app.conn();
    (
        audit_log::table.count().get_result(&mut c).unwrap(),
        rate_events::table.count().get_result(&mut c).unwrap(),
    )
}

#[tokio::test]
async fn a_held_sign_in_runs_no_argon2_and_writes_nothing() {
    let app = spawn_app().await;
    app.import_standard_roster();
    app.make_user(SCHOOL, Role::School, Some("3505820001"), None);
    let b = Browser::new(&app);
    for _ in 0..5 {
        assert_eq!(b.login(SCHOOL, "wrong password!").await.status(), 401);
    }
    // Each failure leaves two rate-limit events, keyed by 128-bit hashes.
    let hashes: Vec<String> = rate_events::table
        .select(rate_events::key_hash)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(hashes.len(), 10);
    assert!(hashes.iter().all(|h| h.len() == 32), "{hashes:?}");
    let (runs, before) = (app.state.hash_gate.runs(), rows(&app));
    let msg = kehou_survey::routes::account_failed_message();
    for pass in [PASSWORD, "wrong password!", PASSWORD] {
        let r = b.login(SCHOOL, pass).await;
        assert_eq!(r.status(), 401);
        assert!(r.text().await.unwrap().contains(msg), "the same refusal");
    }
    assert_eq!(
        app.state.hash_gate.runs(),
        runs,
        "Argon2 ran for a held account"
    );
    assert_eq!(
        rows(&app),
        before,
        "a held sign-in wrote audit or rate rows"
    );
}

#[tokio::test]
async fn an_overlong_e_mail_is_refused_before_any_work_and_stored_bounded() {
    let app = spawn_app().await;
    let b = Browser::new(&app);
    let csrf = b.csrf_from("/login").await;
    let runs = app.state.hash_gate.runs();
    let huge = format!("{}@x.cn\r\n<script>", "a".repeat(60_000));
    let r = b
        .post(
            "/login",
            &[("csrf", &csrf), ("email", &huge), ("password", "x")],
        )
        .await;
    assert_eq!(r.status(), 401);
    let html = r.text().await.unwrap();
    assert!(html.contains(kehou_survey::routes::account_failed_message()));
    assert!(html.len() < 20_000, "the page echoes the whole e-mail back");
    assert_eq!(app.state.hash_gate.runs(), runs, "Argon2 ran for it");
    let details: Vec<String> = audit_log::table
        .filter(audit_log::action.eq("sign_in_failed"))
        .select(audit_log::detail)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(details.len(), 1);
    assert!(
        details[0].len() <= 320,
        "{} bytes audited",
        details[0].len()
    );
    assert!(details[0].contains("已截断"), "{}", details[0]);
}

#[tokio::test]
async fn argon2_never_runs_more_than_the_gate_allows() {
    let app = spawn_app().await;
    let b = Browser::new(&app);
    let csrf = b.csrf_from("/login").await;
    let tries = (0..16).map(|i| {
        let (b, csrf) = (&b, csrf.clone());
        async move {
            let email = format!("flood{i}@school.cn");
            let r = b
                .post(
                    "/login",
                    &[("csrf", &csrf), ("email", &email), ("password", "x")],
                )
                .await;
            r.status().as_u16()
        }
    });
    let statuses = futures_util::future::join_all(tries).await;
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    let gate = &app.state.hash_gate;
    assert_eq!(gate.runs(), 16);
    assert!(
        gate.peak() <= gate.limit(),
        "{} > {}",
        gate.peak(),
        gate.limit()
    );
}

#[tokio::test]
async fn a_dead_reset_or_invitation_link_runs_no_argon2() {
    let app = spawn_app().await;
    let b = Browser::new(&app);
    let csrf = b.csrf_from("/login").await;
    let runs = app.state.hash_gate.runs();
    let pass = "a long enough passphrase";
    for path in ["/reset/NOTATOKEN", "/invite/NOTATOKEN"] {
        let r = b
            .post(
                path,
                &[("csrf", &csrf), ("password", pass), ("confirm", pass)],
            )
            .await;
        assert_eq!(r.status(), 404, "{path}");
    }
    assert_eq!(
        app.state.hash_gate.runs(),
        runs,
        "Argon2 ran for a dead link"
    );
}
