//! Computer-room sessions (机房模式) as rules: the short code a class types or scans, what a
//! teacher may ask for, and whether a session still takes answers.

use chrono::NaiveDateTime;

/// Session codes: 6 characters of Crockford base32, short enough to read off a projector.
pub const CODE_CHARS: usize = 6;
/// Largest class the count may expect.
pub const MAX_EXPECTED: i32 = 80;
/// Longest a session may stay open, in minutes (two lessons back to back).
pub const MAX_MINUTES: i64 = 120;
/// Minutes a session stays open when the teacher does not say.
pub const DEFAULT_MINUTES: i64 = 40;

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    /// The expected number of answers is in.
    Full,
    /// Its time ran out.
    Over,
}

impl Status {
    pub fn at(
        submitted: i32,
        expected: i32,
        closes_at: NaiveDateTime,
        now: NaiveDateTime,
    ) -> Status {
        if submitted >= expected {
            Status::Full
        } else if now >= closes_at {
            Status::Over
        } else {
            Status::Open
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "正在填写",
            Status::Full => "已收齐，已结束",
            Status::Over => "时间已到，已结束",
        }
    }
}

/// A typed or scanned code, upper-case and without spaces or dashes; `None` if it cannot be one.
pub fn normalise(input: &str) -> Option<String> {
    let out: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (out.len() == CODE_CHARS && out.chars().all(|c| c.is_ascii_alphanumeric())).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_closes_at_its_count_or_its_time_whichever_first() {
        let t = |m| {
            chrono::NaiveDate::from_ymd_opt(2026, 10, 8)
                .and_then(|d| d.and_hms_opt(9, m, 0))
                .unwrap_or_default()
        };
        assert_eq!(Status::at(2, 3, t(40), t(10)), Status::Open);
        assert_eq!(Status::at(3, 3, t(40), t(10)), Status::Full);
        assert_eq!(Status::at(1, 3, t(40), t(40)), Status::Over);
        assert_eq!(normalise(" ab3-d9k "), Some("AB3D9K".into()));
        assert_eq!(normalise("AB3D9"), None);
        assert_eq!(normalise("AB3D9?"), None);
    }
}
