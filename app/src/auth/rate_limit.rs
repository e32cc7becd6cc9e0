//! Rate limits (ssr only), with the `governor` crate (GCRA):
//! - sign-in endpoints (demo sign-in, OIDC start and callback), per client IP address: a
//!   flood of sign-in attempts is slowed down whatever cookies it sends;
//! - every other POST (server functions, import), per signed-in user as the session layer
//!   resolves it (so extra or made-up `kyodo_session` cookies open no new bucket), and per
//!   client IP address for everyone else.
//!
//! Keys not seen for a while are pruned every [`PRUNE_EVERY`] checks, so the limiters' tables
//! stay as small as the set of recent clients.
//!
//! Over the limit the answer is 429 Too Many Requests with `Retry-After`.

use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

pub use crate::config::RateLimits;

/// The limiters of one server.
#[derive(Clone)]
pub struct Limiters {
    sign_in: Arc<DefaultKeyedRateLimiter<String>>,
    posts: Arc<DefaultKeyedRateLimiter<String>>,
    checks: Arc<std::sync::atomic::AtomicU64>,
    trusted_proxies: Arc<Vec<IpAddr>>,
}

impl Limiters {
    /// Limiters for `limits`.
    pub fn new(limits: RateLimits) -> Limiters {
        let nz = |n: u32| NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
        let sign_in = Quota::per_minute(nz(limits.sign_in_per_minute));
        let posts = Quota::per_second(nz(limits.posts_per_second))
            .allow_burst(nz(limits.posts_per_second.saturating_mul(5)));
        Limiters {
            sign_in: Arc::new(RateLimiter::keyed(sign_in)),
            posts: Arc::new(RateLimiter::keyed(posts)),
            checks: Arc::new(std::sync::atomic::AtomicU64::new(1)),
            trusted_proxies: Arc::new(Vec::new()),
        }
    }

    /// The same limiters, reading the client's address from `X-Forwarded-For` on connections
    /// from `proxies` (a load balancer: otherwise every client would share its bucket).
    pub fn behind(mut self, proxies: Vec<IpAddr>) -> Limiters {
        self.trusted_proxies = Arc::new(proxies);
        self
    }

    /// The client's address: the connection's peer, or, when the peer is a trusted proxy, the
    /// first `X-Forwarded-For` entry from the right that is not a trusted proxy (each proxy
    /// appends the address it saw; entries further left are the client's own word and never
    /// count). An entry with a port (`203.0.113.7:4711`, `[2001:db8::1]:443`) counts without
    /// it; one that is no address at all (`unknown`) leaves the peer's address.
    fn client_ip(&self, request: &Request) -> String {
        let Some(peer) = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
        else {
            return "unknown".to_owned();
        };
        if !self.trusted_proxies.contains(&peer) {
            return peer.to_string();
        }
        let entries: Vec<&str> = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        for entry in entries.into_iter().rev() {
            match forwarded_address(entry) {
                Some(a) if self.trusted_proxies.contains(&a) => continue,
                Some(a) => return a.to_string(),
                None => break,
            }
        }
        peer.to_string()
    }
}

/// One `X-Forwarded-For` entry as an address: `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1`
/// or `[2001:db8::1]:443`; `None` for anything else.
fn forwarded_address(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            entry
                .strip_prefix('[')
                .and_then(|e| e.strip_suffix(']'))
                .and_then(|e| e.parse().ok())
        })
}

/// Whether a path is a sign-in endpoint.
fn is_sign_in(path: &str) -> bool {
    path == "/api/demo_sign_in"
        || path == "/auth/oidc/callback"
        || (path.starts_with("/auth/oidc/") && path.ends_with("/start"))
}

/// The key of a POST: `user:<id>` for a signed-in session (what the session layer resolved
/// from the cookies, the same user every server function sees), otherwise `ip:<address>`.
fn post_key(request: &Request, ip: String) -> impl Future<Output = String> + Send + use<> {
    let session = request
        .extensions()
        .get::<tower_sessions::Session>()
        .cloned();
    post_key_of(session, ip)
}

async fn post_key_of(session: Option<tower_sessions::Session>, ip: String) -> String {
    let user = match session {
        Some(session) => session
            .get::<String>(super::session::USER_KEY)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    match user {
        Some(id) => format!("user:{id}"),
        None => format!("ip:{ip}"),
    }
}

/// How many checks pass between two prunings of keys idle long enough to be full again.
pub const PRUNE_EVERY: u64 = 1_024;

impl Limiters {
    /// Forgets keys whose bucket is full again (idle clients), and returns how many keys
    /// remain in both tables.
    pub fn prune(&self) -> usize {
        self.sign_in.retain_recent();
        self.posts.retain_recent();
        self.sign_in.shrink_to_fit();
        self.posts.shrink_to_fit();
        self.sign_in.len() + self.posts.len()
    }

    /// Counts a check and prunes every [`PRUNE_EVERY`] of them.
    fn tick(&self) {
        if self
            .checks
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            .is_multiple_of(PRUNE_EVERY)
        {
            self.prune();
        }
    }
}

/// Middleware applying the limits (the limiters come from the router's state). Runs inside
/// the session layer, whose `Session` it reads.
pub async fn limit(
    axum::extract::State(limiters): axum::extract::State<Limiters>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let verdict = if is_sign_in(&path) {
        limiters.tick();
        Some(limiters.sign_in.check_key(&limiters.client_ip(&request)))
    } else if request.method() == http::Method::POST {
        limiters.tick();
        let key = post_key(&request, limiters.client_ip(&request)).await;
        Some(limiters.posts.check_key(&key))
    } else {
        None
    };
    if let Some(Err(not_until)) = verdict {
        let wait = not_until
            .wait_time_from(DefaultClock::default().now())
            .as_secs()
            .max(1);
        tracing::warn!(path, "rate limit reached");
        return (
            http::StatusCode::TOO_MANY_REQUESTS,
            [(http::header::RETRY_AFTER, wait.to_string())],
            "リクエストが多すぎます。しばらく待ってからお試しください。\nToo many requests: please wait a moment and try again.\n",
        )
            .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_paths() {
        assert!(is_sign_in("/api/demo_sign_in"));
        assert!(is_sign_in("/auth/oidc/entra/start"));
        assert!(is_sign_in("/auth/oidc/callback"));
        assert!(!is_sign_in("/api/get_matrix"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_forwarded_client_counts() {
        let limits = RateLimits {
            sign_in_per_minute: 1,
            posts_per_second: 1,
        };
        let request = |peer: &str, forwarded: Option<&str>| {
            let mut r = Request::new(axum::body::Body::empty());
            r.extensions_mut()
                .insert(ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 4000)));
            if let Some(f) = forwarded {
                r.headers_mut()
                    .insert("x-forwarded-for", http::HeaderValue::from_str(f).unwrap());
            }
            r
        };
        let direct = Limiters::new(limits);
        // Without trusted proxies the header is the client's word: ignored.
        assert_eq!(
            direct.client_ip(&request("10.0.0.9", Some("203.0.113.7"))),
            "10.0.0.9"
        );
        let lb = Limiters::new(limits).behind(vec!["10.0.0.9".parse().unwrap()]);
        assert_eq!(
            lb.client_ip(&request("10.0.0.9", Some("198.51.100.1, 203.0.113.7"))),
            "203.0.113.7",
            "the address the balancer saw, not one the client wrote before it"
        );
        assert_eq!(lb.client_ip(&request("10.0.0.9", None)), "10.0.0.9");
        for (header, client) in [
            ("10.8.8.1, 203.0.113.88:4711", "203.0.113.88"),
            ("10.7.7.1, [2001:db8::1]:443", "2001:db8::1"),
            ("10.6.6.1, unknown", "10.0.0.9"),
            ("10.5.5.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        ] {
            assert_eq!(
                lb.client_ip(&request("10.0.0.9", Some(header))),
                client,
                "{header}: never an entry the client wrote"
            );
        }
        assert_eq!(
            lb.client_ip(&request("192.0.2.1", Some("203.0.113.7"))),
            "192.0.2.1",
            "only the trusted proxy's header counts"
        );
    }

    #[test]
    fn idle_keys_are_pruned() {
        let limiters = Limiters::new(RateLimits {
            sign_in_per_minute: 1_000,
            posts_per_second: 1_000,
        });
        for i in 0..100 {
            assert!(limiters.posts.check_key(&format!("ip:10.0.0.{i}")).is_ok());
        }
        assert_eq!(limiters.posts.len(), 100);
        // One request each leaves the buckets nearly full: after a few milliseconds at
        // 1,000 per second they are full again, and pruning forgets them.
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(limiters.prune(), 0);
    }
}
