//! What the staff pages show of one school: its rounds with their response
//! figures, and one round's classes, enrolment and one-time codes.

use super::with_conn;
use crate::db;
use crate::error::{AppError, AppResult, During};
use crate::state::AppState;

pub use crate::db::codes::AccessCode;
pub use crate::db::rounds::{Publication, Round};
pub use crate::db::schools::School;
pub use crate::db::stats::{rate, ClassCount};

/// The school, the rounds it took part in with its responses to each, and its enrolment.
pub async fn overview(
    state: &AppState,
    school_id: i64,
) -> AppResult<(School, Vec<(Round, i64)>, i64)> {
    with_conn(state, move |c| {
        let school = db::schools::find(c, school_id)
            .during("looking up the school")?
            .ok_or(AppError::NotFound)?;
        let enrolment: i64 = db::schools::enrolment(c, school_id)
            .during("reading enrolment")?
            .iter()
            .map(|(_, n)| i64::from(*n))
            .sum();
        let mut rows = Vec::new();
        for r in db::rounds::list(c).during("listing rounds")? {
            if db::rounds::publication(c, r.id, school_id)
                .during("looking up a publication")?
                .is_some()
            {
                let n = db::responses::count_for(c, r.id, Some(school_id))
                    .during("counting responses")?;
                rows.push((r, n));
            }
        }
        Ok((school, rows, enrolment))
    })
    .await
}

/// One school's part in one round.
pub struct SchoolRound {
    pub publication: Publication,
    /// (grade, class, responses); a grade or class left unanswered is `None`.
    pub by_class: Vec<ClassCount>,
    /// (grade, students).
    pub enrolment: Vec<(i32, i32)>,
    pub codes: Vec<AccessCode>,
    /// Who answers the round's survey (the page's words follow from it).
    pub respondent: crate::domain::survey::Respondent,
    /// The school's supplement (本校补充题): how many questions it has, how many the round
    /// allows, and why it cannot change now (`None` while it can).
    pub supplement: (usize, i32, Option<String>),
}

pub async fn round(state: &AppState, school_id: i64, round_id: i64) -> AppResult<SchoolRound> {
    let versions = state.catalog.versions();
    let now = state.clock.now();
    with_conn(state, move |c| {
        let publication = db::rounds::publication(c, round_id, school_id)
            .during("looking up the publication")?
            .ok_or(AppError::NotFound)?;
        let respondent = versions
            .version(c, &publication.survey_hash)
            .map_err(AppError::Unexpected)?
            .respondent;
        let round = db::rounds::find(c, round_id)
            .during("looking up the round")?
            .ok_or(AppError::NotFound)?;
        let questions = db::supplements::find(c, round_id, school_id)
            .during("reading the supplement")?
            .and_then(|s| serde_json::from_str::<Vec<serde_json::Value>>(&s.questions).ok())
            .map_or(0, |q| q.len());
        let supplement = (
            questions,
            round.supplement_max,
            super::supplements::locked(&round, now),
        );
        Ok(SchoolRound {
            publication,
            respondent,
            supplement,
            by_class: db::stats::per_class(c, round_id, school_id).during("counting by class")?,
            enrolment: db::schools::enrolment(c, school_id).during("reading enrolment")?,
            codes: db::codes::list_for(c, round_id, school_id).during("listing codes")?,
        })
    })
    .await
}
