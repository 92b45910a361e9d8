//! Per-student one-time codes: N per class, each good for exactly one response.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::access_codes;
use super::DbConnection;
use crate::domain::classes::MAX_PER_CLASS;
use crate::domain::token::new_access_code;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = access_codes)]
pub struct AccessCode {
    pub code: String,
    pub round_id: i64,
    pub school_id: i64,
    pub grade: Option<i32>,
    pub class_no: Option<i32>,
    pub used_at: Option<NaiveDateTime>,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// A class would pass [`MAX_PER_CLASS`] codes in the round.
    #[error("{grade}年级{class_no}班在本轮已有 {existing} 个填写码，再生成 {asked} 个会超过每班 {MAX_PER_CLASS} 个的上限。")]
    ClassFull {
        grade: i32,
        class_no: i32,
        existing: i64,
        asked: i64,
    },
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Makes `per_class` new codes for each (grade, class) pair; returns them in
/// print order. Refused, with nothing made, when a class would pass
/// [`MAX_PER_CLASS`] codes in the round.
pub fn generate(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: i64,
    classes: &[(i32, i32)],
    per_class: usize,
    now: NaiveDateTime,
) -> Result<Vec<AccessCode>, GenerateError> {
    // Reads the classes' counts, then writes: on SQLite, holding the write lock from the start.
    super::write_transaction(conn, |conn| {
        let existing: Vec<(Option<i32>, Option<i32>, i64)> = access_codes::table
            .filter(access_codes::round_id.eq(round_id))
            .filter(access_codes::school_id.eq(school_id))
            .group_by((access_codes::grade, access_codes::class_no))
            .select((
                access_codes::grade,
                access_codes::class_no,
                diesel::dsl::count_star(),
            ))
            .load(conn)?;
        for &(grade, class_no) in classes {
            let has = existing
                .iter()
                .find(|(g, c, _)| *g == Some(grade) && *c == Some(class_no))
                .map_or(0, |(_, _, n)| *n);
            let times = classes.iter().filter(|k| **k == (grade, class_no)).count();
            let asked = i64::try_from(times * per_class).unwrap_or(i64::MAX);
            if has.saturating_add(asked) > MAX_PER_CLASS {
                return Err(GenerateError::ClassFull {
                    grade,
                    class_no,
                    existing: has,
                    asked,
                });
            }
        }
        let created = now;
        let mut out = Vec::with_capacity(classes.len() * per_class);
        for &(grade, class_no) in classes {
            for _ in 0..per_class {
                let code = AccessCode {
                    code: new_access_code(),
                    round_id,
                    school_id,
                    grade: Some(grade),
                    class_no: Some(class_no),
                    used_at: None,
                };
                diesel::insert_into(access_codes::table)
                    .values((
                        access_codes::code.eq(&code.code),
                        access_codes::round_id.eq(round_id),
                        access_codes::school_id.eq(school_id),
                        access_codes::grade.eq(code.grade),
                        access_codes::class_no.eq(code.class_no),
                        access_codes::created_at.eq(created),
                    ))
                    .execute(conn)?;
                out.push(code);
            }
        }
        Ok(out)
    })
}

pub fn find(conn: &mut DbConnection, code: &str) -> QueryResult<Option<AccessCode>> {
    access_codes::table
        .find(code)
        .select(AccessCode::as_select())
        .first(conn)
        .optional()
}

pub fn list_for(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: i64,
) -> QueryResult<Vec<AccessCode>> {
    access_codes::table
        .filter(access_codes::round_id.eq(round_id))
        .filter(access_codes::school_id.eq(school_id))
        .order((
            access_codes::grade,
            access_codes::class_no,
            access_codes::created_at,
        ))
        .select(AccessCode::as_select())
        .load(conn)
}

/// Marks the code used if, and only if, nobody has used it yet. The
/// conditional UPDATE is atomic on both backends, so two concurrent
/// submissions (even on two app instances) cannot both win.
pub fn claim(conn: &mut DbConnection, code: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        access_codes::table
            .filter(access_codes::code.eq(code))
            .filter(access_codes::used_at.is_null()),
    )
    .set(access_codes::used_at.eq(at))
    .execute(conn)?;
    Ok(n == 1)
}
