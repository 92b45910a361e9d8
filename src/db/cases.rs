//! Typical cases (典型案例) and the hashes of their files; the files themselves live under
//! the data folder, named by hash.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{case_files, cases, schools};
use super::DbConnection;

pub struct NewCase<'a> {
    pub school_id: i64,
    pub township_id: i64,
    pub title: &'a str,
    pub category: &'a str,
    pub body: &'a str,
    pub created_by: i64,
}

pub struct NewFile<'a> {
    pub kind: &'a str,
    pub sha256: &'a str,
    pub size: i64,
    pub name: &'a str,
}

/// Stores a case and its files' records in one transaction; returns the case's id.
pub fn insert(
    conn: &mut DbConnection,
    c: &NewCase<'_>,
    files: &[NewFile<'_>],
    now: NaiveDateTime,
) -> QueryResult<i64> {
    conn.transaction(|conn| {
        let q = diesel::insert_into(cases::table).values((
            cases::school_id.eq(c.school_id),
            cases::township_id.eq(c.township_id),
            cases::title.eq(c.title),
            cases::category.eq(c.category),
            cases::body.eq(c.body),
            cases::status.eq("submitted"),
            cases::created_at.eq(now),
            cases::created_by.eq(c.created_by),
        ));
        // SQLite (as diesel builds it) has no RETURNING: the row id of the connection's last
        // insert is read in the same transaction instead.
        let id: i64 = match conn {
            DbConnection::Pg(pg) => q.returning(cases::id).get_result(pg)?,
            DbConnection::Sqlite(lite) => {
                q.execute(lite)?;
                diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                    "last_insert_rowid()",
                ))
                .get_result(lite)?
            }
        };
        for (i, f) in files.iter().enumerate() {
            diesel::insert_into(case_files::table)
                .values((
                    case_files::case_id.eq(id),
                    case_files::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
                    case_files::kind.eq(f.kind),
                    case_files::sha256.eq(f.sha256),
                    case_files::size.eq(f.size),
                    case_files::name.eq(f.name),
                ))
                .execute(conn)?;
        }
        Ok(id)
    })
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub school_id: i64,
    pub school_name: String,
    pub township_id: i64,
    pub title: String,
    pub category: String,
    pub body: String,
    pub status: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct FileRow {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub sha256: String,
    pub size: i64,
    pub name: String,
}

/// Whose cases a list holds.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    All,
    Township(i64),
    School(i64),
    /// Those the bureau selected (the public page).
    Selected,
    /// One case.
    One(i64),
}

pub fn list(conn: &mut DbConnection, scope: Scope) -> QueryResult<Vec<CaseRow>> {
    let q = cases::table
        .inner_join(schools::table)
        .select((
            cases::id,
            cases::school_id,
            schools::name,
            cases::township_id,
            cases::title,
            cases::category,
            cases::body,
            cases::status,
            cases::created_at,
        ))
        .order(cases::id.desc())
        .into_boxed();
    match scope {
        Scope::All => q,
        Scope::Township(t) => q.filter(cases::township_id.eq(t)),
        Scope::School(s) => q.filter(cases::school_id.eq(s)),
        Scope::Selected => q.filter(cases::status.eq("selected")),
        Scope::One(id) => q.filter(cases::id.eq(id)),
    }
    .load(conn)
}

/// The school and township a case belongs to (for the access guard).
pub fn reach(conn: &mut DbConnection, id: i64) -> QueryResult<Option<(i64, i64)>> {
    cases::table
        .find(id)
        .select((cases::school_id, cases::township_id))
        .first(conn)
        .optional()
}

pub fn files(conn: &mut DbConnection, case_ids: &[i64]) -> QueryResult<Vec<FileRow>> {
    case_files::table
        .filter(case_files::case_id.eq_any(case_ids))
        .order((case_files::case_id, case_files::position))
        .select((
            case_files::id,
            case_files::case_id,
            case_files::kind,
            case_files::sha256,
            case_files::size,
            case_files::name,
        ))
        .load(conn)
}

pub fn file(conn: &mut DbConnection, id: i64) -> QueryResult<Option<(FileRow, String)>> {
    case_files::table
        .inner_join(cases::table)
        .filter(case_files::id.eq(id))
        .select((
            (
                case_files::id,
                case_files::case_id,
                case_files::kind,
                case_files::sha256,
                case_files::size,
                case_files::name,
            ),
            cases::status,
        ))
        .first(conn)
        .optional()
}

/// Moves a case from `from` to `to` (`recommended`, `selected`); 0 if it was not in `from`.
pub fn advance(
    conn: &mut DbConnection,
    id: i64,
    from: &[&str],
    to: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let target = cases::table
        .filter(cases::id.eq(id))
        .filter(cases::status.eq_any(from));
    if to == "selected" {
        diesel::update(target)
            .set((cases::status.eq(to), cases::selected_at.eq(now)))
            .execute(conn)
    } else {
        diesel::update(target)
            .set((cases::status.eq(to), cases::recommended_at.eq(now)))
            .execute(conn)
    }
}
