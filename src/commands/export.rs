//! `export`: a round's raw responses as CSV (UTF-8 with BOM) or JSON, read
//! page by page so that a large round never sits in memory at once.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;

use crate::catalog::Catalog;
use crate::cli::{ExportArgs, ExportFormat};
use crate::config::Settings;
use crate::db;
use crate::publish::export::{json_record, CsvExport};
use crate::startup::prepare_database;

const PAGE: i64 = 5_000;

pub fn run(settings: &Settings, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let now = settings.clock.now();
    let mut conn = prepare_database(settings)?;
    let catalog = Catalog::load(&settings.survey_dir, &mut conn, settings.clock.now())?;
    let round = db::rounds::find(&mut conn, args.round)?
        .with_context(|| format!("no round {}", args.round))?;
    let def = catalog.version(&mut conn, &round.survey_hash)?;
    if def.respondent == crate::domain::survey::Respondent::Teacher && !args.teacher_rows {
        eprintln!(
            "“{}”是教师问卷：老师人数少、容易认出是谁，结果只按汇总呈现（见需求分析报告），默认不逐份导出。\n确需逐份导出（如上级要求存档），请加 --teacher-rows，并妥善保管导出的文件。",
            round.name
        );
        return Ok(ExitCode::FAILURE);
    }
    let total = db::responses::count_for(&mut conn, round.id, None)?;
    let file = std::fs::File::create(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let mut sink = BufWriter::new(file);
    let bar = super::progress_bar(total as u64, "导出");
    let mut after = 0;
    match args.format {
        ExportFormat::Csv => {
            let mut csv = CsvExport::start(&mut sink, &def, !args.unmasked)?;
            loop {
                let page = db::responses::page_for_round(&mut conn, round.id, after, PAGE)?;
                let Some((last, _)) = page.last() else { break };
                after = last.id;
                for (r, school) in &page {
                    csv.row(&def, r, school)?;
                }
                bar.inc(page.len() as u64);
            }
            csv.finish()?;
        }
        ExportFormat::Json => {
            sink.write_all(b"[")?;
            let mut first = true;
            loop {
                let page = db::responses::page_for_round(&mut conn, round.id, after, PAGE)?;
                let Some((last, _)) = page.last() else { break };
                after = last.id;
                for (r, school) in &page {
                    if !first {
                        sink.write_all(b",\n")?;
                    }
                    first = false;
                    serde_json::to_writer(
                        &mut sink,
                        &json_record(r, school, &round.survey_hash, !args.unmasked)?,
                    )?;
                }
                bar.inc(page.len() as u64);
            }
            sink.write_all(b"]\n")?;
        }
    }
    sink.flush()?;
    bar.finish_and_clear();
    let detail = format!(
        "round={} responses={total} masked={} file={}",
        round.id,
        !args.unmasked,
        args.out.display()
    );
    db::audit::record(&mut conn, None, "export_raw_cli", &detail, now)?;
    println!("已导出 {total} 份回答到 {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}
