//! Who may read `/metrics`, and the text they read.

use std::net::IpAddr;

use actix_web::web;

use crate::config::MetricsSettings;
use crate::error::{AppError, AppResult, During};
use crate::state::AppState;

/// What a request to `/metrics` shows of its sender.
pub struct Scraper<'a> {
    /// The connection's own address.
    pub addr: Option<IpAddr>,
    /// A proxy passed the request on (`X-Forwarded-For`, `Forwarded` or `X-Real-IP`): then
    /// the connection's address is the proxy's, and the address list does not apply.
    pub forwarded: bool,
    /// The token of `Authorization: Bearer …`.
    pub bearer: Option<&'a str>,
}

/// A listed address that no proxy stands in front of, or the configured token. A reverse
/// proxy on the same machine connects from 127.0.0.1: without the `forwarded` check, a listed
/// loopback address would open the metrics to everyone behind it.
pub fn admitted(settings: &MetricsSettings, who: &Scraper<'_>) -> bool {
    let by_address = !who.forwarded && who.addr.is_some_and(|a| listed(&settings.allow, a));
    let by_token = match (&settings.token, who.bearer) {
        (Some(token), Some(given)) => !token.is_empty() && same_secret(token, given),
        _ => false,
    };
    by_address || by_token
}

fn listed(allow: &[IpAddr], addr: IpAddr) -> bool {
    let addr = match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        v4 => v4,
    };
    allow.contains(&addr)
}

/// Compares without stopping at the first differing byte, so that timing tells nothing of
/// how much of a guess was right.
fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The text exposition, or 404 for anyone not admitted (the route does not admit to existing).
pub async fn scrape(state: &AppState, who: &Scraper<'_>) -> AppResult<String> {
    if !admitted(&state.settings.metrics, who) {
        return Err(AppError::NotFound);
    }
    let pool = state.pool.clone();
    let uncounted = web::block(move || -> AppResult<i64> {
        let mut conn = pool.get()?;
        crate::db::responses::uncounted(&mut conn).during("counting the responses waiting")
    })
    .await??;
    Ok(crate::metrics::global().render(uncounted))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn who(addr: &str, forwarded: bool, bearer: Option<&'static str>) -> Scraper<'static> {
        Scraper {
            addr: Some(addr.parse().unwrap()),
            forwarded,
            bearer,
        }
    }

    #[test]
    fn listed_addresses_or_the_token_and_nobody_else() {
        let s = MetricsSettings {
            allow: vec!["127.0.0.1".parse().unwrap()],
            token: Some("s3cret".into()),
        };
        assert!(admitted(&s, &who("127.0.0.1", false, None)));
        assert!(admitted(&s, &who("::ffff:127.0.0.1", false, None)));
        assert!(
            !admitted(&s, &who("127.0.0.1", true, None)),
            "behind a proxy"
        );
        assert!(!admitted(&s, &who("10.1.2.3", false, None)));
        assert!(!admitted(&s, &who("10.1.2.3", false, Some("s3cre"))));
        assert!(admitted(&s, &who("10.1.2.3", true, Some("s3cret"))));
        let nobody = MetricsSettings::default();
        assert!(!admitted(&nobody, &who("127.0.0.1", false, Some(""))));
    }
}
