//! `publish`: create a round of a survey for a set of schools, pinning the
//! survey's exact version, and print each school's link.

use std::process::ExitCode;

use anyhow::Context;

use crate::catalog::{lint_file, Catalog};
use crate::cli::PublishArgs;
use crate::config::Settings;
use crate::db;
use crate::domain::survey::{content_hash, format_lint};
use crate::domain::time::{parse_local, DayEdge};
use crate::publish::school_url;
use crate::startup::prepare_database;

pub fn run(settings: &Settings, args: &PublishArgs) -> anyhow::Result<ExitCode> {
    let now = settings.clock.now();
    let mut conn = prepare_database(settings)?;
    let catalog = Catalog::load(&settings.survey_dir, &mut conn, settings.clock.now())?;
    let path = std::path::Path::new(&args.survey);
    let (hash, def_id) = if path.is_file() {
        let linted = lint_file(path, catalog.taxonomy())?;
        let def = match linted.result {
            Ok(def) => def,
            Err(errs) => {
                eprint!("{}", format_lint(&args.survey, &errs));
                return Ok(ExitCode::FAILURE);
            }
        };
        let hash = content_hash(&linted.source);
        db::surveys::store(&mut conn, &hash, &def.id, &def.title, &linted.source, now)?;
        (hash, def.id)
    } else {
        let f = catalog
            .by_id(&args.survey)
            .with_context(|| format!("no valid survey with id or file “{}”", args.survey))?;
        (f.hash.clone(), f.definition.id.clone())
    };
    let opens = match &args.opens {
        Some(s) => parse_local(s, DayEdge::Start).with_context(|| format!("--opens {s}"))?,
        None => now,
    };
    let closes = parse_local(&args.closes, DayEdge::End)
        .with_context(|| format!("--closes {}", args.closes))?;
    anyhow::ensure!(closes > opens, "the round must close after it opens");
    let retain_until = match &args.retain_until {
        Some(s) => parse_local(s, DayEdge::End).with_context(|| format!("--retain-until {s}"))?,
        None => db::rounds::default_retention(closes),
    };
    anyhow::ensure!(
        retain_until >= closes,
        "--retain-until must not be before the round closes"
    );
    let school_ids = select_schools(&mut conn, &args.schools)?;
    anyhow::ensure!(
        !school_ids.is_empty(),
        "no schools: import the roster first"
    );
    let round_id = db::rounds::create_retained(
        &mut conn,
        &db::rounds::NewRound {
            name: &args.name,
            survey_hash: &hash,
            opens_at: opens,
            closes_at: closes,
            school_ids: &school_ids,
        },
        retain_until,
        now,
    )?;
    println!(
        "原始回答保留至 {}，之后只保留汇总统计。",
        crate::domain::time::to_local(retain_until).format("%Y-%m-%d")
    );
    println!(
        "已发布第 {round_id} 轮“{}”（问卷 {def_id}，版本 {}），共 {} 所学校：",
        args.name,
        &hash[..12],
        school_ids.len()
    );
    let base = settings.public_base();
    for p in db::rounds::publications(&mut conn, round_id)? {
        println!(
            "  {}\t{}\t{}",
            p.school_code,
            p.school_name,
            school_url(&base, &p.slug)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn select_schools(conn: &mut db::DbConnection, codes: &[String]) -> anyhow::Result<Vec<i64>> {
    if codes.is_empty() {
        return Ok(db::schools::list(conn)?.into_iter().map(|s| s.id).collect());
    }
    codes
        .iter()
        .map(|c| {
            db::schools::find_by_code(conn, c.trim())?
                .map(|s| s.id)
                .with_context(|| format!("unknown school code {c}"))
        })
        .collect()
}
