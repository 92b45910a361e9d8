//! Printed paper reply slips: numbering them within a school's round (with per-student codes,
//! one slip per code, numbered the first time it is printed), and finding a typed serial's slip.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{paper_slips, responses};
use super::DbConnection;

fn next_no(conn: &mut DbConnection, round_id: i64, school_id: i64) -> QueryResult<i32> {
    let max: Option<i32> = paper_slips::table
        .filter(paper_slips::round_id.eq(round_id))
        .filter(paper_slips::school_id.eq(school_id))
        .select(diesel::dsl::max(paper_slips::slip_no))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

fn insert(
    conn: &mut DbConnection,
    (round_id, school_id): (i64, i64),
    slip_no: i32,
    code: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(paper_slips::table)
        .values((
            paper_slips::round_id.eq(round_id),
            paper_slips::school_id.eq(school_id),
            paper_slips::slip_no.eq(slip_no),
            paper_slips::access_code.eq(code),
            paper_slips::printed_at.eq(now),
        ))
        .execute(conn)
}

/// The slip number of each code, in the order given; a code printed for the first time gets
/// the next free number.
pub fn number_codes(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: i64,
    codes: &[String],
    now: NaiveDateTime,
) -> QueryResult<Vec<i32>> {
    super::write_transaction(conn, |conn| {
        let known: Vec<(Option<String>, i32)> = paper_slips::table
            .filter(paper_slips::round_id.eq(round_id))
            .filter(paper_slips::school_id.eq(school_id))
            .filter(paper_slips::access_code.is_not_null())
            .select((paper_slips::access_code, paper_slips::slip_no))
            .load(conn)?;
        let mut next = next_no(conn, round_id, school_id)?;
        let mut out = Vec::with_capacity(codes.len());
        for code in codes {
            match known.iter().find(|(c, _)| c.as_ref() == Some(code)) {
                Some((_, n)) => out.push(*n),
                None => {
                    insert(conn, (round_id, school_id), next, Some(code), now)?;
                    out.push(next);
                    next += 1;
                }
            }
        }
        Ok(out)
    })
}

/// Reserves `count` new slip numbers for a school's round and returns them.
pub fn reserve(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: i64,
    count: usize,
    now: NaiveDateTime,
) -> QueryResult<Vec<i32>> {
    super::write_transaction(conn, |conn| {
        let first = next_no(conn, round_id, school_id)?;
        let last = first.saturating_add(i32::try_from(count).unwrap_or(i32::MAX));
        for n in first..last {
            insert(conn, (round_id, school_id), n, None, now)?;
        }
        Ok((first..last).collect())
    })
}

/// The printed slip with this number: `None` if it was never printed; otherwise the code it
/// carries, if any.
pub fn find(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: i64,
    slip_no: i32,
) -> QueryResult<Option<Option<String>>> {
    paper_slips::table
        .find((round_id, school_id, slip_no))
        .select(paper_slips::access_code)
        .first(conn)
        .optional()
}

/// Whether a response with this serial is stored.
pub fn serial_stored(conn: &mut DbConnection, serial: &str) -> QueryResult<bool> {
    let n: i64 = responses::table
        .filter(responses::serial.eq(serial))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
