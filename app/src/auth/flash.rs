//! Form errors kept server-side for the redirect back to the form.
//!
//! A plain-form POST to a server function that fails is answered by the server-function layer
//! with a redirect to the form's page carrying the error itself (`?__err=<base64 JSON>`).
//! Shown as it came, that parameter would let anyone put any sentence into Kyodo's official
//! alert box with a link. So the error is taken out of the redirect and kept in the session
//! ([`keep_form_errors`]); the page gets only a random id (`?form_error=<id>`), and
//! [`get_form_error`] returns an error only if this session's own request produced it.

use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use serde::{Deserialize, Serialize};

/// Session key of the kept errors.
#[cfg(feature = "ssr")]
const FORM_ERRORS_KEY: &str = "form_errors";

/// How many recent form errors a session keeps (older ones are dropped).
#[cfg(feature = "ssr")]
const KEPT: usize = 5;

/// One kept error.
#[cfg(feature = "ssr")]
#[derive(Serialize, Deserialize)]
struct KeptError {
    id: String,
    error: AppError,
}

/// Middleware (inside the session layer): when a server function answers a redirect whose
/// `Location` carries `__err`, keeps the error in the session and replaces `__path`/`__err`
/// by `form_error=<random id>`. Other responses pass unchanged.
#[cfg(feature = "ssr")]
pub async fn keep_form_errors(
    session: tower_sessions::Session,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    if !is_server_fn || !response.status().is_redirection() {
        return response;
    }
    let Some(location) = response
        .headers()
        .get(http::header::LOCATION)
        .and_then(|l| l.to_str().ok())
    else {
        return response;
    };
    let Some((target, error)) = take_error(location) else {
        return response;
    };
    let location = redirect_with_error(&session, &target, error).await;
    let value =
        http::HeaderValue::from_str(&location).unwrap_or(http::HeaderValue::from_static("/"));
    response.headers_mut().insert(http::header::LOCATION, value);
    response
}

/// Keeps `error` in the session for the page at `target` (a local path) and returns the
/// address to redirect to: `target` with `?form_error=<random id>`, which the shell's error
/// notice reads. Plain routes (uploads) use it to show their errors on the form's page, as
/// server functions do. Without a session to keep it in, the error is dropped rather than put
/// into the URL: `target` as it is.
#[cfg(feature = "ssr")]
pub async fn redirect_with_error(
    session: &tower_sessions::Session,
    target: &str,
    error: AppError,
) -> String {
    let id = crate::ids::random_key();
    let mut kept: Vec<KeptError> = session
        .get(FORM_ERRORS_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    kept.push(KeptError {
        id: id.clone(),
        error,
    });
    let excess = kept.len().saturating_sub(KEPT);
    kept.drain(..excess);
    match session.insert(FORM_ERRORS_KEY, kept).await {
        Ok(()) => crate::http::with_query_pair(target, "form_error", &id),
        Err(_) => target.to_owned(),
    }
}

/// Splits a redirect target into the target without `__path`/`__err` and the decoded error;
/// `None` when it has no `__err`.
#[cfg(feature = "ssr")]
fn take_error(location: &str) -> Option<(String, AppError)> {
    use leptos::server_fn::error::ServerFnUrlError;
    let (base, query) = location.split_once('?')?;
    let (fragment_free, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (query, None),
    };
    let mut error = None;
    let kept: Vec<&str> = fragment_free
        .split('&')
        .filter(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "__err" => {
                    // One pair, decoded as the form encoding it was written in.
                    let value = url::form_urlencoded::parse(format!("v={value}").as_bytes())
                        .next()
                        .map(|(_, v)| v.into_owned())
                        .unwrap_or_default();
                    error = Some(ServerFnUrlError::<AppError>::decode_err(&value));
                    false
                }
                "__path" | "form_error" => false,
                _ => !pair.is_empty(),
            }
        })
        .collect();
    let error = error?;
    let mut target = base.to_owned();
    if !kept.is_empty() {
        target.push('?');
        target.push_str(&kept.join("&"));
    }
    if let Some(f) = fragment {
        target.push('#');
        target.push_str(f);
    }
    Some((target, error))
}

/// The form error kept for this session under `id` (POST `/api/get_form_error`), or `None`
/// (unknown id, another session's id, or a made-up one). Public: it reads only the caller's
/// own session.
#[server(prefix = "/api", endpoint = "get_form_error")]
pub async fn get_form_error(id: String) -> Result<Option<AppError>, AppError> {
    let session = super::request::session().await?;
    let kept: Vec<KeptError> = session
        .get(FORM_ERRORS_KEY)
        .await
        .map_err(AppError::internal)?
        .unwrap_or_default();
    Ok(kept.into_iter().find(|k| k.id == id).map(|k| k.error))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_error_leaves_the_redirect_target() {
        use leptos::server_fn::error::ServerFnUrlError;
        let error = AppError::Forbidden;
        let url = ServerFnUrlError::new("/api/x", error.clone())
            .to_url("http://127.0.0.1:3000/orgs?kind=ward")
            .unwrap()
            .to_string();
        let (target, taken) = take_error(&url).unwrap();
        assert_eq!(target, "http://127.0.0.1:3000/orgs?kind=ward");
        assert_eq!(taken, error);
        assert_eq!(
            crate::http::with_query_pair(&target, "form_error", "ab12"),
            "http://127.0.0.1:3000/orgs?kind=ward&form_error=ab12"
        );
        assert!(take_error("http://127.0.0.1:3000/login").is_none());
    }
}
