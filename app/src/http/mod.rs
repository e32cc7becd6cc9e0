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

/// A download: `bytes` as `content_type`, saved by the browser as `file_name` (ASCII)
/// (`Content-Disposition: attachment`; the `nosniff` header comes from the security headers).
/// An error answers with its status and bilingual text instead.
pub fn attachment(
    file_name: &str,
    content_type: &'static str,
    bytes: Result<Vec<u8>, AppError>,
) -> Response {
    match bytes {
        Ok(bytes) => (
            [
                (http::header::CONTENT_TYPE, content_type.to_owned()),
                (
                    http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file_name}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}
