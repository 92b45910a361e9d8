//! `import-schools FILE`: import or update the roster from CSV or XLSX. Every
//! problem is reported by row and column, and a file with any problem
//! changes nothing.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::app::roster;
use crate::config::Settings;
use crate::error::AppError;
use crate::startup::prepare_database;

pub fn run(settings: &Settings, file: &Path, dry_run: bool) -> anyhow::Result<ExitCode> {
    let now = settings.clock.now();
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let mut conn = prepare_database(settings)?;
    let name = file.to_string_lossy();
    let rows = match roster::check(&mut conn, &name, &bytes) {
        Ok(rows) => rows,
        Err(AppError::Invalid(problems)) => {
            eprintln!(
                "{}：发现 {} 处问题，未导入任何学校。",
                file.display(),
                problems.fields.len()
            );
            for (_, e) in &problems.fields {
                eprintln!("  {e}");
            }
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(anyhow::anyhow!("{e:#}")),
    };
    if dry_run {
        println!(
            "{}：{} 所学校，检查通过（未写入）。",
            file.display(),
            rows.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let bar = super::progress_bar(rows.len() as u64, "导入学校");
    let summary = roster::import(&mut conn, &name, &rows, None, now, |n| {
        bar.set_position(n as u64)
    })
    .map_err(|e| anyhow::anyhow!("{e:#}"))?;
    bar.finish_and_clear();
    println!(
        "导入完成：新增 {} 所，更新 {} 所。 (created {}, updated {})",
        summary.created, summary.updated, summary.created, summary.updated
    );
    Ok(ExitCode::SUCCESS)
}
