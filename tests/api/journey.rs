//! The whole path: import a roster, publish, scan the QR code, open the form,
//! answer, and find the stored row.

use crate::helpers::{encode, spawn_app, valid_needs_answers, with_meta};
use kehou_survey::db;

#[tokio::test]
async fn roster_publish_qr_form_submit_stored() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");

    // The QR PNG decodes back to the school's public link.
    let png = app.get(&format!("/s/{slug}/qr.png")).await;
    assert_eq!(png.status(), 200);
    assert_eq!(png.headers()["content-type"], "image/png");
    let img = image::load_from_memory(&png.bytes().await.unwrap())
        .unwrap()
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, content) = grids[0].decode().unwrap();
    assert_eq!(content, format!("{}/s/{slug}", app.address));

    // The letter and consent come first, then the form.
    let letter = app.get(&format!("/s/{slug}")).await;
    assert_eq!(letter.status(), 200);
    let letter = letter.text().await.unwrap();
    assert!(letter.contains("晋江市青阳中心小学"));
    assert!(letter.contains("知情同意"));
    let (form, idem) = app.open_form(&slug, None).await;
    assert!(form.contains("name=\"q.need\""));

    // Submit: 303 to the thank-you page, one stored row.
    let answers = valid_needs_answers();
    let resp = app
        .post_form(&slug, encode(&with_meta(&idem, &answers)))
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(
        resp.headers()["location"].to_str().unwrap(),
        format!("/s/{slug}/thanks")
    );
    assert_eq!(app.response_count(round), 1);
    let stored = db::responses::find_by_key(&mut app.conn(), &idem)
        .unwrap()
        .unwrap();
    assert_eq!(stored.grade, Some(3));
    assert_eq!(stored.class_no, Some(2));
    let json: serde_json::Value = serde_json::from_str(&stored.answers).unwrap();
    assert_eq!(json["need"], "yes");
    assert_eq!(
        json["top3"],
        serde_json::json!(["science", "sports", "reading"])
    );
    assert_eq!(
        json["categories"],
        serde_json::json!(["science", "sports", "reading"])
    );

    let thanks = app.get(&format!("/s/{slug}/thanks")).await;
    assert_eq!(thanks.status(), 200);
    assert!(thanks.text().await.unwrap().contains("提交成功"));
}
