//! What the form already knows of the student: a one-time code carries the grade and class it
//! was made for, and a computer-room session the class its teacher opened it for. Those
//! questions are left out of the form, and their answers come from here instead of the client.

use super::class_sessions;
use super::submission::{AccessCode, Link};
use crate::domain::survey::{answered_by_code, Question, QuestionKind, SurveyDefinition};
use crate::state::AppState;

/// The grade and class the form need not ask.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Known {
    pub grade: Option<i32>,
    pub class_no: Option<i32>,
}

impl Known {
    pub fn of_code(code: Option<&AccessCode>) -> Known {
        code.map_or_else(Known::default, |c| Known {
            grade: c.grade,
            class_no: c.class_no,
        })
    }
}

/// What a code, or else a computer-room session of this link's school and round, tells. A
/// session code that is unknown or belongs elsewhere tells nothing (its answer is refused when
/// it is stored).
pub async fn known(
    state: &AppState,
    link: &Link,
    code: Option<&AccessCode>,
    session: Option<&str>,
) -> Known {
    if code.is_some() {
        return Known::of_code(code);
    }
    let Some(session) = session else {
        return Known::default();
    };
    let p = &link.publication;
    match class_sessions::find(state, session).await {
        Ok(v) if (v.session.round_id, v.session.school_id) == (p.round_id, p.school_id) => Known {
            grade: Some(v.session.grade),
            class_no: Some(v.session.class_no),
        },
        _ => Known::default(),
    }
}

/// Questions the form leaves out because their answers are known.
pub fn left_out(known: Known) -> impl Fn(&Question) -> bool {
    move |q| answered_by_code(q, known.grade.is_some(), known.class_no.is_some())
}

/// Puts the known answers in place of any value the client sent for those questions.
pub fn with_known_fields(
    def: &SurveyDefinition,
    known: Known,
    mut pairs: Vec<(String, String)>,
) -> Vec<(String, String)> {
    for q in &def.questions {
        let value = match q.kind {
            QuestionKind::Grade { .. } => known.grade,
            QuestionKind::Class { .. } => known.class_no,
            _ => continue,
        };
        if let Some(v) = value {
            let field = format!("q.{}", q.id);
            pairs.retain(|(k, _)| *k != field);
            pairs.push((field, v.to_string()));
        }
    }
    pairs
}
