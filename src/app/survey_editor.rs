//! Writing surveys on the web: new and copied surveys, the working draft the editor page
//! keeps between its buttons, saving a draft that passes the linter as a new version (and
//! moving the survey's head to it), export, import, history and the diff between versions.

use chrono::NaiveDateTime;

use super::with_conn;
use crate::catalog::Surveys;
use crate::db::{self, DbConnection};
use crate::domain::survey::{content_hash, parse_definition, Respondent, SurveyDefinition};
use crate::domain::survey_editor::{line_diff, problems, to_toml, DiffLine, EditSurvey, Problems};
use crate::error::{AppError, AppResult, During};
use crate::state::AppState;

pub use crate::db::survey_heads::VersionLine;

/// A survey on the list page.
pub struct Listed {
    pub key: String,
    pub title: String,
    pub respondent: Option<Respondent>,
    pub questions: usize,
    /// When its current version was saved (a shipped file: when it was first loaded).
    pub saved_at: Option<NaiveDateTime>,
    /// Written on the web (else a shipped file).
    pub web: bool,
}

/// A web survey on its editor page.
pub struct Editing {
    pub key: String,
    pub edit: EditSurvey,
    /// What the linter finds in the draft, placed by field.
    pub problems: Problems,
    /// The current version's save time, if any was saved.
    pub saved_at: Option<NaiveDateTime>,
    /// The draft differs from the current version (or none was saved yet).
    pub unsaved: bool,
}

/// The shipped files, then the web surveys (saved or only drafted).
pub async fn list(state: &AppState) -> AppResult<Vec<Listed>> {
    let surveys = state.catalog.surveys();
    with_conn(state, move |c| {
        let mut out = Vec::new();
        for f in surveys.all(c)? {
            let saved_at = match f.web {
                true => db::survey_heads::head(c, &f.definition.id)
                    .during("reading a survey's head")?
                    .map(|h| h.saved_at),
                false => db::surveys::created_at(c, &f.hash).during("reading a version")?,
            };
            out.push(Listed {
                key: f.definition.id.clone(),
                title: f.definition.title.clone(),
                respondent: Some(f.definition.respondent),
                questions: f.definition.questions.len(),
                saved_at,
                web: f.web,
            });
        }
        for d in db::survey_heads::drafts(c).during("listing drafts")? {
            if out.iter().any(|l| l.key == d.survey_key) {
                continue;
            }
            let edit = EditSurvey::from_toml(&d.source).unwrap_or_default();
            out.push(Listed {
                key: d.survey_key,
                title: edit.title,
                respondent: None,
                questions: edit.questions.len(),
                saved_at: None,
                web: true,
            });
        }
        Ok(out)
    })
    .await
}

fn fresh_key(c: &mut DbConnection) -> AppResult<String> {
    for n in 1.. {
        let key = format!("web-{n}");
        if !db::survey_heads::key_taken(c, &key).during("choosing a survey id")? {
            return Ok(key);
        }
    }
    Err(AppError::invalid("无法为新问卷编号。"))
}

/// A new web survey: blank, or a copy of any survey (`copy_of`, its id). Returns its key.
pub async fn create(state: &AppState, copy_of: Option<String>, by: i64) -> AppResult<String> {
    let surveys = state.catalog.surveys();
    let now = state.clock.now();
    with_conn(state, move |c| {
        diesel::Connection::transaction(c, |c| {
            let key = fresh_key(c)?;
            let edit = match &copy_of {
                None => EditSurvey::blank(&key),
                Some(id) => {
                    let source = current_source(c, &surveys, id)?;
                    let mut edit = EditSurvey::from_toml(&source).ok_or(AppError::NotFound)?;
                    edit.id = key.clone();
                    edit.title = format!("{}（副本）", edit.title);
                    edit
                }
            };
            db::survey_heads::put_draft(c, &key, &to_toml(&edit).source, Some(by), now)
                .during("storing a draft")?;
            let from = copy_of
                .as_deref()
                .map_or(String::new(), |id| format!(" from={id}"));
            db::audit::record(
                c,
                Some(by),
                "survey_created",
                &format!("survey={key}{from}"),
                now,
            )
            .during("recording a new survey")?;
            Ok(key)
        })
    })
    .await
}

/// The text of a survey's current version (a file or a web survey's head), or the draft of a
/// web survey never saved.
fn current_source(c: &mut DbConnection, surveys: &Surveys, id: &str) -> AppResult<String> {
    let Some(f) = surveys.by_id(c, id)? else {
        return draft_source(c, id);
    };
    Ok(db::surveys::find(c, &f.hash)
        .during("reading a survey version")?
        .ok_or(AppError::NotFound)?
        .source)
}

/// The draft of a web survey, else its current version; a key that is neither is not found.
fn draft_source(c: &mut DbConnection, key: &str) -> AppResult<String> {
    if let Some(d) = db::survey_heads::draft(c, key).during("reading a draft")? {
        return Ok(d.source);
    }
    db::survey_heads::head(c, key)
        .during("reading a survey's head")?
        .map(|h| h.source)
        .ok_or(AppError::NotFound)
}

fn editing(c: &mut DbConnection, surveys: &Surveys, key: &str, source: &str) -> AppResult<Editing> {
    let mut edit = EditSurvey::from_toml(source).unwrap_or_else(|| EditSurvey::blank(key));
    edit.id = key.to_string();
    let written = to_toml(&edit);
    let problems = match parse_definition(&written.source, surveys.taxonomy()) {
        Ok(_) => Problems::default(),
        Err(errs) => problems(&written, &errs, edit.questions.len()),
    };
    let head = db::survey_heads::head(c, key).during("reading a survey's head")?;
    Ok(Editing {
        key: key.to_string(),
        unsaved: head
            .as_ref()
            .is_none_or(|h| h.hash != content_hash(&written.source)),
        saved_at: head.map(|h| h.saved_at),
        edit,
        problems,
    })
}

/// A web survey as its editor page shows it.
pub async fn open(state: &AppState, key: String) -> AppResult<Editing> {
    let surveys = state.catalog.surveys();
    with_conn(state, move |c| {
        let source = draft_source(c, &key)?;
        editing(c, &surveys, &key, &source)
    })
    .await
}

/// Keeps the page's fields as the survey's draft (nothing is versioned).
pub async fn keep(
    state: &AppState,
    key: String,
    mut edit: EditSurvey,
    by: i64,
) -> AppResult<Editing> {
    let surveys = state.catalog.surveys();
    let now = state.clock.now();
    with_conn(state, move |c| {
        draft_source(c, &key)?;
        edit.id = key.clone();
        let source = to_toml(&edit).source;
        db::survey_heads::put_draft(c, &key, &source, Some(by), now).during("storing a draft")?;
        editing(c, &surveys, &key, &source)
    })
    .await
}

/// Keeps the draft and, when the linter finds nothing, stores it as a new version and makes
/// it the survey's current one. `Ok(true)` when a version was saved.
pub async fn save(
    state: &AppState,
    key: String,
    mut edit: EditSurvey,
    by: i64,
) -> AppResult<(bool, Editing)> {
    let surveys = state.catalog.surveys();
    let now = state.clock.now();
    with_conn(state, move |c| {
        diesel::Connection::transaction(c, |c| {
            draft_source(c, &key)?;
            edit.id = key.clone();
            let source = to_toml(&edit).source;
            db::survey_heads::put_draft(c, &key, &source, Some(by), now)
                .during("storing a draft")?;
            let Ok(def) = parse_definition(&source, surveys.taxonomy()) else {
                return Ok((false, editing(c, &surveys, &key, &source)?));
            };
            store_version(c, &key, &def, &source, by, now)?;
            Ok((true, editing(c, &surveys, &key, &source)?))
        })
    })
    .await
}

fn store_version(
    c: &mut DbConnection,
    key: &str,
    def: &SurveyDefinition,
    source: &str,
    by: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    let hash = content_hash(source);
    db::surveys::store(c, &hash, key, &def.title, source, now).during("storing a version")?;
    db::survey_heads::set_head(c, key, &hash, Some(by), now).during("moving a survey's head")?;
    let versions = db::survey_heads::history(c, key)
        .during("counting versions")?
        .len();
    db::audit::record(
        c,
        Some(by),
        "survey_saved",
        &format!(
            "survey={key} version={versions} questions={}",
            def.questions.len()
        ),
        now,
    )
    .during("recording a saved survey")
}

/// An uploaded or converted definition as the editor holds it, if the linter accepts it; else
/// its problems as `第 N 行：…`.
fn editable(source: &str, surveys: &Surveys) -> Result<EditSurvey, Vec<String>> {
    if let Err(errs) = parse_definition(source, surveys.taxonomy()) {
        return Err(errs
            .iter()
            .map(|e| {
                format!(
                    "第 {} 行：{}",
                    e.line,
                    crate::domain::survey_editor::in_chinese(&e.message)
                )
            })
            .collect());
    }
    EditSurvey::from_toml(source).ok_or_else(|| vec!["文件无法读取。".into()])
}

/// A new web survey whose draft is `source` (a questionnaire converted from another tool), if
/// the linter accepts it; else the problems as `第 N 行：…` and nothing is kept. Returns its key.
pub async fn create_from(
    state: &AppState,
    source: String,
    by: i64,
) -> AppResult<Result<String, Vec<String>>> {
    let surveys = state.catalog.surveys();
    let now = state.clock.now();
    with_conn(state, move |c| {
        let mut edit = match editable(&source, &surveys) {
            Ok(edit) => edit,
            Err(problems) => return Ok(Err(problems)),
        };
        diesel::Connection::transaction(c, |c| {
            let key = fresh_key(c)?;
            edit.id = key.clone();
            db::survey_heads::put_draft(c, &key, &to_toml(&edit).source, Some(by), now)
                .during("storing a draft")?;
            db::audit::record(
                c,
                Some(by),
                "survey_created",
                &format!("survey={key} from=import"),
                now,
            )
            .during("recording a new survey")?;
            Ok(Ok(key))
        })
    })
    .await
}

/// Replaces a web survey's draft with an uploaded definition, if the linter accepts it;
/// else the problems as `第 N 行：…` and nothing is kept.
pub async fn import(
    state: &AppState,
    key: String,
    bytes: Vec<u8>,
    by: i64,
) -> AppResult<Result<(), Vec<String>>> {
    let surveys = state.catalog.surveys();
    let now = state.clock.now();
    with_conn(state, move |c| {
        draft_source(c, &key)?;
        let Ok(source) = String::from_utf8(bytes) else {
            return Ok(Err(vec![
                "文件不是 UTF-8 编码的文本，请用“导出”得到的 .toml 文件。".into(),
            ]));
        };
        let mut edit = match editable(&source, &surveys) {
            Ok(edit) => edit,
            Err(problems) => return Ok(Err(problems)),
        };
        edit.id = key.clone();
        db::survey_heads::put_draft(c, &key, &to_toml(&edit).source, Some(by), now)
            .during("storing a draft")?;
        db::audit::record(
            c,
            Some(by),
            "survey_imported",
            &format!("survey={key}"),
            now,
        )
        .during("recording an import")?;
        Ok(Ok(()))
    })
    .await
}

/// The draft's text, for download.
pub async fn export(state: &AppState, key: String) -> AppResult<String> {
    with_conn(state, move |c| {
        let source = draft_source(c, &key)?;
        let mut edit = EditSurvey::from_toml(&source).unwrap_or_else(|| EditSurvey::blank(&key));
        edit.id = key;
        Ok(to_toml(&edit).source)
    })
    .await
}

/// The draft as a parsed definition for the preview, or how many problems stand in its way.
pub async fn preview(state: &AppState, key: String) -> AppResult<Result<SurveyDefinition, usize>> {
    let surveys = state.catalog.surveys();
    with_conn(state, move |c| {
        let source = draft_source(c, &key)?;
        let mut edit = EditSurvey::from_toml(&source).unwrap_or_else(|| EditSurvey::blank(&key));
        edit.id = key;
        let written = to_toml(&edit);
        Ok(parse_definition(&written.source, surveys.taxonomy()).map_err(|errs| errs.len()))
    })
    .await
}

/// A web survey's versions, oldest first, and the diff between versions `a` and `b`
/// (1-based; by default the last two).
pub async fn history(
    state: &AppState,
    key: String,
    a: Option<usize>,
    b: Option<usize>,
) -> AppResult<(Vec<VersionLine>, Option<(usize, usize, Vec<DiffLine>)>)> {
    with_conn(state, move |c| {
        draft_source(c, &key)?;
        let versions = db::survey_heads::history(c, &key).during("listing versions")?;
        let n = versions.len();
        let (a, b) = (a.unwrap_or(n.saturating_sub(1)), b.unwrap_or(n));
        let pick = |i: usize| i.checked_sub(1).and_then(|i| versions.get(i));
        let diff = match (pick(a), pick(b)) {
            (Some(va), Some(vb)) if a != b => {
                let mut text = |hash: &str| -> AppResult<String> {
                    Ok(db::surveys::find(c, hash)
                        .during("reading a version")?
                        .map(|v| v.source)
                        .unwrap_or_default())
                };
                let (old, new) = (text(&va.hash)?, text(&vb.hash)?);
                Some((a, b, line_diff(&old, &new)))
            }
            _ => None,
        };
        Ok((versions, diff))
    })
    .await
}
