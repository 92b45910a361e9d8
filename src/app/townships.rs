//! The townships (镇街) the roster and the analysis group schools by: the
//! list, and adding one.

use super::with_conn;
use crate::db;
use crate::error::{AppResult, During};
use crate::state::AppState;

pub use crate::db::townships::Township;

/// The longest township name, in characters.
pub const MAX_NAME_CHARS: usize = 30;

pub async fn list(state: &AppState) -> AppResult<Vec<Township>> {
    with_conn(state, |c| {
        db::townships::list(c).during("listing townships")
    })
    .await
}

/// Whether a name and kind (镇, 街道 or 乡) make a township.
pub fn valid(name: &str, kind: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && !name.chars().any(char::is_control)
        && matches!(kind, "镇" | "街道" | "乡")
}

/// Adds a township; `false` if one of that name exists already.
pub async fn add(state: &AppState, name: String, kind: String, by: i64) -> AppResult<bool> {
    let now = state.clock.now();
    with_conn(state, move |c| {
        let added = db::townships::seed(c, &[(name.clone(), kind)]).during("adding a township")?;
        if added > 0 {
            db::audit::record(c, Some(by), "township_added", &name, now)
                .during("recording the township")?;
        }
        Ok(added > 0)
    })
    .await
}
