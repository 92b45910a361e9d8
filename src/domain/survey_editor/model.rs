//! A survey as an editor form holds it: every value as the text a person typed, so that a
//! half-finished draft (a minimum of "abc", a question with no options yet) can be kept,
//! shown again and linted, never refused before it is written down.

use toml::{Table, Value};

/// The question types of `docs/survey-format.md`, with their names on the editor page.
pub const QUESTION_TYPES: &[(&str, &str)] = &[
    ("single", "单选题"),
    ("multi", "多选题"),
    ("rank", "排序题"),
    ("scale", "五级评分题"),
    ("number", "数字题"),
    ("text", "填空题"),
    ("grade", "年级"),
    ("class", "班级"),
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditSurvey {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub respondent: String,
    pub letter: String,
    pub consent: String,
    pub closing: String,
    /// Optional sections, one per line: `id 标题`.
    pub sections: String,
    pub questions: Vec<EditQuestion>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditQuestion {
    pub id: String,
    pub title: String,
    pub help: String,
    pub kind: String,
    pub required: bool,
    pub paper: bool,
    /// One option per line: `id 标签`, optionally `| 分类` and `| 提示`.
    pub options: String,
    pub taxonomy: String,
    pub from_answer: String,
    pub min: String,
    pub max: String,
    pub top: String,
    pub unit: String,
    pub low_label: String,
    pub high_label: String,
    pub max_length: String,
    /// Grade numbers separated by spaces or commas.
    pub grades: String,
    pub max_class: String,
    pub show_question: String,
    /// Values separated by spaces or commas.
    pub show_values: String,
    pub required_question: String,
    pub required_values: String,
    /// `city`, `town`, `village` as ticked.
    pub show_at: Vec<String>,
    pub page: String,
    pub section: String,
}

impl EditQuestion {
    /// A new question of a type, with an id not used in the survey yet.
    pub fn new(kind: &str, id: String) -> Self {
        Self {
            id,
            kind: kind.to_string(),
            required: true,
            ..Self::default()
        }
    }

    pub fn is_choice(&self) -> bool {
        matches!(self.kind.as_str(), "single" | "multi" | "rank")
    }
}

/// A value as the text a form field shows: strings as they are, numbers written out, lists
/// joined by spaces.
fn text(v: Option<&Value>) -> String {
    match v {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| text(Some(x)))
            .collect::<Vec<_>>()
            .join(" "),
        Some(other) => other.to_string(),
    }
}

fn condition(q: &Table, key: &str) -> (String, String) {
    match q.get(key).and_then(Value::as_table) {
        Some(t) => (text(t.get("question")), text(t.get("any_of"))),
        None => (String::new(), String::new()),
    }
}

fn option_line(o: &Table) -> String {
    let mut line = format!("{} {}", text(o.get("id")), text(o.get("label")));
    let (category, hint) = (text(o.get("category")), text(o.get("hint")));
    if !category.is_empty() || !hint.is_empty() {
        line.push_str(&format!(" | {category}"));
    }
    if !hint.is_empty() {
        line.push_str(&format!(" | {hint}"));
    }
    line
}

fn tables<'a>(t: &'a Table, key: &str) -> Vec<&'a Table> {
    t.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_table).collect())
        .unwrap_or_default()
}

impl EditSurvey {
    /// Reads a definition's TOML as the editor shows it; `None` if it is not TOML at all.
    pub fn from_toml(src: &str) -> Option<Self> {
        let t: Table = toml::from_str(src).ok()?;
        let questions = tables(&t, "questions")
            .into_iter()
            .map(|q| {
                let (show_question, show_values) = condition(q, "show_if");
                let (required_question, required_values) = condition(q, "required_if");
                EditQuestion {
                    id: text(q.get("id")),
                    title: text(q.get("title")),
                    help: text(q.get("help")),
                    kind: text(q.get("type")),
                    required: q.get("required").and_then(Value::as_bool).unwrap_or(true),
                    paper: q.get("paper").and_then(Value::as_bool).unwrap_or(false),
                    options: tables(q, "options")
                        .into_iter()
                        .map(option_line)
                        .collect::<Vec<_>>()
                        .join("\n"),
                    taxonomy: text(q.get("options_from_taxonomy")),
                    from_answer: text(q.get("options_from_answer")),
                    min: text(q.get("min")),
                    max: text(q.get("max")),
                    top: text(q.get("top")),
                    unit: text(q.get("unit")),
                    low_label: text(q.get("low_label")),
                    high_label: text(q.get("high_label")),
                    max_length: text(q.get("max_length")),
                    grades: text(q.get("grades")),
                    max_class: text(q.get("max_class")),
                    show_question,
                    show_values,
                    required_question,
                    required_values,
                    show_at: q
                        .get("show_at")
                        .and_then(Value::as_table)
                        .map(|s| {
                            text(s.get("area"))
                                .split_whitespace()
                                .map(String::from)
                                .collect()
                        })
                        .unwrap_or_default(),
                    page: text(q.get("page")),
                    section: text(q.get("section")),
                }
            })
            .collect();
        Some(Self {
            id: text(t.get("id")),
            title: text(t.get("title")),
            kind: text(t.get("kind")),
            respondent: text(t.get("respondent")),
            letter: text(t.get("letter")),
            consent: text(t.get("consent")),
            closing: text(t.get("closing")),
            sections: tables(&t, "sections")
                .into_iter()
                .map(|s| format!("{} {}", text(s.get("id")), text(s.get("title"))))
                .collect::<Vec<_>>()
                .join("\n"),
            questions,
        })
    }

    /// A blank survey with the given id and one question to start from.
    pub fn blank(id: &str) -> Self {
        Self {
            id: id.to_string(),
            title: "新问卷".into(),
            kind: "needs".into(),
            respondent: "parent".into(),
            letter: "尊敬的家长：\n\n您好！\n\n{{学校}}".into(),
            consent:
                "本问卷不收集姓名、电话、身份证号，结果仅用于改进课后服务。我已阅读并自愿填写。"
                    .into(),
            closing: "提交成功，感谢您的参与！".into(),
            sections: String::new(),
            questions: Vec::new(),
        }
    }

    /// An id for a new question: `q1`, `q2`, … the first one not used.
    pub fn fresh_question_id(&self) -> String {
        (1..)
            .map(|n| format!("q{n}"))
            .find(|id| !self.questions.iter().any(|q| &q.id == id))
            .unwrap_or_default()
    }

    /// Adds a question of `kind` at the end (an unknown type becomes a single choice).
    pub fn add(&mut self, kind: &str) {
        let kind = QUESTION_TYPES
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or("single", |(k, _)| k);
        let id = self.fresh_question_id();
        self.questions.push(EditQuestion::new(kind, id));
    }

    /// Moves question `i` one place up (`up`) or down; out of range does nothing.
    pub fn shift(&mut self, i: usize, up: bool) {
        let j = if up { i.checked_sub(1) } else { Some(i + 1) };
        if let Some(j) = j.filter(|j| *j < self.questions.len() && i < self.questions.len()) {
            self.questions.swap(i, j);
        }
    }

    pub fn remove(&mut self, i: usize) {
        if i < self.questions.len() {
            self.questions.remove(i);
        }
    }

    /// Puts the questions in the order given by their old positions (a drag in the page's
    /// script); an order that is not a permutation of all questions changes nothing.
    pub fn reorder(&mut self, order: &[usize]) {
        let n = self.questions.len();
        let mut seen = vec![false; n];
        if order.len() != n
            || order
                .iter()
                .any(|&i| i >= n || std::mem::replace(&mut seen[i], true))
        {
            return;
        }
        let old = std::mem::take(&mut self.questions);
        self.questions = order.iter().map(|&i| old[i].clone()).collect();
    }
}

/// The editor form's field names for question `i`: `q<i>.<field>`.
pub const QUESTION_FIELDS: &[&str] = &[
    "id",
    "title",
    "help",
    "type",
    "required",
    "paper",
    "options",
    "taxonomy",
    "from_answer",
    "min",
    "max",
    "top",
    "unit",
    "low_label",
    "high_label",
    "max_length",
    "grades",
    "max_class",
    "show_question",
    "show_values",
    "required_question",
    "required_values",
    "show_at",
    "page",
    "section",
];

/// The editor form's survey-level field names.
pub const SURVEY_FIELDS: &[&str] = &[
    "title",
    "kind",
    "respondent",
    "letter",
    "consent",
    "closing",
    "sections",
];

impl EditSurvey {
    /// The survey as the editor form posted it: `get` reads one field ("" when absent),
    /// `all` every value of a repeated one; `count` questions are read.
    pub fn from_form(
        id: &str,
        get: impl Fn(&str) -> String,
        all: impl Fn(&str) -> Vec<String>,
        count: usize,
    ) -> Self {
        let clean = |s: String| s.replace("\r\n", "\n");
        let questions = (0..count)
            .map(|i| {
                let f = |name: &str| clean(get(&format!("q{i}.{name}")));
                EditQuestion {
                    id: f("id").trim().to_string(),
                    title: f("title"),
                    help: f("help"),
                    kind: f("type"),
                    required: f("required") == "1",
                    paper: f("paper") == "1",
                    options: f("options"),
                    taxonomy: f("taxonomy"),
                    from_answer: f("from_answer"),
                    min: f("min"),
                    max: f("max"),
                    top: f("top"),
                    unit: f("unit"),
                    low_label: f("low_label"),
                    high_label: f("high_label"),
                    max_length: f("max_length"),
                    grades: f("grades"),
                    max_class: f("max_class"),
                    show_question: f("show_question"),
                    show_values: f("show_values"),
                    required_question: f("required_question"),
                    required_values: f("required_values"),
                    show_at: all(&format!("q{i}.show_at")),
                    page: f("page"),
                    section: f("section"),
                }
            })
            .collect();
        Self {
            id: id.to_string(),
            title: clean(get("title")),
            kind: get("kind"),
            respondent: get("respondent"),
            letter: clean(get("letter")),
            consent: clean(get("consent")),
            closing: clean(get("closing")),
            sections: clean(get("sections")),
            questions,
        }
    }
}
