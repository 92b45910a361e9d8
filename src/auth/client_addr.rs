//! The address a request counts as for per-address limits (wrong codes, sign-in, reset,
//! feedback), and the watch that notices when those limits are probably counting a reverse
//! proxy instead of its clients.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use actix_web::HttpRequest;

/// The bucket a request's address falls in. `X-Forwarded-For` is believed only from a
/// configured trusted proxy (`trusted_proxies`): a client can write anything there. Behind
/// one, the address is the nearest hop that is not itself a trusted proxy.
pub fn peer_addr(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    let trusted = req
        .app_data::<crate::state::State>()
        .map(|s| s.settings.trusted_proxies.as_slice())
        .unwrap_or_default();
    if !trusted.contains(&peer) {
        return bucket(peer);
    }
    let forwarded: Vec<IpAddr> = forwarded_for(req).collect();
    bucket(
        forwarded
            .into_iter()
            .rev()
            .find(|a| !trusted.contains(a))
            .unwrap_or(peer),
    )
}

fn forwarded_for(req: &HttpRequest) -> impl Iterator<Item = IpAddr> + '_ {
    req.headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
}

/// IPv4 by address; IPv6 by its /64, the block one subscriber gets, so that hopping between
/// its 2^64 addresses escapes no limit. An IPv4-mapped IPv6 address counts as IPv4.
pub fn bucket(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Requests that carried `X-Forwarded-For` from an address not in `trusted_proxies`. Behind
/// such an unlisted proxy every client has the proxy's address, so one person's wrong codes
/// or sign-ins hold everyone: the first one is logged and `/healthz` reports them.
#[derive(Default)]
pub struct ForwardedWatch {
    first: Mutex<Option<IpAddr>>,
    requests: AtomicU64,
}

impl ForwardedWatch {
    pub fn observe(&self, req: &HttpRequest, trusted: &[IpAddr]) {
        let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
            return;
        };
        if trusted.contains(&peer) || !req.headers().contains_key("x-forwarded-for") {
            return;
        }
        if self.requests.fetch_add(1, Ordering::Relaxed) == 0 {
            if let Ok(mut first) = self.first.lock() {
                *first = Some(peer);
            }
            tracing::warn!(
                proxy = %peer,
                "a request came with X-Forwarded-For from an address not in trusted_proxies: \
                 if a reverse proxy stands in front, add it, or every client behind it shares \
                 one per-address limit"
            );
        }
    }

    /// For `/healthz`: `None` while no such request came.
    pub fn report(&self) -> Option<crate::app::health::UntrustedProxy> {
        let n = self.requests.load(Ordering::Relaxed);
        let first = (*self.first.lock().ok()?)?;
        (n > 0).then(|| crate::app::health::UntrustedProxy {
            address: first.to_string(),
            requests: n,
            warning: format!(
                "收到来自 {first} 的请求带有 X-Forwarded-For，但该地址不在 trusted_proxies 中。\
                 如果它是反向代理，请把它加入 trusted_proxies；否则经它来的所有人共用一个按地址的限流。"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_by_its_64_and_ipv4_by_address() {
        let b = |s: &str| bucket(s.parse().unwrap_or(IpAddr::V4([0, 0, 0, 0].into())));
        assert_eq!(b("2001:db8:1:2:aaaa::1"), b("2001:db8:1:2:ffff:1:2:3"));
        assert_eq!(b("2001:db8:1:2::9"), "2001:db8:1:2::/64");
        assert_ne!(b("2001:db8:1:2::1"), b("2001:db8:1:3::1"));
        assert_eq!(b("203.0.113.7"), "203.0.113.7");
        assert_ne!(b("203.0.113.7"), b("203.0.113.8"));
        assert_eq!(b("::ffff:203.0.113.7"), "203.0.113.7");
    }
}
