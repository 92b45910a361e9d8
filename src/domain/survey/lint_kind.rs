//! Lints the type-specific part of a question (options, min/max, top, lengths, grades, classes) and builds its checked `QuestionKind`.

use std::collections::HashMap;

use toml::Spanned;

use super::definition::{
    ChoiceOption, QuestionKind, DEFAULT_MAX_CLASS, DEFAULT_TEXT_MAX_LENGTH, TEXT_MAX_LENGTH_LIMIT,
};
use super::lint::Linter;
use super::raw::{is_option_id, RawQuestion};
use super::Taxonomy;

/// Largest `max_class` a class question may declare.
const MAX_CLASS_LIMIT: i64 = 99;

/// Builds the question's kind, reporting every problem; `None` if the type is unknown or a
/// required setting is missing (other problems are reported but still yield a kind).
pub(super) fn question_kind(
    lx: &mut Linter<'_>,
    rq: &RawQuestion,
    taxonomy: &Taxonomy,
    inherited: Option<&[ChoiceOption]>,
) -> Option<QuestionKind> {
    let qid = rq.id.get_ref();
    let ty = rq.kind.get_ref().as_str();
    if !QuestionKind::TYPE_NAMES.contains(&ty) {
        lx.err(
            rq.kind.span().start,
            format!(
                "unknown question type \"{ty}\" in question \"{qid}\" (expected one of: {})",
                QuestionKind::TYPE_NAMES.join(", ")
            ),
        );
        return None;
    }
    for (field, at, types) in rq.type_specific_fields() {
        if !types.contains(&ty) {
            lx.err(
                at,
                format!("field `{field}` does not apply to question \"{qid}\" of type {ty} (only to: {})", types.join(", ")),
            );
        }
    }
    let int = |v: &Option<Spanned<i64>>| v.as_ref().map(|s| (*s.get_ref(), s.span().start));
    match ty {
        "single" | "multi" | "rank" => {
            let options = match inherited {
                Some(from) => from.to_vec(),
                None => options(lx, rq, taxonomy),
            };
            let n = options.len();
            let bad_reference = rq
                .options_from_taxonomy
                .as_ref()
                .is_some_and(|f| f.get_ref() != "*" && taxonomy.category(f.get_ref()).is_none());
            if n == 0 && !bad_reference {
                lx.err(
                    rq.kind.span().start,
                    format!("question \"{qid}\" of type {ty} has no options (add [[questions.options]] or options_from_taxonomy)"),
                );
            }
            match ty {
                "single" => Some(QuestionKind::Single { options }),
                "multi" => {
                    let min = int(&rq.min);
                    let max = int(&rq.max);
                    if let Some((m, at)) = min {
                        if m < 0 {
                            lx.err(at, format!("min ({m}) of question \"{qid}\" is negative"));
                        }
                    }
                    if let Some((m, at)) = max {
                        if m < 1 {
                            lx.err(
                                at,
                                format!("max ({m}) of question \"{qid}\" must be at least 1"),
                            );
                        } else if m as usize > n && n > 0 {
                            lx.err(at, format!("max ({m}) of question \"{qid}\" is above the number of options ({n})"));
                        }
                    }
                    if let (Some((lo, at)), Some((hi, _))) = (min, max) {
                        if lo > hi {
                            lx.err(
                                at,
                                format!("min ({lo}) of question \"{qid}\" is above max ({hi})"),
                            );
                        }
                    } else if let (Some((lo, at)), None) = (min, max) {
                        if lo as usize > n && n > 0 {
                            lx.err(at, format!("min ({lo}) of question \"{qid}\" is above the number of options ({n})"));
                        }
                    }
                    let min = min.map_or(0, |(m, _)| usize::try_from(m).unwrap_or(0));
                    let max = max.map_or(n, |(m, _)| usize::try_from(m).unwrap_or(0));
                    Some(QuestionKind::Multi { options, min, max })
                }
                _ => {
                    let Some((top, at)) = int(&rq.top) else {
                        lx.err(
                            rq.kind.span().start,
                            format!(
                                "rank question \"{qid}\" needs `top` (how many places to rank)"
                            ),
                        );
                        return None;
                    };
                    if top < 1 {
                        lx.err(
                            at,
                            format!("top ({top}) of question \"{qid}\" must be at least 1"),
                        );
                    } else if top as usize > n && n > 0 && inherited.is_none() {
                        lx.err(at, format!("top ({top}) of question \"{qid}\" is above the number of options ({n})"));
                    }
                    let top = usize::try_from(top).unwrap_or(0);
                    Some(QuestionKind::Rank { options, top })
                }
            }
        }
        "scale" => {
            for label in [&rq.low_label, &rq.high_label].into_iter().flatten() {
                lx.non_empty(label, &format!("scale label of question \"{qid}\""));
            }
            Some(QuestionKind::Scale {
                low_label: rq.low_label.as_ref().map(|l| l.get_ref().clone()),
                high_label: rq.high_label.as_ref().map(|l| l.get_ref().clone()),
            })
        }
        "number" => {
            let (Some((min, at)), Some((max, _))) = (int(&rq.min), int(&rq.max)) else {
                lx.err(
                    rq.kind.span().start,
                    format!("number question \"{qid}\" needs both `min` and `max`"),
                );
                return None;
            };
            if min > max {
                lx.err(
                    at,
                    format!("min ({min}) of question \"{qid}\" is above max ({max})"),
                );
            }
            if let Some(unit) = &rq.unit {
                lx.non_empty(unit, &format!("unit of question \"{qid}\""));
            }
            Some(QuestionKind::Number {
                min,
                max,
                unit: rq.unit.as_ref().map(|u| u.get_ref().clone()),
            })
        }
        "text" => {
            let max_length = match int(&rq.max_length) {
                None => DEFAULT_TEXT_MAX_LENGTH,
                Some((m, at)) => {
                    if m < 1 || m as usize > TEXT_MAX_LENGTH_LIMIT {
                        lx.err(at, format!("max_length ({m}) of question \"{qid}\" must be between 1 and {TEXT_MAX_LENGTH_LIMIT}"));
                    }
                    usize::try_from(m).unwrap_or(0)
                }
            };
            Some(QuestionKind::Text { max_length })
        }
        "grade" => {
            let grades = match &rq.grades {
                None => (1..=9).collect(),
                Some(list) => {
                    if list.is_empty() {
                        lx.err(
                            rq.kind.span().start,
                            format!("grades of question \"{qid}\" is empty"),
                        );
                    }
                    let mut out: Vec<u8> = Vec::new();
                    for g in list {
                        let v = *g.get_ref();
                        match u8::try_from(v).ok().filter(|v| (1..=9).contains(v)) {
                            None => lx.err(
                                g.span().start,
                                format!("grade {v} of question \"{qid}\" is not between 1 and 9"),
                            ),
                            Some(v) if out.contains(&v) => lx.err(
                                g.span().start,
                                format!("grade {v} of question \"{qid}\" is listed twice"),
                            ),
                            Some(v) => out.push(v),
                        }
                    }
                    out
                }
            };
            Some(QuestionKind::Grade { grades })
        }
        _ => {
            let max_class = match int(&rq.max_class) {
                None => DEFAULT_MAX_CLASS,
                Some((m, at)) => {
                    if !(1..=MAX_CLASS_LIMIT).contains(&m) {
                        lx.err(at, format!("max_class ({m}) of question \"{qid}\" must be between 1 and {MAX_CLASS_LIMIT}"));
                    }
                    u16::try_from(m).unwrap_or(0)
                }
            };
            Some(QuestionKind::Class { max_class })
        }
    }
}

/// Expands `options_from_taxonomy` then the explicit options, checking ids, labels and categories.
fn options(lx: &mut Linter<'_>, rq: &RawQuestion, taxonomy: &Taxonomy) -> Vec<ChoiceOption> {
    let qid = rq.id.get_ref();
    let mut out: Vec<ChoiceOption> = Vec::new();
    let mut first_at: HashMap<String, usize> = HashMap::new();
    if let Some(from) = &rq.options_from_taxonomy {
        let at = from.span().start;
        let name = from.get_ref().as_str();
        if name == "*" {
            for c in taxonomy {
                first_at.insert(c.id.clone(), at);
                out.push(ChoiceOption {
                    id: c.id.clone(),
                    label: c.name.clone(),
                    category: Some(c.id.clone()),
                    hint: c.description.clone(),
                });
            }
        } else if let Some(c) = taxonomy.category(name) {
            for s in &c.subcategories {
                first_at.insert(s.id.clone(), at);
                out.push(ChoiceOption {
                    id: s.id.clone(),
                    label: s.name.clone(),
                    category: Some(s.id.clone()),
                    hint: s.description.clone(),
                });
            }
        } else {
            lx.err(
                at,
                format!("options_from_taxonomy of question \"{qid}\": unknown category \"{name}\" (use a category id or \"*\")"),
            );
        }
    }
    for o in rq.options.iter().flatten() {
        let id = o.id.get_ref();
        let at = o.id.span().start;
        if !is_option_id(id) {
            lx.err(
                at,
                format!("option id \"{id}\" of question \"{qid}\" must be non-empty ASCII letters, digits, \"_\", \"-\" or \".\""),
            );
        }
        if let Some(&first) = first_at.get(id) {
            let line = lx.line_of(first);
            lx.err(
                at,
                format!("duplicate option id \"{id}\" in question \"{qid}\" (first defined at line {line})"),
            );
            continue;
        }
        first_at.insert(id.clone(), at);
        lx.non_empty(
            &o.label,
            &format!("label of option \"{id}\" in question \"{qid}\""),
        );
        if let Some(cat) = &o.category {
            if !taxonomy.contains(cat.get_ref()) {
                lx.err(
                    cat.span().start,
                    format!(
                        "unknown category \"{}\" (option \"{id}\" of question \"{qid}\")",
                        cat.get_ref()
                    ),
                );
            }
        }
        if let Some(hint) = &o.hint {
            lx.non_empty(
                hint,
                &format!("hint of option \"{id}\" in question \"{qid}\""),
            );
        }
        out.push(ChoiceOption {
            id: id.clone(),
            label: o.label.get_ref().clone(),
            category: o.category.as_ref().map(|c| c.get_ref().clone()),
            hint: o.hint.as_ref().map(|h| h.get_ref().clone()),
        });
    }
    out
}
