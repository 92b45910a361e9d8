//! Schools and their enrolment per grade; the roster import writes here.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{school_enrolments, schools, townships};
use super::DbConnection;
use crate::domain::school::RosterRow;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = schools)]
pub struct School {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub township_id: i64,
    pub level: String,
    pub urban_rural_code: i32,
    pub contact_email: Option<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
}

/// Creates or updates (by school code) every row, all in one transaction:
/// either the whole roster lands or nothing does.
pub fn import_roster(
    conn: &mut DbConnection,
    rows: &[RosterRow],
    now: NaiveDateTime,
    mut progress: impl FnMut(usize),
) -> anyhow::Result<ImportSummary> {
    conn.transaction(|conn| {
        let township_ids: HashMap<String, i64> = townships::table
            .select((townships::name, townships::id))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect();
        let mut summary = ImportSummary::default();
        let ts = now;
        for (i, row) in rows.iter().enumerate() {
            let township_id = *township_ids
                .get(&row.township)
                .ok_or_else(|| anyhow::anyhow!("unknown township {}", row.township))?;
            let code = row.code.as_str();
            let existing: Option<i64> = schools::table
                .filter(schools::code.eq(code))
                .select(schools::id)
                .first(conn)
                .optional()?;
            let values = (
                schools::name.eq(&row.name),
                schools::township_id.eq(township_id),
                schools::level.eq(row.level.db_code()),
                schools::urban_rural_code.eq(i32::from(row.urban_rural.value())),
                schools::contact_email.eq(row.email.as_deref()),
                schools::updated_at.eq(ts),
            );
            let school_id = match existing {
                Some(id) => {
                    diesel::update(schools::table.find(id))
                        .set(values)
                        .execute(conn)?;
                    summary.updated += 1;
                    id
                }
                None => {
                    diesel::insert_into(schools::table)
                        .values((values, schools::code.eq(code), schools::created_at.eq(ts)))
                        .execute(conn)?;
                    summary.created += 1;
                    schools::table
                        .filter(schools::code.eq(code))
                        .select(schools::id)
                        .first(conn)?
                }
            };
            diesel::delete(
                school_enrolments::table.filter(school_enrolments::school_id.eq(school_id)),
            )
            .execute(conn)?;
            // One INSERT per grade: diesel's multi-backend connection has no
            // batch insert, and nine rows per school cost nothing.
            for (g, n) in row.enrolment.iter().enumerate().filter(|(_, n)| **n > 0) {
                diesel::insert_into(school_enrolments::table)
                    .values((
                        school_enrolments::school_id.eq(school_id),
                        school_enrolments::grade.eq(g as i32 + 1),
                        school_enrolments::students.eq(*n as i32),
                    ))
                    .execute(conn)?;
            }
            progress(i + 1);
        }
        Ok(summary)
    })
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<School>> {
    schools::table
        .order(schools::code)
        .select(School::as_select())
        .load(conn)
}

pub fn find_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<School>> {
    schools::table
        .filter(schools::code.eq(code))
        .select(School::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<School>> {
    schools::table
        .find(id)
        .select(School::as_select())
        .first(conn)
        .optional()
}

/// Enrolment per grade (grade → students) for one school.
pub fn enrolment(conn: &mut DbConnection, school_id: i64) -> QueryResult<Vec<(i32, i32)>> {
    school_enrolments::table
        .filter(school_enrolments::school_id.eq(school_id))
        .order(school_enrolments::grade)
        .select((school_enrolments::grade, school_enrolments::students))
        .load(conn)
}
