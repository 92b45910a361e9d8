//! POST /logout: ends this session in the database, so the cookie is dead
//! everywhere even if someone kept a copy.

use actix_web::HttpResponse;

use crate::auth::session::{removal_cookie, CurrentUser};
use crate::error::AppResult;
use crate::routes::support::see_other;
use crate::state::State;

pub async fn post(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    crate::app::sign_in::sign_out(&state, user.cookie.clone(), user.user.id).await?;
    let mut resp = see_other("/login?notice=logged-out");
    resp.add_cookie(&removal_cookie(state.public_base.starts_with("https://")))
        .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    Ok(resp)
}
