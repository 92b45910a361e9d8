//! `/healthz` for load balancers: 200 when the database answers, 503 if not. It also
//! reports requests forwarded by a proxy that `trusted_proxies` does not list
//! (`untrusted_proxy`), since behind one every per-address limit counts everyone as one.

use actix_web::HttpResponse;

use crate::error::AppResult;
use crate::state::State;

pub async fn get(state: State) -> AppResult<HttpResponse> {
    match crate::app::health::database(&state).await {
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
