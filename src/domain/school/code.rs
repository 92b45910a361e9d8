//! School codes: the key that ties roster rows, survey links and reports to one school.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A trimmed code of 1–32 ASCII letters, digits, `-` or `_`
/// (typically the 10-digit national school identification code).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SchoolCode(String);

/// Why a school code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchoolCodeError {
    /// Nothing but whitespace.
    #[error("学校代码不能为空")]
    Empty,
    /// More than 32 characters.
    #[error("学校代码不能超过 {max} 个字符（当前 {len} 个）", max = SchoolCode::MAX_LEN)]
    TooLong { len: usize },
    /// A character outside ASCII letters, digits, `-` and `_`.
    #[error("学校代码只能包含英文字母、数字、“-”和“_”，不能包含“{0}”")]
    BadChar(char),
}

impl SchoolCode {
    /// The longest code accepted.
    pub const MAX_LEN: usize = 32;

    /// Trims and checks a code.
    pub fn parse(s: &str) -> Result<Self, SchoolCodeError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(SchoolCodeError::Empty);
        }
        if let Some(c) = t
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(SchoolCodeError::BadChar(c));
        }
        // Only ASCII is left, so bytes are characters.
        if t.len() > Self::MAX_LEN {
            return Err(SchoolCodeError::TooLong { len: t.len() });
        }
        Ok(Self(t.to_owned()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SchoolCode {
    type Error = SchoolCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<SchoolCode> for String {
    fn from(code: SchoolCode) -> String {
        code.0
    }
}

impl AsRef<str> for SchoolCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SchoolCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn accepts_national_and_local_codes() {
        assert_eq!(
            SchoolCode::parse(" 2135012345 ").unwrap().as_str(),
            "2135012345"
        );
        assert_eq!(SchoolCode::parse("JJ-xx_01").unwrap().as_str(), "JJ-xx_01");
        assert!(SchoolCode::parse(&"9".repeat(32)).is_ok());
    }

    #[test]
    fn refuses_bad_codes() {
        assert_eq!(SchoolCode::parse("  "), Err(SchoolCodeError::Empty));
        assert_eq!(
            SchoolCode::parse(&"9".repeat(33)),
            Err(SchoolCodeError::TooLong { len: 33 })
        );
        assert_eq!(
            SchoolCode::parse("21 35"),
            Err(SchoolCodeError::BadChar(' '))
        );
        assert_eq!(
            SchoolCode::parse("晋江01"),
            Err(SchoolCodeError::BadChar('晋'))
        );
        assert_eq!(
            SchoolCode::parse("１２"),
            Err(SchoolCodeError::BadChar('１'))
        );
    }
}
