//! Response coverage of a round: which schools a user may see, with their
//! enrolment and responses, filtered by urban/rural and level. The coverage
//! page and the reminders both read it, so they agree on who is "low".

use std::collections::HashMap;

use serde::Deserialize;

use super::with_conn;
use crate::db::{self, users::User};
use crate::domain::account::Role;
use crate::domain::school::{UrbanRural2, UrbanRuralCode};
use crate::error::{AppResult, During};
use crate::state::AppState;

pub use crate::db::stats::rate;
pub use crate::db::{rounds::Round, schools::School, townships::Township};

#[derive(Debug, Clone, Deserialize, Default)]
pub struct Filter {
    pub round: Option<i64>,
    pub urban: Option<String>,
    pub level: Option<String>,
    /// How the schools are listed: `rate` (lowest rate first, the default), `rate_desc`,
    /// `name`, `township` or `responses` (fewest first).
    pub sort: Option<String>,
}

/// The school list's orders, `(sort parameter, what the link says)`.
pub const SORTS: [(&str, &str); 5] = [
    ("rate", "回收率从低到高"),
    ("rate_desc", "回收率从高到低"),
    ("responses", "回收份数从少到多"),
    ("township", "按镇街"),
    ("name", "按学校名称"),
];

/// Orders `(school, enrolment, responses)` rows by `sort` (see [`Filter::sort`]); ties keep
/// the roster's order.
pub fn sort_schools(rows: &mut [(School, i64, i64)], sort: &str) {
    let rate_of = |r: &(School, i64, i64)| rate(r.2, r.1).unwrap_or(f64::INFINITY);
    match sort {
        "rate_desc" => rows.sort_by(|a, b| rate_of(b).total_cmp(&rate_of(a))),
        "responses" => rows.sort_by_key(|r| r.2),
        "township" => rows.sort_by_key(|r| r.0.township_id),
        "name" => rows.sort_by(|a, b| a.0.name.cmp(&b.0.name)),
        _ => rows.sort_by(|a, b| rate_of(a).total_cmp(&rate_of(b))),
    }
}

pub struct Coverage {
    pub round: Option<Round>,
    pub rounds: Vec<Round>,
    pub townships: Vec<Township>,
    /// (school, enrolment, responses), after filtering and scoping.
    pub schools: Vec<(School, i64, i64)>,
    /// Of the responses, those typed in from paper reply slips, by school id.
    pub paper: HashMap<i64, i64>,
}

/// The schools a user may see in a round, with their figures. Shared with the
/// reminder handler so both always agree on who is "low".
fn load(conn: &mut db::DbConnection, user: &User, filter: &Filter) -> AppResult<Coverage> {
    let rounds = db::rounds::list(conn).during("listing rounds")?;
    let round = match filter.round {
        Some(id) => rounds.iter().find(|r| r.id == id).cloned(),
        None => rounds.first().cloned(),
    };
    let townships = db::townships::list(conn).during("listing townships")?;
    let Some(r) = &round else {
        return Ok(Coverage {
            round,
            rounds,
            townships,
            schools: vec![],
            paper: HashMap::new(),
        });
    };
    let published: std::collections::HashSet<i64> = db::rounds::publications(conn, r.id)
        .during("listing the round's schools")?
        .into_iter()
        .map(|p| p.school_id)
        .collect();
    let counts: HashMap<i64, i64> = db::stats::per_school(conn, r.id)
        .during("counting responses")?
        .into_iter()
        .collect();
    let paper: HashMap<i64, i64> = db::stats::paper_per_school(conn, r.id)
        .during("counting paper slips")?
        .into_iter()
        .collect();
    let enrol: HashMap<i64, i64> = db::stats::enrolment_per_school(conn)
        .during("reading enrolment")?
        .into_iter()
        .collect();
    let want_urban = match filter.urban.as_deref() {
        Some("urban") => Some(UrbanRural2::Urban),
        Some("rural") => Some(UrbanRural2::Rural),
        _ => None,
    };
    let schools = db::schools::list(conn)
        .during("listing schools")?
        .into_iter()
        .filter(|s| published.contains(&s.id))
        .filter(|s| user.role() == Role::Bureau || user.township_id == Some(s.township_id))
        .filter(|s| {
            want_urban.is_none_or(|w| {
                u16::try_from(s.urban_rural_code)
                    .ok()
                    .and_then(|c| UrbanRuralCode::new(c).ok())
                    .is_some_and(|c| c.two_way() == w)
            })
        })
        .filter(|s| {
            filter
                .level
                .as_deref()
                .is_none_or(|l| l.is_empty() || l == s.level)
        })
        .map(|s| {
            let e = enrol.get(&s.id).copied().unwrap_or(0);
            let n = counts.get(&s.id).copied().unwrap_or(0);
            (s, e, n)
        })
        .collect();
    Ok(Coverage {
        round,
        rounds,
        townships,
        schools,
        paper,
    })
}

/// The coverage `user` may see in the round `filter` names (or the newest).
pub async fn coverage(state: &AppState, user: &User, filter: Filter) -> AppResult<Coverage> {
    let u = user.clone();
    with_conn(state, move |c| load(c, &u, &filter)).await
}

/// A school below the threshold: its rate and the addresses to remind.
pub type Low = (School, f64, Vec<String>);

/// The schools below `threshold` percent in `user`'s coverage, each with its rate and the
/// addresses to remind (its staff accounts, else the roster's contact address).
pub fn below(
    conn: &mut db::DbConnection,
    user: &User,
    filter: &Filter,
    threshold: f64,
) -> AppResult<(Option<Round>, Vec<Low>)> {
    let cov = load(conn, user, filter)?;
    let mut out = Vec::new();
    for (s, e, n) in cov.schools {
        let Some(r) = rate(n, e) else {
            continue;
        };
        if r >= threshold {
            continue;
        }
        let mut to = db::users::school_contacts(conn, s.id).during("reading school contacts")?;
        if to.is_empty() {
            to.extend(s.contact_email.clone());
        }
        out.push((s, r, to));
    }
    Ok((cov.round, out))
}
