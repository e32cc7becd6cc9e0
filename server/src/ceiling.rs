//! `kyodo ceiling DIR ADDR`: the benchmark's yardstick (scripts/bench.sh). A bare axum server
//! that answers `GET /<name>` with the bytes of `DIR/<name>.body` and the headers listed in
//! `DIR/<name>.headers` (`Name: value` lines, e.g. `Content-Type` and `Content-Encoding`), read
//! once at start. No session, database, rendering or middleware: what this machine can do at
//! most for a page of the same bytes, so that Kyodo's figures are read against it.
//!
//! It also answers `GET /leptos` with a minimal Leptos page rendered on every request through
//! leptos_axum (a router with one route, a heading and a sentence; no session, database,
//! compression or middleware): what any Leptos page costs here at least, the yardstick of the
//! pages that are not summaries (issue #13: "≥ 0.2 × what a minimal Leptos page reaches").

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::config::LeptosOptions;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
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
        "ceiling: {} answers from {dir} and a minimal Leptos page on http://{addr}",
        pages.len()
    );
    // The same listen backlog as Kyodo's, so that a burst meets the same accept queue.
    let listener = app::setup::listen(addr.parse()?)?;
    axum::serve(listener, router(pages)).await?;
    Ok(())
}

/// `GET /<name>` for each captured answer, and `GET /leptos` for the minimal Leptos page.
fn router(pages: HashMap<String, (HeaderMap, Bytes)>) -> axum::Router {
    let captured = axum::Router::new()
        .route("/{name}", axum::routing::get(page))
        .with_state(Arc::new(pages));
    let options = LeptosOptions::builder().output_name("minimal").build();
    let minimal = axum::Router::new()
        .leptos_routes(&options, generate_route_list(Minimal), minimal_shell)
        .with_state(options);
    captured.merge(minimal)
}

/// One captured answer, or 404.
async fn page(State(pages): State<Pages>, Path(name): Path<String>) -> Response {
    match pages.get(&name) {
        Some((headers, body)) => (headers.clone(), body.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The minimal Leptos application: one route, `/leptos`.
#[component]
fn Minimal() -> impl IntoView {
    view! {
        <Router>
            <main>
                <Routes fallback=|| "Not found.">
                    <Route
                        path=path!("/leptos")
                        view=|| view! {
                            <h1>"A minimal Leptos page"</h1>
                            <p>"Rendered on every request, with nothing behind it."</p>
                        }
                    />
                </Routes>
            </main>
        </Router>
    }
}

/// The minimal page's document.
fn minimal_shell() -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <title>"Minimal"</title>
            </head>
            <body>
                <Minimal/>
            </body>
        </html>
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
    use axum::body::{Body, Bytes};
    use axum::http::{HeaderMap, Request, StatusCode};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    /// Status and body of `GET path`.
    async fn get(app: axum::Router, path: &str) -> (StatusCode, String) {
        let response = app
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn answers_the_captured_bytes_and_renders_the_minimal_page() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "text/plain".parse().unwrap());
        let pages = [("home".to_owned(), (headers, Bytes::from_static(b"captured")))];
        let app = super::router(pages.into_iter().collect());
        assert_eq!(
            get(app.clone(), "/home").await,
            (StatusCode::OK, "captured".to_owned())
        );
        assert_eq!(get(app.clone(), "/other").await.0, StatusCode::NOT_FOUND);
        let (status, html) = get(app, "/leptos").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert!(html.contains("<h1>A minimal Leptos page</h1>"), "{html}");
    }

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
