//! Where sign-in sends a user afterwards (`next`): only a path on this site, so that a link
//! to our sign-in page can never hand a freshly signed-in user to another site.

/// Where to go when `next` is missing or refused.
pub const DEFAULT: &str = "/admin";

/// `next` if it is a path on this site, otherwise [`DEFAULT`].
pub fn safe_next(next: &str) -> &str {
    if is_same_origin_path(next) {
        next
    } else {
        DEFAULT
    }
}

/// A same-origin path: one leading `/`, then anything but a second slash or a backslash, and
/// visible ASCII only. Browsers drop tabs and line breaks inside a URL and read `\` (and, in
/// some, Unicode look-alikes) as `/`, so `/<TAB>/evil.example` or `/\evil.example` would
/// become `//evil.example`, another site. Our own paths are ASCII (Chinese is
/// percent-encoded), so refusing everything else costs nothing.
pub fn is_same_origin_path(next: &str) -> bool {
    let Some(rest) = next.strip_prefix('/') else {
        return false;
    };
    if !next.bytes().all(|b| b.is_ascii_graphic()) || next.contains('\\') {
        return false;
    }
    if rest.starts_with('/') {
        return false;
    }
    // An escape right after the first slash must not stand for a slash, a backslash, another
    // escape or anything invisible: a proxy or a browser that decodes it would see `//host`.
    // A UTF-8 lead byte (a Chinese path) is fine; an overlong `%C0%AF` is not.
    match rest.strip_prefix('%') {
        Some(hex) => hex
            .get(..2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .is_some_and(|b| {
                (b.is_ascii_graphic() && !matches!(b, b'/' | b'\\' | b'%'))
                    || (0xC2..=0xF4).contains(&b)
            }),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known open-redirect bypasses, each refused.
    const BYPASSES: &[&str] = &[
        "//evil.example",
        "/\t/evil.example",
        "/\r\n/evil.example",
        "/\n/evil.example",
        "/ /evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "\\/\\/evil.example",
        "\\\\evil.example",
        "/%2F/evil.example",
        "/%2f/evil.example",
        "/%2F%2Fevil.example",
        "%2F%2Fevil.example",
        "/%5C/evil.example",
        "/%5cevil.example",
        "/%09/evil.example",
        "/%0D%0A/evil.example",
        "/%20/evil.example",
        "/%252F/evil.example",
        "/%/evil.example",
        "/%C0%AF/evil.example",
        "/%c0%af%c0%afevil.example",
        "/\u{FF0F}evil.example",
        "/\u{2215}evil.example",
        "/\u{2044}evil.example",
        "/\u{29F8}evil.example",
        "/\u{3000}/evil.example",
        "/\u{00A0}/evil.example",
        "/admin\u{0000}",
        "/admin/\u{7F}",
        "https://evil.example/",
        "http:/evil.example",
        "evil.example",
        "javascript:alert(1)",
        "",
    ];

    #[test]
    fn refuses_every_known_bypass() {
        for b in BYPASSES {
            assert_eq!(safe_next(b), DEFAULT, "{b:?}");
        }
    }

    #[test]
    fn keeps_ordinary_paths() {
        for ok in [
            "/admin",
            "/admin/schools/3",
            "/admin/schools/3/rounds/1/analysis?format=xlsx",
            "/admin/coverage?round=2&urban=rural",
            "/admin/townships/%E9%9D%92",
            "/%E9%9D%92",
            "/",
        ] {
            assert_eq!(safe_next(ok), ok);
        }
    }
}
