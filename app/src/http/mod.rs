//! HTTP pieces every room shares (ssr only, layer 3): the route list a room hands to the
//! router ([`Routes`]) and file downloads ([`attachment`]).
//!
//! Each room's `routes()` returns a [`Routes`]: the axum routes it serves besides its server
//! functions, with their "METHOD path" names, so that `setup` can merge them and a test can
//! check that the policy's endpoint table lists exactly what the router serves.

use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

/// A room's plain routes (uploads, downloads, redirects) and their names.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    endpoints: Vec<String>,
}

impl Routes {
    /// No routes yet.
    pub fn new() -> Routes {
        Routes::default()
    }

    /// Adds `GET path`.
    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &str, handler: H) -> Routes {
        self.add("GET", path, get(handler))
    }

    /// Adds `POST path`.
    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &str, handler: H) -> Routes {
        self.add("POST", path, post(handler))
    }

    fn add(
        mut self,
        method: &str,
        path: &str,
        route: axum::routing::MethodRouter<AppState>,
    ) -> Routes {
        self.router = self.router.route(path, route);
        self.endpoints.push(format!("{method} {path}"));
        self
    }

    /// Both rooms' routes.
    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.endpoints.extend(other.endpoints);
        self
    }

    /// The routes' names, `"GET /standardization/export.csv"`, in the order added.
    pub fn endpoints(&self) -> &[String] {
        &self.endpoints
    }

    /// The axum router of these routes.
    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

/// Compression of every answer the client accepts compressed (`Accept-Encoding`: brotli,
/// else gzip; `Vary: Accept-Encoding` added), at level 4: pages and JSON are made per request,
/// so a fast level costs little CPU (a page of 100 KB in about a millisecond) and still takes
/// most of the bytes off. Left alone: answers that already have a `Content-Encoding` (the
/// precompressed build files), images, PDF and zip-based files (compressed already), bodies
/// under 32 bytes, and the wasm: a debug build's
/// is tens of megabytes, so it goes out compressed only where `make release` wrote its `.br`
/// and `.gz` files at the highest level.
pub fn compression()
-> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate};
    use tower_http::compression::{CompressionLayer, CompressionLevel, DefaultPredicate};
    CompressionLayer::new()
        .quality(CompressionLevel::Precise(4))
        .compress_when(
            DefaultPredicate::new()
                .and(NotForContentType::const_new("application/wasm"))
                // Attachments that are compressed already (PDF; xlsx, docx, pptx are zip files).
                .and(NotForContentType::const_new("application/pdf"))
                .and(NotForContentType::const_new("application/zip"))
                .and(NotForContentType::const_new(
                    "application/vnd.openxmlformats",
                )),
        )
}

/// A download: `bytes` as `content_type`, saved by the browser as `file_name`
/// (`Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name per RFC 6266 /
/// RFC 5987), never shown inline: `nosniff` comes from the security headers, and a
/// `sandbox` content security policy keeps any active content inert if a browser opened it.
/// An error answers with its status and bilingual text instead.
pub fn attachment(
    file_name: &str,
    content_type: &str,
    bytes: Result<Vec<u8>, AppError>,
) -> Response {
    match bytes {
        Ok(bytes) => download(file_name, content_type, axum::body::Body::from(bytes)),
        Err(e) => e.into_response(),
    }
}

/// `body` as a download named `file_name` (`Content-Disposition: attachment`, with the name in
/// ASCII and in UTF-8), of type `content_type`, sandboxed (`Content-Security-Policy: sandbox`)
/// so that a file that a browser would render never runs as Kyodo's page.
pub fn download(file_name: &str, content_type: &str, body: axum::body::Body) -> Response {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded =
        percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC);
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut response = body.into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (http::header::CONTENT_TYPE, content_type.to_owned()),
        (http::header::CONTENT_DISPOSITION, disposition),
        (http::header::CONTENT_SECURITY_POLICY, "sandbox".to_owned()),
    ] {
        if let Ok(value) = http::HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

/// Whether `target` is a path on this site (`/…`, not `//host` or `/\\host`), with no
/// whitespace or control character (browsers drop tabs and line breaks from a URL, so
/// `/\t/host` would become `//host`), so that a redirect to it never leaves Kyodo and always
/// makes a valid `Location` header.
pub fn is_local_path(target: &str) -> bool {
    target.starts_with('/')
        && !target.starts_with("//")
        && !target.starts_with("/\\")
        && !target.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `target` with `key=value` added to its query, before any `#fragment`.
pub fn with_query_pair(target: &str, key: &str, value: &str) -> String {
    let (path, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
    };
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut out = format!("{path}{sep}{key}={value}");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Where to send the browser back after a form on the page `back` did its work: `back` (its
/// own fragment dropped) with `flag=1` in the query, at `#anchor`: `/r?x=1` → `/r?x=1&attached=1#attachments`.
pub fn back_with_flag(back: &str, flag: &str, anchor: &str) -> String {
    let path = back.split_once('#').map_or(back, |(p, _)| p);
    format!("{}#{anchor}", with_query_pair(path, flag, "1"))
}

/// A multipart form as sent by an upload page: its text fields and its `file` field (name as
/// the browser gave it, bytes).
#[derive(Debug, Default)]
pub struct Upload {
    /// Text fields, in order.
    pub fields: Vec<(String, String)>,
    /// The `file` field, when present.
    pub file: Option<(String, Vec<u8>)>,
}

impl Upload {
    /// The text field `name`, or `""`.
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Reads an upload form. Errors: [`AppError::TooLarge`] for a body over the limit,
/// [`AppError::Invalid`] (field `file`) for a form that cannot be read.
pub async fn read_upload(mut multipart: axum::extract::Multipart) -> Result<Upload, AppError> {
    let invalid = |e: axum::extract::multipart::MultipartError| {
        if e.status() == http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge {
                limit_bytes: crate::config::BODY_LIMIT_BYTES,
            }
        } else {
            AppError::Invalid {
                field: "file".into(),
                reason: e.to_string(),
            }
        }
    };
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(invalid)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            upload.file = Some((file_name, field.bytes().await.map_err(invalid)?.to_vec()));
        } else {
            upload
                .fields
                .push((name, field.text().await.map_err(invalid)?));
        }
    }
    Ok(upload)
}

#[cfg(test)]
mod tests {
    use super::{back_with_flag, is_local_path};

    #[test]
    fn the_way_back_carries_its_flag_and_anchor() {
        assert_eq!(
            back_with_flag("/r", "attached", "attachments"),
            "/r?attached=1#attachments"
        );
        assert_eq!(
            back_with_flag("/r?x=1#old", "edited", "comment-a1"),
            "/r?x=1&edited=1#comment-a1"
        );
    }

    #[test]
    fn only_local_paths_are_returned_to() {
        assert!(is_local_path("/standardization/records/131164/x/steps/5"));
        for outside in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "",
            "/\t/evil.example",
            "/a\nb",
            "/a\r\nSet-Cookie: x=1",
            "/a b",
            "/\u{7f}",
        ] {
            assert!(!is_local_path(outside), "{outside:?}");
        }
    }
}
