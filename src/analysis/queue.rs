//! Analyses on the staff pages take their turn here: one runs at a time (a city report holds a
//! few hundred MB while it computes), a few wait without holding a thread, and when the line
//! is full the request is answered at once with 503 and `Retry-After` instead of piling up.

use tokio::sync::{Semaphore, SemaphorePermit, TryAcquireError};

use crate::error::AppError;

/// Analyses that may wait for their turn behind the running one.
pub const WAITING: usize = 4;

pub struct AnalysisQueue {
    /// One per analysis running or waiting.
    places: Semaphore,
    /// The turn to run.
    turn: Semaphore,
}

/// A place in the line; [`Queued::turn`] waits for the run itself.
pub struct Queued<'a> {
    _place: SemaphorePermit<'a>,
    turn: &'a Semaphore,
}

/// Held while the analysis runs.
pub struct Turn<'a> {
    _place: SemaphorePermit<'a>,
    _turn: SemaphorePermit<'a>,
}

impl Default for AnalysisQueue {
    fn default() -> Self {
        Self {
            places: Semaphore::new(1 + WAITING),
            turn: Semaphore::new(1),
        }
    }
}

impl AnalysisQueue {
    /// A place in the line, or a 503 (with `Retry-After`) when the line is full.
    pub fn join(&self) -> Result<Queued<'_>, AppError> {
        match self.places.try_acquire() {
            Ok(place) => Ok(Queued {
                _place: place,
                turn: &self.turn,
            }),
            Err(TryAcquireError::NoPermits) => Err(AppError::Busy(
                "正在计算的需求分析较多，请稍等片刻再打开或下载。".into(),
            )),
            Err(TryAcquireError::Closed) => Err(AppError::Unexpected(anyhow::anyhow!(
                "analysis queue closed"
            ))),
        }
    }
}

impl<'a> Queued<'a> {
    pub async fn turn(self) -> Result<Turn<'a>, AppError> {
        let turn = self
            .turn
            .acquire()
            .await
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("analysis queue: {e}")))?;
        Ok(Turn {
            _place: self._place,
            _turn: turn,
        })
    }
}
