//! View models: the plain, serialisable data each template renders.

pub mod admin;
pub mod cases;
pub mod paper_entry;
pub mod plan_page;
pub mod survey_editor;
pub mod survey_form;
