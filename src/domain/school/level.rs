//! School levels (学段) and the analysis stage (小学/初中) each grade belongs to.

use std::fmt;
use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

/// 一年级 … 九年级: grade 1 is index 0. 初一…初三 are 七年级…九年级 here.
pub const GRADE_NAMES: [&str; 9] = [
    "一年级",
    "二年级",
    "三年级",
    "四年级",
    "五年级",
    "六年级",
    "七年级",
    "八年级",
    "九年级",
];

/// The kind of school, as written in the bureau's roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SchoolLevel {
    /// 小学: grades 1-6.
    #[serde(rename = "primary")]
    Primary,
    /// 初中: grades 7-9.
    #[serde(rename = "junior")]
    JuniorMiddle,
    /// 九年一贯制: grades 1-9 in one school.
    #[serde(rename = "nine_year")]
    NineYear,
}

/// A level that is none of 小学, 初中, 九年一贯制.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("学段“{0}”无法识别，可选值：小学、初中、九年一贯制")]
pub struct SchoolLevelError(pub String);

impl SchoolLevel {
    /// Every level, in the order the UI lists them.
    pub const ALL: [SchoolLevel; 3] = [Self::Primary, Self::JuniorMiddle, Self::NineYear];

    /// Accepts the Chinese names and the English aliases `primary`, `junior`, `nine-year`
    /// (case-insensitive, `nine_year` too). Surrounding whitespace is ignored.
    pub fn parse(s: &str) -> Result<Self, SchoolLevelError> {
        let t = s.trim();
        match t {
            "小学" => return Ok(Self::Primary),
            "初中" => return Ok(Self::JuniorMiddle),
            "九年一贯制" => return Ok(Self::NineYear),
            _ => {}
        }
        match t.to_ascii_lowercase().as_str() {
            "primary" => Ok(Self::Primary),
            "junior" => Ok(Self::JuniorMiddle),
            "nine-year" | "nine_year" => Ok(Self::NineYear),
            _ => Err(SchoolLevelError(t.to_owned())),
        }
    }

    /// The Chinese name shown in the UI.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Primary => "小学",
            Self::JuniorMiddle => "初中",
            Self::NineYear => "九年一贯制",
        }
    }

    /// The grades this level teaches.
    pub fn grades(&self) -> RangeInclusive<u8> {
        match self {
            Self::Primary => 1..=6,
            Self::JuniorMiddle => 7..=9,
            Self::NineYear => 1..=9,
        }
    }

    /// Whether a school of this level teaches `grade`.
    pub fn has_grade(&self, grade: u8) -> bool {
        self.grades().contains(&grade)
    }

    /// The analysis stages this level covers (a nine-year school counts in both).
    pub fn stages(&self) -> &'static [Stage] {
        match self {
            Self::Primary => &[Stage::Primary],
            Self::JuniorMiddle => &[Stage::JuniorMiddle],
            Self::NineYear => &[Stage::Primary, Stage::JuniorMiddle],
        }
    }

    /// The stable code stored in the database.
    pub fn db_code(&self) -> &'static str {
        match self {
            Self::Primary => "primary",
            Self::JuniorMiddle => "junior",
            Self::NineYear => "nine_year",
        }
    }

    /// The inverse of [`SchoolLevel::db_code`]; `None` for anything else.
    pub fn from_db_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.db_code() == code)
    }
}

impl fmt::Display for SchoolLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stage (小学/初中) the analysis groups a grade under, whatever kind of school it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stage {
    /// 小学: grades 1-6.
    #[serde(rename = "primary")]
    Primary,
    /// 初中: grades 7-9.
    #[serde(rename = "junior")]
    JuniorMiddle,
}

impl Stage {
    /// The Chinese label shown in reports.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Primary => "小学",
            Self::JuniorMiddle => "初中",
        }
    }

    /// A stable ASCII key for URLs, exports and the database.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Primary => "primary",
            Self::JuniorMiddle => "junior",
        }
    }

    /// The grades of this stage.
    pub fn grades(&self) -> RangeInclusive<u8> {
        match self {
            Self::Primary => 1..=6,
            Self::JuniorMiddle => 7..=9,
        }
    }
}

/// The stage of a compulsory-education grade: 1-6 → 小学, 7-9 → 初中, anything else → `None`.
pub fn stage_of_grade(grade: u8) -> Option<Stage> {
    match grade {
        1..=6 => Some(Stage::Primary),
        7..=9 => Some(Stage::JuniorMiddle),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_chinese_and_english_names() {
        assert_eq!(SchoolLevel::parse(" 小学 "), Ok(SchoolLevel::Primary));
        assert_eq!(SchoolLevel::parse("初中"), Ok(SchoolLevel::JuniorMiddle));
        assert_eq!(SchoolLevel::parse("九年一贯制"), Ok(SchoolLevel::NineYear));
        assert_eq!(SchoolLevel::parse("Primary"), Ok(SchoolLevel::Primary));
        assert_eq!(SchoolLevel::parse("junior"), Ok(SchoolLevel::JuniorMiddle));
        assert_eq!(SchoolLevel::parse("NINE-YEAR"), Ok(SchoolLevel::NineYear));
        assert!(SchoolLevel::parse("高中").is_err());
        assert!(SchoolLevel::parse("").is_err());
    }

    #[test]
    fn db_codes_round_trip() {
        for level in SchoolLevel::ALL {
            assert_eq!(SchoolLevel::from_db_code(level.db_code()), Some(level));
            assert_eq!(SchoolLevel::parse(level.as_str()), Ok(level));
        }
        assert_eq!(SchoolLevel::from_db_code("小学"), None);
    }

    #[test]
    fn grades_and_stages() {
        assert_eq!(SchoolLevel::Primary.grades(), 1..=6);
        assert_eq!(SchoolLevel::JuniorMiddle.grades(), 7..=9);
        assert_eq!(SchoolLevel::NineYear.grades(), 1..=9);
        assert!(!SchoolLevel::JuniorMiddle.has_grade(1));
        assert_eq!(stage_of_grade(1), Some(Stage::Primary));
        assert_eq!(stage_of_grade(6), Some(Stage::Primary));
        assert_eq!(stage_of_grade(7), Some(Stage::JuniorMiddle));
        assert_eq!(stage_of_grade(9), Some(Stage::JuniorMiddle));
        assert_eq!(stage_of_grade(0), None);
        assert_eq!(stage_of_grade(10), None);
        assert_eq!(SchoolLevel::NineYear.stages().len(), 2);
    }
}
