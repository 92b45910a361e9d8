//! Parsed survey versions by content hash, read from `survey_versions` and
//! kept in memory. The group-commit writer, the counting thread, retention and
//! the analysis all need each response's exact definition; they share this.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::DbConnection;
use crate::domain::school::UrbanRural3;
use crate::domain::survey::{self, SurveyDefinition, Taxonomy};

/// A version as asked at one kind of school with some optional sections: hash, urban-rural
/// class, sections.
type AskedKey = (String, Option<UrbanRural3>, String);

/// The cache: the taxonomy every version parses against, versions by hash, and versions as
/// asked at a kind of school in a round (so a parent's form does not rebuild them).
pub struct Versions {
    taxonomy: Taxonomy,
    by_hash: RwLock<HashMap<String, Arc<SurveyDefinition>>>,
    asked: RwLock<HashMap<AskedKey, Arc<SurveyDefinition>>>,
}

impl Versions {
    pub fn new(taxonomy: Taxonomy, by_hash: HashMap<String, Arc<SurveyDefinition>>) -> Self {
        Self {
            taxonomy,
            by_hash: RwLock::new(by_hash),
            asked: RwLock::new(HashMap::new()),
        }
    }

    /// The version with this hash as asked at a school of urban-rural class `area` in a round
    /// that asks `sections` (comma-separated): see `survey::for_school`. The version itself
    /// when nothing in it depends on the school or the round.
    pub fn as_asked(
        &self,
        conn: &mut DbConnection,
        hash: &str,
        area: Option<UrbanRural3>,
        sections: &str,
    ) -> anyhow::Result<Arc<SurveyDefinition>> {
        let def = self.version(conn, hash)?;
        if !def.depends_on_school() {
            return Ok(def);
        }
        let key = (hash.to_string(), area, sections.to_string());
        if let Some(asked) = self.asked.read().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(asked);
        }
        let list: Vec<&str> = sections.split(',').filter(|s| !s.is_empty()).collect();
        let asked = Arc::new(survey::for_school(&def, area, &list));
        if let Ok(mut map) = self.asked.write() {
            map.insert(key, asked.clone());
        }
        Ok(asked)
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// The parsed version with this hash, from the cache or the database.
    pub fn version(
        &self,
        conn: &mut DbConnection,
        hash: &str,
    ) -> anyhow::Result<Arc<SurveyDefinition>> {
        if let Some(def) = self.cached(hash) {
            return Ok(def);
        }
        let stored = super::surveys::find(conn, hash)?
            .ok_or_else(|| anyhow::anyhow!("survey version {hash} is not stored"))?;
        // A stored version was valid when published; if today's taxonomy no
        // longer accepts it, that is a bug to surface, not to hide.
        let def = survey::parse_definition(&stored.source, &self.taxonomy).map_err(|errs| {
            anyhow::anyhow!(
                "stored survey version {hash} no longer parses:\n{}",
                survey::format_lint(&stored.survey_key, &errs)
            )
        })?;
        let def = Arc::new(def);
        if let Ok(mut map) = self.by_hash.write() {
            map.insert(hash.to_string(), def.clone());
        }
        Ok(def)
    }

    fn cached(&self, hash: &str) -> Option<Arc<SurveyDefinition>> {
        self.by_hash.read().ok()?.get(hash).cloned()
    }
}
