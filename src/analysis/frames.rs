//! The polars half of the engine: counters → stratum cells with post-stratification weights →
//! sums per school, grade and channel → sums per township, urban/rural class and the whole
//! scope.
//!
//! Every key polars groups or joins on is one integer: a stratum (a school's grade) is a dense
//! code, and a cell's `group × item × base` is packed into a `u64` (group in the high 32 bits,
//! then item × 4 + base), because grouping a million rows on four columns cost more than
//! everything else in the analysis together.

use std::collections::HashMap;

use polars::prelude::*;

use super::cells::{base_code, Cells, BASES};
use super::definitions::GRADE_MISMATCH;
use super::engine::{stage_of_group, urban, Sums};
use super::inputs::Inputs;
use super::model::Dim;
use crate::db::counter_columns::Items;
use crate::db::responses::{ONLINE, PAPER};
use crate::domain::school::UrbanRuralCode;
use crate::domain::tally::{ANSWERED, CATEGORY, TOTAL};

/// The group part of a packed key.
const GROUP: u64 = 1 << 32;

/// The strata the counters cover, as dense codes in order of first appearance.
#[derive(Default)]
struct Strata {
    /// School code → school id, and grade code → grade.
    schools: Vec<i64>,
    grades: Vec<i32>,
    /// Stratum code → (school code, grade code).
    strata: Vec<(u32, u32)>,
}

impl Strata {
    /// Each counter row's stratum code.
    fn code_rows(&mut self, school_id: &[i64], grade: &[i32]) -> Vec<u32> {
        let mut schools: HashMap<i64, u32> = HashMap::new();
        let mut grades: HashMap<i32, u32> = HashMap::new();
        let mut strata: HashMap<(u32, u32), u32> = HashMap::new();
        let mut last: Option<((i64, i32), u32)> = None;
        school_id
            .iter()
            .zip(grade)
            .map(|(&s, &g)| {
                // A stratum's rows mostly follow each other (SQLite reads them in key order);
                // the maps below catch any that do not.
                if let Some((key, code)) = last {
                    if key == (s, g) {
                        return code;
                    }
                }
                let sc = *schools.entry(s).or_insert_with(|| {
                    self.schools.push(s);
                    self.schools.len() as u32 - 1
                });
                let gc = *grades.entry(g).or_insert_with(|| {
                    self.grades.push(g);
                    self.grades.len() as u32 - 1
                });
                let code = *strata.entry((sc, gc)).or_insert_with(|| {
                    self.strata.push((sc, gc));
                    self.strata.len() as u32 - 1
                });
                last = Some(((s, g), code));
                code
            })
            .collect()
    }
}

/// The counters as a frame of integers — stratum, item, paper / total / category / need flags,
/// n — with the strata and the item dictionary (the categories' base added) and that base's
/// item code.
fn counts_frame(inputs: &Inputs) -> PolarsResult<(DataFrame, Strata, Items, u32)> {
    let c = &inputs.counts;
    let mut items = c.items.clone();
    // The categories' base: the response total, re-labelled.
    let category_base = items.intern(CATEGORY, ANSWERED);
    let question_is = |q: &str| -> Vec<bool> {
        (0..items.len() as u32)
            .map(|i| items.get(i).is_some_and(|(x, _)| x == q))
            .collect()
    };
    let (is_total, is_category) = (question_is(TOTAL), question_is(CATEGORY));
    let flag = |of: &[bool]| -> Vec<bool> { c.item.iter().map(|i| of[*i as usize]).collect() };
    let mut strata = Strata::default();
    let df = DataFrame::new(
        c.len(),
        vec![
            Column::new("stratum".into(), strata.code_rows(&c.school_id, &c.grade)),
            Column::new("item".into(), c.item.clone()),
            Column::new("paper".into(), c.paper.clone()),
            Column::new("total".into(), flag(&is_total)),
            Column::new("category".into(), flag(&is_category)),
            Column::new("need".into(), c.need.clone()),
            Column::new("interest".into(), c.interest.clone()),
            Column::new("n".into(), c.n.clone()),
        ],
    )?;
    Ok((df, strata, items, category_base))
}

/// Each stratum's school and grade codes, and its enrolment (null if unknown) where the grade
/// is a real one.
fn strata_frame(inputs: &Inputs, s: &Strata) -> PolarsResult<DataFrame> {
    let enrol = s.strata.iter().map(|&(sc, gc)| {
        let (school, grade) = (s.schools[sc as usize], s.grades[gc as usize]);
        let n = inputs.enrolment.get(&(school, grade)).copied();
        n.filter(|n| grade > 0 && *n > 0).map(|n| n as f64)
    });
    DataFrame::new(
        s.strata.len(),
        vec![
            Column::new(
                "stratum".into(),
                (0..s.strata.len() as u32).collect::<Vec<_>>(),
            ),
            Column::new(
                "school".into(),
                s.strata.iter().map(|x| u64::from(x.0)).collect::<Vec<_>>(),
            ),
            Column::new("grade".into(), grade_groups(inputs, s)),
            Column::new("enrol".into(), enrol.collect::<Vec<_>>()),
        ],
    )
}

/// Each stratum's grade group: its grade code, or one code past the last grade for a grade the
/// school has no pupils recorded in (年级不符), so that per-grade tables keep those responses
/// in a row of their own instead of mixing them with the grade elsewhere. Grade 0 (none given)
/// keeps its code: it is 未填年级.
fn grade_groups(inputs: &Inputs, s: &Strata) -> Vec<u64> {
    let mismatch = s.grades.len() as u64;
    s.strata
        .iter()
        .map(|&(sc, gc)| {
            let (school, grade) = (s.schools[sc as usize], s.grades[gc as usize]);
            let enrolled = inputs
                .enrolment
                .get(&(school, grade))
                .is_some_and(|n| *n > 0);
            if grade > 0 && !enrolled {
                mismatch
            } else {
                u64::from(gc)
            }
        })
        .collect()
}

/// A school-level dimension's group labels, and each school code's group.
type SchoolGroups = (Vec<String>, Vec<Option<u64>>);

/// A school-level dimension's group labels and each school code's group (schools outside the
/// scope's list have none, and drop out of these dimensions).
fn school_groups(inputs: &Inputs, s: &Strata, label: impl Fn(usize) -> String) -> SchoolGroups {
    let index: HashMap<i64, usize> = inputs
        .schools
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id, i))
        .collect();
    let mut labels: Vec<String> = Vec::new();
    let codes = s
        .schools
        .iter()
        .map(|id| {
            let l = label(*index.get(id)?);
            let code = labels.iter().position(|x| *x == l).unwrap_or_else(|| {
                labels.push(l);
                labels.len() - 1
            });
            Some(code as u64)
        })
        .collect();
    (labels, codes)
}

fn sums() -> [Expr; 3] {
    [
        col("n").sum().alias("k"),
        col("kw").sum().alias("kw"),
        col("kw2").sum().alias("kw2"),
    ]
}

/// `group × GROUP + item × 4 + base`, as polars computes it.
fn packed(group: Expr) -> Expr {
    group.cast(DataType::UInt64) * lit(GROUP).cast(DataType::UInt64)
        + col("rest").cast(DataType::UInt64)
}

/// The categories and their base (the response total, re-labelled as `category_base`) among
/// the counters flagged `flag`, as base `base`.
fn segment_part(counts: &LazyFrame, flag: &str, category_base: u32, base: Expr) -> LazyFrame {
    counts
        .clone()
        .filter(col(flag).and(col("category").or(col("total"))))
        .with_columns([
            when(col("total"))
                .then(lit(category_base))
                .otherwise(col("item"))
                .cast(DataType::UInt32)
                .alias("item"),
            base,
        ])
}

/// Per-dimension sums. polars does the heavy part: from the counters to stratum cells with
/// weights, to schools and grades, then from schools to townships and urban/rural classes.
pub(super) fn group_sums(inputs: &Inputs) -> anyhow::Result<(HashMap<Dim, Cells>, Items)> {
    let (frame, strata, items, category_base) = counts_frame(inputs)?;
    let counts = frame.lazy();
    let base = |b: u8| lit(u64::from(b)).alias("base");
    // Numerators, and the answered-bases of questions (value ""): categories among all
    // families (base 0), everything else among those who answered (base 2).
    let parts = vec![
        counts.clone().filter(col("total").not()).with_column(
            when(col("category"))
                .then(lit(0u64))
                .otherwise(lit(2u64))
                .alias("base"),
        ),
        // The base of the categories: every respondent.
        counts.clone().filter(col("total")).with_columns([
            lit(category_base).cast(DataType::UInt32).alias("item"),
            base(0),
        ]),
        // Categories among families who need the service (base 1), and that base; with no
        // segmenting question no row is flagged `need`.
        segment_part(&counts, "need", category_base, base(1)),
        // The same among families who need or may need it (base 3).
        segment_part(&counts, "interest", category_base, base(3)),
    ];
    let on = [col("stratum")];
    // Without a paper slip in scope every response is online: the channel's sums are the
    // whole scope's, and the cells need no third grouping.
    let any_paper = inputs.counts.paper.contains(&true);
    // A respondent in stratum h weighs N_h / n_h (see the engine's notes), whichever way they
    // answered: a stratum's weight counts its online answers and paper slips together.
    let weights = strata_frame(inputs, &strata)?
        .lazy()
        .join(
            counts
                .filter(col("total"))
                .group_by(on.clone())
                .agg([col("n").sum().cast(DataType::Float64).alias("resp")]),
            on.clone(),
            on.clone(),
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("enrol").is_not_null())
                .then(col("enrol") / col("resp"))
                .otherwise(lit(0.0))
                .alias("w"),
        )
        .select([col("stratum"), col("school"), col("grade"), col("w")]);
    let cells = concat(parts, UnionArgs::default())?
        .join(weights, on.clone(), on, JoinArgs::new(JoinType::Left))
        .with_columns([
            (col("n").cast(DataType::Float64) * col("w")).alias("kw"),
            (col("n").cast(DataType::Float64) * col("w") * col("w")).alias("kw2"),
            (col("item").cast(DataType::UInt64) * lit(4u64).cast(DataType::UInt64)
                + col("base").cast(DataType::UInt64))
            .alias("rest"),
        ])
        .with_columns([
            packed(col("school")).alias("sk"),
            packed(col("grade")).alias("gk"),
            packed(col("paper")).alias("ck"),
        ])
        .select(
            [col("sk"), col("gk"), col("n"), col("kw"), col("kw2")]
                .into_iter()
                .chain(any_paper.then(|| col("ck")))
                .collect::<Vec<_>>(),
        )
        .collect()?
        .lazy();
    let by_school = cells
        .clone()
        .group_by([col("sk").alias("key")])
        .agg(sums())
        .collect()?;
    let by_channel = if any_paper {
        let df = cells
            .clone()
            .group_by([col("ck").alias("key")])
            .agg(sums())
            .collect()?;
        Some(cells_of(&df, &[ONLINE.to_string(), PAPER.to_string()])?)
    } else {
        None
    };
    let by_grade = cells
        .group_by([col("gk").alias("key")])
        .agg(sums())
        .collect()?;
    let mut out = HashMap::new();
    // School-level dimensions: each school's sums go to its township or class.
    let keys: Vec<u64> = by_school.column("key")?.u64()?.iter().flatten().collect();
    let mut by_school_lazy = by_school.clone();
    by_school_lazy.with_column(Column::new(
        "school".into(),
        keys.iter().map(|k| k / GROUP).collect::<Vec<_>>(),
    ))?;
    by_school_lazy.with_column(Column::new(
        "rest".into(),
        keys.iter().map(|k| k % GROUP).collect::<Vec<_>>(),
    ))?;
    let by_school_lazy = by_school_lazy.lazy().with_column(col("k").alias("n"));
    let label_of = |f: fn(UrbanRuralCode) -> &'static str| {
        move |i: usize| {
            urban(inputs.schools[i].urban_rural_code)
                .map_or("", f)
                .to_string()
        }
    };
    let dims: [(Dim, SchoolGroups); 4] = [
        (
            Dim::Total,
            school_groups(inputs, &strata, |_| "all".to_string()),
        ),
        (
            Dim::Township,
            school_groups(inputs, &strata, |i| inputs.schools[i].township.clone()),
        ),
        (
            Dim::Urban2,
            school_groups(inputs, &strata, label_of(|u| u.two_way().label())),
        ),
        (
            Dim::Urban3,
            school_groups(inputs, &strata, label_of(|u| u.three_way().label())),
        ),
    ];
    for (dim, (labels, codes)) in dims {
        let map = DataFrame::new(
            codes.len(),
            vec![
                Column::new("school".into(), (0..codes.len() as u64).collect::<Vec<_>>()),
                Column::new("group".into(), codes),
            ],
        )?;
        let df = by_school_lazy
            .clone()
            .join(
                map.lazy().filter(col("group").is_not_null()),
                [col("school")],
                [col("school")],
                JoinArgs::new(JoinType::Inner),
            )
            .group_by([packed(col("group")).alias("key")])
            .agg(sums())
            .collect()?;
        out.insert(dim, cells_of(&df, &labels)?);
    }
    let school_labels: Vec<String> = strata.schools.iter().map(i64::to_string).collect();
    out.insert(Dim::School, cells_of(&by_school, &school_labels)?);
    let mut grade_labels: Vec<String> = strata.grades.iter().map(i32::to_string).collect();
    grade_labels.push(GRADE_MISMATCH.into());
    let grade_cells = cells_of(&by_grade, &grade_labels)?;
    let mut stage_cells = Cells::default();
    for (g, item, b, s) in grade_cells.iter() {
        let stage = stage_cells.group_code(stage_of_group(g));
        stage_cells.add(stage, item, base_code(b), *s);
    }
    out.insert(Dim::Grade, grade_cells);
    out.insert(Dim::Stage, stage_cells);
    let by_channel = match by_channel {
        Some(c) => c,
        None => out[&Dim::Total].regrouped(ONLINE),
    };
    out.insert(Dim::Channel, by_channel);
    Ok((out, items))
}

/// Reads a grouped frame (`key`, k, kw, kw2) into the lookup the row builder uses; `labels`
/// names the group codes of the keys.
fn cells_of(df: &DataFrame, labels: &[String]) -> anyhow::Result<Cells> {
    let key = df.column("key")?.u64()?;
    let k = df.column("k")?.i64()?;
    let kw = df.column("kw")?.f64()?;
    let kw2 = df.column("kw2")?.f64()?;
    let mut out = Cells::with_capacity(df.height());
    let mut codes: Vec<Option<u32>> = vec![None; labels.len()];
    let rows = key.iter().zip(k.iter().zip(kw.iter()).zip(kw2.iter()));
    for (i, (key, ((k, kw), kw2))) in rows.enumerate() {
        let unpacked = key.and_then(|key| {
            let group = usize::try_from(key / GROUP).ok()?;
            let rest = key % GROUP;
            let base = u8::try_from(rest % 4)
                .ok()
                .filter(|b| usize::from(*b) < BASES.len())?;
            Some((group, u32::try_from(rest / 4).ok()?, base))
        });
        let Some((group, item, base)) = unpacked.filter(|(g, ..)| *g < labels.len()) else {
            anyhow::bail!("row {i} of the sums has a bad key {key:?}");
        };
        let g = *codes[group].get_or_insert_with(|| out.group_code(&labels[group]));
        let s = Sums {
            k: k.unwrap_or(0),
            kw: kw.unwrap_or(0.0),
            kw2: kw2.unwrap_or(0.0),
        };
        out.add(g, item, base, s);
    }
    Ok(out)
}
