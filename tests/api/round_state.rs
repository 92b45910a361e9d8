//! Links of rounds that are closed or not yet open, and unknown links.

use crate::helpers::{encode, html_of, spawn_app, valid_needs_answers, with_meta};

const IDEM: &str = "ABCDEFGHJKMNPQRSTVWXYZ0123";

#[tokio::test]
async fn a_closed_round_answers_410_and_stores_nothing() {
    let app = spawn_app().await;
    app.import_standard_roster();
    let round = app.publish("after-school-needs", "-10", "-2");
    let slug = app.slug(round, "3505820001");

    for path in [format!("/s/{slug}"), format!("/s/{slug}/form")] {
        let resp = app.get(&path).await;
        assert_eq!(resp.status(), 410, "{path}");
        let page = html_of(resp).await;
        assert!(page.contains("问卷已结束"), "{path}");
        // A bare closing date ends at midnight, said as the letter said it.
        assert!(page.contains(" 24:00 截止填写"), "{page}");
        assert!(page.contains("晋江市青阳中心小学"));
        assert!(!page.contains("name=\"q.need\""));
    }
    let resp = app
        .post_form(&slug, encode(&with_meta(IDEM, &valid_needs_answers())))
        .await;
    assert_eq!(resp.status(), 410);
    assert!(html_of(resp).await.contains("问卷已结束"));
    assert_eq!(app.response_count(round), 0);
}

#[tokio::test]
async fn a_round_not_yet_open_answers_403_and_stores_nothing() {
    let app = spawn_app().await;
    app.import_standard_roster();
    let round = app.publish("after-school-needs", "+2", "+30");
    let slug = app.slug(round, "3505820002");

    for path in [format!("/s/{slug}"), format!("/s/{slug}/form")] {
        let resp = app.get(&path).await;
        assert_eq!(resp.status(), 403, "{path}");
        let page = html_of(resp).await;
        assert!(page.contains("尚未开始"), "{path}");
        assert!(page.contains("开放填写"));
    }
    let resp = app
        .post_form(&slug, encode(&with_meta(IDEM, &valid_needs_answers())))
        .await;
    assert_eq!(resp.status(), 403);
    assert!(html_of(resp).await.contains("尚未开始"));
    assert_eq!(app.response_count(round), 0);
}

#[tokio::test]
async fn an_unknown_link_is_a_chinese_404_page() {
    let app = spawn_app().await;
    let round = app.setup_round();
    for path in [
        "/s/nosuchslug0",
        "/s/nosuchslug0/form",
        "/s/nosuchslug0/thanks",
        "/s/nosuchslug0/letter",
        "/s/nosuchslug0/qr.svg",
        "/no/such/page",
    ] {
        let resp = app.get(path).await;
        assert_eq!(resp.status(), 404, "{path}");
        assert!(html_of(resp).await.contains("页面不存在"), "{path}");
    }
    let resp = app
        .post_form(
            "nosuchslug0",
            encode(&with_meta(IDEM, &valid_needs_answers())),
        )
        .await;
    assert_eq!(resp.status(), 404);
    assert!(html_of(resp).await.contains("页面不存在"));
    assert_eq!(app.response_count(round), 0);
}
