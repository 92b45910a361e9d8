//! The route table, readable top to bottom, and the headers every response gets.

mod health;
mod not_found;
mod publication;
mod setup;
mod static_files;
mod survey;

use actix_web::middleware::DefaultHeaders;
use actix_web::web;

/// Content-Security-Policy: only our own script (no inline script at all), no
/// framing, forms only to ourselves. Styles are inlined so a page renders
/// after one round trip; they cannot run code.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; \
     img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", CSP))
        .add(("X-Content-Type-Options", "nosniff"))
        // One-time codes travel in URLs: never pass them on in a Referer.
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg
        // Operations
        .route("/healthz", web::get().to(health::get))
        .route("/static/survey.js", web::get().to(static_files::survey_js))
        // Parents: the public survey link of one school in one round
        .route("/s/{slug}", web::get().to(survey::letter::get))
        .route("/s/{slug}", web::post().to(survey::submit::post))
        .route("/s/{slug}/form", web::get().to(survey::form::get))
        .route("/s/{slug}/thanks", web::get().to(survey::thanks::get))
        // Parents: a per-student one-time code from a printed letter
        .route("/c/{code}", web::get().to(survey::code::get))
        // Publication material for a school link (public, like the link itself)
        .route("/s/{slug}/qr.png", web::get().to(publication::qr::png))
        .route("/s/{slug}/qr.svg", web::get().to(publication::qr::svg))
        .route("/s/{slug}/letter", web::get().to(publication::letter::get))
        // First administrator
        .route("/setup/{token}", web::get().to(setup::get))
        .default_service(web::to(not_found::any));
}
