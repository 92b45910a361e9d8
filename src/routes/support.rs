//! Small helpers every handler uses: read a body or a url-encoded form,
//! render a staff page, redirect, and tell where a request came from.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;

use crate::domain::form_body;
use crate::error::{AppError, AppResult};
use crate::state::State;
use crate::views::admin::Page;

/// The fields of a url-encoded form. No staff form repeats a field, so a
/// repeated one is refused (`read_form`): a smuggled second `role` must not
/// depend on which copy a handler happens to read.
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// Refuses a form carrying any field but `allowed` (and the CSRF token):
    /// nothing a handler does not expect, such as `school_id` or `role`, is
    /// ever quietly ignored or assigned.
    fn only(&self, allowed: &[&str]) -> AppResult<()> {
        match self
            .0
            .iter()
            .find(|(k, _)| k != "csrf" && !allowed.contains(&k.as_str()))
        {
            Some((k, _)) => Err(AppError::BadRequest(format!(
                "提交的内容包含无法识别的字段：{}",
                k.chars().take(40).collect::<String>()
            ))),
            None => Ok(()),
        }
    }

    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Largest staff form (a complaint reply is the longest text).
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The whole body (of a request, or of one uploaded file), refused (413) past `max` bytes
/// without reading the rest.
pub async fn read_body<S, E>(mut payload: S, max: usize) -> AppResult<Vec<u8>>
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(AppError::unreadable)?;
        if body.len() + chunk.len() > max {
            return Err(AppError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads a url-encoded form that may carry only `allowed` (and the CSRF token): a field a
/// handler does not expect, or one sent twice, is refused before the handler sees the form.
pub async fn read_form(payload: web::Payload, allowed: &[&str]) -> AppResult<Fields> {
    let body = read_body(payload, MAX_FORM_BYTES).await?;
    let pairs = form_body::parse(&body).map_err(|e| AppError::BadRequest(e.message()))?;
    for (i, (k, _)) in pairs.iter().enumerate() {
        if pairs[..i].iter().any(|(seen, _)| seen == k) {
            let k: String = k.chars().take(40).collect();
            return Err(AppError::BadRequest(format!("提交的内容中字段重复：{k}")));
        }
    }
    let fields = Fields(pairs);
    fields.only(allowed)?;
    Ok(fields)
}

/// The largest form of the survey editor (a survey with its letter, url-encoded).
const MAX_EDITOR_FORM_BYTES: usize = 1024 * 1024;

/// Reads the survey editor's url-encoded form, whose question fields are numbered: `known`
/// decides each name and `repeated` which ones may come more than once (a group of check
/// boxes); anything else is refused, as in `read_form`.
pub async fn read_form_matching(
    payload: web::Payload,
    known: impl Fn(&str) -> bool,
    repeated: impl Fn(&str) -> bool,
) -> AppResult<Fields> {
    let body = read_body(payload, MAX_EDITOR_FORM_BYTES).await?;
    let pairs = form_body::parse(&body).map_err(|e| AppError::BadRequest(e.message()))?;
    for (i, (k, _)) in pairs.iter().enumerate() {
        let unknown = k != "csrf" && !known(k);
        let twice = !repeated(k) && pairs[..i].iter().any(|(seen, _)| seen == k);
        if unknown || twice {
            let k: String = k.chars().take(40).collect();
            return Err(AppError::BadRequest(format!(
                "提交的内容包含无法识别或重复的字段：{k}"
            )));
        }
    }
    Ok(Fields(pairs))
}

pub fn render(state: &State, page: &Page, status: StatusCode) -> AppResult<HttpResponse> {
    let body = state.templates.render("admin", page)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

pub fn see_other(location: impl Into<String>) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.into()))
        .finish()
}

/// A `next` parameter is followed only to a path on this site.
pub use crate::domain::next_path::safe_next;

/// The address a request counts as for per-address limits.
pub use crate::auth::client_addr::peer_addr;

/// `Content-Disposition: attachment` with the Chinese file name (RFC 5987) and an ASCII one
/// for older clients.
pub fn attachment(ascii_name: String, name: String) -> header::ContentDisposition {
    use header::{Charset, DispositionParam, DispositionType, ExtendedValue};
    header::ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii_name),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: name.into_bytes(),
            }),
        ],
    }
}
