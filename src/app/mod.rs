//! Use cases: what a staff member, a parent or a CLI command asks the
//! platform to do, each in one place with its rules, its transaction, its
//! audit record and its mail. Routes extract the request, call one of these
//! and render; commands call the same functions, so a rule exists once.

pub mod accounts;
pub mod analysis;
pub mod audit;
pub mod cases;
pub mod class_sessions;
pub mod codes;
pub mod complaints;
pub mod coverage;
pub mod double_entry;
pub mod health;
pub mod ledger;
pub mod metrics;
pub mod overdue;
pub mod paper;
pub mod passwords;
pub mod plans;
pub mod prefilled;
pub mod rectification;
pub mod reminders;
pub mod roster;
pub mod rounds;
pub mod scan_review;
pub mod scans;
pub mod schools;
pub mod setup;
pub mod sign_in;
pub mod slips;
pub mod submission;
pub mod supplements;
pub mod survey_editor;
pub mod survey_import;
pub mod townships;

use actix_web::web;

use crate::db::DbConnection;
use crate::error::AppResult;
use crate::state::AppState;

/// Runs `f` with a pooled connection on the blocking thread pool (diesel is
/// synchronous and must never run on an actix worker).
pub async fn with_conn<T, F>(state: &AppState, f: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
{
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
}
