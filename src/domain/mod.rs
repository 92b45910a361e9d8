//! Checked domain types. Nothing here knows about HTTP or SQL.

/// Staff accounts: roles, e-mail addresses, password rules.
pub mod account;
/// The audit log's action codes and details in plain Chinese.
pub mod audit_text;
/// Class lists for per-student codes.
pub mod class_session;
pub mod classes;
/// Complaints from receipt to rectification: statuses, steps, deadlines.
pub mod complaint;
/// Strict form-body decoding.
pub mod form_body;
/// Calendar months of the monthly ledger, and its first working day.
pub mod month;
/// Where sign-in may send a user afterwards: a path on this site only.
pub mod next_path;
/// Personal information in free text: found, and masked in exports.
pub mod pii;
/// School plans (一校一案): checked types and the XLSX import.
pub mod plan;
/// The plan as typed on the web page, checked by the import's rules.
pub mod plan_form;
/// Schools: codes, levels, urban-rural classification, the roster import.
pub mod school;
/// Paper reply slips: the printed serial and the QR code's text.
pub mod slip;
/// Where each element of a printed reply slip sits, for the printer and the scanner.
pub mod slip_layout;
/// A school's own questions after the city's core survey (本校补充题).
pub mod supplement;
/// Survey definitions, the course taxonomy, answers and their validation.
pub mod survey;
/// The web survey editor: a survey as form fields, written as TOML with each line traced.
pub mod survey_editor;
/// What one response adds to the running answer counters the analysis reads.
pub mod tally;
/// China Standard Time conversions for display and input.
pub mod time;
/// Random tokens: one-time codes, slugs, idempotency keys.
pub mod token;
/// Files attached to typical cases: kind by content, image metadata stripped.
pub mod upload;
