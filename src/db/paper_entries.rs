//! Double entry of paper reply slips: what each of the two people typed for a slip of a batch,
//! kept until the batch is compared and stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::paper_entries;
use super::DbConnection;

/// One typed slip of one pass.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = paper_entries)]
pub struct PaperEntry {
    pub pass: i32,
    pub serial: String,
    /// The typed `q.`-fields, as a JSON list of pairs.
    pub fields: String,
}

/// Keeps what one pass typed for a slip, replacing what that pass typed for it before.
pub fn save(
    conn: &mut DbConnection,
    (round_id, school_id): (i64, i64),
    (batch, pass): (&str, i32),
    serial: &str,
    fields: &str,
    (by, now): (i64, NaiveDateTime),
) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(
            paper_entries::table
                .filter(paper_entries::round_id.eq(round_id))
                .filter(paper_entries::school_id.eq(school_id))
                .filter(paper_entries::batch.eq(batch))
                .filter(paper_entries::pass.eq(pass))
                .filter(paper_entries::serial.eq(serial)),
        )
        .execute(conn)?;
        diesel::insert_into(paper_entries::table)
            .values((
                paper_entries::round_id.eq(round_id),
                paper_entries::school_id.eq(school_id),
                paper_entries::batch.eq(batch),
                paper_entries::pass.eq(pass),
                paper_entries::serial.eq(serial),
                paper_entries::fields.eq(fields),
                paper_entries::entered_by.eq(by),
                paper_entries::entered_at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Every entry of a batch, by serial and pass.
pub fn list(
    conn: &mut DbConnection,
    (round_id, school_id): (i64, i64),
    batch: &str,
) -> QueryResult<Vec<PaperEntry>> {
    paper_entries::table
        .filter(paper_entries::round_id.eq(round_id))
        .filter(paper_entries::school_id.eq(school_id))
        .filter(paper_entries::batch.eq(batch))
        .order((paper_entries::serial, paper_entries::pass))
        .select(PaperEntry::as_select())
        .load(conn)
}

/// Removes a slip's entries from a batch once it is stored.
pub fn remove(
    conn: &mut DbConnection,
    (round_id, school_id): (i64, i64),
    batch: &str,
    serial: &str,
) -> QueryResult<usize> {
    diesel::delete(
        paper_entries::table
            .filter(paper_entries::round_id.eq(round_id))
            .filter(paper_entries::school_id.eq(school_id))
            .filter(paper_entries::batch.eq(batch))
            .filter(paper_entries::serial.eq(serial)),
    )
    .execute(conn)
}
