//! The CSRF token of a multipart upload (the roster), read from the body's first part so that
//! it never has to travel in the URL. The page's form puts the hidden `csrf` field first, and
//! browsers send parts in form order; only that first part is buffered here, the file after it
//! streams on to the handler untouched.

use actix_web::dev::{Payload, ServiceRequest};
use actix_web::web::{Bytes, BytesMut};
use actix_web::HttpMessage;
use futures_util::StreamExt;

use crate::error::AppError;

/// Most bytes read looking for the token: its part's headers and its 32 characters fit in far
/// fewer, and a body that does not start with it is refused.
const MAX_FIRST_PART: usize = 4096;

/// The boundary of a `multipart/form-data` content type, or `None` for any other type.
pub fn boundary(content_type: &str) -> Option<String> {
    let mut params = content_type.split(';');
    let kind = params.next()?.trim();
    if !kind.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .filter(|b| !b.is_empty() && b.len() <= 70)
}

/// What the buffered start of a body says about its first part.
#[derive(Debug, PartialEq, Eq)]
pub enum FirstPart {
    /// The first part is the `csrf` field, with this value.
    Token(String),
    /// The first part is something else, or the body is not multipart at all.
    Other,
    /// Not enough read yet to tell.
    NeedMore,
}

/// Reads the first part of a multipart body from its start `buf`.
pub fn first_part(buf: &[u8], boundary: &str) -> FirstPart {
    let opening = format!("--{boundary}\r\n");
    if buf.len() < opening.len() {
        return if opening.as_bytes().starts_with(buf) {
            FirstPart::NeedMore
        } else {
            FirstPart::Other
        };
    }
    if !buf.starts_with(opening.as_bytes()) {
        return FirstPart::Other;
    }
    let rest = &buf[opening.len()..];
    let Some(head_end) = find(rest, b"\r\n\r\n") else {
        return FirstPart::NeedMore;
    };
    let Ok(head) = std::str::from_utf8(&rest[..head_end]) else {
        return FirstPart::Other;
    };
    let is_csrf = head.lines().any(|line| {
        let line = line.to_ascii_lowercase();
        line.starts_with("content-disposition:")
            && line.contains("form-data")
            && line.split(';').any(|p| p.trim() == "name=\"csrf\"")
            && !line.contains("filename")
    });
    if !is_csrf {
        return FirstPart::Other;
    }
    let body = &rest[head_end + 4..];
    let closing = format!("\r\n--{boundary}");
    match find(body, closing.as_bytes()) {
        Some(end) => match std::str::from_utf8(&body[..end]) {
            Ok(v) => FirstPart::Token(v.to_string()),
            Err(_) => FirstPart::Other,
        },
        None => FirstPart::NeedMore,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Whether the multipart body of `req` starts with a `csrf` field that `matches`. The bytes
/// read are put back in front of the rest of the body for the handler.
pub async fn check(
    req: &mut ServiceRequest,
    boundary: &str,
    matches: impl Fn(&str) -> bool,
) -> Result<bool, AppError> {
    let mut payload = req.take_payload();
    let mut read = BytesMut::new();
    let token = loop {
        match first_part(&read, boundary) {
            FirstPart::Token(t) => break Some(t),
            FirstPart::Other => break None,
            FirstPart::NeedMore if read.len() > MAX_FIRST_PART => break None,
            FirstPart::NeedMore => match payload.next().await {
                Some(Ok(chunk)) => read.extend_from_slice(&chunk),
                Some(Err(e)) => {
                    return Err(AppError::unreadable(e));
                }
                None => break None,
            },
        }
    };
    if !token.is_some_and(|t| matches(&t)) {
        return Ok(false);
    }
    let read: Bytes = read.freeze();
    let body = futures_util::stream::once(async move { Ok(read) }).chain(payload);
    req.set_payload(Payload::Stream {
        payload: Box::pin(body),
    });
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: &str = "XyZ";

    #[test]
    fn reads_the_token_of_the_first_part_only() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nTOKEN\r\n--XyZ\r\nContent-Disposition: form-data; name=\"roster\"; filename=\"a.csv\"\r\n\r\n...";
        assert_eq!(first_part(body, B), FirstPart::Token("TOKEN".into()));
        for cut in 0..body.len().min(70) {
            assert_ne!(
                first_part(&body[..cut], B),
                FirstPart::Other,
                "cut at {cut}"
            );
        }
        let file_first = b"--XyZ\r\nContent-Disposition: form-data; name=\"roster\"; filename=\"a.csv\"\r\n\r\ncsrf\r\n--XyZ\r\n";
        assert_eq!(first_part(file_first, B), FirstPart::Other);
        let named_like =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf2\"\r\n\r\nT\r\n--XyZ";
        assert_eq!(first_part(named_like, B), FirstPart::Other);
        assert_eq!(first_part(b"csrf=T", B), FirstPart::Other);
    }

    #[test]
    fn finds_the_boundary() {
        assert_eq!(
            boundary("multipart/form-data; boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(
            boundary("Multipart/Form-Data;boundary=x").as_deref(),
            Some("x")
        );
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        assert_eq!(boundary("multipart/form-data"), None);
    }
}
