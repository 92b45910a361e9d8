//! The survey editor's pages: the list of surveys, a web survey's editor, its preview,
//! history, export and import. The bureau writes; township officers may look.

pub mod edit;
pub mod export;
pub mod history;
pub mod import;
pub mod list;
pub mod preview;

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;

use crate::app::survey_editor::Editing;
use crate::auth::session::CurrentUser;
use crate::domain::account::Role;
use crate::error::AppResult;
use crate::state::State;
use crate::views::admin::Page;
use crate::views::survey_editor::editor_page;

/// The site's policy, and for the editor page also its preview frame and the script's
/// draft updates (both to this site only).
static EDITOR_CSP: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{}; frame-src 'self'; connect-src 'self'",
        crate::routes::CSP
    )
});

/// Renders a web survey's editor page (read-only for anyone but the bureau).
pub fn render_editor(
    state: &State,
    user: &CurrentUser,
    e: &Editing,
    notice: Option<String>,
    import_errors: Vec<String>,
    preview_pages: usize,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let mut page = Page::for_user(user, format!("编辑问卷：{}", e.edit.title.trim()));
    page.notice = notice;
    if status == StatusCode::UNPROCESSABLE_ENTITY {
        page.error = Some(format!(
            "问卷有 {} 处问题，没有保存新版本；草稿已保留，请按提示改正。",
            e.problems.count()
        ));
    }
    let view = editor_page(
        page,
        e,
        user.user.role() != Role::Bureau,
        import_errors,
        preview_pages,
        state.catalog.taxonomy(),
    );
    let body = state.templates.render("survey_editor", &view)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_SECURITY_POLICY, EDITOR_CSP.as_str()))
        .body(body))
}
