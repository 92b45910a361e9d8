//! Typing in a returned paper reply slip (回执): the serial is checked against the slips
//! printed for this school and round, the answers go through the same validation (restricted to
//! the questions on the slip) and the same group-commit writer as a phone answer, marked as
//! paper. A serial is stored once; a slip bound to a per-student code uses that code, so a
//! slip and a phone answer for the same child cannot both count. In double-entry mode a typed
//! slip is checked the same way but kept in its batch (see `double_entry`).

use std::sync::Arc;

use super::prefilled::{with_known_fields, Known};
use super::submission::{link_for, store, Link, Taken};
use super::with_conn;
use crate::db::codes::AccessCode;
use crate::db::responses::{NewResponse, PAPER};
use crate::db::rounds::RoundState;
use crate::db::{self};
use crate::domain::school::SchoolLevel;
use crate::domain::slip::{layout_version, Serial};
use crate::domain::survey::{
    paper_view, personal_info, validate_at, FieldErrors, FormInput, SurveyDefinition,
};
use crate::domain::token::random_token;
use crate::error::{AppError, AppResult, During};
use crate::state::AppState;

/// The entry screen's survey: the slip's questions as this school's families are asked them.
pub struct EntryForm {
    pub link: Link,
    pub slip: Arc<SurveyDefinition>,
}

impl EntryForm {
    pub fn level(&self) -> Option<SchoolLevel> {
        SchoolLevel::from_db_code(&self.link.publication.school_level)
    }
}

/// What became of a typed-in slip.
pub enum Entered {
    /// Stored under this serial.
    Stored(String),
    /// Kept in a double-entry batch under this serial, until the batch is compared.
    Kept(String),
    /// The slip's answers break the survey's rules.
    Invalid(FieldErrors),
    /// The serial (or the slip as a whole) is refused, with why.
    Refused(String),
}

pub(super) fn entry_form(
    conn: &mut db::DbConnection,
    versions: &db::versions::Versions,
    round_id: i64,
    school_id: i64,
) -> AppResult<EntryForm> {
    let publication = db::rounds::publication(conn, round_id, school_id)
        .during("looking up the school's publication")?
        .ok_or(AppError::NotFound)?;
    let link = link_for(conn, versions, publication)?;
    let slip = Arc::new(paper_view(&link.def));
    Ok(EntryForm { link, slip })
}

/// The entry screen for a school's round.
pub async fn form(state: &AppState, round_id: i64, school_id: i64) -> AppResult<EntryForm> {
    let versions = state.catalog.versions();
    with_conn(state, move |c| {
        entry_form(c, &versions, round_id, school_id)
    })
    .await
}

/// A slip's serial and what it stands for, or why it is refused.
struct Checked {
    serial: String,
    code: Option<AccessCode>,
}

/// Checks a typed or scanned serial against the slips printed for this school and round.
fn check_serial(
    conn: &mut db::DbConnection,
    form: &EntryForm,
    typed: &str,
) -> AppResult<Result<Checked, String>> {
    let p = &form.link.publication;
    let scanned = match Serial::parse(typed) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let serial = scanned.serial;
    let text = serial.to_string();
    if (serial.round_id, serial.school_id) != (p.round_id, p.school_id) {
        return Ok(Err(format!(
            "编号 {text} 不是本校本轮调查的回执，请核对编号，或到对应学校、对应轮次的页面录入。"
        )));
    }
    let Some(code) = db::paper::find(conn, p.round_id, p.school_id, serial.slip_no)
        .during("looking up the slip")?
    else {
        return Ok(Err(format!(
            "编号 {text} 的回执没有打印过，请核对编号是否抄错。"
        )));
    };
    if scanned
        .layout
        .is_some_and(|l| l != layout_version(&form.link.def))
    {
        return Ok(Err(
            "这张回执的版式与本轮问卷不一致，可能是以前打印的回执，请交学校负责老师核对。".into(),
        ));
    }
    if scanned.code.is_some() && scanned.code != code {
        return Ok(Err(format!(
            "编号 {text} 的二维码与打印记录不符，请手动输入回执编号。"
        )));
    }
    if db::paper::serial_stored(conn, &text).during("looking up the serial")? {
        return Ok(Err(already_stored(&text)));
    }
    let code = match code {
        Some(c) => db::codes::find(conn, &c).during("looking up the code")?,
        None => None,
    };
    if code.as_ref().is_some_and(|c| c.used_at.is_some()) {
        return Ok(Err(code_used(&text)));
    }
    if p.codes_required && code.is_none() {
        return Ok(Err(format!(
            "本轮要求凭填写码填写，编号 {text} 的回执没有填写码，不能录入。"
        )));
    }
    Ok(Ok(Checked { serial: text, code }))
}

fn already_stored(serial: &str) -> String {
    format!("编号 {serial} 的回执已经录入过了，同一张回执不能录入两次。请换下一张。")
}

fn code_used(serial: &str) -> String {
    format!(
        "编号 {serial} 的回执对应的填写码已经提交过答卷（可能家长已在手机上填写），同一个孩子只算一份，这张回执不再录入。"
    )
}

/// A typed slip checked and validated: the response for the writer, or what to say instead.
pub(super) async fn prepare(
    state: &AppState,
    (round_id, school_id): (i64, i64),
    typed: String,
    pairs: Vec<(String, String)>,
) -> AppResult<(EntryForm, Result<NewResponse, Entered>)> {
    let now = state.clock.now();
    let versions = state.catalog.versions();
    let (form, checked) = with_conn(state, move |c| {
        let form = entry_form(c, &versions, round_id, school_id)?;
        let checked = match form.link.publication.state_at(now) {
            RoundState::Open => check_serial(c, &form, &typed)?,
            RoundState::NotYetOpen => Err("本轮调查还没有开始，暂不能录入回执。".into()),
            RoundState::Closed => Err("本轮调查已经结束，不能再录入回执。".into()),
        };
        Ok((form, checked))
    })
    .await?;
    let checked = match checked {
        Ok(c) => c,
        Err(why) => return Ok((form, Err(Entered::Refused(why)))),
    };
    let pairs = with_known_fields(&form.slip, Known::of_code(checked.code.as_ref()), pairs);
    let input = match FormInput::from_pairs(&form.slip, pairs) {
        Ok(i) => i,
        Err(e) => return Ok((form, Err(Entered::Refused(e.message())))),
    };
    let answers = match validate_at(&form.slip, &input, form.level()) {
        Ok(a) => a,
        Err(errors) => return Ok((form, Err(Entered::Invalid(errors)))),
    };
    let flagged = personal_info(&answers);
    if !flagged.is_empty() {
        return Ok((form, Err(Entered::Invalid(flagged))));
    }
    let p = &form.link.publication;
    let response = NewResponse {
        round_id: p.round_id,
        school_id: p.school_id,
        survey_hash: p.survey_hash.clone(),
        grade: answers.grade().map(i32::from),
        class_no: answers.class().map(i32::from),
        answers: answers.to_json(),
        idempotency_key: random_token(26),
        access_code: checked.code.map(|c| c.code),
        submitted_at: now,
        channel: PAPER,
        serial: Some(checked.serial),
    };
    Ok((form, Ok(response)))
}

/// Hands a prepared slip to the writer and records who typed it.
pub(super) async fn commit(
    state: &AppState,
    response: NewResponse,
    by: Option<i64>,
) -> AppResult<Entered> {
    let serial = response.serial.clone().unwrap_or_default();
    let detail = format!(
        "round={} school={} serial={serial}",
        response.round_id, response.school_id
    );
    Ok(match store(state, response).await {
        Taken::Stored => {
            super::audit::record(state, by, "paper_entered", detail).await?;
            Entered::Stored(serial)
        }
        Taken::SerialStored => Entered::Refused(already_stored(&serial)),
        Taken::CodeUsed => Entered::Refused(code_used(&serial)),
        Taken::NotStored(e) => return Err(AppError::Unavailable(e.to_string())),
        Taken::Invalid(errors, _) | Taken::PersonalInfo(errors, _) => Entered::Invalid(errors),
        Taken::Page(_) | Taken::SessionOver => {
            Entered::Refused("回执没有保存，请再提交一次。".into())
        }
    })
}

/// Takes one typed-in slip: `typed` is the serial (or the scanned QR text), `pairs` the
/// `q.`-fields of the entry screen. The form comes back whatever happens.
pub async fn enter(
    state: &AppState,
    ids: (i64, i64),
    typed: String,
    pairs: Vec<(String, String)>,
    by: Option<i64>,
) -> AppResult<(EntryForm, Entered)> {
    let (form, prepared) = prepare(state, ids, typed, pairs).await?;
    let entered = match prepared {
        Ok(response) => commit(state, response, by).await?,
        Err(e) => e,
    };
    Ok((form, entered))
}
