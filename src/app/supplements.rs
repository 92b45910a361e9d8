//! A school's own questions in a round (本校补充题): reading them, and adding, changing or
//! removing one before the round opens. Each save stores the school's derived survey version
//! (the core's exact source with the questions appended, linted like any version), points the
//! school's link at it, and records who saved it.

use chrono::NaiveDateTime;

use super::with_conn;
use crate::db::versions::Versions;
use crate::db::{self, DbConnection};
use crate::domain::supplement::{self, Question, QuestionForm};
use crate::domain::survey::{self, content_hash};
use crate::error::{AppError, AppResult, During, Invalid};
use crate::state::AppState;

pub use crate::db::rounds::{Publication, Round};

/// A school's supplement as its page shows it.
pub struct SchoolSupplement {
    pub publication: Publication,
    pub round: Round,
    pub questions: Vec<Question>,
    /// Why the supplement cannot be changed now, or `None` while it can.
    pub locked: Option<String>,
    /// The names of the activities in the school's plan (一校一案), for options.
    pub activities: Vec<String>,
}

/// One change to a supplement; questions are numbered from 1.
#[derive(Debug, Clone)]
pub enum Change {
    Add(QuestionForm),
    Edit(usize, QuestionForm),
    Remove(usize),
}

impl Change {
    fn code(&self) -> &'static str {
        match self {
            Change::Add(_) => "added",
            Change::Edit(..) => "edited",
            Change::Remove(_) => "removed",
        }
    }
}

/// Why a round's supplement cannot change at `now`, in words; `None` while it can.
pub fn locked(round: &Round, now: NaiveDateTime) -> Option<String> {
    if round.companion_of.is_some() {
        Some("学生问卷和教师问卷不设本校补充题；补充题只加在家长问卷之后。".into())
    } else if round.supplement_max <= 0 {
        Some("本轮教育局没有开放本校补充题。".into())
    } else if now >= round.opens_at {
        Some(format!(
            "本轮已于 {} 开始填写，本校补充题不能再添加、修改或删除。",
            crate::domain::time::to_local(round.opens_at).format("%Y-%m-%d %H:%M")
        ))
    } else {
        None
    }
}

fn questions_of(stored: Option<&db::supplements::Supplement>) -> AppResult<Vec<Question>> {
    match stored {
        None => Ok(Vec::new()),
        Some(s) => serde_json::from_str(&s.questions)
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("stored supplement: {e}"))),
    }
}

fn load(
    conn: &mut DbConnection,
    school_id: i64,
    round_id: i64,
    now: NaiveDateTime,
) -> AppResult<SchoolSupplement> {
    let publication = db::rounds::publication(conn, round_id, school_id)
        .during("looking up the publication")?
        .ok_or(AppError::NotFound)?;
    let round = db::rounds::find(conn, round_id)
        .during("looking up the round")?
        .ok_or(AppError::NotFound)?;
    let stored =
        db::supplements::find(conn, round_id, school_id).during("reading the supplement")?;
    let activities = db::plans::latest(conn, None)?
        .remove(&school_id)
        .map(|p| p.activities.into_iter().map(|a| a.name).collect())
        .unwrap_or_default();
    Ok(SchoolSupplement {
        questions: questions_of(stored.as_ref())?,
        locked: locked(&round, now),
        publication,
        round,
        activities,
    })
}

/// The school's supplement in the round (404 when the school is not in it).
pub async fn school(
    state: &AppState,
    school_id: i64,
    round_id: i64,
) -> AppResult<SchoolSupplement> {
    let now = state.clock.now();
    with_conn(state, move |c| load(c, school_id, round_id, now)).await
}

/// The questions after the change, or what is wrong with it.
fn apply(s: &SchoolSupplement, change: &Change) -> Result<Vec<Question>, Invalid> {
    let mut questions = s.questions.clone();
    let max = usize::try_from(s.round.supplement_max).unwrap_or(0);
    let check = |f: &QuestionForm| {
        f.check(&s.activities).map_err(|problems| Invalid {
            fields: problems
                .into_iter()
                .map(|(f, m)| (f.to_string(), m))
                .collect(),
        })
    };
    let exists = |n: usize| {
        (1..=questions.len())
            .contains(&n)
            .then_some(n - 1)
            .ok_or_else(|| Invalid::form(format!("没有第 {n} 题，可能已被删除。请刷新页面。")))
    };
    match change {
        Change::Add(f) => {
            if questions.len() >= max {
                return Err(Invalid::form(format!(
                    "本轮每所学校最多添加 {max} 道补充题，已经有 {} 道了。",
                    questions.len()
                )));
            }
            questions.push(check(f)?);
        }
        Change::Edit(n, f) => {
            let i = exists(*n)?;
            questions[i] = check(f)?;
        }
        Change::Remove(n) => {
            let i = exists(*n)?;
            questions.remove(i);
        }
    }
    Ok(questions)
}

/// Stores the derived version for `questions` and returns its hash.
fn store_derived(
    conn: &mut DbConnection,
    versions: &Versions,
    round: &Round,
    questions: &[Question],
    now: NaiveDateTime,
) -> AppResult<String> {
    let core = db::surveys::find(conn, &round.survey_hash)
        .during("reading the core survey")?
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("the round's survey is not stored")))?;
    let core_def = versions
        .version(conn, &round.survey_hash)
        .map_err(AppError::Unexpected)?;
    let source = supplement::derived_source(&core.source, !core_def.pages.is_empty(), questions)
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("writing the supplement: {e}")))?;
    if let Err(errs) = survey::parse_definition(&source, versions.taxonomy()) {
        tracing::warn!(
            "a supplement did not pass the linter:\n{}",
            survey::format_lint(&core.survey_key, &errs)
        );
        return Err(AppError::invalid(
            "这道题和本轮问卷合在一起后无法通过检查，未保存。请换一种写法，或联系教育局。",
        ));
    }
    let hash = content_hash(&source);
    db::surveys::store(conn, &hash, &core.survey_key, &core.title, &source, now)
        .during("storing the derived survey version")?;
    Ok(hash)
}

/// Applies one change before the round opens, in one transaction with its audit record.
pub async fn save(
    state: &AppState,
    school_id: i64,
    round_id: i64,
    change: Change,
    by: i64,
) -> AppResult<()> {
    let now = state.clock.now();
    let versions = state.catalog.versions();
    with_conn(state, move |c| {
        diesel::Connection::transaction(c, |c| {
            let s = load(c, school_id, round_id, now)?;
            if let Some(why) = s.locked.clone() {
                return Err(AppError::invalid(why));
            }
            let questions = apply(&s, &change).map_err(AppError::Invalid)?;
            let stored = if questions.is_empty() {
                None
            } else {
                let hash = store_derived(c, &versions, &s.round, &questions, now)?;
                let json = serde_json::to_string(&questions)
                    .map_err(|e| AppError::Unexpected(e.into()))?;
                Some((json, hash))
            };
            db::supplements::replace(
                c,
                round_id,
                school_id,
                stored.as_ref().map(|(j, h)| (j.as_str(), h.as_str())),
                now,
            )
            .during("saving the supplement")?;
            db::audit::record(
                c,
                Some(by),
                "supplement_saved",
                &format!(
                    "round={round_id} school={school_id} change={} questions={}",
                    change.code(),
                    questions.len()
                ),
                now,
            )
            .during("recording the supplement")
        })
    })
    .await
}

/// The school's answers to its supplement as CSV (personal information masked), recording who
/// downloaded them.
pub async fn answers_csv(
    state: &AppState,
    school_id: i64,
    round_id: i64,
    by: i64,
) -> AppResult<Vec<u8>> {
    let now = state.clock.now();
    let versions = state.catalog.versions();
    with_conn(state, move |c| {
        db::rounds::publication(c, round_id, school_id)
            .during("looking up the publication")?
            .ok_or(AppError::NotFound)?;
        // Without a supplement the file has its header only: no questions, no answers.
        let Some(hash) = db::supplements::derived_hash(c, round_id, school_id)
            .during("looking up the supplement")?
        else {
            return Ok(crate::publish::export::supplement_csv(&[], &[])?);
        };
        let def = versions.version(c, &hash).map_err(AppError::Unexpected)?;
        let questions: Vec<&survey::Question> = def
            .questions
            .iter()
            .filter(|q| supplement::is_supplement_id(&q.id))
            .collect();
        let rows = db::supplements::answers(c, round_id, school_id, &hash)
            .during("reading the supplement's answers")?
            .into_iter()
            .map(|(grade, json)| {
                survey::Answers::from_json(&def, &json)
                    .map(|a| (grade, a))
                    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("stored answers: {e}")))
            })
            .collect::<AppResult<Vec<_>>>()?;
        let csv = crate::publish::export::supplement_csv(&questions, &rows)?;
        db::audit::record(
            c,
            Some(by),
            "supplement_answers_exported",
            &format!(
                "round={round_id} school={school_id} responses={}",
                rows.len()
            ),
            now,
        )
        .during("recording the download")?;
        Ok(csv)
    })
    .await
}
