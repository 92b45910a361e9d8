//! POST /admin/schools/{school_id}/rounds/{round_id}/slips: numbers and shows paper reply slips
//! (回执) ready to print, one per unused per-student code or as many blank ones as asked. A POST,
//! because every print takes new serials.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::slips::{print_as, Wanted, MAX_SLIPS};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::publish::slips::render;
use crate::routes::support::read_form;
use crate::routes::survey::html;
use crate::state::State;

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let form = read_form(body, &["count", "page"]).await?;
    let number = |name: &str, default: usize| -> AppResult<usize> {
        let raw = form.get(name).trim();
        if raw.is_empty() {
            return Ok(default);
        }
        raw.parse()
            .map_err(|_| AppError::BadRequest(format!("打印份数应为 1–{MAX_SLIPS} 的整数。")))
    };
    let wanted = Wanted {
        count: number("count", 0)?,
        page: u32::try_from(number("page", 1)?).unwrap_or(1),
    };
    let printed = print_as(&state, round_id, school_id, wanted, user.user.id).await?;
    Ok(html(StatusCode::OK, render(&state.templates, &printed)?))
}
