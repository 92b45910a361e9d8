//! `/setup/{token}`: the first administrator's one-time link from the terminal.

use actix_web::{web, HttpResponse};

use crate::error::AppResult;
use crate::startup::State;
use crate::templates::plain_message_page;

pub async fn get(state: State, token: web::Path<String>) -> AppResult<HttpResponse> {
    let pool = state.pool.clone();
    let token = token.into_inner();
    let valid = web::block(move || -> AppResult<bool> {
        let mut conn = pool.get()?;
        Ok(crate::db::setup::is_valid(&mut conn, &token)?)
    })
    .await??;
    let (status, title, msg) = if valid {
        (
            actix_web::http::StatusCode::OK,
            "管理员设置链接有效",
            "此链接有效。管理员登录功能即将上线；在此之前，请在服务器上使用命令行导入学校名册（import-schools）并发布调查（publish）。",
        )
    } else {
        (
            actix_web::http::StatusCode::NOT_FOUND,
            "链接无效或已过期",
            "此设置链接无效或已过期。请重新启动服务器以获取新的链接。",
        )
    };
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(plain_message_page(title, msg)))
}
