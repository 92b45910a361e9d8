//! The linter's findings placed on the editor page: each beside the field of the question its
//! line was written from, the rest at the top, all in Chinese.

use super::words::in_chinese;
use super::write::Written;
use crate::domain::survey::LintError;

/// Problems by where the page shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    /// About the survey as a whole, or a general field: `(field, message)`; field may be empty.
    pub survey: Vec<(String, String)>,
    /// Per question (by position): `(field, message)`; field empty for the question as a whole.
    pub questions: Vec<Vec<(String, String)>>,
}

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.survey.is_empty() && self.questions.iter().all(Vec::is_empty)
    }

    /// The messages beside one field of the survey.
    pub fn of_survey(&self, field: &str) -> Vec<String> {
        self.survey
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
            .collect()
    }

    /// The messages beside one field of question `i`.
    pub fn of_question(&self, i: usize, field: &str) -> Vec<String> {
        self.questions
            .get(i)
            .map(|v| {
                v.iter()
                    .filter(|(f, _)| f == field)
                    .map(|(_, m)| m.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many problems in all.
    pub fn count(&self) -> usize {
        self.survey.len() + self.questions.iter().map(Vec::len).sum::<usize>()
    }
}

/// Places each lint error by the origin of its line in the written text.
pub fn problems(written: &Written, errs: &[LintError], questions: usize) -> Problems {
    let mut out = Problems {
        survey: Vec::new(),
        questions: vec![Vec::new(); questions],
    };
    for e in errs {
        let message = in_chinese(&e.message);
        match written.origin(e.line) {
            (Some(i), field) if i < questions => {
                out.questions[i].push((field.to_string(), message));
            }
            (_, field) => out.survey.push((field.to_string(), message)),
        }
    }
    out
}
