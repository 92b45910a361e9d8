//! `import-plans FILE`: school plans (一校一案) from XLSX, one row per activity. Every problem
//! is reported by row and column, and a file with any problem imports nothing; each imported
//! plan is stored as a new revision, earlier ones kept.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::catalog::load_taxonomy;
use crate::config::Settings;
use crate::db;
use crate::domain::plan;
use crate::startup::prepare_database;

pub fn run(settings: &Settings, file: &Path, dry_run: bool) -> anyhow::Result<ExitCode> {
    let now = settings.clock.now();
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let mut conn = prepare_database(settings)?;
    let taxonomy = load_taxonomy(&settings.survey_dir)?;
    let codes: Vec<String> = db::schools::list(&mut conn)?
        .into_iter()
        .map(|s| s.code)
        .collect();
    let plans = match plan::parse_xlsx(&bytes, &taxonomy, &codes) {
        Ok(p) => p,
        Err(errors) => {
            eprintln!(
                "{}：发现 {} 处问题，未导入任何方案。",
                file.display(),
                errors.errors().len()
            );
            for e in errors.errors() {
                eprintln!("  {e}");
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    let activities: usize = plans.iter().map(|p| p.activities.len()).sum();
    if dry_run {
        println!(
            "{}：{} 份方案，{activities} 项活动，检查通过（未写入）。",
            file.display(),
            plans.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let source = format!(
        "xlsx:{}",
        file.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    );
    db::plans::import(&mut conn, &plans, &source, now)?;
    println!("导入完成：{} 份方案，{activities} 项活动。", plans.len());
    Ok(ExitCode::SUCCESS)
}
