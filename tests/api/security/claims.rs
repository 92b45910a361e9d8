//! What the README's security paragraph claims, exactly: which POSTs carry which token, and
//! that no GET changes what the platform holds (only bookkeeping: audit rows, rate-limit
//! events, a session's last-seen time, the answer counters catching up).

use diesel::prelude::*;
use kehou_survey::auth::access::Access;
use kehou_survey::db::schema::*;
use kehou_survey::domain::account::Role;
use kehou_survey::routes::TABLE;

use super::{BUREAU, SCHOOL};
use crate::helpers::{spawn_app, valid_needs_answers, TestApp};
use crate::staff_helpers::Browser;

/// Parents' routes: no session, so no token (see the README).
fn is_parents(path: &str) -> bool {
    path.starts_with("/s/") || path == "/feedback"
}

#[tokio::test]
async fn public_posts_check_their_own_token_except_parents() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let anonymous = Browser::new(&app);
    for r in TABLE
        .iter()
        .filter(|r| r.method == "post" && r.access == Access::Public)
    {
        let path = r.path.replace("{slug}", &slug).replace("{token}", "x");
        let status = anonymous.post(&path, &[]).await.status().as_u16();
        if is_parents(r.path) {
            assert_ne!(status, 403, "parents' {path} asks for a token");
            assert_ne!(status, 500, "{path}");
        } else {
            assert_eq!(status, 403, "{path} without its form token");
        }
    }
}

/// Row counts of every table that holds what the platform is about (not bookkeeping).
fn holdings(app: &TestApp) -> Vec<(&'static str, i64)> {
    let mut c = app.conn();
    macro_rules! count {
        ($($t:ident),*) => {
            vec![$((stringify!($t), $t::table.count().get_result::<i64>(&mut c).unwrap())),*]
        };
    }
    let mut all = count!(
        townships,
        schools,
        school_enrolments,
        survey_versions,
        rounds,
        round_schools,
        access_codes,
        responses,
        setup_tokens,
        users,
        account_tokens,
        complaints,
        complaint_steps,
        cases,
        case_files,
        ledger_sends,
        daily_sends,
        plan_revisions,
        plan_activities
    );
    let used: i64 = access_codes::table
        .filter(access_codes::used_at.is_not_null())
        .count()
        .get_result(&mut c)
        .unwrap();
    all.push(("access_codes used", used));
    all
}

#[tokio::test]
async fn no_get_changes_what_the_platform_holds() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let school = app.school_id("3505820001");
    let township = app.township_id("青阳街道");
    app.make_user(SCHOOL, Role::School, Some("3505820001"), None);
    app.make_user(BUREAU, Role::Bureau, None, None);
    app.submit(&slug, &valid_needs_answers()).await;
    let now = app.clock.now();
    let code = kehou_survey::db::codes::generate(&mut app.conn(), round, school, &[(3, 1)], 2, now)
        .unwrap()[0]
        .code
        .clone();
    let browsers = [
        Browser::new(&app),
        app.signed_in(SCHOOL).await,
        app.signed_in(BUREAU).await,
    ];
    let before = holdings(&app);
    let mut gets = 0;
    for r in TABLE.iter().filter(|r| r.method == "get") {
        for c in [code.as_str(), "ABCDEFGHJKMNPQRS0000"] {
            let path = r
                .path
                .replace("{slug}", &slug)
                .replace("{school_id}", &school.to_string())
                .replace("{township_id}", &township.to_string())
                .replace("{round_id}", &round.to_string())
                .replace("{code}", c)
                .replace("{token}", "x");
            for q in ["", "?format=csv", &format!("?c={c}")] {
                for b in &browsers {
                    let status = b.get(&format!("{path}{q}")).await.status().as_u16();
                    assert_ne!(status, 500, "{path}{q}");
                    gets += 1;
                }
            }
        }
    }
    assert!(gets > 200, "{gets}");
    assert_eq!(
        holdings(&app),
        before,
        "a GET changed what the platform holds"
    );
}
