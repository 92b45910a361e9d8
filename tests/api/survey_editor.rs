//! The survey editor over HTTP without script: write a survey through the forms, publish and
//! answer it; problems beside their fields with nothing stored; a copy's history and diff,
//! with an earlier round still answering with the version it pinned.

use kehou_survey::domain::account::Role;

use crate::helpers::{spawn_app, valid_needs_answers, TestApp};
use crate::staff_helpers::{csrf_in, location, Browser};

const BUREAU: &str = "admin@bureau.cn";

/// Undoes the template's HTML escaping of a value.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x60;", "`")
        .replace("&#x3D;", "=")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// The fields the editor form sends as it stands (what a browser would post), without
/// the buttons.
pub(crate) fn editor_fields(html: &str) -> Vec<(String, String)> {
    let start = html.find("id=\"editor\"").expect("the editor form");
    let form = &html[start..html[start..].find("</form>").unwrap() + start];
    let mut out = Vec::new();
    for (i, _) in form.match_indices('<') {
        let rest = &form[i..];
        let tag = &rest[..rest.find('>').unwrap() + 1];
        let Some(name) = attr(tag, "name") else {
            continue;
        };
        if tag.starts_with("<input") {
            let checkbox = tag.contains("type=\"checkbox\"");
            if !checkbox || tag.contains(" checked") {
                out.push((name, attr(tag, "value").unwrap_or_default()));
            }
        } else if tag.starts_with("<textarea") {
            let body = &rest[tag.len()..];
            out.push((name, unescape(&body[..body.find("</textarea>").unwrap()])));
        } else if tag.starts_with("<select") {
            let body = &rest[..rest.find("</select>").unwrap()];
            let value = body
                .split("<option")
                .filter(|o| o.contains(" selected"))
                .find_map(|o| attr(o, "value"))
                .unwrap_or_default();
            out.push((name, value));
        }
    }
    out
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().find(|(k, _)| k == name) {
        Some(f) => f.1 = value.to_string(),
        None => fields.push((name.to_string(), value.to_string())),
    }
}

/// Posts the editor form with `fields` and the button `action`; the status and the page.
pub(crate) async fn press(
    b: &Browser,
    key: &str,
    fields: &[(String, String)],
    action: &str,
) -> (u16, String) {
    let mut pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.push(("do", action));
    let r = b.post(&format!("/admin/surveys/{key}"), &pairs).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn bureau(app: &TestApp) -> Browser {
    app.make_user(BUREAU, Role::Bureau, None, None);
    app.signed_in(BUREAU).await
}

/// Makes a web survey through 新建 or 复制 and returns its key.
async fn create(b: &Browser, copy: Option<&str>) -> String {
    let csrf = b.csrf_from("/admin/surveys").await;
    let mut pairs = vec![("csrf", csrf.as_str())];
    if let Some(c) = copy {
        pairs.push(("copy", c));
    }
    let r = b.post("/admin/surveys", &pairs).await;
    assert_eq!(r.status(), 303);
    location(&r)
        .trim_start_matches("/admin/surveys/")
        .to_string()
}

pub(crate) fn versions(app: &TestApp, key: &str) -> usize {
    kehou_survey::db::survey_heads::history(&mut app.conn(), key)
        .unwrap()
        .len()
}

fn day(app: &TestApp, offset: i64) -> String {
    (kehou_survey::domain::time::to_local(app.clock.now()) + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn a_survey_written_on_the_web_is_published_answered_and_analysed() {
    let app = spawn_app().await;
    app.import_standard_roster();
    let b = bureau(&app).await;
    let key = create(&b, None).await;
    let (status, html) = b.get_html(&format!("/admin/surveys/{key}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("问卷还没有题目"), "{html}");

    // General fields, then three questions, each added with its type.
    let mut f = editor_fields(&html);
    set(&mut f, "title", "托管时间需求小调查");
    for kind in ["grade", "single", "multi"] {
        let (status, html) = {
            set(&mut f, "new_type", kind);
            press(&b, &key, &f, "add").await
        };
        assert_eq!(status, 200, "{html}");
        f = editor_fields(&html);
    }
    for (k, v) in [
        ("q0.id", "grade"),
        ("q0.title", "孩子所在的年级"),
        ("q1.id", "need"),
        ("q1.title", "孩子需要课后托管吗？"),
        ("q1.options", "yes 需要\nno 不需要"),
        ("q2.id", "cats"),
        ("q2.title", "希望开设哪些活动？"),
        ("q2.taxonomy", "*"),
        ("q2.show_question", "need"),
        ("q2.show_values", "yes"),
    ] {
        set(&mut f, k, v);
    }
    let (status, html) = press(&b, &key, &f, "save").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("已保存为新版本"), "{html}");
    assert_eq!(versions(&app, &key), 1);
    assert!(app.audit_actions().contains(&"survey_saved".to_string()));
    // Another instance on the same database sees it at once.
    let other = app.second_app(|_| {});
    let found = other
        .state
        .catalog
        .surveys()
        .by_id(&mut other.conn(), &key)
        .unwrap()
        .expect("the web survey, seen from a second instance");
    assert_eq!(found.definition.title, "托管时间需求小调查");

    // The round form offers it; publish a round with it.
    let (_, rounds) = b.get_html("/admin/rounds").await;
    assert!(rounds.contains("托管时间需求小调查"), "{rounds}");
    let csrf = csrf_in(&rounds);
    let (opens, closes) = (day(&app, -1), day(&app, 30));
    let r = b
        .post(
            "/admin/rounds",
            &[
                ("csrf", &csrf),
                ("survey", &key),
                ("name", "网页问卷试点"),
                ("opens", &opens),
                ("closes", &closes),
                ("retain_until", ""),
                ("township_id", ""),
                ("codes_required", "0"),
                ("sections", ""),
                ("student_survey", ""),
                ("teacher_survey", ""),
            ],
        )
        .await;
    let page = r.text().await.unwrap();
    let round: i64 = page
        .split("已发布第 ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{page}"));

    // A parent answers on the real form.
    let slug = app.slug(round, "3505820001");
    let (_, form) = b.get_html(&format!("/s/{slug}/form")).await;
    assert!(form.contains("孩子需要课后托管吗？"), "{form}");
    app.submit(
        &slug,
        &[("q.grade", "4"), ("q.need", "yes"), ("q.cats", "science")],
    )
    .await;
    app.count_waiting_responses();

    // The school's analysis counts the answer.
    let school = app.school_id("3505820001");
    let json = b
        .get_json(&format!(
            "/admin/schools/{school}/rounds/{round}/analysis?format=json"
        ))
        .await;
    assert_eq!(json["survey_title"], "托管时间需求小调查");
    assert_eq!(json["schools"][0]["respondents"], 1);
    let yes = json["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["question"] == "need" && s["value"] == "yes" && s["dim"] == "total")
        .expect("the answer to the web survey's question");
    assert_eq!((yes["k"].as_i64(), yes["n"].as_i64()), (Some(1), Some(1)));
}

#[tokio::test]
async fn a_problem_shows_beside_its_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let b = bureau(&app).await;
    let key = create(&b, None).await;
    let (_, html) = b.get_html(&format!("/admin/surveys/{key}")).await;
    let mut f = editor_fields(&html);
    for kind in ["single", "text"] {
        set(&mut f, "new_type", kind);
        let (_, html) = press(&b, &key, &f, "add").await;
        f = editor_fields(&html);
    }
    for (k, v) in [
        ("q0.id", "need"),
        ("q0.title", "需要吗？"),
        ("q1.id", "need"),
        ("q1.title", "意见"),
    ] {
        set(&mut f, k, v);
    }
    let (status, html) = press(&b, &key, &f, "save").await;
    assert_eq!(status, 422, "{html}");
    // Each problem sits in its question's block, beside its field.
    let q0 = &html[html.find("第 1 题").unwrap()..html.find("第 2 题").unwrap()];
    let q1 = &html[html.find("第 2 题").unwrap()..html.find("id=\"new-type\"").unwrap()];
    assert!(q0.contains("这道选择题还没有选项"), "{q0}");
    assert!(!q1.contains("还没有选项"), "{q1}");
    let id_field = &q1[q1.find("name=\"q1.id\"").unwrap()..q1.find("name=\"q1.title\"").unwrap()];
    assert!(id_field.contains("题目编号重复"), "{q1}");
    assert!(!q0.contains("题目编号重复"), "{q0}");
    // Nothing versioned, nothing to publish; the draft keeps what was typed.
    assert_eq!(versions(&app, &key), 0);
    assert!(!app.audit_actions().contains(&"survey_saved".to_string()));
    let (_, rounds) = b.get_html("/admin/rounds").await;
    assert!(!rounds.contains("新问卷"), "{rounds}");
    let (_, again) = b.get_html(&format!("/admin/surveys/{key}")).await;
    assert!(again.contains("value=\"意见\""), "{again}");
    // A township officer sees the same page and its problems, with nothing to press.
    app.make_user("qy@town.cn", Role::Township, None, Some("青阳街道"));
    let town = app.signed_in("qy@town.cn").await;
    let (status, seen) = town.get_html(&format!("/admin/surveys/{key}")).await;
    assert_eq!(status, 200);
    assert!(
        seen.contains("题目编号重复") && seen.contains("<fieldset disabled>"),
        "{seen}"
    );
    assert!(
        !seen.contains("保存为新版本</button>") && !seen.contains("id=\"add-question\""),
        "{seen}"
    );
    let csrf = csrf_in(&seen);
    let r = town
        .post(
            &format!("/admin/surveys/{key}"),
            &[("csrf", &csrf), ("do", "save")],
        )
        .await;
    assert_eq!(r.status(), 403);
    // A bad file is refused with its problems, and the draft stays as it was.
    let bad = "id = \"x\"\ntitle = \"\"\n";
    let csrf = csrf_in(&again);
    let part = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(bad.as_bytes().to_vec()).file_name("bad.toml"),
    );
    let r = b
        .client
        .post(format!("{}/admin/surveys/{key}/import", b.base))
        .multipart(part)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("没有导入") && page.contains("第 1 行"),
        "{page}"
    );
    assert!(page.contains("value=\"意见\""), "{page}");
}

#[tokio::test]
async fn a_copy_keeps_its_history_and_an_earlier_round_its_version() {
    let app = spawn_app().await;
    app.import_standard_roster();
    let b = bureau(&app).await;
    let key = create(&b, Some("after-school-needs")).await;
    let (_, html) = b.get_html(&format!("/admin/surveys/{key}")).await;
    let f = editor_fields(&html);
    let (status, html) = press(&b, &key, &f, "save").await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(versions(&app, &key), 1);

    // A round pins the first version (through the CLI).
    let dir = app.survey_dir.clone();
    let first = app.publish_with(&dir, &key, ("-1", "+30"), &["--sections", "summer"]);

    // A changed question title makes the second version.
    let mut f = editor_fields(&html);
    let old = f.iter().find(|(k, _)| k == "q2.title").unwrap().1.clone();
    set(&mut f, "q2.title", "您的孩子今年需要参加课后服务吗？");
    let (status, html) = press(&b, &key, &f, "save").await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(versions(&app, &key), 2);

    let (status, history) = b.get_html(&format!("/admin/surveys/{key}/history")).await;
    assert_eq!(status, 200);
    assert!(
        history.contains("第 2 版") && history.contains("第 1 版到第 2 版的改动"),
        "{history}"
    );
    let changes = &history[history.find("第 1 版到第 2 版的改动").unwrap()..];
    let line =
        |sign: &str, title: &str| format!("{sign}</td><td>title &#x3D; &quot;{title}&quot;</td>");
    assert!(changes.contains(&line("删去", &old)), "{changes}");
    assert!(
        changes.contains(&line("新增", "您的孩子今年需要参加课后服务吗？")),
        "{changes}"
    );

    // The earlier round still asks the first version's words and takes its answers.
    let slug = app.slug(first, "3505820001");
    let (_, form) = b.get_html(&format!("/s/{slug}/form")).await;
    assert!(
        form.contains(&old) && !form.contains("您的孩子今年需要参加课后服务吗？"),
        "{form}"
    );
    app.submit(&slug, &valid_needs_answers()).await;
    assert_eq!(app.response_count(first), 1);

    // Export gives the draft's text; the list shows the copy beside the shipped file.
    let toml =
        String::from_utf8(b.get_bytes(&format!("/admin/surveys/{key}/export")).await).unwrap();
    assert!(toml.contains("您的孩子今年需要参加课后服务吗？"), "{toml}");
    let (_, list) = b.get_html("/admin/surveys").await;
    assert!(
        list.contains("（副本）") && list.contains("随系统提供"),
        "{list}"
    );
}
