//! A calendar month in China Standard Time, the unit of the bureau's monthly ledger
//! (台账月报告), and the first working day on which last month's ledger is e-mailed.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, Weekday};

use super::time::from_local;

/// A month, e.g. 2026-11.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    first: NaiveDate,
}

impl Month {
    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Result<Month, String> {
        let s = s.trim();
        NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d")
            .ok()
            .filter(|d| (2000..=2100).contains(&d.year()) && s.len() == 7)
            .map(|first| Month { first })
            .ok_or_else(|| {
                format!(
                    "月份“{}”应写成 2026-11 这样的格式",
                    s.chars().take(20).collect::<String>()
                )
            })
    }

    /// The month a local date falls in.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            first: date.with_day(1).unwrap_or(date),
        }
    }

    /// The month an instant (UTC) falls in, in China Standard Time.
    pub fn containing(utc: NaiveDateTime) -> Month {
        Month::of(super::time::to_local(utc).date())
    }

    pub fn previous(self) -> Month {
        Month {
            first: self.first - Months::new(1),
        }
    }

    pub fn next(self) -> Month {
        Month {
            first: self.first + Months::new(1),
        }
    }

    /// The first instant of the month (local midnight), in UTC.
    pub fn start_utc(self) -> NaiveDateTime {
        from_local(self.first.and_time(chrono::NaiveTime::MIN))
    }

    /// The first instant after the month, in UTC.
    pub fn end_utc(self) -> NaiveDateTime {
        self.next().start_utc()
    }

    /// Monday to Friday's first day of the month. Public holidays are not known here: a
    /// bureau that wants the ledger after the National Day week sends it by hand.
    pub fn first_working_day(self) -> NaiveDate {
        let mut d = self.first;
        while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            d = d.succ_opt().unwrap_or(d);
        }
        d
    }

    /// "2026年11月".
    pub fn label(self) -> String {
        format!("{}年{}月", self.first.year(), self.first.month())
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.first.year(), self.first.month())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_print_and_step() {
        let m = Month::parse("2026-11").unwrap();
        assert_eq!(m.to_string(), "2026-11");
        assert_eq!(m.previous().to_string(), "2026-10");
        assert_eq!(m.next().to_string(), "2026-12");
        assert_eq!(
            Month::parse("2026-12").unwrap().next().to_string(),
            "2027-01"
        );
        assert_eq!(m.label(), "2026年11月");
        for bad in ["2026-13", "2026-1", "26-11", "", "2026-11-01", "abcd-ef"] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_month_spans_local_midnight_to_midnight() {
        let m = Month::parse("2026-11").unwrap();
        assert_eq!(m.start_utc().to_string(), "2026-10-31 16:00:00");
        assert_eq!(m.end_utc().to_string(), "2026-11-30 16:00:00");
    }

    #[test]
    fn the_first_working_day_skips_the_weekend() {
        // 2026-11-01 is a Sunday; 2026-12-01 a Tuesday; 2027-05-01 a Saturday.
        let day = |s: &str| Month::parse(s).unwrap().first_working_day().to_string();
        assert_eq!(day("2026-11"), "2026-11-02");
        assert_eq!(day("2026-12"), "2026-12-01");
        assert_eq!(day("2027-05"), "2027-05-03");
    }
}
