//! The staff pages as a school secretary and a bureau officer use them: nothing blank, a way
//! back from every error, no button that cannot work, times as the form said them, every
//! figure the report computes shown, and no question id or audit code where a person reads.

use std::collections::BTreeSet;

use kehou_survey::domain::account::Role;
use kehou_survey::domain::audit_text::ACTIONS;

use crate::analysis::{families, submit_all};
use crate::helpers::{spawn_app, TestApp};
use crate::staff_helpers::Browser;

/// A round with answers and an account for each role: a school's (青阳中心小学), its
/// township's and the bureau's, `[school, township, bureau]` e-mails. Returns the round.
pub(crate) async fn round_and_roles(app: &TestApp) -> (i64, [&'static str; 3]) {
    let round = app.setup_round();
    submit_all(app, round, &families()).await;
    app.make_user("a@school.cn", Role::School, Some("3505820001"), None);
    app.make_user("qy@town.cn", Role::Township, None, Some("青阳街道"));
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    (round, ["a@school.cn", "qy@town.cn", "admin@bureau.cn"])
}

/// A round and a school's account signed in: (round, browser, school id).
async fn one_school(app: &TestApp) -> (i64, Browser, i64) {
    let round = app.setup_round();
    app.make_user("a@school.cn", Role::School, Some("3505820001"), None);
    let school = app.signed_in("a@school.cn").await;
    (round, school, app.school_id("3505820001"))
}

/// The three roles signed in on a round with answers: (school, township, bureau).
async fn three_roles(app: &TestApp) -> (i64, Browser, Browser, Browser) {
    let (round, _) = round_and_roles(app).await;
    (
        round,
        app.signed_in("a@school.cn").await,
        app.signed_in("qy@town.cn").await,
        app.signed_in("admin@bureau.cn").await,
    )
}

/// What a person reads on a page: the text between tags, scripts and styles left out.
fn visible_text(html: &str) -> String {
    let mut rest = html.to_string();
    for skip in ["style", "script"] {
        while let Some(i) = rest.find(&format!("<{skip}")) {
            let end = rest[i..]
                .find(&format!("</{skip}>"))
                .map_or(rest.len(), |e| i + e + skip.len() + 3);
            rest.replace_range(i..end, "");
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for ch in rest.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The ASCII words of a text (ids are lower-case words joined by `_` or `.`).
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches('.').to_string())
        .collect()
}

/// Every question and option id of the surveys that is not also an ordinary word or number.
fn raw_ids() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for f in ["after-school-needs.toml", "parent-satisfaction.toml"] {
        let text = std::fs::read_to_string(crate::helpers::survey_dir().join(f)).unwrap();
        let doc: toml::Value = toml::from_str(&text).unwrap();
        for q in doc["questions"].as_array().unwrap() {
            ids.insert(q["id"].as_str().unwrap().to_string());
        }
    }
    ids.extend(ACTIONS.iter().map(|(c, _)| (*c).to_string()));
    ids
}

#[tokio::test]
async fn no_staff_page_or_report_shows_a_question_id_or_an_audit_code() {
    let app = spawn_app().await;
    let (round, school, town, bureau) = three_roles(&app).await;
    let s = app.school_id("3505820001");
    let t = app.township_id("青阳街道");
    let ids = raw_ids();
    let school_pages = vec![
        "/admin".to_string(),
        format!("/admin/schools/{s}"),
        format!("/admin/schools/{s}/rounds/{round}"),
        format!("/admin/schools/{s}/rounds/{round}/analysis"),
        format!("/admin/schools/{s}/rounds/{round}/codes"),
        format!("/admin/schools/{s}/plan"),
        "/admin/complaints".into(),
        "/account/password".into(),
    ];
    let town_pages = vec![
        "/admin".to_string(),
        format!("/admin/coverage?round={round}"),
        format!("/admin/townships/{t}/rounds/{round}/analysis"),
        format!("/admin/schools/{s}/rounds/{round}"),
        "/admin/complaints".into(),
    ];
    let bureau_pages = vec![
        "/admin".to_string(),
        "/admin/rounds".into(),
        format!("/admin/rounds/{round}/analysis"),
        format!("/admin/coverage?round={round}"),
        "/admin/ledger".into(),
        "/admin/schools".into(),
        "/admin/townships".into(),
        "/admin/accounts".into(),
        "/admin/audit".into(),
        "/admin/complaints".into(),
        "/admin/cases".into(),
        "/admin/surveys".into(),
    ];
    for (who, b, pages) in [
        ("school", &school, school_pages),
        ("township", &town, town_pages),
        ("bureau", &bureau, bureau_pages),
    ] {
        for p in pages {
            let (status, html) = b.get_html(&p).await;
            // The school's and township's home pages forward to their own page.
            assert!(status == 200 || p == "/admin", "{who} {p}: {status}");
            let seen: Vec<_> = words(&visible_text(&html))
                .intersection(&ids)
                .cloned()
                .collect();
            assert!(seen.is_empty(), "{who} {p} shows {seen:?}");
        }
    }
    // The audit log read as Chinese: the codes above were recorded and now read as words.
    let (_, audit) = bureau.get_html("/admin/audit").await;
    assert!(audit.contains("查看需求分析报告"), "{audit}");
    assert!(audit.contains("登录"), "{audit}");
}

#[tokio::test]
async fn the_codes_page_without_codes_says_so_and_leads_back() {
    let app = spawn_app().await;
    let (round, school, s) = one_school(&app).await;
    let (status, html) = school
        .get_html(&format!("/admin/schools/{s}/rounds/{round}/codes"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("没有未使用的填写码"), "{html}");
    assert!(
        html.contains(&format!("href=\"/admin/schools/{s}/rounds/{round}\"")),
        "{html}"
    );
    assert!(!app.audit_actions().contains(&"codes_printed".to_string()));
}

#[tokio::test]
async fn error_pages_offer_a_way_back() {
    let app = spawn_app().await;
    app.setup_round();
    app.make_user("a@school.cn", Role::School, Some("3505820001"), None);
    let school = app.signed_in("a@school.cn").await;
    let (status, html) = school.get_html("/admin/rounds").await;
    assert_eq!(status, 403);
    assert!(html.contains("href=\"/admin\""), "{html}");
    assert!(html.contains("href=\"/\""), "{html}");
    let r = app.get("/no/such/page").await;
    assert_eq!(r.status(), 404);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("href=\"/\"") && html.contains("返回"),
        "{html}"
    );
}

#[tokio::test]
async fn send_now_is_disabled_with_a_reason_while_no_address_is_set() {
    let app = spawn_app().await;
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let (_, html) = bureau.get_html("/admin/ledger").await;
    let button = html
        .split("<button")
        .find(|b| b.contains(">现在发送</button>"))
        .expect("the send button");
    assert!(button.contains("disabled"), "{button}");
    assert!(html.contains("还没有接收邮箱"), "{html}");
    assert!(!html.contains("config.toml") && !html.contains("ledger_recipients"));

    let app = crate::helpers::spawn_app_with(|s| {
        s.email.ledger_recipients = vec!["ledger@bureau.cn".into()];
    })
    .await;
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let (_, html) = bureau.get_html("/admin/ledger").await;
    let button = html
        .split("<button")
        .find(|b| b.contains(">现在发送</button>"))
        .unwrap();
    assert!(!button.contains("disabled"), "{button}");
}

#[tokio::test]
async fn a_round_closing_on_a_date_reads_as_that_day_at_24_00() {
    let app = spawn_app().await;
    app.import_standard_roster();
    // Published with a bare closing date (+30 days), as the form sends it.
    let round = app.publish("after-school-needs", "-1", "+30");
    let closes = kehou_survey::domain::time::to_local(app.clock.now()) + chrono::Duration::days(30);
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let (_, html) = bureau.get_html("/admin/rounds").await;
    assert!(
        html.contains(&format!("{} 24:00", closes.format("%Y-%m-%d"))),
        "round {round}: {html}"
    );
    assert!(!html.contains("23:59"), "{html}");
    assert!(html.contains("课后服务"), "the survey by its title: {html}");
}

#[tokio::test]
async fn the_school_report_shows_summer_weeks_and_why_there_is_no_plan_advice() {
    let app = spawn_app().await;
    let (round, school, _, _) = three_roles(&app).await;
    let s = app.school_id("3505820001");
    let (_, html) = school
        .get_html(&format!("/admin/schools/{s}/rounds/{round}/analysis"))
        .await;
    assert!(html.contains("大约需要几周"), "{html}");
    assert!(html.contains("尚未填报一校一案"), "{html}");
    assert!(html.contains("95% 误差范围"), "{html}");
    assert!(!html.contains("Wilson"), "{html}");
    assert!(html.contains("更多格式"), "{html}");
}

#[tokio::test]
async fn the_school_round_page_is_a_checklist_and_codes_come_from_grade_pickers() {
    let app = spawn_app().await;
    let (round, school, s) = one_school(&app).await;
    let page = format!("/admin/schools/{s}/rounds/{round}");
    let slug = app.slug(round, "3505820001");
    app.submit(&slug, &crate::helpers::valid_needs_answers())
        .await;
    app.count_waiting_responses();
    let (_, html) = school.get_html(&page).await;
    // The link is clickable and has a copy button (shown by the script).
    assert!(
        html.contains(&format!("<a href=\"{}/s/{slug}\">", app.address))
            || html.contains(&format!("/s/{slug}\">")),
        "{html}"
    );
    assert!(
        html.contains("data-copy=") && html.contains("复制链接"),
        "{html}"
    );
    for step in ["第 1 步", "第 2 步", "第 3 步", "第 4 步", "第 5 步"] {
        assert!(html.contains(step), "{step}: {html}");
    }
    assert!(
        html.contains("<details><summary>展开各班回收份数"),
        "{html}"
    );
    assert!(
        html.contains("name=\"grade_1\"") && !html.contains("1:1-4"),
        "{html}"
    );

    let csrf = crate::staff_helpers::csrf_in(&html);
    let r = school
        .post(
            &format!("{page}/codes"),
            &[
                ("csrf", &csrf),
                ("grade_2", "1"),
                ("grade_4", "1"),
                ("first", "1"),
                ("last", "3"),
                ("per_class", "2"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = school.get_html(&page).await;
    assert!(html.contains("已生成 12 个填写码"), "{html}");

    // Nothing ticked: said in words, nothing made.
    let r = school
        .post(
            &format!("{page}/codes"),
            &[
                ("csrf", &csrf),
                ("first", "1"),
                ("last", "3"),
                ("per_class", "2"),
            ],
        )
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("请至少勾选一个年级"));
}

#[tokio::test]
async fn the_audit_log_filters_counts_and_pages() {
    let app = spawn_app().await;
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    for _ in 0..60 {
        bureau.get("/admin/complaints").await;
    }
    let (_, html) = bureau.get_html("/admin/audit").await;
    assert!(html.contains("共 61 条，这是第 1–50 条"), "{html}");
    assert!(html.contains("较早的记录"), "{html}");
    let (_, html) = bureau.get_html("/admin/audit?action=sign_in").await;
    assert!(html.contains("共 1 条"), "{html}");
    assert!(!html.contains("查看举报与意见列表</td>"), "{html}");
    let (_, html) = bureau
        .get_html("/admin/audit?action=complaints_viewed&page=1")
        .await;
    assert!(html.contains("这是第 51–60 条"), "{html}");
    assert!(
        html.contains("action&#x3D;complaints_viewed"),
        "the filter is kept: {html}"
    );
}

#[tokio::test]
async fn coverage_sorts_schools_on_the_server() {
    let app = spawn_app().await;
    let round = app.setup_round();
    // 养正小学 gets answers, so its rate is above the others' 0%.
    let slug = app.slug(round, "3505820002");
    app.submit(&slug, &crate::helpers::valid_needs_answers())
        .await;
    app.count_waiting_responses();
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let at = |html: &str, name: &str| html.rfind(name).unwrap();
    let (_, low_first) = bureau
        .get_html(&format!("/admin/coverage?round={round}&sort=rate"))
        .await;
    let (_, high_first) = bureau
        .get_html(&format!("/admin/coverage?round={round}&sort=rate_desc"))
        .await;
    assert!(at(&low_first, "养正小学") > at(&low_first, "青阳中心小学"));
    assert!(at(&high_first, "养正小学") < at(&high_first, "青阳中心小学"));
    assert!(
        high_first.contains("sort&#x3D;rate\""),
        "a link back to the default order: {high_first}"
    );
}

#[tokio::test]
async fn complaints_filter_by_status_and_page() {
    let app = spawn_app().await;
    app.import_standard_roster();
    for i in 0..25 {
        let (status, _) = crate::rectification::send_standing(
            &app,
            "",
            "",
            &format!("第 {i} 条：希望增加体育活动"),
            "",
        )
        .await;
        assert!(status < 400, "{status}");
    }
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let (_, html) = bureau.get_html("/admin/complaints").await;
    assert!(html.contains("共 25 件"), "{html}");
    assert!(html.contains("第 1/2 页"), "{html}");
    let (_, html) = bureau.get_html("/admin/complaints?kind=suggestion").await;
    assert!(html.contains("没有符合条件的记录"), "{html}");
    let (_, html) = bureau.get_html("/admin/complaints?status=new&page=2").await;
    assert!(html.contains("符合条件的 25 件，第 2/2 页"), "{html}");
    let (_, html) = bureau.get_html("/admin/complaints?status=closed").await;
    assert!(html.contains("没有符合条件的记录"), "{html}");
}

#[tokio::test]
async fn the_township_report_compares_its_schools_and_the_city_its_townships() {
    let app = spawn_app().await;
    let (round, _, town, bureau) = three_roles(&app).await;
    let t = app.township_id("青阳街道");
    let (_, html) = town
        .get_html(&format!("/admin/townships/{t}/rounds/{round}/analysis"))
        .await;
    assert!(html.contains("课程类别 × 学校"), "{html}");
    assert!(html.contains("图例"), "{html}");
    // 青阳街道's only school is urban: no urban/rural table with an empty side.
    assert!(!html.contains("城区与农村"), "{html}");
    let (_, html) = bureau
        .get_html(&format!("/admin/rounds/{round}/analysis"))
        .await;
    assert!(html.contains("课程类别 × 乡镇（街道）"), "{html}");
    assert!(
        html.contains("城区与农村") && !html.contains("城区（三分）"),
        "{html}"
    );
}
