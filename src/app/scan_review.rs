//! A person's look at a scanned slip the scanner doubted: the slip's entry screen, filled with
//! what was read without doubt, with a picture and the reason beside each doubted question.
//! Confirming stores the slip as a typed slip is stored; setting it aside removes it from the
//! list (the slip can then be typed in by hand).

use super::paper::{self, Entered, EntryForm};
use super::with_conn;
pub use crate::db::scans::ScanReview;
use crate::db::{self};
use crate::domain::survey::FormInput;
use crate::error::{AppError, AppResult, During};
use crate::state::AppState;

/// A waiting slip with its entry screen.
pub struct Waiting {
    pub form: EntryForm,
    pub review: ScanReview,
    /// What the screen shows ticked: the answers read without doubt, or what the person sent.
    pub input: FormInput,
    /// Question id → why the scanner doubted it.
    pub doubts: Vec<(String, String)>,
}

/// The slips of a school's round waiting for a person, with the school's entry screen.
pub async fn list(
    state: &AppState,
    (round_id, school_id): (i64, i64),
) -> AppResult<(EntryForm, Vec<ScanReview>)> {
    let form = paper::form(state, round_id, school_id).await?;
    let waiting = with_conn(state, move |c| {
        db::scans::waiting(c, round_id, school_id).during("listing slips waiting for review")
    })
    .await?;
    Ok((form, waiting))
}

fn pairs_of(json: &str) -> Vec<(String, String)> {
    serde_json::from_str(json).unwrap_or_default()
}

fn doubts_of(json: &str) -> Vec<(String, String)> {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json)
        .map(|m| {
            m.into_iter()
                .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// One waiting slip, shown with the answers read without doubt.
pub async fn open(
    state: &AppState,
    (round_id, school_id): (i64, i64),
    id: i64,
) -> AppResult<Waiting> {
    let form = paper::form(state, round_id, school_id).await?;
    let review = with_conn(state, move |c| {
        db::scans::find(c, (round_id, school_id), id).during("looking up the slip")
    })
    .await?
    .ok_or(AppError::NotFound)?;
    let input = FormInput::from_pairs(&form.slip, pairs_of(&review.fields)).unwrap_or_default();
    let doubts = doubts_of(&review.doubts);
    Ok(Waiting {
        form,
        review,
        input,
        doubts,
    })
}

/// Stores a waiting slip with the answers a person confirmed; `Ok(serial)` when stored (or when
/// it turned out to be stored already), otherwise the screen again with why.
pub async fn confirm(
    state: &AppState,
    ids: (i64, i64),
    id: i64,
    pairs: Vec<(String, String)>,
    by: i64,
) -> AppResult<Result<String, (Waiting, Entered)>> {
    let mut waiting = open(state, ids, id).await?;
    let serial = waiting.review.serial.clone();
    let (_, entered) = paper::enter(state, ids, serial.clone(), pairs.clone(), Some(by)).await?;
    let stored_before = matches!(&entered, Entered::Refused(_))
        && with_conn(state, {
            let serial = serial.clone();
            move |c| db::paper::serial_stored(c, &serial).during("looking up the serial")
        })
        .await?;
    if matches!(entered, Entered::Stored(_) | Entered::Kept(_)) || stored_before {
        with_conn(state, move |c| {
            db::scans::remove(c, id).during("removing the reviewed slip")
        })
        .await?;
        return Ok(Ok(serial));
    }
    let kept: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, _)| {
            waiting
                .form
                .slip
                .question(k.get(2..).unwrap_or_default())
                .is_some()
        })
        .collect();
    waiting.input = FormInput::from_pairs(&waiting.form.slip, kept).unwrap_or_default();
    Ok(Err((waiting, entered)))
}

/// Removes a waiting slip from the list without storing it; it can be typed in by hand.
pub async fn set_aside(state: &AppState, ids: (i64, i64), id: i64, by: i64) -> AppResult<String> {
    let review = open(state, ids, id).await?.review;
    with_conn(state, move |c| {
        db::scans::remove(c, id).during("removing the slip")
    })
    .await?;
    let detail = format!("round={} school={} serial={}", ids.0, ids.1, review.serial);
    super::audit::record(state, Some(by), "scan_set_aside", detail).await?;
    Ok(review.serial)
}

/// The picture of a doubted question.
pub async fn picture(
    state: &AppState,
    ids: (i64, i64),
    id: i64,
    question: String,
) -> AppResult<Vec<u8>> {
    with_conn(state, move |c| {
        db::scans::find(c, ids, id)
            .during("looking up the slip")?
            .ok_or(AppError::NotFound)?;
        db::scans::crop(c, id, &question)
            .during("reading the picture")?
            .ok_or(AppError::NotFound)
    })
    .await
}
