//! Unguessable tokens (one-time codes, link slugs, idempotency keys) from the
//! operating system's CSPRNG, written in Crockford base32 so that they survive
//! being read aloud or typed from paper.

use sha2::{Digest, Sha256};

/// Crockford's alphabet: no I, L, O or U, so 1/I/L and 0/O cannot be confused.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A token of `chars` base32 characters, i.e. `5 * chars` bits of entropy.
pub fn random_token(chars: usize) -> String {
    let mut bytes = vec![0u8; chars];
    // getrandom only fails when the OS has no entropy source at all; there is
    // no safe fallback for security tokens, so that is a fatal error.
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes
        .iter()
        .map(|b| ALPHABET[(b & 0x1f) as usize] as char)
        .collect()
}

/// One-time student codes: 20 characters = 100 bits (the bar is ≥ 96).
pub const CODE_CHARS: usize = 20;
const _: () = assert!(CODE_CHARS * 5 >= 96, "codes must carry at least 96 bits");

pub fn new_access_code() -> String {
    random_token(CODE_CHARS)
}

/// Normalises a typed or scanned code: upper-case, no spaces or dashes, and the
/// look-alike letters mapped as Crockford specifies. `None` if it cannot be one.
pub fn normalise_code(input: &str) -> Option<String> {
    let mut out = String::with_capacity(CODE_CHARS);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
            return None;
        }
        out.push(c);
    }
    (out.len() == CODE_CHARS).then_some(out)
}

/// Groups a code in fours for printing: `ABCD-EFGH-…`.
pub fn display_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Hex SHA-256, for storing secrets we only need to recognise.
pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_enough_entropy_and_alphabet() {
        let c = new_access_code();
        assert_eq!(c.len(), CODE_CHARS);
        assert!(c.bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(new_access_code(), new_access_code());
    }

    #[test]
    fn normalise_accepts_printed_form_and_lookalikes() {
        let c = new_access_code();
        assert_eq!(normalise_code(&display_code(&c)).unwrap(), c);
        assert_eq!(
            normalise_code("oooo-iiii-llll-0000-1111").unwrap(),
            "00001111111100001111"
        );
        assert!(normalise_code("short").is_none());
        assert!(normalise_code("ÄBCDEFGHJKMNPQRSTVWX").is_none());
    }
}
