//! Display logic and validation of a decoded form into `Answers`, with one Chinese message per failing question for the parent to fix.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::answers::{AnswerValue, Answers};
use super::definition::{
    ChoiceOption, Question, QuestionKind, SurveyDefinition, SCALE_MAX, SCALE_MIN,
};
use super::form::FormInput;

/// Validation errors in question order: question id → Chinese message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    entries: Vec<(String, String)>,
}

impl FieldErrors {
    pub fn get(&self, qid: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(q, _)| q == qid)
            .map(|(_, m)| m.as_str())
    }

    /// `(question id, message)` in question order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(q, m)| (q.as_str(), m.as_str()))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(super) fn push(&mut self, qid: &str, message: String) {
        self.entries.push((qid.to_string(), message));
    }
}

/// The message beside a free-text answer that seems to hold personal information.
pub const PERSONAL_INFO: &str =
    "请不要在这里填写电话、身份证号或邮箱等个人信息。如确需保留，可直接再次提交。";

/// Free-text answers that seem to hold a phone number, an ID-card number or an e-mail address
/// (see `domain::pii`), each with [`PERSONAL_INFO`], in question order.
pub fn personal_info(answers: &Answers) -> FieldErrors {
    let mut out = FieldErrors::default();
    for (qid, v) in answers.iter() {
        if let AnswerValue::Text(t) = v {
            if crate::domain::pii::contains(t) {
                out.push(qid, PERSONAL_INFO.to_string());
            }
        }
    }
    out
}

impl Serialize for FieldErrors {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (q, m) in &self.entries {
            map.serialize_entry(q, m)?;
        }
        map.end()
    }
}

/// Whether question `qid` is shown, given the answers so far. A question whose condition refers
/// to a hidden question is hidden too; unknown questions, and conditions that do not refer to an
/// earlier question (impossible in a linted definition), count as hidden. A question that offers
/// the options chosen in an earlier one is hidden when there is nothing to offer (a ranking,
/// when there are fewer than two to put in order).
pub fn is_visible(def: &SurveyDefinition, qid: &str, input: &FormInput) -> bool {
    let Some(pos) = def.position(qid) else {
        return false;
    };
    let q = &def.questions[pos];
    if q.options_from_answer.is_some() {
        let least = if matches!(q.kind, QuestionKind::Rank { .. }) {
            2
        } else {
            1
        };
        if offered(def, q, input).len() < least {
            return false;
        }
    }
    let Some(cond) = &q.show_if else {
        return true;
    };
    // Each step moves strictly earlier, so the recursion ends.
    if def.position(&cond.question).is_none_or(|t| t >= pos) {
        return false;
    }
    let values = input.all_values(&cond.question);
    values.iter().any(|v| cond.any_of.iter().any(|a| a == v))
        && is_visible(def, &cond.question, input)
}

/// Whether `q` must be answered, given the answers so far (`required`, and `required_if` when
/// it has one).
pub fn is_required(q: &Question, input: &FormInput) -> bool {
    q.required
        && q.required_if.as_ref().is_none_or(|c| {
            let values = input.all_values(&c.question);
            values.iter().any(|v| c.any_of.iter().any(|a| a == v))
        })
}

/// The options question `q` offers: all of them, or, for a question with
/// `options_from_answer`, those chosen in that (visible, earlier) question, in `q`'s order.
pub fn offered<'d>(
    def: &'d SurveyDefinition,
    q: &'d Question,
    input: &FormInput,
) -> Vec<&'d ChoiceOption> {
    let Some(source) = &q.options_from_answer else {
        return q.options().iter().collect();
    };
    let earlier = def
        .position(source)
        .is_some_and(|s| def.position(&q.id).is_some_and(|p| s < p));
    if !earlier || !is_visible(def, source, input) {
        return Vec::new();
    }
    let chosen = input.values(source);
    q.options()
        .iter()
        .filter(|o| chosen.contains(&o.id))
        .collect()
}

/// Validates the visible questions; answers to hidden questions are dropped.
pub fn validate(def: &SurveyDefinition, input: &FormInput) -> Result<Answers, FieldErrors> {
    let mut answers = Answers::default();
    let mut errors = FieldErrors::default();
    for q in &def.questions {
        if !is_visible(def, &q.id, input) {
            continue;
        }
        match check(def, q, input) {
            Ok(Some(value)) => answers.insert(q.id.clone(), value),
            Ok(None) if is_required(q, input) => errors.push(&q.id, "请回答此题".to_string()),
            Ok(None) => {}
            Err(message) => errors.push(&q.id, message),
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// `Ok(None)` when unanswered, `Err(message)` when answered wrongly.
fn check(
    def: &SurveyDefinition,
    q: &Question,
    input: &FormInput,
) -> Result<Option<AnswerValue>, String> {
    let single = input.value(&q.id).map(str::trim).filter(|v| !v.is_empty());
    // Only a question that offers an earlier answer's choices narrows its options.
    let narrowed = q
        .options_from_answer
        .as_ref()
        .map(|_| offered(def, q, input));
    let is_offered = |v: &str| match &narrowed {
        Some(offered) => offered.iter().any(|o| o.id == v),
        None => q.option(v).is_some(),
    };
    match &q.kind {
        QuestionKind::Single { .. } => match single {
            None => Ok(None),
            Some(v) if is_offered(v) => Ok(Some(AnswerValue::Choice(v.to_string()))),
            Some(_) => Err("请选择有效的选项".to_string()),
        },
        QuestionKind::Multi { options, min, max } => {
            // An option no longer offered (its earlier answer changed) is not an answer.
            let given = input.values(&q.id);
            let chosen: Vec<String> = options
                .iter()
                .filter(|o| given.contains(&o.id) && is_offered(&o.id))
                .map(|o| o.id.clone())
                .collect();
            if chosen.is_empty() {
                Ok(None)
            } else if chosen.len() < *min {
                Err(format!("请至少选择 {min} 项"))
            } else if chosen.len() > *max {
                Err(format!("最多选择 {max} 项"))
            } else {
                Ok(Some(AnswerValue::Choices(chosen)))
            }
        }
        QuestionKind::Rank { top, .. } => {
            let entries = input.rank_entries(&q.id);
            if entries.is_empty() {
                return Ok(None);
            }
            let mut ranking: Vec<String> = Vec::new();
            for (_, v) in &entries {
                if !is_offered(v) {
                    return Err("请在列出的选项中排序".to_string());
                }
                if ranking.iter().any(|r| r == v) {
                    return Err("排名不能重复".to_string());
                }
                ranking.push((*v).to_string());
            }
            if entries.iter().enumerate().any(|(i, (p, _))| *p != i + 1) {
                return Err("请从第 1 位起依次排序，中间不要留空".to_string());
            }
            // Among the options chosen earlier, only as many places as there are options.
            let top = (*top).min(narrowed.as_ref().map_or(q.options().len(), Vec::len));
            if ranking.len() > top {
                return Err(format!("最多排 {top} 位"));
            }
            if is_required(q, input) && ranking.len() < top {
                return Err(format!("请排出前 {top} 位"));
            }
            Ok(Some(AnswerValue::Ranking(ranking)))
        }
        QuestionKind::Scale { .. } => match single {
            None => Ok(None),
            Some(v) => v
                .parse::<u8>()
                .ok()
                .filter(|n| (SCALE_MIN..=SCALE_MAX).contains(n))
                .map(|n| Some(AnswerValue::Scale(n)))
                .ok_or_else(|| format!("请选择 {SCALE_MIN} 到 {SCALE_MAX} 之间的分值")),
        },
        QuestionKind::Number { min, max, .. } => match single {
            None => Ok(None),
            Some(v) => parse_integer(v)
                .filter(|n| (*min..=*max).contains(n))
                .map(|n| Some(AnswerValue::Number(n)))
                .ok_or_else(|| format!("请填写 {min} 到 {max} 之间的整数")),
        },
        QuestionKind::Text { max_length } => match single {
            None => Ok(None),
            Some(v) if v.chars().count() > *max_length => Err(format!("不能超过 {max_length} 字")),
            Some(v) => Ok(Some(AnswerValue::Text(v.to_string()))),
        },
        QuestionKind::Grade { grades } => match single {
            None => Ok(None),
            Some(v) => v
                .parse::<u8>()
                .ok()
                .filter(|g| grades.contains(g))
                .map(|g| Some(AnswerValue::Grade(g)))
                .ok_or_else(|| "请选择年级".to_string()),
        },
        QuestionKind::Class { max_class } => match single {
            None => Ok(None),
            Some(v) => v
                .parse::<u16>()
                .ok()
                .filter(|c| (1..=*max_class).contains(c))
                .map(|c| Some(AnswerValue::Class(c)))
                .ok_or_else(|| "请选择班级".to_string()),
        },
    }
}

/// Parses an integer typed on a phone: ASCII or full-width digits, optional leading minus
/// (`-`, `－` or `−`); nothing else (no decimals, no spaces inside, no `+`).
fn parse_integer(s: &str) -> Option<i64> {
    let mut normal = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        match c {
            '0'..='9' => normal.push(c),
            '０'..='９' => normal.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            '-' | '－' | '−' if i == 0 => normal.push('-'),
            _ => return None,
        }
    }
    normal.parse().ok()
}
