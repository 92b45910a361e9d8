//! `rounds`: list rounds and their schools' links.

use std::process::ExitCode;

use crate::config::Settings;
use crate::db;
use crate::domain::time::to_local;
use crate::publish::school_url;
use crate::startup::prepare_database;

pub fn run(settings: &Settings) -> anyhow::Result<ExitCode> {
    let mut conn = prepare_database(settings)?;
    let base = settings.public_base();
    for r in db::rounds::list(&mut conn)? {
        let n = db::responses::count_for(&mut conn, r.id, None)?;
        println!(
            "第 {} 轮  {}  {} — {}  回收 {} 份",
            r.id,
            r.name,
            to_local(r.opens_at).format("%Y-%m-%d %H:%M"),
            crate::domain::time::closing_label(r.closes_at),
            n
        );
        for p in db::rounds::publications(&mut conn, r.id)? {
            println!(
                "    {}\t{}\t{}",
                p.school_code,
                p.school_name,
                school_url(&base, &p.slug)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
