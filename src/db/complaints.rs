//! Complaints and suggestions from parents, each step of their rectification, and the
//! record of days on which the overdue mail went out (one instance sends it).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{complaint_steps, complaints, daily_sends, schools, townships, users};
use super::DbConnection;

pub struct NewComplaint {
    pub school_id: Option<i64>,
    pub township_id: Option<i64>,
    pub kind: String,
    pub body: String,
    pub contact: Option<String>,
    /// `primary`, `secondary`, or `both` when the school's level is not known.
    pub office: String,
}

pub fn insert(conn: &mut DbConnection, c: &NewComplaint, now: NaiveDateTime) -> QueryResult<i64> {
    let q = diesel::insert_into(complaints::table).values((
        complaints::school_id.eq(c.school_id),
        complaints::township_id.eq(c.township_id),
        complaints::kind.eq(&c.kind),
        complaints::body.eq(&c.body),
        complaints::contact.eq(&c.contact),
        complaints::office.eq(&c.office),
        complaints::status.eq("new"),
        complaints::created_at.eq(now),
    ));
    // SQLite (as diesel builds it) has no RETURNING: the row id of the connection's last
    // insert is read in the same transaction instead.
    match conn {
        DbConnection::Pg(pg) => q.returning(complaints::id).get_result(pg),
        DbConnection::Sqlite(lite) => lite.transaction(|lite| {
            q.execute(lite)?;
            diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "last_insert_rowid()",
            ))
            .get_result(lite)
        }),
    }
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct ComplaintRow {
    pub id: i64,
    pub school_id: Option<i64>,
    pub school_name: Option<String>,
    pub township_id: Option<i64>,
    pub township_name: Option<String>,
    pub kind: String,
    pub body: String,
    pub contact: Option<String>,
    pub office: String,
    pub status: String,
    pub plan: Option<String>,
    pub due_at: Option<NaiveDateTime>,
    /// The note of what was done, once closed.
    pub reply: Option<String>,
    pub created_at: NaiveDateTime,
    pub assigned_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

/// Whose complaints a list holds.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    All,
    Township(i64),
    School(i64),
}

/// Complaints with their school's and township's names (either may be missing).
macro_rules! joined {
    () => {
        complaints::table
            .left_join(schools::table.on(complaints::school_id.eq(schools::id.nullable())))
            .left_join(townships::table.on(complaints::township_id.eq(townships::id.nullable())))
    };
}

macro_rules! rows {
    () => {
        joined!().select((
            complaints::id,
            complaints::school_id,
            schools::name.nullable(),
            complaints::township_id,
            townships::name.nullable(),
            complaints::kind,
            complaints::body,
            complaints::contact,
            complaints::office,
            complaints::status,
            complaints::plan,
            complaints::due_at,
            complaints::reply,
            complaints::created_at,
            complaints::assigned_at,
            complaints::handled_at,
        ))
    };
}

/// The complaints in `scope`, open ones first, newest first.
pub fn list(conn: &mut DbConnection, scope: Scope) -> QueryResult<Vec<ComplaintRow>> {
    let q = rows!().into_boxed();
    let q = match scope {
        Scope::All => q,
        Scope::Township(t) => q.filter(complaints::township_id.eq(t)),
        // A school hears of a complaint once it is assigned to it, not before.
        Scope::School(s) => q
            .filter(complaints::school_id.eq(s))
            .filter(complaints::status.ne("new")),
    };
    let mut rows: Vec<ComplaintRow> = q.order(complaints::id.desc()).load(conn)?;
    rows.sort_by_key(|r| r.status == "closed");
    Ok(rows)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<ComplaintRow>> {
    rows!().filter(complaints::id.eq(id)).first(conn).optional()
}

/// Who reaches a complaint (for the access guard).
pub struct Reach {
    pub school_id: Option<i64>,
    pub township_id: Option<i64>,
    /// Still new: not yet assigned, so not yet its school's.
    pub new: bool,
}

pub fn reach(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Reach>> {
    let row: Option<(Option<i64>, Option<i64>, String)> = complaints::table
        .find(id)
        .select((
            complaints::school_id,
            complaints::township_id,
            complaints::status,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(school_id, township_id, status)| Reach {
        school_id,
        township_id,
        new: status == "new",
    }))
}

/// Rectifying complaints whose deadline has passed, oldest deadline first.
pub fn overdue(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<ComplaintRow>> {
    rows!()
        .filter(complaints::status.eq("rectifying"))
        .filter(complaints::due_at.lt(now))
        .order(complaints::due_at.asc())
        .load(conn)
}

/// Gives a complaint to a school (and its township).
pub fn assign(
    conn: &mut DbConnection,
    id: i64,
    school_id: i64,
    township_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(complaints::table.find(id))
        .set((
            complaints::school_id.eq(school_id),
            complaints::township_id.eq(township_id),
            complaints::status.eq("assigned"),
            complaints::assigned_at.eq(now),
        ))
        .execute(conn)
}

/// Records the school's rectification plan and deadline.
pub fn set_plan(
    conn: &mut DbConnection,
    id: i64,
    plan: &str,
    due_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(complaints::table.find(id))
        .set((
            complaints::plan.eq(plan),
            complaints::due_at.eq(due_at),
            complaints::status.eq("rectifying"),
        ))
        .execute(conn)
}

/// Closes a complaint with the note of what was done.
pub fn close(
    conn: &mut DbConnection,
    id: i64,
    note: &str,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(complaints::table.find(id))
        .set((
            complaints::status.eq("closed"),
            complaints::reply.eq(note),
            complaints::handled_at.eq(now),
            complaints::handled_by.eq(by),
        ))
        .execute(conn)
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct StepRow {
    pub at: NaiveDateTime,
    pub step: String,
    pub note: String,
    pub user_name: Option<String>,
    pub user_role: Option<String>,
}

pub fn add_step(
    conn: &mut DbConnection,
    complaint_id: i64,
    user_id: i64,
    step: &str,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(complaint_steps::table)
        .values((
            complaint_steps::complaint_id.eq(complaint_id),
            complaint_steps::at.eq(now),
            complaint_steps::user_id.eq(user_id),
            complaint_steps::step.eq(step),
            complaint_steps::note.eq(note),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A complaint's steps, in order.
pub fn steps(conn: &mut DbConnection, complaint_id: i64) -> QueryResult<Vec<StepRow>> {
    complaint_steps::table
        .left_join(users::table)
        .filter(complaint_steps::complaint_id.eq(complaint_id))
        .order(complaint_steps::id)
        .select((
            complaint_steps::at,
            complaint_steps::step,
            complaint_steps::note,
            users::display_name.nullable(),
            users::role.nullable(),
        ))
        .load(conn)
}

/// What the monthly ledger needs of one complaint received before the month's end.
pub struct LedgerComplaint {
    pub township: Option<String>,
    pub school: Option<String>,
    pub created_at: NaiveDateTime,
    pub due_at: Option<NaiveDateTime>,
    /// Its steps taken before the month's end, in order: `(at, step)`.
    pub steps: Vec<(NaiveDateTime, String)>,
}

/// Every complaint received before `end`, with its steps before `end`.
pub fn for_ledger(
    conn: &mut DbConnection,
    end: NaiveDateTime,
) -> QueryResult<Vec<LedgerComplaint>> {
    type Row = (
        i64,
        Option<String>,
        Option<String>,
        NaiveDateTime,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = joined!()
        .filter(complaints::created_at.lt(end))
        .order(complaints::id)
        .select((
            complaints::id,
            townships::name.nullable(),
            schools::name.nullable(),
            complaints::created_at,
            complaints::due_at,
        ))
        .load(conn)?;
    let steps: Vec<(i64, NaiveDateTime, String)> = complaint_steps::table
        .filter(complaint_steps::at.lt(end))
        .order(complaint_steps::id)
        .select((
            complaint_steps::complaint_id,
            complaint_steps::at,
            complaint_steps::step,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, township, school, created_at, due_at)| LedgerComplaint {
                township,
                school,
                created_at,
                due_at,
                steps: steps
                    .iter()
                    .filter(|(c, _, _)| *c == id)
                    .map(|(_, at, s)| (*at, s.clone()))
                    .collect(),
            },
        )
        .collect())
}

/// Records that `job` ran for `day`; `false` if it already did (here or on another instance).
pub fn claim_daily(
    conn: &mut DbConnection,
    job: &str,
    day: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(daily_sends::table)
        .values((
            daily_sends::job.eq(job),
            daily_sends::day.eq(day),
            daily_sends::sent_at.eq(now),
        ))
        .execute(conn);
    super::claimed(inserted)
}

/// Undoes a claim whose job failed, so that the next check runs it again.
pub fn release_daily(conn: &mut DbConnection, job: &str, day: &str) -> QueryResult<usize> {
    diesel::delete(
        daily_sends::table
            .filter(daily_sends::job.eq(job))
            .filter(daily_sends::day.eq(day)),
    )
    .execute(conn)
}
