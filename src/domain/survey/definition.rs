//! The checked, in-memory form of a survey definition: what the linter produces and what forms, validation and analysis consume.

use serde::Serialize;

/// The one placeholder allowed in `letter`, `consent` and `closing`: replaced by the school's name.
pub const SCHOOL_PLACEHOLDER: &str = "{{学校}}";
/// Scale questions always run from 1 to 5.
pub const SCALE_MIN: u8 = 1;
pub const SCALE_MAX: u8 = 5;
/// `max_length` of a text question when the file does not say.
pub const DEFAULT_TEXT_MAX_LENGTH: usize = 200;
/// Largest `max_length` a text question may declare.
pub const TEXT_MAX_LENGTH_LIMIT: usize = 2000;
/// `max_class` of a class question when the file does not say.
pub const DEFAULT_MAX_CLASS: u16 = 20;

/// What a survey is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyKind {
    /// 需求调查
    Needs,
    /// 满意度调查
    Satisfaction,
}

impl SurveyKind {
    pub const ALL: [(&'static str, SurveyKind); 2] = [
        ("needs", SurveyKind::Needs),
        ("satisfaction", SurveyKind::Satisfaction),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SurveyKind::Needs => "needs",
            SurveyKind::Satisfaction => "satisfaction",
        }
    }

    pub fn parse(s: &str) -> Option<SurveyKind> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, k)| *k)
    }
}

/// A parsed, linted survey definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurveyDefinition {
    pub id: String,
    pub title: String,
    pub kind: SurveyKind,
    /// 告家长一封信, may contain [`SCHOOL_PLACEHOLDER`]; use [`SurveyDefinition::letter_for`].
    pub letter: String,
    pub consent: String,
    pub closing: String,
    pub questions: Vec<Question>,
}

impl SurveyDefinition {
    /// The letter with `{{学校}}` replaced by the school's name.
    pub fn letter_for(&self, school_name: &str) -> String {
        self.letter.replace(SCHOOL_PLACEHOLDER, school_name)
    }

    /// The consent statement with `{{学校}}` replaced by the school's name.
    pub fn consent_for(&self, school_name: &str) -> String {
        self.consent.replace(SCHOOL_PLACEHOLDER, school_name)
    }

    /// The closing message with `{{学校}}` replaced by the school's name.
    pub fn closing_for(&self, school_name: &str) -> String {
        self.closing.replace(SCHOOL_PLACEHOLDER, school_name)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Index of a question in display order.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    /// ASCII id (`[A-Za-z0-9_-]+`), unique in the survey; form field `q.<id>`.
    pub id: String,
    pub title: String,
    pub help: Option<String>,
    pub required: bool,
    pub kind: QuestionKind,
    pub show_if: Option<ShowIf>,
}

impl Question {
    /// The options of a choice question (single/multi/rank), empty otherwise.
    pub fn options(&self) -> &[ChoiceOption] {
        match &self.kind {
            QuestionKind::Single { options }
            | QuestionKind::Multi { options, .. }
            | QuestionKind::Rank { options, .. } => options,
            _ => &[],
        }
    }

    pub fn option(&self, id: &str) -> Option<&ChoiceOption> {
        self.options().iter().find(|o| o.id == id)
    }

    /// The `type` name used in the file.
    pub fn type_name(&self) -> &'static str {
        self.kind.type_name()
    }
}

/// Display logic: show the question only if the earlier question `question` was answered
/// with one of `any_of` (for multi/rank: any selected option is in `any_of`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShowIf {
    pub question: String,
    pub any_of: Vec<String>,
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceOption {
    /// ASCII id (`[A-Za-z0-9_.-]+`), unique within the question; the submitted value.
    pub id: String,
    pub label: String,
    /// Taxonomy id (category or `category.sub`) this option stands for.
    pub category: Option<String>,
}

/// The type of a question and its type-specific settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    Single {
        options: Vec<ChoiceOption>,
    },
    Multi {
        options: Vec<ChoiceOption>,
        /// Fewest options to tick when answered (0 = no minimum beyond `required`).
        min: usize,
        /// Most options to tick (defaults to the number of options).
        max: usize,
    },
    Rank {
        options: Vec<ChoiceOption>,
        /// Rank the top `top` options.
        top: usize,
    },
    Scale {
        low_label: Option<String>,
        high_label: Option<String>,
    },
    Number {
        min: i64,
        max: i64,
        unit: Option<String>,
    },
    Text {
        max_length: usize,
    },
    Grade {
        /// Allowed grades, 1..=9 (一年级…九年级).
        grades: Vec<u8>,
    },
    Class {
        max_class: u16,
    },
}

impl QuestionKind {
    /// Every `type` name the format knows.
    pub const TYPE_NAMES: [&'static str; 8] = [
        "single", "multi", "rank", "scale", "number", "text", "grade", "class",
    ];

    pub fn type_name(&self) -> &'static str {
        match self {
            QuestionKind::Single { .. } => "single",
            QuestionKind::Multi { .. } => "multi",
            QuestionKind::Rank { .. } => "rank",
            QuestionKind::Scale { .. } => "scale",
            QuestionKind::Number { .. } => "number",
            QuestionKind::Text { .. } => "text",
            QuestionKind::Grade { .. } => "grade",
            QuestionKind::Class { .. } => "class",
        }
    }
}

/// 一年级 … 九年级 for 1..=9 (初一…初三 are 七年级…九年级 in this numbering); "" otherwise.
pub fn grade_label(grade: u8) -> &'static str {
    usize::from(grade)
        .checked_sub(1)
        .and_then(|i| crate::domain::school::level::GRADE_NAMES.get(i))
        .copied()
        .unwrap_or("")
}

/// `N班`.
pub fn class_label(class: u16) -> String {
    format!("{class}班")
}
