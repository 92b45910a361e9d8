//! The process's counters, gauges and histograms, written out in Prometheus' text format.
//!
//! Written by hand from atomics rather than with a metrics crate: a dozen series do not
//! justify a new dependency tree. The registry is one per process, as Prometheus expects of
//! an instance: the writer thread, the mailer and the HTTP layer all reach it without being
//! handed a reference. (Tests run several servers in one process; they only ever check that a
//! counter moved, never its exact value.)

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Upper bounds of the request latency buckets, in seconds.
const LATENCY_BOUNDS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Upper bounds of the group-commit batch size buckets, in submissions.
const BATCH_BOUNDS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0];

/// Why a submission was not stored (the `reason` label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Answers that do not pass the survey's validation.
    Invalid,
    /// Phone or ID numbers in free text: the parent is asked to confirm.
    PersonalInfo,
    /// The one-time code was used by another response.
    CodeUsed,
    /// The writer's queue was full (503).
    Overloaded,
    /// The database refused the batch (503).
    Unavailable,
}

impl Refusal {
    /// Every reason, each exported from the start (at 0), so that a rate over it works
    /// before the first refusal.
    const ALL: [Self; 5] = [
        Self::Invalid,
        Self::PersonalInfo,
        Self::CodeUsed,
        Self::Overloaded,
        Self::Unavailable,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::PersonalInfo => "personal_info",
            Self::CodeUsed => "code_used",
            Self::Overloaded => "overloaded",
            Self::Unavailable => "unavailable",
        }
    }
}

/// A histogram with fixed bounds: a count per bucket (not cumulative), the sum and the count.
struct Histogram {
    bounds: &'static [f64],
    buckets: Vec<AtomicU64>,
    /// The sum in millionths, so that it fits an atomic integer.
    sum_micros: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Self {
        Self {
            bounds,
            buckets: bounds.iter().map(|_| AtomicU64::new(0)).collect(),
            sum_micros: AtomicU64::new(0),
            count: AtomicU64::new(0),
        }
    }

    fn observe(&self, value: f64) {
        if let Some(i) = self.bounds.iter().position(|b| value <= *b) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        // Truncating a non-negative measurement to whole millionths.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let micros = (value * 1e6) as u64;
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// `name_bucket`, `name_sum` and `name_count` lines, `labels` (already formatted, without
    /// braces) on each.
    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        let mut cumulative = 0;
        for (bound, n) in self.bounds.iter().zip(&self.buckets) {
            cumulative += n.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {cumulative}"
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {count}");
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        #[allow(clippy::cast_precision_loss)]
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum{braces} {sum}");
        let _ = writeln!(out, "{name}_count{braces} {count}");
    }
}

/// Every series this process exports.
pub struct Metrics {
    /// Requests by (method, route pattern, status).
    http: Mutex<BTreeMap<(&'static str, &'static str, u16), Histogram>>,
    queue_depth: AtomicI64,
    batches: Histogram,
    stored: AtomicU64,
    duplicates: AtomicU64,
    /// By [`Refusal`], in the order of `Refusal::ALL`.
    refused: [AtomicU64; Refusal::ALL.len()],
    mail_sent: AtomicU64,
    mail_failed: AtomicU64,
}

/// The process's registry.
pub fn global() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| Metrics {
        http: Mutex::new(BTreeMap::new()),
        queue_depth: AtomicI64::new(0),
        batches: Histogram::new(BATCH_BOUNDS),
        stored: AtomicU64::new(0),
        duplicates: AtomicU64::new(0),
        refused: Default::default(),
        mail_sent: AtomicU64::new(0),
        mail_failed: AtomicU64::new(0),
    })
}

impl Metrics {
    /// One answered request. `route` is the matched pattern (`/s/{slug}`), never the raw path,
    /// so that the series stay few and carry no one-time code or token.
    pub fn request(&self, method: &'static str, route: &'static str, status: u16, took: Duration) {
        let mut http = self.http.lock().unwrap_or_else(|e| e.into_inner());
        http.entry((method, route, status))
            .or_insert_with(|| Histogram::new(LATENCY_BOUNDS))
            .observe(took.as_secs_f64());
    }

    /// A submission entered (`+1`) or left (`-1`) the writer's queue.
    pub fn queued(&self, delta: i64) {
        self.queue_depth.fetch_add(delta, Ordering::Relaxed);
    }

    /// The writer committed (or tried to commit) a batch of `size` submissions.
    pub fn batch(&self, size: usize) {
        #[allow(clippy::cast_precision_loss)]
        self.batches.observe(size as f64);
    }

    pub fn stored(&self) {
        self.stored.fetch_add(1, Ordering::Relaxed);
    }

    pub fn duplicate(&self) {
        self.duplicates.fetch_add(1, Ordering::Relaxed);
    }

    pub fn refused(&self, why: Refusal) {
        self.refused[why as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub fn mail(&self, sent: bool) {
        let counter = if sent {
            &self.mail_sent
        } else {
            &self.mail_failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The text exposition; `uncounted` is the counting lag, read from the database by the
    /// caller (it is shared by every instance, not kept in this process).
    pub fn render(&self, uncounted: i64) -> String {
        let mut out = String::with_capacity(8 * 1024);
        header(
            &mut out,
            "survey_http_request_duration_seconds",
            "histogram",
            "HTTP requests by method, route pattern and status, with their latency.",
        );
        {
            let http = self.http.lock().unwrap_or_else(|e| e.into_inner());
            for ((method, route, status), h) in http.iter() {
                let labels = format!(
                    "method=\"{}\",route=\"{}\",status=\"{status}\"",
                    label(method),
                    label(route)
                );
                h.write(&mut out, "survey_http_request_duration_seconds", &labels);
            }
        }
        header(
            &mut out,
            "survey_writer_queue_depth",
            "gauge",
            "Submissions waiting for the group-commit writer.",
        );
        let depth = self.queue_depth.load(Ordering::Relaxed).max(0);
        let _ = writeln!(out, "survey_writer_queue_depth {depth}");
        header(
            &mut out,
            "survey_writer_batch_size",
            "histogram",
            "Submissions committed together in one group-commit transaction.",
        );
        self.batches.write(&mut out, "survey_writer_batch_size", "");
        header(
            &mut out,
            "survey_responses_uncounted",
            "gauge",
            "Stored responses not yet added to the answer counters (counting lag).",
        );
        let _ = writeln!(out, "survey_responses_uncounted {uncounted}");
        header(
            &mut out,
            "survey_submissions_stored_total",
            "counter",
            "Submissions newly stored.",
        );
        let stored = self.stored.load(Ordering::Relaxed);
        let _ = writeln!(out, "survey_submissions_stored_total {stored}");
        header(
            &mut out,
            "survey_submissions_duplicate_total",
            "counter",
            "Submissions already stored under the same key (a retried POST).",
        );
        let dup = self.duplicates.load(Ordering::Relaxed);
        let _ = writeln!(out, "survey_submissions_duplicate_total {dup}");
        header(
            &mut out,
            "survey_submissions_refused_total",
            "counter",
            "Submissions not stored, by reason.",
        );
        for (why, n) in Refusal::ALL.iter().zip(&self.refused) {
            let (reason, n) = (why.label(), n.load(Ordering::Relaxed));
            let _ = writeln!(
                out,
                "survey_submissions_refused_total{{reason=\"{reason}\"}} {n}"
            );
        }
        header(
            &mut out,
            "survey_mail_total",
            "counter",
            "E-mails handed to SMTP or the outbox, by result.",
        );
        let sent = self.mail_sent.load(Ordering::Relaxed);
        let failed = self.mail_failed.load(Ordering::Relaxed);
        let _ = writeln!(out, "survey_mail_total{{result=\"sent\"}} {sent}");
        let _ = writeln!(out, "survey_mail_total{{result=\"failed\"}} {failed}");
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value escaped as the text format asks: backslash, double quote, newline.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_is_cumulative_and_ends_at_infinity() {
        let h = Histogram::new(BATCH_BOUNDS);
        for v in [1.0, 3.0, 3.0, 1000.0] {
            h.observe(v);
        }
        let mut out = String::new();
        h.write(&mut out, "b", "");
        assert!(out.contains("b_bucket{le=\"1\"} 1\n"), "{out}");
        assert!(out.contains("b_bucket{le=\"4\"} 3\n"), "{out}");
        assert!(out.contains("b_bucket{le=\"512\"} 3\n"), "{out}");
        assert!(out.contains("b_bucket{le=\"+Inf\"} 4\n"), "{out}");
        assert!(out.contains("b_sum 1007\n"), "{out}");
        assert!(out.contains("b_count 4\n"), "{out}");
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
