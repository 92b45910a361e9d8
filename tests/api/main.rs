//! Integration tests: the real server on port 0, each test with its own
//! database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bad_input;
mod codes;
mod definitions;
mod display_logic;
mod export;
mod helpers;
mod journey;
mod pages;
mod retries;
mod roster;
mod round_state;
mod validation;
