//! The static assets: the optional survey and staff scripts, embedded in the binary.

use actix_web::http::header;
use actix_web::HttpResponse;

use crate::templates::{STAFF_JS, SURVEY_JS};

pub async fn survey_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(SURVEY_JS)
}

pub async fn staff_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(STAFF_JS)
}
