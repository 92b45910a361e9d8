//! Sign-in, sessions, CSRF and throttling, through the real login form.

use diesel::prelude::*;
use kehou_survey::db::schema::sessions;
use kehou_survey::domain::account::Role;

use crate::helpers::{spawn_app, spawn_app_with};
use crate::staff_helpers::{location, Browser, PASSWORD};

const EMAIL: &str = "sec@school.cn";

async fn app_with_school_admin() -> (crate::helpers::TestApp, i64) {
    let app = spawn_app().await;
    app.import_standard_roster();
    let id = app.make_user(EMAIL, Role::School, Some("3505820001"), None);
    (app, id)
}

fn cookie_header(r: &reqwest::Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("kehou_sid="))
        .expect("a session cookie")
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_rotates_the_id() {
    let (app, _) = app_with_school_admin().await;
    let b = Browser::new(&app);
    let first = b.login(EMAIL, PASSWORD).await;
    assert_eq!(first.status(), 303);
    assert_eq!(location(&first), "/admin");
    let c1 = cookie_header(&first);
    assert!(
        c1.contains("HttpOnly") && c1.contains("SameSite=Strict"),
        "{c1}"
    );
    assert!(
        !c1.contains("Secure"),
        "plain http must not set Secure: {c1}"
    );
    let second = b.login(EMAIL, PASSWORD).await;
    assert_ne!(
        cookie_header(&second),
        c1,
        "a new session id on every sign-in"
    );
    assert!(
        app.audit_actions()
            .iter()
            .filter(|a| *a == "sign_in")
            .count()
            == 2
    );

    let https = spawn_app_with(|s| s.public_url = Some("https://survey.example.cn".into())).await;
    https.import_standard_roster();
    https.make_user(EMAIL, Role::School, Some("3505820001"), None);
    let r = Browser::new(&https).login(EMAIL, PASSWORD).await;
    assert!(cookie_header(&r).contains("Secure"));
}

#[tokio::test]
async fn logout_ends_the_session_even_for_a_replayed_cookie() {
    let (app, _) = app_with_school_admin().await;
    let other = app.signed_in(EMAIL).await;
    // Sign in and keep a raw copy of the session cookie, as a thief would.
    let cookie = {
        let r = Browser::new(&app).login(EMAIL, PASSWORD).await;
        cookie_header(&r).split(';').next().unwrap().to_string()
    };
    let raw = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = |path: &str| {
        raw.get(format!("{}{path}", app.address))
            .header("Cookie", &cookie)
            .send()
    };
    let page = get("/account/password").await.unwrap();
    assert_eq!(page.status(), 200);
    let csrf = crate::staff_helpers::csrf_in(&page.text().await.unwrap());
    let out = raw
        .post(format!("{}/logout", app.address))
        .header("Cookie", &cookie)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    let replay = get("/account/password").await.unwrap();
    assert_eq!(replay.status(), 303);
    assert!(location(&replay).starts_with("/login?next="));
    // Another session of the same account is untouched.
    assert_eq!(other.get("/account/password").await.status(), 200);
}

#[tokio::test]
async fn sessions_expire_when_idle_or_old() {
    let (app, user) = app_with_school_admin().await;
    // A second apart on the app's clock, so that they sort by creation.
    let idle = app.signed_in(EMAIL).await;
    app.clock.advance(chrono::Duration::seconds(1));
    let old = app.signed_in(EMAIL).await;
    app.clock.advance(chrono::Duration::seconds(1));
    let fresh = app.signed_in(EMAIL).await;
    let now = app.clock.now();
    let mut conn = app.conn();
    let ids: Vec<String> = sessions::table
        .filter(sessions::user_id.eq(user))
        .order(sessions::created_at)
        .select(sessions::id_hash)
        .load(&mut conn)
        .unwrap();
    assert_eq!(ids.len(), 3);
    diesel::update(sessions::table.find(&ids[0]))
        .set(sessions::last_seen_at.eq(now - chrono::Duration::minutes(31)))
        .execute(&mut conn)
        .unwrap();
    diesel::update(sessions::table.find(&ids[1]))
        .set((
            sessions::created_at.eq(now - chrono::Duration::hours(13)),
            sessions::last_seen_at.eq(now),
        ))
        .execute(&mut conn)
        .unwrap();
    for (b, alive) in [(&idle, false), (&old, false), (&fresh, true)] {
        let r = b.get("/account/password").await;
        assert_eq!(r.status() == 200, alive, "{}", location(&r));
    }
}

#[tokio::test]
async fn a_password_change_ends_every_session() {
    let (app, _) = app_with_school_admin().await;
    let a = app.signed_in(EMAIL).await;
    let other = app.signed_in(EMAIL).await;
    let new = "a brand new passphrase";
    let r = a.change_password(PASSWORD, new).await;
    assert_eq!(r.status(), 303);
    assert_eq!(other.get("/account/password").await.status(), 303);
    assert_eq!(a.get("/account/password").await.status(), 303);
    assert_eq!(
        Browser::new(&app).login(EMAIL, PASSWORD).await.status(),
        401
    );
    assert_eq!(Browser::new(&app).login(EMAIL, new).await.status(), 303);
}

#[tokio::test]
async fn csrf_is_required_and_checked() {
    let (app, _) = app_with_school_admin().await;
    app.make_user("boss@bureau.cn", Role::Bureau, None, None);
    let b = app.signed_in("boss@bureau.cn").await;
    let fields = [("name", "新镇"), ("kind", "镇")];
    let missing = b.post("/admin/townships", &fields).await;
    assert_eq!(missing.status(), 403);
    let wrong = b
        .post(
            "/admin/townships",
            &[
                ("csrf", "x".repeat(32).as_str()),
                ("name", "新镇"),
                ("kind", "镇"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 403);
    let csrf = b.csrf_from("/admin/townships").await;
    let ok = b
        .post(
            "/admin/townships",
            &[("csrf", csrf.as_str()), ("name", "新镇"), ("kind", "镇")],
        )
        .await;
    assert_eq!(ok.status(), 200);
    assert!(ok.text().await.unwrap().contains("已添加"));
    // The login form has its own double-submit token.
    let anon = Browser::new(&app);
    let r = anon
        .post("/login", &[("email", EMAIL), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn sign_in_is_throttled_without_revealing_accounts() {
    let (app, _) = app_with_school_admin().await;
    let b = Browser::new(&app);
    let wrong = b.login(EMAIL, "wrong password!").await;
    assert_eq!(wrong.status(), 401);
    let wrong_text = wrong.text().await.unwrap();
    let unknown = b.login("nobody@school.cn", "wrong password!").await;
    assert_eq!(unknown.status(), 401);
    let unknown_text = unknown.text().await.unwrap();
    let msg = kehou_survey::routes::account_failed_message();
    assert!(wrong_text.contains(msg) && unknown_text.contains(msg));
    for _ in 0..4 {
        assert_eq!(b.login(EMAIL, "wrong password!").await.status(), 401);
    }
    // Five failures: now even the right password is refused, with the same words.
    let held = b.login(EMAIL, PASSWORD).await;
    assert_eq!(held.status(), 401);
    assert!(held.text().await.unwrap().contains(msg));
    // Another account from the same address is not held.
    app.make_user("other@school.cn", Role::School, Some("3505820002"), None);
    assert_eq!(b.login("other@school.cn", PASSWORD).await.status(), 303);
}
