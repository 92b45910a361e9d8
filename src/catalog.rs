//! Survey definitions: the taxonomy and the survey files in the survey folder,
//! linted at start-up (an invalid file is reported and never loaded), and every
//! published version kept in the database by content hash. Parsed versions are
//! cached in memory; a version's bytes never change, so the cache can never be
//! stale, and a second app instance builds the same cache from the database.
//! Surveys written on the web are found through their head in the database
//! (`Surveys`), never through one instance's memory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;

pub use crate::db::versions::Versions;
use crate::db::{self, DbConnection};
use crate::domain::survey::{self, content_hash, SurveyDefinition, Taxonomy};

pub const TAXONOMY_FILE: &str = "taxonomy.toml";

/// A survey that can be published: a file from the folder that passed the linter, or the
/// current version of a survey written on the web (`path` empty, `web` set).
#[derive(Debug, Clone)]
pub struct SurveyFile {
    pub path: PathBuf,
    pub web: bool,
    pub hash: String,
    pub definition: Arc<SurveyDefinition>,
}

pub struct Catalog {
    files: Arc<Vec<SurveyFile>>,
    versions: Arc<Versions>,
}

/// The publishable surveys as seen from a database connection: the folder's files and the
/// web surveys' current versions. Cheap to clone into a blocking task.
#[derive(Clone)]
pub struct Surveys {
    files: Arc<Vec<SurveyFile>>,
    versions: Arc<Versions>,
}

impl Surveys {
    /// Every publishable survey: the files in folder order, then the web surveys by key.
    pub fn all(&self, conn: &mut DbConnection) -> anyhow::Result<Vec<SurveyFile>> {
        let mut out: Vec<SurveyFile> = self.files.to_vec();
        for head in db::survey_heads::heads(conn)? {
            if out.iter().any(|f| f.definition.id == head.survey_key) {
                continue;
            }
            out.push(SurveyFile {
                path: PathBuf::new(),
                web: true,
                definition: self.versions.version(conn, &head.hash)?,
                hash: head.hash,
            });
        }
        Ok(out)
    }

    /// A survey by its id: a file, else a web survey's current version.
    pub fn by_id(&self, conn: &mut DbConnection, id: &str) -> anyhow::Result<Option<SurveyFile>> {
        if let Some(f) = self.files.iter().find(|f| f.definition.id == id) {
            return Ok(Some(f.clone()));
        }
        let Some(head) = db::survey_heads::head(conn, id)? else {
            return Ok(None);
        };
        Ok(Some(SurveyFile {
            path: PathBuf::new(),
            web: true,
            definition: self.versions.version(conn, &head.hash)?,
            hash: head.hash,
        }))
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        self.versions.taxonomy()
    }

    pub fn versions(&self) -> &Arc<Versions> {
        &self.versions
    }
}

/// A definition file's text and what the linter made of it.
pub struct Linted {
    pub source: String,
    pub result: Result<SurveyDefinition, Vec<survey::LintError>>,
}

pub fn load_taxonomy(dir: &Path) -> anyhow::Result<Taxonomy> {
    let path = dir.join(TAXONOMY_FILE);
    let src =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Taxonomy::parse(&src).map_err(|errs| {
        anyhow::anyhow!(
            "the taxonomy is invalid:\n{}",
            survey::format_lint(&path.display().to_string(), &errs)
        )
    })
}

/// The survey files (every `*.toml` but the taxonomy) in a folder, sorted.
pub fn survey_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading the survey folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| p.file_name().is_some_and(|n| n != TAXONOMY_FILE))
        .collect();
    files.sort();
    Ok(files)
}

pub fn lint_file(path: &Path, taxonomy: &Taxonomy) -> anyhow::Result<Linted> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let source = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{}: the file is not UTF-8", path.display()))?;
    let result = survey::parse_definition(&source, taxonomy);
    Ok(Linted { source, result })
}

impl Catalog {
    /// Loads the folder and stores each valid survey's current version.
    pub fn load(
        dir: &Path,
        conn: &mut DbConnection,
        now: chrono::NaiveDateTime,
    ) -> anyhow::Result<Self> {
        let taxonomy = load_taxonomy(dir)?;
        let mut files = Vec::new();
        for path in survey_files(dir)? {
            let linted = lint_file(&path, &taxonomy)?;
            match linted.result {
                Ok(def) => {
                    let hash = content_hash(&linted.source);
                    db::with_setup_lock(conn, |c| {
                        db::surveys::store(c, &hash, &def.id, &def.title, &linted.source, now)
                            .context("storing a survey version")
                    })?;
                    files.push(SurveyFile {
                        path,
                        web: false,
                        hash,
                        definition: Arc::new(def),
                    });
                }
                Err(errs) => tracing::error!(
                    "survey definition not loaded:\n{}",
                    survey::format_lint(&path.display().to_string(), &errs)
                ),
            }
        }
        let by_hash = files
            .iter()
            .map(|f| (f.hash.clone(), f.definition.clone()))
            .collect();
        Ok(Self {
            files: Arc::new(files),
            versions: Arc::new(Versions::new(taxonomy, by_hash)),
        })
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        self.versions.taxonomy()
    }

    /// The version cache, for holders that outlive a borrow (the writer thread).
    pub fn versions(&self) -> Arc<Versions> {
        self.versions.clone()
    }

    pub fn files(&self) -> &[SurveyFile] {
        &self.files
    }

    /// The folder's files and the web surveys, for a blocking task.
    pub fn surveys(&self) -> Surveys {
        Surveys {
            files: self.files.clone(),
            versions: self.versions.clone(),
        }
    }

    /// A survey from the folder by its id (web surveys: `surveys().by_id`).
    pub fn by_id(&self, id: &str) -> Option<&SurveyFile> {
        self.files.iter().find(|f| f.definition.id == id)
    }

    /// The exact version a round was published with.
    pub fn version(
        &self,
        conn: &mut DbConnection,
        hash: &str,
    ) -> anyhow::Result<Arc<SurveyDefinition>> {
        self.versions.version(conn, hash)
    }
}
