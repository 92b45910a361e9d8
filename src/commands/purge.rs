//! `purge`: delete the raw responses and one-time codes of rounds past their
//! retention date (the aggregate tables stay), and old rate-limit events.
//! The server does the same once a day; this runs it now.

use std::process::ExitCode;

use crate::catalog::Catalog;
use crate::config::Settings;
use crate::db;
use crate::startup::prepare_database;

pub fn run(settings: &Settings) -> anyhow::Result<ExitCode> {
    let mut conn = prepare_database(settings)?;
    let catalog = Catalog::load(&settings.survey_dir, &mut conn, settings.clock.now())?;
    let report = db::retention::purge_due(&mut conn, &catalog.versions(), settings.clock.now())?;
    if report.rounds.is_empty() {
        println!("没有超过保留期限的调查轮次。");
    }
    for (round, responses, codes) in &report.rounds {
        println!(
            "第 {round} 轮已过保留期限：删除原始回答 {responses} 份、填写码 {codes} 个；汇总统计保留。"
        );
    }
    println!("删除过期的限流记录 {} 条。", report.rate_events);
    Ok(ExitCode::SUCCESS)
}
