//! The survey editor's model: a survey as the fields of a web form, read from a definition's
//! TOML and written back to TOML that the same linter checks, with each line of the written
//! text traced to the question and field it came from, so a problem shows beside its field.

mod diff;
mod model;
mod problems;
mod words;
mod write;

#[cfg(test)]
mod tests;

pub use diff::{line_diff, DiffLine};
pub use model::{EditQuestion, EditSurvey, QUESTION_FIELDS, QUESTION_TYPES, SURVEY_FIELDS};
pub use problems::{problems, Problems};
pub use words::in_chinese;
pub use write::{to_toml, Written};
