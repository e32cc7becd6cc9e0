//! `kyodo ceiling DIR ADDR`: the benchmark's yardstick (scripts/bench.sh). A bare axum server
//! that answers `GET /<name>` with the bytes of `DIR/<name>.body` and the headers listed in
//! `DIR/<name>.headers` (`Name: value` lines, e.g. `Content-Type` and `Content-Encoding`), read
//! once at start. For those, no session, database, rendering or middleware: what this machine
//! can do at most for a page of the same bytes, so that Kyodo's figures are read against it.
//!
//! It also answers two pages rendered on every request through leptos_axum, a Leptos router
//! with a heading and a sentence, sent uncompressed:
//! - `GET /leptos`, nothing else (no session, database, compression or middleware): what any
//!   Leptos page costs here at least, the yardstick of the pages that are not summaries (issue
//!   #13: "≥ 0.2 × what a minimal Leptos page reaches");
//! - `GET /leptos-session`, the same page after reading a session through Kyodo's own session
//!   store (`app::auth::session`; the first of the two reads of a signed-in request, the
//!   other being the account) from a SurrealDB store on disk, `DIR/db`, created at start.
//!
//! Only these routes: no server function is registered, so any other request is a 404 at
//! once (scripts/bench-consultations.sh sends its burst here as to a server doing no work).

use app::auth::session::{SIGNED_IN_AT_KEY, SurrealSessionStore, USER_KEY};
use app::db::DbConfig;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use std::collections::HashMap;
use std::sync::Arc;
use tower_sessions::SessionStore;
use tower_sessions::cookie::time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};

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
    let db = app::db::connect(&DbConfig::at(&format!(
        "surrealkv://{}",
        std::path::Path::new(dir).join("db").display()
    )))
    .await?;
    let session = OneSession::create(SurrealSessionStore::new(db)).await?;
    println!(
        "ceiling: {} answers from {dir} and a minimal Leptos page on http://{addr}",
        pages.len()
    );
    // The same listen backlog as Kyodo's, so that a burst meets the same accept queue.
    let listener = app::setup::listen(addr.parse()?)?;
    axum::serve(listener, router(pages, session)).await?;
    Ok(())
}

/// `GET /<name>` for each captured answer, `GET /leptos` for the minimal Leptos page and
/// `GET /leptos-session` for the same page after a session read.
fn router(pages: HashMap<String, (HeaderMap, Bytes)>, session: OneSession) -> axum::Router {
    let captured = axum::Router::new()
        .route("/{name}", get(page))
        .with_state(Arc::new(pages));
    // leptos_axum's `leptos_routes` would also register every server function in the binary
    // (and start the executor): the two pages are routed by hand instead.
    let _ = any_spawner::Executor::init_tokio();
    let render = leptos_axum::render_app_to_stream(minimal_shell);
    captured.route("/leptos", get(render.clone())).route(
        "/leptos-session",
        get(render).layer(axum::middleware::from_fn_with_state(session, read_session)),
    )
}

/// The session `/leptos-session` reads: its store and id.
#[derive(Clone)]
struct OneSession {
    store: SurrealSessionStore,
    id: Id,
}

impl OneSession {
    /// Saves a session in `store` with the keys signing in writes, for a day.
    async fn create(store: SurrealSessionStore) -> anyhow::Result<OneSession> {
        let now = OffsetDateTime::now_utc();
        let mut record = Record {
            id: Id::default(),
            data: [
                (USER_KEY.to_owned(), serde_json::json!("bench")),
                (
                    SIGNED_IN_AT_KEY.to_owned(),
                    serde_json::json!(now.unix_timestamp()),
                ),
            ]
            .into(),
            expiry_date: now + Duration::days(1),
        };
        store.create(&mut record).await?;
        Ok(OneSession {
            store,
            id: record.id,
        })
    }
}

/// Reads the session as Kyodo does for a signed-in request, then renders; 500 when it is not
/// found.
async fn read_session(
    State(session): State<OneSession>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if !matches!(session.store.load(&session.id).await, Ok(Some(_))) {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    next.run(request).await
}

/// One captured answer, or 404.
async fn page(State(pages): State<Pages>, Path(name): Path<String>) -> Response {
    match pages.get(&name) {
        Some((headers, body)) => (headers.clone(), body.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The minimal Leptos application: the same page at `/leptos` and `/leptos-session`.
#[component]
fn Minimal() -> impl IntoView {
    view! {
        <Router>
            <main>
                <Routes fallback=|| "Not found.">
                    <Route path=path!("/leptos") view=MinimalPage/>
                    <Route path=path!("/leptos-session") view=MinimalPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// The minimal page's content.
#[component]
fn MinimalPage() -> impl IntoView {
    view! {
        <h1>"A minimal Leptos page"</h1>
        <p>"Rendered on every request."</p>
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
    async fn answers_the_captured_bytes_and_renders_the_minimal_pages() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "text/plain".parse().unwrap());
        let pages = [(
            "home".to_owned(),
            (headers, Bytes::from_static(b"captured")),
        )];
        let db = app::db::connect(&app::db::DbConfig::at("mem://"))
            .await
            .unwrap();
        let store = app::auth::session::SurrealSessionStore::new(db);
        let session = super::OneSession::create(store.clone()).await.unwrap();
        let app = super::router(pages.into_iter().collect(), session.clone());
        assert_eq!(
            get(app.clone(), "/home").await,
            (StatusCode::OK, "captured".to_owned())
        );
        assert_eq!(get(app.clone(), "/other").await.0, StatusCode::NOT_FOUND);
        for path in ["/leptos", "/leptos-session"] {
            let (status, html) = get(app.clone(), path).await;
            assert_eq!(status, StatusCode::OK);
            assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
            assert!(html.contains("<h1>A minimal Leptos page</h1>"), "{html}");
        }
        // The session is really read: without it the page is refused.
        tower_sessions::SessionStore::delete(&store, &session.id)
            .await
            .unwrap();
        assert_eq!(
            get(app.clone(), "/leptos-session").await.0,
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(get(app.clone(), "/leptos").await.0, StatusCode::OK);
        // No server function answers here.
        let post = Request::post("/api/book_consultation")
            .body(Body::from("slot=x"))
            .unwrap();
        let response = app.oneshot(post).await.unwrap();
        assert!(response.status().is_client_error(), "{}", response.status());
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
