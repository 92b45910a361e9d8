//! Staff sign-in and authorization. Parents never sign in.
//!
//! Every route is classified in the route table (`routes::TABLE`) with an
//! [`access::Access`] level; [`access::guard`] is the one place that checks it,
//! including which school or township a path may touch and the CSRF token of
//! every state-changing request.

pub mod access;
pub mod client_addr;
pub mod hashing;
pub mod multipart_csrf;
pub mod password;
pub mod session;
pub mod sign_in;
pub mod throttle;
