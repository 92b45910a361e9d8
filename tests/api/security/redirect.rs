//! After sign-in, `next` leads only to a path on this site, whatever is smuggled into it.

use kehou_survey::domain::account::Role;

use super::SCHOOL;
use crate::helpers::spawn_app;
use crate::staff_helpers::{location, Browser, PASSWORD};

/// Known ways to smuggle another site into a `next` path; each must land on `/admin`.
const REDIRECT_BYPASSES: &[&str] = &[
    "/\t/evil.example",
    "/\r\n/evil.example",
    "/\n/evil.example",
    "//evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "\\/\\/evil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5C/evil.example",
    "/%09/evil.example",
    "/%0d%0a/evil.example",
    "/\u{FF0F}evil.example",
    "/\u{2215}evil.example",
    "/\u{2044}evil.example",
    "/ /evil.example",
    "https://evil.example",
];

#[tokio::test]
async fn sign_in_never_redirects_to_another_site() {
    let app = spawn_app().await;
    app.import_standard_roster();
    app.make_user(SCHOOL, Role::School, Some("3505820001"), None);
    let b = Browser::new(&app);
    let csrf = b.csrf_from("/login").await;
    let sign_in = |next: &'static str| {
        let b = &b;
        let csrf = csrf.clone();
        async move {
            b.post(
                "/login",
                &[
                    ("csrf", &csrf),
                    ("email", SCHOOL),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await
        }
    };
    for next in REDIRECT_BYPASSES {
        let r = sign_in(next).await;
        assert_eq!(r.status(), 303, "{next:?}");
        assert_eq!(location(&r), "/admin", "next={next:?}");
        // The sign-in page does not carry it into its form either.
        let q = next
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>();
        let (_, html) = b.get_html(&format!("/login?next={q}")).await;
        assert!(html.contains("name=\"next\" value=\"/admin\""), "{next:?}");
    }
    let r = sign_in("/admin/schools/1?x=1").await;
    assert_eq!(
        location(&r),
        "/admin/schools/1?x=1",
        "an ordinary path is kept"
    );
}
