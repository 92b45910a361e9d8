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

pub use crate::db::audit::{AuditEntry, MAX_PAGE};

/// Page `n` (from 0, newest first, clamped to the pages a log can have) of `per_page` entries
/// of `action` (all when `None`), whether older ones follow, and how many there are in all.
pub async fn page(
    state: &AppState,
    action: Option<String>,
    n: i64,
    per_page: i64,
) -> AppResult<(Vec<AuditEntry>, bool, i64)> {
    let n = n.clamp(0, MAX_PAGE);
    let (mut entries, total) = with_conn(state, move |c| {
        let a = action.as_deref();
        let entries =
            db::audit::page(c, a, per_page + 1, n * per_page).during("reading the audit log")?;
        let total = db::audit::count(c, a).during("counting the audit log")?;
        Ok((entries, total))
    })
    .await?;
    let more = entries.len() as i64 > per_page;
    entries.truncate(usize::try_from(per_page).unwrap_or(0));
    Ok((entries, more, total))
}
