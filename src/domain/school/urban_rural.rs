//! The statistics bureau's urban-rural code (统计用城乡划分代码) and the urban/rural splits built on it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One of the seven urban-rural codes: 111, 112, 121, 122, 123, 210, 220.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct UrbanRuralCode(u16);

/// A value that is not one of the seven urban-rural codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("城乡分类代码“{0}”无效，可选值：111、112、121、122、123、210、220")]
pub struct UrbanRuralCodeError(pub String);

/// The two-way split the bureau's plan speaks of: 城区 versus 农村.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrbanRural2 {
    /// 城区: codes 111 and 112.
    Urban,
    /// 农村: every other code (镇区 and 乡村).
    Rural,
}

/// The three-way split of education statistics: 城区, 镇区, 乡村.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrbanRural3 {
    /// 城区: codes 1xx other than 12x, i.e. 111 and 112.
    City,
    /// 镇区: codes 121, 122, 123.
    Town,
    /// 乡村: codes 210 and 220.
    Village,
}

impl UrbanRuralCode {
    /// Every valid code, in ascending order.
    pub const ALL: [u16; 7] = [111, 112, 121, 122, 123, 210, 220];

    /// Checks a numeric code.
    pub fn new(code: u16) -> Result<Self, UrbanRuralCodeError> {
        if Self::ALL.contains(&code) {
            Ok(Self(code))
        } else {
            Err(UrbanRuralCodeError(code.to_string()))
        }
    }

    /// Parses the code as written in a roster cell; surrounding whitespace is ignored.
    pub fn parse(s: &str) -> Result<Self, UrbanRuralCodeError> {
        let t = s.trim();
        let err = || UrbanRuralCodeError(t.to_owned());
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        t.parse::<u16>()
            .map_err(|_| err())
            .and_then(|n| Self::new(n).map_err(|_| err()))
    }

    /// The numeric code.
    pub fn value(&self) -> u16 {
        self.0
    }

    /// The code's own Chinese name, e.g. 111 → 主城区.
    pub fn label(&self) -> &'static str {
        match self.0 {
            111 => "主城区",
            112 => "城乡结合区",
            121 => "镇中心区",
            122 => "镇乡结合区",
            123 => "特殊区域",
            210 => "乡中心区",
            // Only 220 is left: the constructor admits nothing else.
            _ => "村庄",
        }
    }

    /// 城区 (111, 112) versus 农村 (everything else).
    pub fn two_way(&self) -> UrbanRural2 {
        match self.0 {
            111 | 112 => UrbanRural2::Urban,
            _ => UrbanRural2::Rural,
        }
    }

    /// 城区 (11x), 镇区 (12x) or 乡村 (2xx).
    pub fn three_way(&self) -> UrbanRural3 {
        match self.0 {
            111 | 112 => UrbanRural3::City,
            121..=123 => UrbanRural3::Town,
            _ => UrbanRural3::Village,
        }
    }
}

impl TryFrom<u16> for UrbanRuralCode {
    type Error = UrbanRuralCodeError;
    fn try_from(code: u16) -> Result<Self, Self::Error> {
        Self::new(code)
    }
}

impl From<UrbanRuralCode> for u16 {
    fn from(code: UrbanRuralCode) -> u16 {
        code.0
    }
}

impl fmt::Display for UrbanRuralCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl UrbanRural2 {
    /// 城区 or 农村.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Urban => "城区",
            Self::Rural => "农村",
        }
    }

    /// `urban` or `rural`.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Urban => "urban",
            Self::Rural => "rural",
        }
    }
}

impl UrbanRural3 {
    /// 城区, 镇区 or 乡村.
    pub fn label(&self) -> &'static str {
        match self {
            Self::City => "城区",
            Self::Town => "镇区",
            Self::Village => "乡村",
        }
    }

    /// `city`, `town` or `village`.
    pub fn key(&self) -> &'static str {
        match self {
            Self::City => "city",
            Self::Town => "town",
            Self::Village => "village",
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn accepts_exactly_the_seven_codes() {
        for n in 0..=999u16 {
            assert_eq!(
                UrbanRuralCode::new(n).is_ok(),
                UrbanRuralCode::ALL.contains(&n)
            );
        }
        assert_eq!(UrbanRuralCode::parse(" 121 ").unwrap().value(), 121);
        for bad in [
            "",
            "11",
            "113",
            "+111",
            "111.0",
            "１１１",
            "abc",
            "99999999",
        ] {
            assert!(UrbanRuralCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn splits_and_labels() {
        let table = [
            (111, "主城区", UrbanRural2::Urban, UrbanRural3::City),
            (112, "城乡结合区", UrbanRural2::Urban, UrbanRural3::City),
            (121, "镇中心区", UrbanRural2::Rural, UrbanRural3::Town),
            (122, "镇乡结合区", UrbanRural2::Rural, UrbanRural3::Town),
            (123, "特殊区域", UrbanRural2::Rural, UrbanRural3::Town),
            (210, "乡中心区", UrbanRural2::Rural, UrbanRural3::Village),
            (220, "村庄", UrbanRural2::Rural, UrbanRural3::Village),
        ];
        for (n, label, two, three) in table {
            let code = UrbanRuralCode::new(n).unwrap();
            assert_eq!(code.label(), label);
            assert_eq!(code.two_way(), two);
            assert_eq!(code.three_way(), three);
        }
        assert_eq!(UrbanRural2::Rural.label(), "农村");
        assert_eq!(UrbanRural3::Town.label(), "镇区");
        assert_eq!(UrbanRural3::Village.key(), "village");
    }
}
