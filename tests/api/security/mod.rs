//! The findings of the security review, one file each, every one a test that fails if the
//! weakness comes back.

/// Bounded work per request: codes, the codes page, analyses, audit pages.
mod bounded;
/// The README's claims about tokens and GETs, as tests.
mod claims;
/// Rate limits: unlisted proxies, IPv6 by /64, unlocking an account.
mod limits;
/// Account links that outlive their purpose.
mod links;
/// Township officers' reach: view and remind.
mod reach;
/// Open redirects after sign-in.
mod redirect;
/// Sign-in as a lever to fill the disk and burn CPU.
mod sign_in;
/// Cookies, HSTS and where the CSRF token travels.
mod transport;
/// Other writers on SQLite never fail a submission batch.
mod writers;

const SCHOOL: &str = "sec@school.cn";
const BUREAU: &str = "admin@bureau.cn";
