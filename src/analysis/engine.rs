//! The engine: polars turns the counters into per-group sums (raw and post-stratified by
//! school × grade), then each group × measure becomes a row with its Wilson interval, effective
//! sample size and small-cell suppression.
//!
//! Weighting (the sums come from [`super::frames`]): a respondent in stratum h (a school's grade) weighs `N_h / n_h`, students enrolled
//! over families responding, so every stratum counts in proportion to its enrolment however
//! many of its families answered. A share among any base is `Σ w·k / Σ w·d`. Respondents
//! without a grade, or in a grade without enrolment, cannot be weighted: they count in the raw
//! figures only.

use std::collections::HashMap;

use super::cells::Cells;
use super::definitions::GRADE_MISMATCH;
use super::frames::group_sums;
use super::inputs::{Inputs, Scope};
use super::model::{measures, Base, Dim, MeanRow, Report, SchoolRate, ScoreRow, ShareRow, Text};
use super::plans;
use super::stats::{kish_n_eff, mean_of, wilson};
use crate::db::counter_columns::Items;
use crate::db::responses::{ONLINE, PAPER};
use crate::domain::school::{stage_of_grade, UrbanRuralCode};
use crate::domain::survey::{grade_label, QuestionKind};
use crate::domain::tally::{self, ANSWERED, CATEGORY};
use crate::publish::export::channel_label;

/// Sums of one group × question × value × base cell.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Sums {
    pub k: i64,
    pub kw: f64,
    pub kw2: f64,
}

/// `(group, question)` → `(value, k, Σ w·k)` of a scale or number question.
type NumericValues<'a> = HashMap<(&'a str, &'a str), Vec<(f64, i64, f64)>>;

/// Runs the analysis. Call it off async workers (see [`super::analyze`]).
pub fn compute(inputs: &Inputs, min_cell: i64) -> anyhow::Result<Report> {
    let single_school = matches!(inputs.scope, Scope::School(_));
    let started = std::time::Instant::now();
    let (by_dim, items) = group_sums(inputs)?;
    tracing::debug!(
        ms = started.elapsed().as_millis() as u64,
        "polars sums done"
    );
    let schools = school_rates(inputs, &by_dim[&Dim::School], &items);
    let mut report = Report {
        round_id: inputs.round.id,
        round_name: inputs.round.name.clone(),
        survey_title: inputs.definition.title.clone(),
        respondent: inputs.definition.respondent,
        scope: inputs.scope_label(),
        single_school,
        min_cell,
        // The caller's threshold replaces it (`analysis::run`).
        low_rate_percent: super::DEFAULT_LOW_RATE_PERCENT,
        old_counting_rule: inputs.round.tally_version < crate::domain::tally::VERSION,
        old_rule_purged: inputs.round.purged_at.is_some(),
        schools,
        shares: Vec::new(),
        scores: Vec::new(),
        means: Vec::new(),
        gaps: Vec::new(),
        targets: None,
        changes: Vec::new(),
        voices: Vec::new(),
    };
    let measures = measures(&inputs.definition, &inputs.taxonomy);
    // Each measure's denominator and numerator items, looked up once for every group, and its
    // texts, shared by every group's row.
    let measure_items: Vec<(Option<u32>, Option<u32>)> = measures
        .iter()
        .map(|m| {
            (
                items.code(&m.question, ANSWERED),
                items.code(&m.question, &m.value),
            )
        })
        .collect();
    let measure_texts: Vec<[Text; 3]> = measures
        .iter()
        .map(|m| [&m.question, &m.value, &m.label].map(|t| Text::from(t.as_str())))
        .collect();
    let teachers = inputs.definition.respondent == crate::domain::survey::Respondent::Teacher;
    for dim in Dim::ALL {
        if single_school && matches!(dim, Dim::Township | Dim::Urban2 | Dim::Urban3) {
            continue;
        }
        let cells = &by_dim[&dim];
        // Values of scale and number questions per (group, question), gathered in one pass.
        let numeric: std::collections::HashSet<&str> = inputs
            .definition
            .questions
            .iter()
            .filter(|q| {
                matches!(
                    q.kind,
                    QuestionKind::Scale { .. } | QuestionKind::Number { .. }
                )
            })
            .map(|q| q.id.as_str())
            .collect();
        let mut values: NumericValues = HashMap::new();
        for (g, item, b, s) in cells.iter() {
            let Some((q, v)) = items.get(item) else {
                continue;
            };
            if numeric.contains(q) && !v.is_empty() && b == Base::Answered {
                if let Ok(x) = v.parse::<f64>() {
                    values.entry((g, q)).or_default().push((x, s.k, s.kw));
                }
            }
        }
        // Teachers are few at a school and easy to tell apart: a figure of fewer than
        // TEACHER_MIN_CELL of them is hidden, in the school's own report too.
        let few = |n: i64| teachers && (1..super::suppress::TEACHER_MIN_CELL).contains(&n);
        let suppress = |n: i64| (!single_school && n < min_cell) || few(n);
        for (group, group_label) in groups(inputs, dim, cells) {
            let den = |q: &str, b: Base| cells.get(&items, &group, q, ANSWERED, b);
            let num = |q: &str, v: &str, b: Base| cells.get(&items, &group, q, v, b);
            let g = cells.group(&group);
            let (group_text, label_text) =
                (Text::from(group.as_str()), Text::from(group_label.as_str()));
            let per_measure = measure_items.iter().zip(&measure_texts);
            for (m, ((den_item, num_item), [question, value, label])) in
                measures.iter().zip(per_measure)
            {
                let d = cells.get_coded(g, *den_item, m.base);
                let k = cells.get_coded(g, *num_item, m.base);
                let hidden = suppress(d.k) || few(k.k);
                let n_eff = kish_n_eff(d.kw, d.kw2);
                report.shares.push(ShareRow {
                    dim,
                    group: group_text.clone(),
                    group_label: label_text.clone(),
                    question: question.clone(),
                    value: value.clone(),
                    label: label.clone(),
                    base: m.base,
                    n: d.k,
                    k: (!hidden).then_some(k.k),
                    raw: (!hidden)
                        .then(|| super::stats::wilson_counts(k.k, d.k))
                        .flatten(),
                    weighted: (!hidden && d.kw > 0.0)
                        .then(|| wilson(k.kw / d.kw, n_eff))
                        .flatten(),
                    n_eff,
                    suppressed: hidden,
                });
            }
            for q in &inputs.definition.questions {
                match &q.kind {
                    QuestionKind::Rank { options, top } => {
                        let d = den(&q.id, Base::Answered);
                        let hidden = suppress(d.k);
                        for o in options {
                            let (mut pts, mut wpts, mut first) = (0.0, 0.0, 0);
                            for r in 1..=*top {
                                let c = num(&q.id, &tally::rank_value(&o.id, r), Base::Answered);
                                let p = (top + 1 - r) as f64;
                                pts += p * c.k as f64;
                                wpts += p * c.kw;
                                if r == 1 {
                                    first = c.k;
                                }
                            }
                            let ok = !hidden && d.k > 0;
                            report.scores.push(ScoreRow {
                                dim,
                                group: group.clone(),
                                group_label: group_label.clone(),
                                question: q.id.clone(),
                                value: o.id.clone(),
                                label: o.label.clone(),
                                n: d.k,
                                score: ok.then(|| pts / d.k as f64),
                                weighted_score: (ok && d.kw > 0.0).then(|| wpts / d.kw),
                                first: ok.then(|| first as f64 / d.k as f64),
                                suppressed: hidden,
                            });
                        }
                    }
                    QuestionKind::Scale { .. } | QuestionKind::Number { .. } => {
                        let d = den(&q.id, Base::Answered);
                        let hidden = suppress(d.k);
                        let seen = values
                            .get(&(group.as_str(), q.id.as_str()))
                            .map_or(&[][..], |v| v.as_slice());
                        let raw: Vec<(f64, f64)> =
                            seen.iter().map(|(x, k, _)| (*x, *k as f64)).collect();
                        let wtd: Vec<(f64, f64)> =
                            seen.iter().map(|(x, _, kw)| (*x, *kw)).collect();
                        report.means.push(MeanRow {
                            dim,
                            group: group.clone(),
                            group_label: group_label.clone(),
                            question: q.id.clone(),
                            title: q.title.clone(),
                            n: d.k,
                            raw: (!hidden).then(|| mean_of(&raw, d.k as f64)).flatten(),
                            weighted: (!hidden)
                                .then(|| mean_of(&wtd, kish_n_eff(d.kw, d.kw2)))
                                .flatten(),
                            suppressed: hidden,
                        });
                    }
                    _ => {}
                }
            }
        }
    }
    if teachers {
        let single_choice: std::collections::HashSet<&str> = inputs
            .definition
            .questions
            .iter()
            .filter(|q| matches!(q.kind, QuestionKind::Single { .. }))
            .map(|q| q.id.as_str())
            .collect();
        super::suppress::within_choices(&mut report.shares, &single_choice);
    }
    super::suppress::secondary(&mut report);
    tracing::debug!(ms = started.elapsed().as_millis() as u64, "rows built");
    report.gaps = plans::gaps(
        &report.shares,
        &report.schools,
        &inputs.plans,
        plans::GapRules::default(),
    );
    if !single_school {
        report.targets = Some(plans::targets(&report.schools, &inputs.plans));
    }
    Ok(report)
}

/// The groups of a dimension, in report order, with their labels. Every school of the scope is
/// listed, responses or not.
fn groups(inputs: &Inputs, dim: Dim, cells: &Cells) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |key: String, label: String| {
        if !out.iter().any(|(k, _)| *k == key) {
            out.push((key, label));
        }
    };
    match dim {
        Dim::Total => add("all".into(), inputs.scope_label()),
        Dim::Township => inputs
            .schools
            .iter()
            .for_each(|s| add(s.township.clone(), s.township.clone())),
        Dim::School => inputs
            .schools
            .iter()
            .for_each(|s| add(s.id.to_string(), format!("{}（{}）", s.name, s.code))),
        Dim::Urban2 | Dim::Urban3 => {
            let mut keys: Vec<(u8, &'static str)> = inputs
                .schools
                .iter()
                .filter_map(|s| urban(s.urban_rural_code))
                .map(|u| match dim {
                    Dim::Urban2 => (u.two_way() as u8, u.two_way().label()),
                    _ => (u.three_way() as u8, u.three_way().label()),
                })
                .collect();
            keys.sort();
            keys.into_iter()
                .for_each(|(_, l)| add(l.to_string(), l.to_string()));
        }
        // The channels someone answered by, online first.
        Dim::Channel => [ONLINE, PAPER]
            .into_iter()
            .filter(|c| cells.group(c).is_some())
            .for_each(|c| add(c.to_string(), channel_label(c).to_string())),
        Dim::Stage | Dim::Grade => {
            let mut grades: Vec<i32> = inputs.enrolment.keys().map(|(_, g)| *g).collect();
            grades.extend(cells.groups().iter().filter_map(|g| match dim {
                Dim::Grade => g.parse::<i32>().ok(),
                _ => None,
            }));
            grades.sort_unstable();
            grades.dedup();
            for g in grades {
                if dim == Dim::Grade {
                    add(g.to_string(), grade_name(g));
                } else {
                    let l = stage_name(g);
                    add(l.to_string(), l.to_string());
                }
            }
            if dim == Dim::Stage && cells.groups().iter().any(|g| g == NO_GRADE) {
                add(NO_GRADE.into(), NO_GRADE.into());
            }
            // Responses in a grade their school has no pupils in: a row of their own.
            if cells.groups().iter().any(|g| g == GRADE_MISMATCH) {
                add(GRADE_MISMATCH.into(), GRADE_MISMATCH.into());
            }
        }
    }
    out
}

pub(super) const NO_GRADE: &str = "未填年级";

fn grade_name(g: i32) -> String {
    u8::try_from(g)
        .ok()
        .map(grade_label)
        .filter(|l| !l.is_empty())
        .map_or_else(|| NO_GRADE.to_string(), str::to_string)
}

pub(super) fn stage_name(g: i32) -> &'static str {
    u8::try_from(g)
        .ok()
        .and_then(stage_of_grade)
        .map_or(NO_GRADE, |s| s.label())
}

/// The stage group of a grade group: 年级不符 stays itself (its grades are not the school's).
pub(super) fn stage_of_group(group: &str) -> &'static str {
    if group == GRADE_MISMATCH {
        GRADE_MISMATCH
    } else {
        group.parse::<i32>().map_or(NO_GRADE, stage_name)
    }
}

pub(super) fn urban(code: i32) -> Option<UrbanRuralCode> {
    u16::try_from(code)
        .ok()
        .and_then(|c| UrbanRuralCode::new(c).ok())
}

fn school_rates(inputs: &Inputs, by_school: &Cells, items: &Items) -> Vec<SchoolRate> {
    inputs
        .schools
        .iter()
        .map(|s| {
            let enrolment: i64 = inputs
                .enrolment
                .iter()
                .filter(|((id, _), _)| *id == s.id)
                .map(|(_, n)| n)
                .sum();
            let respondents = by_school
                .get(items, &s.id.to_string(), CATEGORY, ANSWERED, Base::All)
                .k;
            SchoolRate::new(
                (s.id, &s.code, &s.name, &s.township),
                &s.level,
                s.urban_rural_code,
                enrolment,
                respondents,
            )
        })
        .collect()
}
