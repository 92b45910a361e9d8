//! The running answer counters (`answer_counts`), kept where the data lives, so that the
//! analysis reads counts, never a whole round of answers. A response commits with `counted =
//! false`; [`fold`] then adds the counts of the responses waiting and marks them counted in one
//! transaction (the counting thread does it every second, an analysis before it reads), so a
//! response is in the counters exactly once, even after a crash. `rebuild` recomputes a round's
//! counters from the raw responses (after bulk loads, and as an independent check).

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::result::Error as DieselError;
use diesel::upsert::excluded;

use super::schema::{answer_counts, responses};
use super::versions::Versions;
use super::DbConnection;
use crate::domain::survey::{Answers, SurveyDefinition};
use crate::domain::tally;

/// One counter: round, school, grade (0 = not given), channel ([`super::responses::ONLINE`] or
/// [`super::responses::PAPER`]), segment, question, value.
pub type CountKey = (i64, i64, i32, &'static str, String, String, String);

/// One stored counter, as the analysis reads it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = answer_counts)]
pub struct CountRow {
    pub school_id: i64,
    pub grade: i32,
    pub channel: String,
    pub segment: String,
    pub question_id: String,
    pub value: String,
    pub n: i64,
}

/// Counter increments gathered in memory, written with one statement or two per distinct key.
#[derive(Debug, Default)]
pub struct Deltas {
    /// Ordered, so that every instance updates counters in the same order and
    /// two concurrent batches on PostgreSQL cannot deadlock on them.
    map: std::collections::BTreeMap<CountKey, i64>,
}

impl Deltas {
    /// Adds one response's counts; `channel` is how it came in (see [`CountKey`]).
    pub fn add(
        &mut self,
        (round_id, school_id, grade): (i64, i64, Option<i32>),
        channel: &'static str,
        def: &SurveyDefinition,
        answers: &Answers,
    ) {
        let t = tally::tally(def, answers);
        let grade = grade.unwrap_or(0);
        for (q, v) in t.keys {
            *self
                .map
                .entry((round_id, school_id, grade, channel, t.segment.clone(), q, v))
                .or_insert(0) += 1;
        }
    }

    /// Adds one stored response's counts from its answers JSON and stored channel.
    pub fn add_stored(
        &mut self,
        def: &SurveyDefinition,
        at: (i64, i64, Option<i32>),
        channel: &str,
        answers_json: &str,
    ) -> Result<(), crate::domain::survey::AnswersJsonError> {
        let answers = Answers::from_json(def, answers_json)?;
        self.add(at, super::responses::channel(channel), def, &answers);
        Ok(())
    }

    /// Distinct counters touched.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Adds the deltas to the stored counters with multi-row `INSERT … ON CONFLICT DO UPDATE SET
    /// n = n + excluded.n`, a statement per [`UPSERT_ROWS`] counters.
    ///
    /// diesel's multi-backend connection offers neither batch inserts nor upserts, so this runs
    /// on the inner SQLite or PostgreSQL connection (inside the caller's transaction). One
    /// UPDATE-then-INSERT per counter, which the multi-backend connection can do, cut durable
    /// ingest from 2,822 to 710 submissions/s on the benchmark (see BENCHMARKS.md): a batch of
    /// a few hundred responses touches thousands of counters.
    pub fn write(&self, conn: &mut DbConnection) -> QueryResult<()> {
        // In key order (a BTreeMap's), so that two writers on PostgreSQL lock rows alike.
        let rows: Vec<(&CountKey, &i64)> = self.map.iter().collect();
        for chunk in rows.chunks(UPSERT_ROWS) {
            let values: Vec<NewCount<'_>> = chunk
                .iter()
                .map(|((round, school, grade, channel, seg, q, v), n)| NewCount {
                    round_id: *round,
                    school_id: *school,
                    grade: *grade,
                    channel,
                    segment: seg,
                    question_id: q,
                    value: v,
                    n: **n,
                })
                .collect();
            macro_rules! upsert {
                ($c:expr) => {
                    diesel::insert_into(answer_counts::table)
                        .values(&values)
                        .on_conflict((
                            answer_counts::round_id,
                            answer_counts::school_id,
                            answer_counts::grade,
                            answer_counts::channel,
                            answer_counts::segment,
                            answer_counts::question_id,
                            answer_counts::value,
                        ))
                        .do_update()
                        .set(answer_counts::n.eq(answer_counts::n + excluded(answer_counts::n)))
                        .execute($c)
                };
            }
            match conn {
                // diesel has no batch upsert for SQLite: the same statement, in SQL.
                DbConnection::Sqlite(c) => sqlite_upsert(c, &values)?,
                DbConnection::Pg(c) => upsert!(c)?,
            };
        }
        Ok(())
    }
}

fn sqlite_upsert(c: &mut diesel::SqliteConnection, rows: &[NewCount<'_>]) -> QueryResult<usize> {
    use diesel::sql_types::{BigInt, Integer, Text};
    let mut sql = String::from(
        "INSERT INTO answer_counts (round_id, school_id, grade, channel, segment, question_id, value, n) VALUES ",
    );
    for i in 0..rows.len() {
        sql.push_str(if i == 0 {
            "(?,?,?,?,?,?,?,?)"
        } else {
            ",(?,?,?,?,?,?,?,?)"
        });
    }
    sql.push_str(
        " ON CONFLICT (round_id, school_id, grade, channel, segment, question_id, value) \
         DO UPDATE SET n = answer_counts.n + excluded.n",
    );
    let mut q = diesel::sql_query(sql).into_boxed::<diesel::sqlite::Sqlite>();
    for r in rows {
        q = q
            .bind::<BigInt, _>(r.round_id)
            .bind::<BigInt, _>(r.school_id)
            .bind::<Integer, _>(r.grade)
            .bind::<Text, _>(r.channel)
            .bind::<Text, _>(r.segment)
            .bind::<Text, _>(r.question_id)
            .bind::<Text, _>(r.value)
            .bind::<BigInt, _>(r.n);
    }
    q.execute(c)
}

/// Counters per upsert statement: 8 parameters each stays well under SQLite's 32,766 and
/// PostgreSQL's 65,535 bound parameters.
const UPSERT_ROWS: usize = 1000;

#[derive(Insertable)]
#[diesel(table_name = answer_counts)]
struct NewCount<'a> {
    round_id: i64,
    school_id: i64,
    grade: i32,
    channel: &'a str,
    segment: &'a str,
    question_id: &'a str,
    value: &'a str,
    n: i64,
}

/// What one [`fold`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folded {
    /// No response was waiting.
    Nothing,
    /// This many responses were counted.
    Counted(usize),
    /// Another thread or instance counted some of the same responses first; nothing was done.
    Raced,
}

/// Responses counted per [`fold`] transaction at most, on SQLite: there the counting thread's
/// folds go through the group-commit writer, and larger folds held submissions up (BENCHMARKS.md
/// has the measurement).
pub const FOLD_ROWS: i64 = 250;

/// Responses counted per [`fold`] transaction at most, on PostgreSQL: there a fold runs on a
/// connection of its own, beside the submissions, and 250 at a time counted fewer responses a
/// second than one instance can store (see BENCHMARKS.md).
pub const FOLD_ROWS_PG: i64 = 2_000;

/// [`FOLD_ROWS`] or [`FOLD_ROWS_PG`], for `conn`'s backend.
pub fn fold_rows(conn: &DbConnection) -> i64 {
    match conn {
        DbConnection::Pg(_) => FOLD_ROWS_PG,
        DbConnection::Sqlite(_) => FOLD_ROWS,
    }
}

/// Waiting responses and their counts, computed outside any transaction, ready to [`apply`].
pub struct Prepared {
    ids: Vec<i64>,
    deltas: Deltas,
}

impl Prepared {
    /// Responses it counts.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// A response waiting to be counted: id, round, school, grade, channel, survey hash, answers.
type Waiting = (i64, i64, i64, Option<i32>, String, String, String);

/// Reads up to `limit` responses that are not yet counted, oldest first, and computes their
/// counts; `None` if none is waiting. Reads only.
pub fn prepare(
    conn: &mut DbConnection,
    versions: &Versions,
    limit: i64,
) -> anyhow::Result<Option<Prepared>> {
    let waiting: Vec<Waiting> = responses::table
        .filter(diesel::dsl::not(responses::counted))
        .order(responses::id)
        .limit(limit)
        .select((
            responses::id,
            responses::round_id,
            responses::school_id,
            responses::grade,
            responses::channel,
            responses::survey_hash,
            responses::answers,
        ))
        .load(conn)?;
    if waiting.is_empty() {
        return Ok(None);
    }
    let mut deltas = Deltas::default();
    let mut defs: HashMap<&str, std::sync::Arc<SurveyDefinition>> = HashMap::new();
    for (id, round, school, grade, channel, hash, json) in &waiting {
        if !defs.contains_key(hash.as_str()) {
            defs.insert(hash, versions.version(conn, hash)?);
        }
        deltas
            .add_stored(
                &defs[hash.as_str()],
                (*round, *school, *grade),
                channel,
                json,
            )
            .map_err(|e| anyhow::anyhow!("response {id} cannot be counted: {e}"))?;
    }
    let ids = waiting.iter().map(|w| w.0).collect();
    Ok(Some(Prepared { ids, deltas }))
}

/// In one transaction (a savepoint inside the writer's batch): marks exactly the prepared
/// responses counted and adds their counts. If any of them is no longer uncounted, another
/// folder got there first: it rolls back and says so. Safe on several threads or instances.
pub fn apply(conn: &mut DbConnection, p: &Prepared) -> QueryResult<Folded> {
    let result = conn.transaction(|conn| {
        let marked = diesel::update(
            responses::table
                .filter(responses::id.eq_any(&p.ids))
                .filter(diesel::dsl::not(responses::counted)),
        )
        .set(responses::counted.eq(true))
        .execute(conn)?;
        if marked != p.ids.len() {
            return Err(DieselError::RollbackTransaction);
        }
        p.deltas.write(conn)
    });
    match result {
        Ok(()) => Ok(Folded::Counted(p.ids.len())),
        Err(DieselError::RollbackTransaction) => Ok(Folded::Raced),
        Err(e) => Err(e),
    }
}

/// Counts up to `limit` waiting responses ([`prepare`], then [`apply`]).
pub fn fold(conn: &mut DbConnection, versions: &Versions, limit: i64) -> anyhow::Result<Folded> {
    match prepare(conn, versions, limit)? {
        None => Ok(Folded::Nothing),
        Some(p) => Ok(apply(conn, &p)?),
    }
}

/// Folds until no response is waiting (an analysis calls it before reading the counters).
/// Returns how many responses this call counted.
pub fn fold_all(conn: &mut DbConnection, versions: &Versions) -> anyhow::Result<usize> {
    let (mut total, mut races) = (0, 0);
    loop {
        match fold(conn, versions, fold_rows(conn))? {
            Folded::Nothing => return Ok(total),
            Folded::Counted(n) => total += n,
            Folded::Raced => {
                races += 1;
                if races > 100 {
                    anyhow::bail!("the answer counters are busy; try again in a moment");
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }
}

/// What a rebuild counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rebuilt {
    pub responses: usize,
    pub counters: usize,
}

/// Responses read per query while rebuilding.
const PAGE: i64 = 20_000;

/// Recomputes a round's counters from its raw responses, in one transaction, and marks every
/// response it read counted.
pub fn rebuild(
    conn: &mut DbConnection,
    round_id: i64,
    versions: &Versions,
    mut progress: impl FnMut(usize),
) -> anyhow::Result<Rebuilt> {
    conn.transaction(|conn| {
        diesel::delete(answer_counts::table.filter(answer_counts::round_id.eq(round_id)))
            .execute(conn)?;
        let mut deltas = Deltas::default();
        let mut defs: HashMap<String, std::sync::Arc<SurveyDefinition>> = HashMap::new();
        let (mut after, mut seen) = (0i64, 0usize);
        loop {
            let page: Vec<(i64, i64, Option<i32>, String, String, String)> = responses::table
                .filter(responses::round_id.eq(round_id))
                .filter(responses::id.gt(after))
                .order(responses::id)
                .limit(PAGE)
                .select((
                    responses::id,
                    responses::school_id,
                    responses::grade,
                    responses::channel,
                    responses::survey_hash,
                    responses::answers,
                ))
                .load(conn)?;
            let Some(last) = page.last() else { break };
            after = last.0;
            let ids: Vec<i64> = page.iter().map(|p| p.0).collect();
            diesel::update(responses::table.filter(responses::id.eq_any(&ids)))
                .set(responses::counted.eq(true))
                .execute(conn)?;
            for (id, school, grade, channel, hash, json) in &page {
                if !defs.contains_key(hash) {
                    defs.insert(hash.clone(), versions.version(conn, hash)?);
                }
                let def = &defs[hash];
                deltas
                    .add_stored(def, (round_id, *school, *grade), channel, json)
                    .map_err(|e| anyhow::anyhow!("response {id}: {e}"))?;
            }
            seen += page.len();
            progress(seen);
        }
        let counters = deltas.len();
        deltas.write(conn)?;
        diesel::update(super::schema::rounds::table.find(round_id))
            .set(super::schema::rounds::tally_version.eq(crate::domain::tally::VERSION))
            .execute(conn)?;
        Ok(Rebuilt {
            responses: seen,
            counters,
        })
    })
}

/// A round's counters, optionally for one school only.
pub fn load(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: Option<i64>,
) -> QueryResult<Vec<CountRow>> {
    let mut q = answer_counts::table
        .filter(answer_counts::round_id.eq(round_id))
        .select(CountRow::as_select())
        .into_boxed();
    if let Some(s) = school_id {
        q = q.filter(answer_counts::school_id.eq(s));
    }
    q.load(conn)
}
