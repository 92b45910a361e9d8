//! Whether this instance can reach its database, for `/healthz`.

use actix_web::web;
use diesel::connection::SimpleConnection;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// What `/healthz` answers.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: Status,
    pub database: Reach,
    /// Requests forwarded by a proxy not in `trusted_proxies`; null while there were none.
    pub untrusted_proxy: Option<UntrustedProxy>,
}

#[derive(Debug, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Error,
}

/// Whether the database answered.
#[derive(Debug, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    Ok,
    Unreachable,
}

/// Requests that came with `X-Forwarded-For` from an address `trusted_proxies` does not list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct UntrustedProxy {
    /// The first such address.
    pub address: String,
    /// How many such requests came.
    pub requests: u64,
    /// What to do about it, in Chinese.
    pub warning: String,
}

/// `Ok` when the database answers a query now.
pub async fn database(state: &AppState) -> AppResult<()> {
    let pool = state.pool.clone();
    web::block(move || -> AppResult<()> {
        let mut conn = pool.get()?;
        conn.batch_execute("SELECT 1")
            .map_err(|e| AppError::Unavailable(e.to_string()))
    })
    .await?
}
