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

use super::schema::answer_counts;
use super::DbConnection;

/// The counters as columns: row `i` is school `school_id[i]`, grade `grade[i]` (0 = not
/// given), whether its segment is the "needs the service" one, item `item[i]` and count.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CountColumns {
    pub school_id: Vec<i64>,
    pub grade: Vec<i32>,
    pub need: Vec<bool>,
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

    fn push(&mut self, school: i64, grade: i32, need: bool, item: u32, n: i64) {
        self.school_id.push(school);
        self.grade.push(grade);
        self.need.push(need);
        self.item.push(item);
        self.n.push(n);
    }

    /// Keeps the rows whose school `keep` accepts.
    pub fn retain_schools(&mut self, keep: impl Fn(i64) -> bool) {
        let rows: Vec<usize> = (0..self.len())
            .filter(|&i| keep(self.school_id[i]))
            .collect();
        macro_rules! pick {
            ($($col:ident),*) => {$( self.$col = rows.iter().map(|&i| self.$col[i]).collect(); )*};
        }
        pick!(school_id, grade, need, item, n);
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
    codes: HashMap<String, HashMap<String, u32>>,
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

/// A round's counters (optionally one school's) as columns; `need` is the segment of families
/// who need the service, if the survey has one.
pub fn load(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: Option<i64>,
    need: Option<&str>,
) -> QueryResult<CountColumns> {
    let mut out = CountColumns::default();
    match conn {
        DbConnection::Sqlite(c) => {
            let mut q = answer_counts::table
                .filter(answer_counts::round_id.eq(round_id))
                .select((
                    answer_counts::school_id,
                    answer_counts::grade,
                    answer_counts::segment,
                    answer_counts::question_id,
                    answer_counts::value,
                    answer_counts::n,
                ))
                .into_boxed();
            if let Some(s) = school_id {
                q = q.filter(answer_counts::school_id.eq(s));
            }
            for row in q.load_iter::<
                (i64, i32, ShortText, ShortText, ShortText, i64),
                diesel::connection::DefaultLoadingMode,
            >(c)?
            {
                let (school, grade, segment, question, value, n) = row?;
                let item = out.items.intern(&question.0, &value.0);
                out.push(school, grade, need == Some(segment.0.as_str()), item, n);
            }
        }
        DbConnection::Pg(_) => {
            let mut q = answer_counts::table
                .filter(answer_counts::round_id.eq(round_id))
                .select((
                    answer_counts::school_id,
                    answer_counts::grade,
                    answer_counts::segment,
                    answer_counts::question_id,
                    answer_counts::value,
                    answer_counts::n,
                ))
                .into_boxed();
            if let Some(s) = school_id {
                q = q.filter(answer_counts::school_id.eq(s));
            }
            let rows: Vec<(i64, i32, String, String, String, i64)> = q.load(conn)?;
            for (school, grade, segment, question, value, n) in rows {
                let item = out.items.intern(&question, &value);
                out.push(school, grade, need == Some(segment.as_str()), item, n);
            }
        }
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
            c.push(s, 3, s == 1, 0, n);
        }
        c.retain_schools(|s| s == 1);
        assert_eq!(c.school_id, vec![1, 1]);
        assert_eq!(c.n, vec![10, 30]);
        assert_eq!(c.need, vec![true, true]);
    }
}
