//! Tables add up: responses in a grade their school has no pupils in (the roster corrected
//! after they came in) are a 年级不符 row of their own in every per-grade table, so the grades,
//! and the stages, sum to the total in the report and on the school's round page.

use std::collections::BTreeMap;

use kehou_survey::analysis::definitions::GRADE_MISMATCH;
use kehou_survey::domain::account::Role;

use crate::analysis::{families, submit_all};
use crate::helpers::{spawn_app, ROSTER_CSV};

/// `dim` → group label → respondents (n of the categories among all families).
fn respondents(report: &serde_json::Value) -> BTreeMap<String, BTreeMap<String, i64>> {
    let mut out: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    for s in report["shares"].as_array().unwrap() {
        if s["question"] == "@category" && s["base"] == "all" {
            out.entry(s["dim"].as_str().unwrap().into())
                .or_default()
                .insert(
                    s["group_label"].as_str().unwrap().into(),
                    s["n"].as_i64().unwrap(),
                );
        }
    }
    out
}

#[tokio::test]
async fn per_grade_figures_add_up_to_the_total_with_grades_the_school_does_not_teach() {
    let app = spawn_app().await;
    let round = app.setup_round();
    submit_all(&app, round, &families()).await;
    app.count_waiting_responses();
    // 养正小学's roster is corrected after the answers came in: it has no third grade. Its two
    // third-graders' answers (families 40 and 46) are now in a grade it does not teach.
    let roster = ROSTER_CSV.replace(
        "121,120,118,115,110,109,100,0,0,0",
        "121,120,118,0,110,109,100,0,0,0",
    );
    assert_ne!(roster, ROSTER_CSV);
    assert!(app.import_roster(&roster).status.success());
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let school = app.school_id("3505820002");

    for path in [
        format!("/admin/rounds/{round}/analysis?format=json"),
        format!("/admin/schools/{school}/rounds/{round}/analysis?format=json"),
    ] {
        let report: serde_json::Value = bureau.get_json(&path).await;
        let n = respondents(&report);
        let total: i64 = n["total"].values().sum();
        assert_eq!(
            total,
            if path.contains("schools") { 8 } else { 48 },
            "{path}"
        );
        assert_eq!(n["grade"][GRADE_MISMATCH], 2, "{path}: {n:?}");
        assert_eq!(n["grade"].values().sum::<i64>(), total, "{path}: {n:?}");
        assert_eq!(n["stage"][GRADE_MISMATCH], 2, "{path}: {n:?}");
        assert_eq!(n["stage"].values().sum::<i64>(), total, "{path}: {n:?}");
        // The city's third grade is 青阳中心小学's alone now.
        if !path.contains("schools") {
            // Families 4, 10, … 46 are third-graders; 40 and 46 are 养正小学's.
            assert_eq!(n["grade"]["三年级"], 6, "{n:?}");
        }
    }

    // The printable report's grade table has the row, and its total is the school's count.
    let (_, html) = bureau
        .get_html(&format!("/admin/schools/{school}/rounds/{round}/analysis"))
        .await;
    assert!(
        html.contains(&format!("<tr><td>{GRADE_MISMATCH}</td><td>2</td></tr>")),
        "{html}"
    );
    assert!(html.contains("<tr><th>合计</th><th>8</th></tr>"), "{html}");

    // The school's round page: the same row, and a total that the rows add up to.
    let (_, html) = bureau
        .get_html(&format!("/admin/schools/{school}/rounds/{round}"))
        .await;
    let from = html.find("回收情况").expect("the grade table");
    let table = &html[from..html.find("各班回收份数").expect("the class table")];
    assert!(table.contains(GRADE_MISMATCH), "{table}");
    assert!(!table.contains("三年级"), "{table}");
    assert!(table.contains("合计"), "{table}");

    // `analyze` writes the same row: the CSV's 年级 rows include 年级不符 with its 2 families.
    let out = app.temp_path("city.csv");
    let round = round.to_string();
    let args = ["analyze", "--round", &round, "--format", "csv", "--out"];
    app.cli_ok(&[&args[..], &[out.to_str().unwrap()]].concat());
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(
        csv.lines()
            .any(|l| l.starts_with(&format!("年级,{GRADE_MISMATCH},")) && l.contains(",2,")),
        "{csv}"
    );
}
