//! Integration tests: the real server on port 0, each test with its own
//! database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod admin_pages;
mod analysis;
mod analysis_pages;
mod backup;
mod bad_input;
/// Chromium end-to-end tests (run when TEST_CHROMEDRIVER is set).
mod browser;
mod codes;
mod codes_required;
mod crash;
mod definitions;
mod display_logic;
mod email;
mod export;
mod faults;
mod formulas;
mod helpers;
mod hostile_memory;
mod indexes;
mod instances;
mod journey;
mod layering;
mod ledger;
mod mass_assignment;
mod migrations;
mod nat;
mod overdue;
mod pages;
mod personal_info;
mod pg_types;
mod plans;
mod process;
mod rates;
mod rectification;
mod rectification_ledger;
mod retention;
mod retries;
mod roster;
mod round_state;
mod security;
mod sessions;
mod staff_helpers;
mod validation;
