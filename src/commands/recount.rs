//! `recount`: recomputes a round's answer counters from its raw responses (after a bulk load,
//! or to check that the counters kept at ingest agree with the data).

use std::process::ExitCode;

use crate::catalog::Catalog;
use crate::config::Settings;
use crate::db;
use crate::startup::prepare_database;

pub fn run(settings: &Settings, round_id: i64) -> anyhow::Result<ExitCode> {
    let mut conn = prepare_database(settings)?;
    let catalog = Catalog::load(&settings.survey_dir, &mut conn, settings.clock.now())?;
    let Some(round) = db::rounds::find(&mut conn, round_id)? else {
        anyhow::bail!("第 {round_id} 轮不存在");
    };
    // After the retention purge the counters are all that is left of a
    // round; rebuilding them from no raw responses would wipe them.
    if round.purged_at.is_some() {
        anyhow::bail!("第 {round_id} 轮的原始回答已按保留期限删除，只剩汇总计数，不能重新计数");
    }
    let total = db::responses::count_for(&mut conn, round_id, None)?;
    let bar = super::progress_bar(total as u64, "重新计数");
    let done = db::counts::rebuild(&mut conn, round_id, &catalog.versions(), |n| {
        bar.set_position(n as u64)
    })?;
    bar.finish_and_clear();
    println!(
        "第 {round_id} 轮：{} 份回答，{} 个计数。",
        done.responses, done.counters
    );
    Ok(ExitCode::SUCCESS)
}
