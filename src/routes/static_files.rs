//! The one static asset: the optional survey script, embedded in the binary.

use actix_web::http::header;
use actix_web::HttpResponse;

use crate::templates::SURVEY_JS;

pub async fn survey_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(SURVEY_JS)
}
