//! The CLI `export`: CSV for people (BOM, Chinese header, option labels,
//! formula cells neutralised) and JSON with the stored option ids.

use crate::helpers::{spawn_app, valid_needs_answers, TestApp};

/// Two responses: a full "yes" with a formula-like suggestion, and a "no".
async fn two_responses(app: &TestApp, round: i64) -> (String, String) {
    let slug = app.slug(round, "3505820001");
    let mut yes = valid_needs_answers();
    yes.push(("q.suggestion", "=HYPERLINK(\"http://evil.example\")"));
    let idem_yes = app.submit(&slug, &yes).await;
    let slug2 = app.slug(round, "3505820003");
    let no = [
        ("q.grade", "8"),
        ("q.class", "5"),
        ("q.need", "no"),
        ("q.no_reason", "family_care"),
        ("q.summer_care", "yes"),
        ("q.summer_weeks", "4"),
        ("q.suggestion", "希望多开设科学实验"),
    ];
    let idem_no = app.submit(&slug2, &no).await;
    assert_eq!(app.response_count(round), 2);
    (idem_yes, idem_no)
}

fn export(app: &TestApp, round: i64, format: &str) -> Vec<u8> {
    let out = app.temp_path(&format!("export.{format}"));
    let stdout = app.cli_ok(&[
        "export",
        "--round",
        &round.to_string(),
        "--format",
        format,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(stdout.contains("已导出 2 份回答"), "{stdout}");
    std::fs::read(out).unwrap()
}

#[tokio::test]
async fn csv_export_is_for_people() {
    let app = spawn_app().await;
    let round = app.setup_round();
    two_responses(&app, round).await;
    let bytes = export(&app, round, "csv");

    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..5],
        ["编号", "学校代码", "年级", "班级", "提交时间（北京时间）"]
    );
    let col = |prefix: &str| {
        header
            .iter()
            .position(|h| h.starts_with(prefix))
            .unwrap_or_else(|| panic!("no column {prefix} in {header:?}"))
    };
    assert_eq!(
        header[col("need ")],
        "need 您的孩子本学期是否需要参加学校课后服务？"
    );

    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "one row per response");
    let yes = rows.iter().find(|r| &r[1] == "3505820001").unwrap();
    assert_eq!((&yes[2], &yes[3]), ("3", "2"));
    assert_eq!(&yes[col("need ")], "需要");
    assert_eq!(&yes[col("categories ")], "科学教育；体育运动；阅读");
    assert_eq!(&yes[col("science_items ")], "科学实验");
    assert_eq!(&yes[col("days ")], "星期一；星期三");
    assert!(yes[col("top3 ")].starts_with("1. 科学教育；2. 体育运动；3. "));
    assert_eq!(&yes[col("end_time ")], "17:30左右");
    assert_eq!(
        &yes[col("suggestion ")],
        "'=HYPERLINK(\"http://evil.example\")",
        "a formula is written as text"
    );
    assert_eq!(&yes[col("no_reason ")], "");

    let no = rows.iter().find(|r| &r[1] == "3505820003").unwrap();
    assert_eq!(&no[col("need ")], "不需要");
    assert_eq!(&no[col("no_reason ")], "家中有人按时接送、照看孩子");
    assert_eq!(&no[col("summer_weeks ")], "4");
    assert_eq!(&no[col("suggestion ")], "希望多开设科学实验");
    assert_eq!(&no[col("categories ")], "");
    // No raw option ids leak into the people's file.
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains("family_care"));
    assert!(!text.contains("science.experiment"));
}

#[tokio::test]
async fn json_export_keeps_the_stored_ids() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let (idem_yes, _) = two_responses(&app, round).await;
    let bytes = export(&app, round, "json");

    let records: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let records = records.as_array().expect("a JSON array");
    assert_eq!(records.len(), 2);
    let yes = records
        .iter()
        .find(|r| r["school_code"] == "3505820001")
        .unwrap();
    assert_eq!(yes["grade"], 3);
    assert_eq!(yes["class"], 2);
    assert_eq!(yes["answers"], app.stored_answers(&idem_yes));
    assert_eq!(yes["answers"]["need"], "yes");
    assert_eq!(
        yes["answers"]["categories"],
        serde_json::json!(["science", "sports", "reading"])
    );
    assert_eq!(
        yes["answers"]["suggestion"], "=HYPERLINK(\"http://evil.example\")",
        "JSON keeps the text as typed"
    );
    assert_eq!(yes["survey_version"].as_str().unwrap().len(), 64);
    let no = records
        .iter()
        .find(|r| r["school_code"] == "3505820003")
        .unwrap();
    assert_eq!(
        no["answers"]["no_reason"],
        serde_json::json!(["family_care"])
    );
    assert_eq!(no["answers"]["summer_weeks"], 4);
}
