//! Low response, said plainly: a school below the low-rate threshold is flagged in every output
//! of the analysis (HTML, XLSX, CSV, Parquet, JSON), with a caution before its own report's
//! figures and 回收率低，仅供参考 on its projected participants; above one school the report lists
//! the low schools. The threshold is a setting.

use kehou_survey::analysis::low_rate::NOTE;
use kehou_survey::domain::account::Role;

use crate::analysis::{families, submit_all};
use crate::helpers::{spawn_app, spawn_app_with, TestApp, ROSTER_CSV};
use crate::ledger::sheet;
use crate::plans::{good_rows, workbook};

/// 青阳中心小学 keeps its 1,204 pupils (40 answers: 3.3%, low); 养正小学 gets 12 (8 answers:
/// 66.7%); 磁灶中学 gets no answers (0%, low). 青阳中心小学 has a plan, so it has a gap list.
async fn seeded(app: &TestApp) -> (i64, i64, i64) {
    let roster = ROSTER_CSV.replace("121,120,118,115,110,109,100,0,0,0", "121,2,2,2,2,2,2,0,0,0");
    assert_ne!(roster, ROSTER_CSV);
    assert!(app.import_roster(&roster).status.success());
    app.cli_ok(&[
        "import-plans",
        &workbook(app, "plan.xlsx", &good_rows()[..3]),
    ]);
    let round = app.publish("after-school-needs", "-1", "+30");
    submit_all(app, round, &families()).await;
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    (
        round,
        app.school_id("3505820001"),
        app.school_id("3505820002"),
    )
}

/// The codes of the JSON report's schools whose `flag` is true.
pub(crate) fn flagged<'a>(report: &'a serde_json::Value, flag: &str) -> Vec<&'a str> {
    report["schools"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s[flag] == true)
        .map(|s| s["code"].as_str().unwrap())
        .collect()
}

/// The first table after `heading` (the text of an `<h2>`).
pub(crate) fn table_after<'a>(html: &'a str, heading: &str) -> &'a str {
    let from = html
        .find(&format!("<h2>{heading}"))
        .unwrap_or_else(|| panic!("no heading {heading}: {html}"));
    let rest = &html[from..];
    &rest[..rest.find("</table>").expect("a table")]
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

fn parquet_low_rate(bytes: Vec<u8>) -> Vec<(String, String, bool)> {
    use polars_io::prelude::*;
    let df = ParquetReader::new(std::io::Cursor::new(bytes))
        .finish()
        .unwrap();
    let col = |name: &str| df.column(name).unwrap().clone();
    let (dim, group, low) = (col("dimension"), col("group_label"), col("low_rate"));
    let (dim, group, low) = (
        dim.str().unwrap(),
        group.str().unwrap(),
        low.bool().unwrap(),
    );
    dim.iter()
        .zip(group.iter())
        .zip(low.iter())
        .map(|((d, g), l)| (d.unwrap().into(), g.unwrap().into(), l.unwrap()))
        .collect()
}

#[tokio::test]
async fn a_low_rate_is_flagged_in_every_output() {
    let app = spawn_app().await;
    let (round, low_id, ok_id) = seeded(&app).await;
    let bureau = app.signed_in("admin@bureau.cn").await;
    let low_name = "晋江市青阳中心小学";
    let low_group = format!("{low_name}（3505820001）");
    // 磁灶中学 had no answers at all: 0%, low too.
    let is_low = |g: &str| g == low_group || g == "晋江市磁灶中学（3505820003）";

    // The low school's own report: a caution before the figures, its projections flagged.
    let own = format!("/admin/schools/{low_id}/rounds/{round}/analysis");
    let (status, html) = bureau.get_html(&own).await;
    assert_eq!(status, 200);
    let caution =
        "本校回收率为 3.3%（填写 40 份，在校生 1204 人），低于 30%，以下比例和预计人数仅供参考。";
    let at = html.find(caution).unwrap_or_else(|| panic!("{html}"));
    assert!(
        at < html.find("<svg").unwrap(),
        "the caution comes before the figures"
    );
    assert!(
        html[..at].ends_with("<p class=\"caution\" role=\"note\"><strong>请注意：</strong>"),
        "a visible box"
    );
    assert!(table_after(&html, "方案修订建议").contains(NOTE), "{html}");
    // A school above the threshold carries no caution.
    let (_, html) = bureau
        .get_html(&format!("/admin/schools/{ok_id}/rounds/{round}/analysis"))
        .await;
    assert!(
        !html.contains("本校回收率为") && !html.contains("class=\"caution\""),
        "{html}"
    );
    assert!(!table_after(&html, "回收率").contains(NOTE), "{html}");

    // JSON: the threshold, the schools and the gap rows.
    let city = format!("/admin/rounds/{round}/analysis");
    let json: serde_json::Value = bureau.get_json(&format!("{city}?format=json")).await;
    assert_eq!(json["low_rate_percent"], 30.0);
    assert_eq!(flagged(&json, "low_rate"), ["3505820001", "3505820003"]);
    let gaps = json["gaps"].as_array().unwrap();
    assert!(!gaps.is_empty());
    assert!(gaps.iter().all(|g| g["low_rate"] == true), "{gaps:?}");

    // Above one school the report lists the low schools: name, responses, enrolment, rate.
    let (_, html) = bureau.get_html(&city).await;
    let list = table_after(&html, "回收率低于 30% 的学校");
    assert!(
        list.contains(&format!(
            "<td>{low_name}</td><td>青阳街道</td><td>40</td><td>1204</td>"
        )),
        "{list}"
    );
    assert!(
        list.contains("晋江市磁灶中学") && !list.contains("养正小学"),
        "{list}"
    );

    // XLSX: 学校回收率, 比例, 方案差距 and 说明 all carry the flag.
    let xlsx = bureau.get_bytes(&format!("{city}?format=xlsx")).await;
    let schools = sheet(&xlsx, "学校回收率");
    assert_eq!(schools[0][9], "回收率低");
    let flag = |code: &str| schools.iter().find(|r| r[0] == code).unwrap()[9].clone();
    assert_eq!(
        (flag("3505820001"), flag("3505820002")),
        (NOTE.into(), String::new())
    );
    let shares = sheet(&xlsx, "比例");
    let col = shares[0].iter().position(|h| h == "回收率低").unwrap();
    assert!(shares.iter().any(|r| r[1] == low_group && r[col] == NOTE));
    assert!(shares[1..]
        .iter()
        .all(|r| is_low(&r[1]) == (r[col] == NOTE)));
    assert!(shares
        .iter()
        .filter(|r| r[0] == "合计")
        .all(|r| r[col].is_empty()));
    for name in ["排序得分", "平均值"] {
        let rows = sheet(&xlsx, name);
        let col = rows[0].iter().position(|h| h == "回收率低").unwrap();
        assert!(rows[1..].iter().any(|r| r[col] == NOTE), "{name}");
        assert!(
            rows[1..].iter().all(|r| is_low(&r[1]) == (r[col] == NOTE)),
            "{name}"
        );
    }
    let gaps = sheet(&xlsx, "方案差距");
    assert!(gaps[1..].iter().all(|r| r[12] == NOTE), "{gaps:?}");
    let notes = sheet(&xlsx, "说明");
    assert!(notes
        .iter()
        .any(|r| r[0] == "回收率低" && r[1].contains("低于 30%")));

    // CSV and Parquet: a school's rows carry the flag; a whole low school's report, every row.
    let csv = bureau.get_bytes(&format!("{city}?format=csv")).await;
    let rows = csv_rows(&csv);
    assert!(rows.iter().any(|r| r[1] == low_group && r[17] == NOTE));
    assert!(
        rows.iter().all(|r| is_low(&r[1]) == (r[17] == NOTE)),
        "only its rows"
    );
    let csv = bureau.get_bytes(&format!("{own}?format=csv")).await;
    assert!(csv_rows(&csv).iter().all(|r| r[17] == NOTE));
    let parquet = bureau.get_bytes(&format!("{city}?format=parquet")).await;
    let rows = parquet_low_rate(parquet.to_vec());
    assert!(rows.iter().any(|r| r.2));
    assert!(rows
        .iter()
        .all(|(d, g, l)| *l == (d == "school" && is_low(g))));
}

#[tokio::test]
async fn the_threshold_is_a_setting_every_page_and_output_follows() {
    let app = spawn_app_with(|s| s.analysis.low_rate_percent = 2.0).await;
    let (round, low_id, _) = seeded(&app).await;
    let bureau = app.signed_in("admin@bureau.cn").await;
    // At 2%, 青阳中心小学's 3.3% is no longer low; only 磁灶中学's 0% is.
    let json: serde_json::Value = bureau
        .get_json(&format!("/admin/rounds/{round}/analysis?format=json"))
        .await;
    assert_eq!(json["low_rate_percent"], 2.0);
    assert_eq!(flagged(&json, "low_rate"), ["3505820003"]);
    let (_, html) = bureau
        .get_html(&format!("/admin/schools/{low_id}/rounds/{round}/analysis"))
        .await;
    assert!(!html.contains("本校回收率为"), "{html}");
    let (_, html) = bureau
        .get_html(&format!("/admin/coverage?round={round}"))
        .await;
    assert!(html.contains("回收率低于 2% 的标红"), "{html}");
    assert!(
        html.contains("value=\"2\""),
        "the reminders' default: {html}"
    );
    // `analyze` reads it from config.toml: at 70%, 养正小学's 66.7% is low, and every row of
    // its own report says so.
    let config = app.temp_path("config.toml");
    std::fs::write(&config, "[analysis]\nlow_rate_percent = 70\n").unwrap();
    let out = app.temp_path("yz.csv");
    app.cli_ok(&[
        "--config",
        config.to_str().unwrap(),
        "analyze",
        "--round",
        &round.to_string(),
        "--school",
        "3505820002",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    let rows = csv_rows(&std::fs::read(&out).unwrap());
    assert!(!rows.is_empty() && rows.iter().all(|r| r[17] == NOTE));
}
