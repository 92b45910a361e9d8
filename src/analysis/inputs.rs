//! What one analysis run reads from the database: the round, its definition, the schools in
//! scope with their enrolments, and their answer counters (never the responses themselves).

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context;

use crate::db::analysis::RoundSchool;
use crate::db::counter_columns::CountColumns;
use crate::db::rounds::Round;
use crate::db::versions::Versions;
use crate::db::{self, DbConnection};
use crate::domain::plan::Plan;
use crate::domain::survey::{SurveyDefinition, Taxonomy};

/// The round does not exist, or has no school in the scope asked for.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NothingToAnalyze(pub String);

/// Which schools a run covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every school in the round (the bureau's view).
    City,
    /// One township's schools.
    Township(String),
    /// One school's own report, by school code.
    School(String),
}

/// Everything the engine needs, loaded in one place.
pub struct Inputs {
    pub round: Round,
    pub definition: Arc<SurveyDefinition>,
    pub taxonomy: Taxonomy,
    pub scope: Scope,
    /// The round's schools in scope.
    pub schools: Vec<RoundSchool>,
    /// `(school_id, grade) → students` for the schools in scope.
    pub enrolment: HashMap<(i64, i32), i64>,
    pub counts: CountColumns,
    /// Each school's latest plan (一校一案), school id → plan.
    pub plans: HashMap<i64, Plan>,
}

impl Inputs {
    pub fn load(
        conn: &mut DbConnection,
        versions: &Versions,
        round_id: i64,
        scope: Scope,
    ) -> anyhow::Result<Inputs> {
        let round = db::rounds::find(conn, round_id)?
            .ok_or_else(|| NothingToAnalyze(format!("第 {round_id} 轮不存在")))?;
        let mut definition = versions.version(conn, &round.survey_hash)?;
        let mut schools =
            db::analysis::round_schools(conn, round_id).context("reading the round's schools")?;
        match &scope {
            Scope::City => {}
            Scope::Township(t) => schools.retain(|s| &s.township == t),
            Scope::School(code) => schools.retain(|s| &s.code == code),
        }
        // A school's own report asks its supplement's questions too; the city's and a
        // township's read the core only, so supplement counters are never looked up there.
        if let (Scope::School(_), [one]) = (&scope, schools.as_slice()) {
            if let Some(derived) = db::supplements::derived_hash(conn, round_id, one.id)? {
                definition = versions.version(conn, &derived)?;
            }
        }
        if schools.is_empty() {
            return Err(
                NothingToAnalyze(format!("第 {round_id} 轮没有符合范围的学校：{scope:?}")).into(),
            );
        }
        let ids: std::collections::HashSet<i64> = schools.iter().map(|s| s.id).collect();
        let enrolment = db::analysis::enrolments(conn)?
            .into_iter()
            .filter(|(s, _, _)| ids.contains(s))
            .map(|(s, g, n)| ((s, g), i64::from(n)))
            .collect();
        let t = std::time::Instant::now();
        // Responses committed in the last second may not be counted yet: count them now.
        db::counts::fold_all(conn, versions).context("counting the latest responses")?;
        tracing::debug!(
            ms = t.elapsed().as_millis() as u64,
            "waiting responses folded"
        );
        let t = std::time::Instant::now();
        let segments = db::counter_columns::Segments {
            need: crate::domain::tally::need_segment(&definition).map(String::from),
            interest: crate::domain::tally::interest_segments(&definition),
        };
        let load = |conn: &mut DbConnection, school| {
            db::counter_columns::load(conn, round_id, school, &segments)
        };
        let counts = match (&scope, schools.as_slice()) {
            (Scope::School(_), [one]) => load(conn, Some(one.id))?,
            (Scope::City, _) => load(conn, None)?,
            _ => {
                let mut all = load(conn, None)?;
                all.retain_schools(|s| ids.contains(&s));
                all
            }
        };
        tracing::debug!(ms = t.elapsed().as_millis() as u64, "counters read");
        let mut plans = db::plans::latest(conn, None)?;
        plans.retain(|id, _| ids.contains(id));
        Ok(Inputs {
            plans,
            round,
            definition,
            taxonomy: versions.taxonomy().clone(),
            scope,
            schools,
            enrolment,
            counts,
        })
    }

    /// 全市, the township's name or the school's name.
    pub fn scope_label(&self) -> String {
        match &self.scope {
            Scope::City => "全市".into(),
            Scope::Township(t) => t.clone(),
            Scope::School(_) => self
                .schools
                .first()
                .map(|s| s.name.clone())
                .unwrap_or_default(),
        }
    }
}
