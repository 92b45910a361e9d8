//! A school's 一校一案 on the web: its current plan as a form, and saving a
//! checked plan as a new revision (the spreadsheet import is `import-plans`).

use super::with_conn;
use crate::db;
use crate::domain::plan::Plan;
use crate::domain::plan_form::PlanForm;
use crate::error::{AppError, AppResult, During};
use crate::state::AppState;

/// A school's plan as the form shows it.
pub struct SchoolPlan {
    pub name: String,
    pub code: String,
    /// The latest revision, or an empty form.
    pub form: PlanForm,
    pub revisions: i64,
    /// The latest few revisions, newest first.
    pub recent: Vec<db::plans::Revision>,
}

/// How many revisions the plan page lists.
const RECENT: i64 = 5;

/// The school's latest plan and how many revisions it has.
pub async fn school(state: &AppState, school_id: i64) -> AppResult<SchoolPlan> {
    with_conn(state, move |c| {
        let school = db::schools::find(c, school_id)
            .during("looking up the school")?
            .ok_or(AppError::NotFound)?;
        let form = db::plans::latest(c, None)?
            .remove(&school_id)
            .map(|p| PlanForm::from_plan(&p))
            .unwrap_or_default();
        let revisions = db::plans::revision_count(c, school_id).during("counting revisions")?;
        let recent = db::plans::recent_revisions(c, school_id, RECENT)
            .during("listing the latest revisions")?;
        Ok(SchoolPlan {
            name: school.name,
            code: school.code,
            form,
            revisions,
            recent,
        })
    })
    .await
}

/// Saves a checked plan as the school's newest revision, recording who saved it.
pub async fn save(
    state: &AppState,
    school_id: i64,
    plan: Plan,
    by: i64,
    by_email: String,
) -> AppResult<()> {
    let now = state.clock.now();
    with_conn(state, move |c| {
        db::plans::import(
            c,
            std::slice::from_ref(&plan),
            &format!("web:{by_email}"),
            now,
        )?;
        db::audit::record(
            c,
            Some(by),
            "plan_saved",
            &format!("school={school_id}"),
            now,
        )
        .during("recording the plan")
    })
    .await
}
