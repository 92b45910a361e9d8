//! Demand analysis: from the running answer counters to shares with intervals, raw
//! and enrolment-weighted, by school, grade, township, stage, urban/rural class and channel, with
//! small-cell suppression; and the exports, charts, plan gaps and targets built on them.
//!
//! polars runs on a thread of its own (see [`analyze`]): its `collect()` panics on actix's
//! current-thread workers, so handlers must never call the engine directly on one.

mod cells;
pub mod charts;
pub mod compare;
pub mod definitions;
pub mod engine;
pub mod export;
mod frames;
pub mod html;
mod html_compare;
mod html_notes;
pub mod inputs;
pub mod ledger;
pub mod low_rate;
pub mod model;
pub mod plans;
pub mod queue;
pub mod rectification;
pub mod stats;
pub mod suppress;
pub mod voices;
mod xlsx_notes;
mod xlsx_plans;

pub use inputs::{Inputs, NothingToAnalyze, Scope};
pub use model::{Base, Dim, MeanRow, Report, SchoolRate, ScoreRow, ShareRow};

use crate::db::versions::Versions;
use crate::db::DbConnection;

/// Cells with fewer respondents than this are suppressed in views above one school.
pub const DEFAULT_MIN_CELL: i64 = 10;

/// A school whose response rate is below this many percent is "low" unless
/// `[analysis] low_rate_percent` says otherwise.
pub const DEFAULT_LOW_RATE_PERCENT: f64 = 30.0;

/// Loads a round's counters for `scope` and computes its report (with the default low-rate
/// threshold). The database is read on the calling thread; polars runs on a fresh thread,
/// outside any async runtime.
pub fn analyze(
    conn: &mut DbConnection,
    versions: &Versions,
    round_id: i64,
    scope: Scope,
    min_cell: i64,
) -> anyhow::Result<Report> {
    let inputs = Inputs::load(conn, versions, round_id, scope)?;
    run(&inputs, min_cell, DEFAULT_LOW_RATE_PERCENT)
}

/// Computes the report of `inputs` off the async runtime, then flags what rests on a low
/// response rate (below `low_rate_percent`) or on more answers than pupils.
pub fn run(inputs: &Inputs, min_cell: i64, low_rate_percent: f64) -> anyhow::Result<Report> {
    let mut report = off_runtime(|| engine::compute(inputs, min_cell))?;
    low_rate::flag(&mut report, low_rate_percent);
    Ok(report)
}

/// Adds to `report` each share's change since round `earlier`, over the same scope.
pub fn add_changes(
    conn: &mut DbConnection,
    versions: &Versions,
    report: &mut Report,
    earlier: i64,
    scope: &Scope,
) -> anyhow::Result<()> {
    let before = analyze(conn, versions, earlier, scope.clone(), report.min_cell)?;
    report.changes = compare::compare(&before, report);
    Ok(())
}

/// Runs `f` on a scoped thread of its own, so polars never sees an async runtime's context.
pub fn off_runtime<T: Send>(f: impl FnOnce() -> anyhow::Result<T> + Send) -> anyhow::Result<T> {
    std::thread::scope(|s| {
        s.spawn(f)
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the analysis thread panicked")))
    })
}
