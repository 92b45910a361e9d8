//! Double entry (双人录入) of paper reply slips: two people type the same batch. A slip whose two
//! entries agree is stored as typed; where they differ, the two are shown side by side for a
//! third person to decide. Nothing of a batch is stored until every slip has both entries and
//! every difference is decided; then each slip goes through the same checks and writer as a
//! slip typed once.

use super::paper::{commit, prepare, Entered, EntryForm};
use super::with_conn;
use crate::db;
use crate::domain::survey::{boxes, Question};
use crate::error::{AppResult, During};
use crate::state::AppState;

/// The two passes of a batch.
pub const PASSES: [i32; 2] = [1, 2];
const NAME_CHARS: usize = 20;

/// A batch's name as typed (a class, a day): 1–20 characters, no control characters.
pub fn batch_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    let n = name.chars().count();
    if n == 0 || n > NAME_CHARS || name.chars().any(char::is_control) {
        return Err(format!(
            "批次名称应为 1–{NAME_CHARS} 个字，例如“三年级1班”。"
        ));
    }
    Ok(name.to_string())
}

/// Which pass a typed value names, if it is one.
pub fn pass_of(raw: &str) -> Option<i32> {
    raw.trim().parse().ok().filter(|p| PASSES.contains(p))
}

/// Types one slip into pass `pass` of `batch`: checked and validated as if it were stored, then
/// kept until the batch is compared.
pub async fn enter_pass(
    state: &AppState,
    ids: (i64, i64),
    (batch, pass): (String, i32),
    typed: String,
    pairs: Vec<(String, String)>,
    by: i64,
) -> AppResult<(EntryForm, Entered)> {
    let mut sorted = pairs.clone();
    sorted.sort();
    let fields = serde_json::to_string(&sorted).map_err(anyhow::Error::from)?;
    let (form, prepared) = prepare(state, ids, typed, pairs).await?;
    let serial = match prepared {
        Ok(response) => response.serial.unwrap_or_default(),
        Err(e) => return Ok((form, e)),
    };
    let now = state.clock.now();
    let kept = serial.clone();
    with_conn(state, move |c| {
        db::paper_entries::save(c, ids, (&batch, pass), &kept, &fields, (by, now))
            .during("keeping the typed slip")
    })
    .await?;
    Ok((form, Entered::Kept(serial)))
}

/// Where the two entries of a slip differ on one question.
pub struct Difference {
    pub question: String,
    pub first: String,
    pub second: String,
}

/// One slip of a batch.
pub struct BatchSlip {
    pub serial: String,
    /// The fields each pass typed, `None` where that pass has not typed the slip.
    pub passes: [Option<Vec<(String, String)>>; 2],
    pub differences: Vec<Difference>,
}

pub struct Batch {
    pub form: EntryForm,
    pub slips: Vec<BatchSlip>,
}

/// How a typed answer reads: the labels of the boxes, or what was written.
fn shown(q: &Question, form: &EntryForm, fields: &[(String, String)]) -> String {
    let keyed = boxes(q, form.level());
    let key = format!("q.{}", q.id);
    let values: Vec<String> = fields
        .iter()
        .filter(|(k, v)| *k == key && !v.is_empty())
        .map(|(_, v)| {
            keyed
                .iter()
                .find(|(_, id, _)| id == v)
                .map_or_else(|| v.clone(), |(_, _, label)| label.clone())
        })
        .collect();
    if values.is_empty() {
        "（空）".into()
    } else {
        values.join("、")
    }
}

/// The batch's slips with each pass's entry and their differences, by serial.
pub async fn compare(state: &AppState, ids: (i64, i64), batch: String) -> AppResult<Batch> {
    let versions = state.catalog.versions();
    let (round_id, school_id) = ids;
    let (form, entries) = with_conn(state, move |c| {
        let form = super::paper::entry_form(c, &versions, round_id, school_id)?;
        let entries = db::paper_entries::list(c, ids, &batch).during("reading the batch")?;
        Ok((form, entries))
    })
    .await?;
    let mut slips: Vec<BatchSlip> = Vec::new();
    for e in entries {
        let fields: Vec<(String, String)> =
            serde_json::from_str(&e.fields).map_err(anyhow::Error::from)?;
        let at = match slips.iter().position(|s| s.serial == e.serial) {
            Some(i) => i,
            None => {
                slips.push(BatchSlip {
                    serial: e.serial.clone(),
                    passes: [None, None],
                    differences: Vec::new(),
                });
                slips.len() - 1
            }
        };
        let slot = usize::try_from(e.pass - 1).unwrap_or(0).min(1);
        slips[at].passes[slot] = Some(fields);
    }
    for slip in &mut slips {
        if let [Some(a), Some(b)] = &slip.passes {
            slip.differences = form
                .slip
                .questions
                .iter()
                .map(|q| (q, shown(q, &form, a), shown(q, &form, b)))
                .filter(|(_, x, y)| x != y)
                .map(|(q, first, second)| Difference {
                    question: q.title.clone(),
                    first,
                    second,
                })
                .collect();
        }
    }
    Ok(Batch { form, slips })
}

/// What storing a batch did: the serials stored, and those refused with why.
pub struct StoredBatch {
    pub stored: Vec<String>,
    pub refused: Vec<(String, String)>,
}

/// Stores a batch once every slip has both entries and every difference is decided (`picks`:
/// serial → the pass to follow). `Err` says what is still missing, and nothing is stored.
pub async fn store(
    state: &AppState,
    ids: (i64, i64),
    batch: String,
    picks: &[(String, i32)],
    by: i64,
) -> AppResult<Result<StoredBatch, String>> {
    let b = compare(state, ids, batch.clone()).await?;
    if b.slips.is_empty() {
        return Ok(Err("这一批还没有录入任何回执。".into()));
    }
    if let Some(half) = b
        .slips
        .iter()
        .find(|s| s.passes.iter().any(Option::is_none))
    {
        return Ok(Err(format!(
            "编号 {} 的回执只录了一遍，请两个人都录完这一批再入库。",
            half.serial
        )));
    }
    let mut chosen = Vec::with_capacity(b.slips.len());
    for slip in b.slips {
        let pick = picks.iter().find(|(s, _)| *s == slip.serial).map(|p| p.1);
        let [first, second] = slip.passes;
        let (Some(first), Some(second)) = (first, second) else {
            continue;
        };
        let fields = match (slip.differences.is_empty(), pick) {
            (true, _) | (false, Some(1)) => first,
            (false, Some(_)) => second,
            (false, None) => {
                return Ok(Err(format!(
                    "编号 {} 的回执两遍录入不一致，请先对照原件选定以哪一遍为准。",
                    slip.serial
                )))
            }
        };
        chosen.push((slip.serial, fields));
    }
    let mut done = StoredBatch {
        stored: Vec::new(),
        refused: Vec::new(),
    };
    for (serial, fields) in chosen {
        let (_, prepared) = prepare(state, ids, serial.clone(), fields).await?;
        let entered = match prepared {
            Ok(response) => commit(state, response, Some(by)).await?,
            Err(e) => e,
        };
        match entered {
            Entered::Stored(s) => {
                let (name, s2) = (batch.clone(), s.clone());
                with_conn(state, move |c| {
                    db::paper_entries::remove(c, ids, &name, &s2).during("clearing the batch")
                })
                .await?;
                done.stored.push(s);
            }
            Entered::Refused(why) => done.refused.push((serial, why)),
            Entered::Invalid(_) | Entered::Kept(_) => done
                .refused
                .push((serial, "这张回执有题目需要核对，请单独录入。".into())),
        }
    }
    Ok(Ok(done))
}
