//! What a sign-in form brings in, bounded before anything else looks at it: the e-mail is
//! capped at the 254 bytes an address can have, and the audit log keeps at most that, with
//! control characters made visible, however much was sent.

/// The longest e-mail address there is (RFC 5321's path limit, less its brackets).
pub const MAX_EMAIL_BYTES: usize = 254;

/// The e-mail typed in a sign-in form.
pub struct SubmittedEmail {
    /// Trimmed, lower-case, at most [`MAX_EMAIL_BYTES`].
    bounded: String,
    too_long: bool,
}

impl SubmittedEmail {
    pub fn parse(raw: &str) -> Self {
        let trimmed = raw.trim();
        let too_long = trimmed.len() > MAX_EMAIL_BYTES;
        let cut = truncate(trimmed, MAX_EMAIL_BYTES).to_lowercase();
        Self {
            bounded: truncate(&cut, MAX_EMAIL_BYTES).to_string(),
            too_long,
        }
    }

    /// Longer than any address: no account can have it, so nothing is looked up or hashed.
    pub fn too_long(&self) -> bool {
        self.too_long
    }

    /// The address as it is looked up and throttled (at most [`MAX_EMAIL_BYTES`]).
    pub fn as_str(&self) -> &str {
        &self.bounded
    }

    /// The address as the audit log stores it: bounded, control characters shown as `?`, and
    /// a mark when the form sent more.
    pub fn for_audit(&self) -> String {
        let shown: String = self
            .bounded
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        if self.too_long {
            format!("{shown}…（超长，已截断）")
        } else {
            shown
        }
    }
}

/// The longest prefix of `s` within `max` bytes that ends on a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_at_254_bytes_on_a_character_boundary() {
        let ok = SubmittedEmail::parse("  Admin@Bureau.CN ");
        assert!(!ok.too_long());
        assert_eq!(ok.as_str(), "admin@bureau.cn");
        let huge = "语".repeat(20_000);
        let e = SubmittedEmail::parse(&huge);
        assert!(e.too_long());
        assert!(e.as_str().len() <= MAX_EMAIL_BYTES);
        assert!(e.for_audit().len() <= MAX_EMAIL_BYTES + 40);
        let ctl = SubmittedEmail::parse("a\u{0}b\r\nc@x.cn");
        assert_eq!(ctl.for_audit(), "a?b??c@x.cn");
    }
}
