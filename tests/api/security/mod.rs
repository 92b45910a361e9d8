//! The findings of the security review, one file each, every one a test that fails if the
//! weakness comes back.

/// Open redirects after sign-in.
mod redirect;

const SCHOOL: &str = "sec@school.cn";
