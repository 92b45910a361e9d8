//! Reset and invitation links: an account has at most one live link, and a new one, a new
//! password or a disabled account ends every earlier one.

use kehou_survey::db::{self, account_tokens::Purpose};
use kehou_survey::domain::account::Role;

use super::{BUREAU, SCHOOL};
use crate::helpers::{spawn_app, TestApp};
use crate::staff_helpers::{Browser, PASSWORD};

/// Whether the reset (or invitation) link with this token still opens its form.
async fn link_works(app: &TestApp, kind: &str, token: &str) -> bool {
    let status = app.get(&format!("/{kind}/{token}")).await.status();
    assert!(status == 200 || status == 404, "{status}");
    status == 200
}

fn issue(app: &TestApp, user: i64, purpose: Purpose) -> String {
    db::account_tokens::issue(&mut app.conn(), user, purpose, app.clock.now()).unwrap()
}

#[tokio::test]
async fn a_new_link_a_new_password_or_a_disabled_account_ends_every_earlier_link() {
    let app = spawn_app().await;
    app.import_standard_roster();
    let user = app.make_user(SCHOOL, Role::School, Some("3505820001"), None);
    app.make_user(BUREAU, Role::Bureau, None, None);

    // A new reset link, asked for on the page, ends the earlier reset and invitation links.
    let invite = issue(&app, user, Purpose::Invite);
    let reset = issue(&app, user, Purpose::Reset);
    assert!(link_works(&app, "reset", &reset).await);
    assert!(
        !link_works(&app, "invite", &invite).await,
        "a second link ends the first"
    );
    let b = Browser::new(&app);
    let csrf = b.csrf_from("/password-reset").await;
    let r = b
        .post("/password-reset", &[("csrf", &csrf), ("email", SCHOOL)])
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        !link_works(&app, "reset", &reset).await,
        "a new reset ends the old one"
    );

    // A password change ends the link mailed before it.
    let reset = issue(&app, user, Purpose::Reset);
    let me = app.signed_in(SCHOOL).await;
    let new = "another long passphrase";
    let r = me.change_password(PASSWORD, new).await;
    assert_eq!(r.status(), 303);
    assert!(
        !link_works(&app, "reset", &reset).await,
        "a password change ends it"
    );

    // Using one link ends the others too (a password was set).
    let first = issue(&app, user, Purpose::Reset);
    let b = Browser::new(&app);
    let csrf = b.csrf_from(&format!("/reset/{first}")).await;
    let chosen = "a third long passphrase";
    let r = b
        .post(
            &format!("/reset/{first}"),
            &[("csrf", &csrf), ("password", chosen), ("confirm", chosen)],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(!link_works(&app, "reset", &first).await);

    // Disabling the account ends its links.
    let reset = issue(&app, user, Purpose::Reset);
    let bureau = app.signed_in(BUREAU).await;
    let csrf = bureau.csrf_from("/admin/accounts").await;
    let r = bureau
        .post(
            &format!("/admin/accounts/{user}/active"),
            &[("csrf", &csrf), ("active", "0")],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        !link_works(&app, "reset", &reset).await,
        "a disabled account's link"
    );
}
