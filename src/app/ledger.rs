//! The bureau's monthly ledger (台账月报告) on the web: viewing a month's,
//! downloading its workbook, and sending it now to the configured
//! recipients, each download and sending recorded. (The scheduled send is
//! `email::ledger::send_if_due`, run by the server every hour.)

use actix_web::web;
use chrono::NaiveDateTime;

use super::audit;
use crate::analysis::ledger::Ledger;
use crate::db;
use crate::domain::month::Month;
use crate::email::{self, Delivery};
use crate::error::{AppError, AppResult, During};
use crate::state::AppState;

/// The month asked for, or last month (by the app's clock) when none is.
pub fn month_or_last(s: Option<&str>, now: NaiveDateTime) -> AppResult<Month> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Month::parse(s).map_err(AppError::BadRequest),
        None => Ok(Month::containing(now).previous()),
    }
}

async fn build(state: &AppState, month: Month) -> AppResult<(Ledger, Vec<u8>)> {
    let pool = state.pool.clone();
    let low = state.settings.analysis.low_rate_percent;
    Ok(web::block(move || email::ledger::build(&pool, month, low)).await??)
}

/// When the month's ledger was sent (by hand or on schedule), if it was.
async fn sent_at(state: &AppState, month: Month) -> AppResult<Option<NaiveDateTime>> {
    super::with_conn(state, move |c| {
        db::ledger::sent_at(c, month).during("reading when the ledger was sent")
    })
    .await
}

/// The month's ledger and when it was sent.
pub async fn view(state: &AppState, month: Month) -> AppResult<(Ledger, Option<NaiveDateTime>)> {
    let (ledger, _) = build(state, month).await?;
    Ok((ledger, sent_at(state, month).await?))
}

/// The month's workbook, its download recorded.
pub async fn workbook(state: &AppState, month: Month, by: i64) -> AppResult<Vec<u8>> {
    let (_, bytes) = build(state, month).await?;
    audit::record(state, Some(by), "ledger_export", format!("month={month}")).await?;
    Ok(bytes)
}

/// Sends the month's ledger now to every configured recipient; returns the
/// ledger, when it was sent, and the notice for the page.
/// What the ledger page says while no address is set to receive the monthly ledger.
pub const NO_RECIPIENTS: &str =
    "尚未设置接收台账月报告的邮箱。请系统管理员在服务器设置的“邮件”部分填写接收邮箱（可填多个）。";

pub async fn send_now(
    state: &AppState,
    month: Month,
    by: i64,
) -> AppResult<(Ledger, Option<NaiveDateTime>, String)> {
    let to = state.ledger_recipients.clone();
    let (ledger, bytes) = build(state, month).await?;
    let notice = if to.is_empty() {
        format!("{NO_RECIPIENTS}本次未发送。")
    } else {
        let deliveries = email::ledger::send_built(&state.mailer, &to, &ledger, bytes).await?;
        let detail = format!("ledger month={month} to={}", to.len());
        audit::record(state, Some(by), "email_ledger", detail).await?;
        let outbox = deliveries.iter().any(|d| matches!(d, Delivery::Outbox(_)));
        format!(
            "{}的台账月报告已发送给 {} 个邮箱{}。",
            month.label(),
            to.len(),
            if outbox {
                "（尚未设置发信服务器，邮件已先保存在服务器上，设置后可补发）"
            } else {
                ""
            }
        )
    };
    let sent = sent_at(state, month).await?;
    Ok((ledger, sent, notice))
}
