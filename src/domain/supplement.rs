//! A school's own questions after the city's core survey (本校补充题): what makes one valid, and
//! the survey source its parents answer, the core's exact bytes with the questions appended, so
//! the core questions stay the same as at every other school.

use serde::{Deserialize, Serialize};

/// The most extra questions a round may allow each school.
pub const MAX_ALLOWED: i32 = 10;
/// The longest question title, in characters.
pub const MAX_TITLE_CHARS: usize = 100;
/// The longest option label, in characters.
pub const MAX_OPTION_CHARS: usize = 40;
/// The most options of one question.
pub const MAX_OPTIONS: usize = 20;
/// The longest answer to a 填空 question, in characters.
pub const TEXT_MAX_LENGTH: u32 = 200;
/// The widest range a 数字 question may allow.
pub const NUMBER_LIMIT: i64 = 1_000_000;
/// The prefix of every supplement question's id, so none can clash with a core question.
pub const ID_PREFIX: &str = "school_q";

/// The kinds of question a school may add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Single,
    Multi,
    Text,
    Number,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Single, Kind::Multi, Kind::Text, Kind::Number];

    /// The form's value for the kind.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multi => "multi",
            Kind::Text => "text",
            Kind::Number => "number",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Single => "单选",
            Kind::Multi => "多选",
            Kind::Text => "填空",
            Kind::Number => "数字",
        }
    }

    fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    fn has_options(self) -> bool {
        matches!(self, Kind::Single | Kind::Multi)
    }
}

/// One checked supplement question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub kind: Kind,
    pub title: String,
    pub required: bool,
    /// The options' labels (单选 and 多选 only).
    #[serde(default)]
    pub options: Vec<String>,
    /// The allowed range (数字 only).
    #[serde(default)]
    pub min: i64,
    #[serde(default)]
    pub max: i64,
}

impl Question {
    /// One line saying what the question asks, for the page's list.
    pub fn summary(&self) -> String {
        match self.kind {
            Kind::Single | Kind::Multi => self.options.join("／"),
            Kind::Text => format!("最多 {TEXT_MAX_LENGTH} 字"),
            Kind::Number => format!("{}–{}", self.min, self.max),
        }
    }
}

/// A question as typed on the page; nothing in it is checked yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionForm {
    pub kind: String,
    pub title: String,
    /// One option a line.
    pub options: String,
    /// The activities of the school's plan (一校一案) ticked as options, numbered from 1 in
    /// the plan's order; they come before the options typed.
    pub plan_picks: Vec<usize>,
    pub min: String,
    pub max: String,
    pub required: bool,
}

impl QuestionForm {
    /// The form for an existing question.
    pub fn of(q: &Question) -> QuestionForm {
        let number = q.kind == Kind::Number;
        QuestionForm {
            kind: q.kind.code().into(),
            title: q.title.clone(),
            options: q.options.join("\n"),
            plan_picks: Vec::new(),
            min: if number {
                q.min.to_string()
            } else {
                String::new()
            },
            max: if number {
                q.max.to_string()
            } else {
                String::new()
            },
            required: q.required,
        }
    }

    /// The checked question, or each field's problem in words (`activities`: the names of the
    /// school's plan activities, for options drawn from the plan).
    pub fn check(&self, activities: &[String]) -> Result<Question, Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        let kind = Kind::from_code(self.kind.trim());
        if kind.is_none() {
            problems.push(("kind", "请选择题型：单选、多选、填空或数字。".to_string()));
        }
        let title = self.title.trim().to_string();
        if title.is_empty()
            || title.chars().count() > MAX_TITLE_CHARS
            || title.chars().any(char::is_control)
        {
            problems.push((
                "title",
                format!("请填写题目，1–{MAX_TITLE_CHARS} 字，不要换行。"),
            ));
        }
        let mut options = Vec::new();
        let (mut min, mut max) = (0, 0);
        match kind {
            Some(k) if k.has_options() => match self.option_labels(activities) {
                Ok(o) => options = o,
                Err(m) => problems.push(("options", m)),
            },
            Some(Kind::Number) => match (number(&self.min), number(&self.max)) {
                (Some(lo), Some(hi)) if lo < hi => (min, max) = (lo, hi),
                (Some(_), Some(_)) => {
                    problems.push(("max", "最大值应大于最小值。".to_string()));
                }
                _ => problems.push((
                    "min",
                    format!("请填写最小值和最大值：-{NUMBER_LIMIT} 到 {NUMBER_LIMIT} 之间的整数。"),
                )),
            },
            _ => {}
        }
        match kind {
            Some(kind) if problems.is_empty() => Ok(Question {
                kind,
                title,
                required: self.required,
                options,
                min,
                max,
            }),
            _ => Err(problems),
        }
    }

    fn option_labels(&self, activities: &[String]) -> Result<Vec<String>, String> {
        let mut labels = Vec::new();
        for &i in &self.plan_picks {
            match i.checked_sub(1).and_then(|i| activities.get(i)) {
                Some(a) => labels.push(a.clone()),
                None => return Err("所选的一校一案活动已不在方案中，请刷新页面后重新勾选。".into()),
            }
        }
        labels.extend(
            self.options
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from),
        );
        if labels.len() < 2 || labels.len() > MAX_OPTIONS {
            return Err(format!(
                "单选题和多选题需要 2–{MAX_OPTIONS} 个选项，每行一个。"
            ));
        }
        if let Some(l) = labels
            .iter()
            .find(|l| l.chars().count() > MAX_OPTION_CHARS || l.chars().any(char::is_control))
        {
            return Err(format!(
                "选项“{l}”太长：每个选项最多 {MAX_OPTION_CHARS} 字。"
            ));
        }
        if let Some((i, l)) = labels
            .iter()
            .enumerate()
            .find(|(i, l)| labels[..*i].contains(l))
        {
            return Err(format!("第 {} 个选项“{l}”和前面的选项重复了。", i + 1));
        }
        Ok(labels)
    }
}

fn number(s: &str) -> Option<i64> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| n.abs() <= NUMBER_LIMIT)
}

/// The id of the `n`th supplement question (from 1).
pub fn question_id(n: usize) -> String {
    format!("{ID_PREFIX}{n}")
}

/// Whether a question id belongs to a school's supplement.
pub fn is_supplement_id(id: &str) -> bool {
    id.strip_prefix(ID_PREFIX)
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The title of the page the supplement is asked on, when the core survey asks in pages.
pub const PAGE_TITLE: &str = "本校补充题";

#[derive(Serialize)]
struct TomlOption {
    id: String,
    label: String,
}

#[derive(Serialize)]
struct TomlQuestion {
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<&'static str>,
    id: String,
    title: String,
    help: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_length: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    options: Vec<TomlOption>,
}

#[derive(Serialize)]
struct TomlQuestions {
    questions: Vec<TomlQuestion>,
}

/// The survey source a school's parents answer: the core source's exact bytes, then the
/// supplement's questions as `[[questions]]` tables (on a page of their own when the core
/// asks in pages). The linter still has to accept the result.
pub fn derived_source(
    core: &str,
    core_has_pages: bool,
    questions: &[Question],
) -> Result<String, toml::ser::Error> {
    let tables = TomlQuestions {
        questions: questions
            .iter()
            .enumerate()
            .map(|(i, q)| TomlQuestion {
                page: (core_has_pages && i == 0).then_some(PAGE_TITLE),
                id: question_id(i + 1),
                title: q.title.clone(),
                help: "这道题是学校自己加的。",
                kind: q.kind.code(),
                required: q.required,
                min: (q.kind == Kind::Number).then_some(q.min),
                max: (q.kind == Kind::Number).then_some(q.max),
                max_length: (q.kind == Kind::Text).then_some(TEXT_MAX_LENGTH),
                options: q
                    .options
                    .iter()
                    .enumerate()
                    .map(|(j, label)| TomlOption {
                        id: format!("o{}", j + 1),
                        label: label.clone(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let appended = toml::to_string(&tables)?;
    let sep = if core.ends_with('\n') { "" } else { "\n" };
    Ok(format!("{core}{sep}\n# 本校补充题\n{appended}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn form(kind: &str, title: &str, options: &str) -> QuestionForm {
        QuestionForm {
            kind: kind.into(),
            title: title.into(),
            options: options.into(),
            required: true,
            ..QuestionForm::default()
        }
    }

    #[test]
    fn a_question_needs_a_title_a_kind_and_its_options() {
        let q = form("single", "您希望增加哪项活动？", "书法\n围棋\n").check(&[]);
        assert_eq!(q.unwrap().options, vec!["书法", "围棋"]);
        assert_eq!(form("", "题目", "").check(&[]).unwrap_err()[0].0, "kind");
        assert_eq!(form("text", " ", "").check(&[]).unwrap_err()[0].0, "title");
        assert_eq!(
            form("multi", "题目", "一项").check(&[]).unwrap_err()[0].0,
            "options"
        );
        let dup = form("multi", "题目", "书法\n书法").check(&[]).unwrap_err();
        assert!(dup[0].1.contains("重复"), "{dup:?}");
        let mut n = form("number", "几次", "");
        (n.min, n.max) = ("5".into(), "1".into());
        assert_eq!(n.check(&[]).unwrap_err()[0].0, "max");
        let acts = vec!["科学实验社".to_string(), "足球".to_string()];
        let mut plan = form("single", "哪项", "其他");
        plan.plan_picks = vec![2];
        assert_eq!(plan.check(&acts).unwrap().options, vec!["足球", "其他"]);
        plan.plan_picks = vec![3];
        assert_eq!(plan.check(&acts).unwrap_err()[0].0, "options");
    }

    #[test]
    fn the_derived_source_keeps_the_core_bytes_and_quotes_what_was_typed() {
        let q = form("single", "他说\"好\"\n", "甲 = 1\n[乙]")
            .check(&[])
            .unwrap();
        let src = derived_source("id = \"x\"\n", true, &[q]).unwrap();
        assert!(src.starts_with("id = \"x\"\n"));
        let v: toml::Value = toml::from_str(&src).unwrap();
        let q1 = &v["questions"][0];
        assert_eq!(q1["id"].as_str(), Some("school_q1"));
        assert_eq!(q1["title"].as_str(), Some("他说\"好\""));
        assert_eq!(q1["page"].as_str(), Some(PAGE_TITLE));
        assert_eq!(q1["options"][1]["label"].as_str(), Some("[乙]"));
        assert!(is_supplement_id("school_q12") && !is_supplement_id("school_q"));
    }
}
