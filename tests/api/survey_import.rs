//! Importing questionnaires from other tools: each hand-written fixture (a Kobo XLSForm, a
//! 问卷星 text export) is converted on the bureau's page or by the use case, downloaded,
//! published as a round, answered on the parent form and counted in the analysis; a broken
//! file is refused with its problems listed; the command writes a file only on success.

use kehou_survey::app::survey_import::{self, Format};
use kehou_survey::domain::account::Role;

use crate::helpers::{copy_survey_dir, spawn_app, TestApp};
use crate::staff_helpers::Browser;

const KOBO_SURVEY: &str = include_str!("../fixtures/import/kobo-after-school/survey.csv");
const KOBO_CHOICES: &str = include_str!("../fixtures/import/kobo-after-school/choices.csv");
const KOBO_SETTINGS: &str = include_str!("../fixtures/import/kobo-after-school/settings.csv");
const WJX: &str = include_str!("../fixtures/import/wjx-after-school.txt");

/// The Kobo form as the .xlsx a bureau would download from KoboToolbox.
fn kobo_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, csv) in [
        ("survey", KOBO_SURVEY),
        ("choices", KOBO_CHOICES),
        ("settings", KOBO_SETTINGS),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(csv.as_bytes());
        for (r, record) in reader.records().enumerate() {
            for (c, v) in record.unwrap().iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, v).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// Posts the upload form as the page sends it: the token first, then the format and the file.
async fn upload(b: &Browser, format: &str, name: &str, bytes: Vec<u8>) -> (u16, String) {
    let csrf = b.csrf_from("/admin/surveys/import").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("format", format.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    let r = b
        .client
        .post(format!("{}/admin/surveys/import", b.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The text of the page's `<pre class="code">`, unescaped.
fn converted_source(html: &str) -> String {
    let start = html
        .find("<pre class=\"code\"")
        .expect("the converted file is shown");
    let body = &html[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</pre>").unwrap()];
    body.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x3D;", "=")
        .replace("&#x60;", "`")
        .replace("&amp;", "&")
}

/// Writes `source` as `<id>.toml` into a copy of the survey folder and publishes it to the
/// roster; returns the folder (kept alive) and the round.
fn publish(app: &TestApp, id: &str, source: &str) -> (tempfile::TempDir, i64) {
    let dir = tempfile::tempdir().unwrap();
    copy_survey_dir(dir.path());
    std::fs::write(dir.path().join(format!("{id}.toml")), source).unwrap();
    let round = app.publish_in(dir.path(), id, "-1", "+30");
    (dir, round)
}

/// The school's analysis JSON: the share of families in the school who chose `value` at
/// `question`.
async fn chosen(school: &Browser, path: &str, question: &str, value: &str) -> i64 {
    let json = school.get_json(&format!("{path}?format=json")).await;
    json["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["dim"] == "total" && s["question"] == question && s["value"] == value)
        .unwrap_or_else(|| panic!("no share for {question}={value} in {json}"))["k"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_kobo_form_is_imported_on_the_page_published_answered_and_analysed() {
    let app = spawn_app().await;
    app.import_standard_roster();
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    app.make_user("a@school.cn", Role::School, Some("3505820001"), None);
    let bureau = app.signed_in("admin@bureau.cn").await;

    let (status, html) = bureau.get_html("/admin/surveys/import").await;
    assert_eq!(status, 200);
    assert!(html.contains("enctype=\"multipart/form-data\""), "{html}");

    let (status, html) = upload(&bureau, "xlsform", "课后服务.xlsx", kobo_xlsx()).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("已转换“2026 年秋季课后服务需求调查”，共 8 道题"),
        "{html}"
    );
    // Problems line by line, with their sheet, row and column.
    assert!(
        html.contains("工作表“survey”第 17 行“type”列（题型）"),
        "{html}"
    );
    assert!(html.contains("定位题"), "{html}");
    assert!(
        html.contains("工作表“survey”第 13 行“relevant”列"),
        "{html}"
    );
    let source = converted_source(&html);
    assert!(source.contains("id = \"kobo_after_school\""), "{source}");

    // The download button hands back the reviewed file under the survey's id.
    let csrf = bureau.csrf_from("/admin/surveys/import").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("toml", source.clone());
    let r = bureau
        .client
        .post(format!("{}/admin/surveys/import?download", bureau.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(
        disposition.contains("kobo_after_school.toml"),
        "{disposition}"
    );
    let downloaded = r.text().await.unwrap();
    assert_eq!(downloaded, source);

    let (_dir, round) = publish(&app, "kobo_after_school", &downloaded);
    let slug = app.slug(round, "3505820001");
    let (form_html, _) = app.open_form(&slug, None).await;
    assert!(form_html.contains("您的孩子在读几年级？"), "{form_html}");
    let answers = [
        ("q.grade", "g3"),
        ("q.children", "2"),
        ("q.need", "yes"),
        ("q.days", "mon"),
        ("q.days", "wed"),
        ("q.activities", "science"),
        ("q.activities", "art"),
        ("q.end_time", "t1730"),
        ("q.fee", "200"),
        ("q.suggestion", "希望多开科学课"),
    ];
    let idem = app.submit(&slug, &answers).await;
    let stored = app.stored_answers(&idem);
    assert_eq!(stored["need"], "yes");
    assert_eq!(stored["activities"], serde_json::json!(["science", "art"]));
    assert_eq!(stored["children"], 2);
    app.count_waiting_responses();

    let school = app.signed_in("a@school.cn").await;
    let path = format!(
        "/admin/schools/{}/rounds/{round}/analysis",
        app.school_id("3505820001")
    );
    assert_eq!(chosen(&school, &path, "need", "yes").await, 1);
    assert_eq!(chosen(&school, &path, "activities", "art").await, 1);
    assert_eq!(chosen(&school, &path, "activities", "sports").await, 0);
}

#[tokio::test]
async fn a_wjx_export_is_converted_published_answered_and_analysed() {
    let app = spawn_app().await;
    app.import_standard_roster();
    app.make_user("a@school.cn", Role::School, Some("3505820001"), None);
    let converted =
        survey_import::convert(Format::Wjx, WJX.as_bytes(), app.state.catalog.taxonomy()).unwrap();
    assert_eq!(converted.questions, 10);
    assert!(converted
        .problems
        .iter()
        .any(|p| p.to_string().starts_with("第 44 行：") && p.message.contains("矩阵单选题")));

    let (_dir, round) = publish(&app, &converted.id, &converted.source);
    let slug = app.slug(round, "3505820001");
    let answers = [
        ("q.q1", "o3"),
        ("q.q2", "o1"),
        ("q.q3", "o1"),
        ("q.q3", "o5"),
        ("q.q4", "o1"),
        ("q.q4", "o2"),
        ("q.q5.1", "o2"),
        ("q.q5.2", "o1"),
        ("q.q5.3", "o3"),
        ("q.q6", "4"),
        ("q.q8", "每月 300 元以内"),
        ("q.q10", "o2"),
        ("q.q12", "o2"),
    ];
    let idem = app.submit(&slug, &answers).await;
    let stored = app.stored_answers(&idem);
    assert_eq!(stored["q5"], serde_json::json!(["o2", "o1", "o3"]));
    assert_eq!(stored["q6"], 4);
    app.count_waiting_responses();

    let school = app.signed_in("a@school.cn").await;
    let path = format!(
        "/admin/schools/{}/rounds/{round}/analysis",
        app.school_id("3505820001")
    );
    assert_eq!(chosen(&school, &path, "q2", "o1").await, 1);
    assert_eq!(chosen(&school, &path, "q12", "o2").await, 1);
    assert_eq!(chosen(&school, &path, "q12", "o1").await, 0);
}

#[tokio::test]
async fn a_survey_id_already_in_the_folder_is_pointed_out() {
    let app = spawn_app().await;
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let settings = KOBO_SETTINGS.replace("kobo_after_school", "after-school-needs");
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in [
        ("survey", "type,name,label\ntext,wish,您的建议\n"),
        ("settings", settings.as_str()),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (r, line) in rows.lines().enumerate() {
            for (c, v) in line.split(',').enumerate() {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
    }
    let (status, html) = upload(&bureau, "xlsform", "a.xlsx", wb.save_to_buffer().unwrap()).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("与已有的问卷“课后服务需求调查问卷”相同"),
        "{html}"
    );

    // The command sees the same folder.
    let input = app.temp_path("same.xlsx");
    std::fs::write(&input, wb.save_to_buffer().unwrap()).unwrap();
    let out = app.temp_path("same.toml");
    let run = app.cli(&[
        "import-survey",
        "--from",
        "xlsform",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("与已有的问卷“课后服务需求调查问卷”相同"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_broken_file_is_refused_with_its_problems_and_nothing_is_written() {
    let app = spawn_app().await;
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;

    let (status, html) = upload(
        &bureau,
        "xlsform",
        "问卷.xlsx",
        b"PK\x03\x04broken".to_vec(),
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("未能转换，没有导入任何内容"), "{html}");
    assert!(html.contains("无法读取这个 Excel 文件"), "{html}");
    assert!(
        !html.contains("<pre class=\"code\""),
        "nothing converted is shown"
    );

    let only_matrix = "满意度调查\n1. 请评价各项服务[矩阵单选题]\n服务时间\n活动内容\n"
        .as_bytes()
        .to_vec();
    let (status, html) = upload(&bureau, "wjx", "问卷.txt", only_matrix.clone()).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("第 2 行"), "{html}");
    assert!(html.contains("矩阵单选题"), "{html}");
    assert!(html.contains("没有一道题目能够转换"), "{html}");

    // A download of a file that no longer passes the checks is refused.
    let csrf = bureau.csrf_from("/admin/surveys/import").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("toml", "id = \"x\"\ntitle = 1\n");
    let r = bureau
        .client
        .post(format!("{}/admin/surveys/import?download", bureau.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("没有通过检查"));

    // The command: problems on stderr, exit code 1, no file; a good file is written.
    let input = app.temp_path("matrix.txt");
    std::fs::write(&input, &only_matrix).unwrap();
    let out = app.temp_path("out.toml");
    let args = [
        "import-survey",
        "--from",
        "wjx",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let run = app.cli(&args);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("第 2 行：") && stderr.contains("矩阵单选题"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written when nothing converts");

    std::fs::write(&input, WJX).unwrap();
    let stdout = app.cli_ok(&args);
    assert!(stdout.contains("已转换 10 道题"), "{stdout}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("id = \"q13\""), "{written}");
}

/// A converted questionnaire saved as a web survey: the editor opens it as a draft, saving
/// makes a version that a round publishes, and a parent answers it.
#[tokio::test]
async fn a_converted_questionnaire_is_finished_in_the_editor_and_published() {
    use crate::survey_editor::{editor_fields, press, versions};
    let app = spawn_app().await;
    app.import_standard_roster();
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let (_, list) = bureau.get_html("/admin/surveys").await;
    assert!(list.contains("href=\"/admin/surveys/import\""), "{list}");

    let (status, html) = upload(&bureau, "wjx", "问卷星.txt", WJX.as_bytes().to_vec()).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("保存为网页问卷（草稿）"), "{html}");
    let csrf = bureau.csrf_from("/admin/surveys/import").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("toml", converted_source(&html));
    let r = bureau
        .client
        .post(format!("{}/admin/surveys/import?save", bureau.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let key = crate::staff_helpers::location(&r)
        .trim_start_matches("/admin/surveys/")
        .to_string();
    assert!(key.starts_with("web-"), "{key}");
    assert_eq!(versions(&app, &key), 0, "a draft, not yet a version");

    let (status, editor) = bureau.get_html(&format!("/admin/surveys/{key}")).await;
    assert_eq!(status, 200);
    assert!(editor.contains("您的孩子在读几年级？"), "{editor}");
    let (status, saved) = press(&bureau, &key, &editor_fields(&editor), "save").await;
    assert_eq!(status, 200, "{saved}");
    assert!(saved.contains("已保存为新版本"), "{saved}");
    assert_eq!(versions(&app, &key), 1);
    let (_, audit) = bureau.get_html("/admin/audit").await;
    assert!(audit.contains("从其他问卷工具导入"), "{audit}");

    let round = app.publish(&key, "-1", "+30");
    let slug = app.slug(round, "3505820001");
    let idem = app
        .submit(
            &slug,
            &[
                ("q.q1", "o3"),
                ("q.q2", "o1"),
                ("q.q3", "o1"),
                ("q.q4", "o1"),
                ("q.q5.1", "o2"),
                ("q.q5.2", "o1"),
                ("q.q5.3", "o3"),
                ("q.q6", "4"),
                ("q.q10", "o2"),
                ("q.q12", "o2"),
            ],
        )
        .await;
    assert_eq!(app.stored_answers(&idem)["q2"], "o1");
}

/// An upload cut off in the middle is refused in Chinese, without the parser's English.
#[tokio::test]
async fn a_cut_off_upload_is_refused_in_chinese() {
    let app = spawn_app().await;
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let csrf = bureau.csrf_from("/admin/surveys/import").await;
    let body = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nwjx\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n1. 年级？[单选题]\r\nA. 一"
    );
    let r = bureau
        .client
        .post(format!("{}/admin/surveys/import", bureau.base))
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(page.contains("提交的内容没有完整收到"), "{page}");
    assert!(
        !page.contains("stream") && !page.contains("Multipart"),
        "{page}"
    );
}
