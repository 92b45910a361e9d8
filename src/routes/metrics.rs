//! GET /metrics in Prometheus' text format (404 unless `[metrics]` admits the caller), and
//! the middleware that times every request by its route pattern.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse};

use crate::app::metrics::{scrape, Scraper};
use crate::error::AppResult;
use crate::state::State;

pub async fn get(state: State, req: HttpRequest) -> AppResult<HttpResponse> {
    let headers = req.headers();
    let forwarded = ["x-forwarded-for", "forwarded", "x-real-ip"]
        .iter()
        .any(|h| headers.contains_key(*h));
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let who = Scraper {
        addr: req.peer_addr().map(|a| a.ip()),
        forwarded,
        bearer,
    };
    let text = scrape(&state, &who).await?;
    Ok(HttpResponse::Ok()
        .content_type(crate::metrics::CONTENT_TYPE)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(text))
}

/// Counts and times each request under its matched route pattern (`/s/{slug}`), never its
/// path, which would make a series per school link and carry one-time codes and tokens into
/// the metrics. The time is until the response head is ready; a streamed body is not waited for.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    // Only the methods the table uses get their own label: any other string a client sends
    // would otherwise become a new series.
    let method = match *req.method() {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        _ => "other",
    };
    let res = next.call(req).await;
    let (route, status) = match &res {
        Ok(r) => (
            actix_web::HttpMessage::extensions(r.request())
                .get::<RoutePattern>()
                .map(|p| p.0),
            r.status(),
        ),
        Err(e) => (None, e.as_response_error().status_code()),
    };
    crate::metrics::global().request(
        method,
        route.unwrap_or("unmatched"),
        status.as_u16(),
        started.elapsed(),
    );
    res
}

/// The route table's pattern of the route a request matched (`/s/{slug}`), set by the route
/// table's own wrapper: reading it costs nothing, where asking actix to match the path
/// against every route again would cost each request.
#[derive(Debug, Clone, Copy)]
pub struct RoutePattern(pub &'static str);
