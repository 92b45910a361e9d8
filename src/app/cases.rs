//! Typical cases (典型案例): a school submits one (title, category, text, up to nine images or
//! PDFs), its township recommends it, the bureau selects it; selected cases are public, and
//! the bureau downloads them as one ZIP with a print-ready index page for the prefecture.
//! An upload is checked whole before anything is kept, so a refused one stores nothing.

use std::io::Write;
use std::path::{Path, PathBuf};

use actix_web::web;
use anyhow::Context;
use sha2::{Digest, Sha256};

use super::with_conn;
use crate::db::cases::{CaseRow, FileRow, NewCase, NewFile, Scope};
use crate::db::{self, users::User};
use crate::domain::account::Role;
use crate::domain::upload::{self, CleanFile, FileKind};
use crate::error::{AppError, AppResult, During, Invalid};
use crate::state::AppState;

pub const MAX_TITLE_CHARS: usize = 60;
pub const MAX_BODY_CHARS: usize = 5000;

/// One uploaded file as it came.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    /// Larger than a file may be (its bytes were not kept).
    pub oversized: bool,
}

/// A case as the school's form sent it.
pub struct Submission {
    pub title: String,
    pub category: String,
    pub body: String,
    pub files: Vec<Upload>,
}

/// A case with its files.
pub type Case = (CaseRow, Vec<FileRow>);

pub fn status_label(status: &str) -> &'static str {
    match status {
        "recommended" => "镇街已推荐",
        "selected" => "教育局已选送",
        _ => "已提交",
    }
}

fn files_dir(state: &AppState) -> PathBuf {
    state.settings.data_dir.join("cases")
}

fn file_path(dir: &Path, sha256: &str, kind: FileKind) -> PathBuf {
    dir.join(format!("{sha256}.{}", kind.extension()))
}

/// Every rule of the form, each broken one with its message; the files cleaned.
fn check(state: &AppState, s: Submission) -> AppResult<(Submission, Vec<(String, CleanFile)>)> {
    let mut bad = Invalid::default();
    let title = s.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        bad.fields.push((
            "title".into(),
            format!("请填写标题，不超过 {MAX_TITLE_CHARS} 字。"),
        ));
    }
    if state.catalog.taxonomy().category(&s.category).is_none() {
        bad.fields
            .push(("category".into(), "请从列表中选择课程类别。".into()));
    }
    let body = s.body.trim();
    if body.is_empty() || body.chars().count() > MAX_BODY_CHARS {
        bad.fields.push((
            "body".into(),
            format!("请填写案例介绍，不超过 {MAX_BODY_CHARS} 字。"),
        ));
    }
    if s.files.len() > upload::MAX_FILES {
        bad.fields.push((
            "files".into(),
            format!("最多上传 {} 个文件。", upload::MAX_FILES),
        ));
    }
    let mut clean = Vec::new();
    for f in &s.files {
        if f.oversized {
            bad.fields.push((
                "files".into(),
                format!("文件“{}”超过 10 MB，请压缩后再上传。", f.name),
            ));
            continue;
        }
        match upload::clean(&f.name, f.bytes.clone()) {
            Ok(c) => clean.push((f.name.clone(), c)),
            Err(m) => bad.fields.push(("files".into(), m)),
        }
    }
    if !bad.fields.is_empty() {
        return Err(AppError::Invalid(bad));
    }
    let s = Submission {
        title: title.to_string(),
        category: s.category,
        body: body.to_string(),
        files: Vec::new(),
    };
    Ok((s, clean))
}

/// Writes each file not yet stored (by hash); returns the paths this call created.
fn write_files(dir: &Path, files: &[(String, CleanFile, String)]) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut created = Vec::new();
    for (_, f, hash) in files {
        let path = file_path(dir, hash, f.kind);
        if path.exists() {
            continue;
        }
        let tmp = dir.join(format!(
            "{hash}.part-{}",
            crate::domain::token::random_token(8)
        ));
        let written = std::fs::File::create(&tmp)
            .and_then(|mut out| out.write_all(&f.bytes).and_then(|()| out.sync_all()))
            .and_then(|()| std::fs::rename(&tmp, &path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            remove(&created);
            return Err(e).with_context(|| format!("writing {}", path.display()));
        }
        created.push(path);
    }
    Ok(created)
}

fn remove(paths: &[PathBuf]) {
    for p in paths {
        let _ = std::fs::remove_file(p);
    }
}

/// Checks and stores a school's case; returns its id.
pub async fn submit(
    state: &AppState,
    user: &User,
    school_id: i64,
    s: Submission,
) -> AppResult<i64> {
    let (s, clean) = check(state, s)?;
    let files: Vec<(String, CleanFile, String)> = clean
        .into_iter()
        .map(|(name, f)| {
            let hash = hex::encode(Sha256::digest(&f.bytes));
            (name, f, hash)
        })
        .collect();
    let dir = files_dir(state);
    let (d, f) = (dir.clone(), files.clone());
    let created = web::block(move || write_files(&d, &f)).await??;
    let (now, by) = (state.clock.now(), user.id);
    let stored = with_conn(state, move |c| {
        let school = db::schools::find(c, school_id)
            .during("reading the school")?
            .ok_or(AppError::NotFound)?;
        let names: Vec<String> = files
            .iter()
            .map(|(n, _, _)| n.chars().take(100).collect())
            .collect();
        let rows: Vec<NewFile<'_>> = files
            .iter()
            .zip(&names)
            .map(|((_, f, hash), name)| NewFile {
                kind: f.kind.db_code(),
                sha256: hash,
                size: f.bytes.len() as i64,
                name,
            })
            .collect();
        let new = NewCase {
            school_id,
            township_id: school.township_id,
            title: &s.title,
            category: &s.category,
            body: &s.body,
            created_by: by,
        };
        let id = db::cases::insert(c, &new, &rows, now).during("storing the case")?;
        let detail = format!("case={id} school={school_id} files={}", rows.len());
        db::audit::record(c, Some(by), "case_submitted", &detail, now)
            .during("recording the case")?;
        Ok(id)
    })
    .await;
    if stored.is_err() {
        web::block(move || remove(&created)).await?;
    }
    stored
}

async fn with_files(state: &AppState, scope: Scope) -> AppResult<Vec<Case>> {
    with_conn(state, move |c| {
        let cases = db::cases::list(c, scope).during("listing cases")?;
        let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
        let mut files = db::cases::files(c, &ids).during("listing case files")?;
        Ok(cases
            .into_iter()
            .map(|case| {
                let mine = files
                    .iter()
                    .filter(|f| f.case_id == case.id)
                    .cloned()
                    .collect();
                files.retain(|f| f.case_id != case.id);
                (case, mine)
            })
            .collect())
    })
    .await
}

/// The cases `user` sees: the bureau all, a township its schools', a school its own; those
/// recommended by a township first, then newest first.
pub async fn list(state: &AppState, user: &User) -> AppResult<Vec<Case>> {
    let scope = match (user.role(), user.township_id, user.school_id) {
        (Role::Bureau, _, _) => Scope::All,
        (Role::Township, Some(t), _) => Scope::Township(t),
        (Role::School, _, Some(s)) => Scope::School(s),
        _ => return Ok(Vec::new()),
    };
    let mut list = with_files(state, scope).await?;
    list.sort_by_key(|(c, _)| c.status != "recommended");
    Ok(list)
}

/// The cases of one school (its page).
pub async fn of_school(state: &AppState, school_id: i64) -> AppResult<Vec<Case>> {
    with_files(state, Scope::School(school_id)).await
}

async fn advance(
    state: &AppState,
    user: &User,
    id: i64,
    from: &'static [&'static str],
    to: &'static str,
    refused: &'static str,
) -> AppResult<()> {
    let (now, by) = (state.clock.now(), user.id);
    with_conn(state, move |c| {
        if db::cases::advance(c, id, from, to, now).during("updating the case")? == 0 {
            return Err(AppError::invalid(refused));
        }
        let action = if to == "selected" {
            "case_selected"
        } else {
            "case_recommended"
        };
        db::audit::record(c, Some(by), action, &format!("case={id}"), now)
            .during("recording the step")
    })
    .await
}

/// The township recommends a submitted case to the bureau.
pub async fn recommend(state: &AppState, user: &User, id: i64) -> AppResult<()> {
    advance(
        state,
        user,
        id,
        &["submitted"],
        "recommended",
        "该案例已推荐或已选送。",
    )
    .await
}

/// The bureau selects a case (recommended or not) for the public page and the prefecture.
pub async fn select(state: &AppState, user: &User, id: i64) -> AppResult<()> {
    advance(
        state,
        user,
        id,
        &["submitted", "recommended"],
        "selected",
        "该案例已选送。",
    )
    .await
}

/// The selected cases, for the public page.
pub async fn selected(state: &AppState) -> AppResult<Vec<Case>> {
    with_files(state, Scope::Selected).await
}

/// A file of a selected case: its kind and bytes.
pub async fn public_file(state: &AppState, id: i64) -> AppResult<(FileKind, Vec<u8>)> {
    let (row, status) = with_conn(state, move |c| {
        db::cases::file(c, id).during("reading the file")
    })
    .await?
    .ok_or(AppError::NotFound)?;
    if status != "selected" {
        return Err(AppError::NotFound);
    }
    read(state, &row).await
}

/// One case, for the staff who review it (the access guard has checked their reach).
pub async fn one(state: &AppState, id: i64) -> AppResult<Case> {
    with_files(state, Scope::One(id))
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// A file of case `case_id`, for the staff who reach the case.
pub async fn staff_file(state: &AppState, case_id: i64, id: i64) -> AppResult<(FileKind, Vec<u8>)> {
    let (row, _) = with_conn(state, move |c| {
        db::cases::file(c, id).during("reading the file")
    })
    .await?
    .filter(|(row, _)| row.case_id == case_id)
    .ok_or(AppError::NotFound)?;
    read(state, &row).await
}

async fn read(state: &AppState, row: &FileRow) -> AppResult<(FileKind, Vec<u8>)> {
    let kind = FileKind::from_db_code(&row.kind)
        .ok_or_else(|| anyhow::anyhow!("case file {} has kind {}", row.id, row.kind))?;
    let path = file_path(&files_dir(state), &row.sha256, kind);
    let bytes = web::block(move || {
        std::fs::read(&path).with_context(|| format!("reading {}", path.display()))
    })
    .await??;
    Ok((kind, bytes))
}

/// The name a file has inside the ZIP.
pub fn zip_name(case: &CaseRow, position: usize, kind: FileKind) -> String {
    format!(
        "files/case{}-{}.{}",
        case.id,
        position + 1,
        kind.extension()
    )
}

/// Every selected case as one ZIP: `index.html` (rendered by the caller's `index`) and the files.
pub async fn export(
    state: &AppState,
    user: &User,
    index: impl FnOnce(&[Case]) -> AppResult<String>,
) -> AppResult<Vec<u8>> {
    let cases = selected(state).await?;
    let html = index(&cases)?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let entry = |e: zip::result::ZipError| anyhow::anyhow!("writing the ZIP: {e}");
    zip.start_file("index.html", opts).map_err(entry)?;
    zip.write_all(html.as_bytes()).context("writing the ZIP")?;
    for (case, files) in &cases {
        for (i, f) in files.iter().enumerate() {
            let (kind, bytes) = read(state, f).await?;
            zip.start_file(zip_name(case, i, kind), opts)
                .map_err(entry)?;
            zip.write_all(&bytes).context("writing the ZIP")?;
        }
    }
    let bytes = zip.finish().map_err(entry)?.into_inner();
    super::audit::record(
        state,
        Some(user.id),
        "cases_exported",
        format!("cases={}", cases.len()),
    )
    .await?;
    Ok(bytes)
}
