//! The staff pages doing their jobs: roster upload, publishing a round,
//! coverage by township (and only one's own as a township officer), and a
//! school generating and printing one-time codes.

use kehou_survey::domain::account::Role;

use crate::helpers::{spawn_app, ROSTER_CSV};
use crate::staff_helpers::Browser;

async fn upload(b: &Browser, csv: &str) -> (u16, String) {
    let csrf = b.csrf_from("/admin/schools").await;
    let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("名册.csv");
    // The token goes first, as the page's form sends it, never in the URL.
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .part("roster", part);
    let r = b
        .client
        .post(format!("{}/admin/schools/import", b.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn bureau_uploads_a_roster_publishes_and_watches_coverage() {
    let app = spawn_app().await;
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;

    let bad = ROSTER_CSV.replace(",121,", ",999,");
    let (status, html) = upload(&bureau, &bad).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("第 3 行") && html.contains("城乡分类代码"),
        "{html}"
    );
    assert_eq!(
        app.school_count(),
        0,
        "a roster with errors imports nothing"
    );
    let (status, html) = upload(&bureau, ROSTER_CSV).await;
    assert_eq!(status, 200);
    assert!(html.contains("新增 3 所"), "{html}");

    let csrf = bureau.csrf_from("/admin/rounds").await;
    let r = bureau
        .post(
            "/admin/rounds",
            &[
                ("csrf", &csrf),
                ("survey", "after-school-needs"),
                ("name", "2026 秋季需求调查"),
                ("opens", "2026-01-01"),
                ("closes", "2099-12-31"),
                ("township_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("共 3 所学校"));
    let round = kehou_survey::db::rounds::list(&mut app.conn()).unwrap()[0].id;

    let (_, coverage) = bureau
        .get_html(&format!("/admin/coverage?round={round}"))
        .await;
    for t in ["青阳街道", "安海镇", "磁灶镇"] {
        assert!(coverage.contains(t), "{t}");
    }
    let (_, rural) = bureau
        .get_html(&format!("/admin/coverage?round={round}&urban=rural"))
        .await;
    assert!(!rural.contains("晋江市青阳中心小学") && rural.contains("晋江市磁灶中学"));

    // A township officer sees only their own township's schools.
    app.make_user("qy@town.cn", Role::Township, None, Some("青阳街道"));
    let officer = app.signed_in("qy@town.cn").await;
    let (_, mine) = officer
        .get_html(&format!("/admin/coverage?round={round}"))
        .await;
    assert!(mine.contains("晋江市青阳中心小学"));
    assert!(!mine.contains("晋江市磁灶中学") && !mine.contains("晋江市安海镇养正小学"));

    // A school makes one-time codes for two classes and prints their letters.
    app.make_user("sec@school.cn", Role::School, Some("3505820001"), None);
    let school = app.signed_in("sec@school.cn").await;
    let page = format!(
        "/admin/schools/{}/rounds/{round}",
        app.school_id("3505820001")
    );
    let csrf = school.csrf_from(&page).await;
    let r = school
        .post(
            &format!("{page}/codes"),
            &[("csrf", &csrf), ("classes", "3:1-2"), ("per_class", "3")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (status, letters) = school.get_html(&format!("{page}/codes")).await;
    assert_eq!(status, 200);
    assert_eq!(letters.matches("<article class=\"page\">").count(), 6);
    assert!(letters.contains("三年级2班"));
    let (_, html) = school.get_html(&page).await;
    assert!(html.contains("已生成 6 个填写码，已使用 0 个"));
    let bad = school
        .post(
            &format!("{page}/codes"),
            &[("csrf", &csrf), ("classes", "12:1"), ("per_class", "3")],
        )
        .await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("不在 1–9 之间"));
}
