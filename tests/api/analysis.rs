//! The demand analysis against an independent computation: families with known answers are
//! submitted over HTTP, and every figure the engine reports (counts, shares, Wilson intervals,
//! enrolment weights, suppression, scores, means, response rates) is recomputed here from the
//! known answers alone. Also: counters kept at ingest equal a rebuild from the raw responses.

use std::collections::{BTreeSet, HashMap};

use kehou_survey::analysis::{analyze, Base, Dim, Report, Scope, ShareRow};
use kehou_survey::db;

use crate::helpers::{spawn_app, TestApp};

/// One family's known answers to the after-school needs survey.
#[derive(Debug, Clone)]
pub(crate) struct Family {
    school: &'static str,
    grade: u8,
    need: &'static str,
    cats: Vec<&'static str>,
    science: Vec<&'static str>,
    /// Ranked among the chosen categories (none when fewer than two were chosen).
    top3: Vec<&'static str>,
    end_time: &'static str,
    summer: &'static str,
    weeks: Option<i64>,
}

const CATS: [&str; 5] = ["science", "reading", "homework", "psychology", "study_tour"];
const SCIENCE: [&str; 5] = [
    "science.lecture",
    "science.experiment",
    "science.creation",
    "science.maker",
    "science.observation",
];
/// Every category a score is checked for; heritage is chosen by nobody anywhere.
const RANKABLE: [&str; 8] = [
    "science",
    "sports",
    "arts",
    "reading",
    "homework",
    "labor",
    "psychology",
    "study_tour",
];
const END: [&str; 4] = ["t1700", "t1730", "t1800", "t1830"];

/// Deterministic, varied families: 40 at the urban school, 8 at the town school (fewer than
/// the suppression threshold), none at the rural junior school.
pub(crate) fn families() -> Vec<Family> {
    let mut out = Vec::new();
    for i in 0..48usize {
        let school = if i < 40 { "3505820001" } else { "3505820002" };
        let need = ["yes", "yes", "unsure", "no", "yes"][i % 5];
        let shown = need != "no";
        let cats: Vec<&str> = if shown {
            (0..CATS.len())
                .filter(|c| (i * 7 + c * 3) % 5 < 2 || *c == i % 5)
                .map(|c| CATS[c])
                .collect()
        } else {
            vec![]
        };
        let science = if cats.contains(&"science") {
            vec![SCIENCE[i % 5], SCIENCE[(i + 2) % 5]]
                .into_iter()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        } else {
            vec![]
        };
        // The chosen categories rotated, at most three; none to rank with fewer than two.
        let top3 = if cats.len() < 2 {
            vec![]
        } else {
            (0..cats.len().min(3))
                .map(|k| cats[(i + k) % cats.len()])
                .collect()
        };
        out.push(Family {
            school,
            grade: (1 + (i * 5) % 6) as u8,
            need,
            cats,
            science,
            top3,
            end_time: END[(i / 2) % 4],
            summer: ["yes", "maybe", "no"][i % 3],
            weeks: (i % 3 != 2 && i % 4 != 0).then_some(1 + (i % 8) as i64),
        });
    }
    out
}

impl Family {
    fn pairs(&self) -> Vec<(String, String)> {
        let mut p = vec![
            ("q.grade".to_string(), self.grade.to_string()),
            ("q.class".into(), "1".into()),
            ("q.need".into(), self.need.into()),
        ];
        if self.need == "no" {
            p.push(("q.no_reason".into(), "family_care".into()));
        } else {
            p.push(("q.days".into(), "mon".into()));
            p.push(("q.end_time".into(), self.end_time.into()));
            p.extend(
                self.cats
                    .iter()
                    .map(|c| ("q.categories".into(), c.to_string())),
            );
            p.extend(
                self.science
                    .iter()
                    .map(|s| ("q.science_items".into(), s.to_string())),
            );
            for (r, c) in self.top3.iter().enumerate() {
                p.push((format!("q.top3.{}", r + 1), c.to_string()));
            }
        }
        p.push(("q.summer_care".into(), self.summer.into()));
        if let Some(w) = self.weeks.filter(|_| self.summer != "no") {
            p.push(("q.summer_weeks".into(), w.to_string()));
        }
        p
    }

    /// Categories and sub-categories wanted, computed here, not by the engine's code: chosen
    /// in the categories question or its sub-category question, never by ranking alone.
    fn wants(&self, id: &str) -> bool {
        if self.need == "no" {
            return false;
        }
        self.cats.contains(&id)
            || self.science.contains(&id)
            || (id == "science" && !self.science.is_empty())
    }

    fn weeks_answered(&self) -> Option<i64> {
        self.weeks.filter(|_| self.summer != "no")
    }
}

/// Enrolment of the standard roster (tests/api/helpers.rs), per school and grade.
fn enrolment(school: &str, grade: u8) -> f64 {
    let row: [f64; 6] = match school {
        "3505820001" => [200.0, 210.0, 190.0, 205.0, 198.0, 201.0],
        "3505820002" => [120.0, 118.0, 115.0, 110.0, 109.0, 100.0],
        _ => return 0.0,
    };
    row[usize::from(grade) - 1]
}

pub(crate) async fn submit_all(app: &TestApp, round: i64, fams: &[Family]) {
    let mut slugs = HashMap::new();
    for f in fams {
        let slug = slugs
            .entry(f.school)
            .or_insert_with(|| app.slug(round, f.school))
            .clone();
        let pairs = f.pairs();
        let refs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        app.submit(&slug, &refs).await;
    }
}

pub(crate) fn report(app: &TestApp, round: i64, scope: Scope) -> Report {
    report_k(app, round, scope, 10)
}

/// The report with cells below `min_cell` suppressed (1: none).
fn report_k(app: &TestApp, round: i64, scope: Scope, min_cell: i64) -> Report {
    analyze(
        &mut app.conn(),
        &app.state.catalog.versions(),
        round,
        scope,
        min_cell,
    )
    .expect("analysis runs")
}

fn row<'a>(r: &'a Report, dim: Dim, group: &str, q: &str, v: &str, base: Base) -> &'a ShareRow {
    r.shares
        .iter()
        .find(|s| {
            s.dim == dim
                && &*s.group == group
                && &*s.question == q
                && &*s.value == v
                && s.base == base
        })
        .unwrap_or_else(|| panic!("no row {dim:?} {group} {q} {v} {base:?}"))
}

/// Wilson 95%, written out again here.
fn wilson(p: f64, n: f64) -> (f64, f64) {
    let z: f64 = 1.959_963_984_540_054;
    let c = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let h = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    ((c - h).max(0.0), (c + h).min(1.0))
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-9, "{a} != {b}");
}

/// Checks one share row against families `in_group`, numerator `hit` and base `in_base`.
fn check(
    r: &ShareRow,
    fams: &[&Family],
    in_base: impl Fn(&Family) -> bool,
    hit: impl Fn(&Family) -> bool,
) {
    let base: Vec<&&Family> = fams.iter().filter(|f| in_base(f)).collect();
    let n = base.len() as i64;
    let k = base.iter().filter(|f| hit(f)).count() as i64;
    assert_eq!(r.n, n, "n of {r:?}");
    if r.suppressed {
        assert!(r.k.is_none() && r.raw.is_none() && r.weighted.is_none());
        return;
    }
    assert_eq!(r.k, Some(k), "k of {r:?}");
    if n == 0 {
        assert!(r.raw.is_none(), "{r:?}");
        return;
    }
    let raw = r.raw.expect("raw share");
    close(raw.estimate, k as f64 / n as f64);
    let (lo, hi) = wilson(k as f64 / n as f64, n as f64);
    close(raw.low, lo);
    close(raw.high, hi);
    // Post-stratified: each (school, grade) weighs enrolment ÷ its respondents (all of them).
    let mut strata: HashMap<(&str, u8), (f64, f64, f64)> = HashMap::new(); // respondents, d, k
    for f in fams {
        let e = strata.entry((f.school, f.grade)).or_default();
        e.0 += 1.0;
        if in_base(f) {
            e.1 += 1.0;
            if hit(f) {
                e.2 += 1.0;
            }
        }
    }
    let (mut kw, mut dw, mut dw2) = (0.0, 0.0, 0.0);
    for ((s, g), (resp, d, k)) in &strata {
        let w = enrolment(s, *g) / resp;
        kw += w * k;
        dw += w * d;
        dw2 += w * w * d;
    }
    let w = r.weighted.expect("weighted share");
    close(w.estimate, kw / dw);
    let n_eff = dw * dw / dw2;
    close(r.n_eff, n_eff);
    let (lo, hi) = wilson(kw / dw, n_eff);
    close(w.low, lo);
    close(w.high, hi);
}

/// Primary suppression (n < 10) and secondary suppression, computed here independently: the
/// town school's 8 families are the only small group of the townships and of 城区/农村, so the
/// other group with families is hidden too (else 8 = total − 40 would show); within 农村, 镇区
/// (8) and 乡村 (0) have no shown sibling; a grade that is alone in being small within its stage
/// takes the smallest other grade of the stage with it.
fn assert_suppression(city: &Report) {
    for s in &city.shares {
        let expected = match s.dim {
            // 8 (primary), 40 (secondary) and 0 (primary): every group.
            Dim::Township | Dim::Urban2 => true,
            // Every family answered online: the one channel is the whole city.
            Dim::Total | Dim::Stage | Dim::Urban3 | Dim::Channel => s.n < 10,
            Dim::School | Dim::Grade => continue,
        };
        assert_eq!(s.suppressed, expected, "{s:?}");
    }
    let mut grades: HashMap<(&str, &str, Base), Vec<&ShareRow>> = HashMap::new();
    for s in city.shares.iter().filter(|s| s.dim == Dim::Grade) {
        grades
            .entry((&*s.question, &*s.value, s.base))
            .or_default()
            .push(s);
    }
    for cells in grades.values() {
        // Every grade here is a primary-school grade: one stage.
        let small: Vec<_> = cells.iter().filter(|s| s.n > 0 && s.n < 10).collect();
        let mut shown: Vec<_> = cells.iter().filter(|s| s.n >= 10).collect();
        shown.sort_by_key(|s| (s.n, s.group.clone()));
        for s in cells {
            let secondary = small.len() == 1 && shown.first().is_some_and(|f| f.group == s.group);
            assert_eq!(s.suppressed, s.n < 10 || secondary, "{s:?}");
        }
    }
}

#[tokio::test]
async fn every_figure_matches_an_independent_computation() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let fams = families();
    submit_all(&app, round, &fams).await;
    let id = |code: &str| {
        db::schools::find_by_code(&mut app.conn(), code)
            .unwrap()
            .unwrap()
            .id
            .to_string()
    };
    // Every figure, nothing suppressed; suppression is checked on the k = 10 report below.
    let city = report_k(&app, round, Scope::City, 1);
    let all: Vec<&Family> = fams.iter().collect();
    let at = |code: &str| fams.iter().filter(|f| f.school == code).collect::<Vec<_>>();
    let urban = at("3505820001");
    let town = at("3505820002");

    // Response rates, the zero-response school included.
    let rates: HashMap<&str, (i64, i64)> = city
        .schools
        .iter()
        .map(|s| (s.code.as_str(), (s.enrolment, s.respondents)))
        .collect();
    assert_eq!(rates["3505820001"], (1204, 40));
    assert_eq!(rates["3505820002"], (672, 8));
    assert_eq!(rates["3505820003"], (915, 0));

    let mut ids: Vec<&str> = CATS.to_vec();
    ids.extend(SCIENCE);
    ids.extend(["sports", "heritage", "heritage.nanyin", "arts.music"]);
    for c in &ids {
        let wants = |f: &Family| f.wants(c);
        let needs = |f: &Family| f.need == "yes";
        check(
            row(&city, Dim::Total, "all", "@category", c, Base::All),
            &all,
            |_| true,
            wants,
        );
        check(
            row(&city, Dim::Total, "all", "@category", c, Base::Need),
            &all,
            needs,
            wants,
        );
        // 有兴趣: families who need or may need the service, side by side with 需要.
        check(
            row(&city, Dim::Total, "all", "@category", c, Base::Interest),
            &all,
            |f| f.need != "no",
            wants,
        );
        // Every family answered online.
        check(
            row(&city, Dim::Channel, "online", "@category", c, Base::All),
            &all,
            |_| true,
            wants,
        );
        check(
            row(&city, Dim::Urban2, "城区", "@category", c, Base::All),
            &urban,
            |_| true,
            wants,
        );
        check(
            row(&city, Dim::Urban3, "镇区", "@category", c, Base::All),
            &town,
            |_| true,
            wants,
        );
        check(
            row(&city, Dim::Township, "青阳街道", "@category", c, Base::All),
            &urban,
            |_| true,
            wants,
        );
        check(
            row(
                &city,
                Dim::School,
                &id("3505820001"),
                "@category",
                c,
                Base::Need,
            ),
            &urban,
            needs,
            wants,
        );
        check(
            row(&city, Dim::Stage, "小学", "@category", c, Base::All),
            &all,
            |_| true,
            wants,
        );
        for g in 1..=6u8 {
            let in_g: Vec<&Family> = fams.iter().filter(|f| f.grade == g).collect();
            check(
                row(&city, Dim::Grade, &g.to_string(), "@category", c, Base::All),
                &in_g,
                |_| true,
                wants,
            );
        }
    }
    // A category nobody chose is reported, at zero, with its full base.
    let heritage = row(&city, Dim::Total, "all", "@category", "heritage", Base::All);
    assert_eq!((heritage.k, heritage.n), (Some(0), 48));

    // A question behind display logic: its base is the families it was shown to and answered.
    for t in END {
        check(
            row(&city, Dim::Total, "all", "end_time", t, Base::Answered),
            &all,
            |f| f.need != "no",
            |f| f.end_time == t,
        );
    }
    for s in ["yes", "maybe", "no"] {
        check(
            row(&city, Dim::Total, "all", "summer_care", s, Base::Answered),
            &all,
            |_| true,
            |f| f.summer == s,
        );
    }

    // Suppression: the town school's 8 families are below k = 10 in the city's view, the
    // rural school's 0 too; its own report shows them.
    assert!(city.shares.iter().all(|s| s.suppressed == (s.n == 0)));
    let city = report(&app, round, Scope::City);
    let small = row(
        &city,
        Dim::School,
        &id("3505820002"),
        "@category",
        "science",
        Base::All,
    );
    assert!(small.suppressed && small.n == 8 && small.raw.is_none());
    let none = row(
        &city,
        Dim::School,
        &id("3505820003"),
        "@category",
        "science",
        Base::All,
    );
    assert!(none.suppressed && none.n == 0);
    assert_suppression(&city);
    let own = report(&app, round, Scope::School("3505820002".into()));
    assert!(own.shares.iter().all(|s| !s.suppressed));
    check(
        row(&own, Dim::Total, "all", "@category", "science", Base::All),
        &town,
        |_| true,
        |f| f.wants("science"),
    );
    let empty = report(&app, round, Scope::School("3505820003".into()));
    assert_eq!(empty.schools[0].respondents, 0);
    assert!(empty.shares.iter().all(|s| s.n == 0 && s.raw.is_none()));

    // Top-3 score: 3 points for first place, 2 for second, 1 for third, per answering family.
    let ranked: Vec<&Family> = all.iter().copied().filter(|f| !f.top3.is_empty()).collect();
    for c in RANKABLE.iter().chain(["heritage", "rural_local"].iter()) {
        let pts: usize = ranked
            .iter()
            .map(|f| f.top3.iter().position(|x| x == c).map_or(0, |p| 3 - p))
            .sum();
        let s = city
            .scores
            .iter()
            .find(|s| s.dim == Dim::Total && s.value == *c)
            .unwrap();
        assert_eq!(s.n, ranked.len() as i64);
        close(s.score.unwrap(), pts as f64 / ranked.len() as f64);
    }

    // The mean of a number question shown only to some, answered by fewer.
    let weeks: Vec<f64> = all
        .iter()
        .filter_map(|f| f.weeks_answered())
        .map(|w| w as f64)
        .collect();
    let m = city
        .means
        .iter()
        .find(|m| m.dim == Dim::Total && m.question == "summer_weeks")
        .unwrap();
    assert_eq!(m.n, weeks.len() as i64);
    close(
        m.raw.unwrap().mean,
        weeks.iter().sum::<f64>() / weeks.len() as f64,
    );
}

async fn count_rows(app: &TestApp, round: i64) -> Vec<db::counts::CountRow> {
    app.count_waiting_responses();
    let mut rows = db::counts::load(&mut app.conn(), round, None).unwrap();
    rows.sort_by(|a, b| {
        (a.school_id, a.grade, &a.segment, &a.question_id, &a.value).cmp(&(
            b.school_id,
            b.grade,
            &b.segment,
            &b.question_id,
            &b.value,
        ))
    });
    rows
}

#[tokio::test]
async fn counters_kept_at_ingest_equal_a_rebuild_from_raw_responses() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let fams = families();
    submit_all(&app, round, &fams[..20]).await;
    // A retried POST (same idempotency key) stores one response and counts it once.
    let slug = app.slug(round, "3505820001");
    let (_, idem) = app.open_form(&slug, None).await;
    let pairs = fams[0].pairs();
    let mut body: Vec<(&str, &str)> = vec![("consent", "yes"), ("idem", &idem)];
    body.extend(pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())));
    for _ in 0..2 {
        let resp = app.post_form(&slug, crate::helpers::encode(&body)).await;
        assert_eq!(resp.status(), 303);
    }
    assert_eq!(app.response_count(round), 21);

    let at_ingest = count_rows(&app, round).await;
    let total: i64 = at_ingest
        .iter()
        .filter(|c| c.question_id == "#")
        .map(|c| c.n)
        .sum();
    assert_eq!(total, 21);
    assert!(!at_ingest.iter().any(|c| c.question_id == "suggestion"));
    let out = app.cli_ok(&["recount", "--round", &round.to_string()]);
    assert!(out.contains("21 份回答"), "{out}");
    let rebuilt = count_rows(&app, round).await;
    assert_eq!(at_ingest, rebuilt);
}

#[tokio::test]
async fn a_round_with_one_school_reports_the_same_figures_at_every_level() {
    let app = spawn_app().await;
    app.import_standard_roster();
    let out = app.cli_ok(&[
        "publish",
        "--survey",
        "after-school-needs",
        "--name",
        "一校",
        "--closes",
        "2099-01-01",
        "--schools",
        "3505820002",
    ]);
    let round: i64 = out
        .split("第 ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let fams: Vec<Family> = families()
        .into_iter()
        .filter(|f| f.school == "3505820002")
        .collect();
    submit_all(&app, round, &fams).await;
    let city = report(&app, round, Scope::City);
    assert_eq!(city.schools.len(), 1);
    let refs: Vec<&Family> = fams.iter().collect();
    for s in city.shares.iter().filter(|s| s.dim == Dim::Total) {
        assert!(s.suppressed, "8 families are below k = 10 city-wide: {s:?}");
    }
    let own = report(&app, round, Scope::School("3505820002".into()));
    check(
        row(&own, Dim::Total, "all", "@category", "reading", Base::All),
        &refs,
        |_| true,
        |f| f.wants("reading"),
    );
}

#[tokio::test]
async fn a_changed_definition_is_analysed_with_its_own_version() {
    let app = spawn_app().await;
    let first = app.setup_round();
    let fams = families();
    submit_all(&app, first, &fams[..12]).await;
    // The next term's file drops 18:30 and adds 19:00.
    let dir = app.temp_path("surveys");
    crate::helpers::copy_survey_dir(&dir);
    let path = dir.join("after-school-needs.toml");
    let src = std::fs::read_to_string(&path).unwrap().replace(
        "id = \"t1830\"\nlabel = \"18:30左右（需延时托管）\"",
        "id = \"t1900\"\nlabel = \"19:00左右\"",
    );
    assert!(src.contains("t1900"));
    std::fs::write(&path, src).unwrap();
    let second = app.publish_in(&dir, "after-school-needs", "-1", "+30");
    let slug = app.slug(second, "3505820001");
    let mut pairs = fams[0].pairs();
    pairs.retain(|(k, _)| k != "q.end_time");
    pairs.push(("q.end_time".into(), "t1900".into()));
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    app.submit(&slug, &refs).await;

    let old = report(&app, first, Scope::School("3505820001".into()));
    let new = report(&app, second, Scope::School("3505820001".into()));
    let values = |r: &Report| -> BTreeSet<String> {
        r.shares
            .iter()
            .filter(|s| &*s.question == "end_time" && s.dim == Dim::Total)
            .map(|s| s.value.to_string())
            .collect()
    };
    assert!(values(&old).contains("t1830") && !values(&old).contains("t1900"));
    assert!(values(&new).contains("t1900") && !values(&new).contains("t1830"));
    let t1900 = row(&new, Dim::Total, "all", "end_time", "t1900", Base::Answered);
    assert_eq!((t1900.k, t1900.n), (Some(1), 1));
    let at_ingest = count_rows(&app, second).await;
    app.cli_ok(&["recount", "--round", &second.to_string()]);
    assert_eq!(at_ingest, count_rows(&app, second).await);
}

#[tokio::test]
async fn the_cli_writes_every_format_with_formulas_neutralised() {
    let app = spawn_app().await;
    // A school name that a spreadsheet would run as a formula.
    let roster = crate::helpers::ROSTER_CSV.replace("晋江市青阳中心小学", "=HYPERLINK(\"x\")小学");
    assert!(app.import_roster(&roster).status.success());
    let round = app.publish("after-school-needs", "-1", "+30");
    submit_all(&app, round, &families()[..12]).await;
    for format in ["xlsx", "csv", "json", "parquet", "html"] {
        let out = app.temp_path(&format!("a.{format}"));
        let stdout = app.cli_ok(&[
            "analyze",
            "--round",
            &round.to_string(),
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(stdout.contains("12 份回答"), "{stdout}");
        let bytes = std::fs::read(&out).unwrap();
        match format {
            "xlsx" => assert!(bytes.starts_with(b"PK")),
            "parquet" => assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1")),
            "html" => {
                let html = String::from_utf8(bytes).unwrap();
                assert!(html.contains("<svg") && html.contains("课程类别 × 乡镇"));
                assert!(!html.contains("<script") && !html.contains("=HYPERLINK(\"x\")"));
                assert!(html.contains("=HYPERLINK(&quot;x&quot;)"), "escaped");
            }
            "json" => {
                let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(v["schools"].as_array().unwrap().len(), 3);
            }
            _ => {
                assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
                let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
                assert!(text.contains("'=HYPERLINK"), "formula neutralised");
                assert!(!text.contains(",=HYPERLINK") && !text.contains("\"=HYPERLINK"));
            }
        }
    }
    let out = app.cli(&[
        "analyze",
        "--round",
        "999",
        "--format",
        "csv",
        "--out",
        "/dev/null",
    ]);
    assert!(!out.status.success());
}

/// Satisfaction (1–5) answers of one family; `None` = did not take part.
fn satisfaction_pairs(overall: Option<u8>) -> Vec<(String, String)> {
    let mut p = vec![("q.grade".to_string(), "4".to_string())];
    match overall {
        Some(s) => {
            p.push(("q.participates".into(), "yes".into()));
            for q in [
                "overall",
                "sat_content",
                "sat_time",
                "sat_safety",
                "sat_teachers",
            ] {
                p.push((format!("q.{q}"), s.to_string()));
            }
        }
        None => p.push(("q.participates".into(), "no".into())),
    }
    p.push(("q.open_day".into(), "yes".into()));
    p
}

#[tokio::test]
async fn satisfaction_distribution_mean_and_the_change_between_rounds() {
    let app = spawn_app().await;
    app.import_standard_roster();
    let before = app.publish("parent-satisfaction", "-1", "+30");
    let after = app.publish("parent-satisfaction", "-1", "+30");
    let earlier: [Option<u8>; 14] = [
        Some(2),
        Some(3),
        Some(3),
        Some(4),
        Some(2),
        Some(3),
        Some(5),
        Some(1),
        Some(3),
        Some(4),
        Some(2),
        Some(3),
        None,
        None,
    ];
    let later: [Option<u8>; 14] = [
        Some(4),
        Some(5),
        Some(4),
        Some(4),
        Some(5),
        Some(3),
        Some(5),
        Some(4),
        Some(4),
        Some(5),
        Some(4),
        Some(3),
        Some(5),
        None,
    ];
    for (round, scores) in [(before, &earlier), (after, &later)] {
        let slug = app.slug(round, "3505820001");
        for s in scores.iter() {
            let pairs = satisfaction_pairs(*s);
            let refs: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            app.submit(&slug, &refs).await;
        }
    }
    let r = report(&app, after, Scope::City);
    let given: Vec<f64> = later.iter().flatten().map(|s| f64::from(*s)).collect();
    let n = given.len() as f64;
    let mean = given.iter().sum::<f64>() / n;
    let m = r
        .means
        .iter()
        .find(|m| m.dim == Dim::Total && m.question == "overall")
        .unwrap();
    assert_eq!(m.n, given.len() as i64);
    close(m.raw.unwrap().mean, mean);
    let var = given.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    close(
        m.raw.unwrap().high - mean,
        1.959_963_984_540_054 * (var / n).sqrt(),
    );
    for v in 1..=5u8 {
        let row = row(
            &r,
            Dim::Total,
            "all",
            "overall",
            &v.to_string(),
            Base::Answered,
        );
        let k = later.iter().filter(|s| **s == Some(v)).count() as i64;
        assert_eq!((row.k, row.n), (Some(k), given.len() as i64));
    }
    // "Those who need the service" of a satisfaction survey: the families who took part.
    let part = row(&r, Dim::Total, "all", "@category", "science", Base::Need);
    assert_eq!(part.n, 13);

    // The change between rounds, through the CLI, lands in its own XLSX sheet and in JSON.
    let out = app.temp_path("change.json");
    app.cli_ok(&[
        "analyze",
        "--round",
        &after.to_string(),
        "--compare-to",
        &before.to_string(),
        "--school",
        "3505820001",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap();
    let change = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["dim"] == "total" && c["question"] == "overall" && c["label"] == "5 分")
        .unwrap();
    let share5 = |s: &[Option<u8>]| {
        let given = s.iter().flatten().count() as f64;
        s.iter().filter(|x| **x == Some(5)).count() as f64 / given
    };
    let (p_before, p_after) = (share5(&earlier), share5(&later));
    close(
        change["change"]["estimate"].as_f64().unwrap(),
        p_after - p_before,
    );
    assert!(change["change"]["low"].as_f64().unwrap() < p_after - p_before);
}

/// The counting thread counts committed responses on its own, within seconds.
#[tokio::test]
async fn the_counting_thread_counts_new_responses_by_itself() {
    let app = spawn_app().await;
    let round = app.setup_round();
    submit_all(&app, round, &families()[..5]).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let rows = db::counts::load(&mut app.conn(), round, None).unwrap();
        let total: i64 = rows
            .iter()
            .filter(|c| c.question_id == "#")
            .map(|c| c.n)
            .sum();
        if total == 5 {
            break;
        }
        assert!(total < 5, "counted twice: {total}");
        assert!(
            std::time::Instant::now() < deadline,
            "not counted after 20 s: {total} of 5"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Several folders at once (the counting thread, analyses on other connections, other
/// instances) never count a response twice or miss one.
#[tokio::test]
async fn racing_folders_count_every_response_exactly_once() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let folders: Vec<_> = (0..3)
        .map(|_| {
            let (mut conn, versions, stop) =
                (app.conn(), app.state.catalog.versions(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    db::counts::fold_all(&mut conn, &versions).unwrap();
                }
            })
        })
        .collect();
    submit_all(&app, round, &families()).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for f in folders {
        f.join().unwrap();
    }
    let counted = count_rows(&app, round).await;
    let n = app.response_count(round) as i64;
    let total: i64 = counted
        .iter()
        .filter(|c| c.question_id == "#")
        .map(|c| c.n)
        .sum();
    assert_eq!(total, n);
    app.cli_ok(&["recount", "--round", &round.to_string()]);
    assert_eq!(counted, count_rows(&app, round).await);
}

/// `generate` writes a bulk round's counters itself and marks its responses counted in the same
/// transaction: the counting thread and analyses never count them a second time.
#[tokio::test]
async fn a_generated_round_is_counted_exactly_once() {
    let app = spawn_app().await;
    let out = app.cli_ok(&[
        "generate",
        "--schools",
        "6",
        "--responses",
        "300",
        "--seed",
        "7",
    ]);
    let round: i64 = out
        .split("第 ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{out}"));
    app.count_waiting_responses();
    let total: i64 = count_rows(&app, round)
        .await
        .iter()
        .filter(|c| c.question_id == "#")
        .map(|c| c.n)
        .sum();
    assert_eq!(total, 300);
}
