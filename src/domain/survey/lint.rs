//! Parses a survey definition file and lints it, collecting every problem with its line and column so an editor of the file can fix them all in one go.

use std::collections::HashMap;

use toml::Spanned;

use super::definition::{Question, QuestionKind, ShowIf, SurveyDefinition, SurveyKind};
use super::lint_asked::{
    check_from_answer, check_paper, check_section_dependencies, check_sections, check_show_at,
};
use super::lint_respondent;
use super::raw::{is_question_id, RawDefinition, RawQuestion, RawShowIf};
use super::{line_column, lint_kind, toml_error, LintError, Taxonomy, SCHOOL_PLACEHOLDER};

/// Collects lint errors against one source text.
pub(super) struct Linter<'s> {
    pub src: &'s str,
    pub errs: Vec<LintError>,
}

impl<'s> Linter<'s> {
    pub fn err(&mut self, offset: usize, message: impl Into<String>) {
        self.errs.push(LintError::at(self.src, offset, message));
    }

    pub fn line_of(&self, offset: usize) -> usize {
        line_column(self.src, offset).0
    }

    /// Reports an empty (after trimming) string field.
    pub fn non_empty(&mut self, field: &Spanned<String>, what: &str) {
        if field.get_ref().trim().is_empty() {
            self.err(field.span().start, format!("{what} is empty"));
        }
    }

    /// Reports any `{{...}}` other than the school placeholder.
    fn placeholders(&mut self, field: &Spanned<String>, what: &str) {
        let text = field.get_ref();
        let mut rest = text.as_str();
        while let Some(start) = rest.find("{{") {
            let after = &rest[start..];
            let end = after.find("}}").map_or(after.len(), |e| e + 2);
            let found = &after[..end];
            if found != SCHOOL_PLACEHOLDER {
                // Point at the placeholder in the source when it is written literally there.
                let span = field.span();
                let raw = self.src.get(span.clone()).unwrap_or("");
                let offset = raw.find(found).map_or(span.start, |i| span.start + i);
                self.err(
                    offset,
                    format!("unknown placeholder \"{found}\" in {what} (the only placeholder is \"{SCHOOL_PLACEHOLDER}\")"),
                );
            }
            rest = &after[end..];
        }
    }
}

/// Parses and lints a survey definition against the taxonomy; returns every problem found.
pub fn parse_definition(
    src: &str,
    taxonomy: &Taxonomy,
) -> Result<SurveyDefinition, Vec<LintError>> {
    let raw: RawDefinition = toml::from_str(src).map_err(|e| vec![toml_error(src, &e)])?;
    let mut lx = Linter {
        src,
        errs: Vec::new(),
    };

    if !is_question_id(raw.id.get_ref()) {
        lx.err(
            raw.id.span().start,
            format!(
                "survey id \"{}\" must be non-empty ASCII letters, digits, \"_\" or \"-\"",
                raw.id.get_ref()
            ),
        );
    }
    lx.non_empty(&raw.title, "survey title");
    let kind = SurveyKind::parse(raw.kind.get_ref());
    if kind.is_none() {
        let allowed: Vec<&str> = SurveyKind::ALL.iter().map(|(n, _)| *n).collect();
        lx.err(
            raw.kind.span().start,
            format!(
                "unknown survey kind \"{}\" (expected one of: {})",
                raw.kind.get_ref(),
                allowed.join(", ")
            ),
        );
    }
    let respondent = lint_respondent::respondent(&mut lx, &raw);
    for (field, what) in [
        (&raw.letter, "letter"),
        (&raw.consent, "consent"),
        (&raw.closing, "closing"),
    ] {
        lx.non_empty(field, what);
        lx.placeholders(field, what);
    }
    if raw.questions.is_empty() {
        lx.err(0, "survey has no questions (add [[questions]] tables)");
    }

    // First definition of each question id, for "later" / "duplicate" diagnostics.
    let mut first_index: HashMap<&str, usize> = HashMap::new();
    for (i, q) in raw.questions.iter().enumerate() {
        first_index.entry(q.id.get_ref().as_str()).or_insert(i);
    }

    let sections = check_sections(&mut lx, &raw);
    let paged = raw.questions.iter().any(|q| q.page.is_some());
    if let Some(first) = raw.questions.first().filter(|q| paged && q.page.is_none()) {
        lx.err(
            first.id.span().start,
            "the first question must start a page (`page = \"…\"`) when any question does",
        );
    }
    let mut pages: Vec<String> = Vec::new();
    let mut page_of: Vec<usize> = Vec::with_capacity(raw.questions.len());
    let mut built: Vec<Option<Question>> = Vec::with_capacity(raw.questions.len());
    for (i, rq) in raw.questions.iter().enumerate() {
        if let Some(title) = &rq.page {
            lx.non_empty(
                title,
                &format!("page title at question \"{}\"", rq.id.get_ref()),
            );
            pages.push(title.get_ref().clone());
        }
        let page = pages.len().saturating_sub(1);
        page_of.push(page);
        let id = rq.id.get_ref();
        if !is_question_id(id) {
            lx.err(
                rq.id.span().start,
                format!(
                    "question id \"{id}\" must be non-empty ASCII letters, digits, \"_\" or \"-\""
                ),
            );
        }
        if let Some(&first) = first_index.get(id.as_str()) {
            if first != i {
                let line = lx.line_of(raw.questions[first].id.span().start);
                lx.err(
                    rq.id.span().start,
                    format!("duplicate question id \"{id}\" (first defined at line {line})"),
                );
            }
        }
        lx.non_empty(&rq.title, &format!("title of question \"{id}\""));
        if let Some(help) = &rq.help {
            lx.non_empty(help, &format!("help of question \"{id}\""));
        }
        let show_if = rq
            .show_if
            .as_ref()
            .and_then(|s| check_show_if(&mut lx, rq, i, s, &raw.questions, &first_index, &built));
        if let Some(target) = show_if
            .as_ref()
            .and_then(|s| first_index.get(s.question.as_str()))
        {
            if paged && page_of.get(*target) == Some(&page) {
                lx.err(
                    rq.show_if.as_ref().map_or(0, |s| s.question.span().start),
                    format!("show_if of question \"{id}\" refers to a question on the same page; in a survey with pages a follow-up goes on a later page, so that it arrives as the next step"),
                );
            }
        }
        let required_if = rq
            .required_if
            .as_ref()
            .and_then(|s| check_show_if(&mut lx, rq, i, s, &raw.questions, &first_index, &built));
        if let (Some(r), false) = (
            &rq.required_if,
            rq.required.as_ref().is_none_or(|r| *r.get_ref()),
        ) {
            lx.err(
                r.question.span().start,
                format!("question \"{id}\" has required_if but required = false"),
            );
        }
        let from_answer = check_from_answer(&mut lx, rq, &first_index, &built, &page_of, paged);
        let inherited = from_answer
            .as_ref()
            .and_then(|(_, t)| built.get(*t).and_then(|q| q.as_ref()).map(|q| q.options()));
        let kind = lint_kind::question_kind(&mut lx, rq, taxonomy, inherited);
        let section = rq.section.as_ref().map(|s| {
            if !sections.iter().any(|x| x.id == *s.get_ref()) {
                lx.err(
                    s.span().start,
                    format!(
                        "section \"{}\" of question \"{id}\" is not declared in [[sections]]",
                        s.get_ref()
                    ),
                );
            }
            s.get_ref().clone()
        });
        let show_at = rq.show_at.as_ref().map(|a| check_show_at(&mut lx, id, a));
        built.push(kind.map(|kind| Question {
            id: id.clone(),
            title: rq.title.get_ref().clone(),
            help: rq.help.as_ref().map(|h| h.get_ref().clone()),
            required: rq.required.as_ref().is_none_or(|r| *r.get_ref()),
            kind,
            show_if,
            required_if,
            show_at,
            section,
            page,
            options_from_answer: from_answer.map(|(q, _)| q),
            paper: rq.paper.as_ref().is_some_and(|p| *p.get_ref()),
        }));
    }
    check_section_dependencies(&mut lx, &raw.questions, &built);
    check_paper(&mut lx, &raw.questions, &built);
    if let Some(r) = respondent {
        lint_respondent::check(&mut lx, &raw, r, &built);
    }

    match (kind, respondent, lx.errs.is_empty()) {
        (Some(kind), Some(respondent), true) => Ok(SurveyDefinition {
            id: raw.id.into_inner(),
            title: raw.title.into_inner(),
            kind,
            respondent,
            letter: raw.letter.into_inner(),
            consent: raw.consent.into_inner(),
            closing: raw.closing.into_inner(),
            questions: built.into_iter().flatten().collect(),
            pages,
            sections,
        }),
        _ => {
            let mut errs = lx.errs;
            errs.sort_by_key(|e| (e.line, e.column));
            Err(errs)
        }
    }
}

/// Checks a `show_if` of question `i`; returns it when it refers to an earlier question.
fn check_show_if(
    lx: &mut Linter<'_>,
    rq: &RawQuestion,
    i: usize,
    s: &RawShowIf,
    all: &[RawQuestion],
    first_index: &HashMap<&str, usize>,
    built: &[Option<Question>],
) -> Option<ShowIf> {
    let target = s.question.get_ref();
    let at = s.question.span().start;
    let own = rq.id.get_ref();
    let Some(&t) = first_index.get(target.as_str()) else {
        lx.err(
            at,
            format!("show_if of question \"{own}\" refers to unknown question \"{target}\""),
        );
        return None;
    };
    if t == i || target == own {
        lx.err(
            at,
            format!("show_if of question \"{own}\" refers to itself"),
        );
        return None;
    }
    if t > i {
        let line = lx.line_of(all[t].id.span().start);
        lx.err(
            at,
            format!("show_if of question \"{own}\" refers to question \"{target}\" defined later (line {line}); conditions may only refer to earlier questions"),
        );
        return None;
    }
    if s.any_of.get_ref().is_empty() {
        lx.err(s.any_of.span().start, "show_if any_of is empty");
    }
    if let Some(Some(tq)) = built.get(t) {
        if matches!(
            tq.kind,
            QuestionKind::Number { .. } | QuestionKind::Text { .. }
        ) {
            lx.err(
                at,
                format!(
                    "show_if cannot refer to question \"{target}\" of type {}",
                    tq.type_name()
                ),
            );
            return None;
        }
        for v in s.any_of.get_ref() {
            if let Some(problem) = show_if_value_problem(tq, v.get_ref()) {
                lx.err(v.span().start, problem);
            }
        }
    }
    Some(ShowIf {
        question: target.clone(),
        any_of: s
            .any_of
            .get_ref()
            .iter()
            .map(|v| v.get_ref().clone())
            .collect(),
    })
}

/// Why `value` can never be an answer of `target`, if it cannot.
fn show_if_value_problem(target: &Question, value: &str) -> Option<String> {
    let tid = &target.id;
    let in_range = |lo: i64, hi: i64| value.parse::<i64>().is_ok_and(|n| (lo..=hi).contains(&n));
    match &target.kind {
        QuestionKind::Single { .. } | QuestionKind::Multi { .. } | QuestionKind::Rank { .. } => {
            (target.option(value).is_none()).then(|| {
                format!("show_if value \"{value}\" is not an option of question \"{tid}\"")
            })
        }
        QuestionKind::Scale { .. } => (!in_range(1, 5)).then(|| {
            format!("show_if value \"{value}\" is not a scale value 1-5 of question \"{tid}\"")
        }),
        QuestionKind::Grade { grades } => (!value.parse::<u8>().is_ok_and(|g| grades.contains(&g)))
            .then(|| {
                format!("show_if value \"{value}\" is not an allowed grade of question \"{tid}\"")
            }),
        QuestionKind::Class { max_class } => (!in_range(1, i64::from(*max_class))).then(|| {
            format!("show_if value \"{value}\" is not a class 1-{max_class} of question \"{tid}\"")
        }),
        QuestionKind::Number { .. } | QuestionKind::Text { .. } => None,
    }
}
