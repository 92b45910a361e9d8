//! The shared course-category taxonomy (`taxonomy.toml`): one vocabulary so every survey option and every analysis speaks of the same categories.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::{toml_error, LintError};

/// A top-level course category, e.g. `science` 科学教育.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    /// Stable ASCII id (`[a-z][a-z0-9_]*`).
    pub id: String,
    /// Chinese display name.
    pub name: String,
    pub description: Option<String>,
    /// Sort key; categories iterate in ascending `order`.
    pub order: i64,
    pub subcategories: Vec<SubCategory>,
}

/// A sub-category, e.g. `science.experiment` 科学实验. Its id is always `<category>.<sub>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubCategory {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
}

/// The parsed, checked taxonomy. Categories are kept sorted by `order`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Taxonomy {
    categories: Vec<Category>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    categories: Vec<RawCategory>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: Spanned<String>,
    name: Spanned<String>,
    description: Option<String>,
    order: Spanned<i64>,
    #[serde(default)]
    subcategories: Vec<RawSubCategory>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubCategory {
    id: Spanned<String>,
    name: Spanned<String>,
    description: Option<String>,
}

/// True for `[a-z][a-z0-9_]*`.
fn is_taxonomy_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Taxonomy {
    /// Parses and checks a taxonomy file, reporting every problem found.
    pub fn parse(src: &str) -> Result<Taxonomy, Vec<LintError>> {
        let raw: RawTaxonomy = toml::from_str(src).map_err(|e| vec![toml_error(src, &e)])?;
        let mut errs = Vec::new();
        let mut err = |offset: usize, msg: String| errs.push(LintError::at(src, offset, msg));
        let mut seen_ids: HashMap<String, usize> = HashMap::new();
        let mut seen_orders: HashMap<i64, usize> = HashMap::new();
        let mut categories = Vec::new();
        if raw.categories.is_empty() {
            err(0, "taxonomy has no categories".to_string());
        }
        for c in raw.categories {
            let id = c.id.get_ref();
            if !is_taxonomy_id(id) {
                err(
                    c.id.span().start,
                    format!("category id \"{id}\" must match [a-z][a-z0-9_]*"),
                );
            }
            if let Some(first) = seen_ids.insert(id.clone(), c.id.span().start) {
                let line = super::line_column(src, first).0;
                err(
                    c.id.span().start,
                    format!("duplicate category id \"{id}\" (first defined at line {line})"),
                );
            }
            if c.name.get_ref().trim().is_empty() {
                err(
                    c.name.span().start,
                    format!("category \"{id}\" has an empty name"),
                );
            }
            let order = *c.order.get_ref();
            if let Some(first) = seen_orders.insert(order, c.order.span().start) {
                let line = super::line_column(src, first).0;
                err(
                    c.order.span().start,
                    format!("duplicate order {order} (first used at line {line})"),
                );
            }
            let mut subcategories = Vec::new();
            for s in c.subcategories {
                let sid = s.id.get_ref();
                let ok = sid
                    .strip_prefix(id.as_str())
                    .and_then(|rest| rest.strip_prefix('.'))
                    .is_some_and(is_taxonomy_id);
                if !ok {
                    err(
                        s.id.span().start,
                        format!("sub-category id \"{sid}\" must be \"{id}.<name>\" with <name> matching [a-z][a-z0-9_]*"),
                    );
                }
                if let Some(first) = seen_ids.insert(sid.clone(), s.id.span().start) {
                    let line = super::line_column(src, first).0;
                    err(
                        s.id.span().start,
                        format!(
                            "duplicate sub-category id \"{sid}\" (first defined at line {line})"
                        ),
                    );
                }
                if s.name.get_ref().trim().is_empty() {
                    err(
                        s.name.span().start,
                        format!("sub-category \"{sid}\" has an empty name"),
                    );
                }
                subcategories.push(SubCategory {
                    id: s.id.into_inner(),
                    name: s.name.into_inner(),
                    description: s.description,
                });
            }
            categories.push(Category {
                id: c.id.into_inner(),
                name: c.name.into_inner(),
                description: c.description,
                order,
                subcategories,
            });
        }
        if !errs.is_empty() {
            errs.sort_by_key(|e| (e.line, e.column));
            return Err(errs);
        }
        categories.sort_by_key(|c| c.order);
        Ok(Taxonomy { categories })
    }

    /// Whether `id` is a category id (`science`) or a sub-category id (`science.lecture`).
    pub fn contains(&self, id: &str) -> bool {
        self.category_of(id).is_some()
    }

    /// The category `id` belongs to: itself for a category id, its parent for a sub-category id;
    /// `None` if unknown.
    pub fn category_of(&self, id: &str) -> Option<&Category> {
        match id.split_once('.') {
            None => self.category(id),
            Some((cat, _)) => self
                .category(cat)
                .filter(|c| c.subcategories.iter().any(|s| s.id == id)),
        }
    }

    /// The category with exactly this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The sub-category with exactly this id (`science.lecture`).
    pub fn subcategory(&self, id: &str) -> Option<&SubCategory> {
        let cat = self.category_of(id)?;
        cat.subcategories.iter().find(|s| s.id == id)
    }

    /// Chinese name of a category or sub-category id.
    pub fn name_of(&self, id: &str) -> Option<&str> {
        match self.subcategory(id) {
            Some(s) => Some(&s.name),
            None => self.category(id).map(|c| c.name.as_str()),
        }
    }

    /// Categories in ascending `order`.
    pub fn iter(&self) -> std::slice::Iter<'_, Category> {
        self.categories.iter()
    }

    pub fn categories(&self) -> &[Category] {
        &self.categories
    }
}

impl<'a> IntoIterator for &'a Taxonomy {
    type Item = &'a Category;
    type IntoIter = std::slice::Iter<'a, Category>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
