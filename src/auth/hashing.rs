//! Argon2 is the costliest thing a stranger can make the server do, so every hash and check
//! runs through one gate: on a few threads of its own, at most one each at a time. A flood of
//! sign-ins then waits its turn (holding no thread) instead of taking every core from the
//! database work that parents' submissions need. Its own threads, not the shared blocking
//! pool: each Argon2 run takes 19 MiB, and the allocator keeps that much per thread that ever
//! ran one, which across the pool's dozens of threads was hundreds of MB after a flood.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use tokio::sync::{oneshot, Semaphore};

use crate::error::{AppError, AppResult};

type Job = Box<dyn FnOnce() + Send>;

pub struct HashGate {
    permits: Semaphore,
    limit: usize,
    jobs: Mutex<Sender<Job>>,
    running: AtomicUsize,
    /// The most that ever ran at once, and how many ran in all: what the tests check.
    peak: AtomicUsize,
    runs: AtomicU64,
}

impl HashGate {
    /// A gate with `limit` threads (at least one); they end when the gate is dropped.
    pub fn new(limit: usize) -> anyhow::Result<Self> {
        let limit = limit.max(1);
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..limit {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || work(&queue))
                .context("starting a password hashing thread")?;
        }
        Ok(Self {
            permits: Semaphore::new(limit),
            limit,
            jobs: Mutex::new(jobs),
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            runs: AtomicU64::new(0),
        })
    }

    /// Half the cores, at least one: Argon2 (19 MiB, two passes) keeps a core busy for the
    /// whole of a check, and the other half stays for the writer, the counting thread and the
    /// requests themselves.
    pub fn for_this_machine() -> anyhow::Result<Self> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores / 2)
    }

    /// Runs `f` (a hash or a check) on one of the gate's threads when one is free.
    pub async fn run<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| anyhow::anyhow!("password hashing gate: {e}"))?;
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        self.runs.fetch_add(1, Ordering::SeqCst);
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = reply.send(f());
        });
        let sent = match self.jobs.lock() {
            Ok(jobs) => jobs.send(job).is_ok(),
            Err(_) => false,
        };
        let out = if sent { answer.await.ok() } else { None };
        self.running.fetch_sub(1, Ordering::SeqCst);
        out.ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("password hashing failed")))
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::SeqCst)
    }
}

/// One hashing thread: runs jobs until the gate is gone. A job that panics answers nothing
/// (its request gets an error) and the thread goes on.
fn work(queue: &Mutex<Receiver<Job>>) {
    loop {
        let job = match queue.lock() {
            Ok(q) => q.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => {
                let _ = catch_unwind(AssertUnwindSafe(job));
            }
            Err(_) => return,
        }
    }
}
