//! `publish`: create a round of a survey for a set of schools, pinning the
//! survey's exact version, and print each school's link.

use std::process::ExitCode;

use anyhow::Context;

use crate::app::rounds::{self, PublishRound, Scope};
use crate::catalog::{lint_file, Catalog};
use crate::cli::PublishArgs;
use crate::config::Settings;
use crate::db;
use crate::domain::survey::{content_hash, format_lint};
use crate::domain::time::{parse_local, DayEdge};
use crate::error::AppError;
use crate::publish::school_url;
use crate::startup::prepare_database;

pub fn run(settings: &Settings, args: &PublishArgs) -> anyhow::Result<ExitCode> {
    let now = settings.clock.now();
    let mut conn = prepare_database(settings)?;
    let catalog = Catalog::load(&settings.survey_dir, &mut conn, settings.clock.now())?;
    let path = std::path::Path::new(&args.survey);
    let sections_of = |d: &crate::domain::survey::SurveyDefinition| -> Vec<(String, String)> {
        d.sections
            .iter()
            .map(|s| (s.id.clone(), s.title.clone()))
            .collect()
    };
    let (hash, def_id, survey_sections) = if path.is_file() {
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
        let sections = sections_of(&def);
        (hash, def.id, sections)
    } else {
        let f = catalog
            .surveys()
            .by_id(&mut conn, &args.survey)?
            .with_context(|| format!("no valid survey with id or file “{}”", args.survey))?;
        (
            f.hash.clone(),
            f.definition.id.clone(),
            sections_of(&f.definition),
        )
    };
    let parse = |s: &Option<String>, edge, flag: &str| {
        s.as_deref()
            .map(|v| parse_local(v, edge).with_context(|| format!("{flag} {v}")))
            .transpose()
    };
    let surveys = catalog.surveys();
    let mut companion = |id: &Option<String>| -> anyhow::Result<Option<rounds::CompanionSurvey>> {
        id.as_ref()
            .map(|id| {
                surveys
                    .by_id(&mut conn, id)?
                    .as_ref()
                    .map(rounds::CompanionSurvey::of)
                    .with_context(|| format!("no valid survey with id “{id}”"))
            })
            .transpose()
    };
    let asked = PublishRound {
        name: args.name.clone(),
        survey: Some((hash.clone(), def_id.clone())),
        opens: parse(&args.opens, DayEdge::Start, "--opens")?,
        closes: parse(&Some(args.closes.clone()), DayEdge::End, "--closes")?,
        retain_until: parse(&args.retain_until, DayEdge::End, "--retain-until")?,
        scope: if args.schools.is_empty() {
            Scope::All
        } else {
            Scope::Codes(args.schools.clone())
        },
        codes_required: args.codes_required,
        sections: args.sections.clone(),
        survey_sections,
        student_survey: companion(&args.student_survey)?,
        teacher_survey: companion(&args.teacher_survey)?,
        supplement_max: args.supplement_max,
    };
    let published = match rounds::publish(&mut conn, &asked, None, now) {
        Ok(p) => p,
        Err(AppError::Invalid(e)) => {
            eprintln!("无法发布：{e}");
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(anyhow::anyhow!("{e:#}")),
    };
    let (round_id, retain_until) = (published.id, published.retain_until);
    println!(
        "原始回答保留至 {}，之后只保留汇总统计。",
        crate::domain::time::to_local(retain_until).format("%Y-%m-%d")
    );
    println!(
        "已发布第 {round_id} 轮“{}”（问卷 {def_id}，版本 {}），共 {} 所学校：",
        args.name,
        &hash[..12],
        published.schools
    );
    let base = settings.public_base();
    for p in rounds::publications(&mut conn, round_id)? {
        println!(
            "  {}\t{}\t{}",
            p.school_code,
            p.school_name,
            school_url(&base, &p.slug)
        );
    }
    Ok(ExitCode::SUCCESS)
}
