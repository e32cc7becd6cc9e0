//! `kyodo ceiling DIR ADDR`: the benchmark's yardstick (scripts/bench.sh). A bare axum server
//! that answers `GET /<name>` with the bytes of `DIR/<name>.body` and the headers listed in
//! `DIR/<name>.headers` (`Name: value` lines, e.g. `Content-Type` and `Content-Encoding`), read
//! once at start. No session, database, rendering or middleware: what this machine can do at
//! most for a page of the same bytes, so that Kyodo's figures are read against it.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Arc;

/// The captured answers by name.
type Pages = Arc<HashMap<String, (HeaderMap, Bytes)>>;

/// Serves the answers captured in `dir` on `addr` until the process is stopped.
pub async fn run(dir: &str, addr: &str) -> anyhow::Result<()> {
    let mut pages = HashMap::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "body")
            && let Some(name) = path.file_stem().and_then(|s| s.to_str())
        {
            let body = std::fs::read(&path)?;
            let headers =
                std::fs::read_to_string(path.with_extension("headers")).unwrap_or_default();
            pages.insert(
                name.to_owned(),
                (parse_headers(&headers), Bytes::from(body)),
            );
        }
    }
    println!(
        "ceiling: {} answers from {dir} on http://{addr}",
        pages.len()
    );
    let app = Router::new()
        .route("/{name}", axum::routing::get(page))
        .with_state(Arc::new(pages));
    // The same listen backlog as Kyodo's, so that a burst meets the same accept queue.
    let listener = app::setup::listen(addr.parse()?)?;
    axum::serve(listener, app).await?;
    Ok(())
}

/// One captured answer, or 404.
async fn page(State(pages): State<Pages>, Path(name): Path<String>) -> Response {
    match pages.get(&name) {
        Some((headers, body)) => (headers.clone(), body.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `Name: value` lines; lines that are not a valid header are skipped.
fn parse_headers(text: &str) -> HeaderMap {
    text.lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((
                HeaderName::from_bytes(name.trim().as_bytes()).ok()?,
                HeaderValue::from_str(value.trim()).ok()?,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn header_lines_become_headers() {
        let h = super::parse_headers(
            "Content-Type: text/html; charset=utf-8\r\nbad line\ncontent-encoding: br\n",
        );
        assert_eq!(h.len(), 2);
        assert_eq!(h["content-type"], "text/html; charset=utf-8");
        assert_eq!(h["content-encoding"], "br");
    }
}
