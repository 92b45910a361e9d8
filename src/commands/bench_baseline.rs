//! `bench-baseline` (hidden): a bare actix-web server whose POST handler reads
//! and decodes the same form body as the real one and stores nothing. The
//! ingest benchmark runs it beside the real server to show what the framework
//! alone costs on this machine.

use std::process::ExitCode;

use actix_web::{web, App, HttpResponse, HttpServer};

use crate::domain::form_body;

async fn post(body: web::Bytes) -> HttpResponse {
    match form_body::parse(&body) {
        Ok(pairs) if pairs.iter().any(|(k, _)| k == "idem") => HttpResponse::SeeOther()
            .insert_header(("Location", "/thanks"))
            .finish(),
        _ => HttpResponse::BadRequest().finish(),
    }
}

pub fn run(port: u16) -> anyhow::Result<ExitCode> {
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(|| App::new().route("/s/{slug}", web::post().to(post)))
            .bind(("127.0.0.1", port))?
            .run()
            .await
    })?;
    Ok(ExitCode::SUCCESS)
}
