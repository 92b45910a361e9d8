//! The fallback for unknown paths: a Chinese 404 page.

use actix_web::HttpResponse;

use crate::error::AppError;

pub async fn any() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
