//! Printing paper reply slips (回执) for a school in a round: each slip numbered, and with
//! per-student codes one slip per unused code. The school's round page and the `slips` command
//! both come here.

use chrono::NaiveDateTime;

use super::submission::{link_for, Link};
use super::with_conn;
use crate::db::codes::AccessCode;
use crate::db::versions::Versions;
use crate::db::{self, DbConnection};
use crate::domain::school::SchoolLevel;
use crate::domain::slip::{layout_version, Serial};
use crate::domain::slip_layout::{self, SlipLayout};
use crate::domain::survey::has_paper;
use crate::error::{AppError, AppResult, During};
use crate::publish::letters::{paginate, Pager};
use crate::state::AppState;

/// Most blank slips numbered in one print (a few classes).
pub const MAX_SLIPS: usize = 400;
/// Slips with a code printed per page of the print view (each draws its own QR code).
pub const CODE_SLIPS_PER_PRINT: usize = 100;

/// One slip to print.
pub struct PrintedSlip {
    pub serial: Serial,
    /// The per-student code the slip stands for, when the school has codes in the round.
    pub code: Option<AccessCode>,
}

/// What a print of slips shows.
pub struct SlipPrint {
    pub link: Link,
    /// The slip layout version, printed in each QR code.
    pub version: String,
    /// Where everything sits on the slip.
    pub layout: SlipLayout,
    pub slips: Vec<PrintedSlip>,
    pub pager: Option<Pager>,
}

/// What to print: `count` new blank slips, or page `page` of the school's unused codes (when
/// it has codes, `count` is not used).
#[derive(Debug, Clone, Copy)]
pub struct Wanted {
    pub count: usize,
    pub page: u32,
}

/// Numbers and returns the slips to print for a school in a round, and records the printing;
/// `by` is who asked (`None` for the command line).
pub fn print(
    conn: &mut DbConnection,
    versions: &Versions,
    (round_id, school_id): (i64, i64),
    wanted: Wanted,
    by: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<SlipPrint> {
    let publication = db::rounds::publication(conn, round_id, school_id)
        .during("looking up the school's publication")?
        .ok_or(AppError::NotFound)?;
    let codes_required = publication.codes_required;
    let link = link_for(conn, versions, publication)?;
    if !has_paper(&link.def) {
        return Err(AppError::BadRequest(
            "本轮问卷没有设置印在纸质回执上的题目，无法打印回执。".into(),
        ));
    }
    let level = SchoolLevel::from_db_code(&link.publication.school_level);
    let unused: Vec<AccessCode> = db::codes::list_for(conn, round_id, school_id)
        .during("listing codes")?
        .into_iter()
        .filter(|c| c.used_at.is_none())
        .collect();
    let serial = |slip_no| Serial {
        round_id,
        school_id,
        slip_no,
    };
    let (slips, pager): (Vec<PrintedSlip>, _) = if !unused.is_empty() {
        let (page, pager) = paginate(unused, wanted.page, CODE_SLIPS_PER_PRINT);
        let codes: Vec<String> = page.iter().map(|c| c.code.clone()).collect();
        let numbers = db::paper::number_codes(conn, round_id, school_id, &codes, now)
            .during("numbering the slips")?;
        let slips = page
            .into_iter()
            .zip(numbers)
            .map(|(code, n)| PrintedSlip {
                serial: serial(n),
                code: Some(code),
            })
            .collect();
        (slips, pager)
    } else if codes_required {
        return Err(AppError::BadRequest(
            "本轮要求凭填写码填写，但本校还没有未使用的填写码。请先生成填写码，再打印回执（每个填写码一张）。".into(),
        ));
    } else {
        if !(1..=MAX_SLIPS).contains(&wanted.count) {
            return Err(AppError::BadRequest(format!(
                "打印份数应为 1–{MAX_SLIPS} 的整数。"
            )));
        }
        let numbers = db::paper::reserve(conn, round_id, school_id, wanted.count, now)
            .during("numbering the slips")?;
        let slips = numbers
            .into_iter()
            .map(|n| PrintedSlip {
                serial: serial(n),
                code: None,
            })
            .collect();
        (slips, None)
    };
    let with_code = slips.iter().any(|s| s.code.is_some());
    let layout = slip_layout::for_survey(&link.def, level, with_code);
    if !layout.fits_a4() {
        return Err(AppError::BadRequest(format!(
            "印在回执上的题目太多，一张 A4 纸印不下（需要 {:.0} 毫米高，最多 {:.0} 毫米）。请在问卷中减少印在回执上的题目或选项。",
            layout.height,
            slip_layout::MAX_HEIGHT
        )));
    }
    db::audit::record(
        conn,
        by,
        "slips_printed",
        &format!("round={round_id} school={school_id} slips={}", slips.len()),
        now,
    )
    .during("recording the printing")?;
    Ok(SlipPrint {
        version: layout_version(&link.def),
        layout,
        link,
        slips,
        pager,
    })
}

/// [`print`] for a signed-in staff member.
pub async fn print_as(
    state: &AppState,
    round_id: i64,
    school_id: i64,
    wanted: Wanted,
    by: i64,
) -> AppResult<SlipPrint> {
    let now = state.clock.now();
    let versions = state.catalog.versions();
    with_conn(state, move |c| {
        print(c, &versions, (round_id, school_id), wanted, Some(by), now)
    })
    .await
}
