//! What the monthly ledger (台账月报告) reads: the rounds open during the month with each
//! school's responses by the month's end, the schools and enrolments, and the plans as they
//! stood then; and the record of months whose ledger was e-mailed, which makes exactly one of
//! several instances send it.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::rounds::Round;
use super::schema::{answer_counts, ledger_sends, responses};
use super::schools::School;
use super::townships::Township;
use super::DbConnection;
use crate::domain::month::Month;
use crate::domain::plan::Plan;

/// A round that was open during the month, with responses per school by the month's end.
pub struct LedgerRound {
    pub round: Round,
    /// The round's schools: school id → responses.
    pub responses: HashMap<i64, i64>,
}

pub struct LedgerData {
    pub month: Month,
    pub rounds: Vec<LedgerRound>,
    pub townships: Vec<Township>,
    pub schools: Vec<School>,
    /// School id → students.
    pub enrolment: HashMap<i64, i64>,
    /// School id → its latest plan recorded before the month's end.
    pub plans: HashMap<i64, Plan>,
    /// Complaints received before the month's end, with their steps until then.
    pub complaints: Vec<super::complaints::LedgerComplaint>,
}

pub fn load(conn: &mut DbConnection, month: Month) -> anyhow::Result<LedgerData> {
    let (start, end) = (month.start_utc(), month.end_utc());
    let open: Vec<Round> = super::rounds::list(conn)?
        .into_iter()
        .filter(|r| r.opens_at < end && r.closes_at >= start)
        .collect();
    let mut rounds = Vec::new();
    for round in open {
        let mut per_school: HashMap<i64, i64> = super::rounds::publications(conn, round.id)?
            .into_iter()
            .map(|p| (p.school_id, 0))
            .collect();
        for (school, n) in responses_by(conn, &round, end)? {
            per_school.insert(school, n);
        }
        rounds.push(LedgerRound {
            round,
            responses: per_school,
        });
    }
    rounds.sort_by_key(|r| (r.round.opens_at, r.round.id));
    Ok(LedgerData {
        month,
        rounds,
        townships: super::townships::list(conn)?,
        schools: super::schools::list(conn)?,
        enrolment: super::stats::enrolment_per_school(conn)?
            .into_iter()
            .collect(),
        plans: super::plans::latest_before(conn, None, Some(end))?,
        complaints: super::complaints::for_ledger(conn, end)?,
    })
}

/// Responses per school submitted before `end`; for a round whose raw responses were deleted
/// after retention, the counters' totals (by then every response had been counted).
fn responses_by(
    conn: &mut DbConnection,
    round: &Round,
    end: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64)>> {
    if round.purged_at.is_some() {
        let rows: Vec<(i64, i64)> = answer_counts::table
            .filter(answer_counts::round_id.eq(round.id))
            .filter(answer_counts::question_id.eq(crate::domain::tally::TOTAL))
            .select((answer_counts::school_id, answer_counts::n))
            .load(conn)?;
        let mut per: HashMap<i64, i64> = HashMap::new();
        for (s, n) in rows {
            *per.entry(s).or_default() += n;
        }
        return Ok(per.into_iter().collect());
    }
    responses::table
        .filter(responses::round_id.eq(round.id))
        .filter(responses::submitted_at.lt(end))
        .group_by(responses::school_id)
        .select((responses::school_id, count_star()))
        .load(conn)
}

/// Records that `month`'s ledger is being sent; `false` if it was already (by this instance or
/// another), in which case it must not be sent again.
pub fn claim_send(
    conn: &mut DbConnection,
    month: Month,
    recipients: usize,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(ledger_sends::table)
        .values((
            ledger_sends::month.eq(month.to_string()),
            ledger_sends::sent_at.eq(now),
            ledger_sends::recipients.eq(i32::try_from(recipients).unwrap_or(i32::MAX)),
        ))
        .execute(conn);
    super::claimed(inserted)
}

/// Undoes a claim whose sending failed, so that the next attempt sends it.
pub fn release_send(conn: &mut DbConnection, month: Month) -> QueryResult<usize> {
    diesel::delete(ledger_sends::table.filter(ledger_sends::month.eq(month.to_string())))
        .execute(conn)
}

/// When `month`'s ledger was sent, if it was.
pub fn sent_at(conn: &mut DbConnection, month: Month) -> QueryResult<Option<NaiveDateTime>> {
    ledger_sends::table
        .filter(ledger_sends::month.eq(month.to_string()))
        .select(ledger_sends::sent_at)
        .first(conn)
        .optional()
}
