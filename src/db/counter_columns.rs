//! A round's answer counters read straight into columns for the analysis: integers, with each
//! `(question, value)` interned as an item code while the rows stream past, so that a city's
//! 700,000 counters cost no heap string each: on SQLite each text is copied into an inline
//! [`ShortText`]; on PostgreSQL (where a 10,000,000-response round reads in about a second
//! anyway) each row is decoded as usual.

use std::collections::HashMap;

use compact_str::CompactString;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::sqlite::{Sqlite, SqliteValue};
use foldhash::fast::RandomState;

use super::responses::PAPER;
use super::schema::answer_counts;
use super::DbConnection;

/// The segments of the segmenting question that the analysis flags: the one of families who
/// need the service, and those of families who need or may need it (有兴趣).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Segments {
    pub need: Option<String>,
    pub interest: Vec<String>,
}

/// No segment is ever this, so a flag without segments flags no counter.
const NO_SEGMENT: &str = "\u{1f}";

impl Segments {
    fn need(&self) -> String {
        self.need.clone().unwrap_or_else(|| NO_SEGMENT.to_string())
    }

    fn interest(&self) -> Vec<String> {
        if self.interest.is_empty() {
            vec![NO_SEGMENT.to_string()]
        } else {
            self.interest.clone()
        }
    }
}

/// The counters as columns: row `i` is school `school_id[i]`, grade `grade[i]` (0 = not
/// given), whether its responses came on paper slips, whether its segment is the "needs the
/// service" one and whether it is one of the "needs or may need it" ones, item `item[i]` and
/// count.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CountColumns {
    pub school_id: Vec<i64>,
    pub grade: Vec<i32>,
    pub paper: Vec<bool>,
    pub need: Vec<bool>,
    pub interest: Vec<bool>,
    pub item: Vec<u32>,
    pub n: Vec<i64>,
    /// `(question, value)` of each item code.
    pub items: Items,
}

impl CountColumns {
    pub fn len(&self) -> usize {
        self.n.len()
    }

    pub fn is_empty(&self) -> bool {
        self.n.is_empty()
    }

    fn push(
        &mut self,
        (school, grade, paper): (i64, i32, bool),
        (need, interest): (bool, bool),
        item: u32,
        n: i64,
    ) {
        self.school_id.push(school);
        self.grade.push(grade);
        self.paper.push(paper);
        self.need.push(need);
        self.interest.push(interest);
        self.item.push(item);
        self.n.push(n);
    }

    /// Appends `other`'s rows, re-coding its items into this dictionary.
    pub fn append(&mut self, other: CountColumns) {
        let recode: Vec<u32> = (0..other.items.len() as u32)
            .filter_map(|i| other.items.get(i))
            .map(|(q, v)| self.items.intern(q, v))
            .collect();
        self.school_id.extend(other.school_id);
        self.grade.extend(other.grade);
        self.paper.extend(other.paper);
        self.need.extend(other.need);
        self.interest.extend(other.interest);
        self.item
            .extend(other.item.iter().map(|i| recode[*i as usize]));
        self.n.extend(other.n);
    }

    /// Keeps the rows whose school `keep` accepts.
    pub fn retain_schools(&mut self, keep: impl Fn(i64) -> bool) {
        let rows: Vec<usize> = (0..self.len())
            .filter(|&i| keep(self.school_id[i]))
            .collect();
        macro_rules! pick {
            ($($col:ident),*) => {$( self.$col = rows.iter().map(|&i| self.$col[i]).collect(); )*};
        }
        pick!(school_id, grade, paper, need, interest, item, n);
    }
}

/// A text column read without allocating when it is short (up to 24 bytes inline, as question
/// ids, option ids and segments are); longer texts go to the heap as usual.
#[derive(Debug, FromSqlRow)]
struct ShortText(CompactString);

impl FromSql<Text, Sqlite> for ShortText {
    fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        Ok(ShortText(CompactString::from(value.read_text())))
    }
}

/// The item dictionary: code → `(question, value)`, and the way back without allocating.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Items {
    pairs: Vec<(String, String)>,
    codes: HashMap<String, HashMap<String, u32, RandomState>, RandomState>,
}

impl Items {
    /// The code of `(question, value)`, added if new.
    pub fn intern(&mut self, question: &str, value: &str) -> u32 {
        if let Some(c) = self.code(question, value) {
            return c;
        }
        let code = self.pairs.len() as u32;
        self.pairs.push((question.to_string(), value.to_string()));
        self.codes
            .entry(question.to_string())
            .or_default()
            .insert(value.to_string(), code);
        code
    }

    pub fn code(&self, question: &str, value: &str) -> Option<u32> {
        self.codes.get(question)?.get(value).copied()
    }

    pub fn get(&self, code: u32) -> Option<(&str, &str)> {
        self.pairs
            .get(code as usize)
            .map(|(q, v)| (q.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// Which schools' counters to read: `from..=to` by school id.
type Schools = (i64, i64);

/// A round's counters (optionally one school's) as columns, flagged by `segments`.
///
/// On an SQLite file a whole round is read in two halves by school, on two connections at once
/// (WAL lets readers run side by side): reading is most of a city analysis's time. Each school
/// is read whole by one of them, so its counters are consistent; two schools may be read a
/// few milliseconds apart, as if the analysis had started a moment later for one of them.
pub fn load(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: Option<i64>,
    need: &Segments,
) -> anyhow::Result<CountColumns> {
    let c = match conn {
        DbConnection::Pg(_) => return Ok(load_pg(conn, round_id, school_id, need)?),
        DbConnection::Sqlite(c) => c,
    };
    if let Some(s) = school_id {
        return Ok(load_sqlite(c, round_id, (s, s), need)?);
    }
    let (file, split) = (database_file(c)?, split_point(c, round_id)?);
    let (Some(file), Some(split)) = (file, split) else {
        return Ok(load_sqlite(c, round_id, (i64::MIN, i64::MAX), need)?);
    };
    let DbConnection::Sqlite(mut other) = super::establish(&file)? else {
        anyhow::bail!("{file} did not open as an SQLite database");
    };
    std::thread::scope(|scope| {
        let upper = scope.spawn(move || load_sqlite(&mut other, round_id, (split, i64::MAX), need));
        let lower = load_sqlite(c, round_id, (i64::MIN, split - 1), need);
        // Joined before either result is looked at: a scope must not end with a panicked
        // thread unjoined.
        let upper = upper
            .join()
            .map_err(|_| anyhow::anyhow!("the counter-reading thread panicked"))?;
        let mut lower = lower?;
        lower.append(upper?);
        Ok(lower)
    })
}

/// The SQLite file behind `c`, if it is one (not an in-memory database).
fn database_file(c: &mut diesel::SqliteConnection) -> QueryResult<Option<String>> {
    #[derive(QueryableByName)]
    struct File {
        #[diesel(sql_type = Text)]
        file: String,
    }
    let f: Vec<File> =
        diesel::sql_query("SELECT file FROM pragma_database_list WHERE name = 'main'").load(c)?;
    Ok(f.into_iter().map(|f| f.file).find(|f| !f.is_empty()))
}

/// The median school id of the round: the upper half is read from there on. None if the round
/// has fewer than two schools.
fn split_point(c: &mut diesel::SqliteConnection, round_id: i64) -> QueryResult<Option<i64>> {
    use super::schema::round_schools;
    let ids: Vec<i64> = round_schools::table
        .filter(round_schools::round_id.eq(round_id))
        .select(round_schools::school_id)
        .order(round_schools::school_id)
        .load(c)?;
    Ok((ids.len() > 1).then(|| ids[ids.len() / 2]))
}

fn load_sqlite(
    c: &mut diesel::SqliteConnection,
    round_id: i64,
    (from, to): Schools,
    segments: &Segments,
) -> QueryResult<CountColumns> {
    let mut out = CountColumns::default();
    let q = answer_counts::table
        .filter(answer_counts::round_id.eq(round_id))
        .filter(answer_counts::school_id.between(from, to))
        .select((
            answer_counts::school_id,
            answer_counts::grade,
            answer_counts::channel.eq(PAPER),
            answer_counts::segment.eq(segments.need()),
            answer_counts::segment.eq_any(segments.interest()),
            answer_counts::question_id,
            answer_counts::value,
            answer_counts::n,
        ));
    for row in q.load_iter::<
        (i64, i32, bool, bool, bool, ShortText, ShortText, i64),
        diesel::connection::DefaultLoadingMode,
    >(c)?
    {
        let (school, grade, paper, need, interest, question, value, n) = row?;
        let item = out.items.intern(&question.0, &value.0);
        out.push((school, grade, paper), (need, interest), item, n);
    }
    Ok(out)
}

/// On PostgreSQL each counter's question and value come joined in one string (U+001F between
/// them) and its segment as a flag, both computed by the server: one string to decode per row
/// instead of three (BENCHMARKS.md has the measurement).
fn load_pg(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: Option<i64>,
    segments: &Segments,
) -> QueryResult<CountColumns> {
    const SEP: char = '\u{1f}';
    let mut out = CountColumns::default();
    let mut q = answer_counts::table
        .filter(answer_counts::round_id.eq(round_id))
        .select((
            answer_counts::school_id,
            answer_counts::grade,
            answer_counts::channel.eq(PAPER),
            answer_counts::segment.eq(segments.need()),
            answer_counts::segment.eq_any(segments.interest()),
            answer_counts::question_id
                .concat(SEP.to_string())
                .concat(answer_counts::value),
            answer_counts::n,
        ))
        .into_boxed();
    if let Some(s) = school_id {
        q = q.filter(answer_counts::school_id.eq(s));
    }
    let rows: Vec<(i64, i32, bool, bool, bool, String, i64)> = q.load(conn)?;
    for (school, grade, paper, need, interest, joined, n) in rows {
        let (question, value) = joined.split_once(SEP).unwrap_or((&joined, ""));
        let item = out.items.intern(question, value);
        out.push((school, grade, paper), (need, interest), item, n);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_intern_once_and_decode() {
        let mut items = Items::default();
        let a = items.intern("q1", "a");
        let b = items.intern("q1", "b");
        assert_ne!(a, b);
        assert_eq!(items.intern("q1", "a"), a);
        assert_eq!(items.intern("q2", "a"), 2);
        assert_eq!(items.get(b), Some(("q1", "b")));
        assert_eq!(items.code("q2", "a"), Some(2));
        assert_eq!(items.code("q2", "b"), None);
        assert_eq!(items.len(), 3);
    }

    #[test]
    fn retain_schools_keeps_rows_aligned() {
        let mut c = CountColumns::default();
        for (s, n) in [(1, 10), (2, 20), (1, 30)] {
            c.push((s, 3, s == 2), (s == 1, s == 1), 0, n);
        }
        c.retain_schools(|s| s == 1);
        assert_eq!(c.school_id, vec![1, 1]);
        assert_eq!(c.n, vec![10, 30]);
        assert_eq!(c.need, vec![true, true]);
        assert_eq!(c.paper, vec![false, false]);
    }

    #[test]
    fn append_recodes_the_other_dictionary() {
        let mut a = CountColumns::default();
        let x = a.items.intern("q", "x");
        a.push((1, 1, false), (false, false), x, 5);
        let mut b = CountColumns::default();
        let y = b.items.intern("q", "y");
        let x2 = b.items.intern("q", "x");
        b.push((2, 1, true), (true, true), y, 7);
        b.push((2, 1, false), (true, true), x2, 9);
        a.append(b);
        assert_eq!(a.school_id, vec![1, 2, 2]);
        let decoded: Vec<_> = a
            .item
            .iter()
            .map(|i| a.items.get(*i).expect("a known item"))
            .collect();
        assert_eq!(decoded, vec![("q", "x"), ("q", "y"), ("q", "x")]);
        assert_eq!(a.n, vec![5, 7, 9]);
        assert_eq!(a.paper, vec![false, true, false]);
    }
}
