//! Rounds over time: the change of each share between two rounds (autumn vs spring, before vs
//! after an open day) with a 95% interval for the difference — Newcombe's hybrid score method,
//! built from the two Wilson intervals. Shares are matched by dimension, group, question, value
//! and base, so options that exist in one definition only are left out.

use std::collections::HashMap;

use serde::Serialize;

use super::model::{Base, Dim, Report};
use super::stats::Interval;

/// One share in both rounds and its change (later − earlier).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ChangeRow {
    pub dim: Dim,
    pub group_label: String,
    pub question: String,
    pub label: String,
    pub base: Base,
    pub before: Interval,
    pub after: Interval,
    pub change: Interval,
}

/// Newcombe (1998) method 10: the interval of `p2 − p1` from each share's Wilson interval.
pub fn difference(before: Interval, after: Interval) -> Interval {
    let d = after.estimate - before.estimate;
    Interval {
        estimate: d,
        low: d
            - ((after.estimate - after.low).powi(2) + (before.high - before.estimate).powi(2))
                .sqrt(),
        high: d
            + ((after.high - after.estimate).powi(2) + (before.estimate - before.low).powi(2))
                .sqrt(),
    }
}

/// Changes of the shares both reports show (weighted when both have a weighted figure, else
/// raw), in the later report's order. Suppressed cells are skipped.
pub fn compare(earlier: &Report, later: &Report) -> Vec<ChangeRow> {
    let key = |s: &super::model::ShareRow| {
        (
            s.dim,
            s.group.clone(),
            s.question.clone(),
            s.value.clone(),
            s.base,
        )
    };
    let before: HashMap<_, _> = earlier.shares.iter().map(|s| (key(s), s)).collect();
    later
        .shares
        .iter()
        .filter_map(|a| {
            let b = before.get(&key(a))?;
            let (pb, pa) = match (b.weighted, a.weighted) {
                (Some(x), Some(y)) => (x, y),
                _ => (b.raw?, a.raw?),
            };
            Some(ChangeRow {
                dim: a.dim,
                group_label: a.group_label.to_string(),
                question: a.question.to_string(),
                label: a.label.to_string(),
                base: a.base,
                before: pb,
                after: pa,
                change: difference(pb, pa),
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::analysis::stats::wilson_counts;

    /// Newcombe (1998), table II, example (a): 56/70 vs 48/80, difference 0.2000 with
    /// method 10 interval 0.0524 to 0.3339.
    #[test]
    fn matches_newcombes_worked_example() {
        let p1 = wilson_counts(56, 70).unwrap();
        let p2 = wilson_counts(48, 80).unwrap();
        // The example's difference is p1 − p2: "after" is p1 here.
        let d = difference(p2, p1);
        assert!((d.estimate - 0.2).abs() < 1e-12);
        assert!((d.low - 0.0524).abs() < 5e-5, "{}", d.low);
        assert!((d.high - 0.3339).abs() < 5e-5, "{}", d.high);
    }
}
