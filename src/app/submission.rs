//! Taking a parent's submission: what a public link resolves to, whether its
//! round is open, the one-time code (with the limit on wrong codes per
//! address), validation against the pinned survey version, the
//! personal-information check, and the row handed to the group-commit writer.
//! The letter, the form and the submit handler all enter through here.

use std::sync::Arc;

use actix_web::web;
use chrono::Duration;

use crate::db::responses::NewResponse;
use crate::db::versions::Versions;
use crate::db::{self, rate, DbConnection};
use crate::domain::school::{SchoolLevel, UrbanRuralCode};
use crate::domain::survey::{
    errors_through, next_page, page_of_first, personal_info, previous_page, validate_at,
    FieldErrors, FormInput, Go, Step, SurveyDefinition,
};
use crate::domain::token::normalise_code;
use crate::error::{AppError, AppResult, During};
use crate::metrics::Refusal;
use crate::state::AppState;

pub use crate::db::codes::AccessCode;
pub use crate::db::rounds::{Publication, RoundState};
pub use crate::db::writer::WriteError;

pub use super::prefilled::Known;

/// Wrong one-time codes from one address within [`CODE_WINDOW`] before every code lookup from
/// it is refused with 429. A whole school behind one NAT mistypes far fewer; a guesser gets
/// nowhere against 100-bit codes at this pace.
pub const CODE_MISSES: i64 = 20;
pub const CODE_WINDOW: Duration = Duration::minutes(10);

/// What a public link resolves to: the school's publication and the exact survey version it pins.
pub struct Link {
    pub publication: Publication,
    /// The survey as this school's parents are asked it in this round.
    pub def: Arc<SurveyDefinition>,
    /// The whole version the round pinned: a form is decoded against it, so an answer to a
    /// question not asked here is dropped rather than refused as unknown.
    pub pinned: Arc<SurveyDefinition>,
}

/// Looks up the link (404 if unknown) and the exact survey version it pins (with the school's
/// supplement, if it has one).
pub async fn load(state: &AppState, slug: String) -> AppResult<Link> {
    let pool = state.pool.clone();
    let versions = state.catalog.versions();
    web::block(move || -> AppResult<Link> {
        let mut conn = pool.get()?;
        let mut publication = db::rounds::publication_by_slug(&mut conn, &slug)
            .during("looking up the link")?
            .ok_or(AppError::NotFound)?;
        // Online, a school's parents answer its supplement too: the core with the school's
        // questions appended. Paper slips keep to the core (they come through `link_for`).
        if let Some(derived) = publication.supplement_hash.clone() {
            publication.survey_hash = derived;
        }
        Ok(link_for(&mut conn, &versions, publication)?)
    })
    .await?
}

/// The survey version a publication pins, whole and as its school's parents are asked it.
pub fn link_for(
    conn: &mut DbConnection,
    versions: &Versions,
    publication: Publication,
) -> anyhow::Result<Link> {
    let pinned = versions.version(conn, &publication.survey_hash)?;
    let area = UrbanRuralCode::new(u16::try_from(publication.school_urban_rural).unwrap_or(0))
        .ok()
        .map(|c| c.three_way());
    let p = &publication;
    let def = versions.as_asked(conn, &p.survey_hash, area, &p.sections)?;
    Ok(Link {
        publication,
        def,
        pinned,
    })
}

fn code_key(addr: &str) -> String {
    format!("code-miss:{addr}")
}

fn lookup_code(
    conn: &mut DbConnection,
    code: &str,
    addr: &str,
    now: chrono::NaiveDateTime,
) -> AppResult<Option<AccessCode>> {
    let misses = rate::count_within(conn, &code_key(addr), CODE_WINDOW, now)
        .during("counting wrong codes")?;
    if misses >= CODE_MISSES {
        return Err(AppError::TooManyRequests);
    }
    let found = db::codes::find(conn, code).during("looking up the code")?;
    if found.is_none() {
        rate::record(conn, &code_key(addr), now).during("recording a wrong code")?;
    }
    Ok(found)
}

/// Looks a one-time code up for a parent at `addr`: 429 once that address
/// has had too many wrong codes lately, and a wrong code counts against it.
pub async fn find_code(
    state: &AppState,
    code: String,
    addr: String,
) -> AppResult<Option<AccessCode>> {
    let now = state.clock.now();
    super::with_conn(state, move |c| lookup_code(c, &code, &addr, now)).await
}

/// The link a one-time code belongs to (for `/c/{code}`), or `None` for an unknown code.
pub async fn link_of_code(
    state: &AppState,
    code: String,
    addr: String,
) -> AppResult<Option<String>> {
    let now = state.clock.now();
    super::with_conn(state, move |c| {
        let Some(found) = lookup_code(c, &code, &addr, now)? else {
            return Ok(None);
        };
        Ok(db::rounds::publication(c, found.round_id, found.school_id)
            .during("looking up the code's link")?
            .map(|p| p.slug))
    })
    .await
}

/// A code from a query string or form, checked against the link's round and
/// school. `Ok(None)` when no code was given.
pub async fn load_code(
    state: &AppState,
    link: &Link,
    raw: Option<&str>,
    addr: &str,
) -> AppResult<Option<AccessCode>> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let code = normalise_code(raw)
        .ok_or_else(|| AppError::BadRequest("填写码格式不正确，请核对信上印的填写码。".into()))?;
    match find_code(state, code, addr.to_string()).await? {
        Some(c)
            if c.round_id == link.publication.round_id
                && c.school_id == link.publication.school_id =>
        {
            Ok(Some(c))
        }
        Some(_) => Err(AppError::BadRequest(
            "此填写码不属于本校的本次调查，请使用孩子学校发放的信中的二维码。".into(),
        )),
        None => Err(AppError::BadRequest(
            "填写码不存在，请核对信上印的填写码。".into(),
        )),
    }
}

/// Where a parent arriving at a link stands.
pub enum Entry {
    /// The round is open: the survey, with the code if one was given.
    Open(Link, Option<AccessCode>),
    /// The round has not opened yet, or has closed.
    NotOpen(Link, RoundState),
    /// The code was given and has already been used.
    CodeUsed(Link),
    /// The round takes answers only with a code, and none (or a wrong one) was given: what
    /// was typed, and why it was refused.
    CodeNeeded(Link, Option<(String, String)>),
}

/// Resolves a link and an optional code for a parent at `addr`.
pub async fn enter(
    state: &AppState,
    slug: String,
    code: Option<&str>,
    addr: &str,
) -> AppResult<Entry> {
    let link = load(state, slug).await?;
    match link.publication.state_at(state.clock.now()) {
        RoundState::Open => {}
        other => return Ok(Entry::NotOpen(link, other)),
    }
    let found = match load_code(state, &link, code, addr).await {
        // A round that needs codes asks again, beside the box, instead of an error page.
        Err(AppError::BadRequest(why)) if link.publication.codes_required => {
            let typed = code.unwrap_or_default().chars().take(40).collect();
            return Ok(Entry::CodeNeeded(link, Some((typed, why))));
        }
        other => other?,
    };
    match found {
        Some(c) if c.used_at.is_some() => Ok(Entry::CodeUsed(link)),
        None if link.publication.codes_required => Ok(Entry::CodeNeeded(link, None)),
        found => Ok(Entry::Open(link, found)),
    }
}

/// What became of a submission.
pub enum Taken {
    /// Committed (or committed before, for a retried POST): the thank-you page may follow.
    Stored,
    /// The code was used by another response meanwhile.
    CodeUsed,
    /// A paper slip with the same serial is stored already.
    SerialStored,
    /// Answers that break the survey's rules, by field, and the page of the first.
    Invalid(FieldErrors, usize),
    /// A phone number, ID number or e-mail in a free-text answer, asked about once; and the
    /// page of the first.
    PersonalInfo(FieldErrors, usize),
    /// The pages so far are fine: show this page next (or, going back, this earlier one).
    Page(usize),
    /// The database could not take it now; the parent should try again.
    NotStored(WriteError),
    /// The computer-room session it came through has all its answers or is over.
    SessionOver,
}

/// Takes one step through the survey's pages: back shows the previous page, next checks the
/// pages so far and shows the next one; submitting (or next on the last page) validates
/// everything against the link's survey version and, once valid and past the
/// personal-information check, stores it through the writer.
pub async fn take(
    state: &AppState,
    link: &Link,
    (code, known): (Option<&AccessCode>, Known),
    input: &FormInput,
    (idem, step): (&str, Step),
    personal_info_asked: bool,
    seat: Option<&str>,
) -> AppResult<Taken> {
    let def = &link.def;
    let left_out = super::prefilled::left_out(known);
    if step.go == Go::Back {
        let back = previous_page(def, step.page, input, &left_out).unwrap_or(step.page);
        return Ok(Taken::Page(back.min(def.page_count() - 1)));
    }
    let level = SchoolLevel::from_db_code(&link.publication.school_level);
    let checked = validate_at(def, input, level);
    if step.go == Go::Next {
        let so_far = match &checked {
            Ok(_) => FieldErrors::default(),
            Err(errors) => errors_through(def, errors, step.page),
        };
        if !so_far.is_empty() {
            let page = page_of_first(def, &so_far);
            return Ok(Taken::Invalid(so_far, page));
        }
        if let Some(next) = next_page(def, step.page, input, &left_out) {
            return Ok(Taken::Page(next));
        }
    }
    let answers = match checked {
        Ok(a) => a,
        Err(errors) => {
            crate::metrics::global().refused(Refusal::Invalid);
            let page = page_of_first(def, &errors);
            return Ok(Taken::Invalid(errors, page));
        }
    };
    if !personal_info_asked {
        let flagged = personal_info(&answers);
        if !flagged.is_empty() {
            crate::metrics::global().refused(Refusal::PersonalInfo);
            let page = page_of_first(def, &flagged);
            return Ok(Taken::PersonalInfo(flagged, page));
        }
    }
    let p = &link.publication;
    let response = NewResponse {
        round_id: p.round_id,
        school_id: p.school_id,
        survey_hash: p.survey_hash.clone(),
        grade: answers.grade().map(i32::from),
        class_no: answers.class().map(i32::from),
        answers: serde_json::to_string(&answers).map_err(anyhow::Error::from)?,
        idempotency_key: idem.to_string(),
        access_code: code.map(|c| c.code.clone()),
        submitted_at: state.clock.now(),
        channel: crate::db::responses::ONLINE,
        serial: None,
    };
    // Only answers from a computer-room session touch its count; a phone's answer goes
    // straight to the writer.
    let link_ids = (p.round_id, p.school_id);
    if let Some(seat) = seat.map(String::from) {
        let now = state.clock.now();
        let s = seat.clone();
        let taken = super::with_conn(state, move |c| {
            super::class_sessions::take_place(c, &s, link_ids, now)
        });
        if !taken.await? {
            return Ok(Taken::SessionOver);
        }
    }
    let (taken, newly_stored) = write(state, response).await;
    if let (Some(seat), false) = (seat.map(String::from), newly_stored) {
        super::with_conn(state, move |c| super::class_sessions::give_back(c, &seat)).await?;
    }
    Ok(taken)
}

/// Hands a validated response to the group-commit writer and says what became of it: the one
/// way in for a phone answer and a typed-in paper slip alike.
pub async fn store(state: &AppState, response: NewResponse) -> Taken {
    write(state, response).await.0
}

/// [`store`], also saying whether this call stored a new row (a retried submission is
/// `Stored` too, but took nothing new).
async fn write(state: &AppState, response: NewResponse) -> (Taken, bool) {
    use crate::db::writer::SubmitOutcome;
    let metrics = crate::metrics::global();
    let outcome = state.writer.submit(response).await;
    let newly_stored = matches!(outcome, Ok(SubmitOutcome::Stored));
    let taken = match outcome {
        Ok(SubmitOutcome::Stored) => {
            metrics.stored();
            Taken::Stored
        }
        Ok(SubmitOutcome::Duplicate) => {
            metrics.duplicate();
            Taken::Stored
        }
        Ok(SubmitOutcome::CodeAlreadyUsed) => {
            metrics.refused(Refusal::CodeUsed);
            Taken::CodeUsed
        }
        Ok(SubmitOutcome::SerialAlreadyStored) => Taken::SerialStored,
        Err(e) => {
            tracing::warn!(error = %e, "submission not stored");
            metrics.refused(match e {
                WriteError::Overloaded => Refusal::Overloaded,
                WriteError::Unavailable(_) => Refusal::Unavailable,
            });
            Taken::NotStored(e)
        }
    };
    (taken, newly_stored)
}
