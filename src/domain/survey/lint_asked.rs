//! Lints what decides which questions a form asks, and when: optional sections, conditions on
//! the school, and options drawn from an earlier answer.

use std::collections::HashMap;

use super::definition::{Question, QuestionKind, Section, ShowAt};
use super::lint::Linter;
use super::raw::{is_question_id, RawDefinition, RawQuestion, RawShowAt};
use crate::domain::school::UrbanRural3;

/// The declared optional sections: ids unique and ASCII, titles non-empty.
pub(super) fn check_sections(lx: &mut Linter<'_>, raw: &RawDefinition) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for s in &raw.sections {
        let id = s.id.get_ref();
        if !is_question_id(id) {
            lx.err(
                s.id.span().start,
                format!(
                    "section id \"{id}\" must be non-empty ASCII letters, digits, \"_\" or \"-\""
                ),
            );
        } else if out.iter().any(|x| x.id == *id) {
            lx.err(s.id.span().start, format!("duplicate section id \"{id}\""));
            continue;
        }
        lx.non_empty(&s.title, &format!("title of section \"{id}\""));
        out.push(Section {
            id: id.clone(),
            title: s.title.get_ref().clone(),
        });
    }
    out
}

/// `show_at = { area = [...] }`: the school's urban-rural class, one of city, town, village.
pub(super) fn check_show_at(lx: &mut Linter<'_>, qid: &str, a: &RawShowAt) -> ShowAt {
    const AREAS: [UrbanRural3; 3] = [UrbanRural3::City, UrbanRural3::Town, UrbanRural3::Village];
    if a.area.get_ref().is_empty() {
        lx.err(
            a.area.span().start,
            format!("show_at area of question \"{qid}\" is empty"),
        );
    }
    let mut area = Vec::new();
    for v in a.area.get_ref() {
        match AREAS.iter().find(|x| x.key() == v.get_ref()) {
            Some(x) => area.push(*x),
            None => lx.err(
                v.span().start,
                format!(
                    "show_at area \"{}\" of question \"{qid}\" is not one of: city, town, village",
                    v.get_ref()
                ),
            ),
        }
    }
    ShowAt { area }
}

/// `options_from_answer`: an earlier multiple-choice question (on an earlier page, in a survey
/// with pages), and no options of the question's own. Returns the source's id and index.
pub(super) fn check_from_answer(
    lx: &mut Linter<'_>,
    rq: &RawQuestion,
    first_index: &HashMap<&str, usize>,
    built: &[Option<Question>],
    page_of: &[usize],
    paged: bool,
) -> Option<(String, usize)> {
    let from = rq.options_from_answer.as_ref()?;
    let (own, target, at) = (rq.id.get_ref(), from.get_ref(), from.span().start);
    if rq.options.is_some() || rq.options_from_taxonomy.is_some() {
        lx.err(
            at,
            format!("question \"{own}\" takes its options from \"{target}\"; remove its own options and options_from_taxonomy"),
        );
    }
    let Some(&t) = first_index
        .get(target.as_str())
        .filter(|t| **t < built.len())
    else {
        lx.err(
            at,
            format!("options_from_answer of question \"{own}\" must name an earlier question, not \"{target}\""),
        );
        return None;
    };
    let source = built.get(t).and_then(|q| q.as_ref())?;
    if !matches!(source.kind, QuestionKind::Multi { .. }) {
        lx.err(
            at,
            format!("options_from_answer of question \"{own}\" must name a multi question; \"{target}\" is {}", source.type_name()),
        );
        return None;
    }
    if paged && page_of.get(t) == page_of.last() {
        lx.err(
            at,
            format!("options_from_answer of question \"{own}\" names \"{target}\" on the same page; put the question on a later page"),
        );
    }
    Some((target.clone(), t))
}

/// A question outside an optional section must not depend on one inside it: with the section
/// off it would silently disappear.
pub(super) fn check_section_dependencies(
    lx: &mut Linter<'_>,
    raw: &[RawQuestion],
    built: &[Option<Question>],
) {
    let section_of = |id: &str| {
        built
            .iter()
            .flatten()
            .find(|q| q.id == id)
            .and_then(|q| q.section.clone())
    };
    for (rq, q) in raw.iter().zip(built) {
        let Some(q) = q else { continue };
        let deps = q
            .show_if
            .iter()
            .map(|s| s.question.as_str())
            .chain(q.options_from_answer.as_deref());
        for dep in deps {
            if let Some(sec) = section_of(dep).filter(|s| q.section.as_ref() != Some(s)) {
                lx.err(
                    rq.id.span().start,
                    format!("question \"{}\" depends on \"{dep}\" of optional section \"{sec}\" but is not in that section", q.id),
                );
            }
        }
    }
}

/// Largest number a paper slip asks for: four boxes to write digits in.
pub const PAPER_NUMBER_MAX: i64 = 9999;

/// `paper = true`: the question fits a printed slip (tick boxes, a grade or class, a short
/// number, or a few ruled lines of free text), and a condition on it names a question that is
/// on the slip too, or the slip could not say when to answer it.
pub(super) fn check_paper(lx: &mut Linter<'_>, raw: &[RawQuestion], built: &[Option<Question>]) {
    let on_paper = |id: &str| built.iter().flatten().any(|q| q.id == id && q.paper);
    for (rq, q) in raw.iter().zip(built) {
        let (Some(q), Some(flag)) = (q, &rq.paper) else {
            continue;
        };
        if !q.paper {
            continue;
        }
        let at = flag.span().start;
        let id = &q.id;
        let unfit = match &q.kind {
            QuestionKind::Rank { .. } => Some("a ranking cannot be ticked on paper".to_string()),
            QuestionKind::Number { min, max, .. } if *min < 0 || *max > PAPER_NUMBER_MAX => {
                Some(format!(
                    "a number on paper must lie within 0-{PAPER_NUMBER_MAX} (four digit boxes)"
                ))
            }
            _ if q.options_from_answer.is_some() => Some(
                "options_from_answer cannot be printed: the slip does not know the earlier answer"
                    .to_string(),
            ),
            _ => None,
        };
        if let Some(why) = unfit {
            lx.err(at, format!("question \"{id}\" cannot be on paper: {why}"));
        }
        for cond in q.show_if.iter().chain(&q.required_if) {
            if !on_paper(&cond.question) {
                lx.err(
                    at,
                    format!("question \"{id}\" is on paper but its condition refers to \"{}\", which is not; add paper = true to \"{}\"", cond.question, cond.question),
                );
            }
        }
    }
}
