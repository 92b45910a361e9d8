//! Secondary suppression. A breakdown's groups add up to their parent: the townships to the
//! city, a township's schools to the township, 镇区 and 乡村 to 农村, a stage's grades to the
//! stage, the online answers and the paper slips to the whole scope. If exactly one group of
//! such a partition is hidden, its figures follow from the parent's minus the others'. So the
//! smallest shown group of that partition is hidden too. Groups without a respondent reveal
//! nothing and are left out of the count. Within a group, the options of a single-choice
//! question add up to its respondents in the same way.

use std::collections::{HashMap, HashSet};

use super::model::{Dim, MeanRow, Report, ScoreRow, ShareRow};

/// Teachers' answers: any figure of fewer than this many teachers is hidden, even in a school's
/// own report, because a school has few teachers and they are easy to tell apart.
pub const TEACHER_MIN_CELL: i64 = 5;

/// A row of a breakdown that can be hidden.
trait Cell {
    fn dim(&self) -> Dim;
    fn group(&self) -> &str;
    /// What is measured (question, value, base), the same across the groups of a partition.
    fn measure(&self) -> String;
    fn n(&self) -> i64;
    fn hidden(&self) -> bool;
    fn hide(&mut self);
}

impl Cell for ShareRow {
    fn dim(&self) -> Dim {
        self.dim
    }
    fn group(&self) -> &str {
        &self.group
    }
    fn measure(&self) -> String {
        format!(
            "{}\u{1f}{}\u{1f}{}",
            self.question,
            self.value,
            self.base.key()
        )
    }
    fn n(&self) -> i64 {
        self.n
    }
    fn hidden(&self) -> bool {
        self.suppressed
    }
    fn hide(&mut self) {
        self.suppressed = true;
        self.k = None;
        self.raw = None;
        self.weighted = None;
    }
}

impl Cell for ScoreRow {
    fn dim(&self) -> Dim {
        self.dim
    }
    fn group(&self) -> &str {
        &self.group
    }
    fn measure(&self) -> String {
        format!("{}\u{1f}{}", self.question, self.value)
    }
    fn n(&self) -> i64 {
        self.n
    }
    fn hidden(&self) -> bool {
        self.suppressed
    }
    fn hide(&mut self) {
        self.suppressed = true;
        self.score = None;
        self.weighted_score = None;
        self.first = None;
    }
}

impl Cell for MeanRow {
    fn dim(&self) -> Dim {
        self.dim
    }
    fn group(&self) -> &str {
        &self.group
    }
    fn measure(&self) -> String {
        self.question.clone()
    }
    fn n(&self) -> i64 {
        self.n
    }
    fn hidden(&self) -> bool {
        self.suppressed
    }
    fn hide(&mut self) {
        self.suppressed = true;
        self.raw = None;
        self.weighted = None;
    }
}

/// Applies secondary suppression to every table of a report above one school.
pub fn secondary(report: &mut Report) {
    if report.single_school {
        return;
    }
    // A school's parent is its township (school groups are keyed by school id).
    let township: HashMap<String, String> = report
        .schools
        .iter()
        .map(|s| (s.school_id.to_string(), s.township.clone()))
        .collect();
    let parent = |dim: Dim, group: &str| -> Option<String> {
        match dim {
            Dim::Total => None,
            Dim::School => Some(township.get(group).cloned().unwrap_or_default()),
            Dim::Urban3 => Some(
                if group == "城区" {
                    "城区"
                } else {
                    "农村"
                }
                .to_string(),
            ),
            Dim::Grade => Some(super::engine::stage_of_group(group).to_string()),
            Dim::Township | Dim::Urban2 | Dim::Stage | Dim::Channel => Some(String::new()),
        }
    };
    protect(&mut report.shares, &parent);
    protect(&mut report.scores, &parent);
    protect(&mut report.means, &parent);
}

fn protect<T: Cell>(rows: &mut [T], parent: &impl Fn(Dim, &str) -> Option<String>) {
    let mut partitions: HashMap<(Dim, String, String), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(p) = parent(r.dim(), r.group()) {
            partitions
                .entry((r.dim(), p, r.measure()))
                .or_default()
                .push(i);
        }
    }
    for members in partitions.values() {
        let hidden = members
            .iter()
            .filter(|&&i| rows[i].hidden() && rows[i].n() > 0)
            .count();
        if hidden != 1 {
            continue;
        }
        let smallest = members
            .iter()
            .copied()
            .filter(|&i| !rows[i].hidden() && rows[i].n() > 0)
            .min_by_key(|&i| (rows[i].n(), rows[i].group().to_string()));
        if let Some(i) = smallest {
            rows[i].hide();
        }
    }
}

/// The options of a single-choice question add up to the group's respondents, who are shown. If
/// exactly one option's figure is hidden (a teachers' figure under [`TEACHER_MIN_CELL`]), it
/// follows from the respondents minus the other options, so the smallest other option that
/// someone chose is hidden too.
pub fn within_choices(shares: &mut [ShareRow], single_choice: &HashSet<&str>) {
    let mut partitions: HashMap<(Dim, &str, &str, &str), Vec<usize>> = HashMap::new();
    for (i, r) in shares.iter().enumerate() {
        if single_choice.contains(&*r.question) {
            partitions
                .entry((r.dim, &r.group, &r.question, r.base.key()))
                .or_default()
                .push(i);
        }
    }
    let mut to_hide = Vec::new();
    for members in partitions.values() {
        if members.iter().filter(|&&i| shares[i].suppressed).count() != 1 {
            continue;
        }
        let smallest = members
            .iter()
            .copied()
            .filter(|&i| !shares[i].suppressed && shares[i].k.unwrap_or(0) > 0)
            .min_by_key(|&i| (shares[i].k, shares[i].value.to_string()));
        to_hide.extend(smallest);
    }
    for i in to_hide {
        shares[i].hide();
    }
}
