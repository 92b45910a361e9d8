//! The questionnaire as the converters understand it, before it is written out as definition
//! TOML: the one place that knows the file format's fields and how to quote them.

use std::fmt::Write;

use super::{Place, Problem};

/// The default wording a converted survey starts with, for the bureau to review.
const LETTER: &str = "尊敬的家长：

您好！为了解您和孩子对课后服务的需求，请抽出几分钟填写本问卷。问卷匿名填写，不收集姓名、电话等个人信息，结果只用于改进课后服务。

{{学校}}";
const CONSENT: &str = "我已阅读上述说明，自愿填写本问卷。";
const CLOSING: &str = "提交成功，感谢您的参与！——{{学校}}";

/// A questionnaire on its way to TOML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub id: String,
    pub title: String,
    pub questions: Vec<DraftQuestion>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftQuestion {
    pub id: String,
    pub title: String,
    pub help: Option<String>,
    pub required: bool,
    pub kind: DraftKind,
    /// Starts a new page with this title.
    pub page: Option<String>,
    /// Shown only when question `.0` has one of the option ids `.1`.
    pub show_if: Option<(String, Vec<String>)>,
    /// Where the question is in the source, for the problems found later.
    pub place: Option<Place>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftOption {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftKind {
    Single(Vec<DraftOption>),
    Multi(Vec<DraftOption>),
    Rank(Vec<DraftOption>),
    Scale {
        low: Option<String>,
        high: Option<String>,
    },
    Number {
        min: i64,
        max: i64,
    },
    Text,
}

impl DraftKind {
    pub fn options(&self) -> Option<&[DraftOption]> {
        match self {
            DraftKind::Single(o) | DraftKind::Multi(o) | DraftKind::Rank(o) => Some(o),
            _ => None,
        }
    }
}

/// A TOML string literal, with every character that needs it escaped.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

impl Draft {
    /// Gives the first question a page when a later one starts a page (the format asks for it),
    /// and starts a new page at a question whose condition names a question on its own page
    /// (the format asks for the answer to be given on an earlier page).
    pub fn settle_pages(&mut self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if !self.questions.iter().any(|q| q.page.is_some()) {
            return problems;
        }
        let title = self.title.trim().to_string();
        if let Some(first) = self.questions.first_mut() {
            if first.page.is_none() {
                first.page = Some(if title.is_empty() {
                    "问卷".into()
                } else {
                    title
                });
            }
        }
        let mut page = 0;
        let mut page_title = String::new();
        for i in 0..self.questions.len() {
            if let Some(p) = &self.questions[i].page {
                page += 1;
                page_title = p.clone();
            }
            let Some((target, _)) = &self.questions[i].show_if else {
                continue;
            };
            let Some(t) = self.questions.iter().position(|q| &q.id == target) else {
                continue;
            };
            if self.page_of(t) == page {
                let new = format!("{page_title}（续）");
                let q = &mut self.questions[i];
                problems.push(Problem::new(
                    q.place.clone().unwrap_or(Place::File),
                    format!(
                        "题目“{}”要根据同一页上一道题的答案决定是否显示，本平台要求分两页填写，已从这道题起另起一页“{new}”。",
                        q.title
                    ),
                ));
                q.page = Some(new.clone());
                page += 1;
                page_title = new;
            }
        }
        problems
    }

    /// Index of the page each question is on (0 when the survey is one page).
    pub fn page_of(&self, index: usize) -> usize {
        self.questions[..=index.min(self.questions.len().saturating_sub(1))]
            .iter()
            .filter(|q| q.page.is_some())
            .count()
    }

    /// The definition TOML.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        let title = if self.title.trim().is_empty() {
            "导入的问卷"
        } else {
            self.title.trim()
        };
        let _ = writeln!(out, "# 由其他问卷工具导入，请审核后再发布。");
        let _ = writeln!(out, "id = {}", quoted(&self.id));
        let _ = writeln!(out, "title = {}", quoted(title));
        let _ = writeln!(out, "kind = \"needs\"");
        let _ = writeln!(out, "respondent = \"parent\"");
        let _ = writeln!(out, "letter = {}", quoted(LETTER));
        let _ = writeln!(out, "consent = {}", quoted(CONSENT));
        let _ = writeln!(out, "closing = {}", quoted(CLOSING));
        for q in &self.questions {
            out.push_str("\n[[questions]]\n");
            if let Some(page) = &q.page {
                let _ = writeln!(out, "page = {}", quoted(page));
            }
            let _ = writeln!(out, "id = {}", quoted(&q.id));
            let _ = writeln!(out, "title = {}", quoted(&q.title));
            if let Some(help) = &q.help {
                let _ = writeln!(out, "help = {}", quoted(help));
            }
            let kind = match &q.kind {
                DraftKind::Single(_) => "single",
                DraftKind::Multi(_) => "multi",
                DraftKind::Rank(_) => "rank",
                DraftKind::Scale { .. } => "scale",
                DraftKind::Number { .. } => "number",
                DraftKind::Text => "text",
            };
            let _ = writeln!(out, "type = \"{kind}\"");
            if !q.required {
                let _ = writeln!(out, "required = false");
            }
            match &q.kind {
                DraftKind::Rank(o) => {
                    let _ = writeln!(out, "top = {}", o.len());
                }
                DraftKind::Scale { low, high } => {
                    if let Some(l) = low {
                        let _ = writeln!(out, "low_label = {}", quoted(l));
                    }
                    if let Some(h) = high {
                        let _ = writeln!(out, "high_label = {}", quoted(h));
                    }
                }
                DraftKind::Number { min, max } => {
                    let _ = writeln!(out, "min = {min}\nmax = {max}");
                }
                _ => {}
            }
            if let Some((question, any_of)) = &q.show_if {
                let values: Vec<String> = any_of.iter().map(|v| quoted(v)).collect();
                let _ = writeln!(
                    out,
                    "show_if = {{ question = {}, any_of = [{}] }}",
                    quoted(question),
                    values.join(", ")
                );
            }
            for o in q.kind.options().unwrap_or_default() {
                out.push_str("\n[[questions.options]]\n");
                let _ = writeln!(out, "id = {}", quoted(&o.id));
                let _ = writeln!(out, "label = {}", quoted(&o.label));
            }
        }
        out
    }
}
