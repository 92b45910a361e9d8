//! The engine's lookup of sums: one dimension's `group × item × base` cells, keyed by integers
//! so that building tens of thousands of rows looks numbers up instead of hashing strings.

use std::collections::HashMap;

use foldhash::fast::RandomState;

use super::engine::Sums;
use super::model::Base;
use crate::db::counter_columns::Items;

/// Bases as codes, in [`Base`] order.
pub(super) const BASES: [Base; 4] = [Base::All, Base::Need, Base::Answered, Base::Interest];

pub(super) fn base_code(b: Base) -> u8 {
    match b {
        Base::All => 0,
        Base::Need => 1,
        Base::Answered => 2,
        Base::Interest => 3,
    }
}

/// One dimension's sums.
#[derive(Debug, Default)]
pub(super) struct Cells {
    /// Group keys (a school id, a grade, a township's name, …) in order of first appearance.
    groups: Vec<String>,
    group_codes: HashMap<String, u32, RandomState>,
    sums: HashMap<(u32, u32, u8), Sums, RandomState>,
}

impl Cells {
    pub fn with_capacity(n: usize) -> Cells {
        Cells {
            sums: HashMap::with_capacity_and_hasher(n, RandomState::default()),
            ..Cells::default()
        }
    }

    /// The code of group `key`, added if new.
    pub fn group_code(&mut self, key: &str) -> u32 {
        if let Some(g) = self.group_codes.get(key) {
            return *g;
        }
        let g = self.groups.len() as u32;
        self.groups.push(key.to_string());
        self.group_codes.insert(key.to_string(), g);
        g
    }

    /// Adds `s` to the cell of group code `group` × `item` × base code `base`.
    pub fn add(&mut self, group: u32, item: u32, base: u8, s: Sums) {
        let e = self.sums.entry((group, item, base)).or_default();
        e.k += s.k;
        e.kw += s.kw;
        e.kw2 += s.kw2;
    }

    /// The group keys that have any cell.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// The sums of `group` × `(question, value)` × `base`, zero if there are none; `value`
    /// [`crate::domain::tally::ANSWERED`] is the base (denominator) itself.
    pub fn get(&self, items: &Items, group: &str, question: &str, value: &str, base: Base) -> Sums {
        (|| {
            let g = self.group_codes.get(group)?;
            let item = items.code(question, value)?;
            self.sums.get(&(*g, item, base_code(base))).copied()
        })()
        .unwrap_or_default()
    }

    /// The code of group `key`, if it has any cell.
    pub fn group(&self, key: &str) -> Option<u32> {
        self.group_codes.get(key).copied()
    }

    /// [`Cells::get`] with the group and item already coded.
    pub fn get_coded(&self, group: Option<u32>, item: Option<u32>, base: Base) -> Sums {
        match (group, item) {
            (Some(g), Some(i)) => self.sums.get(&(g, i, base_code(base))).copied(),
            _ => None,
        }
        .unwrap_or_default()
    }

    /// These cells with every group's sums under the one group `key`.
    pub fn regrouped(&self, key: &str) -> Cells {
        let mut out = Cells::default();
        let g = out.group_code(key);
        for (_, item, b, s) in self.iter() {
            out.add(g, item, base_code(b), *s);
        }
        out
    }

    /// Every cell as `(group, item, base, sums)`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32, Base, &Sums)> {
        self.sums.iter().map(|((g, i, b), s)| {
            (
                self.groups[*g as usize].as_str(),
                *i,
                BASES[usize::from(*b)],
                s,
            )
        })
    }
}
