//! The polars half of the engine: counters → stratum cells with post-stratification weights →
//! sums per school and grade → sums per township, urban/rural class and the whole scope.

use std::collections::HashMap;

use polars::prelude::*;

use super::engine::{stage_name, urban, Cells, Sums, NO_GRADE};
use super::inputs::Inputs;
use super::model::Dim;
use crate::domain::school::UrbanRuralCode;
use crate::domain::tally::{self, CATEGORY, TOTAL};

/// The counters as a frame: school_id, grade, segment, question, value, n.
fn counts_frame(inputs: &Inputs) -> PolarsResult<DataFrame> {
    let c = &inputs.counts;
    DataFrame::new(
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
            Column::new(
                "segment".into(),
                c.iter().map(|r| r.segment.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "question".into(),
                c.iter().map(|r| r.question_id.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "value".into(),
                c.iter().map(|r| r.value.as_str()).collect::<Vec<_>>(),
            ),
            Column::new("n".into(), c.iter().map(|r| r.n).collect::<Vec<_>>()),
        ],
    )
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
    let counts = counts_frame(inputs)?.lazy();
    let need = tally::need_segment(&inputs.definition).map(str::to_string);
    let is_total = col("question").eq(lit(TOTAL));
    // Numerators, and the answered-bases of questions (value ""): categories among all
    // families, everything else among those who answered.
    let mut parts = vec![
        counts.clone().filter(is_total.clone().not()).with_column(
            when(col("question").eq(lit(CATEGORY)))
                .then(lit("all"))
                .otherwise(lit("answered"))
                .alias("base"),
        ),
        // The base of the categories: every respondent.
        counts
            .clone()
            .filter(is_total.clone())
            .with_columns([lit(CATEGORY).alias("question"), lit("all").alias("base")]),
    ];
    if let Some(need) = need {
        // Categories among families who need the service, and that base.
        parts.push(
            counts
                .clone()
                .filter(
                    col("segment")
                        .eq(lit(need))
                        .and(col("question").eq(lit(CATEGORY)).or(is_total.clone())),
                )
                .with_columns([lit(CATEGORY).alias("question"), lit("need").alias("base")]),
        );
    }
    let keys = [col("school_id"), col("grade")];
    let weights = counts
        .filter(is_total)
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
        .group_by([
            col("school_id"),
            col("grade"),
            col("question"),
            col("value"),
            col("base"),
        ])
        .agg([col("n").sum().alias("k")])
        .join(weights, keys.clone(), keys, JoinArgs::new(JoinType::Left))
        .with_columns([
            (col("k").cast(DataType::Float64) * col("w")).alias("kw"),
            (col("k").cast(DataType::Float64) * col("w") * col("w")).alias("kw2"),
        ]);
    let qvb = [col("question"), col("value"), col("base")];
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
    tracing::debug!(ms = t.elapsed().as_millis() as u64, "by school and grade collected");
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
        out.insert(dim, cells_of(&df, key)?);
    }
    out.insert(Dim::School, cells_of(&by_school, "school_id")?);
    let grade_cells = cells_of(&by_grade, "grade")?;
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

/// Reads a grouped frame into the lookup the row builder uses.
fn cells_of(df: &DataFrame, key: &str) -> anyhow::Result<Cells> {
    let keys = df.column(key)?.cast(&DataType::String)?;
    let keys = keys.str()?;
    let q = df.column("question")?.str()?;
    let v = df.column("value")?.str()?;
    let b = df.column("base")?.str()?;
    let k = df.column("k")?.i64()?;
    let kw = df.column("kw")?.f64()?;
    let kw2 = df.column("kw2")?.f64()?;
    let mut out = Cells::with_capacity(df.height());
    for i in 0..df.height() {
        let s = |o: Option<&str>| o.unwrap_or_default().to_string();
        out.insert(
            (s(keys.get(i)), s(q.get(i)), s(v.get(i)), s(b.get(i))),
            Sums {
                k: k.get(i).unwrap_or(0),
                kw: kw.get(i).unwrap_or(0.0),
                kw2: kw2.get(i).unwrap_or(0.0),
            },
        );
    }
    Ok(out)
}
