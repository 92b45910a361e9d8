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

/// Most letters one run makes (a large school's whole grade at 60 per class).
const MAX_CODES: usize = 20_000;

/// Parses "1:1-4,2:1-3" (grade:first-last or grade:class) into (grade, class) pairs.
pub fn parse_classes(spec: &str) -> anyhow::Result<Vec<(i32, i32)>> {
    let mut out = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (g, classes) = part
            .split_once(':')
            .with_context(|| format!("“{part}”: expected GRADE:FIRST-LAST, e.g. 3:1-4"))?;
        let grade: i32 = g
            .trim()
            .parse()
            .with_context(|| format!("grade in “{part}”"))?;
        anyhow::ensure!((1..=9).contains(&grade), "grade {grade} is not 1–9");
        let (a, b) = classes.split_once('-').unwrap_or((classes, classes));
        let first: i32 = a
            .trim()
            .parse()
            .with_context(|| format!("class in “{part}”"))?;
        let last: i32 = b
            .trim()
            .parse()
            .with_context(|| format!("class in “{part}”"))?;
        anyhow::ensure!(
            1 <= first && first <= last && last <= 99,
            "classes {first}-{last} are not within 1–99"
        );
        out.extend((first..=last).map(|c| (grade, c)));
    }
    anyhow::ensure!(!out.is_empty(), "no classes given");
    Ok(out)
}

pub fn run(settings: &Settings, args: &CodesArgs) -> anyhow::Result<ExitCode> {
    let classes = parse_classes(&args.classes)?;
    anyhow::ensure!(
        (1..=200).contains(&args.per_class),
        "--per-class must be 1–200"
    );
    anyhow::ensure!(
        classes.len() * args.per_class <= MAX_CODES,
        "at most {MAX_CODES} codes per run"
    );
    let mut conn = prepare_database(settings)?;
    let catalog = Catalog::load(&settings.survey_dir, &mut conn)?;
    let school = db::schools::find_by_code(&mut conn, &args.school)?
        .with_context(|| format!("unknown school code {}", args.school))?;
    let publication = db::rounds::publication(&mut conn, args.round, school.id)?
        .with_context(|| format!("school {} is not in round {}", args.school, args.round))?;
    let def = catalog.version(&mut conn, &publication.survey_hash)?;
    let codes = db::codes::generate(&mut conn, args.round, school.id, &classes, args.per_class)?;
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::parse_classes;

    #[test]
    fn class_specs() {
        assert_eq!(
            parse_classes("1:1-2, 3:4").unwrap(),
            vec![(1, 1), (1, 2), (3, 4)]
        );
        assert!(parse_classes("10:1").is_err());
        assert!(parse_classes("1:3-2").is_err());
        assert!(parse_classes("").is_err());
    }
}
