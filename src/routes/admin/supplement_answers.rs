//! GET /admin/schools/{school_id}/rounds/{round_id}/supplement/answers: the school's answers to
//! its own supplement questions as a CSV file, so that 填空 answers can be read too (the report
//! counts only choices and numbers). Personal information in the text is masked.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::app::supplements;
use crate::auth::session::CurrentUser;
use crate::error::AppResult;
use crate::routes::support::attachment;
use crate::state::State;

pub async fn get(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let csv = supplements::answers_csv(&state, school_id, round_id, user.user.id).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(attachment(
            format!("supplement-{round_id}-{school_id}.csv"),
            format!("本校补充题回答-第{round_id}轮.csv"),
        ))
        .body(csv))
}
