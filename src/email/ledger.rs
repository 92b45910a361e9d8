//! Sending the monthly ledger (台账月报告): on demand (the bureau's page, the `ledger
//! --send` command) and on schedule, on the first working day of each month for the month
//! before. The schedule holds across several instances: a month's ledger is sent by whichever
//! instance first records it in `ledger_sends`, and a failed send is un-recorded so that the
//! next hourly check tries again.

use anyhow::Context;
use chrono::{Duration, NaiveDateTime};

use super::{messages, Attachment, Delivery, Mailer};
use crate::analysis::ledger::{self, Ledger};
use crate::db::{self, DbPool};
use crate::domain::account::Email;
use crate::domain::month::Month;
use crate::domain::time::to_local;

/// The ledger's workbook file name.
pub fn file_name(month: Month) -> String {
    format!("台账月报告-{month}.xlsx")
}

/// Builds `month`'s ledger and its workbook, schools below `low_rate_percent` counted as low
/// (database and XLSX work; call it off the async workers).
pub fn build(
    pool: &DbPool,
    month: Month,
    low_rate_percent: f64,
) -> anyhow::Result<(Ledger, Vec<u8>)> {
    let mut conn = pool.get()?;
    let data = db::ledger::load(&mut conn, month)?;
    let l = ledger::build(&data, low_rate_percent);
    let bytes = ledger::xlsx(&l)?;
    Ok((l, bytes))
}

/// The configured recipients, each checked.
pub fn recipients(list: &[String]) -> anyhow::Result<Vec<Email>> {
    list.iter()
        .map(|a| Email::parse(a).map_err(|e| anyhow::anyhow!("ledger_recipients: “{a}”：{e}")))
        .collect()
}

/// Sends `month`'s ledger to each of `to`; returns where each copy went.
pub async fn send(
    pool: &DbPool,
    mailer: &Mailer,
    to: &[Email],
    month: Month,
    low_rate_percent: f64,
) -> anyhow::Result<Vec<Delivery>> {
    let pool = pool.clone();
    let (l, bytes) = actix_web::web::block(move || build(&pool, month, low_rate_percent))
        .await
        .map_err(|e| anyhow::anyhow!("ledger builder: {e}"))??;
    send_built(mailer, to, &l, bytes).await
}

/// Sends a ledger already built (with its workbook) to each of `to`.
pub async fn send_built(
    mailer: &Mailer,
    to: &[Email],
    l: &Ledger,
    bytes: Vec<u8>,
) -> anyhow::Result<Vec<Delivery>> {
    let month = l.month;
    let summary: Vec<String> = l
        .rounds
        .iter()
        .map(|r| {
            format!(
                "第 {} 轮“{}”：{} 所学校，月底回收 {} 份，回收率 {}。",
                r.id,
                r.name,
                r.schools,
                r.responses,
                r.rate
                    .map_or_else(|| "—".into(), |x| format!("{:.1}%", x * 100.0))
            )
        })
        .chain(std::iter::once(format!(
            "城区学校 {} 所：“2+3”及以上 {} 所，开设科学教育 {} 所（目标各 ≥ {:.0}%）。",
            l.city.urban_schools,
            l.city.two_plus_three,
            l.city.science,
            l.city.target * 100.0
        )))
        .collect();
    let mut out = Vec::new();
    for addr in to {
        let msg = messages::ledger(
            addr,
            &month.label(),
            summary.clone(),
            Attachment {
                filename: file_name(month),
                content_type: crate::analysis::export::OutputFormat::Xlsx.content_type(),
                bytes: bytes.clone(),
            },
        );
        out.push(
            mailer
                .send(&msg)
                .await
                .with_context(|| format!("sending the ledger to {}", addr.as_str()))?,
        );
    }
    Ok(out)
}

/// The month whose ledger is due at `now` (UTC): last month's, during the week from this
/// month's first working day (so a server that was down that day still sends it).
pub fn due(now: NaiveDateTime) -> Option<Month> {
    let today = to_local(now).date();
    let this = Month::containing(now);
    let first = this.first_working_day();
    (today >= first && today < first + Duration::days(7)).then(|| this.previous())
}

/// The hourly check: sends last month's ledger if it is due and no instance sent it yet.
/// Returns the month sent.
pub async fn send_if_due(
    pool: &DbPool,
    mailer: &Mailer,
    to: &[Email],
    now: NaiveDateTime,
    low_rate_percent: f64,
) -> anyhow::Result<Option<Month>> {
    let Some(month) = due(now) else {
        return Ok(None);
    };
    if to.is_empty() {
        return Ok(None);
    }
    let (p, n) = (pool.clone(), to.len());
    let claimed = actix_web::web::block(move || -> anyhow::Result<bool> {
        let mut c = p.get()?;
        Ok(db::ledger::claim_send(&mut c, month, n, now)?)
    })
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))??;
    if !claimed {
        return Ok(None);
    }
    if let Err(e) = send(pool, mailer, to, month, low_rate_percent).await {
        let p = pool.clone();
        let _ = actix_web::web::block(move || -> anyhow::Result<usize> {
            let mut c = p.get()?;
            Ok(db::ledger::release_send(&mut c, month)?)
        })
        .await;
        return Err(e);
    }
    Ok(Some(month))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(local: &str) -> NaiveDateTime {
        crate::domain::time::parse_local(local, crate::domain::time::DayEdge::Start).unwrap()
    }

    #[test]
    fn last_months_ledger_is_due_in_the_week_from_the_first_working_day() {
        // 2026-11-01 is a Sunday: the first working day is Monday the 2nd.
        assert_eq!(due(at("2026-11-01 09:00")), None);
        assert_eq!(due(at("2026-11-02 00:00")).unwrap().to_string(), "2026-10");
        assert_eq!(due(at("2026-11-08 23:00")).unwrap().to_string(), "2026-10");
        assert_eq!(due(at("2026-11-09 00:00")), None);
        // January's covers December of the year before.
        assert_eq!(due(at("2027-01-01 08:00")).unwrap().to_string(), "2026-12");
    }
}
