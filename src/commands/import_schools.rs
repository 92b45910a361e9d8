//! `import-schools FILE`: import or update the roster from CSV or XLSX. Every
//! problem is reported by row and column, and a file with any problem
//! changes nothing.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::Settings;
use crate::db;
use crate::domain::school::roster;
use crate::startup::prepare_database;

pub fn run(settings: &Settings, file: &Path, dry_run: bool) -> anyhow::Result<ExitCode> {
    let now = settings.clock.now();
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let mut conn = prepare_database(settings)?;
    let townships: Vec<String> = db::townships::list(&mut conn)?
        .into_iter()
        .map(|t| t.name)
        .collect();
    let name = file.to_string_lossy();
    let rows = match roster::parse_file(&name, &bytes, &townships) {
        Ok(rows) => rows,
        Err(errors) => {
            eprintln!(
                "{}：发现 {} 处问题，未导入任何学校。",
                file.display(),
                errors.errors().len()
            );
            for e in errors.errors() {
                eprintln!("  {e}");
            }
            return Ok(ExitCode::FAILURE);
        }
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
    let summary =
        db::schools::import_roster(&mut conn, &rows, now, |n| bar.set_position(n as u64))?;
    bar.finish_and_clear();
    println!(
        "导入完成：新增 {} 所，更新 {} 所。 (created {}, updated {})",
        summary.created, summary.updated, summary.created, summary.updated
    );
    Ok(ExitCode::SUCCESS)
}
