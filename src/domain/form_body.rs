//! Strict `application/x-www-form-urlencoded` decoding. Unlike lossy decoders
//! it refuses invalid UTF-8 instead of silently turning it into U+FFFD, so a
//! garbled answer is never stored as if the parent had typed it.

/// Why a body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("the form body is not valid UTF-8")]
    InvalidUtf8,
    #[error("the form body has more than {0} fields")]
    TooManyFields(usize),
}

impl BodyError {
    pub fn message(&self) -> String {
        match self {
            BodyError::InvalidUtf8 => "提交的内容不是有效的 UTF-8 文本，请重新填写后提交。".into(),
            BodyError::TooManyFields(n) => format!("提交的字段过多（超过 {n} 个）。"),
        }
    }
}

/// Most fields a survey form can honestly have (every option of every question).
pub const MAX_FIELDS: usize = 1000;

pub fn parse(body: &[u8]) -> Result<Vec<(String, String)>, BodyError> {
    let mut out = Vec::new();
    for part in body.split(|b| *b == b'&') {
        if part.is_empty() {
            continue;
        }
        if out.len() == MAX_FIELDS {
            return Err(BodyError::TooManyFields(MAX_FIELDS));
        }
        let (k, v) = match part.iter().position(|b| *b == b'=') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => (part, &[][..]),
        };
        out.push((decode(k)?, decode(v)?));
    }
    Ok(out)
}

fn decode(raw: &[u8]) -> Result<String, BodyError> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => bytes.push(b' '),
            b'%' if i + 2 < raw.len() => match (hex(raw[i + 1]), hex(raw[i + 2])) {
                (Some(h), Some(l)) => {
                    bytes.push(h << 4 | l);
                    i += 2;
                }
                _ => bytes.push(b'%'),
            },
            b => bytes.push(b),
        }
        i += 1;
    }
    String::from_utf8(bytes).map_err(|_| BodyError::InvalidUtf8)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-encodes `s` for a query value or a `next` path (letters, digits, `-_./` kept).
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs_and_chinese() {
        let body = "q.need=yes&q.s=%E4%BD%A0%E5%A5%BD+a&q.m=1&q.m=2&flag";
        let pairs = parse(body.as_bytes()).unwrap();
        assert_eq!(pairs[1], ("q.s".into(), "你好 a".into()));
        assert_eq!(pairs[3].1, "2");
        assert_eq!(pairs[4], ("flag".into(), String::new()));
    }

    #[test]
    fn refuses_invalid_utf8_raw_and_encoded() {
        assert_eq!(parse(b"q.a=%FF%FE"), Err(BodyError::InvalidUtf8));
        assert_eq!(parse(b"q.a=\xff"), Err(BodyError::InvalidUtf8));
    }

    #[test]
    fn stray_percent_is_kept_literally() {
        assert_eq!(parse(b"a=100%").unwrap()[0].1, "100%");
        assert_eq!(parse(b"a=%4").unwrap()[0].1, "%4");
        assert_eq!(parse(b"a=%zz").unwrap()[0].1, "%zz");
    }

    #[test]
    fn caps_field_count() {
        let body = "a=1&".repeat(MAX_FIELDS + 1);
        assert_eq!(
            parse(body.as_bytes()),
            Err(BodyError::TooManyFields(MAX_FIELDS))
        );
    }
}
