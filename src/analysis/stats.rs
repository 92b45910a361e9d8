//! The statistics behind every figure: Wilson score intervals, Kish's effective sample size for
//! post-stratified (enrolment-weighted) estimates, and means with normal intervals.

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A proportion with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

/// Wilson score interval for a share `p` observed on `n` respondents (`n` may be an effective,
/// non-integer sample size). `None` when `n` is not positive: no respondents, no estimate.
pub fn wilson(p: f64, n: f64) -> Option<Interval> {
    if n <= 0.0 || !p.is_finite() || !n.is_finite() {
        return None;
    }
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(Interval {
        estimate: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

/// Wilson interval for `k` of `n`.
pub fn wilson_counts(k: i64, n: i64) -> Option<Interval> {
    (n > 0)
        .then(|| wilson(k as f64 / n as f64, n as f64))
        .flatten()
}

/// Kish's effective sample size of a weighted base: `(Σ wᵢ)² / Σ wᵢ²`, from the sums over
/// respondents of their weight and squared weight.
pub fn kish_n_eff(sum_w: f64, sum_w2: f64) -> f64 {
    if sum_w2 > 0.0 {
        sum_w * sum_w / sum_w2
    } else {
        0.0
    }
}

/// A mean with its 95% interval (normal approximation).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Mean {
    pub mean: f64,
    /// Lower end of the 95% interval; null (not a number) when too few answered to give one.
    #[schema(value_type = Option<f64>)]
    pub low: f64,
    /// Upper end of the 95% interval; null (not a number) when too few answered to give one.
    #[schema(value_type = Option<f64>)]
    pub high: f64,
}

/// Mean of a distribution given as `(value, weight)` pairs, with a 95% interval on an
/// (effective) sample size `n_eff`; the variance is the weighted one with `n_eff − 1` in the
/// denominator (the sample variance when weights are counts). `None` without observations.
pub fn mean_of(dist: &[(f64, f64)], n_eff: f64) -> Option<Mean> {
    let total: f64 = dist.iter().map(|(_, w)| w).sum();
    if total <= 0.0 || n_eff <= 0.0 {
        return None;
    }
    let mean = dist.iter().map(|(v, w)| v * w).sum::<f64>() / total;
    let ss = dist
        .iter()
        .map(|(v, w)| w * (v - mean).powi(2))
        .sum::<f64>()
        / total;
    let half = if n_eff > 1.0 {
        Z95 * (ss * n_eff / (n_eff - 1.0) / n_eff).sqrt()
    } else {
        f64::NAN
    };
    Some(Mean {
        mean,
        low: mean - half,
        high: mean + half,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// Newcombe (1998), "Two-sided confidence intervals for the single proportion", table I,
    /// method 3 (Wilson score, no continuity correction).
    #[test]
    fn wilson_matches_newcombes_published_intervals() {
        for (k, n, lo, hi) in [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ] {
            let i = wilson_counts(k, n).unwrap();
            assert!(close(i.low, lo, 5e-5), "{k}/{n}: low {}", i.low);
            assert!(close(i.high, hi, 5e-5), "{k}/{n}: high {}", i.high);
        }
    }

    #[test]
    fn wilson_is_symmetric_and_bounded() {
        let a = wilson_counts(3, 10).unwrap();
        let b = wilson_counts(7, 10).unwrap();
        assert!(close(a.low, 1.0 - b.high, 1e-12) && close(a.high, 1.0 - b.low, 1e-12));
        let all = wilson_counts(10, 10).unwrap();
        assert!(close(all.high, 1.0, 1e-12));
        assert!(all.low < 1.0);
        assert!(wilson_counts(0, 0).is_none());
    }

    #[test]
    fn kish_of_equal_weights_is_the_count_and_unequal_weights_cost_precision() {
        assert!(close(kish_n_eff(50.0 * 2.0, 50.0 * 4.0), 50.0, 1e-12));
        // 10 respondents weighted 1 and 10 weighted 3: (40)² / (10 + 90) = 16.
        assert!(close(kish_n_eff(40.0, 100.0), 16.0, 1e-12));
        assert_eq!(kish_n_eff(0.0, 0.0), 0.0);
    }

    #[test]
    fn mean_of_counts_is_the_sample_mean_with_a_t_free_normal_interval() {
        // Values 1,2,3,4,5 once each: mean 3, sample variance 2.5.
        let d: Vec<(f64, f64)> = (1..=5).map(|v| (f64::from(v), 1.0)).collect();
        let m = mean_of(&d, 5.0).unwrap();
        assert!(close(m.mean, 3.0, 1e-12));
        let half = Z95 * (2.5f64 / 5.0).sqrt();
        assert!(close(m.high - m.mean, half, 1e-12));
        assert!(mean_of(&[], 0.0).is_none());
    }
}
