//! The analysis's results as plain rows (what every export, chart and page renders), and the
//! list of measures a survey definition yields.

use serde::Serialize;

use super::stats::{Interval, Mean};
use crate::domain::survey::{QuestionKind, SurveyDefinition, Taxonomy};
use crate::domain::tally::{self, CATEGORY};

/// Text shared by many rows (a group's label is in every measure's row): cloned by count.
pub type Text = std::sync::Arc<str>;

/// A breakdown of respondents.
/// The breakdown: the whole scope, or by township, stage (小学/初中), urban/rural class (two or
/// three ways), school, grade or channel (网上填写/纸质回执).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Dim {
    /// The whole scope: the city, one township or one school.
    Total,
    Township,
    /// 小学/初中, by the respondent's grade.
    Stage,
    /// 城区/农村.
    Urban2,
    /// 城区/镇区/乡村.
    Urban3,
    School,
    Grade,
    /// How the answers came in: online (`online`) or typed in from paper reply slips (`paper`).
    Channel,
}

impl Dim {
    pub const ALL: [Dim; 8] = [
        Dim::Total,
        Dim::Township,
        Dim::Stage,
        Dim::Urban2,
        Dim::Urban3,
        Dim::School,
        Dim::Grade,
        Dim::Channel,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Dim::Total => "合计",
            Dim::Township => "乡镇（街道）",
            Dim::Stage => "学段",
            Dim::Urban2 => "城乡（城区/农村）",
            Dim::Urban3 => "城乡（城区/镇区/乡村）",
            Dim::School => "学校",
            Dim::Grade => "年级",
            Dim::Channel => "填写方式",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Dim::Total => "total",
            Dim::Township => "township",
            Dim::Stage => "stage",
            Dim::Urban2 => "urban2",
            Dim::Urban3 => "urban3",
            Dim::School => "school",
            Dim::Grade => "grade",
            Dim::Channel => "channel",
        }
    }
}

/// Whose share a figure is.
/// Whose share: every responding family, those who need the service, those who answered the
/// question, or those who need or may need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// Every responding family.
    All,
    /// Families who need the service (the segmenting question's first option).
    Need,
    /// Families who answered the question.
    Answered,
    /// Families who need or may need the service (需要 and 还不确定): those asked the categories
    /// question.
    Interest,
}

impl Base {
    pub fn key(self) -> &'static str {
        match self {
            Base::All => "all",
            Base::Need => "need",
            Base::Answered => "answered",
            Base::Interest => "interest",
        }
    }

    pub fn parse(s: &str) -> Option<Base> {
        [Base::All, Base::Need, Base::Answered, Base::Interest]
            .into_iter()
            .find(|b| b.key() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Base::All => "全部填写家庭",
            Base::Need => "需要课后服务的家庭",
            Base::Answered => "回答该题的家庭",
            Base::Interest => "需要或可能需要课后服务的家庭（有兴趣）",
        }
    }
}

/// One share the analysis reports: `value` of `question` among `base`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Measure {
    pub question: String,
    pub title: String,
    pub value: String,
    pub label: String,
    pub base: Base,
}

/// Title of the category pseudo-question.
pub const CATEGORY_TITLE: &str = "希望参加的课程类别（类别题及其细分题中选择）";

/// Every share the definition yields: each taxonomy category and sub-category (among all
/// families, and among those who need the service), then each option of each counted choice
/// question and each point of each scale (among those who answered it).
pub fn measures(def: &SurveyDefinition, taxonomy: &Taxonomy) -> Vec<Measure> {
    let mut out = Vec::new();
    let mut bases = vec![Base::All];
    if tally::need_segment(def).is_some() {
        bases.push(Base::Need);
    }
    if !tally::interest_segments(def).is_empty() {
        bases.push(Base::Interest);
    }
    for base in bases {
        for c in taxonomy {
            let mut push = |value: &str, label: String| {
                out.push(Measure {
                    question: CATEGORY.into(),
                    title: CATEGORY_TITLE.into(),
                    value: value.into(),
                    label,
                    base,
                })
            };
            push(&c.id, c.name.clone());
            for s in &c.subcategories {
                push(&s.id, format!("{}·{}", c.name, s.name));
            }
        }
    }
    for q in def.questions.iter().filter(|q| tally::is_counted(q)) {
        let mut push = |value: String, label: String| {
            out.push(Measure {
                question: q.id.clone(),
                title: q.title.clone(),
                value,
                label,
                base: Base::Answered,
            })
        };
        match &q.kind {
            QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => {
                for o in options {
                    push(o.id.clone(), o.label.clone());
                }
            }
            QuestionKind::Scale { .. } => {
                for v in crate::domain::survey::SCALE_MIN..=crate::domain::survey::SCALE_MAX {
                    push(v.to_string(), format!("{v} 分"));
                }
            }
            _ => {}
        }
    }
    out
}

/// A share with its intervals, raw and enrolment-weighted.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ShareRow {
    pub dim: Dim,
    /// Group key: township name, school id, grade number (0: 未填年级) or 年级不符, stage, 城区…,
    /// channel (`online` or `paper`), or `all`.
    #[schema(value_type = String)]
    pub group: Text,
    #[schema(value_type = String)]
    pub group_label: Text,
    /// A question id, or `@category` for the taxonomy.
    #[schema(value_type = String)]
    pub question: Text,
    #[schema(value_type = String)]
    pub value: Text,
    #[schema(value_type = String)]
    pub label: Text,
    pub base: Base,
    /// Families in the base (respondents of the cell).
    pub n: i64,
    /// Families in the base who chose the value; `None` when suppressed.
    pub k: Option<i64>,
    pub raw: Option<Interval>,
    pub weighted: Option<Interval>,
    /// Kish effective sample size of the weighted estimate.
    pub n_eff: f64,
    /// Fewer than k families in a view above one school: figures withheld.
    pub suppressed: bool,
}

/// A ranking's top-3 score: mean points per answering family (1st = top points … last = 1).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ScoreRow {
    pub dim: Dim,
    pub group: String,
    pub group_label: String,
    pub question: String,
    pub value: String,
    pub label: String,
    pub n: i64,
    pub score: Option<f64>,
    pub weighted_score: Option<f64>,
    /// Share of answering families who ranked it first (raw).
    pub first: Option<f64>,
    pub suppressed: bool,
}

/// The mean of a scale or number question.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MeanRow {
    pub dim: Dim,
    pub group: String,
    pub group_label: String,
    pub question: String,
    pub title: String,
    pub n: i64,
    pub raw: Option<Mean>,
    pub weighted: Option<Mean>,
    pub suppressed: bool,
}

/// One school's response rate.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SchoolRate {
    pub school_id: i64,
    pub code: String,
    pub name: String,
    pub township: String,
    pub level: String,
    pub urban2: String,
    pub urban3: String,
    pub enrolment: i64,
    pub respondents: i64,
    /// Respondents ÷ enrolment; `None` without enrolment.
    pub rate: Option<f64>,
    /// The rate is below the report's `low_rate_percent`: the school's figures are 仅供参考.
    pub low_rate: bool,
    /// More respondents than pupils: a roster or duplicate-answer problem to check.
    pub over_enrolment: bool,
}

impl SchoolRate {
    /// A school's row: roster facts as stored (level code, urban-rural code) turned into labels.
    pub fn new(
        (school_id, code, name, township): (i64, &str, &str, &str),
        level_db: &str,
        urban_rural_code: i32,
        enrolment: i64,
        respondents: i64,
    ) -> SchoolRate {
        let u = super::engine::urban(urban_rural_code);
        let rate = (enrolment > 0).then(|| respondents as f64 / enrolment as f64);
        SchoolRate {
            school_id,
            code: code.to_string(),
            name: name.to_string(),
            township: township.to_string(),
            level: crate::domain::school::SchoolLevel::from_db_code(level_db)
                .map_or_else(|| level_db.to_string(), |l| l.as_str().to_string()),
            urban2: u
                .map(|u| u.two_way().label().to_string())
                .unwrap_or_default(),
            urban3: u
                .map(|u| u.three_way().label().to_string())
                .unwrap_or_default(),
            enrolment,
            respondents,
            rate,
            // Set by `low_rate::flag`, which knows the threshold.
            low_rate: false,
            over_enrolment: rate.is_some_and(|r| crate::domain::school::over_enrolment(r * 100.0)),
        }
    }
}

/// Everything one analysis run produces.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Report {
    pub round_id: i64,
    pub round_name: String,
    pub survey_title: String,
    /// Who answered the survey; the report's words about "families" follow from it.
    pub respondent: crate::domain::survey::Respondent,
    /// 全市, a township's name or a school's name.
    pub scope: String,
    /// Whether the view is one school's own (no suppression applies).
    pub single_school: bool,
    /// Cells with fewer respondents than this are suppressed above one school.
    pub min_cell: i64,
    /// Schools below this response rate (in percent) are flagged `low_rate`.
    pub low_rate_percent: f64,
    /// The round's counters were made by an older counting rule (a ranked category counted as
    /// demand) and have not been recounted; `old_rule_purged` when they no longer can be.
    pub old_counting_rule: bool,
    /// With `old_counting_rule`: the raw responses were purged, so the round can no longer be
    /// recounted.
    pub old_rule_purged: bool,
    pub schools: Vec<SchoolRate>,
    pub shares: Vec<ShareRow>,
    pub scores: Vec<ScoreRow>,
    pub means: Vec<MeanRow>,
    /// Each school's categories against its latest plan (schools with a plan only).
    pub gaps: Vec<super::plans::GapRow>,
    /// The bureau's targets from the plans; views above one school only.
    pub targets: Option<super::plans::Targets>,
    /// Changes since an earlier round, when one was given to compare with.
    pub changes: Vec<super::compare::ChangeRow>,
    /// Parents' and students' demand per category, when the round also asked students.
    pub voices: Vec<super::voices::VoiceRow>,
}

/// A report sentence written about families, said of the survey's own respondents (学生, 教师)
/// when they are not parents.
pub fn said_of(text: &str, respondent: crate::domain::survey::Respondent) -> String {
    use crate::domain::survey::Respondent;
    match respondent {
        Respondent::Parent => text.to_string(),
        r => text
            .replace("家长在", &format!("{}在", r.label()))
            .replace("希望孩子参加", "希望参加")
            .replace("家庭", r.unit()),
    }
}
