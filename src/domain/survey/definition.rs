//! The checked, in-memory form of a survey definition: what the linter produces and what forms, validation and analysis consume.

use serde::Serialize;

use crate::domain::school::UrbanRural3;

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

/// Who answers a survey: the letter, the consent, the form's notes and the analysis speak to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Respondent {
    /// 家长: one answer per child, on the family's phone.
    #[default]
    Parent,
    /// 学生 (三至九年级): answered at school, often in the computer room.
    Student,
    /// 教师: staff-only link; results only in aggregate.
    Teacher,
}

impl Respondent {
    pub const ALL: [(&'static str, Respondent); 3] = [
        ("parent", Respondent::Parent),
        ("student", Respondent::Student),
        ("teacher", Respondent::Teacher),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Respondent::Parent => "parent",
            Respondent::Student => "student",
            Respondent::Teacher => "teacher",
        }
    }

    pub fn parse(s: &str) -> Option<Respondent> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, r)| *r)
    }

    /// 家长 / 学生 / 教师.
    pub fn label(self) -> &'static str {
        match self {
            Respondent::Parent => "家长",
            Respondent::Student => "学生",
            Respondent::Teacher => "教师",
        }
    }

    /// What the cover letter is called on pages and buttons.
    pub fn letter_name(self) -> &'static str {
        match self {
            Respondent::Parent => "告家长书",
            Respondent::Student => "给同学们的一封信",
            Respondent::Teacher => "致老师们的一封信",
        }
    }

    /// Who one response stands for, in the analysis' words (家庭 / 学生 / 教师).
    pub fn unit(self) -> &'static str {
        match self {
            Respondent::Parent => "家庭",
            Respondent::Student => "学生",
            Respondent::Teacher => "教师",
        }
    }

    /// The line under the start button: what is not collected and how long it takes.
    pub fn privacy_note(self) -> &'static str {
        match self {
            Respondent::Parent => "本问卷不收集姓名、电话、身份证号等个人信息。填写约需 3 分钟。",
            Respondent::Student => "不用写名字，也不用写学号。没有对错，想到什么就选什么。大约 5 分钟就能做完。",
            Respondent::Teacher => "本问卷不收集姓名、工号、电话等个人信息，结果只按人数汇总呈现，不足 5 人的项目不显示。填写约需 3 分钟。",
        }
    }
}

/// A parsed, linted survey definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurveyDefinition {
    pub id: String,
    pub title: String,
    pub kind: SurveyKind,
    /// Who answers it (parent when the file does not say).
    pub respondent: Respondent,
    /// 告家长一封信, may contain [`SCHOOL_PLACEHOLDER`]; use [`SurveyDefinition::letter_for`].
    pub letter: String,
    pub consent: String,
    pub closing: String,
    pub questions: Vec<Question>,
    /// Page titles, in order; empty when the survey is one page. Question `page` indexes it.
    pub pages: Vec<String>,
    /// Optional sections a round may switch on when it is published (off by default).
    pub sections: Vec<Section>,
}

/// An optional part of a survey (暑期托管, say), asked only in rounds that switch it on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// ASCII id, as `section` of its questions and in the round's list of sections.
    pub id: String,
    /// What the publisher sees beside the switch.
    pub title: String,
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

    /// How many pages the form has (at least one).
    pub fn page_count(&self) -> usize {
        self.pages.len().max(1)
    }

    /// Whether anything in the survey depends on the school or the round: a question shown
    /// only at some schools, or an optional section.
    pub fn depends_on_school(&self) -> bool {
        !self.sections.is_empty() || self.questions.iter().any(|q| q.show_at.is_some())
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
    /// Required only when this holds (a required question otherwise may be left out).
    pub required_if: Option<ShowIf>,
    /// Shown only at schools of these kinds (by the school, not by an answer).
    pub show_at: Option<ShowAt>,
    /// The optional section this question belongs to, if any.
    pub section: Option<String>,
    /// 0-based index into the survey's pages (0 when the survey is one page).
    pub page: usize,
    /// A choice question that offers only the options chosen in this earlier question.
    pub options_from_answer: Option<String>,
    /// Printed on the paper reply slip (回执) as well as asked on the phone.
    pub paper: bool,
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

/// A condition on the school: its urban-rural class (城区, 镇区, 乡村) is one of `area`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShowAt {
    pub area: Vec<UrbanRural3>,
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceOption {
    /// ASCII id (`[A-Za-z0-9_.-]+`), unique within the question; the submitted value.
    pub id: String,
    pub label: String,
    /// Taxonomy id (category or `category.sub`) this option stands for.
    pub category: Option<String>,
    /// Examples shown under the label in small print (from the option's `hint`, or the
    /// taxonomy's description).
    pub hint: Option<String>,
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
