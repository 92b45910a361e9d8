//! `demo` (and `serve --demo`): a few dozen schools across the townships and a
//! published round with synthetic responses, so every page has data to show.
//! Answers are generated per question type and checked by the same validator
//! as a parent's, so the demo never holds data a parent could not have sent.

use std::process::ExitCode;

use diesel::Connection;

use crate::catalog::Catalog;
use crate::cli::DemoArgs;
use crate::config::Settings;
use crate::db::{self, responses::NewResponse};
use crate::domain::school::{RosterRow, SchoolCode, SchoolLevel, UrbanRuralCode};
use crate::domain::survey::{
    for_school, is_required, is_visible, offered, validate, FormInput, QuestionKind,
    SurveyDefinition,
};
use crate::domain::token::random_token;
use crate::startup::prepare_database;

/// The survey a demo round uses.
const DEMO_SURVEY: &str = "after-school-needs";

/// SplitMix64: a small deterministic generator, so a seed gives the same demo.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

pub fn run(settings: &Settings, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    seed(settings, args)?;
    Ok(ExitCode::SUCCESS)
}

/// Seeds the default demo unless the database already has schools.
pub fn seed_if_empty(settings: &Settings) -> anyhow::Result<()> {
    let mut conn = prepare_database(settings)?;
    if !db::schools::list(&mut conn)?.is_empty() {
        tracing::info!("database already has schools; demo data not added");
        return Ok(());
    }
    seed(
        settings,
        &DemoArgs {
            schools: 40,
            responses: 3000,
            seed: 2026,
        },
    )
}

fn seed(settings: &Settings, args: &DemoArgs) -> anyhow::Result<()> {
    let mut conn = prepare_database(settings)?;
    let catalog = Catalog::load(&settings.survey_dir, &mut conn, settings.clock.now())?;
    let survey = catalog
        .by_id(DEMO_SURVEY)
        .ok_or_else(|| anyhow::anyhow!("survey {DEMO_SURVEY} is missing or invalid"))?
        .clone();
    let mut rng = Rng::new(args.seed);
    let townships = db::townships::list(&mut conn)?;
    let rows = demo_schools(&mut rng, &townships, args.schools, "DEMO", "（演示）")?;
    let now = settings.clock.now();
    let (round_id, schools) = school_round(
        &mut conn,
        &rows,
        ("DEMO", "演示：课后服务需求调查"),
        &survey,
        now,
    )?;
    let bar = super::progress_bar(args.responses as u64, "生成演示回答");
    conn.transaction(|conn| -> anyhow::Result<()> {
        for i in 0..args.responses {
            let school = &schools[rng.below(schools.len())];
            // A grade the school teaches, as a parent of one of its pupils would answer.
            let grades: Vec<u8> = SchoolLevel::from_db_code(&school.level)
                .map_or_else(|| (1..=9).collect(), |l| l.grades().collect());
            let grade = grades[rng.below(grades.len())];
            let code = school.urban_rural_code;
            let answers = synthetic_answers(&mut rng, &survey.definition, code, Some(grade))?;
            let when = now - chrono::Duration::minutes(rng.below(7 * 24 * 60) as i64);
            db::responses::insert(
                conn,
                &NewResponse {
                    round_id,
                    school_id: school.id,
                    survey_hash: survey.hash.clone(),
                    grade: answers.grade().map(i32::from),
                    class_no: answers.class().map(i32::from),
                    answers: serde_json::to_string(&answers)?,
                    idempotency_key: random_token(26),
                    access_code: None,
                    submitted_at: when,
                    channel: db::responses::ONLINE,
                    serial: None,
                },
            )?;
            if i % 100 == 0 {
                bar.set_position(i as u64);
            }
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    db::counts::rebuild(&mut conn, round_id, &catalog.versions(), |_| {})?;
    println!(
        "演示数据：{} 所学校，第 {round_id} 轮，{} 份回答。",
        schools.len(),
        args.responses
    );
    Ok(())
}

/// `n` schools spread over the townships, coded `{prefix}0001`…, names ending in `suffix`.
/// Imports generated schools (codes starting with `prefix`) and publishes one round of
/// `survey` to them, asking all its optional sections, open from a week before `now` for a
/// month.
pub fn school_round(
    conn: &mut db::DbConnection,
    rows: &[RosterRow],
    (prefix, name): (&str, &str),
    survey: &crate::catalog::SurveyFile,
    now: chrono::NaiveDateTime,
) -> anyhow::Result<(i64, Vec<db::schools::School>)> {
    let survey_hash = &survey.hash;
    let sections: Vec<&str> = survey
        .definition
        .sections
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    let sections = sections.join(",");
    db::schools::import_roster(conn, rows, now, |_| {})?;
    let schools: Vec<_> = db::schools::list(conn)?
        .into_iter()
        .filter(|s| s.code.starts_with(prefix))
        .collect();
    let round_id = db::rounds::create(
        conn,
        &db::rounds::NewRound {
            name,
            survey_hash,
            opens_at: now - chrono::Duration::days(7),
            closes_at: crate::domain::time::end_of_day_after(now, 30),
            school_ids: &schools.iter().map(|s| s.id).collect::<Vec<_>>(),
            codes_required: false,
            sections: &sections,
            supplement_max: 3,
        },
        now,
    )?;
    Ok((round_id, schools))
}

pub fn demo_schools(
    rng: &mut Rng,
    townships: &[db::townships::Township],
    n: usize,
    prefix: &str,
    suffix: &str,
) -> anyhow::Result<Vec<RosterRow>> {
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let t = &townships[i % townships.len()];
        let street = t.kind == "街道";
        let level = match rng.below(10) {
            0..=6 => SchoolLevel::Primary,
            7 | 8 => SchoolLevel::JuniorMiddle,
            _ => SchoolLevel::NineYear,
        };
        let code: u16 = if street {
            [111, 111, 112][rng.below(3)]
        } else {
            [121, 122, 123, 210, 220][rng.below(5)]
        };
        let mut enrolment = [0u32; 9];
        let size = if street { 180 } else { 70 };
        for g in level.grades() {
            enrolment[usize::from(g) - 1] = (size / 2 + rng.below(size)) as u32;
        }
        let kind = match level {
            SchoolLevel::Primary => "中心小学",
            SchoolLevel::JuniorMiddle => "中学",
            SchoolLevel::NineYear => "学校",
        };
        rows.push(RosterRow {
            code: SchoolCode::parse(&format!("{prefix}{:04}", i + 1))
                .map_err(|e| anyhow::anyhow!("{e}"))?,
            name: format!("{}第{}{}{suffix}", t.name, i / townships.len() + 1, kind),
            township: t.name.clone(),
            level,
            urban_rural: UrbanRuralCode::new(code).map_err(|e| anyhow::anyhow!("{e:?}"))?,
            enrolment,
            email: None,
        });
    }
    Ok(rows)
}

/// One family's answers at a school with urban-rural code `code`, in a round that asks the
/// survey's optional sections: each question asked there answered (optional ones sometimes
/// skipped), urban families leaning towards science; `grade`, when given, answers the grade
/// question (a child of that school's grades).
pub fn synthetic_answers(
    rng: &mut Rng,
    def: &SurveyDefinition,
    code: i32,
    grade: Option<u8>,
) -> anyhow::Result<crate::domain::survey::Answers> {
    let area = UrbanRuralCode::new(u16::try_from(code).unwrap_or(0))
        .ok()
        .map(|c| c.three_way());
    let urban = area == Some(crate::domain::school::UrbanRural3::City);
    let sections: Vec<&str> = def.sections.iter().map(|s| s.id.as_str()).collect();
    let def = &for_school(def, area, &sections);
    let mut pairs: Vec<(String, String)> = Vec::new();
    for q in &def.questions {
        let input =
            FormInput::from_pairs(def, pairs.clone()).map_err(|e| anyhow::anyhow!("{e}"))?;
        if !is_visible(def, &q.id, &input) || (!is_required(q, &input) && rng.chance(0.5)) {
            continue;
        }
        let field = format!("q.{}", q.id);
        let offered = offered(def, q, &input);
        let opts: Vec<&crate::domain::survey::ChoiceOption> = offered;
        match &q.kind {
            QuestionKind::Single { .. } => {
                // The first option is usually the affirmative one; favour it.
                let i = if rng.chance(0.6) {
                    0
                } else {
                    rng.below(opts.len())
                };
                pairs.push((field, opts[i].id.clone()));
            }
            QuestionKind::Multi { min, max, .. } => {
                let mut chosen: Vec<&str> = opts
                    .iter()
                    .filter(|o| {
                        let sci = o
                            .category
                            .as_deref()
                            .is_some_and(|c| c.starts_with("science"));
                        rng.chance(if sci && urban { 0.55 } else { 0.3 })
                    })
                    .map(|o| o.id.as_str())
                    .take(*max)
                    .collect();
                while chosen.len() < (*min).max(1) {
                    let o = opts[rng.below(opts.len())].id.as_str();
                    if !chosen.contains(&o) {
                        chosen.push(o);
                    }
                }
                pairs.extend(chosen.into_iter().map(|o| (field.clone(), o.to_string())));
            }
            QuestionKind::Rank { top, .. } => {
                let mut ids: Vec<&str> = opts.iter().map(|o| o.id.as_str()).collect();
                for pos in 1..=(*top).min(ids.len()) {
                    let o = ids.remove(rng.below(ids.len()));
                    pairs.push((format!("{field}.{pos}"), o.to_string()));
                }
            }
            QuestionKind::Scale { .. } => pairs.push((field, (2 + rng.below(4)).to_string())),
            QuestionKind::Number { min, max, .. } => {
                let span = (max - min).max(0) as usize + 1;
                pairs.push((field, (min + rng.below(span) as i64).to_string()));
            }
            QuestionKind::Text { .. } => {
                pairs.push((field, "希望增加更多科学实验和体育活动。".into()))
            }
            QuestionKind::Grade { grades } => pairs.push((
                field,
                grade
                    .filter(|g| grades.contains(g))
                    .unwrap_or_else(|| grades[rng.below(grades.len())])
                    .to_string(),
            )),
            QuestionKind::Class { max_class } => pairs.push((
                field,
                (1 + rng.below(usize::from(*max_class).min(8))).to_string(),
            )),
        }
    }
    let input = FormInput::from_pairs(def, pairs).map_err(|e| anyhow::anyhow!("{e}"))?;
    validate(def, &input).map_err(|e| {
        anyhow::anyhow!(
            "synthetic answers failed validation: {:?}",
            e.iter().collect::<Vec<_>>()
        )
    })
}
