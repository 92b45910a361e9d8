//! The counting thread: adds committed responses to the answer counters about once a second,
//! outside the submissions' own commits (see [`super::counts`]). Counting inside every batch
//! wrote a couple of counter pages per response to every fsync; counting a second's responses
//! at once writes each counter page once for all of them. The thread reads the waiting
//! responses and computes their counts. On SQLite it hands them to the group-commit writer,
//! which applies them in its next transaction, so the writer stays the only writer and no batch
//! ever finds the database changed under it. On PostgreSQL it applies them on its own
//! connection: there a fold that races another instance's must not hold up the submissions'
//! batch. Nothing is lost if the process dies: an uncounted response stays marked so and is
//! counted after the next start.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use super::counts::{self, Folded, Prepared};
use super::versions::Versions;

/// How long responses gather before they are counted together.
pub const EVERY: Duration = Duration::from_secs(1);

/// Hands prepared counts to the writer and waits for its verdict.
pub type Apply = Box<dyn Fn(Prepared) -> anyhow::Result<Folded> + Send>;

/// Starts the thread on its own connection. It counts at start (responses left uncounted by a
/// crash), then each time `commits` announces a commit, after letting [`EVERY`] pass. It stops
/// once the last handle of `alive` is gone. `apply`: hand the counts to the writer; `None`:
/// apply them on the thread's own connection.
pub fn start(
    url: &str,
    versions: Arc<Versions>,
    commits: Receiver<()>,
    apply: Option<Apply>,
    alive: Weak<()>,
) -> anyhow::Result<()> {
    let url = url.to_string();
    let mut conn = super::establish(&url)?;
    std::thread::Builder::new()
        .name("answer-counter".into())
        .spawn(move || {
            let mut pending = true;
            let mut skipped = 0;
            while alive.strong_count() > 0 {
                if pending {
                    // A lock left by a session that died unseen (a dropped network path)
                    // lives until the server notices, which can take hours: after a minute of
                    // skipped turns, count anyway. The fold is safe without the lock.
                    let force = skipped >= MAX_SKIPPED_TURNS;
                    match count_in_turn(&mut conn, &versions, &apply, force) {
                        Ok(true) => (pending, skipped) = (false, 0),
                        Ok(false) => skipped += 1,
                        Err(e) => {
                            tracing::warn!(error = %e, "counting answers failed; trying again");
                            if let Ok(fresh) = super::establish(&url) {
                                conn = fresh;
                            }
                        }
                    }
                }
                match commits.recv_timeout(EVERY) {
                    Ok(()) => {
                        pending = true;
                        // Let a second's responses gather before counting them together.
                        std::thread::sleep(EVERY);
                        while commits.try_recv().is_ok() {}
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        })?;
    Ok(())
}

/// Turns skipped in a row (about a second each) before counting without the turn lock.
const MAX_SKIPPED_TURNS: u32 = 60;

/// Key of the PostgreSQL advisory lock that makes the counting threads of several instances
/// take turns (an arbitrary constant: "kehou" counting).
const TURN_LOCK: i64 = 0x6b65_686f_7500_0001;

/// Counts every waiting response, unless another instance's counting thread is already at it
/// (PostgreSQL): it folds until nothing is waiting, so two threads would only prepare the same
/// responses twice, the loser roll back, and both burn CPU that the submissions need. Returns
/// false if it skipped its turn, so that it tries again a second later (the other may have
/// started before our last responses committed). `force`: count without the lock. Analyses
/// still fold on their own: the fold is safe without the lock, the lock only saves work.
fn count_in_turn(
    conn: &mut super::DbConnection,
    versions: &Versions,
    apply: &Option<Apply>,
    force: bool,
) -> anyhow::Result<bool> {
    let super::DbConnection::Pg(pg) = conn else {
        count_waiting(conn, versions, apply)?;
        return Ok(true);
    };
    if force {
        tracing::warn!("the counting turn has been taken for a minute; counting anyway");
        count_waiting(conn, versions, apply)?;
        return Ok(true);
    }
    if !advisory(pg, "pg_try_advisory_lock")? {
        return Ok(false);
    }
    let counted = count_waiting(conn, versions, apply);
    let unlocked = match conn {
        super::DbConnection::Pg(pg) => advisory(pg, "pg_advisory_unlock").map(|_| ()),
        super::DbConnection::Sqlite(_) => Ok(()),
    };
    // Either error makes the caller try a fresh connection, whose old session's lock then ends
    // with it; the fold's error is the one worth reporting.
    counted?;
    unlocked?;
    Ok(true)
}

/// Runs `SELECT f(TURN_LOCK)` for one of PostgreSQL's boolean advisory-lock functions.
fn advisory(pg: &mut diesel::PgConnection, f: &str) -> diesel::QueryResult<bool> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Got {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        got: bool,
    }
    diesel::sql_query(format!("SELECT {f}($1) AS got"))
        .bind::<diesel::sql_types::BigInt, _>(TURN_LOCK)
        .get_result::<Got>(pg)
        .map(|g| g.got)
}

/// Counts every waiting response, [`counts::fold_rows`] per transaction at most.
fn count_waiting(
    conn: &mut super::DbConnection,
    versions: &Versions,
    apply: &Option<Apply>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let (mut total, mut races) = (0, 0);
    let rows = counts::fold_rows(conn);
    while let Some(prepared) = counts::prepare(conn, versions, rows)? {
        let full = prepared.len() as i64 == rows;
        let folded = match apply {
            Some(hand_over) => hand_over(prepared)?,
            None => counts::apply(conn, &prepared)?,
        };
        match folded {
            Folded::Counted(n) => total += n,
            Folded::Nothing => break,
            // Another instance or an analysis counted some of the same responses first: look
            // again (those are counted now); give up for this round if it keeps happening.
            Folded::Raced => {
                races += 1;
                if races > 20 {
                    break;
                }
                continue;
            }
        }
        if !full {
            break;
        }
    }
    if total > 0 {
        tracing::debug!(
            responses = total,
            ms = started.elapsed().as_millis() as u64,
            "answers counted"
        );
    }
    Ok(())
}
