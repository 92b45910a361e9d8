//! GET /api/openapi.json: the OpenAPI 3 document of the read-only JSON (health and the
//! analysis reports), written by hand in `docs/openapi.json` and checked against real
//! responses by `tests/api/openapi.rs`.

use actix_web::http::header;
use actix_web::HttpResponse;

const DOCUMENT: &str = include_str!("../../docs/openapi.json");

pub async fn get() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(DOCUMENT)
}
