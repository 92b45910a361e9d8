//! kehou-survey: after-school service needs surveys for schools (课后服务需求调查).

/// Demand analysis: counters → shares, weights, breakdowns, exports (polars).
pub mod analysis;
/// Use cases, called by routes and CLI commands alike.
pub mod app;
/// Staff sign-in, sessions and the access guard.
pub mod auth;
/// Survey definitions on disk and in the database, parsed once per version.
pub mod catalog;
/// Command-line interface: the `serve` command and the admin tools.
pub mod cli;
/// What time it is: the system clock, or a fixed one in tests.
pub mod clock;
/// One file per CLI subcommand.
pub mod commands;
/// Typed settings from file, environment and flags.
pub mod config;
/// Storage on SQLite or PostgreSQL.
pub mod db;
/// Checked domain types: survey definitions, answers, schools, tokens.
pub mod domain;
/// Outgoing e-mail: SMTP, or a local outbox when none is configured.
pub mod email;
/// The error type every handler returns.
pub mod error;
/// Counters and histograms for `/metrics`, in Prometheus' text format.
pub mod metrics;
/// Property tests across the parsers, validators and exporters (tests only).
#[cfg(test)]
mod proptests;
/// Printable letters, QR codes and exports built from stored data.
pub mod publish;
/// HTTP handlers and the route table.
pub mod routes;
/// Reading returned paper slips from scans and photos (OMR).
pub mod scan;
/// `Application::build`: database, writer, HTTP server.
pub mod startup;
/// The shared app state every handler receives.
pub mod state;
/// Handlebars templates embedded in the binary.
pub mod templates;
/// View models: the data each template renders.
pub mod views;
