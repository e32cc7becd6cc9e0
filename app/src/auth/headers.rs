//! Browser protections on every response (ssr only): Content-Security-Policy with a
//! per-response nonce for Leptos' inline scripts, and fixed security headers.
//!
//! Source: OWASP Secure Headers Project; MDN CSP guidance for WebAssembly
//! (`'wasm-unsafe-eval'` lets the page compile its own wasm, nothing else).

use axum::Router;
use http::{HeaderValue, header};
use leptos::prelude::*;
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy of pages, for a script nonce.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sends the Content-Security-Policy header matching this response's nonce. leptos_axum
/// generates the nonce per request (feature `nonce`) and adds it to every inline script it
/// writes; a second nonce must not be provided here or the two would disagree. Called by
/// the document shell for every page.
pub fn provide_csp() {
    if leptos::nonce::use_nonce().is_none() {
        leptos::nonce::provide_nonce();
    }
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// How long a response may be cached, by path: the build's `/pkg/` files named by their
/// content (`kyodo.<hash>.wasm`, see [`content_addressed`]) for a year without asking again
/// (`immutable`: a new build has new names, and the page names the files it needs), the
/// build's files with fixed names (a build without hashing, e.g. tests) stored but revalidated
/// on every use (`no-cache`; the file server answers 304 from `Last-Modified`), other static
/// files (`/robots.txt`) for an hour, and everything else — pages, server functions,
/// downloads, which may hold signed-in data — is never stored (`no-store`), neither by the
/// browser nor by a shared proxy.
pub fn cache_control_for(path: &str) -> &'static str {
    match path.strip_prefix("/pkg/") {
        Some(file) if content_addressed(file) => "public, max-age=31536000, immutable",
        Some(_) => "public, no-cache",
        None if STATIC_FILES.contains(&path) => "public, max-age=3600",
        None => "no-store",
    }
}

/// Whether a build file's name carries the hash of its content: `NAME.HASH.EXT`, where HASH
/// is what cargo-leptos' `hash-files` writes (the MD5 of the file in unpadded base64url, 22
/// characters).
pub fn content_addressed(file: &str) -> bool {
    let parts: Vec<&str> = file.split('.').collect();
    matches!(parts.as_slice(), [name, hash, _ext]
        if !name.is_empty()
            && hash.len() == 22
            && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && hash.bytes().any(|b| b.is_ascii_alphanumeric()))
}

/// The files of `public/` (served at the root).
const STATIC_FILES: &[&str] = &["/robots.txt"];

/// Middleware setting `Cache-Control` by [`cache_control_for`] unless a handler set one. Only
/// a found file is cached: any other answer (a 404 for a build file that a newer build
/// replaced, or an older one not yet there on this server) is `no-store`, so that no browser or
/// proxy keeps it for the year a hashed name would get.
pub async fn cache_control(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let value = cache_control_for(request.uri().path());
    let mut response = next.run(request).await;
    let found =
        response.status().is_success() || response.status() == http::StatusCode::NOT_MODIFIED;
    let value = if found { value } else { "no-store" };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(value));
    response
}

/// Adds the fixed security headers to every response: `Cache-Control` ([`cache_control`]),
/// nosniff, referrer policy, framing refused, and HSTS (one year) when Kyodo is served over https (`https` = secure cookies on).
pub fn with_security_headers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    https: bool,
) -> Router<S> {
    let set = |name: header::HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let router = router
        .layer(axum::middleware::from_fn(cache_control))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "same-origin"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"));
    if https {
        router.layer(set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        router
    }
}
