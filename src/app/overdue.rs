//! The daily reminder of overdue rectifications (整改逾期): each school with a complaint past
//! its deadline, and the township officers of its township, get one mail a day listing them.
//! Like the monthly ledger it holds across several instances: a day's mail is sent by
//! whichever instance first records the day in `daily_sends`, and a failed send is
//! un-recorded so that the next hourly check tries again.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, Timelike};

use super::with_conn;
use crate::db::{self, complaints::ComplaintRow};
use crate::domain::account::Email;
use crate::domain::time::to_local;
use crate::email::messages;
use crate::error::{AppResult, During};
use crate::state::AppState;

const JOB: &str = "complaints_overdue";
/// The day's mail goes out at the first hourly check from this local hour on.
const FROM_HOUR: u32 = 8;

/// The local day whose mail is due at `now`, if the working morning has begun.
pub fn due_day(now: NaiveDateTime) -> Option<String> {
    let local = to_local(now);
    (local.hour() >= FROM_HOUR).then(|| local.format("%Y-%m-%d").to_string())
}

/// Who hears of each overdue complaint: its school's administrators (or, with none, the
/// roster's contact address) and its township's officers.
fn recipients(
    conn: &mut db::DbConnection,
    rows: Vec<ComplaintRow>,
) -> AppResult<BTreeMap<String, Vec<ComplaintRow>>> {
    let mut out: BTreeMap<String, Vec<ComplaintRow>> = BTreeMap::new();
    for r in rows {
        let mut to = Vec::new();
        if let Some(s) = r.school_id {
            let mut school =
                db::users::school_contacts(conn, s).during("reading school contacts")?;
            if school.is_empty() {
                let found = db::schools::find(conn, s).during("reading the school")?;
                school.extend(found.and_then(|s| s.contact_email));
            }
            to.extend(school);
        }
        if let Some(t) = r.township_id {
            to.extend(db::users::township_contacts(conn, t).during("reading township contacts")?);
        }
        to.sort();
        to.dedup();
        for a in to {
            out.entry(a).or_default().push(r.clone());
        }
    }
    Ok(out)
}

/// The hourly check: mails today's overdue list if it is due and no instance has yet.
/// Returns how many mails were sent.
pub async fn send_if_due(state: &AppState) -> AppResult<usize> {
    let now = state.clock.now();
    let Some(day) = due_day(now) else {
        return Ok(0);
    };
    let d = day.clone();
    let claimed = with_conn(state, move |c| {
        let rows = db::complaints::overdue(c, now).during("reading overdue complaints")?;
        if rows.is_empty()
            || !db::complaints::claim_daily(c, JOB, &d, now).during("claiming the day")?
        {
            return Ok(None);
        }
        recipients(c, rows).map(Some)
    })
    .await?;
    let Some(by_recipient) = claimed else {
        return Ok(0);
    };
    match send_all(state, &by_recipient, now).await {
        Ok(n) => Ok(n),
        Err(e) => {
            with_conn(state, move |c| {
                db::complaints::release_daily(c, JOB, &day).during("releasing the day")
            })
            .await?;
            Err(e)
        }
    }
}

async fn send_all(
    state: &AppState,
    by_recipient: &BTreeMap<String, Vec<ComplaintRow>>,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let link = format!("{}/admin/complaints", state.public_base);
    let mut sent = 0;
    for (address, rows) in by_recipient {
        let Ok(to) = Email::parse(address) else {
            tracing::error!(address, "an address for the overdue mail is invalid");
            continue;
        };
        let items: Vec<String> = rows
            .iter()
            .map(|r| {
                let body: String = r.body.chars().take(80).collect();
                format!(
                    "{}：{} 收到，整改期限 {}。内容：{}",
                    r.school_name.as_deref().unwrap_or("未指明学校"),
                    to_local(r.created_at).format("%Y-%m-%d"),
                    r.due_at
                        .map(|d| to_local(d).format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                    body
                )
            })
            .collect();
        let msg = messages::overdue(&to, items, &link);
        state.mailer.send(&msg).await?;
        sent += 1;
        let detail = format!("overdue to={address} complaints={}", rows.len());
        with_conn(state, move |c| {
            db::audit::record(c, None, "email_overdue", &detail, now).during("recording the mail")
        })
        .await?;
    }
    Ok(sent)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::time::{parse_local, DayEdge};

    #[test]
    fn a_days_mail_is_due_from_eight_in_the_morning_local_time() {
        let at = |s| parse_local(s, DayEdge::Start).unwrap();
        assert_eq!(due_day(at("2026-11-18 07:59")), None);
        assert_eq!(due_day(at("2026-11-18 08:00")).unwrap(), "2026-11-18");
        assert_eq!(due_day(at("2026-11-18 23:59")).unwrap(), "2026-11-18");
    }
}
