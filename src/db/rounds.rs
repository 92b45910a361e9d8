//! Survey rounds and their per-school publications (public link slugs).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{round_schools, rounds, school_supplements, schools};
use super::DbConnection;
use crate::domain::token::random_token;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = rounds)]
pub struct Round {
    pub id: i64,
    pub name: String,
    pub survey_hash: String,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    /// Raw responses and codes are deleted after this (see db::retention).
    pub retention_until: NaiveDateTime,
    /// When they were deleted; `None` while they are kept.
    pub purged_at: Option<NaiveDateTime>,
    /// Every answer needs an unused one-time code from a letter.
    pub codes_required: bool,
    /// The survey's optional sections this round asks, separated by commas.
    pub sections: String,
    /// The counting rule its counters were made by (`domain::tally::VERSION` when current).
    pub tally_version: i32,
    /// The round this one goes with (a student survey beside a parent survey), if any.
    pub companion_of: Option<i64>,
    /// How many questions of its own each school may add after the core (0: none).
    pub supplement_max: i32,
}

/// Without a date chosen at publication, raw responses are kept for a year
/// after the round closes: long enough to compare with next year's round.
pub fn default_retention(closes_at: NaiveDateTime) -> NaiveDateTime {
    closes_at
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(closes_at)
}

/// One school's publication in one round: what a public link resolves to.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Publication {
    pub round_id: i64,
    pub school_id: i64,
    pub slug: String,
    pub round_name: String,
    pub survey_hash: String,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub school_code: String,
    pub school_name: String,
    pub school_level: String,
    /// Every answer needs an unused one-time code from a letter.
    pub codes_required: bool,
    /// The survey's optional sections this round asks, separated by commas.
    pub sections: String,
    /// The school's urban-rural code (统计用城乡划分代码).
    pub school_urban_rural: i32,
    /// The version with the school's own questions appended, when it added some
    /// (本校补充题); its parents answer that one online.
    pub supplement_hash: Option<String>,
}

/// Where a round stands at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundState {
    NotYetOpen,
    Open,
    Closed,
}

impl Publication {
    pub fn state_at(&self, t: NaiveDateTime) -> RoundState {
        if t < self.opens_at {
            RoundState::NotYetOpen
        } else if t >= self.closes_at {
            RoundState::Closed
        } else {
            RoundState::Open
        }
    }
}

/// Link slugs: 12 base32 characters (60 bits). They are public, printed on
/// letters, so they need only be unpredictable enough not to enumerate.
const SLUG_CHARS: usize = 12;

pub struct NewRound<'a> {
    pub name: &'a str,
    pub survey_hash: &'a str,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub school_ids: &'a [i64],
    /// Every answer needs an unused one-time code.
    pub codes_required: bool,
    /// The survey's optional sections the round asks, separated by commas.
    pub sections: &'a str,
    /// How many questions of its own each school may add (0: none).
    pub supplement_max: i32,
}

/// Creates the round, kept for the default period after it closes.
pub fn create(conn: &mut DbConnection, new: &NewRound<'_>, now: NaiveDateTime) -> QueryResult<i64> {
    create_retained(conn, new, default_retention(new.closes_at), now)
}

/// Creates the round and one publication per school, in one transaction;
/// its raw responses are kept until `retention_until`.
pub fn create_retained(
    conn: &mut DbConnection,
    new: &NewRound<'_>,
    retention_until: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    conn.transaction(|conn| {
        let created = now;
        diesel::insert_into(rounds::table)
            .values((
                rounds::name.eq(new.name),
                rounds::survey_hash.eq(new.survey_hash),
                rounds::opens_at.eq(new.opens_at),
                rounds::closes_at.eq(new.closes_at),
                rounds::created_at.eq(created),
                rounds::retention_until.eq(retention_until),
                rounds::codes_required.eq(new.codes_required),
                rounds::sections.eq(new.sections),
                rounds::tally_version.eq(crate::domain::tally::VERSION),
                rounds::supplement_max.eq(new.supplement_max),
            ))
            .execute(conn)?;
        let round_id: i64 = rounds::table
            .filter(rounds::created_at.eq(created))
            .filter(rounds::name.eq(new.name))
            .select(rounds::id)
            .order(rounds::id.desc())
            .first(conn)?;
        for school_id in new.school_ids {
            diesel::insert_into(round_schools::table)
                .values((
                    round_schools::round_id.eq(round_id),
                    round_schools::school_id.eq(school_id),
                    round_schools::slug.eq(random_token(SLUG_CHARS).to_lowercase()),
                ))
                .execute(conn)?;
        }
        Ok(round_id)
    })
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Round>> {
    rounds::table
        .find(id)
        .select(Round::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<Round>> {
    rounds::table
        .order(rounds::id.desc())
        .select(Round::as_select())
        .load(conn)
}

macro_rules! publication_query {
    () => {
        round_schools::table
            .inner_join(rounds::table)
            .inner_join(schools::table)
            .left_join(
                school_supplements::table.on(school_supplements::round_id
                    .eq(round_schools::round_id)
                    .and(school_supplements::school_id.eq(round_schools::school_id))),
            )
            .select((
                round_schools::round_id,
                round_schools::school_id,
                round_schools::slug,
                rounds::name,
                rounds::survey_hash,
                rounds::opens_at,
                rounds::closes_at,
                schools::code,
                schools::name,
                schools::level,
                rounds::codes_required,
                rounds::sections,
                schools::urban_rural_code,
                school_supplements::derived_hash.nullable(),
            ))
    };
}

pub fn publication_by_slug(
    conn: &mut DbConnection,
    slug: &str,
) -> QueryResult<Option<Publication>> {
    publication_query!()
        .filter(round_schools::slug.eq(slug))
        .first(conn)
        .optional()
}

pub fn publication(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: i64,
) -> QueryResult<Option<Publication>> {
    publication_query!()
        .filter(round_schools::round_id.eq(round_id))
        .filter(round_schools::school_id.eq(school_id))
        .first(conn)
        .optional()
}

pub fn publications(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<Publication>> {
    publication_query!()
        .filter(round_schools::round_id.eq(round_id))
        .order(schools::code)
        .load(conn)
}

/// Marks `companion` as going with `round` (the student survey published beside a parent survey).
pub fn set_companion(conn: &mut DbConnection, companion: i64, round: i64) -> QueryResult<()> {
    diesel::update(rounds::table.find(companion))
        .set(rounds::companion_of.eq(Some(round)))
        .execute(conn)
        .map(|_| ())
}

/// The rounds published beside `round` (its students' and teachers' surveys), oldest first.
pub fn companions(conn: &mut DbConnection, round: i64) -> QueryResult<Vec<Round>> {
    rounds::table
        .filter(rounds::companion_of.eq(round))
        .order(rounds::id)
        .select(Round::as_select())
        .load(conn)
}
