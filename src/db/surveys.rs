//! Survey versions, stored by content hash so that a round always reads its
//! answers with the exact definition it was published with.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::survey_versions;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = survey_versions)]
pub struct SurveyVersion {
    pub hash: String,
    pub survey_key: String,
    pub title: String,
    pub source: String,
}

/// Stores the version unless the same bytes are already stored.
pub fn store(
    conn: &mut DbConnection,
    hash: &str,
    survey_key: &str,
    title: &str,
    source: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let exists: i64 = survey_versions::table
        .filter(survey_versions::hash.eq(hash))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        diesel::insert_into(survey_versions::table)
            .values((
                survey_versions::hash.eq(hash),
                survey_versions::survey_key.eq(survey_key),
                survey_versions::title.eq(title),
                survey_versions::source.eq(source),
                survey_versions::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<SurveyVersion>> {
    survey_versions::table
        .find(hash)
        .select(SurveyVersion::as_select())
        .first(conn)
        .optional()
}

/// When a version was first stored.
pub fn created_at(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<NaiveDateTime>> {
    survey_versions::table
        .find(hash)
        .select(survey_versions::created_at)
        .first(conn)
        .optional()
}
