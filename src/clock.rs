//! Time as an input. Everything that asks "what time is it" (scheduled mail,
//! the retention purge, rate-limit windows, sessions, rounds opening and
//! closing, timestamps) asks a `Clock` handed down from the settings, so a
//! test or a drill can fix the date and nothing depends on the wall clock.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDateTime};

/// The system clock in production; a fixed, settable instant in tests.
#[derive(Clone, Default)]
pub enum Clock {
    #[default]
    System,
    /// Microseconds since the Unix epoch, UTC; shared by every clone.
    Fixed(Arc<AtomicI64>),
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::System => f.write_str("Clock::System"),
            Self::Fixed(_) => write!(f, "Clock::Fixed({})", self.now()),
        }
    }
}

impl Clock {
    /// A clock that stays at `at` (UTC) until set or advanced.
    pub fn fixed(at: NaiveDateTime) -> Self {
        Self::Fixed(Arc::new(AtomicI64::new(at.and_utc().timestamp_micros())))
    }

    /// A fixed clock from an RFC 3339 instant such as `2027-02-01T09:00:00+08:00`.
    pub fn parse_fixed(s: &str) -> Result<Self, String> {
        DateTime::parse_from_rfc3339(s.trim())
            .map(|t| Self::fixed(t.naive_utc()))
            .map_err(|e| format!("“{s}” 不是带时区的时刻（例如 2027-02-01T09:00:00+08:00）：{e}"))
    }

    /// Now in UTC, truncated to microseconds so both backends store it alike.
    pub fn now(&self) -> NaiveDateTime {
        let micros = match self {
            Self::System => chrono::Utc::now().timestamp_micros(),
            Self::Fixed(at) => at.load(Ordering::SeqCst),
        };
        DateTime::from_timestamp_micros(micros)
            .unwrap_or_default()
            .naive_utc()
    }

    /// True for a clock that does not move by itself.
    pub fn is_fixed(&self) -> bool {
        matches!(self, Self::Fixed(_))
    }

    /// Moves a fixed clock to `at`; the system clock cannot be set.
    pub fn set(&self, at: NaiveDateTime) {
        if let Self::Fixed(t) = self {
            t.store(at.and_utc().timestamp_micros(), Ordering::SeqCst);
        }
    }

    /// Moves a fixed clock on by `by`; the system clock moves by itself.
    pub fn advance(&self, by: Duration) {
        self.set(self.now() + by);
    }

    /// An RFC 3339 form of now, to hand a fixed clock to a child process.
    pub fn to_rfc3339(&self) -> String {
        self.now().and_utc().to_rfc3339()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stays_until_moved_and_clones_share_it() {
        let c = Clock::parse_fixed("2027-02-01T09:00:00+08:00").unwrap();
        assert_eq!(c.now().to_string(), "2027-02-01 01:00:00");
        let twin = c.clone();
        c.advance(Duration::minutes(90));
        assert_eq!(twin.now().to_string(), "2027-02-01 02:30:00");
        assert_eq!(
            Clock::parse_fixed(&twin.to_rfc3339()).unwrap().now(),
            twin.now()
        );
        assert!(Clock::parse_fixed("2027-02-01").is_err());
    }

    #[test]
    fn the_system_clock_moves_and_cannot_be_set() {
        let c = Clock::System;
        let before = c.now();
        c.set(NaiveDateTime::default());
        assert!(c.now() >= before);
        assert_eq!(c.now().and_utc().timestamp_subsec_nanos() % 1_000, 0);
    }
}
