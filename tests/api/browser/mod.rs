//! Browser tests: the parent's pages in headless Chromium dressed as WeChat on
//! an Android phone (see `driver`). They run when `TEST_CHROMEDRIVER` names a
//! chromedriver (and `npm ci --prefix tests/browser` has installed axe-core
//! and acorn); otherwise each prints that it skipped. Screenshots and PDFs go
//! to `target/tmp/browser/<test>/`.

/// The public page of typical cases: on a phone, axe-clean.
mod cases;
/// Computer-room mode: a class session, three students on one browser profile.
mod computer_room;
/// chromedriver, the phone session, taps, keys, screenshots, axe-core.
mod driver;
/// The front page on a phone.
mod front;
/// The journey with JS off and on, every question type, keyboard only.
mod journey;
/// Throttled first page, draft after closing the tab, offline and lost answers.
mod network;
/// A paper reply slip typed in by keys only, keystrokes counted.
mod paper;
/// Zoom, text size, tap targets, Chrome 80 / iOS 13 feature check.
mod phone;
/// A4 letters printed to PDF, one per page, QR decoded and measured.
mod print;
/// The school report: signed in, axe-clean, printed to A4.
mod report;
/// Every staff page for each role at 390 and 1,280 px: no sideways scroll, axe-clean.
mod staff;
/// The survey editor with its script: add, drag to reorder, live preview.
mod survey_editor;
/// A questionnaire imported from 问卷星 on a phone: the problems and the file readable, axe-clean.
mod survey_import;
/// The XSS corpus in every page and e-mail that shows it.
mod xss;
