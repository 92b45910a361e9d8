//! One file per CLI subcommand; `run` dispatches and builds the settings.

mod analyze;
mod backup;
mod bench_baseline;
mod codes;
mod demo;
mod export;
mod generate;
mod import_plans;
mod import_schools;
mod import_survey;
mod ledger;
mod letters;
mod lint;
mod publish_round;
mod purge;
mod recount;
mod restore;
mod rounds;
mod scan;
mod scan_corpus;
mod serve;
mod slips;
mod unlock;

use std::process::ExitCode;

use crate::cli::{Cli, Command, ServeArgs};
use crate::config::Settings;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    crate::cli::init_tracing(settings.log.format);
    if let Some(url) = cli.database_url {
        settings.database_url = url;
    }
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => serve::run(settings, args),
        Command::Lint { files } => lint::run(&settings, &files),
        Command::ImportSchools { file, dry_run } => import_schools::run(&settings, &file, dry_run),
        Command::ImportSurvey { from, file, out } => {
            import_survey::run(&settings, from, &file, &out)
        }
        Command::Publish(args) => publish_round::run(&settings, &args),
        Command::Rounds => rounds::run(&settings),
        Command::Codes(args) => codes::run(&settings, &args),
        Command::Letters { round, out } => letters::run(&settings, round, &out),
        Command::Slips(args) => slips::run(&settings, &args),
        Command::Scan(args) => scan::run(settings, &args),
        Command::Export(args) => export::run(&settings, &args),
        Command::Demo(args) => demo::run(&settings, &args),
        Command::Analyze(args) => analyze::run(&settings, &args),
        Command::Recount { round } => recount::run(&settings, round),
        Command::Generate(args) => generate::run(&settings, &args),
        Command::ImportPlans { file, dry_run } => import_plans::run(&settings, &file, dry_run),
        Command::Backup { out } => backup::run(&settings, &out),
        Command::Restore { from } => restore::run(&settings, &from),
        Command::Purge => purge::run(&settings),
        Command::Unlock { email } => unlock::run(&settings, &email),
        Command::Ledger { month, out, send } => {
            ledger::run(&settings, month.as_deref(), out.as_deref(), send)
        }
        Command::BenchBaseline { port } => bench_baseline::run(port),
        Command::ScanCorpus(args) => scan_corpus::run(&args),
    }
}

/// A progress bar on stderr for long CLI jobs (hidden when not a terminal).
pub fn progress_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({elapsed})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}
