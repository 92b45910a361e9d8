//! Survey definitions, the shared course taxonomy and answer validation: the checked core every survey round, form and analysis builds on.
//!
//! * [`Taxonomy`] — the bureau's course-category taxonomy (`taxonomy.toml`), science first.
//! * [`parse_definition`] — parses and lints a survey definition (TOML), reporting every problem
//!   with `line:column`.
//! * [`FormInput`], [`is_visible`], [`validate`] — decode a submitted HTML form, apply display
//!   logic and validate it into [`Answers`], stored as compact JSON.
//!
//! The file format is documented in `docs/survey-format.md`.

mod answers;
mod definition;
mod form;
pub mod import;
mod lint;
mod lint_asked;
mod lint_kind;
mod lint_respondent;
mod paper;
mod raw;
mod school_rules;
mod steps;
mod taxonomy;
mod validate;

#[cfg(test)]
mod tests;

use sha2::{Digest, Sha256};

pub use answers::{categories_of, is_demand, AnswerValue, Answers, AnswersJsonError};
pub use definition::{
    class_label, grade_label, ChoiceOption, Question, QuestionKind, Respondent, Section, ShowAt,
    ShowIf, SurveyDefinition, SurveyKind, DEFAULT_MAX_CLASS, DEFAULT_TEXT_MAX_LENGTH, SCALE_MAX,
    SCALE_MIN, SCHOOL_PLACEHOLDER, TEXT_MAX_LENGTH_LIMIT,
};
pub use form::{FormInput, MalformedInput};
pub use lint::parse_definition;
pub use lint_asked::PAPER_NUMBER_MAX;
pub use lint_respondent::STUDENT_GRADES;
pub use paper::{boxes, condition, has_paper, paper_view};
pub use school_rules::{for_school, grade_not_taught, grades_at, validate_at};
pub use steps::{
    answered_by_code, errors_through, first_page, may_continue, next_page, page_asks,
    page_of_first, previous_page, Go, Step,
};
pub use taxonomy::{Category, SubCategory, Taxonomy};
pub use validate::{
    is_required, is_visible, offered, personal_info, validate, FieldErrors, PERSONAL_INFO,
};

/// One problem found in a taxonomy or survey definition file (1-based line and column;
/// the column counts characters, not bytes, so it matches what an editor shows for Chinese text).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LintError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl LintError {
    /// Builds an error located at byte offset `offset` of `src`.
    pub fn at(src: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_column(src, offset);
        LintError {
            line,
            column,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for LintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Formats errors as `file:line:column: message`, one per line (each line ends with `\n`).
pub fn format_lint(file: &str, errs: &[LintError]) -> String {
    errs.iter()
        .map(|e| format!("{file}:{}:{}: {}\n", e.line, e.column, e.message))
        .collect()
}

/// Lowercase hex SHA-256 of the exact bytes of a definition; a published round pins it.
pub fn content_hash(src: &str) -> String {
    hex::encode(Sha256::digest(src.as_bytes()))
}

/// 1-based (line, column) of a byte offset; the column counts characters.
/// Offsets past the end or inside a character are clamped to the nearest valid position before.
pub fn line_column(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Turns a TOML deserialisation error into a located lint error.
fn toml_error(src: &str, err: &toml::de::Error) -> LintError {
    let offset = err.span().map_or(0, |s| s.start);
    let message = err.message().trim().replace('\n', " ");
    LintError::at(src, offset, format!("TOML: {message}"))
}
