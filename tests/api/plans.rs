//! School plans (一校一案) via `import-plans`: all or nothing with errors by row and column,
//! every revision kept; the gap list against demand and the bureau's targets, each checked
//! against a computation written here.

use kehou_survey::analysis::plans::GapAction;
use kehou_survey::analysis::{analyze, Base, Dim, Scope};
use kehou_survey::db;

use crate::helpers::{spawn_app, valid_needs_answers, TestApp, ROSTER_CSV};

use kehou_survey::domain::plan::HEADERS;

/// Writes a plans workbook: numbers as numbers, everything else as text.
pub(crate) fn workbook(app: &TestApp, name: &str, rows: &[Vec<&str>]) -> String {
    let path = app.temp_path(name);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(n) if !v.is_empty() && c != 0 => ws.write_number(r as u32 + 1, c as u16, n),
                _ => ws.write_string(r as u32 + 1, c as u16, *v),
            }
            .unwrap();
        }
    }
    wb.save(&path).unwrap();
    path.to_str().unwrap().to_string()
}

/// The standard roster plus a second urban school (罗山街道, 112).
pub(crate) fn roster() -> String {
    format!(
        "{ROSTER_CSV}3505820004,晋江市罗山中心小学,罗山街道,小学,112,90,90,90,90,90,90,0,0,0,\n"
    )
}

pub(crate) fn good_rows() -> Vec<Vec<&'static str>> {
    let plan1 = [
        "3505820001",
        "2026秋",
        "3",
        "5",
        "120",
        "科技馆；退休教师",
        "20",
        "3",
    ];
    let plan4 = ["3505820004", "2026秋", "2", "5", "120", "", "8", "0"];
    let act = |p: &[&'static str; 8], a: [&'static str; 5]| {
        let mut v = p.to_vec();
        v.extend(a);
        v
    };
    vec![
        act(&plan1, ["科学实验社", "science.experiment", "2", "5", "0"]),
        act(&plan1, ["阅读", "reading", "2", "1300", "0"]),
        act(&plan1, ["心理团辅", "psychology", "1", "30", "0"]),
        act(&plan4, ["作业辅导", "homework", "5", "200", "0"]),
    ]
}

#[tokio::test]
async fn a_plans_file_with_a_bad_cell_imports_nothing_and_says_where() {
    let app = spawn_app().await;
    assert!(app.import_roster(&roster()).status.success());
    let mut rows = good_rows();
    rows[1][9] = "astrology";
    rows[2][0] = "9999999999";
    rows[3][11] = "很多";
    let path = workbook(&app, "bad.xlsx", &rows);
    let out = app.cli(&["import-plans", &path]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("第 3 行，“课程类别代码”列"), "{err}");
    assert!(err.contains("第 4 行，“学校代码”列"), "{err}");
    assert!(err.contains("第 5 行，“容量（人）”列"), "{err}");
    assert!(db::plans::latest(&mut app.conn(), None).unwrap().is_empty());
}

#[tokio::test]
async fn gaps_and_targets_follow_demand_and_the_latest_plans() {
    let app = spawn_app().await;
    assert!(app.import_roster(&roster()).status.success());
    let round = app.publish("after-school-needs", "-1", "+30");
    // 40 families at school 1, all alike: they want science, sports and reading (ranked), and
    // nobody wants psychology — enough families that its interval ends below 10%.
    let slug = app.slug(round, "3505820001");
    for _ in 0..40 {
        app.submit(&slug, &valid_needs_answers()).await;
    }
    // A first revision without science, then the real one: the latest counts, both are kept.
    let mut first = good_rows();
    first.remove(0);
    app.cli_ok(&["import-plans", &workbook(&app, "v1.xlsx", &first)]);
    app.cli_ok(&["import-plans", &workbook(&app, "v2.xlsx", &good_rows())]);
    let mut conn = app.conn();
    let s1 = db::schools::find_by_code(&mut conn, "3505820001")
        .unwrap()
        .unwrap();
    assert_eq!(db::plans::revision_count(&mut conn, s1.id).unwrap(), 2);

    let report = analyze(
        &mut conn,
        &app.state.catalog.versions(),
        round,
        Scope::City,
        10,
    )
    .unwrap();
    let gaps: Vec<_> = report
        .gaps
        .iter()
        .filter(|g| g.school_id == s1.id)
        .collect();
    assert!(!gaps.is_empty());
    for g in &gaps {
        let share = report
            .shares
            .iter()
            .find(|s| {
                s.dim == Dim::School
                    && *s.group == *s1.id.to_string()
                    && &*s.question == "@category"
                    && *s.value == *g.category
                    && s.base == Base::All
            })
            .unwrap();
        let p = share.weighted.unwrap();
        assert!((g.expected.estimate - 1204.0 * p.estimate).abs() < 1e-9);
        assert!((g.expected.low - 1204.0 * p.low).abs() < 1e-9);
        let offered = matches!(
            g.category.as_str(),
            "science" | "science.experiment" | "reading" | "psychology"
        );
        assert_eq!(g.offered, offered, "{}", g.category);
        let expected = if !offered && p.estimate >= 0.30 {
            Some(GapAction::Add)
        } else if offered && 1204.0 * p.low > f64::from(g.capacity) {
            Some(GapAction::Expand)
        } else if offered && p.high < 0.10 {
            Some(GapAction::Review)
        } else {
            None
        };
        assert_eq!(g.action, expected, "{}", g.category);
    }
    let action = |c: &str| gaps.iter().find(|g| g.category == c).unwrap().action;
    // Everyone wants science; 5 places for 1,204 pupils: expand. Sports is wanted by all and
    // not offered: add. Psychology is offered and nobody chose it: review.
    assert_eq!(action("science"), Some(GapAction::Expand));
    assert_eq!(action("sports"), Some(GapAction::Add));
    assert_eq!(action("psychology"), Some(GapAction::Review));
    assert_eq!(action("reading"), None);

    // Targets: of the two urban schools, one runs 2+3 with science, one 2+2 without.
    let t = report.targets.unwrap();
    assert_eq!((t.urban_schools, t.two_plus_three, t.science), (2, 1, 1));
    assert_eq!(t.share(t.science), Some(0.5));
    assert_eq!(t.missing.len(), 1);
    let m = &t.missing[0];
    assert_eq!(
        (m.code.as_str(), m.township.as_str()),
        ("3505820004", "罗山街道")
    );
    assert!(m.has_plan && m.lacks_two_plus_three && m.lacks_science);

    let out = app.temp_path("city.xlsx");
    app.cli_ok(&[
        "analyze",
        "--round",
        &round.to_string(),
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(std::fs::read(out).unwrap().starts_with(b"PK"));
}

/// The plan page without a script: the plan's fields, outside resources as boxes, one block per
/// activity with its category picked by name. A form with problems comes back with every field
/// as typed and each problem named by its field or activity; 再添几行 adds blank blocks without
/// saving; a good form is saved as a new revision that the analysis uses, and listed.
#[tokio::test]
async fn a_school_edits_its_plan_on_the_page() {
    use kehou_survey::domain::account::Role;
    let app = spawn_app().await;
    assert!(app.import_roster(&roster()).status.success());
    let school = app.school_id("3505820001");
    app.make_user("a@school.cn", Role::School, Some("3505820001"), None);
    let b = app.signed_in("a@school.cn").await;
    let path = format!("/admin/schools/{school}/plan");
    let (status, html) = b.get_html(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("还没有保存过方案"), "{html}");
    // Categories are offered by name; three blank activity blocks to start with.
    assert!(html.contains(">科学教育 · 科学实验</option>"), "{html}");
    assert!(
        !html.contains(">science.experiment<"),
        "a code shown as a name"
    );
    assert!(html.contains("name=\"a.2.name\"") && !html.contains("name=\"a.3.name\""));
    assert!(html.contains("容量（人）") && html.contains("每周次数（次/周）"));
    let csrf = b.csrf_from(&path).await;
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("term", "2026秋"),
        ("extra_n", "十一"),
        ("days_per_week", "5"),
        ("minutes_per_day", "120"),
        ("res.1", "1"),
        ("teachers", "20"),
        ("outside_staff", "3"),
        ("a.0.name", "科学实验社"),
        ("a.0.category", "science.experiment"),
        ("a.0.weekly", "2"),
        ("a.0.capacity", "40"),
        ("a.0.fee", "0"),
        ("a.2.name", "阅读"),
        ("a.2.category", ""),
        ("a.2.weekly", "2"),
        ("a.2.capacity", "300"),
        ("a.2.fee", "0"),
    ];
    let resp = b.post(&path, &form).await;
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    for expected in [
        "发现 2 处问题",
        "N（2+N 模式）：",
        "活动 3：“课程类别”",
        "value=\"十一\"",
        "value=\"阅读\"",
        "value=\"science.experiment\" selected",
    ] {
        assert!(html.contains(expected), "{expected} missing in {html}");
    }
    assert!(db::plans::latest(&mut app.conn(), None).unwrap().is_empty());

    // 再添几行: three more blank blocks, the typed ones kept, nothing saved.
    let mut more = form.clone();
    more.push(("more", "1"));
    let resp = b.post(&path, &more).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("name=\"a.5.name\"") && html.contains("value=\"科学实验社\""));
    assert!(db::plans::latest(&mut app.conn(), None).unwrap().is_empty());

    form[2] = ("extra_n", "3");
    form[14] = ("a.2.category", "reading");
    let resp = b.post(&path, &form).await;
    assert_eq!(resp.status(), 303);
    let (_, html) = b.get_html(&format!("{path}?saved=1")).await;
    assert!(
        html.contains("方案已保存") && html.contains("当前是第 1 版"),
        "{html}"
    );
    assert!(html.contains("网页填写（a@school.cn）"), "{html}");
    let plans = db::plans::latest(&mut app.conn(), None).unwrap();
    let p = &plans[&school];
    assert_eq!((p.model(), p.activities.len()), ("2+3".to_string(), 2));
    assert_eq!(p.resources, vec!["科技馆".to_string()]);
    assert!(p.offers("science"));
    // A smuggled field is refused, and another school's plan is out of reach.
    let mut extra = form.clone();
    extra.push(("school_id", "2"));
    assert_eq!(b.post(&path, &extra).await.status(), 400);
    let other = app.school_id("3505820002");
    assert_eq!(
        b.get(&format!("/admin/schools/{other}/plan"))
            .await
            .status(),
        404
    );
    assert!(app.audit_actions().iter().any(|a| a == "plan_saved"));
}
