//! The school roster (学校名册): checked whole before anything is stored
//! (every problem named by row and column), then created or updated in one
//! transaction and recorded. The upload page and `import-schools` both come here.

use chrono::NaiveDateTime;

use super::with_conn;
use crate::db::{self, DbConnection};
use crate::domain::school::{roster, RosterRow};
use crate::error::{AppError, AppResult, During, Invalid};
use crate::state::AppState;

pub use crate::db::schools::ImportSummary;

/// The roster file `name` (CSV or XLSX) checked against the known townships: its rows, or
/// every problem in it as a 422.
pub fn check(conn: &mut DbConnection, name: &str, bytes: &[u8]) -> AppResult<Vec<RosterRow>> {
    let townships: Vec<String> = db::townships::list(conn)
        .during("listing townships")?
        .into_iter()
        .map(|t| t.name)
        .collect();
    roster::parse_file(name, bytes, &townships).map_err(|errors| {
        AppError::Invalid(Invalid {
            fields: errors
                .errors()
                .iter()
                .map(|e| (String::new(), e.to_string()))
                .collect(),
        })
    })
}

/// Stores checked rows (all or none) and records the import; `by` is who did it (`None` for
/// the CLI).
pub fn import(
    conn: &mut DbConnection,
    name: &str,
    rows: &[RosterRow],
    by: Option<i64>,
    now: NaiveDateTime,
    progress: impl FnMut(usize),
) -> AppResult<ImportSummary> {
    let summary = db::schools::import_roster(conn, rows, now, progress)?;
    db::audit::record(
        conn,
        by,
        "roster_imported",
        &format!(
            "file={name} created={} updated={}",
            summary.created, summary.updated
        ),
        now,
    )
    .during("recording the import")?;
    Ok(summary)
}

/// An uploaded roster, checked and imported for a signed-in staff member.
pub async fn upload(
    state: &AppState,
    name: String,
    bytes: Vec<u8>,
    by: i64,
) -> AppResult<ImportSummary> {
    let now = state.clock.now();
    with_conn(state, move |c| {
        let rows = check(c, &name, &bytes)?;
        import(c, &name, &rows, Some(by), now, |_| {})
    })
    .await
}

/// Every school, township and school's enrolment, for the schools page.
pub async fn overview(
    state: &AppState,
) -> AppResult<(
    Vec<db::schools::School>,
    Vec<db::townships::Township>,
    Vec<(i64, i64)>,
)> {
    with_conn(state, |c| {
        Ok((
            db::schools::list(c).during("listing schools")?,
            db::townships::list(c).during("listing townships")?,
            db::stats::enrolment_per_school(c).during("reading enrolment")?,
        ))
    })
    .await
}
