//! The process's counters, gauges and histograms, kept and written out in Prometheus' text
//! format by the Prometheus project's own Rust client (`prometheus-client`).
//!
//! The registry is one per process, as Prometheus expects of an instance: the writer thread,
//! the mailer and the HTTP layer all reach it without being handed a reference. (Tests run
//! several servers in one process; they only ever check that a counter moved, never its exact
//! value.)

use std::sync::OnceLock;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// The `Content-Type` of the exposition (Prometheus text format 0.0.4).
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

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

/// One HTTP series: the method, the matched route pattern and the status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabel {
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabel {
    result: &'static str,
}

type Histograms = Family<RequestLabels, Histogram, fn() -> Histogram>;

/// Every series this process exports, and the registry that writes them out.
pub struct Metrics {
    registry: Registry,
    http: Histograms,
    queue_depth: Gauge,
    batches: Histogram,
    uncounted: Gauge,
    stored: Counter,
    duplicates: Counter,
    refused: Family<ReasonLabel, Counter>,
    mail: Family<ResultLabel, Counter>,
}

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BOUNDS.iter().copied())
}

/// The process's registry.
pub fn global() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(Metrics::new)
}

impl Metrics {
    fn new() -> Self {
        let m = Self {
            registry: Registry::default(),
            http: Family::new_with_constructor(latency_histogram as fn() -> Histogram),
            queue_depth: Gauge::default(),
            batches: Histogram::new(BATCH_BOUNDS.iter().copied()),
            uncounted: Gauge::default(),
            stored: Counter::default(),
            duplicates: Counter::default(),
            refused: Family::default(),
            mail: Family::default(),
        };
        // Every labelled counter exists from the start (at 0), so that a rate over it works
        // before the first refusal or failed mail.
        for why in Refusal::ALL {
            m.refused.get_or_create_owned(&ReasonLabel {
                reason: why.label(),
            });
        }
        for result in ["sent", "failed"] {
            m.mail.get_or_create_owned(&ResultLabel { result });
        }
        let mut registry = Registry::default();
        registry.register(
            "survey_http_request_duration_seconds",
            "HTTP requests by method, route pattern and status, with their latency",
            m.http.clone(),
        );
        registry.register(
            "survey_writer_queue_depth",
            "Submissions waiting for the group-commit writer",
            m.queue_depth.clone(),
        );
        registry.register(
            "survey_writer_batch_size",
            "Submissions committed together in one group-commit transaction",
            m.batches.clone(),
        );
        registry.register(
            "survey_responses_uncounted",
            "Stored responses not yet added to the answer counters (counting lag)",
            m.uncounted.clone(),
        );
        registry.register(
            "survey_submissions_stored",
            "Submissions newly stored",
            m.stored.clone(),
        );
        registry.register(
            "survey_submissions_duplicate",
            "Submissions already stored under the same key (a retried POST)",
            m.duplicates.clone(),
        );
        registry.register(
            "survey_submissions_refused",
            "Submissions not stored, by reason",
            m.refused.clone(),
        );
        registry.register(
            "survey_mail",
            "E-mails handed to SMTP or the outbox, by result",
            m.mail.clone(),
        );
        Self { registry, ..m }
    }

    /// One answered request. `route` is the matched pattern (`/s/{slug}`), never the raw path,
    /// so that the series stay few and carry no one-time code or token.
    pub fn request(&self, method: &'static str, route: &'static str, status: u16, took: Duration) {
        self.http
            .get_or_create(&RequestLabels {
                method,
                route,
                status,
            })
            .observe(took.as_secs_f64());
    }

    /// A submission entered (`+1`) or left (`-1`) the writer's queue.
    pub fn queued(&self, delta: i64) {
        self.queue_depth.inc_by(delta);
    }

    /// The writer committed (or tried to commit) a batch of `size` submissions.
    pub fn batch(&self, size: usize) {
        #[allow(clippy::cast_precision_loss)]
        self.batches.observe(size as f64);
    }

    pub fn stored(&self) {
        self.stored.inc();
    }

    pub fn duplicate(&self) {
        self.duplicates.inc();
    }

    pub fn refused(&self, why: Refusal) {
        self.refused
            .get_or_create(&ReasonLabel {
                reason: why.label(),
            })
            .inc();
    }

    pub fn mail(&self, sent: bool) {
        let result = if sent { "sent" } else { "failed" };
        self.mail.get_or_create(&ResultLabel { result }).inc();
    }

    /// The text exposition; `uncounted` is the counting lag, read from the database by the
    /// caller (it is shared by every instance, not kept in this process).
    pub fn render(&self, uncounted: i64) -> String {
        self.uncounted.set(uncounted);
        let mut out = String::with_capacity(8 * 1024);
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_is_cumulative_and_ends_at_infinity() {
        let m = Metrics::new();
        for v in [1, 3, 3, 1000] {
            m.batch(v);
        }
        let out = m.render(0);
        let b = "survey_writer_batch_size";
        assert!(
            out.contains(&format!("{b}_bucket{{le=\"1\"}} 1\n")),
            "{out}"
        );
        assert!(
            out.contains(&format!("{b}_bucket{{le=\"4\"}} 3\n")),
            "{out}"
        );
        assert!(
            out.contains(&format!("{b}_bucket{{le=\"512\"}} 3\n")),
            "{out}"
        );
        assert!(
            out.contains(&format!("{b}_bucket{{le=\"+Inf\"}} 4\n")),
            "{out}"
        );
        assert!(out.contains(&format!("{b}_sum 1007.0\n")), "{out}");
        assert!(out.contains(&format!("{b}_count 4\n")), "{out}");
    }

    #[test]
    fn labelled_counters_start_at_zero_and_move() {
        let m = Metrics::new();
        let out = m.render(7);
        assert!(
            out.contains("survey_submissions_refused_total{reason=\"code_used\"} 0\n"),
            "{out}"
        );
        assert!(
            out.contains("survey_mail_total{result=\"failed\"} 0\n"),
            "{out}"
        );
        assert!(out.contains("survey_responses_uncounted 7\n"), "{out}");
        m.refused(Refusal::CodeUsed);
        m.request("GET", "/s/{slug}", 200, Duration::from_millis(3));
        let out = m.render(0);
        assert!(
            out.contains("survey_submissions_refused_total{reason=\"code_used\"} 1\n"),
            "{out}"
        );
        assert!(
            out.contains(r#"survey_http_request_duration_seconds_count{method="GET",route="/s/{slug}",status="200"} 1"#),
            "{out}"
        );
    }
}
