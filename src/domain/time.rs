//! Times are stored in UTC and shown and typed in China Standard Time (UTC+8,
//! no daylight saving), which is what every school in the country uses.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

const OFFSET_HOURS: i64 = 8;

pub fn to_local(utc: NaiveDateTime) -> NaiveDateTime {
    utc + Duration::hours(OFFSET_HOURS)
}

pub fn from_local(local: NaiveDateTime) -> NaiveDateTime {
    local - Duration::hours(OFFSET_HOURS)
}

/// Which end of a bare date is meant.
#[derive(Debug, Clone, Copy)]
pub enum DayEdge {
    Start,
    End,
}

/// Parses "YYYY-MM-DD HH:MM" (or with seconds, or a `T`) or a bare
/// "YYYY-MM-DD" in local time, returning UTC. A bare date means the start or
/// the end (23:59:59) of that day.
pub fn parse_local(s: &str, edge: DayEdge) -> Option<NaiveDateTime> {
    let s = s.trim().replace('T', " ");
    for fmt in ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(&s, fmt) {
            return Some(from_local(t));
        }
    }
    let d = NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()?;
    let t = match edge {
        DayEdge::Start => NaiveTime::MIN,
        DayEdge::End => NaiveTime::from_hms_opt(23, 59, 59)?,
    };
    Some(from_local(d.and_time(t)))
}

/// A closing time in local time as people say it: the last second of a day
/// (how a bare closing date is stored) reads "2026-09-30 24:00", as the form promised.
pub fn closing_label(utc: NaiveDateTime) -> String {
    let local = to_local(utc);
    if local.time() >= NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(NaiveTime::MIN) {
        format!("{} 24:00", local.format("%Y-%m-%d"))
    } else {
        local.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// A local time as a parent reads it: "2026年9月30日 08:00"; the last second of a day (how a
/// bare closing date is stored) reads "2026年9月30日 24:00".
pub fn spoken_label(utc: NaiveDateTime) -> String {
    let local = to_local(utc);
    let day = format!("{}年{}月{}日", local.year(), local.month(), local.day());
    if local.time() >= NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(NaiveTime::MIN) {
        format!("{day} 24:00")
    } else {
        format!("{day} {}", local.format("%H:%M"))
    }
}

/// The end (23:59:59 local) of the local day `days` after `utc`'s, in UTC: a closing
/// date counted in days from now, as a person would pick it on the form.
pub fn end_of_day_after(utc: NaiveDateTime, days: i64) -> NaiveDateTime {
    let day = (to_local(utc) + Duration::days(days)).date();
    from_local(day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bare_dates_cover_the_whole_local_day() {
        let start = parse_local("2026-09-01", DayEdge::Start).unwrap();
        assert_eq!(start.to_string(), "2026-08-31 16:00:00");
        let end = parse_local("2026-09-01", DayEdge::End).unwrap();
        assert_eq!(to_local(end).to_string(), "2026-09-01 23:59:59");
        assert_eq!(
            parse_local("2026-09-01 08:30", DayEdge::Start)
                .unwrap()
                .to_string(),
            "2026-09-01 00:30:00"
        );
        assert!(parse_local("tomorrow", DayEdge::Start).is_none());
        assert_eq!(closing_label(end), "2026-09-01 24:00");
        assert_eq!(closing_label(start), "2026-09-01 00:00");
        assert_eq!(spoken_label(end), "2026年9月1日 24:00");
        assert_eq!(spoken_label(start), "2026年9月1日 00:00");
        let afternoon = parse_local("2026-09-01 15:06", DayEdge::Start).unwrap();
        assert_eq!(
            closing_label(end_of_day_after(afternoon, 30)),
            "2026-10-01 24:00"
        );
    }
}
