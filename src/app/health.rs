//! Whether this instance can reach its database, for `/healthz`.

use actix_web::web;
use diesel::connection::SimpleConnection;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

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
