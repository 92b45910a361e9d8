//! Formula injection: every spreadsheet the platform writes — the raw responses as
//! CSV, the analysis as CSV and XLSX, the monthly ledger as XLSX — neutralises text cells that
//! begin with `= + - @`, a tab, a CR, or their full-width forms, whichever user-controlled text
//! carries them: answers, school names, round names.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use kehou_survey::domain::account::Role;

use crate::helpers::{spawn_app, valid_needs_answers, TestApp};

const TRIGGERS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

fn dangerous(cell: &str) -> bool {
    cell.starts_with(TRIGGERS)
}

fn csv_cells(bytes: &[u8]) -> Vec<String> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[3..]);
    r.records()
        .flat_map(|rec| rec.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .collect()
}

/// Every text cell of every sheet.
fn xlsx_cells(bytes: &[u8]) -> Vec<String> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an XLSX");
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for c in row {
                if let Data::String(s) = c {
                    out.push(s.clone());
                }
            }
        }
    }
    out
}

/// The cells must hold the payloads (prefixed with `'`), and none may start as a formula.
fn check(what: &str, cells: &[String], payloads: &[&str]) {
    let bad: Vec<&String> = cells.iter().filter(|c| dangerous(c)).collect();
    assert!(bad.is_empty(), "{what}: live formula cells {bad:?}");
    for p in payloads {
        assert!(
            cells.iter().any(|c| c.contains(&format!("'{p}"))),
            "{what}: payload {p:?} missing or not neutralised"
        );
    }
}

fn file(app: &TestApp, args: &[&str], name: &str) -> Vec<u8> {
    let out = app.temp_path(name);
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--out", out.to_str().unwrap()]);
    app.cli_ok(&all);
    std::fs::read(out).unwrap()
}

#[tokio::test]
async fn every_exporter_neutralises_formula_cells() {
    let app = spawn_app().await;
    let roster = crate::helpers::ROSTER_CSV
        .replace("晋江市青阳中心小学", "=HYPERLINK(\"http://x\")小学")
        .replace("晋江市安海镇养正小学", "＝1+1小学")
        .replace("晋江市磁灶中学", "@SUM(1)中学");
    assert!(app.import_roster(&roster).status.success());
    let round = app.publish("after-school-needs", "-1", "+30");
    let slug = app.slug(round, "3505820001");
    let suggestions = [
        "=1+1",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1)",
        "＝1+1",
        "＋1",
        "－1",
        "＠A1",
    ];
    for s in suggestions {
        let mut answers = valid_needs_answers();
        answers.retain(|(k, _)| *k != "q.suggestion");
        answers.push(("q.suggestion", s));
        app.submit(&slug, &answers).await;
    }
    let round_s = round.to_string();

    // Raw responses, CSV: the parents' own words.
    let raw = file(
        &app,
        &["export", "--round", &round_s, "--format", "csv"],
        "raw.csv",
    );
    let cells = csv_cells(&raw);
    check("responses CSV", &cells, &suggestions);

    // The analysis: school names (free text never reaches it).
    let names = ["=HYPERLINK", "＝1+1小学", "@SUM(1)中学"];
    let csv = file(
        &app,
        &["analyze", "--round", &round_s, "--format", "csv"],
        "a.csv",
    );
    check("analysis CSV", &csv_cells(&csv), &names[..1]);
    let xlsx = file(
        &app,
        &["analyze", "--round", &round_s, "--format", "xlsx"],
        "a.xlsx",
    );
    check("analysis XLSX", &xlsx_cells(&xlsx), &names);

    // The monthly ledger, downloaded by the bureau.
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let month = kehou_survey::domain::month::Month::containing(app.clock.now());
    let ledger = bureau
        .get(&format!("/admin/ledger?month={month}&format=xlsx"))
        .await
        .bytes()
        .await
        .unwrap();
    check("ledger XLSX", &xlsx_cells(&ledger), &names);
}
