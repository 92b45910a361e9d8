//! `letters`: write each school's printable letter and QR codes to a folder,
//! for a bureau that sends them out by e-mail or USB stick.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::catalog::Catalog;
use crate::config::Settings;
use crate::db;
use crate::publish::{letters::school_letter, qr, school_url};
use crate::startup::prepare_database;
use crate::templates::Templates;

pub fn run(settings: &Settings, round: i64, out: &Path) -> anyhow::Result<ExitCode> {
    let mut conn = prepare_database(settings)?;
    let catalog = Catalog::load(&settings.survey_dir, &mut conn, settings.clock.now())?;
    let r = db::rounds::find(&mut conn, round)?.with_context(|| format!("no round {round}"))?;
    let def = catalog.version(&mut conn, &r.survey_hash)?;
    let templates = Templates::new()?;
    let base = settings.public_base();
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let pubs = db::rounds::publications(&mut conn, round)?;
    let bar = super::progress_bar(pubs.len() as u64, "生成信件");
    for p in &pubs {
        let url = school_url(&base, &p.slug);
        let stem = out.join(&p.school_code);
        let html = school_letter(&templates, &def, &p.school_name, &base, &p.slug)?;
        std::fs::write(stem.with_extension("letter.html"), html)?;
        std::fs::write(stem.with_extension("qr.svg"), qr::svg(&url)?)?;
        std::fs::write(stem.with_extension("qr.png"), qr::png(&url, 600)?)?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!(
        "已为 {} 所学校写入信件和二维码：{}",
        pubs.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
