//! The XSS corpus: a few hundred known payloads — script tags, event handlers,
//! quote-breaking, SVG, `javascript:` and `data:` URLs, template syntax — go in as school
//! names, complaint texts and a survey's title, letter and option labels, and every page and
//! e-mail that shows them is rendered in headless Chromium. Each payload would set `top.X`;
//! after every page, `top.X` is still undefined and the payload text is on the page as text.

use base64::Engine as _;
use mail_parser::MessageParser;
use serde_json::{json, Value};

use super::driver::{chromedriver, Browser, Js};
use crate::helpers::{copy_survey_dir, encode, spawn_app_with};
use crate::staff_helpers::PASSWORD;
use kehou_survey::domain::account::Role;

/// What each payload tries to run.
const RUN: &str = "top.X=1";

/// Known vectors, each carrying [`RUN`].
fn vectors() -> Vec<String> {
    [
        "<script>top.X=1</script>",
        "<ScRiPt>top.X=1</sCrIpT>",
        "<scr<script>ipt>top.X=1</script>",
        "<img src=x onerror=top.X=1>",
        "<img src=x:x onerror=top.X=1>",
        "<svg onload=top.X=1>",
        "<svg/onload=top.X=1>",
        "<svg><script>top.X=1</script></svg>",
        "<svg><animate onbegin=top.X=1 attributeName=x>",
        "<body onload=top.X=1>",
        "<details open ontoggle=top.X=1>",
        "<input autofocus onfocus=top.X=1>",
        "<select autofocus onfocus=top.X=1>",
        "<textarea autofocus onfocus=top.X=1>",
        "<video><source onerror=top.X=1>",
        "<audio src=x onerror=top.X=1>",
        "<marquee onstart=top.X=1>",
        "<iframe srcdoc=\"<script>top.X=1</script>\">",
        "<iframe src=\"javascript:top.X=1\">",
        "<object data=\"javascript:top.X=1\">",
        "<embed src=\"javascript:top.X=1\">",
        "<a href=\"javascript:top.X=1\">x</a>",
        "<math><mi xlink:href=\"javascript:top.X=1\">x",
        "<meta http-equiv=refresh content=\"0;javascript:top.X=1\">",
        "<link rel=import href=\"data:,top.X=1\">",
        "<style>*{background:url(javascript:top.X=1)}</style>",
        "</title><script>top.X=1</script>",
        "</textarea><script>top.X=1</script>",
        "</style><script>top.X=1</script>",
        "<!--<img src=x onerror=top.X=1>-->",
        "\" onmouseover=\"top.X=1",
        "' onfocus='top.X=1' autofocus='",
        "\"><img src=x onerror=top.X=1>",
        "'><svg onload=top.X=1>",
        "javascript:top.X=1",
        "data:text/html,<script>top.X=1</script>",
        "{{constructor.constructor('top.X=1')()}}",
        "{{{top.X=1}}}",
        "${top.X=1}",
        "<%= top.X=1 %>",
        "&lt;script&gt;top.X=1&lt;/script&gt;",
        "<img src=x onerror=&#116;op.X=1>",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Every vector after each context-breaking prefix.
fn corpus() -> Vec<String> {
    let prefixes = ["", "\"", "'", "\">", "'>", "</td>", "</p>"];
    let mut out = Vec::new();
    for p in prefixes {
        for v in vectors() {
            out.push(format!("{p}{v}"));
        }
    }
    out
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `top.X` never set, and the payloads are there as text.
async fn assert_inert(b: &Browser, what: &str, expect_text: bool) {
    // Give timers, autofocus and media errors their chance.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let v: Value = b
        .eval(
            "return {x: typeof top.X, text: document.body ? document.body.innerText : '',
              injected: document.querySelectorAll('[onerror],[onload],[onfocus],[ontoggle],[onbegin],' +
                '[onstart],[onmouseover],iframe,object,embed,meta[http-equiv],base,script:not([src])').length};",
            vec![],
        )
        .await;
    assert_eq!(v["x"], json!("undefined"), "{what}: a payload ran");
    // Not only blocked by the CSP: escaped, so that no payload became an element.
    assert_eq!(v["injected"], json!(0), "{what}: a payload became markup");
    if expect_text {
        let text = v["text"].as_str().unwrap_or_default();
        assert!(
            text.contains(RUN),
            "{what}: the payloads are not shown as text"
        );
    }
}

#[tokio::test]
async fn no_payload_runs_in_any_page_or_e_mail() {
    let Some(driver) = chromedriver("browser::xss") else {
        return;
    };
    let outbox = tempfile::tempdir().unwrap();
    let dir = outbox.path().to_path_buf();
    let app = spawn_app_with(move |s| {
        s.email.smtp_host = None;
        s.email.outbox_dir = dir;
        s.offices.primary_email = Some("cjk@bureau.example.cn".into());
        s.offices.secondary_email = Some("zjk@bureau.example.cn".into());
    })
    .await;
    let payloads = corpus();
    assert!(payloads.len() >= 250, "{}", payloads.len());

    // School names: one school per payload (names up to the roster's limit).
    let mut csv = String::from(crate::helpers::ROSTER_CSV.lines().next().unwrap());
    csv.push('\n');
    let mut w = csv::Writer::from_writer(Vec::new());
    for (i, p) in payloads.iter().enumerate() {
        let name: String = p.chars().take(50).collect();
        w.write_record([
            format!("35058{i:05}"),
            name,
            "青阳街道".into(),
            "小学".into(),
            "111".into(),
            "100".into(),
            "100".into(),
            "100".into(),
            "100".into(),
            "100".into(),
            "100".into(),
            "0".into(),
            "0".into(),
            "0".into(),
            String::new(),
        ])
        .unwrap();
    }
    csv.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
    let out = app.import_roster(&csv);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A survey whose title, letter and option labels carry payloads.
    let dir = app.temp_path("xss-surveys");
    copy_survey_dir(&dir);
    let file = dir.join("parent-satisfaction.toml");
    let src = std::fs::read_to_string(&file).unwrap();
    let src = src
        .replacen(
            "title = \"课后服务家长满意度调查问卷\"",
            &format!("title = {}", toml_str(&format!("问卷{}", payloads[3]))),
            1,
        )
        // (The linter refuses `{{…}}` in a letter other than the school placeholder.)
        .replacen(
            "尊敬的家长：",
            &payloads
                .iter()
                .filter(|p| !p.contains("{{"))
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
            1,
        )
        .replacen(
            "label = \"参加了\"",
            &format!("label = {}", toml_str(&payloads[5])),
            1,
        );
    std::fs::write(&file, src).unwrap();
    let round = app.publish_in(&dir, "parent-satisfaction", "-1", "+30");
    let school = app.school_id("3505800000");
    let slug = app.slug(round, "3505800000");

    // Complaint texts: every payload stored; two sent by the form, so that e-mails go out.
    {
        let mut c = app.conn();
        for p in &payloads {
            kehou_survey::db::complaints::insert(
                &mut c,
                &kehou_survey::db::complaints::NewComplaint {
                    school_id: Some(school),
                    township_id: None,
                    kind: "complaint".into(),
                    body: p.clone(),
                    contact: Some(p.chars().take(40).collect()),
                    office: "cjk".into(),
                },
                app.clock.now(),
            )
            .unwrap();
        }
    }
    let parent = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    parent
        .get(format!("{}/s/{slug}/feedback", app.address))
        .send()
        .await
        .unwrap();
    for p in &payloads[..2] {
        let r = parent
            .post(format!("{}/s/{slug}/feedback", app.address))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(encode(&[
                ("kind", "complaint"),
                ("body", p),
                ("contact", ""),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);

    let b = Browser::start(&driver, "xss", Js::On).await;
    // The parent's pages.
    for path in [
        format!("/s/{slug}"),
        format!("/s/{slug}/form"),
        format!("/s/{slug}/letter"),
        format!("/s/{slug}/feedback"),
        "/feedback".to_string(),
    ] {
        b.goto(&format!("{}{path}", app.address)).await;
        assert_inert(&b, &path, true).await;
    }
    // The bureau's pages.
    b.goto(&format!("{}/login", app.address)).await;
    b.type_into("[name=\"email\"]", "admin@bureau.cn").await;
    b.type_into("[name=\"password\"]", PASSWORD).await;
    b.mark_page().await;
    b.tap("form button[type=\"submit\"]").await;
    b.wait_new_page(20).await;
    let month = kehou_survey::domain::month::Month::containing(app.clock.now());
    // (true: the page shows payloads; the ledger page and the rounds list show none.)
    for (path, shows) in [
        ("/admin/schools".to_string(), true),
        (format!("/admin/coverage?round={round}"), true),
        ("/admin/complaints".to_string(), true),
        ("/admin/complaints/1".to_string(), true),
        (format!("/admin/schools/{school}"), true),
        (format!("/admin/schools/{school}/rounds/{round}"), true),
        (format!("/admin/schools/{school}/plan"), true),
        (
            format!("/admin/schools/{school}/rounds/{round}/analysis"),
            true,
        ),
        (format!("/admin/rounds/{round}/analysis"), true),
        (format!("/admin/ledger?month={month}"), false),
        ("/admin/rounds".to_string(), false),
    ] {
        b.goto(&format!("{}{path}", app.address)).await;
        assert_inert(&b, &path, shows).await;
    }
    // The e-mails the two complaints sent, as an e-mail program shows their HTML (no CSP).
    let mut mails = 0;
    for entry in std::fs::read_dir(outbox.path()).unwrap() {
        let raw = std::fs::read(entry.unwrap().path()).unwrap();
        let m = MessageParser::default().parse(&raw).unwrap();
        let html = m.body_html(0).expect("an HTML part").to_string();
        let url = format!(
            "data:text/html;charset=utf-8;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(html)
        );
        b.goto(&url).await;
        assert_inert(&b, "complaint e-mail", true).await;
        mails += 1;
    }
    assert_eq!(mails, 2);
    println!(
        "XSS corpus: {} payloads as school names and as complaints, {} in the survey's title, \
         letter and labels; 16 pages and {mails} e-mails rendered; none ran or became markup",
        payloads.len(),
        payloads.iter().filter(|p| !p.contains("{{")).count() + 2
    );
}
