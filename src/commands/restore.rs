//! `restore`: replace the SQLite database with a backup. The server must be
//! stopped first; a database still in use is refused, and the replaced one
//! is kept beside it.

use std::path::Path;
use std::process::ExitCode;

use crate::config::Settings;
use crate::db;

pub fn run(settings: &Settings, from: &Path) -> anyhow::Result<ExitCode> {
    if db::is_postgres_url(&settings.database_url) {
        eprintln!("{}", super::backup::PG_ADVICE);
        return Ok(ExitCode::FAILURE);
    }
    let (s, kept) = db::backup::restore(&settings.database_url, from, settings.clock.now())?;
    println!(
        "已恢复：{} ← {}（{} 份回答）",
        settings.database_url,
        from.display(),
        s.responses
    );
    if let Some(kept) = kept {
        println!("原数据库保留为 {}", kept.display());
    }
    println!("启动服务器时会自动应用新版本的数据库迁移。");
    Ok(ExitCode::SUCCESS)
}
