//! The caller of a request (ssr only): the one way server functions and routes find the
//! application state and the signed-in user.
//!
//! Every server function starts with [`signed_in`] (or [`caller`] when it is public): the
//! state is read from the context before any `await` (Leptos contexts are only reliable
//! before the first suspension), and the user is looked up once per HTTP request, however
//! many server functions a page render calls ([`remember_caller`] keeps the answer).

use super::model::CurrentUser;
use super::session::{SEEN_KEY, SESSION_ABSOLUTE_HOURS, SIGNED_IN_AT_KEY, USER_KEY};
use crate::error::AppError;
use crate::state::AppState;
use leptos::prelude::*;
use std::sync::Arc;

/// The state and the signed-in user of a request that requires one.
#[derive(Clone)]
pub struct SignedIn {
    /// The application state (database, catalog, settings).
    pub state: AppState,
    /// The signed-in, active user.
    pub user: CurrentUser,
}

/// The request's application state; [`AppError::Internal`] when it is missing (a server
/// function called outside the router).
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}

/// The request's session.
pub async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(AppError::internal)
}

/// The state and the signed-in user; [`AppError::Unauthenticated`] when nobody is signed in
/// (or the account is no longer active).
pub async fn signed_in() -> Result<SignedIn, AppError> {
    let state = app_state()?;
    let cell = remembered();
    let user = look_up(&state, cell)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok(SignedIn { state, user })
}

/// The signed-in user of the current request, if any.
pub async fn caller() -> Result<Option<CurrentUser>, AppError> {
    let state = app_state()?;
    let cell = remembered();
    look_up(&state, cell).await
}

/// The per-request place where [`remember_caller`] keeps the looked-up user.
#[derive(Clone, Default)]
struct CallerCell(Arc<tokio::sync::OnceCell<Option<CurrentUser>>>);

/// The request's [`CallerCell`], read from the request parts in the context (sync, so before
/// any await).
fn remembered() -> Option<CallerCell> {
    use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<CallerCell>().cloned())
}

/// Looks the caller up, once per request when the request carries a [`CallerCell`].
async fn look_up(
    state: &AppState,
    cell: Option<CallerCell>,
) -> Result<Option<CurrentUser>, AppError> {
    match cell {
        Some(cell) => cell
            .0
            .get_or_try_init(|| async {
                let session = session().await?;
                user_of(state, &session).await
            })
            .await
            .cloned(),
        None => {
            let session = session().await?;
            user_of(state, &session).await
        }
    }
}

/// Middleware: gives every request an empty caller cell, so that the first server
/// function of the request looks the user up and the others reuse the answer.
pub async fn remember_caller(
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    request.extensions_mut().insert(CallerCell::default());
    next.run(request).await
}

/// The signed-in user of a session, if any: `None` when signed out, after the absolute
/// lifetime ([`SESSION_ABSOLUTE_HOURS`]; the session is flushed) or when the account is not
/// active. Touches the session at most every 10 minutes, so that the inactivity expiry
/// follows activity without a database write on every request.
pub async fn user_of(
    state: &AppState,
    session: &tower_sessions::Session,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(user_id) = session
        .get::<String>(USER_KEY)
        .await
        .map_err(AppError::internal)?
    else {
        return Ok(None);
    };
    let signed_in_at = session
        .get::<i64>(SIGNED_IN_AT_KEY)
        .await
        .map_err(AppError::internal)?
        .unwrap_or(0);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    if now - signed_in_at > SESSION_ABSOLUTE_HOURS * 3600 {
        session.flush().await.map_err(AppError::internal)?;
        return Ok(None);
    }
    let period = now / 600;
    if session
        .get::<i64>(SEEN_KEY)
        .await
        .map_err(AppError::internal)?
        != Some(period)
    {
        session
            .insert(SEEN_KEY, period)
            .await
            .map_err(AppError::internal)?;
    }
    Ok(super::repo::active_user(&state.db, &state.catalog, &user_id).await?)
}
