//! A round that requires codes: its public link asks for the code printed on
//! the letter, a submission without a valid unused code is refused and stores
//! nothing, and a valid code is accepted once. Open rounds work as before.

use diesel::prelude::*;
use kehou_survey::db::schema::rounds;
use kehou_survey::domain::account::Role;

use crate::codes::{coded_answers, coded_body, make_codes, raw};
use crate::helpers::{encode, spawn_app, valid_needs_answers, with_meta, TestApp};

/// Publishes the needs survey to the standard roster with `--codes-required`.
fn publish_required(app: &TestApp) -> i64 {
    app.import_standard_roster();
    let day = |n: i64| {
        (kehou_survey::domain::time::to_local(app.clock.now()) + chrono::Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    let out = app.cli_ok(&[
        "publish",
        "--survey",
        "after-school-needs",
        "--name",
        "一生一码轮次",
        "--opens",
        &day(-1),
        "--closes",
        &day(30),
        "--codes-required",
    ]);
    out.split("第 ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("round id in {out}"))
}

const IDEM: &str = "abcdefghijklmnopqrstuvwxyz";

#[tokio::test]
async fn a_codes_required_round_asks_for_the_code_and_takes_each_code_once() {
    let app = spawn_app().await;
    let round = publish_required(&app);
    let required: bool = rounds::table
        .find(round)
        .select(rounds::codes_required)
        .first(&mut app.conn())
        .unwrap();
    assert!(required);
    let slug = app.slug(round, "3505820001");
    let (_, codes) = make_codes(&app, round, "3505820001");

    // The link and the form without a code ask for it, in Chinese, with a box for it.
    for path in [format!("/s/{slug}"), format!("/s/{slug}/form")] {
        let resp = app.get(&path).await;
        assert_eq!(resp.status(), 200, "{path}");
        let html = resp.text().await.unwrap();
        assert!(html.contains("请输入填写码"), "{html}");
        assert!(html.contains("name=\"c\""), "{html}");
        assert!(
            !html.contains("name=\"idem\""),
            "no form before the code: {html}"
        );
    }
    // A code-less submission is refused and stores nothing, as HTML and as JSON.
    let resp = app
        .post_form(&slug, encode(&with_meta(IDEM, &valid_needs_answers())))
        .await;
    assert_eq!(resp.status(), 403);
    assert!(resp.text().await.unwrap().contains("请输入填写码"));
    let resp = app
        .post_json_client(&slug, &encode(&with_meta(IDEM, &valid_needs_answers())))
        .await;
    assert_eq!(resp.status(), 403);
    assert_eq!(app.response_count(round), 0);

    // A wrong code comes back beside the box, what was typed kept.
    let resp = app
        .get(&format!("/s/{slug}?c=ABCD-EFGH-JKMN-PQRS-TVWX"))
        .await;
    assert_eq!(resp.status(), 400);
    let html = resp.text().await.unwrap();
    assert!(html.contains("填写码不存在"), "{html}");
    assert!(
        html.contains("value=\"ABCD-EFGH-JKMN-PQRS-TVWX\""),
        "{html}"
    );

    // Typed as a grandparent might: lower case, no dashes, O for 0 and l for 1.
    let typed = raw(&codes[0])
        .to_lowercase()
        .replace('0', "o")
        .replace('1', "l");
    let resp = app.get(&format!("/s/{slug}?c={typed}")).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("/form"));

    // A valid code is taken once; the second use of it is refused.
    let (_, idem) = app.open_form(&slug, Some(&raw(&codes[0]))).await;
    let resp = app
        .post_form(&slug, coded_body(&idem, &raw(&codes[0]), &coded_answers()))
        .await;
    assert_eq!(resp.status(), 303);
    let again = app
        .post_form(&slug, coded_body(IDEM, &raw(&codes[0]), &coded_answers()))
        .await;
    assert_eq!(again.status(), 409);
    assert_eq!(app.response_count(round), 1);
}

#[tokio::test]
async fn the_bureau_can_require_codes_when_publishing_and_open_rounds_stay_open() {
    let app = spawn_app().await;
    app.import_standard_roster();
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let csrf = bureau.csrf_from("/admin/rounds").await;
    let (_, form) = bureau.get_html("/admin/rounds").await;
    assert!(form.contains("name=\"codes_required\""), "{form}");
    let day = |n: i64| {
        (kehou_survey::domain::time::to_local(app.clock.now()) + chrono::Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    for (name, required) in [("需要填写码", "1"), ("不需要填写码", "0")] {
        let resp = bureau
            .post(
                "/admin/rounds",
                &[
                    ("csrf", &csrf),
                    ("survey", "after-school-needs"),
                    ("name", name),
                    ("opens", &day(-1)),
                    ("closes", &day(30)),
                    ("retain_until", ""),
                    ("township_id", ""),
                    ("codes_required", required),
                ],
            )
            .await;
        assert_eq!(resp.status(), 200);
    }
    let flags: Vec<(String, bool)> = rounds::table
        .select((rounds::name, rounds::codes_required))
        .order(rounds::id)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        flags,
        vec![
            ("需要填写码".to_string(), true),
            ("不需要填写码".to_string(), false)
        ]
    );
    // The open round takes an answer without a code, as before.
    let open = app.slug(2, "3505820001");
    app.submit(&open, &valid_needs_answers()).await;
    assert_eq!(app.response_count(2), 1);
}
