//! Validated answers of one response, stored as compact JSON (`{"need":"yes","top3":["science",...]}`) and read back against the definition that produced them.

use std::collections::BTreeSet;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::definition::{Question, QuestionKind, SurveyDefinition, SCALE_MAX, SCALE_MIN};

/// One validated answer. JSON shape: a string (`Choice`, `Text`), an array of strings
/// (`Choices`, `Ranking`) or a number (`Scale`, `Number`, `Grade`, `Class`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerValue {
    Choice(String),
    /// Ticked options, in the definition's option order.
    Choices(Vec<String>),
    /// Ranked options, first place first.
    Ranking(Vec<String>),
    Scale(u8),
    Number(i64),
    /// Trimmed text.
    Text(String),
    Grade(u8),
    Class(u16),
}

impl AnswerValue {
    /// Option ids chosen, for choice answers (empty otherwise).
    pub fn option_ids(&self) -> &[String] {
        match self {
            AnswerValue::Choice(c) => std::slice::from_ref(c),
            AnswerValue::Choices(v) | AnswerValue::Ranking(v) => v,
            _ => &[],
        }
    }
}

impl Serialize for AnswerValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AnswerValue::Choice(s) | AnswerValue::Text(s) => serializer.serialize_str(s),
            AnswerValue::Choices(v) | AnswerValue::Ranking(v) => v.serialize(serializer),
            AnswerValue::Scale(n) | AnswerValue::Grade(n) => serializer.serialize_u8(*n),
            AnswerValue::Number(n) => serializer.serialize_i64(*n),
            AnswerValue::Class(n) => serializer.serialize_u16(*n),
        }
    }
}

/// Answers of one response in question order: question id → value. Unanswered questions
/// (optional or hidden) are absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    entries: Vec<(String, AnswerValue)>,
}

/// Stored answers that do not fit the definition (corrupt or from another definition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswersJsonError(pub String);

impl std::fmt::Display for AnswersJsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "stored answers do not fit the survey definition: {}",
            self.0
        )
    }
}

impl std::error::Error for AnswersJsonError {}

impl Answers {
    pub fn get(&self, qid: &str) -> Option<&AnswerValue> {
        self.entries.iter().find(|(q, _)| q == qid).map(|(_, v)| v)
    }

    /// `(question id, value)` in question order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &AnswerValue)> {
        self.entries.iter().map(|(q, v)| (q.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The first grade answer, if any.
    pub fn grade(&self) -> Option<u8> {
        self.entries.iter().find_map(|(_, v)| match v {
            AnswerValue::Grade(g) => Some(*g),
            _ => None,
        })
    }

    /// The first class answer, if any.
    pub fn class(&self) -> Option<u16> {
        self.entries.iter().find_map(|(_, v)| match v {
            AnswerValue::Class(c) => Some(*c),
            _ => None,
        })
    }

    /// Appends an answer (callers insert in question order).
    pub(super) fn insert(&mut self, qid: String, value: AnswerValue) {
        self.entries.push((qid, value));
    }

    /// Compact JSON object, keys in question order.
    pub fn to_json(&self) -> String {
        // Serialising strings, arrays and integers into a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads answers stored by [`Answers::to_json`], checking each against its question's type
    /// and options. Keys come back in question order.
    pub fn from_json(def: &SurveyDefinition, json: &str) -> Result<Answers, AnswersJsonError> {
        let err = |m: String| AnswersJsonError(m);
        let value: Value = serde_json::from_str(json).map_err(|e| err(e.to_string()))?;
        let Value::Object(map) = value else {
            return Err(err("not a JSON object".to_string()));
        };
        if let Some(k) = map.keys().find(|k| def.question(k).is_none()) {
            return Err(err(format!("unknown question \"{k}\"")));
        }
        let mut answers = Answers::default();
        for q in &def.questions {
            let Some(v) = map.get(&q.id) else { continue };
            let bad = || err(format!("answer to \"{}\" has the wrong shape: {v}", q.id));
            let option = |s: &Value| -> Result<String, AnswersJsonError> {
                let s = s.as_str().ok_or_else(bad)?;
                q.option(s)
                    .map(|o| o.id.clone())
                    .ok_or_else(|| err(format!("unknown option \"{s}\" for \"{}\"", q.id)))
            };
            let options = |v: &Value| -> Result<Vec<String>, AnswersJsonError> {
                v.as_array().ok_or_else(bad)?.iter().map(option).collect()
            };
            let int =
                |lo: i64, hi: i64| v.as_i64().filter(|n| (lo..=hi).contains(n)).ok_or_else(bad);
            let parsed = match &q.kind {
                QuestionKind::Single { .. } => AnswerValue::Choice(option(v)?),
                QuestionKind::Multi { .. } => AnswerValue::Choices(options(v)?),
                QuestionKind::Rank { .. } => AnswerValue::Ranking(options(v)?),
                QuestionKind::Scale { .. } => AnswerValue::Scale(
                    u8::try_from(int(SCALE_MIN.into(), SCALE_MAX.into())?).map_err(|_| bad())?,
                ),
                QuestionKind::Number { min, max, .. } => AnswerValue::Number(int(*min, *max)?),
                QuestionKind::Text { .. } => {
                    AnswerValue::Text(v.as_str().ok_or_else(bad)?.to_string())
                }
                QuestionKind::Grade { .. } => {
                    AnswerValue::Grade(u8::try_from(int(1, 9)?).map_err(|_| bad())?)
                }
                QuestionKind::Class { max_class } => AnswerValue::Class(
                    u16::try_from(int(1, i64::from(*max_class))?).map_err(|_| bad())?,
                ),
            };
            answers.insert(q.id.clone(), parsed);
        }
        Ok(answers)
    }
}

impl Serialize for Answers {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (q, v) in &self.entries {
            map.serialize_entry(q, v)?;
        }
        map.end()
    }
}

/// Taxonomy ids the family asked for: the chosen options of the demand questions (see
/// [`is_demand`]) and, for a sub-category (`science.lecture`), also its parent (`science`).
/// A ranking never adds demand: it orders what was chosen.
pub fn categories_of(def: &SurveyDefinition, answers: &Answers) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (qid, value) in answers.iter() {
        let Some(q) = def.question(qid).filter(|q| is_demand(def, q)) else {
            continue;
        };
        for oid in value.option_ids() {
            if let Some(cat) = q.option(oid).and_then(|o| o.category.as_ref()) {
                if let Some((parent, _)) = cat.split_once('.') {
                    out.insert(parent.to_string());
                }
                out.insert(cat.clone());
            }
        }
    }
    out
}

/// Whether a question's answers are demand for course categories: a single- or multiple-choice
/// question whose options are the taxonomy's categories (the categories question), or a
/// follow-up of such a question whose options are taxonomy ids (its sub-category questions).
/// Rankings, and taxonomy questions asked for another reason (乡土特色 at rural schools), are
/// not.
pub fn is_demand(def: &SurveyDefinition, q: &Question) -> bool {
    let taxonomy_options =
        |q: &Question| !q.options().is_empty() && q.options().iter().all(|o| o.category.is_some());
    let lists_categories = |q: &Question| {
        matches!(
            q.kind,
            QuestionKind::Multi { .. } | QuestionKind::Single { .. }
        ) && taxonomy_options(q)
            && q.options_from_answer.is_none()
            && q.options()
                .iter()
                .all(|o| o.category.as_ref().is_some_and(|c| !c.contains('.')))
    };
    if !matches!(
        q.kind,
        QuestionKind::Multi { .. } | QuestionKind::Single { .. }
    ) {
        return false;
    }
    lists_categories(q)
        || (taxonomy_options(q)
            && q.show_if
                .as_ref()
                .and_then(|s| def.question(&s.question))
                .is_some_and(lists_categories))
}
