//! Integration tests: the real server on port 0, each test with its own
//! database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod journey;
