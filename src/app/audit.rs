//! The audit log as use cases see it: one entry appended for what a staff
//! member (or, with `None`, the system) just did.

use super::with_conn;
use crate::db;
use crate::error::{AppResult, During};
use crate::state::AppState;

/// Appends one entry, stamped by the app's clock.
pub async fn record(
    state: &AppState,
    by: Option<i64>,
    action: &'static str,
    detail: String,
) -> AppResult<()> {
    let now = state.clock.now();
    with_conn(state, move |c| {
        db::audit::record(c, by, action, &detail, now).during("writing the audit log")
    })
    .await
}
