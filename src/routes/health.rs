//! `/healthz` for load balancers: 200 when the database answers, 503 if not. It also
//! reports requests forwarded by a proxy that `trusted_proxies` does not list
//! (`untrusted_proxy`), since behind one every per-address limit counts everyone as one.

use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;

use crate::error::{AppError, AppResult};
use crate::startup::State;

pub async fn get(state: State) -> AppResult<HttpResponse> {
    let pool = state.pool.clone();
    let ok = web::block(move || -> AppResult<()> {
        let mut conn = pool.get()?;
        conn.batch_execute("SELECT 1")
            .map_err(|e| AppError::Unavailable(e.to_string()))
    })
    .await?;
    match ok {
        Ok(()) => Ok(HttpResponse::Ok().json(serde_json::json!({
            "status": "ok",
            "database": "ok",
            "untrusted_proxy": state.forwarded_watch.report(),
        }))),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            Ok(HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({"status": "error", "database": "unreachable"})))
        }
    }
}
