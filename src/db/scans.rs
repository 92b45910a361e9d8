//! Scanned slips waiting for a person: kept with what was read, what was doubted and a picture
//! of each doubted question, until confirmed or set aside.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{scan_crops, scan_reviews};
use super::DbConnection;

/// A scanned slip waiting for review.
#[derive(Debug, Clone, Queryable)]
pub struct ScanReview {
    pub id: i64,
    pub round_id: i64,
    pub school_id: i64,
    pub serial: String,
    /// Which file and page it came from.
    pub source: String,
    /// JSON pairs of the answers read without doubt.
    pub fields: String,
    /// JSON object: question id → why it was doubted.
    pub doubts: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A slip to keep for review.
pub struct NewReview<'a> {
    pub ids: (i64, i64),
    pub serial: &'a str,
    pub source: &'a str,
    pub fields: String,
    pub doubts: String,
    pub crops: Vec<(String, Vec<u8>)>,
    pub by: Option<i64>,
    pub now: NaiveDateTime,
}

/// Keeps a slip for review; `false` when the same slip already waits.
pub fn keep(conn: &mut DbConnection, r: NewReview<'_>) -> QueryResult<bool> {
    super::write_transaction(conn, |conn| {
        let waiting: i64 = scan_reviews::table
            .filter(scan_reviews::round_id.eq(r.ids.0))
            .filter(scan_reviews::school_id.eq(r.ids.1))
            .filter(scan_reviews::serial.eq(r.serial))
            .count()
            .get_result(conn)?;
        if waiting > 0 {
            return Ok(false);
        }
        diesel::insert_into(scan_reviews::table)
            .values((
                scan_reviews::round_id.eq(r.ids.0),
                scan_reviews::school_id.eq(r.ids.1),
                scan_reviews::serial.eq(r.serial),
                scan_reviews::source.eq(r.source),
                scan_reviews::fields.eq(&r.fields),
                scan_reviews::doubts.eq(&r.doubts),
                scan_reviews::created_by.eq(r.by),
                scan_reviews::created_at.eq(r.now),
            ))
            .execute(conn)?;
        let id: i64 = scan_reviews::table
            .filter(scan_reviews::round_id.eq(r.ids.0))
            .filter(scan_reviews::school_id.eq(r.ids.1))
            .filter(scan_reviews::serial.eq(r.serial))
            .select(scan_reviews::id)
            .first(conn)?;
        for (question, png) in &r.crops {
            diesel::insert_into(scan_crops::table)
                .values((
                    scan_crops::review_id.eq(id),
                    scan_crops::question_id.eq(question),
                    scan_crops::png.eq(png),
                ))
                .execute(conn)?;
        }
        Ok(true)
    })
}

/// The slips of a school's round waiting for review, oldest first.
pub fn waiting(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: i64,
) -> QueryResult<Vec<ScanReview>> {
    scan_reviews::table
        .filter(scan_reviews::round_id.eq(round_id))
        .filter(scan_reviews::school_id.eq(school_id))
        .order(scan_reviews::id.asc())
        .load(conn)
}

/// One waiting slip of a school's round.
pub fn find(
    conn: &mut DbConnection,
    (round_id, school_id): (i64, i64),
    id: i64,
) -> QueryResult<Option<ScanReview>> {
    scan_reviews::table
        .filter(scan_reviews::id.eq(id))
        .filter(scan_reviews::round_id.eq(round_id))
        .filter(scan_reviews::school_id.eq(school_id))
        .first(conn)
        .optional()
}

/// The picture of one doubted question of a waiting slip.
pub fn crop(
    conn: &mut DbConnection,
    review_id: i64,
    question: &str,
) -> QueryResult<Option<Vec<u8>>> {
    scan_crops::table
        .filter(scan_crops::review_id.eq(review_id))
        .filter(scan_crops::question_id.eq(question))
        .select(scan_crops::png)
        .first(conn)
        .optional()
}

/// Removes a waiting slip and its pictures.
pub fn remove(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    super::write_transaction(conn, |conn| {
        diesel::delete(scan_crops::table.filter(scan_crops::review_id.eq(id))).execute(conn)?;
        diesel::delete(scan_reviews::table.filter(scan_reviews::id.eq(id))).execute(conn)
    })
}
