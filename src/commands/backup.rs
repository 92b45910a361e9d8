//! `backup`: a consistent copy of the running SQLite database (the server
//! may keep taking submissions). PostgreSQL: prints the pg_dump procedure.

use std::path::Path;
use std::process::ExitCode;

use crate::config::Settings;
use crate::db;

/// The PostgreSQL procedure, printed instead of a backup.
pub const PG_ADVICE: &str = "\
DATABASE_URL is PostgreSQL: back it up and restore it with PostgreSQL's own tools.
  backup (online, consistent):  pg_dump --format=custom --file=survey.dump \"$DATABASE_URL\"
  restore: stop the server, then
    dropdb survey && createdb survey
    pg_restore --no-owner --dbname=\"$DATABASE_URL\" survey.dump
  and start the server again.
PostgreSQL 数据库请用 pg_dump 备份、pg_restore 恢复（恢复前先停止服务器）。";

pub fn run(settings: &Settings, out: &Path) -> anyhow::Result<ExitCode> {
    if db::is_postgres_url(&settings.database_url) {
        eprintln!("{PG_ADVICE}");
        return Ok(ExitCode::FAILURE);
    }
    let started = std::time::Instant::now();
    let s = db::backup::backup(&settings.database_url, out)?;
    println!(
        "备份完成：{}（{} 份回答，{} 字节，{:.1} 秒，完整性检查通过）",
        out.display(),
        s.responses,
        s.bytes,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
