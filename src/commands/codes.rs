//! `codes`: per-student one-time codes for one school in one round, written
//! as a printable HTML file with one letter (and one QR code) per code.

use std::process::ExitCode;

use anyhow::Context;

use crate::catalog::Catalog;
use crate::cli::CodesArgs;
use crate::config::Settings;
use crate::db;
use crate::publish::letters::code_letters;
use crate::startup::prepare_database;
use crate::templates::Templates;

pub fn run(settings: &Settings, args: &CodesArgs) -> anyhow::Result<ExitCode> {
    let now = settings.clock.now();
    let mut conn = prepare_database(settings)?;
    let catalog = Catalog::load(&settings.survey_dir, &mut conn, settings.clock.now())?;
    let school = db::schools::find_by_code(&mut conn, &args.school)?
        .with_context(|| format!("unknown school code {}", args.school))?;
    let publication = db::rounds::publication(&mut conn, args.round, school.id)?
        .with_context(|| format!("school {} is not in round {}", args.school, args.round))?;
    let def = catalog.version(&mut conn, &publication.survey_hash)?;
    let codes = crate::app::codes::generate(
        &mut conn,
        args.round,
        school.id,
        &args.classes,
        args.per_class,
        None,
        now,
    )
    .map_err(|e| match e {
        crate::error::AppError::Unexpected(e) => e,
        other => anyhow::anyhow!("{}", other.user_message().1),
    })?;
    let classes: std::collections::BTreeSet<_> =
        codes.iter().map(|c| (c.grade, c.class_no)).collect();
    let html = code_letters(
        &Templates::new()?,
        &def,
        &school.name,
        &settings.public_base(),
        &codes,
    )?;
    std::fs::write(&args.out, html).with_context(|| format!("writing {}", args.out.display()))?;
    println!(
        "已生成 {} 个填写码（{} 个班，每班 {} 份），信件已写入 {}",
        codes.len(),
        classes.len(),
        args.per_class,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
