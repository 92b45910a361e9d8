//! A complaint's way from receipt to rectification (整改): its statuses, which step may
//! follow which, and the checks on what staff write at each step.

use chrono::{NaiveDate, NaiveDateTime};

use super::time::{parse_local, to_local, DayEdge};

/// new → assigned → rectifying → closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Received, not yet given to a school.
    New,
    /// Given to its school (and so its township), waiting for the school's plan.
    Assigned,
    /// The school has a rectification plan and a deadline.
    Rectifying,
    /// Done, with a note of what was done.
    Closed,
}

pub const ALL: [Status; 4] = [
    Status::New,
    Status::Assigned,
    Status::Rectifying,
    Status::Closed,
];

impl Status {
    pub fn db_code(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Assigned => "assigned",
            Status::Rectifying => "rectifying",
            Status::Closed => "closed",
        }
    }

    pub fn from_db_code(s: &str) -> Option<Self> {
        ALL.into_iter().find(|x| x.db_code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::New => "待分办",
            Status::Assigned => "已分办",
            Status::Rectifying => "整改中",
            Status::Closed => "已办结",
        }
    }
}

/// What staff do to a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Give it to a school (the bureau; a township officer within the township).
    Assign,
    /// The school's rectification plan and deadline (may be revised while rectifying).
    Plan,
    /// A follow-up note by the township or the bureau.
    FollowUp,
    /// Close it with a note of what was done.
    Close,
}

impl Step {
    pub fn db_code(self) -> &'static str {
        match self {
            Step::Assign => "assign",
            Step::Plan => "plan",
            Step::FollowUp => "follow_up",
            Step::Close => "close",
        }
    }

    pub fn from_db_code(s: &str) -> Option<Self> {
        [Step::Assign, Step::Plan, Step::FollowUp, Step::Close]
            .into_iter()
            .find(|x| x.db_code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Step::Assign => "分办",
            Step::Plan => "整改方案",
            Step::FollowUp => "跟进督办",
            Step::Close => "办结",
        }
    }

    /// The status after this step from `from`, or why the step cannot be taken now.
    pub fn next(self, from: Status) -> Result<Status, &'static str> {
        match (self, from) {
            (_, Status::Closed) => Err("该事项已办结，不能再操作。"),
            (Step::Assign, Status::New | Status::Assigned) => Ok(Status::Assigned),
            (Step::Assign, _) => Err("学校已提交整改方案，不能再改派。"),
            (Step::Plan, Status::Assigned | Status::Rectifying) => Ok(Status::Rectifying),
            (Step::Plan, _) => Err("该事项尚未分办到学校，学校还不能提交整改方案。"),
            (Step::FollowUp, s) => Ok(s),
            (Step::Close, _) => Ok(Status::Closed),
        }
    }
}

/// The longest note or plan, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;

/// A note or plan: trimmed, not empty, not too long.
pub fn note(text: &str, what: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        Err(format!("请填写{what}。"))
    } else if t.chars().count() > MAX_NOTE_CHARS {
        Err(format!("{what}不能超过 {MAX_NOTE_CHARS} 字。"))
    } else {
        Ok(t.to_string())
    }
}

/// A rectification deadline typed as a local date: the end of that day (UTC), which must not
/// be before today.
pub fn deadline(text: &str, now: NaiveDateTime) -> Result<NaiveDateTime, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("请填写整改期限。".into());
    }
    if NaiveDate::parse_from_str(t, "%Y-%m-%d").is_err() {
        return Err("整改期限的格式应为“年-月-日”，例如 2026-12-31。".into());
    }
    let end = parse_local(t, DayEdge::End).ok_or("整改期限不是有效的日期。")?;
    if to_local(end).date() < to_local(now).date() {
        return Err("整改期限不能早于今天。".into());
    }
    Ok(end)
}

/// Whether a complaint with this status and deadline is overdue at `now`.
pub fn overdue(status: Status, due_at: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    status == Status::Rectifying && due_at.is_some_and(|d| d < now)
}

/// Whole days from `from` to `to` (for the median days to close).
pub fn days_between(from: NaiveDateTime, to: NaiveDateTime) -> f64 {
    (to - from).num_seconds() as f64 / 86_400.0
}

/// The median of `xs` (`None` when empty).
pub fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    Some(if xs.len() % 2 == 1 {
        xs[m]
    } else {
        (xs[m - 1] + xs[m]) / 2.0
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(local: &str) -> NaiveDateTime {
        parse_local(local, DayEdge::Start).unwrap()
    }

    #[test]
    fn statuses_only_move_forward_through_the_steps() {
        use Status::*;
        assert_eq!(Step::Assign.next(New), Ok(Assigned));
        assert_eq!(Step::Assign.next(Assigned), Ok(Assigned));
        assert!(Step::Assign.next(Rectifying).is_err());
        assert!(Step::Plan.next(New).is_err());
        assert_eq!(Step::Plan.next(Assigned), Ok(Rectifying));
        assert_eq!(Step::Plan.next(Rectifying), Ok(Rectifying));
        assert_eq!(Step::FollowUp.next(Rectifying), Ok(Rectifying));
        assert_eq!(Step::Close.next(New), Ok(Closed));
        for s in [Step::Assign, Step::Plan, Step::FollowUp, Step::Close] {
            assert!(s.next(Closed).is_err(), "{s:?} after closing");
        }
        for s in ALL {
            assert_eq!(Status::from_db_code(s.db_code()), Some(s));
        }
    }

    #[test]
    fn a_deadline_is_the_end_of_a_local_day_not_in_the_past() {
        let now = at("2026-11-18 15:00");
        let d = deadline("2026-11-18", now).unwrap();
        assert_eq!(to_local(d).to_string(), "2026-11-18 23:59:59");
        assert!(deadline("2026-11-17", now).is_err());
        assert!(deadline("明天", now).is_err());
        assert!(deadline("2026-11-18 10:00", now).is_err());
        assert!(deadline("", now).is_err());
    }

    #[test]
    fn overdue_means_rectifying_past_the_deadline() {
        let due = at("2026-11-20 00:00");
        assert!(!overdue(
            Status::Rectifying,
            Some(due),
            at("2026-11-19 23:00")
        ));
        assert!(overdue(
            Status::Rectifying,
            Some(due),
            at("2026-11-20 01:00")
        ));
        assert!(!overdue(Status::Closed, Some(due), at("2026-11-21 00:00")));
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(note("  ", "处理情况"), Err("请填写处理情况。".into()));
    }
}
