//! Per-student one-time codes: which classes get how many (bounded per
//! request and per class), made in one transaction for a school in a round,
//! and recorded. The school's page and the `codes` command both come here.

use chrono::NaiveDateTime;

use super::with_conn;
use crate::db::{self, DbConnection};
use crate::domain::classes::{check_count, parse_classes};
use crate::error::{AppError, AppResult, During};
use crate::publish::letters::{paginate, Pager};
use crate::state::AppState;

pub use crate::db::codes::AccessCode;

/// Makes `per_class` codes for each class in `classes` ("3:1-4,5:2"), refused with nothing
/// made if the school is not in the round or a limit would be passed; `by` is who asked
/// (`None` for the CLI).
pub fn generate(
    conn: &mut DbConnection,
    round_id: i64,
    school_id: i64,
    classes: &str,
    per_class: usize,
    by: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<Vec<AccessCode>> {
    let classes = parse_classes(classes).map_err(AppError::BadRequest)?;
    check_count(classes.len(), per_class).map_err(AppError::BadRequest)?;
    db::rounds::publication(conn, round_id, school_id)
        .during("looking up the school's publication")?
        .ok_or(AppError::NotFound)?;
    let made = db::codes::generate(conn, round_id, school_id, &classes, per_class, now)?;
    db::audit::record(
        conn,
        by,
        "codes_generated",
        &format!("round={round_id} school={school_id} codes={}", made.len()),
        now,
    )
    .during("recording the codes")?;
    Ok(made)
}

/// The same, for a signed-in staff member.
pub async fn generate_as(
    state: &AppState,
    round_id: i64,
    school_id: i64,
    classes: String,
    per_class: usize,
    by: i64,
) -> AppResult<usize> {
    let now = state.clock.now();
    with_conn(state, move |c| {
        generate(c, round_id, school_id, &classes, per_class, Some(by), now).map(|m| m.len())
    })
    .await
}

/// One page of a school's unused codes in a round, ready to print.
pub struct Printable {
    pub publication: db::rounds::Publication,
    /// The survey version the round pins (the letter's wording).
    pub def: std::sync::Arc<crate::domain::survey::SurveyDefinition>,
    pub codes: Vec<AccessCode>,
    pub pager: Option<Pager>,
}

/// Page `page` of a school's unused codes in a round, `per_page` to a page; printing is
/// recorded.
pub async fn unused_page(
    state: &AppState,
    school_id: i64,
    round_id: i64,
    page: u32,
    per_page: usize,
    by: i64,
) -> AppResult<Printable> {
    let now = state.clock.now();
    let versions = state.catalog.versions();
    with_conn(state, move |c| {
        let publication = db::rounds::publication(c, round_id, school_id)
            .during("looking up the school's publication")?
            .ok_or(AppError::NotFound)?;
        let def = versions.version(c, &publication.survey_hash)?;
        let unused: Vec<_> = db::codes::list_for(c, round_id, school_id)
            .during("listing codes")?
            .into_iter()
            .filter(|c| c.used_at.is_none())
            .collect();
        let (codes, pager) = paginate(unused, page, per_page);
        if codes.is_empty() {
            // Nothing printed, nothing to record: the page says so and leads back.
            return Ok(Printable {
                publication,
                def,
                codes,
                pager,
            });
        }
        db::audit::record(
            c,
            Some(by),
            "codes_printed",
            &format!("round={round_id} school={school_id} codes={}", codes.len()),
            now,
        )
        .during("recording the printing")?;
        Ok(Printable {
            publication,
            def,
            codes,
            pager,
        })
    })
    .await
}
