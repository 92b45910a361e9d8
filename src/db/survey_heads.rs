//! Surveys written on the web: each one's current version (its head) and the draft its
//! editor page works on. Several instances share one database, so every reader asks here
//! rather than keeping heads in memory.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{survey_drafts, survey_heads, survey_versions};
use super::DbConnection;

/// A web survey's current version.
#[derive(Debug, Clone, Queryable)]
pub struct Head {
    pub survey_key: String,
    pub hash: String,
    pub saved_by: Option<i64>,
    pub saved_at: NaiveDateTime,
    pub title: String,
    pub source: String,
}

/// One stored version of a survey, for its history.
#[derive(Debug, Clone, Queryable)]
pub struct VersionLine {
    pub hash: String,
    pub title: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable)]
pub struct Draft {
    pub survey_key: String,
    pub source: String,
    pub updated_by: Option<i64>,
    pub updated_at: NaiveDateTime,
}

type HeadColumns = (
    survey_heads::survey_key,
    survey_heads::hash,
    survey_heads::saved_by,
    survey_heads::saved_at,
    survey_versions::title,
    survey_versions::source,
);

const HEAD_COLUMNS: HeadColumns = (
    survey_heads::survey_key,
    survey_heads::hash,
    survey_heads::saved_by,
    survey_heads::saved_at,
    survey_versions::title,
    survey_versions::source,
);

/// Every web survey's head, by key.
pub fn heads(conn: &mut DbConnection) -> QueryResult<Vec<Head>> {
    survey_heads::table
        .inner_join(survey_versions::table)
        .select(HEAD_COLUMNS)
        .order(survey_heads::survey_key)
        .load(conn)
}

pub fn head(conn: &mut DbConnection, key: &str) -> QueryResult<Option<Head>> {
    survey_heads::table
        .inner_join(survey_versions::table)
        .filter(survey_heads::survey_key.eq(key))
        .select(HEAD_COLUMNS)
        .first(conn)
        .optional()
}

/// Moves a survey's head to `hash` (a stored version).
pub fn set_head(
    conn: &mut DbConnection,
    key: &str,
    hash: &str,
    by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(survey_heads::table.find(key)).execute(conn)?;
    diesel::insert_into(survey_heads::table)
        .values((
            survey_heads::survey_key.eq(key),
            survey_heads::hash.eq(hash),
            survey_heads::saved_by.eq(by),
            survey_heads::saved_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The versions stored under a survey's key, oldest first.
pub fn history(conn: &mut DbConnection, key: &str) -> QueryResult<Vec<VersionLine>> {
    survey_versions::table
        .filter(survey_versions::survey_key.eq(key))
        .select((
            survey_versions::hash,
            survey_versions::title,
            survey_versions::created_at,
        ))
        .order((survey_versions::created_at, survey_versions::hash))
        .load(conn)
}

pub fn drafts(conn: &mut DbConnection) -> QueryResult<Vec<Draft>> {
    survey_drafts::table
        .order(survey_drafts::survey_key)
        .load(conn)
}

pub fn draft(conn: &mut DbConnection, key: &str) -> QueryResult<Option<Draft>> {
    survey_drafts::table.find(key).first(conn).optional()
}

/// Replaces a survey's working draft.
pub fn put_draft(
    conn: &mut DbConnection,
    key: &str,
    source: &str,
    by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(survey_drafts::table.find(key)).execute(conn)?;
    diesel::insert_into(survey_drafts::table)
        .values((
            survey_drafts::survey_key.eq(key),
            survey_drafts::source.eq(source),
            survey_drafts::updated_by.eq(by),
            survey_drafts::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Whether any survey version, head or draft already uses this key.
pub fn key_taken(conn: &mut DbConnection, key: &str) -> QueryResult<bool> {
    let versions: i64 = survey_versions::table
        .filter(survey_versions::survey_key.eq(key))
        .count()
        .get_result(conn)?;
    let drafts: i64 = survey_drafts::table
        .filter(survey_drafts::survey_key.eq(key))
        .count()
        .get_result(conn)?;
    Ok(versions + drafts > 0)
}
