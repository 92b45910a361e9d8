//! The polars half of the engine: counters → stratum cells with post-stratification weights →
//! sums per school and grade → sums per township, urban/rural class and the whole scope.

use std::collections::HashMap;

use polars::prelude::*;

use super::engine::{stage_name, urban, Cells, Sums, NO_GRADE};
use super::inputs::Inputs;
use super::model::Dim;
use crate::db::counts::ITEM_SEP;
use crate::domain::school::UrbanRuralCode;
use crate::domain::tally::{CATEGORY, TOTAL};

/// `(question, value)` of each item code in the counters frame.
type Items = Vec<(String, String)>;

/// Bases as codes in the frame (see [`BASES`]).
const BASES: [&str; 3] = ["all", "need", "answered"];

/// The counters as a frame of integers — school_id, grade, item (an interned `(question,
/// value)`), total / category / need flags, n — so polars groups numbers, not strings.
/// Returns the frame, the item dictionary and the item code of the categories' base.
fn counts_frame(inputs: &Inputs) -> PolarsResult<(DataFrame, Items, u32)> {
    let c = &inputs.counts;
    let mut codes: HashMap<&str, u32> = HashMap::new();
    // Item 0 is the categories' base: the response total, re-labelled.
    let mut items: Items = vec![(CATEGORY.to_string(), String::new())];
    let mut item = Vec::with_capacity(c.len());
    let (mut total, mut category) = (Vec::with_capacity(c.len()), Vec::with_capacity(c.len()));
    for r in c {
        let next = items.len() as u32;
        let code = *codes.entry(r.item.as_str()).or_insert_with(|| {
            let (q, v) = r.item.split_once(ITEM_SEP).unwrap_or((&r.item, ""));
            items.push((q.to_string(), v.to_string()));
            next
        });
        item.push(code);
        let q = &items[code as usize].0;
        total.push(q == TOTAL);
        category.push(q == CATEGORY);
    }
    let df = DataFrame::new(
        c.len(),
        vec![
            Column::new(
                "school_id".into(),
                c.iter().map(|r| r.school_id).collect::<Vec<_>>(),
            ),
            Column::new(
                "grade".into(),
                c.iter().map(|r| r.grade).collect::<Vec<_>>(),
            ),
            Column::new("item".into(), item),
            Column::new("total".into(), total),
            Column::new("category".into(), category),
            Column::new("need".into(), c.iter().map(|r| r.need).collect::<Vec<_>>()),
            Column::new("n".into(), c.iter().map(|r| r.n).collect::<Vec<_>>()),
        ],
    )?;
    Ok((df, items, 0))
}

/// Each school's attributes as a frame: the keys of the school-level dimensions.
fn schools_frame(inputs: &Inputs) -> PolarsResult<DataFrame> {
    let s = &inputs.schools;
    let ur = |f: fn(UrbanRuralCode) -> &'static str| -> Vec<&'static str> {
        s.iter()
            .map(|x| urban(x.urban_rural_code).map_or("", f))
            .collect()
    };
    DataFrame::new(
        s.len(),
        vec![
            Column::new(
                "school_id".into(),
                s.iter().map(|x| x.id).collect::<Vec<_>>(),
            ),
            Column::new(
                "township".into(),
                s.iter().map(|x| x.township.as_str()).collect::<Vec<_>>(),
            ),
            Column::new("urban2".into(), ur(|u| u.two_way().label())),
            Column::new("urban3".into(), ur(|u| u.three_way().label())),
            Column::new("total".into(), vec!["all"; s.len()]),
        ],
    )
}

fn enrolment_frame(inputs: &Inputs) -> PolarsResult<DataFrame> {
    let e: Vec<(&(i64, i32), &i64)> = inputs.enrolment.iter().collect();
    DataFrame::new(
        e.len(),
        vec![
            Column::new(
                "school_id".into(),
                e.iter().map(|((s, _), _)| *s).collect::<Vec<_>>(),
            ),
            Column::new(
                "grade".into(),
                e.iter().map(|((_, g), _)| *g).collect::<Vec<_>>(),
            ),
            Column::new(
                "enrol".into(),
                e.iter().map(|(_, n)| **n as f64).collect::<Vec<_>>(),
            ),
        ],
    )
}

fn sums() -> [Expr; 3] {
    [
        col("k").sum().alias("k"),
        col("kw").sum().alias("kw"),
        col("kw2").sum().alias("kw2"),
    ]
}

/// Per-dimension sums. polars does the heavy part: from the counters to stratum cells with
/// weights, to schools and grades, then from schools to townships and urban/rural classes.
pub(super) fn group_sums(inputs: &Inputs) -> anyhow::Result<HashMap<Dim, Cells>> {
    let (frame, items, category_base) = counts_frame(inputs)?;
    let counts = frame.lazy();
    let base = |b: usize| lit(b as i32).alias("base");
    // Numerators, and the answered-bases of questions (value ""): categories among all
    // families (base 0), everything else among those who answered (base 2).
    let parts = vec![
        counts.clone().filter(col("total").not()).with_column(
            when(col("category"))
                .then(lit(0i32))
                .otherwise(lit(2i32))
                .alias("base"),
        ),
        // The base of the categories: every respondent.
        counts.clone().filter(col("total")).with_columns([
            lit(category_base).cast(DataType::UInt32).alias("item"),
            base(0),
        ]),
        // Categories among families who need the service (base 1), and that base; with no
        // segmenting question no row is flagged `need`.
        counts
            .clone()
            .filter(col("need").and(col("category").or(col("total"))))
            .with_columns([
                when(col("total"))
                    .then(lit(category_base))
                    .otherwise(col("item"))
                    .cast(DataType::UInt32)
                    .alias("item"),
                base(1),
            ]),
    ];
    let keys = [col("school_id"), col("grade")];
    let weights = counts
        .filter(col("total"))
        .group_by(keys.clone())
        .agg([col("n").sum().cast(DataType::Float64).alias("resp")])
        .join(
            enrolment_frame(inputs)?.lazy(),
            keys.clone(),
            keys.clone(),
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("grade").gt(lit(0)).and(col("enrol").gt(lit(0.0))))
                .then(col("enrol") / col("resp"))
                .otherwise(lit(0.0))
                .alias("w"),
        )
        .select([col("school_id"), col("grade"), col("w")]);
    let cells = concat(parts, UnionArgs::default())?
        .group_by([col("school_id"), col("grade"), col("item"), col("base")])
        .agg([col("n").sum().alias("k")])
        .join(weights, keys.clone(), keys, JoinArgs::new(JoinType::Left))
        .with_columns([
            (col("k").cast(DataType::Float64) * col("w")).alias("kw"),
            (col("k").cast(DataType::Float64) * col("w") * col("w")).alias("kw2"),
        ])
        .collect()?
        .lazy();
    let qvb = [col("item"), col("base")];
    let by = |key: &str| {
        let mut k = vec![col(key)];
        k.extend(qvb.iter().cloned());
        k
    };
    let t = std::time::Instant::now();
    let by_school = cells
        .clone()
        .group_by(by("school_id"))
        .agg(sums())
        .collect()?;
    let by_grade = cells.group_by(by("grade")).agg(sums()).collect()?;
    tracing::debug!(
        ms = t.elapsed().as_millis() as u64,
        "by school and grade collected"
    );
    let mut out = HashMap::new();
    let school_level = by_school.clone().lazy().join(
        schools_frame(inputs)?.lazy(),
        [col("school_id")],
        [col("school_id")],
        JoinArgs::new(JoinType::Inner),
    );
    for (dim, key) in [
        (Dim::Total, "total"),
        (Dim::Township, "township"),
        (Dim::Urban2, "urban2"),
        (Dim::Urban3, "urban3"),
    ] {
        let df = school_level
            .clone()
            .group_by(by(key))
            .agg(sums())
            .collect()?;
        out.insert(dim, cells_of(&df, key, &items)?);
    }
    out.insert(Dim::School, cells_of(&by_school, "school_id", &items)?);
    let grade_cells = cells_of(&by_grade, "grade", &items)?;
    let mut stage_cells = Cells::new();
    for ((g, q, v, b), s) in &grade_cells {
        let stage = g.parse::<i32>().map_or(NO_GRADE, stage_name).to_string();
        let e = stage_cells
            .entry((stage, q.clone(), v.clone(), b.clone()))
            .or_default();
        e.k += s.k;
        e.kw += s.kw;
        e.kw2 += s.kw2;
    }
    out.insert(Dim::Grade, grade_cells);
    out.insert(Dim::Stage, stage_cells);
    Ok(out)
}

/// Reads a grouped frame into the lookup the row builder uses, decoding items and bases.
fn cells_of(df: &DataFrame, key: &str, items: &Items) -> anyhow::Result<Cells> {
    let keys = df.column(key)?.cast(&DataType::String)?;
    let keys = keys.str()?;
    let item = df.column("item")?.u32()?;
    let base = df.column("base")?.i32()?;
    let k = df.column("k")?.i64()?;
    let kw = df.column("kw")?.f64()?;
    let kw2 = df.column("kw2")?.f64()?;
    let mut out = Cells::with_capacity(df.height());
    for i in 0..df.height() {
        let (q, v) = item
            .get(i)
            .and_then(|c| items.get(c as usize))
            .ok_or_else(|| anyhow::anyhow!("unknown item in row {i}"))?;
        let b = base
            .get(i)
            .and_then(|b| BASES.get(b as usize))
            .ok_or_else(|| anyhow::anyhow!("unknown base in row {i}"))?;
        out.insert(
            (
                keys.get(i).unwrap_or_default().to_string(),
                q.clone(),
                v.clone(),
                (*b).to_string(),
            ),
            Sums {
                k: k.get(i).unwrap_or(0),
                kw: kw.get(i).unwrap_or(0.0),
                kw2: kw2.get(i).unwrap_or(0.0),
            },
        );
    }
    Ok(out)
}
