//! Retention (PIPL treats data about children under 14 as sensitive): once a
//! round is past its `retention_until`, its raw responses and one-time codes
//! are deleted. The aggregate tables (`answer_counts`), the round and its
//! publications stay, so analyses and comparisons keep working. Old
//! rate-limit events go too. Run by `purge` and daily by the server.

use chrono::{Duration, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::schema::{access_codes, paper_entries, paper_slips, responses, rounds};
use super::versions::Versions;
use super::{audit, rate, DbConnection};

/// Rate-limit events older than this are deleted; the longest window in use
/// is one hour.
pub const RATE_EVENTS_KEPT: Duration = Duration::days(1);

/// What one run deleted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// (round id, responses deleted, codes deleted) for each round past retention.
    pub rounds: Vec<(i64, usize, usize)>,
    pub rate_events: usize,
}

/// Deletes the raw data of every round past its retention date at `now`,
/// one transaction per round, each recorded in the audit log. Responses not
/// yet in the counters are counted first, so the aggregates stay complete.
pub fn purge_due(
    conn: &mut DbConnection,
    versions: &Versions,
    now: NaiveDateTime,
) -> anyhow::Result<Report> {
    let due: Vec<(i64, Option<NaiveDateTime>)> = rounds::table
        .filter(rounds::retention_until.lt(now))
        .select((rounds::id, rounds::purged_at))
        .order(rounds::id)
        .load(conn)?;
    let mut report = Report::default();
    if !due.is_empty() {
        super::counts::fold_all(conn, versions)?;
    }
    // SQLite keeps deleted rows in free pages until they are reused;
    // secure_delete overwrites them with zeros as they are deleted.
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute("PRAGMA secure_delete = ON;")?;
    }
    for (id, purged_at) in due {
        let (n_responses, n_codes) = conn.transaction(|conn| {
            let r = diesel::delete(responses::table.filter(responses::round_id.eq(id)))
                .execute(conn)?;
            // Printed slips may carry a code, and typed slips waiting for their second entry
            // hold answers: they go too.
            diesel::delete(paper_slips::table.filter(paper_slips::round_id.eq(id)))
                .execute(conn)?;
            diesel::delete(paper_entries::table.filter(paper_entries::round_id.eq(id)))
                .execute(conn)?;
            let c = diesel::delete(access_codes::table.filter(access_codes::round_id.eq(id)))
                .execute(conn)?;
            if purged_at.is_none() || r + c > 0 {
                diesel::update(rounds::table.find(id))
                    .set(rounds::purged_at.eq(now))
                    .execute(conn)?;
                audit::record(
                    conn,
                    None,
                    "round_purged",
                    &format!("round={id} responses={r} codes={c}"),
                    now,
                )?;
            }
            QueryResult::Ok((r, c))
        })?;
        if purged_at.is_none() || n_responses + n_codes > 0 {
            report.rounds.push((id, n_responses, n_codes));
        }
    }
    report.rate_events = rate::prune(conn, RATE_EVENTS_KEPT, now)?;
    let deleted = report.rounds.iter().any(|(_, r, c)| r + c > 0);
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute("PRAGMA secure_delete = OFF;")?;
        if deleted {
            // The WAL still holds the pages as they were before: copy the
            // zeroed pages into the database file and empty the WAL. Without
            // waiting: a TRUNCATE checkpoint holds the write lock while it
            // waits for readers, and the group-commit writer is one of them.
            // If a reader is busy, SQLite's own checkpoints and the reuse of
            // the WAL overwrite the old pages later.
            c.batch_execute("PRAGMA busy_timeout = 0; PRAGMA wal_checkpoint(TRUNCATE);")?;
        }
    }
    // Back to the settings every connection of the pool has.
    super::configure(conn)?;
    Ok(report)
}

/// The server's daily run: logs what it did, and any failure (it tries
/// again the next day, and `purge` can be run by hand).
pub fn run_logged(pool: &super::DbPool, versions: &Versions, now: chrono::NaiveDateTime) {
    let result = pool
        .get()
        .map_err(|e| e.to_string())
        .and_then(|mut c| purge_due(&mut c, versions, now).map_err(|e| e.to_string()));
    match result {
        Ok(r) => {
            for (round, responses, codes) in &r.rounds {
                tracing::info!(round, responses, codes, "retention: raw data deleted");
            }
        }
        Err(e) => tracing::error!(error = %e, "retention purge failed"),
    }
}
