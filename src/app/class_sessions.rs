//! Computer-room sessions (机房模式): a school's teacher opens one for a class in a students'
//! round; the room's devices answer through its code; each stored answer takes one of its
//! places, and it closes when they are taken or its time is up.

use chrono::Duration;

use super::with_conn;
use crate::db::class_sessions::{ClassSession, NewSession};
use crate::db::rounds::Publication;
use crate::db::{self, DbConnection};
use crate::domain::class_session::{
    normalise, Status, CODE_CHARS, DEFAULT_MINUTES, MAX_EXPECTED, MAX_MINUTES,
};
use crate::domain::survey::{Respondent, STUDENT_GRADES};
use crate::domain::token::random_token;
use crate::error::{AppError, AppResult, During, Invalid};
use crate::state::AppState;

/// What the teacher asked for, as typed.
pub struct OpenSession {
    pub grade: String,
    pub class_no: String,
    pub expected: String,
    pub minutes: String,
}

/// A session with its school's publication and where it stands now.
pub struct SessionView {
    pub session: ClassSession,
    pub publication: Publication,
    pub status: Status,
}

fn number(
    v: &str,
    field: &str,
    range: std::ops::RangeInclusive<i64>,
    msg: &str,
) -> Result<i64, Invalid> {
    v.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| Invalid::field(field, msg))
}

fn check(o: &OpenSession) -> Result<(i32, i32, i32, i64), Invalid> {
    let (lo, hi) = (*STUDENT_GRADES.start(), *STUDENT_GRADES.end());
    let grade = number(
        &o.grade,
        "grade",
        i64::from(lo)..=i64::from(hi),
        "请选择三至九年级中的一个年级。",
    )?;
    let class_no = number(&o.class_no, "class_no", 1..=99, "请填写 1–99 的班级号。")?;
    let expected = number(
        &o.expected,
        "expected",
        1..=i64::from(MAX_EXPECTED),
        &format!("请填写本班今天参加的人数（1–{MAX_EXPECTED}）。"),
    )?;
    let minutes = if o.minutes.trim().is_empty() {
        DEFAULT_MINUTES
    } else {
        number(
            &o.minutes,
            "minutes",
            5..=MAX_MINUTES,
            &format!("请填写 5–{MAX_MINUTES} 分钟。"),
        )?
    };
    // The ranges above fit i32.
    Ok((grade as i32, class_no as i32, expected as i32, minutes))
}

fn respondent_of(
    state_versions: &crate::db::versions::Versions,
    c: &mut DbConnection,
    p: &Publication,
) -> AppResult<Respondent> {
    Ok(state_versions
        .version(c, &p.survey_hash)
        .map_err(AppError::Unexpected)?
        .respondent)
}

/// Opens a session for one class of a school in a students' round; returns its code.
pub async fn open(
    state: &AppState,
    school_id: i64,
    round_id: i64,
    asked: OpenSession,
    by: i64,
) -> AppResult<String> {
    let (grade, class_no, expected, minutes) = check(&asked).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let versions = state.catalog.versions();
    with_conn(state, move |c| {
        let p = db::rounds::publication(c, round_id, school_id)
            .during("looking up the publication")?
            .ok_or(AppError::NotFound)?;
        if respondent_of(&versions, c, &p)? != Respondent::Student {
            return Err(AppError::invalid("机房模式只用于学生版问卷。"));
        }
        if p.state_at(now) != db::rounds::RoundState::Open {
            return Err(AppError::invalid("本轮调查不在填写时间内，不能开始机房填写。"));
        }
        let code = random_token(CODE_CHARS).to_uppercase();
        let closes_at = (now + Duration::minutes(minutes)).min(p.closes_at);
        db::class_sessions::create(
            c,
            &NewSession {
                code: &code,
                round_id,
                school_id,
                grade,
                class_no,
                expected,
                opened_at: now,
                closes_at,
                opened_by: Some(by),
            },
        )
        .during("opening the class session")?;
        db::audit::record(
            c,
            Some(by),
            "class_session_opened",
            &format!("round={round_id} school={school_id} grade={grade} class={class_no} expected={expected}"),
            now,
        )
        .during("recording the class session")?;
        Ok(code)
    })
    .await
}

/// The session of a typed or scanned code (404 when there is none).
pub async fn find(state: &AppState, code: &str) -> AppResult<SessionView> {
    let code = normalise(code).ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    with_conn(state, move |c| {
        let session = db::class_sessions::by_code(c, &code)
            .during("looking up the class session")?
            .ok_or(AppError::NotFound)?;
        let publication = db::rounds::publication(c, session.round_id, session.school_id)
            .during("looking up the publication")?
            .ok_or(AppError::NotFound)?;
        let status = Status::at(session.submitted, session.expected, session.closes_at, now);
        Ok(SessionView {
            session,
            publication,
            status,
        })
    })
    .await
}

/// Takes a place in the session for an answer about to be stored; false when it is closed.
pub fn take_place(
    conn: &mut DbConnection,
    code: &str,
    link: (i64, i64),
    now: chrono::NaiveDateTime,
) -> AppResult<bool> {
    let Some(code) = normalise(code) else {
        return Ok(false);
    };
    db::class_sessions::take_place(conn, &code, link, now).during("counting the class session")
}

/// Gives the place back when the answer was not stored after all.
pub fn give_back(conn: &mut DbConnection, code: &str) -> AppResult<()> {
    match normalise(code) {
        Some(code) => {
            db::class_sessions::give_back(conn, &code).during("counting the class session")
        }
        None => Ok(()),
    }
}
