//! POST /admin/schools/{school_id}/rounds/{round_id}/class-sessions: a teacher opens a
//! computer-room session for one class and is taken to the page to project.

use actix_web::{web, HttpResponse};

use crate::app::class_sessions::{self, OpenSession};
use crate::auth::session::CurrentUser;
use crate::error::AppResult;
use crate::routes::support::{read_form, see_other};
use crate::state::State;

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let (school_id, round_id) = path.into_inner();
    let form = read_form(body, &["grade", "class_no", "expected", "minutes"]).await?;
    let asked = OpenSession {
        grade: form.get("grade").to_string(),
        class_no: form.get("class_no").to_string(),
        expected: form.get("expected").to_string(),
        minutes: form.get("minutes").to_string(),
    };
    let code = class_sessions::open(&state, school_id, round_id, asked, user.user.id).await?;
    Ok(see_other(format!(
        "/admin/schools/{school_id}/class-sessions/{code}"
    )))
}
