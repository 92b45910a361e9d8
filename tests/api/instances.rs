//! Several stateless app instances on one PostgreSQL database: sessions,
//! logout, one-time codes and submissions behave as on one instance,
//! because nothing lives only in one process's memory. Runs when
//! TEST_DATABASE_URL is set (SQLite is the one-machine deployment).

use kehou_survey::db;
use kehou_survey::domain::account::Role;

use crate::helpers::{backend, encode, spawn_app, valid_needs_answers, with_meta};
use crate::process::ServerProcess;
use crate::staff_helpers::{location, Browser, PASSWORD};

#[tokio::test]
async fn two_instances_share_sessions_codes_and_submissions() {
    if backend() != "postgres" {
        println!("skipped: set TEST_DATABASE_URL to run the two-instance test on PostgreSQL");
        return;
    }
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    app.make_user("sec@school.cn", Role::School, Some("3505820001"), None);
    let one = ServerProcess::start(&app.db_url).await;
    let two = ServerProcess::start(&app.db_url).await;

    // A session made on one instance is valid on the other; logout on the
    // second ends it on both.
    let mut b = Browser::new(&app);
    b.base = one.address.clone();
    assert_eq!(b.login("sec@school.cn", PASSWORD).await.status(), 303);
    b.base = two.address.clone();
    let (status, page) = b.get_html("/account/password").await;
    assert_eq!(status, 200);
    let csrf = crate::staff_helpers::csrf_in(&page);
    assert_eq!(b.post("/logout", &[("csrf", &csrf)]).await.status(), 303);
    for base in [&one.address, &two.address] {
        b.base = base.clone();
        let r = b.get("/account/password").await;
        assert_eq!(r.status(), 303, "logged out on {base}");
        assert!(location(&r).starts_with("/login"));
    }

    // Submissions spread over both, each one also retried on the other
    // instance: every one stored exactly once.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let answers = valid_needs_answers();
    let keys: Vec<String> = (0..40).map(|i| format!("INST{i:022}")).collect();
    let mut sends = Vec::new();
    for key in &keys {
        for base in [&one.address, &two.address] {
            let body = encode(&with_meta(key, &answers));
            let url = format!("{base}/s/{slug}");
            let c = client.clone();
            sends.push(tokio::spawn(async move {
                c.post(url)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(body)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }));
        }
    }
    for s in sends {
        assert_eq!(s.await.unwrap(), 303);
    }
    assert_eq!(app.response_count(round), keys.len() as i64);

    // One one-time code, submitted to both instances at once: one wins.
    let school = app.school_id("3505820001");
    let now = app.clock.now();
    let code = db::codes::generate(&mut app.conn(), round, school, &[(3, 1)], 1, now)
        .unwrap()
        .remove(0)
        .code;
    let body_for = |key: &str| {
        let mut pairs = with_meta(key, &answers);
        pairs.push(("code", code.as_str()));
        encode(&pairs)
    };
    let send = |base: &str, key: &str| {
        client
            .post(format!("{base}/s/{slug}"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body_for(key))
            .send()
    };
    let (a, b2) = tokio::join!(
        send(&one.address, "CODEA000000000000000000000"),
        send(&two.address, "CODEB000000000000000000000"),
    );
    let mut statuses = [a.unwrap().status().as_u16(), b2.unwrap().status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [303, 409], "exactly one use of the code");
    assert_eq!(app.response_count(round), keys.len() as i64 + 1);

    // Both instances report the same coverage.
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    for base in [&one.address, &two.address] {
        let mut bureau = Browser::new(&app);
        bureau.base = base.clone();
        assert_eq!(
            bureau.login("admin@bureau.cn", PASSWORD).await.status(),
            303
        );
        let (_, html) = bureau
            .get_html(&format!("/admin/coverage?round={round}"))
            .await;
        assert!(
            html.contains(&format!("回收 {} 份", keys.len() + 1)),
            "{html}"
        );
    }
}

/// Instances started together on an empty database: one migrates while the
/// others wait on the advisory lock; all come up.
#[tokio::test]
async fn instances_starting_together_migrate_once() {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
        println!("skipped: set TEST_DATABASE_URL to run the concurrent-migration test");
        return;
    };
    let name = format!(
        "kehou_test_{}",
        kehou_survey::domain::token::random_token(12).to_lowercase()
    );
    let mut c = diesel::PgConnection::establish(&admin).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let url = format!("{base}/{name}");
    {
        let (a, b, c3) = tokio::join!(
            ServerProcess::start(&url),
            ServerProcess::start(&url),
            ServerProcess::start(&url)
        );
        for s in [&a, &b, &c3] {
            let r = reqwest::get(format!("{}/healthz", s.address))
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
    }
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .unwrap();
}
