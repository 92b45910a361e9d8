//! Behind https every cookie is Secure and HSTS is sent; the CSRF token never travels in a
//! URL, not even for the multipart roster upload.

use kehou_survey::domain::account::Role;

use super::{BUREAU, SCHOOL};
use crate::helpers::{spawn_app, spawn_app_with};
use crate::staff_helpers::{Browser, PASSWORD};

fn set_cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn behind_https_every_cookie_is_secure_and_hsts_is_sent() {
    let app = spawn_app_with(|s| s.public_url = Some("https://survey.example.cn".into())).await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    app.make_user(SCHOOL, Role::School, Some("3505820001"), None);
    let mut seen = Vec::new();
    for path in [
        "/login".to_string(),
        "/password-reset".to_string(),
        format!("/s/{slug}/feedback"),
        format!("/s/{slug}"),
        "/healthz".to_string(),
    ] {
        let r = app.get(&path).await;
        assert_eq!(
            r.headers()
                .get("strict-transport-security")
                .map(|v| v.to_str().unwrap()),
            Some("max-age=31536000"),
            "{path}"
        );
        seen.extend(set_cookies(&r));
    }
    let signed = Browser::new(&app).login(SCHOOL, PASSWORD).await;
    seen.extend(set_cookies(&signed));
    for name in ["kehou_pre=", "kehou_fb=", "kehou_sid="] {
        assert!(
            seen.iter().any(|c| c.starts_with(name)),
            "no {name} cookie in {seen:?}"
        );
    }
    for c in &seen {
        assert!(c.contains("; Secure"), "not Secure: {c}");
    }

    let plain = spawn_app().await;
    let r = plain.get("/login").await;
    assert!(r.headers().get("strict-transport-security").is_none());
    assert!(set_cookies(&r).iter().all(|c| !c.contains("Secure")));
}

#[tokio::test]
async fn the_roster_upload_takes_its_token_from_the_body_never_the_url() {
    let app = spawn_app().await;
    app.make_user(BUREAU, Role::Bureau, None, None);
    let b = app.signed_in(BUREAU).await;
    let (_, page) = b.get_html("/admin/schools").await;
    assert!(!page.contains("csrf="), "a CSRF token in a URL of the page");
    let csrf = b.csrf_from("/admin/schools").await;
    let roster = || {
        reqwest::multipart::Part::bytes(crate::helpers::ROSTER_CSV.as_bytes().to_vec())
            .file_name("名册.csv")
    };
    let send = |url: String, form: reqwest::multipart::Form| {
        let client = b.client.clone();
        async move { client.post(url).multipart(form).send().await.unwrap() }
    };
    let base = format!("{}/admin/schools/import", b.base);
    let in_url = send(
        format!("{base}?csrf={csrf}"),
        reqwest::multipart::Form::new().part("roster", roster()),
    )
    .await;
    assert_eq!(
        in_url.status(),
        403,
        "a token in the query string is not accepted"
    );
    let wrong = send(
        base.clone(),
        reqwest::multipart::Form::new()
            .text("csrf", "X".repeat(csrf.len()))
            .part("roster", roster()),
    )
    .await;
    assert_eq!(wrong.status(), 403);
    let after = send(
        base.clone(),
        reqwest::multipart::Form::new()
            .part("roster", roster())
            .text("csrf", csrf.clone()),
    )
    .await;
    assert_eq!(after.status(), 403, "the token must come before the file");
    assert_eq!(app.school_count(), 0);
    let ok = send(
        base,
        reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .part("roster", roster()),
    )
    .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(app.school_count(), 3);
}
