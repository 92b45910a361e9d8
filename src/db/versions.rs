//! Parsed survey versions by content hash, read from `survey_versions` and
//! kept in memory. The group-commit writer, the counting thread, retention and
//! the analysis all need each response's exact definition; they share this.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::DbConnection;
use crate::domain::survey::{self, SurveyDefinition, Taxonomy};

/// The cache: the taxonomy every version parses against, and versions by hash.
pub struct Versions {
    taxonomy: Taxonomy,
    by_hash: RwLock<HashMap<String, Arc<SurveyDefinition>>>,
}

impl Versions {
    pub fn new(taxonomy: Taxonomy, by_hash: HashMap<String, Arc<SurveyDefinition>>) -> Self {
        Self {
            taxonomy,
            by_hash: RwLock::new(by_hash),
        }
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
