//! GET /admin: each role's starting page.

use actix_web::HttpResponse;

use crate::auth::session::CurrentUser;
use crate::domain::account::Role;
use crate::error::AppResult;
use crate::routes::support::see_other;

pub async fn get(user: CurrentUser) -> AppResult<HttpResponse> {
    let u = &user.user;
    Ok(match (u.role(), u.school_id) {
        (Role::School, Some(s)) => see_other(format!("/admin/schools/{s}")),
        _ => see_other("/admin/coverage"),
    })
}
