//! The counting thread: adds committed responses to the answer counters about once a second,
//! outside the group commit (see [`super::counts::fold`]). Counting in the commit itself wrote
//! a couple of counter pages per response to every fsync; counting a second's responses at once
//! writes each counter page once for all of them. Nothing is lost if the process dies: an
//! uncounted response stays marked so and is counted after the next start.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::counts::{self, Folded, FOLD_ROWS};
use crate::catalog::Versions;

/// How long responses gather before they are counted together.
pub const EVERY: Duration = Duration::from_secs(1);

/// Starts the thread on its own connection. It counts at start (responses left uncounted by a
/// crash), then after each [`EVERY`] in which `commits` announced a commit, and stops when every
/// sender of `commits` is gone.
pub fn start(url: &str, versions: Arc<Versions>, commits: Receiver<()>) -> anyhow::Result<()> {
    let url = url.to_string();
    let mut conn = super::establish(&url)?;
    std::thread::Builder::new()
        .name("answer-counter".into())
        .spawn(move || {
            let mut pending = true;
            loop {
                if pending {
                    match fold_waiting(&mut conn, &versions) {
                        Ok(()) => pending = false,
                        Err(e) => {
                            tracing::warn!(error = %e, "counting answers failed; trying again");
                            if let Ok(fresh) = super::establish(&url) {
                                conn = fresh;
                            }
                        }
                    }
                }
                let next = if pending {
                    commits.recv_timeout(EVERY)
                } else {
                    commits.recv().map_err(|_| RecvTimeoutError::Disconnected)
                };
                match next {
                    Ok(()) => pending = true,
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => {
                        // The writer stopped: count what it committed last, then stop.
                        let _ = fold_waiting(&mut conn, &versions);
                        return;
                    }
                }
                // Let a second's responses gather before counting them together.
                std::thread::sleep(EVERY);
                while commits.try_recv().is_ok() {}
            }
        })?;
    Ok(())
}

/// Folds every waiting response, a transaction per [`FOLD_ROWS`].
fn fold_waiting(conn: &mut super::DbConnection, versions: &Versions) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut total = 0;
    loop {
        match counts::fold(conn, versions, FOLD_ROWS)? {
            Folded::Nothing => break,
            Folded::Counted(n) => total += n,
            // An analysis is counting the same responses; what it leaves, the next round gets.
            Folded::Raced => break,
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
