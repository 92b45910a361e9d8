//! The survey file exactly as written (serde structs with spans), before the linter checks it; kept apart so the checked types stay free of spans.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDefinition {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub kind: Spanned<String>,
    pub respondent: Option<Spanned<String>>,
    pub letter: Spanned<String>,
    pub consent: Spanned<String>,
    pub closing: Spanned<String>,
    #[serde(default)]
    pub sections: Vec<RawSection>,
    #[serde(default)]
    pub questions: Vec<RawQuestion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSection {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
}

/// All type-specific settings are optional here; the linter checks which ones a type allows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub help: Option<Spanned<String>>,
    pub required: Option<Spanned<bool>>,
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    pub show_if: Option<RawShowIf>,
    pub required_if: Option<RawShowIf>,
    pub show_at: Option<RawShowAt>,
    pub section: Option<Spanned<String>>,
    /// Printed on the paper reply slip (回执) too.
    pub paper: Option<Spanned<bool>>,
    /// Starts a new page with this title.
    pub page: Option<Spanned<String>>,
    pub options_from_answer: Option<Spanned<String>>,
    pub options: Option<Vec<RawOption>>,
    pub options_from_taxonomy: Option<Spanned<String>>,
    pub min: Option<Spanned<i64>>,
    pub max: Option<Spanned<i64>>,
    pub top: Option<Spanned<i64>>,
    pub low_label: Option<Spanned<String>>,
    pub high_label: Option<Spanned<String>>,
    pub unit: Option<Spanned<String>>,
    pub max_length: Option<Spanned<i64>>,
    pub grades: Option<Vec<Spanned<i64>>>,
    pub max_class: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawShowIf {
    pub question: Spanned<String>,
    pub any_of: Spanned<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawShowAt {
    pub area: Spanned<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOption {
    pub id: Spanned<String>,
    pub label: Spanned<String>,
    pub category: Option<Spanned<String>>,
    pub hint: Option<Spanned<String>>,
}

impl RawQuestion {
    /// `(field name, span start, types that accept it)` for every type-specific field present.
    pub fn type_specific_fields(&self) -> Vec<(&'static str, usize, &'static [&'static str])> {
        const CHOICE: &[&str] = &["single", "multi", "rank"];
        const MIN_MAX: &[&str] = &["multi", "number"];
        let mut out = Vec::new();
        let mut push = |name, start: Option<usize>, types| {
            if let Some(start) = start {
                out.push((name, start, types));
            }
        };
        push(
            "options",
            self.options
                .as_ref()
                .and_then(|o| o.first())
                .map(|o| o.id.span().start),
            CHOICE,
        );
        push(
            "options_from_taxonomy",
            self.options_from_taxonomy.as_ref().map(|s| s.span().start),
            CHOICE,
        );
        push(
            "options_from_answer",
            self.options_from_answer.as_ref().map(|s| s.span().start),
            CHOICE,
        );
        push("min", self.min.as_ref().map(|s| s.span().start), MIN_MAX);
        push("max", self.max.as_ref().map(|s| s.span().start), MIN_MAX);
        push("top", self.top.as_ref().map(|s| s.span().start), &["rank"]);
        push(
            "low_label",
            self.low_label.as_ref().map(|s| s.span().start),
            &["scale"],
        );
        push(
            "high_label",
            self.high_label.as_ref().map(|s| s.span().start),
            &["scale"],
        );
        push(
            "unit",
            self.unit.as_ref().map(|s| s.span().start),
            &["number"],
        );
        push(
            "max_length",
            self.max_length.as_ref().map(|s| s.span().start),
            &["text"],
        );
        push(
            "grades",
            self.grades
                .as_ref()
                .and_then(|g| g.first())
                .map(|g| g.span().start),
            &["grade"],
        );
        push(
            "max_class",
            self.max_class.as_ref().map(|s| s.span().start),
            &["class"],
        );
        out
    }
}

/// Question ids: non-empty `[A-Za-z0-9_-]+` (no dots: rank fields are `q.<id>.<pos>`).
pub(super) fn is_question_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Option ids: non-empty `[A-Za-z0-9_.-]+` (dots allowed so taxonomy ids can be option ids).
pub(super) fn is_option_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}
