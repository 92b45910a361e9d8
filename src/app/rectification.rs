//! Complaints followed through to rectification (整改): the bureau (or a township officer,
//! within the township) assigns a complaint to its school, the school answers with a plan and
//! a deadline, the township and the bureau follow up, and the bureau closes it with a note of
//! what was done. Each side sees only its own complaints (a school once one is assigned to
//! it), the parent's contact only the bureau; every step and every look is audit-logged.

use chrono::NaiveDateTime;

use super::with_conn;
use crate::db::complaints::{Scope, StepRow};
use crate::db::{self, users::User, DbConnection};
use crate::domain::account::Role;
use crate::domain::complaint::{self, Status, Step};
use crate::error::{AppError, AppResult, During, Invalid};
use crate::state::AppState;

pub use crate::db::complaints::ComplaintRow;

/// Whose complaints `user` sees.
fn scope(user: &User) -> Option<Scope> {
    match user.role() {
        Role::Bureau => Some(Scope::All),
        Role::Township => user.township_id.map(Scope::Township),
        Role::School => user.school_id.map(Scope::School),
    }
}

/// Whether `user` may see complaint `c` (the access guard checks the same for the path).
fn reaches(user: &User, c: &ComplaintRow) -> bool {
    match user.role() {
        Role::Bureau => true,
        Role::Township => user.township_id.is_some() && c.township_id == user.township_id,
        Role::School => {
            user.school_id.is_some() && c.school_id == user.school_id && c.status != "new"
        }
    }
}

/// The parent's contact is for the bureau only.
fn for_viewer(user: &User, mut c: ComplaintRow) -> ComplaintRow {
    if user.role() != Role::Bureau {
        c.contact = None;
    }
    c
}

/// The complaints `user` sees, open ones first; looking is recorded.
pub async fn list(state: &AppState, user: &User) -> AppResult<Vec<ComplaintRow>> {
    let now = state.clock.now();
    let u = user.clone();
    with_conn(state, move |c| {
        let Some(scope) = scope(&u) else {
            return Ok(Vec::new());
        };
        db::audit::record(c, Some(u.id), "complaints_viewed", "", now)
            .during("recording the view")?;
        let rows = db::complaints::list(c, scope).during("listing complaints")?;
        Ok(rows.into_iter().map(|r| for_viewer(&u, r)).collect())
    })
    .await
}

/// One complaint as its page shows it.
pub struct Detail {
    pub complaint: ComplaintRow,
    pub status: Status,
    pub overdue: bool,
    pub steps: Vec<StepRow>,
    /// The schools `user` may assign it to, `(id, name)`; empty when assigning is not theirs.
    pub assignable: Vec<(i64, String)>,
}

fn load(conn: &mut DbConnection, user: &User, id: i64) -> AppResult<(ComplaintRow, Status)> {
    let c = db::complaints::find(conn, id)
        .during("reading the complaint")?
        .filter(|c| reaches(user, c))
        .ok_or(AppError::NotFound)?;
    let status = Status::from_db_code(&c.status)
        .ok_or_else(|| anyhow::anyhow!("complaint {id} has status {}", c.status))?;
    Ok((c, status))
}

/// Complaint `id` for `user`, with its steps; looking is recorded.
pub async fn detail(state: &AppState, user: &User, id: i64) -> AppResult<Detail> {
    let now = state.clock.now();
    let u = user.clone();
    with_conn(state, move |c| {
        let (row, status) = load(c, &u, id)?;
        db::audit::record(
            c,
            Some(u.id),
            "complaint_viewed",
            &format!("complaint={id}"),
            now,
        )
        .during("recording the view")?;
        let steps = db::complaints::steps(c, id).during("reading the steps")?;
        let assignable = match (u.role(), status) {
            (Role::Bureau | Role::Township, Status::New | Status::Assigned) => {
                let mut s: Vec<(i64, String)> = db::schools::list(c)
                    .during("reading schools")?
                    .into_iter()
                    .filter(|s| u.role() == Role::Bureau || Some(s.township_id) == u.township_id)
                    .map(|s| (s.id, s.name))
                    .collect();
                s.sort_by(|a, b| a.1.cmp(&b.1));
                s
            }
            _ => Vec::new(),
        };
        Ok(Detail {
            overdue: complaint::overdue(status, row.due_at, now),
            complaint: for_viewer(&u, row),
            status,
            steps,
            assignable,
        })
    })
    .await
}

/// Takes `step` on complaint `id` in one transaction: checks reach and the status, runs
/// `apply`, records the step and the audit entry.
async fn take(
    state: &AppState,
    user: &User,
    id: i64,
    step: Step,
    note: String,
    apply: impl FnOnce(&mut DbConnection, &ComplaintRow, NaiveDateTime) -> AppResult<String>
        + Send
        + 'static,
) -> AppResult<()> {
    let now = state.clock.now();
    let u = user.clone();
    with_conn(state, move |c| {
        // Reads the status, then writes: on SQLite the write lock is taken first.
        db::write_transaction(c, |c| {
            let (row, status) = load(c, &u, id)?;
            step.next(status).map_err(AppError::invalid)?;
            let detail = apply(c, &row, now)?;
            db::complaints::add_step(c, id, u.id, step.db_code(), &note, now)
                .during("recording the step")?;
            let action = match step {
                Step::Assign => "complaint_assigned",
                Step::Plan => "complaint_plan",
                Step::FollowUp => "complaint_follow_up",
                Step::Close => "complaint_closed",
            };
            db::audit::record(
                c,
                Some(u.id),
                action,
                &format!("complaint={id}{detail}"),
                now,
            )
            .during("recording the step")
        })
    })
    .await
}

fn checked_note(text: &str, field: &str, what: &str) -> AppResult<String> {
    complaint::note(text, what).map_err(|m| AppError::Invalid(Invalid::field(field, m)))
}

/// Assigns complaint `id` to school `school_id` (within the township, for a township officer).
pub async fn assign(state: &AppState, user: &User, id: i64, school_id: i64) -> AppResult<()> {
    let u = user.clone();
    take(
        state,
        user,
        id,
        Step::Assign,
        String::new(),
        move |c, _, now| {
            let school = db::schools::find(c, school_id)
                .during("reading the school")?
                .filter(|s| u.role() == Role::Bureau || Some(s.township_id) == u.township_id)
                .ok_or_else(|| {
                    AppError::Invalid(Invalid::field("school", "请从列表中选择学校。"))
                })?;
            db::complaints::assign(c, id, school.id, school.township_id, now)
                .during("assigning the complaint")?;
            Ok(format!(" school={}", school.id))
        },
    )
    .await
}

/// The school's rectification plan and deadline (a local date).
pub async fn plan(
    state: &AppState,
    user: &User,
    id: i64,
    plan: &str,
    deadline: &str,
) -> AppResult<()> {
    let plan = checked_note(plan, "plan", "整改方案")?;
    let due = complaint::deadline(deadline, state.clock.now())
        .map_err(|m| AppError::Invalid(Invalid::field("deadline", m)))?;
    let (p, d) = (plan.clone(), deadline.trim().to_string());
    take(state, user, id, Step::Plan, plan, move |c, _, _| {
        db::complaints::set_plan(c, id, &p, due).during("recording the plan")?;
        Ok(format!(" deadline={d}"))
    })
    .await
}

/// A follow-up note by the township or the bureau.
pub async fn follow_up(state: &AppState, user: &User, id: i64, note: &str) -> AppResult<()> {
    let note = checked_note(note, "note", "跟进情况")?;
    take(state, user, id, Step::FollowUp, note, |_, _, _| {
        Ok(String::new())
    })
    .await
}

/// Closes complaint `id` with the note of what was done.
pub async fn close(state: &AppState, user: &User, id: i64, note: &str) -> AppResult<()> {
    let note = checked_note(note, "note", "办结情况")?;
    let (n, by) = (note.clone(), user.id);
    take(state, user, id, Step::Close, note, move |c, _, now| {
        db::complaints::close(c, id, &n, by, now).during("closing the complaint")?;
        Ok(String::new())
    })
    .await
}
