//! `generate`: a synthetic city-scale round for benchmarks and tests — schools across every
//! township with realistic enrolments and urban/rural codes, each with its own response rate,
//! answers from the demo generator (urban families want science more) and consistent with the
//! school's grades, inserted in large transactions, then the counters built in one pass.

use std::process::ExitCode;

use diesel::Connection;

use super::demo::{demo_schools, school_round, synthetic_answers, Rng};
use crate::catalog::Catalog;
use crate::cli::GenerateArgs;
use crate::config::Settings;
use crate::db::{self, counts::Deltas, responses::NewResponse};
use crate::startup::prepare_database;

const SURVEY: &str = "after-school-needs";
/// Responses per transaction: large enough that fsyncs do not matter.
const CHUNK: usize = 50_000;

pub fn run(settings: &Settings, args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    let mut conn = prepare_database(settings)?;
    let catalog = Catalog::load(&settings.survey_dir, &mut conn, settings.clock.now())?;
    let survey = catalog
        .by_id(SURVEY)
        .ok_or_else(|| anyhow::anyhow!("survey {SURVEY} is missing or invalid"))?
        .clone();
    let mut rng = Rng::new(args.seed);
    let townships = db::townships::list(&mut conn)?;
    let prefix = format!("G{}S", args.seed % 10_000);
    let rows = demo_schools(&mut rng, &townships, args.schools, &prefix, "（模拟）")?;
    let now = settings.clock.now();
    let name = format!("模拟：{} 份回答（种子 {}）", args.responses, args.seed);
    let (round_id, schools) = school_round(&mut conn, &rows, (&prefix, &name), &survey, now)?;
    // Each (school, grade) draws responses in proportion to its enrolment times the school's
    // own response rate (20%–90%), so weighting has something to correct.
    let mut strata: Vec<(usize, u8, f64)> = Vec::new();
    for (i, s) in schools.iter().enumerate() {
        let rate = 0.2 + 0.7 * (rng.below(1000) as f64 / 1000.0);
        for (g, n) in db::schools::enrolment(&mut conn, s.id)? {
            strata.push((i, g as u8, f64::from(n) * rate));
        }
    }
    let total: f64 = strata.iter().map(|s| s.2).sum();
    let mut cumulative = Vec::with_capacity(strata.len());
    let mut acc = 0.0;
    for s in &strata {
        acc += s.2 / total;
        cumulative.push(acc);
    }
    let bar = super::progress_bar(args.responses as u64, "生成回答");
    let mut deltas = Deltas::default();
    let mut done = 0;
    let (started, mut inserting) = (std::time::Instant::now(), std::time::Duration::ZERO);
    while done < args.responses {
        let end = (done + CHUNK).min(args.responses);
        let mut rows = Vec::with_capacity(end - done);
        for i in done..end {
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let at = cumulative.partition_point(|c| *c < u).min(strata.len() - 1);
            let (si, grade, _) = strata[at];
            let school = &schools[si];
            let code = school.urban_rural_code;
            let answers = synthetic_answers(&mut rng, &survey.definition, code, Some(grade))?;
            let r = NewResponse {
                round_id,
                school_id: school.id,
                survey_hash: survey.hash.clone(),
                grade: answers.grade().map(i32::from),
                class_no: answers.class().map(i32::from),
                answers: answers.to_json(),
                idempotency_key: format!("gen-{round_id}-{i}"),
                access_code: None,
                submitted_at: now - chrono::Duration::seconds(rng.below(7 * 86_400) as i64),
                channel: db::responses::ONLINE,
                serial: None,
            };
            deltas.add(
                (round_id, school.id, r.grade),
                r.channel,
                &survey.definition,
                &answers,
            );
            rows.push(r);
        }
        let t = std::time::Instant::now();
        conn.transaction(|conn| db::responses::insert_counted_bulk(conn, &rows))?;
        inserting += t.elapsed();
        done = end;
        bar.set_position(done as u64);
    }
    bar.finish_and_clear();
    let counters = deltas.len();
    // The responses went in marked counted; their counters go in now. (An interrupted run
    // leaves responses without counters: `recount --round R` rebuilds them.)
    let t = std::time::Instant::now();
    conn.transaction(|conn| deltas.write(conn))?;
    let counting = t.elapsed();
    eprintln!(
        "timing: {} responses inserted in {:.1} s ({:.0} rows/s in the INSERTs), counters written in {:.1} s, {:.1} s in all",
        args.responses,
        inserting.as_secs_f64(),
        args.responses as f64 / inserting.as_secs_f64().max(1e-9),
        counting.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "模拟数据：第 {round_id} 轮，{} 所学校，{} 份回答，{counters} 个计数。",
        schools.len(),
        args.responses
    );
    Ok(ExitCode::SUCCESS)
}
