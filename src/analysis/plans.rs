//! Demand against each school's plan (一校一案): expected participants = enrolment × demand
//! share, with its interval, and the add / expand / review list; and the bureau's two targets
//! from the plans (≥ 80% of urban schools run 2+3 or more; ≥ 80% offer science).

use std::collections::HashMap;

use serde::Serialize;

use super::model::{Base, Dim, SchoolRate, ShareRow};
use super::stats::Interval;
use crate::domain::plan::Plan;
use crate::domain::tally::CATEGORY;

/// Thresholds of the gap list.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GapRules {
    /// Not offered and wanted by at least this share of families: add.
    pub high: f64,
    /// Offered but even the interval's upper end is below this share: review.
    pub low: f64,
}

impl Default for GapRules {
    fn default() -> Self {
        Self {
            high: 0.30,
            low: 0.10,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GapAction {
    /// 建议新增: high demand, not offered.
    Add,
    /// 建议扩容: expected participants above capacity.
    Expand,
    /// 建议复核: offered, low demand.
    Review,
}

impl GapAction {
    pub fn label(self) -> &'static str {
        match self {
            GapAction::Add => "建议新增",
            GapAction::Expand => "建议扩容",
            GapAction::Review => "建议复核",
        }
    }
}

/// One category of one school against its plan.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GapRow {
    pub school_id: i64,
    pub school: String,
    pub category: String,
    pub label: String,
    /// The school's demand share (enrolment-weighted by grade when possible).
    pub share: Interval,
    pub enrolment: i64,
    /// Enrolment × share, with the share's interval.
    pub expected: Interval,
    pub offered: bool,
    pub capacity: u32,
    pub action: Option<GapAction>,
    /// The school's response rate is low: expected participants are 仅供参考.
    pub low_rate: bool,
}

/// The gap list of every school with a plan, from the report's per-school category shares
/// among all families. Suppressed cells give no gap (their figures are withheld).
pub fn gaps(
    shares: &[ShareRow],
    schools: &[SchoolRate],
    plans: &HashMap<i64, Plan>,
    rules: GapRules,
) -> Vec<GapRow> {
    let mut out = Vec::new();
    for s in schools {
        let Some(plan) = plans.get(&s.school_id) else {
            continue;
        };
        let key = s.school_id.to_string();
        for r in shares.iter().filter(|r| {
            r.dim == Dim::School
                && *r.group == *key
                && &*r.question == CATEGORY
                && r.base == Base::All
        }) {
            let Some(share) = r.weighted.or(r.raw) else {
                continue;
            };
            let e = s.enrolment as f64;
            let expected = Interval {
                estimate: e * share.estimate,
                low: e * share.low,
                high: e * share.high,
            };
            let offered = plan.offers(&r.value);
            let capacity = plan.capacity_in(&r.value);
            let action = if !offered && share.estimate >= rules.high {
                Some(GapAction::Add)
            } else if offered && expected.low > f64::from(capacity) {
                Some(GapAction::Expand)
            } else if offered && share.high < rules.low {
                Some(GapAction::Review)
            } else {
                None
            };
            out.push(GapRow {
                school_id: s.school_id,
                school: r.group_label.to_string(),
                category: r.value.to_string(),
                label: r.label.to_string(),
                share,
                enrolment: s.enrolment,
                expected,
                offered,
                capacity,
                action,
                low_rate: s.low_rate,
            });
        }
    }
    out
}

/// The share of urban schools meeting each target, with the schools that miss one.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Targets {
    pub urban_schools: usize,
    /// Urban schools whose plan runs 2+3 or more.
    pub two_plus_three: usize,
    /// Urban schools whose plan offers a science activity.
    pub science: usize,
    pub target: f64,
    pub missing: Vec<MissingTarget>,
}

impl Targets {
    pub fn share(&self, met: usize) -> Option<f64> {
        (self.urban_schools > 0).then(|| met as f64 / self.urban_schools as f64)
    }
}

/// An urban school that misses a target (no plan misses both).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MissingTarget {
    pub township: String,
    pub code: String,
    pub name: String,
    pub has_plan: bool,
    pub lacks_two_plus_three: bool,
    pub lacks_science: bool,
}

/// The bureau's targets over the urban (城区) schools of `schools`, from their latest plans.
pub fn targets(schools: &[SchoolRate], plans: &HashMap<i64, Plan>) -> Targets {
    let mut t = Targets {
        urban_schools: 0,
        two_plus_three: 0,
        science: 0,
        target: 0.8,
        missing: Vec::new(),
    };
    for s in schools.iter().filter(|s| s.urban2 == "城区") {
        t.urban_schools += 1;
        let plan = plans.get(&s.school_id);
        let n3 = plan.is_some_and(|p| p.extra_n >= 3);
        let sci = plan.is_some_and(|p| p.offers("science"));
        t.two_plus_three += usize::from(n3);
        t.science += usize::from(sci);
        if !n3 || !sci {
            t.missing.push(MissingTarget {
                township: s.township.clone(),
                code: s.code.clone(),
                name: s.name.clone(),
                has_plan: plan.is_some(),
                lacks_two_plus_three: !n3,
                lacks_science: !sci,
            });
        }
    }
    // `schools` come in township order, so the missing list is grouped by township.
    t
}
