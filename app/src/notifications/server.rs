//! Server functions of the inbox: list, unread count, mark read.

use super::model::InboxItem;
use crate::error::AppError;
use leptos::prelude::*;

/// The caller's notifications, newest first (POST `/api/list_notifications`). Signed-in
/// users; each sees only their own.
#[server(prefix = "/api", endpoint = "list_notifications")]
pub async fn list_notifications() -> Result<Vec<InboxItem>, AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    Ok(super::repo::inbox(&state.db, &user.id).await?)
}

/// The number of the caller's unread notifications (POST `/api/count_unread_notifications`),
/// 0 when not signed in.
#[server(prefix = "/api", endpoint = "count_unread_notifications")]
pub async fn count_unread_notifications() -> Result<u32, AppError> {
    let state = crate::auth::request::app_state()?;
    match crate::auth::request::caller().await? {
        Some(user) => Ok(super::repo::unread_count(&state.db, &user.id).await?),
        None => Ok(0),
    }
}

/// Marks all of the caller's notifications read (POST `/api/mark_notifications_read`).
#[server(prefix = "/api", endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read(#[server(default)] up_to: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let up_to = crate::ids::Timestamp::parse(&up_to).ok_or_else(|| {
        AppError::Rejected {
            field: "up_to".into(),
            ja: "どの通知まで既読にするかが分かりません。通知の画面を再読み込みしてください。".into(),
            en: "It is not clear up to which notification to mark as read: please reload the notifications page.".into(),
        }
    })?;
    let marked = super::repo::mark_read(&state.db, &user.id, up_to).await?;
    tracing::debug!(user = %user.id, marked, "notifications marked read");
    leptos_axum::redirect("/notifications?read=1");
    Ok(())
}
