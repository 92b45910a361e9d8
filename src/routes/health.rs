//! `/healthz` for load balancers: 200 when the database answers, 503 if not. It also
//! reports requests forwarded by a proxy that `trusted_proxies` does not list
//! (`untrusted_proxy`), since behind one every per-address limit counts everyone as one.

use actix_web::HttpResponse;

use crate::app::health::{Health, Reach, Status};
use crate::error::AppResult;
use crate::state::State;

/// Whether this instance reaches its database.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses(
        (status = 200, description = "The database answers.", body = Health),
        (status = 503, description = "The database does not answer.", body = Health),
    )
)]
pub async fn get(state: State) -> AppResult<HttpResponse> {
    match crate::app::health::database(&state).await {
        Ok(()) => Ok(HttpResponse::Ok().json(Health {
            status: Status::Ok,
            database: Reach::Ok,
            untrusted_proxy: state.forwarded_watch.report(),
        })),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            Ok(HttpResponse::ServiceUnavailable().json(Health {
                status: Status::Error,
                database: Reach::Unreachable,
                untrusted_proxy: None,
            }))
        }
    }
}
