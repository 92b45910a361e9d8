//! The static assets: the optional survey, staff and survey-editor scripts and the paper-slip entry
//! screen's key handling, embedded in the binary.

use actix_web::http::header;
use actix_web::HttpResponse;

use crate::templates::{EDITOR_JS, PAPER_JS, STAFF_JS, SURVEY_JS};

fn script(body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(body)
}

pub async fn survey_js() -> HttpResponse {
    script(SURVEY_JS)
}

pub async fn paper_js() -> HttpResponse {
    script(PAPER_JS)
}

pub async fn staff_js() -> HttpResponse {
    script(STAFF_JS)
}

pub async fn editor_js() -> HttpResponse {
    script(EDITOR_JS)
}
