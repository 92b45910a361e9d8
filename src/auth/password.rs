//! Password hashing: argon2id with 19 MiB of memory and 2 passes (OWASP's
//! minimum), PHC strings with a random salt.

use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

fn hasher() -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    let h = hasher()?
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?;
    Ok(h.to_string())
}

/// Whether `password` matches the stored PHC string. A malformed stored hash
/// never matches.
pub fn verify(stored: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    hasher().is_ok_and(|h| h.verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Spends the same time as a real check, for sign-ins to unknown accounts, so
/// that timing does not tell whether an account exists.
pub fn verify_dummy(password: &str) {
    let _ = hash(password);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_the_required_cost() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify(&h, "correct horse battery"));
        assert!(!verify(&h, "wrong"));
        assert!(!verify("not a hash", "x"));
        assert_ne!(hash("same").unwrap(), hash("same").unwrap());
    }
}
