//! Decodes the `q.`-prefixed fields of a submitted HTML form, rejecting structurally impossible input (HTTP 400) and keeping raw values so a form with errors re-renders with every answer kept.

use std::collections::BTreeMap;

use super::definition::{QuestionKind, SurveyDefinition};

/// A structurally malformed submission: no honest browser sends it, so it is an HTTP 400.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MalformedInput {
    /// A field not named `q.<id>` or `q.<id>.<position>`.
    NotAQuestionField(String),
    UnknownQuestion(String),
    UnknownOption {
        question: String,
        value: String,
    },
    /// The same field twice for a single-valued question (or the same option twice).
    RepeatedField(String),
    RankPositionOutOfRange {
        question: String,
        position: String,
    },
    /// A field whose shape does not fit the question type (e.g. `q.need.1` for a single choice).
    WrongShape(String),
}

impl MalformedInput {
    /// Chinese message for the error page.
    pub fn message(&self) -> String {
        match self {
            MalformedInput::NotAQuestionField(f) => format!("提交的内容包含无法识别的字段：{f}"),
            MalformedInput::UnknownQuestion(q) => format!("提交的内容包含未知的题目：{q}"),
            MalformedInput::UnknownOption { question, value } => {
                format!("提交的内容包含未知的选项：题目 {question} 的选项 {value}")
            }
            MalformedInput::RepeatedField(f) => format!("提交的内容中字段重复：{f}"),
            MalformedInput::RankPositionOutOfRange { question, position } => {
                format!("提交的内容中排序位置无效：题目 {question} 的第 {position} 位")
            }
            MalformedInput::WrongShape(f) => format!("提交的字段与题目类型不符：{f}"),
        }
    }
}

impl std::fmt::Display for MalformedInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MalformedInput::NotAQuestionField(x) => {
                write!(f, "field \"{x}\" is not a question field")
            }
            MalformedInput::UnknownQuestion(q) => write!(f, "unknown question \"{q}\""),
            MalformedInput::UnknownOption { question, value } => {
                write!(f, "unknown option \"{value}\" for question \"{question}\"")
            }
            MalformedInput::RepeatedField(x) => write!(f, "repeated field \"{x}\""),
            MalformedInput::RankPositionOutOfRange { question, position } => {
                write!(
                    f,
                    "rank position \"{position}\" out of range for question \"{question}\""
                )
            }
            MalformedInput::WrongShape(x) => {
                write!(f, "field \"{x}\" does not fit the type of its question")
            }
        }
    }
}

impl std::error::Error for MalformedInput {}

/// The raw answers of one submission, keyed by question id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormInput {
    /// Non-rank questions: the submitted values in order (multi: one per ticked option).
    values: BTreeMap<String, Vec<String>>,
    /// Rank questions: position (1-based) → submitted value (possibly empty).
    ranks: BTreeMap<String, BTreeMap<usize, String>>,
}

const PREFIX: &str = "q.";

impl FormInput {
    /// Decodes `q.`-prefixed pairs (the caller strips meta fields such as consent first).
    pub fn from_pairs(
        def: &SurveyDefinition,
        pairs: Vec<(String, String)>,
    ) -> Result<FormInput, MalformedInput> {
        let mut input = FormInput::default();
        for (key, value) in pairs {
            let Some(rest) = key.strip_prefix(PREFIX) else {
                return Err(MalformedInput::NotAQuestionField(key));
            };
            let (qid, pos) = match rest.split_once('.') {
                Some((q, p)) => (q, Some(p)),
                None => (rest, None),
            };
            let Some(q) = def.question(qid) else {
                return Err(MalformedInput::UnknownQuestion(qid.to_string()));
            };
            let check_option = |v: &str| {
                if v.is_empty() || q.option(v).is_some() {
                    Ok(())
                } else {
                    Err(MalformedInput::UnknownOption {
                        question: q.id.clone(),
                        value: v.to_string(),
                    })
                }
            };
            match (&q.kind, pos) {
                (QuestionKind::Rank { top, .. }, Some(p)) => {
                    let position = p
                        .parse::<usize>()
                        .ok()
                        .filter(|n| {
                            (1..=*top).contains(n)
                                && !p.starts_with('0')
                                && p.bytes().all(|b| b.is_ascii_digit())
                        })
                        .ok_or_else(|| MalformedInput::RankPositionOutOfRange {
                            question: q.id.clone(),
                            position: p.to_string(),
                        })?;
                    check_option(&value)?;
                    let slots = input.ranks.entry(q.id.clone()).or_default();
                    if slots.insert(position, value).is_some() {
                        return Err(MalformedInput::RepeatedField(key));
                    }
                }
                (QuestionKind::Rank { .. }, None) | (_, Some(_)) => {
                    return Err(MalformedInput::WrongShape(key));
                }
                (QuestionKind::Multi { .. }, None) => {
                    check_option(&value)?;
                    let values = input.values.entry(q.id.clone()).or_default();
                    if value.is_empty() {
                        continue;
                    }
                    if values.contains(&value) {
                        return Err(MalformedInput::RepeatedField(key));
                    }
                    values.push(value);
                }
                (kind, None) => {
                    if matches!(kind, QuestionKind::Single { .. }) {
                        check_option(&value)?;
                    }
                    let values = input.values.entry(q.id.clone()).or_default();
                    if !values.is_empty() {
                        return Err(MalformedInput::RepeatedField(key));
                    }
                    values.push(value);
                }
            }
        }
        Ok(input)
    }

    /// Raw submitted values of a non-rank question (empty slice if none).
    pub fn values(&self, qid: &str) -> &[String] {
        self.values.get(qid).map_or(&[], Vec::as_slice)
    }

    /// The single raw value of a single-valued question, if any.
    pub fn value(&self, qid: &str) -> Option<&str> {
        self.values(qid).first().map(String::as_str)
    }

    /// The option id submitted at rank position `pos` (1-based); `None` if absent or empty.
    pub fn rank_value(&self, qid: &str, pos: usize) -> Option<&str> {
        self.ranks
            .get(qid)
            .and_then(|r| r.get(&pos))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Non-empty rank entries as `(position, option id)` in position order.
    pub fn rank_entries(&self, qid: &str) -> Vec<(usize, &str)> {
        self.ranks.get(qid).map_or_else(Vec::new, |r| {
            r.iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(p, v)| (*p, v.as_str()))
                .collect()
        })
    }

    /// Every non-empty value submitted for a question, whatever its shape (for display logic).
    pub(super) fn all_values(&self, qid: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .values(qid)
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        out.extend(self.rank_entries(qid).into_iter().map(|(_, v)| v));
        out
    }
}
