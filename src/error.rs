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
    #[error("forbidden")]
    Forbidden,
    /// A state-changing request without the right CSRF token.
    #[error("bad or missing CSRF token")]
    Csrf,
    #[error("too many requests")]
    TooManyRequests,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Input that breaks a rule: the form comes back with these messages (422).
    #[error("invalid input: {0}")]
    Invalid(Invalid),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// Staff work that is queued and the queue is full: 503, try again shortly.
    #[error("busy: {0}")]
    Busy(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

/// What was wrong with a form, field by field; `field` is empty for the form as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invalid {
    pub fields: Vec<(String, String)>,
}

impl Invalid {
    /// One message about the whole form.
    pub fn form(message: impl Into<String>) -> Self {
        Self::field("", message)
    }

    /// One message beside one field.
    pub fn field(name: &str, message: impl Into<String>) -> Self {
        Self {
            fields: vec![(name.to_string(), message.into())],
        }
    }

    /// Every message, in order, as one sentence for a page's notice.
    pub fn summary(&self) -> String {
        self.fields
            .iter()
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())
    }
}

impl AppError {
    /// A 422 with one message about the whole form.
    pub fn invalid(message: impl Into<String>) -> Self {
        AppError::Invalid(Invalid::form(message))
    }
}

/// Names what a database call was doing, so that a failure logs more than "database query".
pub trait During<T> {
    fn during(self, what: &'static str) -> AppResult<T>;
}

impl<T> During<T> for Result<T, diesel::result::Error> {
    fn during(self, what: &'static str) -> AppResult<T> {
        self.map_err(|e| AppError::Unexpected(anyhow::Error::new(e).context(what)))
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Unexpected(anyhow::Error::new(e).context("database query"))
    }
}

impl From<crate::db::codes::GenerateError> for AppError {
    fn from(e: crate::db::codes::GenerateError) -> Self {
        match e {
            crate::db::codes::GenerateError::Database(e) => e.into(),
            full => AppError::BadRequest(full.to_string()),
        }
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
    /// A body or upload that could not be read (cut off, or not the multipart it claims): said
    /// in Chinese, the parser's own words only in the log.
    pub fn unreadable(e: impl std::fmt::Display) -> AppError {
        tracing::info!(error = %e, "unreadable request body");
        AppError::BadRequest("提交的内容没有完整收到，或格式有误，请再提交一次。".into())
    }
}

impl AppError {
    /// The heading and Chinese message shown to the visitor (never internals).
    pub fn user_message(&self) -> (&'static str, String) {
        match self {
            AppError::NotFound => (
                "页面不存在",
                "您访问的页面不存在，请检查链接是否完整。".into(),
            ),
            AppError::Forbidden => ("无权访问", "您的账户无权查看此页面。".into()),
            AppError::Csrf => (
                "页面已过期",
                "页面已过期或来源不明，请返回上一页刷新后重试。".into(),
            ),
            AppError::TooManyRequests => ("操作过于频繁", "操作过于频繁，请稍后再试。".into()),
            AppError::BadRequest(m) => ("请求有误", m.clone()),
            AppError::Invalid(i) => ("请修改后再提交", i.summary()),
            AppError::PayloadTooLarge => ("内容过长", "提交的内容过长，请精简后再试。".into()),
            AppError::Unavailable(_) => (
                "系统繁忙",
                "系统暂时繁忙，您的回答尚未提交。请稍候片刻再试。".into(),
            ),
            AppError::Busy(m) => ("系统繁忙", m.clone()),
            AppError::Unexpected(_) => (
                "系统出错",
                "系统出现意外错误，我们已记录此问题。请稍后再试。".into(),
            ),
        }
    }
}

impl AppError {
    /// Where a visitor can go from the error page: the front page always; the staff home and
    /// the sign-in page when the page was not theirs or not there.
    pub fn way_back(&self) -> &'static [(&'static str, &'static str)] {
        match self {
            AppError::NotFound | AppError::Forbidden | AppError::Csrf => &[
                ("/", "返回网站首页"),
                ("/admin", "返回工作台（工作人员）"),
                ("/login", "换一个账户登录"),
            ],
            _ => &[("/", "返回网站首页")],
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) | AppError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
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
        if matches!(self, AppError::Unavailable(_) | AppError::Busy(_)) {
            resp.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECS.to_string()));
        }
        resp.content_type("text/html; charset=utf-8")
            .body(crate::templates::plain_message_page(
                title,
                &message,
                self.way_back(),
            ))
    }
}
