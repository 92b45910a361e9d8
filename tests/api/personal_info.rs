//! Personal information in free text: a phone number, ID-card number or e-mail
//! address in an answer is pointed out to the parent before anything is stored, with every
//! answer kept; a second submit stores it as typed; exports mask it unless asked not to.

use kehou_survey::domain::pii::MASK;
use kehou_survey::domain::survey::PERSONAL_INFO;

use crate::helpers::{encode, html_of, spawn_app, valid_needs_answers, with_meta};

#[tokio::test]
async fn personal_information_is_pointed_out_then_masked_in_exports() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let text = "希望多开科学课，有事请联系王女士13812345678或wang@example.com";
    let mut answers = valid_needs_answers();
    answers.retain(|(k, _)| *k != "q.suggestion");
    answers.push(("q.suggestion", text));

    let (_, idem) = app.open_form(&slug, None).await;
    let resp = app
        .post_form(&slug, encode(&with_meta(&idem, &answers)))
        .await;
    assert_eq!(resp.status(), 422);
    let html = html_of(resp).await;
    assert!(html.contains(PERSONAL_INFO), "the notice beside the answer");
    assert!(html.contains("13812345678"), "the answer is kept as typed");
    assert!(
        html.contains("name=\"pii_ok\" value=\"1\""),
        "the next submit confirms"
    );
    assert!(
        html.contains("value=\"t1730\" checked") || html.contains("checked"),
        "choices kept"
    );
    assert_eq!(app.response_count(round), 0, "nothing stored yet");

    // The parent submits again as it is: stored as typed.
    let mut pairs = with_meta(&idem, &answers);
    pairs.push(("pii_ok", "1"));
    assert_eq!(app.post_form(&slug, encode(&pairs)).await.status(), 303);
    assert_eq!(app.response_count(round), 1);
    // Without personal information, no question asked.
    app.submit(&slug, &valid_needs_answers()).await;
    assert_eq!(app.response_count(round), 2);

    let round_s = round.to_string();
    for (format, unmasked) in [
        ("csv", false),
        ("json", false),
        ("csv", true),
        ("json", true),
    ] {
        let out = app.temp_path(&format!("raw-{unmasked}.{format}"));
        let mut args = vec!["export", "--round", &round_s, "--format", format, "--out"];
        args.push(out.to_str().unwrap());
        if unmasked {
            args.push("--unmasked");
        }
        app.cli_ok(&args);
        let body = std::fs::read_to_string(&out).unwrap();
        assert!(
            body.contains("希望多开科学课"),
            "{format}: the rest of the answer stays"
        );
        if unmasked {
            assert!(body.contains("13812345678") && body.contains("wang@example.com"));
        } else {
            assert!(
                !body.contains("13812345678") && !body.contains("wang@example.com"),
                "{body}"
            );
            assert_eq!(body.matches(MASK).count(), 2, "{format}: {body}");
        }
    }
    let audit = app.audit_actions();
    assert_eq!(audit.iter().filter(|a| *a == "export_raw_cli").count(), 4);
}
