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
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

pub use crate::config::RateLimits;

/// The limiters of one server.
#[derive(Clone)]
pub struct Limiters {
    sign_in: Arc<DefaultKeyedRateLimiter<String>>,
    posts: Arc<DefaultKeyedRateLimiter<String>>,
    checks: Arc<std::sync::atomic::AtomicU64>,
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
        }
    }
}

/// Whether a path is a sign-in endpoint.
fn is_sign_in(path: &str) -> bool {
    path == "/api/demo_sign_in"
        || path == "/auth/oidc/callback"
        || (path.starts_with("/auth/oidc/") && path.ends_with("/start"))
}

fn client_ip(request: &Request) -> String {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(
            || "unknown".to_owned(),
            |ConnectInfo(addr)| addr.ip().to_string(),
        )
}

/// The key of a POST: `user:<id>` for a signed-in session (what the session layer resolved
/// from the cookies, the same user every server function sees), otherwise `ip:<address>`.
fn post_key(request: &Request) -> impl Future<Output = String> + Send + use<> {
    let session = request
        .extensions()
        .get::<tower_sessions::Session>()
        .cloned();
    let ip = client_ip(request);
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
        Some(limiters.sign_in.check_key(&client_ip(&request)))
    } else if request.method() == http::Method::POST {
        limiters.tick();
        let key = post_key(&request).await;
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
