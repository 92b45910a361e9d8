//! Checked domain types. Nothing here knows about HTTP or SQL.

/// Strict form-body decoding.
pub mod form_body;
/// Schools: codes, levels, urban-rural classification, the roster import.
pub mod school;
/// Survey definitions, the course taxonomy, answers and their validation.
pub mod survey;
/// China Standard Time conversions for display and input.
pub mod time;
/// Random tokens: one-time codes, slugs, idempotency keys.
pub mod token;
