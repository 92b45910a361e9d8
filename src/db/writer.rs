//! The group-commit writer: one thread owns a write connection and commits
//! every submission waiting in its queue in one transaction, then answers each
//! waiting request. One fsync then covers a whole batch, which is what lets
//! durable ingest go far past one-commit-per-request (bounded by fsyncs per second).
//!
//! A request is acknowledged only after its batch has committed, so a 303 to
//! the parent always means the response is on disk.

use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use tokio::sync::oneshot;

use super::responses::{self, NewResponse};
use super::versions::Versions;
use super::{codes, counting, counts, DbConnection};

/// What happened to one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Newly stored.
    Stored,
    /// The same idempotency key was stored before: a retried POST.
    Duplicate,
    /// The one-time code had already been used by another response.
    CodeAlreadyUsed,
    /// A paper slip with this serial is stored already.
    SerialAlreadyStored,
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

/// Counts prepared by the counting thread, applied in the writer's next transaction.
struct CountJob {
    prepared: counts::Prepared,
    reply: mpsc::Sender<QueryResult<counts::Folded>>,
}

enum Msg {
    Submit(Job),
    Count(CountJob),
}

/// Handle to the writer thread; cheap to clone into every worker.
#[derive(Clone)]
pub struct Writer {
    queue: SyncSender<Msg>,
    fault: Arc<AtomicU8>,
    /// Batch transactions that failed, retried or not (what the tests check stays 0).
    failed_attempts: Arc<AtomicU64>,
    /// The counting thread runs while a handle lives.
    _alive: Arc<()>,
}

/// A storage fault the tests inject into the writer's connection (see
/// [`Writer::inject_fault`]); the app itself never sets one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Fault {
    None = 0,
    /// SQLite only: `PRAGMA max_page_count` capped at the current size, so a
    /// batch that needs a new page fails with SQLITE_FULL, the same error and
    /// code path as a full disk.
    DiskFull = 1,
    /// SQLite `PRAGMA query_only`, PostgreSQL `default_transaction_read_only`:
    /// every write fails as on a read-only database.
    ReadOnly = 2,
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
    /// Starts the writer thread on its own connection to `url`, and the
    /// counting thread that adds what it commits to the answer counters
    /// (`versions` gives each response's definition).
    pub fn start(url: &str, config: WriterConfig, versions: Arc<Versions>) -> anyhow::Result<Self> {
        let conn = super::establish(url)?;
        let (tx, rx) = mpsc::sync_channel(config.queue_capacity);
        let (committed, commits) = mpsc::sync_channel(1);
        let alive = Arc::new(());
        let queue = tx.clone();
        let apply: counting::Apply = Box::new(move |prepared| {
            let (reply, verdict) = mpsc::channel();
            queue
                .send(Msg::Count(CountJob { prepared, reply }))
                .map_err(|_| anyhow::anyhow!("writer stopped"))?;
            Ok(verdict.recv()??)
        });
        let apply = matches!(conn, DbConnection::Sqlite(_)).then_some(apply);
        counting::start(url, versions, commits, apply, Arc::downgrade(&alive))?;
        let url = url.to_string();
        let fault = Arc::new(AtomicU8::new(Fault::None as u8));
        let wanted = fault.clone();
        let failed_attempts = Arc::new(AtomicU64::new(0));
        let failures = failed_attempts.clone();
        std::thread::Builder::new()
            .name("group-commit-writer".into())
            .spawn(move || {
                let sink = Sink {
                    committed: &committed,
                    fault: &wanted,
                    failures: &failures,
                };
                run(conn, &url, rx, config.max_batch, &sink)
            })?;
        Ok(Self {
            queue: tx,
            fault,
            failed_attempts,
            _alive: alive,
        })
    }

    /// Test hook for tests/api/faults.rs: from the next batch on, the
    /// writer's connection behaves as on a full disk or a read-only database,
    /// until `Fault::None` lifts it. This is the only way in: no setting,
    /// route or command reaches it. Root ignores file permissions and a
    /// size-limited filesystem needs privileges, hence SQLite's own limits.
    #[doc(hidden)]
    pub fn inject_fault(&self, fault: Fault) {
        self.fault.store(fault as u8, Ordering::SeqCst);
    }

    /// Batch transactions that have failed so far, including those a retry then committed.
    pub fn failed_attempts(&self) -> u64 {
        self.failed_attempts.load(Ordering::SeqCst)
    }

    /// Queues a submission and waits until its batch is committed.
    pub async fn submit(&self, response: NewResponse) -> Result<SubmitOutcome, WriteError> {
        let (reply, wait) = oneshot::channel();
        match self.queue.try_send(Msg::Submit(Job { response, reply })) {
            Ok(()) => crate::metrics::global().queued(1),
            Err(TrySendError::Full(_)) => return Err(WriteError::Overloaded),
            Err(TrySendError::Disconnected(_)) => {
                return Err(WriteError::Unavailable("writer stopped".into()))
            }
        }
        wait.await
            .unwrap_or_else(|_| Err(WriteError::Unavailable("writer stopped".into())))
    }
}

/// Where the writer thread reports: the counting thread's wake-up, the injected fault it
/// reads, and the count of failed batch transactions.
struct Sink<'a> {
    committed: &'a SyncSender<()>,
    fault: &'a AtomicU8,
    failures: &'a AtomicU64,
}

fn run(mut conn: DbConnection, url: &str, rx: Receiver<Msg>, max_batch: usize, sink: &Sink<'_>) {
    let Sink {
        committed, fault, ..
    } = *sink;
    let mut batch: Vec<Job> = Vec::with_capacity(max_batch);
    let mut counts: Vec<CountJob> = Vec::new();
    // The fault the current connection is set up with (a fresh one has none).
    let mut applied = Fault::None as u8;
    while let Ok(first) = rx.recv() {
        let wanted = fault.load(Ordering::SeqCst);
        if wanted != applied {
            apply_fault(&mut conn, wanted);
            applied = wanted;
        }
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            match msg {
                Msg::Submit(job) => {
                    crate::metrics::global().queued(-1);
                    batch.push(job);
                }
                Msg::Count(job) => counts.push(job),
            }
            if batch.len() < max_batch {
                next = rx.try_recv().ok();
            }
        }
        let stored = !batch.is_empty();
        if stored {
            crate::metrics::global().batch(batch.len());
        }
        if commit_batch(&mut conn, &mut batch, &mut counts, sink.failures) {
            if stored {
                // Wake the counting thread (a wake-up already waiting is enough).
                let _ = committed.try_send(());
            }
        } else {
            // The connection may be what failed (a restarted PostgreSQL, a
            // file that was full): start afresh, and keep the old one if the
            // database is still out of reach.
            match super::establish(url) {
                Ok(fresh) => {
                    conn = fresh;
                    applied = Fault::None as u8;
                }
                Err(e) => tracing::warn!(error = %e, "writer could not reconnect yet"),
            }
        }
    }
    tracing::info!("group-commit writer stopped");
}

/// Attempts at one batch before its requests get a 503. Another instance's
/// batch can make PostgreSQL abort ours (a deadlock or serialization
/// failure); the retry then usually succeeds at once.
const ATTEMPTS: u32 = 3;

fn apply_fault(conn: &mut DbConnection, fault: u8) {
    use diesel::connection::SimpleConnection;
    let sql = match (&*conn, fault) {
        (DbConnection::Sqlite(_), 1) => "PRAGMA max_page_count = 1; PRAGMA query_only = OFF;",
        (DbConnection::Sqlite(_), 2) => {
            "PRAGMA max_page_count = 4294967294; PRAGMA query_only = ON;"
        }
        (DbConnection::Sqlite(_), _) => {
            "PRAGMA max_page_count = 4294967294; PRAGMA query_only = OFF;"
        }
        (DbConnection::Pg(_), 2) => "SET default_transaction_read_only = on",
        (DbConnection::Pg(_), _) => "SET default_transaction_read_only = off",
    };
    if let Err(e) = conn.batch_execute(sql) {
        tracing::warn!(error = %e, "could not apply the injected fault");
    }
}

/// Commits one batch of submissions, and the counts waiting to be applied,
/// and answers their requests; `false` if the transaction failed.
fn commit_batch(
    conn: &mut DbConnection,
    batch: &mut Vec<Job>,
    counts: &mut Vec<CountJob>,
    failures: &AtomicU64,
) -> bool {
    // Rows are written in idempotency-key order (on PostgreSQL those with a
    // one-time code first, then the rest, each in key order), so that instances
    // committing overlapping batches take their locks in the same order.
    let mut order: Vec<usize> = (0..batch.len()).collect();
    order.sort_by(|a, b| {
        batch[*a]
            .response
            .idempotency_key
            .cmp(&batch[*b].response.idempotency_key)
    });
    let mut result = Err(DieselError::NotFound);
    for attempt in 1..=ATTEMPTS {
        result = super::write_transaction(conn, |conn| {
            let outcomes = store_all(conn, batch, &order)?;
            let folded = counts
                .iter()
                .map(|c| counts::apply(conn, &c.prepared))
                .collect::<QueryResult<Vec<_>>>()?;
            QueryResult::Ok((outcomes, folded))
        });
        if result.is_err() {
            failures.fetch_add(1, Ordering::SeqCst);
        }
        match &result {
            Ok(_) => break,
            Err(e) if attempt < ATTEMPTS => {
                tracing::warn!(error = %e, attempt, "group commit failed; retrying");
                std::thread::sleep(Duration::from_millis(10 * u64::from(attempt)));
            }
            Err(_) => {}
        }
    }
    match result {
        Ok((outcomes, folded)) => {
            for (job, outcome) in batch.drain(..).zip(outcomes) {
                let _ = job.reply.send(Ok(outcome));
            }
            for (job, f) in counts.drain(..).zip(folded) {
                let _ = job.reply.send(Ok(f));
            }
            true
        }
        Err(e) => {
            tracing::error!(error = %e, size = batch.len(), "group commit failed");
            let msg = e.to_string();
            for job in batch.drain(..) {
                let _ = job.reply.send(Err(WriteError::Unavailable(msg.clone())));
            }
            for job in counts.drain(..) {
                let _ = job.reply.send(Err(DieselError::RollbackTransaction));
            }
            // Give a failing disk a moment instead of spinning on it.
            std::thread::sleep(Duration::from_millis(50));
            false
        }
    }
}

/// Stores a batch's responses, in `order`, and says what happened to each. On PostgreSQL the
/// responses without a one-time code (most of them) go in one statement
/// ([`responses::insert_new`]); the rest, and all of them on SQLite, one by one.
fn store_all(
    conn: &mut DbConnection,
    batch: &[Job],
    order: &[usize],
) -> QueryResult<Vec<SubmitOutcome>> {
    let together = matches!(conn, DbConnection::Pg(_));
    let mut outcomes = vec![SubmitOutcome::Duplicate; batch.len()];
    let mut plain = Vec::new();
    for &i in order {
        let r = &batch[i].response;
        if together && r.access_code.is_none() && r.serial.is_none() {
            plain.push(i);
        } else {
            outcomes[i] = store_one(conn, &batch[i].response)?;
        }
    }
    if plain.is_empty() {
        return Ok(outcomes);
    }
    let rows: Vec<&NewResponse> = plain.iter().map(|&i| &batch[i].response).collect();
    let mut stored: std::collections::HashSet<String> =
        responses::insert_new(conn, &rows)?.into_iter().collect();
    for i in plain {
        // A key twice in one batch (a double tap reaching the queue twice): the first is
        // stored, the second is its duplicate.
        if stored.remove(&batch[i].response.idempotency_key) {
            outcomes[i] = SubmitOutcome::Stored;
        }
    }
    Ok(outcomes)
}

/// Stores one response inside a savepoint, so that a code already used or a
/// retry racing on another instance undoes only this response, not the batch.
/// Only a paper slip (which has a serial) asks whether its serial is stored.
fn store_one(conn: &mut DbConnection, r: &NewResponse) -> QueryResult<SubmitOutcome> {
    if responses::exists_with_key(conn, &r.idempotency_key)? {
        return Ok(SubmitOutcome::Duplicate);
    }
    if let Some(serial) = &r.serial {
        if super::paper::serial_stored(conn, serial)? {
            return Ok(SubmitOutcome::SerialAlreadyStored);
        }
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
            // Another instance committed the same key, code or serial in between.
            if responses::exists_with_key(conn, &r.idempotency_key)? {
                Ok(SubmitOutcome::Duplicate)
            } else if let Some(serial) = r.serial.as_deref() {
                if super::paper::serial_stored(conn, serial)? {
                    Ok(SubmitOutcome::SerialAlreadyStored)
                } else {
                    Ok(SubmitOutcome::CodeAlreadyUsed)
                }
            } else {
                Ok(SubmitOutcome::CodeAlreadyUsed)
            }
        }
        Err(e) => Err(e),
    }
}
