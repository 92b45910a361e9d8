//! Paper reply slips in the analysis: 填写方式 (online / paper) is a breakdown of every report,
//! each channel's counts and shares as the known answers give them, small paper cells hidden
//! above one school (the online cell with them), both channels in the response rate, the
//! coverage page and the exports, and the counters kept per channel equal to a recount.

use kehou_survey::analysis::{Base, Dim, Report, Scope, ShareRow};
use kehou_survey::db;
use kehou_survey::domain::account::Role;
use kehou_survey::domain::tally::CATEGORY;

use crate::analysis::report;
use crate::helpers::{spawn_app, valid_needs_answers, TestApp};
use crate::paper::{print_slips, secretary, serials, SCHOOL};
use crate::paper_entry::{enter, slip_answers};
use crate::staff_helpers::Browser;

/// A family that does not need the service.
fn no_need_answers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("q.grade", "3"),
        ("q.class", "1"),
        ("q.need", "no"),
        ("q.no_reason", "family_care"),
        ("q.summer_care", "no"),
    ]
}

/// The row of category `value` among all families, for `group` of `dim`.
fn category<'a>(r: &'a Report, dim: Dim, group: &str, value: &str) -> &'a ShareRow {
    r.shares
        .iter()
        .find(|s| {
            s.dim == dim
                && &*s.group == group
                && &*s.question == CATEGORY
                && &*s.value == value
                && s.base == Base::All
        })
        .unwrap_or_else(|| panic!("no {dim:?} {group} {value} row"))
}

/// Checks a shown channel row: `k` of `n` families, raw and weighted (one stratum: the same).
fn shown(row: &ShareRow, k: i64, n: i64) {
    assert!(!row.suppressed, "{row:?}");
    assert_eq!((row.k, row.n), (Some(k), n), "{row:?}");
    let p = k as f64 / n as f64;
    assert!((row.raw.unwrap().estimate - p).abs() < 1e-9, "{row:?}");
    assert!((row.weighted.unwrap().estimate - p).abs() < 1e-9, "{row:?}");
}

/// Types in the slips `serials` on the entry screen, each as [`slip_answers`].
async fn enter_all(app: &TestApp, b: &Browser, round: i64, serials: &[String]) {
    for s in serials {
        let r = enter(app, b, round, s, &slip_answers()).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    }
}

#[tokio::test]
async fn paper_slips_are_a_channel_of_the_analysis_and_count_in_the_response_rate() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, SCHOOL);
    // Online: 10 families need the service (科学, 体育, 阅读), 5 do not.
    for _ in 0..10 {
        app.submit(&slug, &valid_needs_answers()).await;
    }
    for _ in 0..5 {
        app.submit(&slug, &no_need_answers()).await;
    }
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let city = format!("/admin/rounds/{round}/analysis");

    // No slip yet: one channel, the whole scope's figures, and no channel table in the report.
    let r = report(&app, round, Scope::City);
    let groups: Vec<&str> = r
        .shares
        .iter()
        .filter(|s| s.dim == Dim::Channel)
        .map(|s| &*s.group)
        .collect();
    assert!(!groups.is_empty() && groups.iter().all(|g| *g == "online"));
    shown(category(&r, Dim::Channel, "online", "science"), 10, 15);
    let (_, html) = bureau.get_html(&city).await;
    assert!(!html.contains("网上填写与纸质回执"), "{html}");

    // Four slips (科学, 艺术), fewer than k = 10.
    let b = secretary(&app).await;
    let (_, printed) = print_slips(&app, &b, round, "12").await;
    let slips = serials(&printed);
    assert_eq!(slips.len(), 12);
    enter_all(&app, &b, round, &slips[..4]).await;

    // The school's own report shows both channels, nothing hidden.
    let own = report(&app, round, Scope::School(SCHOOL.into()));
    shown(category(&own, Dim::Channel, "paper", "science"), 4, 4);
    shown(category(&own, Dim::Channel, "paper", "arts"), 4, 4);
    shown(category(&own, Dim::Channel, "online", "science"), 10, 15);
    shown(category(&own, Dim::Total, "all", "science"), 14, 19);
    // The slips count in the response rate.
    assert_eq!(own.schools[0].respondents, 19);

    // Above one school the 4 slips are hidden, and the online cell with them: it would give
    // the slips away as the total minus the online answers.
    for scope in [Scope::City, Scope::Township("青阳街道".into())] {
        let r = report(&app, round, scope.clone());
        for value in ["science", "arts", "reading"] {
            let paper = category(&r, Dim::Channel, "paper", value);
            assert!(paper.suppressed && paper.k.is_none() && paper.raw.is_none());
            assert_eq!(paper.n, 4);
            let online = category(&r, Dim::Channel, "online", value);
            assert!(
                online.suppressed && online.k.is_none(),
                "{scope:?} {online:?}"
            );
        }
        shown(category(&r, Dim::Total, "all", "science"), 14, 19);
        let school = r.schools.iter().find(|s| s.code == SCHOOL).unwrap();
        assert_eq!(school.respondents, 19);
    }

    // Eight more slips: 12 on paper, 15 online, 27 in all.
    enter_all(&app, &b, round, &slips[4..]).await;
    let got = bureau.get_json(&format!("{city}?format=json")).await;
    let r = report(&app, round, Scope::City);
    assert_eq!(got["shares"].as_array().unwrap().len(), r.shares.len());
    let json_row = got["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["dim"] == "channel"
                && s["group"] == "paper"
                && s["question"] == CATEGORY
                && s["value"] == "science"
                && s["base"] == "all"
        })
        .expect("a channel row in the JSON");
    assert_eq!(json_row["group_label"], "纸质回执");
    assert_eq!(
        (json_row["k"].as_i64(), json_row["n"].as_i64()),
        (Some(12), Some(12))
    );
    for (value, online, paper) in [("science", 10, 12), ("arts", 0, 12), ("sports", 10, 0)] {
        shown(category(&r, Dim::Channel, "online", value), online, 15);
        shown(category(&r, Dim::Channel, "paper", value), paper, 12);
        shown(category(&r, Dim::Total, "all", value), online + paper, 27);
    }
    // Among the families who need the service: 10 online, 12 on paper.
    let need = |group: &str| {
        r.shares
            .iter()
            .find(|s| {
                s.dim == Dim::Channel
                    && &*s.group == group
                    && &*s.value == "science"
                    && s.base == Base::Need
            })
            .unwrap()
            .n
    };
    assert_eq!((need("online"), need("paper")), (10, 12));
    let school = r.schools.iter().find(|s| s.code == SCHOOL).unwrap();
    assert_eq!(school.respondents, 27);
    assert!((school.rate.unwrap() - 27.0 / 1204.0).abs() < 1e-9);

    // The printable report compares the channels; the CSV has their rows.
    let (_, html) = bureau.get_html(&city).await;
    assert!(html.contains("网上填写与纸质回执"), "{html}");
    assert!(html.contains("网上填写 15 份，纸质回执 12 份"), "{html}");
    assert!(html.contains("id=\"def-channel\""), "{html}");
    let csv = String::from_utf8(bureau.get_bytes(&format!("{city}?format=csv")).await).unwrap();
    assert!(csv.contains("\n填写方式,纸质回执,"), "{csv}");
    assert!(csv.contains("\n填写方式,网上填写,"), "{csv}");

    // The coverage page: the slips per township, per school and in all.
    let (_, coverage) = bureau.get_html("/admin/coverage").await;
    assert!(
        coverage.contains("回收 27 份（其中纸质回执 12 份）"),
        "{coverage}"
    );
    let cells = "<td class=\"num\">1204</td><td class=\"num\">27</td><td class=\"num\">12</td>";
    assert_eq!(coverage.matches(cells).count(), 2, "{coverage}");

    // The responses export says how each came in.
    let out = app.temp_path("export.csv");
    let round_arg = round.to_string();
    app.cli_ok(&[
        "export",
        "--round",
        &round_arg,
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    let export = std::fs::read_to_string(&out).unwrap();
    assert_eq!(export.matches("纸质回执").count(), 12, "{export}");
    assert_eq!(export.matches("网上填写").count(), 15, "{export}");
}

#[tokio::test]
async fn counters_kept_per_channel_equal_a_recount() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, SCHOOL);
    for _ in 0..3 {
        app.submit(&slug, &valid_needs_answers()).await;
    }
    let b = secretary(&app).await;
    let (_, printed) = print_slips(&app, &b, round, "2").await;
    enter_all(&app, &b, round, &serials(&printed)).await;
    let rows = |app: &TestApp| {
        app.count_waiting_responses();
        let mut rows = db::counts::load(&mut app.conn(), round, None).unwrap();
        rows.sort_by(|a, b| {
            let key = |r: &db::counts::CountRow| {
                (
                    r.school_id,
                    r.grade,
                    r.channel.clone(),
                    r.segment.clone(),
                    r.question_id.clone(),
                    r.value.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        rows
    };
    let kept = rows(&app);
    let total = |channel: &str| {
        kept.iter()
            .find(|r| r.channel == channel && r.question_id == kehou_survey::domain::tally::TOTAL)
            .map(|r| r.n)
    };
    assert_eq!((total("online"), total("paper")), (Some(3), Some(2)));
    app.cli_ok(&["recount", "--round", &round.to_string()]);
    assert_eq!(rows(&app), kept);
}

#[tokio::test]
async fn upgrading_counts_a_round_with_paper_slips_again_by_channel() {
    use diesel::connection::SimpleConnection;
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, SCHOOL);
    for _ in 0..3 {
        app.submit(&slug, &valid_needs_answers()).await;
    }
    let b = secretary(&app).await;
    let (_, printed) = print_slips(&app, &b, round, "2").await;
    enter_all(&app, &b, round, &serials(&printed)).await;
    app.count_waiting_responses();
    let sorted = |app: &TestApp| {
        let mut rows = db::counts::load(&mut app.conn(), round, None).unwrap();
        rows.sort_by_key(|r| format!("{r:?}"));
        rows
    };
    let kept = sorted(&app);

    // Back to counters without a channel (the slips then count as online), and up again.
    let dir = format!(
        "{}/migrations/{}/2026-12-03-170000_count_channel",
        env!("CARGO_MANIFEST_DIR"),
        crate::helpers::backend()
    );
    for step in ["down", "up"] {
        let sql = std::fs::read_to_string(format!("{dir}/{step}.sql")).unwrap();
        app.conn().batch_execute(&sql).unwrap();
    }
    // The round's counters wait for the counting thread, which makes them by channel again.
    assert!(db::counts::load(&mut app.conn(), round, None)
        .unwrap()
        .is_empty());
    assert_eq!(db::responses::uncounted(&mut app.conn()).unwrap(), 5);
    app.count_waiting_responses();
    assert_eq!(sorted(&app), kept);
}
