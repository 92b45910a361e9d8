//! Scanning returned paper reply slips: every page of every uploaded file is read first, and
//! if any file or page cannot be read, the upload is refused with its file and page named and
//! nothing is stored. Otherwise each slip read without doubt is stored as a typed slip is (same
//! checks, same writer, marked as paper), and each slip with a doubtful question waits for a
//! person (see `scan_review`). The school's scan page and the `scan` command both come here.

use std::collections::{HashMap, HashSet};

use super::paper::{self, entry_form, Entered, EntryForm};
use super::with_conn;
use crate::db::{self, DbConnection};
use crate::domain::slip::layout_version;
use crate::domain::slip_layout;
use crate::error::{AppError, AppResult, During};
use crate::scan::{self, input, Outcome};
use crate::state::AppState;

/// One uploaded file.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Whose slips an upload may hold: one school's in a round (its scan page), or any school's in
/// a round (the command line).
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    School { round_id: i64, school_id: i64 },
    Round(i64),
}

impl Scope {
    fn round_id(self) -> i64 {
        match self {
            Scope::School { round_id, .. } | Scope::Round(round_id) => round_id,
        }
    }
}

/// What became of one slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    Stored,
    /// Kept for a person to look at.
    Waiting,
    /// Not stored, and why.
    Skipped(String),
}

/// One slip of an upload.
#[derive(Debug, Clone)]
pub struct SlipFate {
    /// File and page, in words.
    pub place: String,
    pub serial: String,
    pub school_id: i64,
    pub fate: Fate,
}

/// What an upload did.
#[derive(Debug, Clone, Default)]
pub struct ScanReport {
    pub pages: usize,
    pub slips: Vec<SlipFate>,
}

impl ScanReport {
    pub fn count(&self, f: impl Fn(&Fate) -> bool) -> usize {
        self.slips.iter().filter(|s| f(&s.fate)).count()
    }
}

/// One page read.
struct PageRead {
    place: String,
    serial: String,
    school_id: i64,
    pairs: Vec<(String, String)>,
    doubts: Vec<(String, String)>,
    crops: Vec<(String, Vec<u8>)>,
}

/// The slip of a school in a round as printed (with or without a per-student code): where
/// every box is.
pub fn slip_of(
    conn: &mut DbConnection,
    versions: &db::versions::Versions,
    (round_id, school_id): (i64, i64),
    with_code: bool,
) -> AppResult<slip_layout::SlipLayout> {
    let form = entry_form(conn, versions, round_id, school_id)?;
    Ok(slip_layout::for_survey(
        &form.link.def,
        form.level(),
        with_code,
    ))
}

/// Where a page is, in words.
fn place(file: &str, page: usize, pages: usize) -> String {
    if pages == 1 {
        format!("文件“{file}”")
    } else {
        format!("文件“{file}”第 {page} 页")
    }
}

/// Reads every page of every file, or says which one could not be read.
fn read_all(
    conn: &mut DbConnection,
    versions: &db::versions::Versions,
    scope: Scope,
    uploads: &[Upload],
) -> AppResult<Result<Vec<PageRead>, String>> {
    let mut forms: HashMap<i64, EntryForm> = HashMap::new();
    let mut out = Vec::new();
    for up in uploads {
        let pages = match input::pages(&up.bytes) {
            Ok(p) => p,
            Err(e) => return Ok(Err(format!("文件“{}”：{e}", up.name))),
        };
        let count = pages.len();
        for (i, img) in pages.iter().enumerate() {
            let at = place(&up.name, i + 1, count);
            let found = match scan::locate(img) {
                Ok(f) => f,
                Err(p) => return Ok(Err(format!("{at}：{}", p.text()))),
            };
            let serial = found.scanned.serial;
            let wrong = match scope {
                Scope::School {
                    round_id,
                    school_id,
                } => (serial.round_id, serial.school_id) != (round_id, school_id),
                Scope::Round(round_id) => serial.round_id != round_id,
            };
            if wrong {
                return Ok(Err(format!(
                    "{at}：编号 {serial} 的回执不是本校本轮调查的回执，请到对应学校、对应轮次上传。"
                )));
            }
            let form = match forms.entry(serial.school_id) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    match entry_form(conn, versions, serial.round_id, serial.school_id) {
                        Ok(f) => e.insert(f),
                        Err(AppError::NotFound) => {
                            return Ok(Err(format!(
                                "{at}：编号 {serial} 的回执不属于本轮调查的任何学校。"
                            )))
                        }
                        Err(e) => return Err(e),
                    }
                }
            };
            if found.scanned.layout.as_deref() != Some(layout_version(&form.link.def).as_str()) {
                return Ok(Err(format!(
                    "{at}：编号 {serial} 的回执版式与本轮问卷不一致，可能是问卷修改前打印的。请改用键盘录入这张回执。"
                )));
            }
            let layout =
                slip_layout::for_survey(&form.link.def, form.level(), found.scanned.code.is_some());
            let readings = match scan::read(img, &found, &layout) {
                Ok(r) => r,
                Err(p) => return Ok(Err(format!("{at}：{}", p.text()))),
            };
            let mut page = PageRead {
                place: at,
                serial: serial.to_string(),
                school_id: serial.school_id,
                pairs: Vec::new(),
                doubts: Vec::new(),
                crops: Vec::new(),
            };
            for r in readings {
                match r.outcome {
                    Outcome::Read(values) => {
                        page.pairs
                            .extend(values.into_iter().map(|v| (format!("q.{}", r.id), v)));
                    }
                    Outcome::Review { doubt, .. } => {
                        page.doubts.push((r.id.clone(), doubt.text().to_string()));
                        if let Some(png) = r.crop {
                            page.crops.push((r.id, png));
                        }
                    }
                    Outcome::Text => {}
                }
            }
            out.push(page);
        }
    }
    Ok(Ok(out))
}

/// Scans the uploaded files: every page is read before anything is stored. `Err` names the
/// file and page that could not be read (nothing stored).
pub async fn scan_uploads(
    state: &AppState,
    scope: Scope,
    uploads: Vec<Upload>,
    by: Option<i64>,
) -> AppResult<Result<ScanReport, String>> {
    let versions = state.catalog.versions();
    let read = with_conn(state, move |c| read_all(c, &versions, scope, &uploads)).await?;
    let pages = match read {
        Ok(p) => p,
        Err(why) => return Ok(Err(why)),
    };
    let mut report = ScanReport {
        pages: pages.len(),
        slips: Vec::new(),
    };
    let mut seen = HashSet::new();
    for page in pages {
        let ids = (scope.round_id(), page.school_id);
        let fate = if !seen.insert(page.serial.clone()) {
            Fate::Skipped("这次上传里这张回执出现了不止一次，只算一次。".into())
        } else if page.doubts.is_empty() {
            let (_, entered) =
                paper::enter(state, ids, page.serial.clone(), page.pairs.clone(), by).await?;
            match entered {
                Entered::Stored(_) | Entered::Kept(_) => Fate::Stored,
                Entered::Refused(why) => Fate::Skipped(why),
                Entered::Invalid(errors) => {
                    let doubts = errors
                        .iter()
                        .map(|(q, m)| (q.to_string(), m.to_string()))
                        .collect();
                    keep(state, ids, &page, doubts, by).await?
                }
            }
        } else {
            keep(state, ids, &page, page.doubts.clone(), by).await?
        };
        report.slips.push(SlipFate {
            place: page.place,
            serial: page.serial,
            school_id: page.school_id,
            fate,
        });
    }
    let detail = format!(
        "round={} pages={} stored={} waiting={} skipped={}",
        scope.round_id(),
        report.pages,
        report.count(|f| *f == Fate::Stored),
        report.count(|f| *f == Fate::Waiting),
        report.count(|f| matches!(f, Fate::Skipped(_)))
    );
    super::audit::record(state, by, "slips_scanned", detail).await?;
    Ok(Ok(report))
}

/// Keeps a slip for review, unless it is already stored or already waiting.
async fn keep(
    state: &AppState,
    ids: (i64, i64),
    page: &PageRead,
    doubts: Vec<(String, String)>,
    by: Option<i64>,
) -> AppResult<Fate> {
    let now = state.clock.now();
    let serial = page.serial.clone();
    let source = page.place.clone();
    let fields = serde_json::to_string(&page.pairs).map_err(|e| AppError::Unexpected(e.into()))?;
    let doubts: serde_json::Map<String, serde_json::Value> = doubts
        .into_iter()
        .map(|(q, why)| (q, serde_json::Value::String(why)))
        .collect();
    let doubts = serde_json::to_string(&doubts).map_err(|e| AppError::Unexpected(e.into()))?;
    let crops = page.crops.clone();
    with_conn(state, move |c| {
        if db::paper::serial_stored(c, &serial).during("looking up the serial")? {
            return Ok(Fate::Skipped(format!(
                "编号 {serial} 的回执已经录入过了，不再重复保存。"
            )));
        }
        let review = db::scans::NewReview {
            ids,
            serial: &serial,
            source: &source,
            fields,
            doubts,
            crops,
            by,
            now,
        };
        Ok(
            if db::scans::keep(c, review).during("keeping the slip for review")? {
                Fate::Waiting
            } else {
                Fate::Skipped(format!("编号 {serial} 的回执已经在待核对的列表里了。"))
            },
        )
    })
    .await
}
