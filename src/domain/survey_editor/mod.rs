//! The survey editor's model: a survey as the fields of a web form, read from a definition's
//! TOML and written back to TOML that the same linter checks, with each line of the written
//! text traced to the question and field it came from, so a problem shows beside its field.

mod model;
mod problems;
mod words;
mod write;

#[cfg(test)]
mod tests;

pub use model::{EditQuestion, EditSurvey, QUESTION_TYPES};
pub use problems::{problems, Problems};
pub use write::{to_toml, Written};
