//! A retried POST (same idempotency key) is answered like the first one and
//! stored once, also when the retries arrive at the same time.

use kehou_survey::db;
use kehou_survey::db::responses::NewResponse;

use crate::helpers::{encode, spawn_app, valid_needs_answers, with_meta};

#[tokio::test]
async fn the_same_post_twice_is_stored_once() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let (_, idem) = app.open_form(&slug, None).await;
    let body = encode(&with_meta(&idem, &valid_needs_answers()));

    for attempt in 1..=2 {
        let resp = app.post_form(&slug, body.clone()).await;
        assert_eq!(resp.status(), 303, "attempt {attempt}");
        assert_eq!(
            resp.headers()["location"].to_str().unwrap(),
            format!("/s/{slug}/thanks")
        );
        assert_eq!(app.response_count(round), 1, "attempt {attempt}");
    }
    assert_eq!(app.stored_answers(&idem)["need"], "yes");
}

#[tokio::test]
async fn ten_concurrent_copies_of_one_post_store_one_row() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let (_, idem) = app.open_form(&slug, None).await;
    let body = encode(&with_meta(&idem, &valid_needs_answers()));

    let posts = (0..10).map(|_| app.post_form(&slug, body.clone()));
    let responses = futures_util::future::join_all(posts).await;
    for r in &responses {
        assert_eq!(r.status(), 303);
    }
    assert_eq!(app.response_count(round), 1);

    // A different key is a different family's answer.
    let (_, other) = app.open_form(&slug, None).await;
    let resp = app
        .post_form(&slug, encode(&with_meta(&other, &valid_needs_answers())))
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(app.response_count(round), 2);
}

/// The PostgreSQL writer's batch insert (`db::responses::insert_new`, on either backend here)
/// stores each new key once and reports just those: a key already stored and a key twice in
/// one call are skipped.
#[tokio::test]
async fn a_batch_insert_stores_each_key_once() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let (_, idem) = app.open_form(&slug, None).await;
    let resp = app
        .post_form(&slug, encode(&with_meta(&idem, &valid_needs_answers())))
        .await;
    assert_eq!(resp.status(), 303);
    let mut conn = app.conn();
    let first = db::responses::find_by_key(&mut conn, &idem)
        .expect("query")
        .expect("stored");
    let like = |key: &str| NewResponse {
        round_id: first.round_id,
        school_id: first.school_id,
        survey_hash: first.survey_hash.clone(),
        grade: first.grade,
        class_no: first.class_no,
        answers: first.answers.clone(),
        idempotency_key: key.to_string(),
        access_code: None,
        submitted_at: first.submitted_at,
        channel: db::responses::ONLINE,
        serial: None,
    };
    let (a, again, b, a_twice) = (
        like("batch-a"),
        like(&idem),
        like("batch-b"),
        like("batch-a"),
    );
    let mut stored =
        db::responses::insert_new(&mut conn, &[&a, &again, &b, &a_twice]).expect("insert");
    stored.sort();
    assert_eq!(stored, vec!["batch-a", "batch-b"]);
    assert_eq!(app.response_count(round), 3);
}
