//! One error type for request handlers. Typed variants are things the visitor
//! can act on and get a clear Chinese message; everything unexpected goes
//! through `Unexpected(anyhow::Error)`, is logged with its chain, and is shown
//! only as a generic message (never internals).

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Unexpected(anyhow::Error::new(e).context("database query"))
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Unavailable(format!("no database connection: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Unexpected(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

/// Seconds a client is asked to wait after a 503.
pub const RETRY_AFTER_SECS: u32 = 5;

impl AppError {
    /// The heading and Chinese message shown to the visitor (never internals).
    pub fn user_message(&self) -> (&'static str, String) {
        match self {
            AppError::NotFound => (
                "页面不存在",
                "您访问的页面不存在，请检查链接是否完整。".into(),
            ),
            AppError::BadRequest(m) => ("请求有误", m.clone()),
            AppError::PayloadTooLarge => ("内容过长", "提交的内容过长，请精简后再试。".into()),
            AppError::Unavailable(_) => (
                "系统繁忙",
                "系统暂时繁忙，您的回答尚未提交。请稍候片刻再试。".into(),
            ),
            AppError::Unexpected(_) => (
                "系统出错",
                "系统出现意外错误，我们已记录此问题。请稍后再试。".into(),
            ),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Unexpected(e) => tracing::error!(error = ?e, "unexpected error"),
            AppError::Unavailable(e) => tracing::warn!(error = %e, "service unavailable"),
            _ => {}
        }
        let (title, message) = self.user_message();
        let mut resp = HttpResponse::build(self.status_code());
        if matches!(self, AppError::Unavailable(_)) {
            resp.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECS.to_string()));
        }
        resp.content_type("text/html; charset=utf-8")
            .body(crate::templates::plain_message_page(title, &message))
    }
}
