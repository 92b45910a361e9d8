//! Argon2 is the costliest thing a stranger can make the server do, so every hash and check
//! runs through one gate: on the blocking pool, at most a few at once. A flood of sign-ins then
//! waits its turn (holding no thread) instead of taking every core from the database work that
//! parents' submissions need.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use actix_web::web;
use tokio::sync::Semaphore;

use crate::error::AppResult;

pub struct HashGate {
    permits: Semaphore,
    limit: usize,
    running: AtomicUsize,
    /// The most that ever ran at once, and how many ran in all: what the tests check.
    peak: AtomicUsize,
    runs: AtomicU64,
}

impl HashGate {
    pub fn new(limit: usize) -> Self {
        let limit = limit.max(1);
        Self {
            permits: Semaphore::new(limit),
            limit,
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            runs: AtomicU64::new(0),
        }
    }

    /// Half the cores, at least one: Argon2 (19 MiB, two passes) keeps a core busy for the
    /// whole of a check, and the other half stays for the writer, the counting thread and the
    /// requests themselves.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores / 2)
    }

    /// Runs `f` (a hash or a check) when a permit is free.
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
        let out = web::block(f).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        Ok(out?)
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
