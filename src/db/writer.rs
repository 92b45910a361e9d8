//! The group-commit writer: one thread owns a write connection and commits
//! every submission waiting in its queue in one transaction, then answers each
//! waiting request. One fsync then covers a whole batch, which is what lets
//! durable ingest go far past one-commit-per-request (~300/s at 3 ms a fsync).
//!
//! A request is acknowledged only after its batch has committed, so a 303 to
//! the parent always means the response is on disk.

use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use tokio::sync::oneshot;

use super::responses::{self, NewResponse};
use super::{codes, counts, DbConnection};
use crate::catalog::Versions;

/// What happened to one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Newly stored.
    Stored,
    /// The same idempotency key was stored before: a retried POST.
    Duplicate,
    /// The one-time code had already been used by another response.
    CodeAlreadyUsed,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The queue is full: the database cannot keep up. Try again shortly.
    #[error("the submission queue is full")]
    Overloaded,
    /// The database refused the batch (disk full, read-only, gone).
    #[error("the database could not store the batch: {0}")]
    Unavailable(String),
}

struct Job {
    response: NewResponse,
    reply: oneshot::Sender<Result<SubmitOutcome, WriteError>>,
}

/// Handle to the writer thread; cheap to clone into every worker.
#[derive(Clone)]
pub struct Writer {
    queue: SyncSender<Job>,
}

#[derive(Debug, Clone, Copy)]
pub struct WriterConfig {
    /// Submissions waiting beyond this are refused with 503 (bounded memory).
    pub queue_capacity: usize,
    /// Most submissions committed in one transaction.
    pub max_batch: usize,
}

impl Default for WriterConfig {
    fn default() -> Self {
        Self {
            queue_capacity: 4096,
            max_batch: 512,
        }
    }
}

impl Writer {
    /// Starts the writer thread on its own connection to `url`; `versions`
    /// gives each response's definition, to keep the answer counters.
    pub fn start(url: &str, config: WriterConfig, versions: Arc<Versions>) -> anyhow::Result<Self> {
        let conn = super::establish(url)?;
        let (tx, rx) = mpsc::sync_channel(config.queue_capacity);
        let url = url.to_string();
        std::thread::Builder::new()
            .name("group-commit-writer".into())
            .spawn(move || run(conn, &url, rx, config.max_batch, &versions))?;
        Ok(Self { queue: tx })
    }

    /// Queues a submission and waits until its batch is committed.
    pub async fn submit(&self, response: NewResponse) -> Result<SubmitOutcome, WriteError> {
        let (reply, wait) = oneshot::channel();
        match self.queue.try_send(Job { response, reply }) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(WriteError::Overloaded),
            Err(TrySendError::Disconnected(_)) => {
                return Err(WriteError::Unavailable("writer stopped".into()))
            }
        }
        wait.await
            .unwrap_or_else(|_| Err(WriteError::Unavailable("writer stopped".into())))
    }
}

fn run(
    mut conn: DbConnection,
    url: &str,
    rx: Receiver<Job>,
    max_batch: usize,
    versions: &Versions,
) {
    let mut batch: Vec<Job> = Vec::with_capacity(max_batch);
    while let Ok(first) = rx.recv() {
        batch.push(first);
        while batch.len() < max_batch {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if !commit_batch(&mut conn, &mut batch, versions) {
            // The connection may be what failed (a restarted PostgreSQL, a
            // file that was full): start afresh, and keep the old one if the
            // database is still out of reach.
            match super::establish(url) {
                Ok(fresh) => conn = fresh,
                Err(e) => tracing::warn!(error = %e, "writer could not reconnect yet"),
            }
        }
    }
    tracing::info!("group-commit writer stopped");
}

/// Commits one batch, with its answer counts, and answers its requests;
/// `false` if the batch failed.
fn commit_batch(conn: &mut DbConnection, batch: &mut Vec<Job>, versions: &Versions) -> bool {
    let result = conn.transaction(|conn| {
        let outcomes = batch
            .iter()
            .map(|job| store_one(conn, &job.response))
            .collect::<QueryResult<Vec<_>>>()?;
        let stored: Vec<&NewResponse> = batch
            .iter()
            .zip(&outcomes)
            .filter(|(_, o)| **o == SubmitOutcome::Stored)
            .map(|(job, _)| &job.response)
            .collect();
        counts::apply_batch(conn, &stored, versions)?;
        QueryResult::Ok(outcomes)
    });
    match result {
        Ok(outcomes) => {
            for (job, outcome) in batch.drain(..).zip(outcomes) {
                let _ = job.reply.send(Ok(outcome));
            }
            true
        }
        Err(e) => {
            tracing::error!(error = %e, size = batch.len(), "group commit failed");
            let msg = e.to_string();
            for job in batch.drain(..) {
                let _ = job.reply.send(Err(WriteError::Unavailable(msg.clone())));
            }
            // Give a failing disk a moment instead of spinning on it.
            std::thread::sleep(Duration::from_millis(50));
            false
        }
    }
}

/// Stores one response inside a savepoint, so that a code already used or a
/// retry racing on another instance undoes only this response, not the batch.
fn store_one(conn: &mut DbConnection, r: &NewResponse) -> QueryResult<SubmitOutcome> {
    if responses::exists_with_key(conn, &r.idempotency_key)? {
        return Ok(SubmitOutcome::Duplicate);
    }
    let attempt = conn.transaction(|conn| {
        if let Some(code) = &r.access_code {
            if !codes::claim(conn, code, r.submitted_at)? {
                return Err(DieselError::RollbackTransaction);
            }
        }
        responses::insert(conn, r)?;
        Ok(())
    });
    match attempt {
        Ok(()) => Ok(SubmitOutcome::Stored),
        Err(DieselError::RollbackTransaction) => Ok(SubmitOutcome::CodeAlreadyUsed),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            // Another instance committed the same key or code in between.
            if responses::exists_with_key(conn, &r.idempotency_key)? {
                Ok(SubmitOutcome::Duplicate)
            } else {
                Ok(SubmitOutcome::CodeAlreadyUsed)
            }
        }
        Err(e) => Err(e),
    }
}
