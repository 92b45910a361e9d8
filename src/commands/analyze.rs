//! `analyze`: a round's demand analysis for the city, a township or one school, written as
//! XLSX, CSV, Parquet or JSON. Prints the time each stage took on stderr.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use crate::analysis::{self, export, Inputs, Scope};
use crate::catalog::Catalog;
use crate::cli::AnalyzeArgs;
use crate::config::Settings;
use crate::startup::prepare_database;

pub fn run(settings: &Settings, args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut conn = prepare_database(settings)?;
    let catalog = Catalog::load(&settings.survey_dir, &mut conn, settings.clock.now())?;
    let scope = match (&args.school, &args.township) {
        (Some(code), _) => Scope::School(code.clone()),
        (None, Some(t)) => Scope::Township(t.clone()),
        (None, None) => Scope::City,
    };
    let bar = super::progress_bar(3, "分析");
    bar.set_message("读取计数");
    let t = Instant::now();
    let inputs = Inputs::load(&mut conn, &catalog.versions(), args.round, scope)?;
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    bar.inc(1);
    bar.set_message("计算");
    let t = Instant::now();
    let low_rate = settings.analysis.low_rate_percent;
    let mut report = analysis::run(&inputs, args.min_cell, low_rate)?;
    if let Some(earlier) = args.compare_to {
        analysis::add_changes(
            &mut conn,
            &catalog.versions(),
            &mut report,
            earlier,
            &inputs.scope,
        )?;
    }
    let compute_ms = t.elapsed().as_secs_f64() * 1e3;
    bar.inc(1);
    bar.set_message("写出");
    let t = Instant::now();
    let titles = export::titles(&inputs.definition);
    let bytes = export::render(&report, &titles, args.format)?;
    std::fs::write(&args.out, bytes).with_context(|| format!("writing {}", args.out.display()))?;
    let write_ms = t.elapsed().as_secs_f64() * 1e3;
    bar.finish_and_clear();
    println!(
        "{}：{} 所学校，{} 份回答，{} 行比例 → {}",
        report.scope,
        report.schools.len(),
        report.schools.iter().map(|s| s.respondents).sum::<i64>(),
        report.shares.len(),
        args.out.display()
    );
    eprintln!(
        "timing: counters {} rows read in {load_ms:.0} ms, computed in {compute_ms:.0} ms, written in {write_ms:.0} ms, total {:.0} ms",
        inputs.counts.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    Ok(ExitCode::SUCCESS)
}
