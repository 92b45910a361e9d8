//! School plans (一校一案), append-only: each import or edit adds a revision with its
//! activities; the latest revision of a school's term is its current plan.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{plan_activities, plan_revisions, schools};
use super::DbConnection;
use crate::domain::plan::{Activity, Plan};
use crate::domain::school::SchoolCode;

/// Stores each plan as a new revision, all in one transaction. Returns the revision ids.
pub fn import(
    conn: &mut DbConnection,
    plans: &[Plan],
    source: &str,
    now: NaiveDateTime,
) -> anyhow::Result<Vec<i64>> {
    conn.transaction(|conn| {
        let ids: HashMap<String, i64> = schools::table
            .select((schools::code, schools::id))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect();
        let at = now;
        let mut out = Vec::with_capacity(plans.len());
        for p in plans {
            let school_id = *ids
                .get(p.school.as_str())
                .ok_or_else(|| anyhow::anyhow!("unknown school {}", p.school.as_str()))?;
            diesel::insert_into(plan_revisions::table)
                .values((
                    plan_revisions::school_id.eq(school_id),
                    plan_revisions::term.eq(&p.term),
                    plan_revisions::extra_n.eq(i32::from(p.extra_n)),
                    plan_revisions::days_per_week.eq(i32::from(p.days_per_week)),
                    plan_revisions::minutes_per_day.eq(i32::from(p.minutes_per_day)),
                    plan_revisions::resources.eq(serde_json::to_string(&p.resources)?),
                    plan_revisions::teachers.eq(i32::from(p.teachers)),
                    plan_revisions::outside_staff.eq(i32::from(p.outside_staff)),
                    plan_revisions::source.eq(source),
                    plan_revisions::created_at.eq(at),
                ))
                .execute(conn)?;
            let id: i64 = plan_revisions::table
                .filter(plan_revisions::school_id.eq(school_id))
                .select(diesel::dsl::max(plan_revisions::id))
                .first::<Option<i64>>(conn)?
                .ok_or_else(|| anyhow::anyhow!("revision not stored"))?;
            for (i, a) in p.activities.iter().enumerate() {
                diesel::insert_into(plan_activities::table)
                    .values((
                        plan_activities::revision_id.eq(id),
                        plan_activities::position.eq(i as i32),
                        plan_activities::name.eq(&a.name),
                        plan_activities::category.eq(&a.category),
                        plan_activities::weekly_sessions.eq(i32::from(a.weekly_sessions)),
                        plan_activities::capacity.eq(a.capacity as i32),
                        plan_activities::fee_yuan.eq(a.fee_yuan as i32),
                    ))
                    .execute(conn)?;
            }
            out.push(id);
        }
        Ok(out)
    })
}

type RevisionRow = (i64, i64, String, i32, i32, i32, String, i32, i32);

/// Each school's latest plan revision (of `term`, or of any term): school id → plan.
pub fn latest(conn: &mut DbConnection, term: Option<&str>) -> anyhow::Result<HashMap<i64, Plan>> {
    latest_before(conn, term, None)
}

/// Each school's latest plan revision recorded before `before` (all revisions if `None`).
pub fn latest_before(
    conn: &mut DbConnection,
    term: Option<&str>,
    before: Option<chrono::NaiveDateTime>,
) -> anyhow::Result<HashMap<i64, Plan>> {
    let mut q = plan_revisions::table
        .select((
            plan_revisions::id,
            plan_revisions::school_id,
            plan_revisions::term,
            plan_revisions::extra_n,
            plan_revisions::days_per_week,
            plan_revisions::minutes_per_day,
            plan_revisions::resources,
            plan_revisions::teachers,
            plan_revisions::outside_staff,
        ))
        .order(plan_revisions::id)
        .into_boxed();
    if let Some(t) = term {
        q = q.filter(plan_revisions::term.eq(t));
    }
    if let Some(b) = before {
        q = q.filter(plan_revisions::created_at.lt(b));
    }
    let revisions: Vec<RevisionRow> = q.load(conn)?;
    // Ids grow, so the last revision seen for a school is its latest.
    let mut newest: HashMap<i64, RevisionRow> = HashMap::new();
    for r in revisions {
        newest.insert(r.1, r);
    }
    let codes: HashMap<i64, String> = schools::table
        .select((schools::id, schools::code))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let mut out = HashMap::new();
    for (school_id, (id, _, term, n, days, minutes, resources, teachers, outside)) in newest {
        let activities = plan_activities::table
            .filter(plan_activities::revision_id.eq(id))
            .order(plan_activities::position)
            .select((
                plan_activities::name,
                plan_activities::category,
                plan_activities::weekly_sessions,
                plan_activities::capacity,
                plan_activities::fee_yuan,
            ))
            .load::<(String, String, i32, i32, i32)>(conn)?
            .into_iter()
            .map(|(name, category, s, c, f)| Activity {
                name,
                category,
                weekly_sessions: s as u8,
                capacity: c as u32,
                fee_yuan: f as u32,
            })
            .collect();
        let code = codes.get(&school_id).cloned().unwrap_or_default();
        out.insert(
            school_id,
            Plan {
                school: SchoolCode::parse(&code).map_err(|e| anyhow::anyhow!("{e}"))?,
                term,
                extra_n: n as u8,
                days_per_week: days as u8,
                minutes_per_day: minutes as u16,
                resources: serde_json::from_str(&resources)?,
                teachers: teachers as u16,
                outside_staff: outside as u16,
                activities,
            },
        );
    }
    Ok(out)
}

/// How many revisions a school's plans have (every import is kept).
pub fn revision_count(conn: &mut DbConnection, school_id: i64) -> QueryResult<i64> {
    plan_revisions::table
        .filter(plan_revisions::school_id.eq(school_id))
        .count()
        .get_result(conn)
}

/// One stored revision, as a school's plan page lists it.
#[derive(Debug, Clone)]
pub struct Revision {
    pub created_at: NaiveDateTime,
    pub term: String,
    pub source: String,
    pub activities: i64,
}

/// A school's latest `limit` revisions, newest first, with their activity counts.
pub fn recent_revisions(
    conn: &mut DbConnection,
    school_id: i64,
    limit: i64,
) -> QueryResult<Vec<Revision>> {
    let rows: Vec<(i64, NaiveDateTime, String, String)> = plan_revisions::table
        .filter(plan_revisions::school_id.eq(school_id))
        .order((plan_revisions::created_at.desc(), plan_revisions::id.desc()))
        .limit(limit)
        .select((
            plan_revisions::id,
            plan_revisions::created_at,
            plan_revisions::term,
            plan_revisions::source,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, created_at, term, source)| {
            let activities = plan_activities::table
                .filter(plan_activities::revision_id.eq(id))
                .count()
                .get_result(conn)?;
            Ok(Revision {
                created_at,
                term,
                source,
                activities,
            })
        })
        .collect()
}
