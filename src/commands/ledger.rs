//! `ledger`: the monthly ledger (台账月报告) as XLSX, and/or e-mailed now to the configured
//! bureau addresses (the server sends last month's by itself on the first working day).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::Settings;
use crate::db;
use crate::domain::month::Month;
use crate::email::{ledger, Mailer};
use crate::startup::prepare_database;

pub fn run(
    settings: &Settings,
    month: Option<&str>,
    out: Option<&Path>,
    send: bool,
) -> anyhow::Result<ExitCode> {
    let month = match month {
        Some(m) => Month::parse(m).map_err(|e| anyhow::anyhow!(e))?,
        None => Month::containing(settings.clock.now()).previous(),
    };
    drop(prepare_database(settings)?);
    let pool = db::build_pool(&settings.database_url, 2)?;
    if let Some(path) = out {
        let (l, bytes) = ledger::build(&pool, month, settings.analysis.low_rate_percent)?;
        std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?;
        println!(
            "{}：{} 个调查轮次，{} 所学校 → {}",
            month.label(),
            l.rounds.len(),
            l.schools.len(),
            path.display()
        );
    }
    if send {
        let to = ledger::recipients(&settings.email.ledger_recipients)?;
        if to.is_empty() {
            anyhow::bail!("没有配置接收邮箱：在 config.toml 的 [email] 中设置 ledger_recipients");
        }
        let mailer = Mailer::from_settings(&settings.email)?;
        let sent = actix_web::rt::System::new().block_on(ledger::send(
            &pool,
            &mailer,
            &to,
            month,
            settings.analysis.low_rate_percent,
        ))?;
        println!(
            "{}的台账月报告已发送给 {} 个邮箱。",
            month.label(),
            sent.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
