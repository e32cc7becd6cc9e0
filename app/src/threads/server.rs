//! Server functions of threads that do not depend on the room: editing a post. (A room posts
//! in its own server function, which knows the subject, its notices and its redirect.)

use crate::error::AppError;
use leptos::prelude::*;

/// A post body as typed: NFC (か + U+3099 from a macOS keyboard is stored as が), line breaks
/// and control characters cleaned, trimmed, then checked ([`super::model::check_body`]).
/// Errors: [`AppError::Rejected`] on field `body` for a blank or too long body.
#[cfg(feature = "ssr")]
pub fn clean_body(raw: &str) -> Result<String, AppError> {
    use super::model::{BODY_MAX_CHARS, BodyProblem, check_body};
    let body = crate::text::clean_multiline(&crate::text::nfc(raw))
        .trim()
        .to_owned();
    // The length first: rendering an over-long body to see whether it is blank would let one
    // request keep a worker busy for seconds (a tag with thousands of attributes).
    let blank = body.chars().count() <= BODY_MAX_CHARS && crate::markdown::is_blank(&body);
    match check_body(&body, blank) {
        Ok(()) => Ok(body),
        Err(BodyProblem::Blank) => Err(AppError::Rejected {
            field: "body".into(),
            ja: "本文を入力してください。".into(),
            en: "Please write the text of your comment.".into(),
        }),
        Err(BodyProblem::TooLong { length }) => Err(AppError::Rejected {
            field: "body".into(),
            ja: format!("本文は{BODY_MAX_CHARS}文字以内にしてください（{length}文字）。"),
            en: format!("The text may be at most {BODY_MAX_CHARS} characters ({length})."),
        }),
    }
}

/// The post that a new post in the thread on `subject` answers, from the form's `reply_to`
/// (blank: none). Errors: [`AppError::Invalid`] on field `reply_to` for anything that is not a
/// post of this thread.
#[cfg(feature = "ssr")]
pub async fn reply_in(
    state: &crate::state::AppState,
    subject: &str,
    reply_to: &str,
) -> Result<Option<crate::ids::PostId>, AppError> {
    match crate::ids::PostId::parse(reply_to) {
        None if reply_to.trim().is_empty() => Ok(None),
        post => {
            let owner = match &post {
                Some(post) => super::repo::post_owner(&state.db, post).await?,
                None => None,
            };
            if owner.is_none_or(|(s, _)| s != subject) {
                return Err(AppError::Invalid {
                    field: "reply_to".into(),
                    reason: "not a post of this thread".into(),
                });
            }
            Ok(post)
        }
    }
}

/// Edits a post (POST `/api/edit_post`, fields `id`, `body`, `back` = the page to return to,
/// a local path). The earlier version is kept and shown under the post. Only its author,
/// while they may still post in the thread ([`crate::policy::may_edit_post`]).
///
/// Errors: [`AppError::NotFound`] for an unknown post; [`AppError::Forbidden`] for anyone
/// else; [`AppError::Rejected`] for a blank or too long body, or when another edit of the same
/// post was committed at the same moment; [`AppError::Invalid`] for a
/// `back` that is not a local path.
#[server(prefix = "/api", endpoint = "edit_post")]
pub async fn edit_post(id: String, body: String, back: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let id = crate::ids::PostId::parse(&id).ok_or(AppError::NotFound)?;
    let (subject, author) = super::repo::post_owner(&state.db, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !crate::policy::may_edit_post(&user, &subject, &author) {
        return Err(AppError::Forbidden);
    }
    edit_checked(&state, &user, &id, &body, &back).await
}

/// Edits post `id` for `user`, whom the caller has found allowed (the room's own rule): checks
/// `back` (a local path) and the body, keeps the earlier version, and redirects back to the post.
/// Errors as [`edit_post`].
#[cfg(feature = "ssr")]
pub async fn edit_checked(
    state: &crate::state::AppState,
    user: &crate::auth::model::CurrentUser,
    id: &crate::ids::PostId,
    body: &str,
    back: &str,
) -> Result<(), AppError> {
    if !crate::http::is_local_path(back) {
        return Err(AppError::Invalid {
            field: "back".into(),
            reason: "not a local path".into(),
        });
    }
    let body = clean_body(body)?;
    if !super::repo::edit_post(&state.db, id, &body).await? {
        return Err(AppError::Rejected {
            field: "body".into(),
            ja: "同じコメントが同時に編集されました。ページを再読み込みして、もう一度編集してください。".into(),
            en: "This comment was edited at the same moment elsewhere. Reload the page and edit again.".into(),
        });
    }
    tracing::info!(user = %user.id, post = %id, "post edited");
    leptos_axum::redirect(&crate::http::back_with_flag(
        back,
        "edited",
        &format!("comment-{id}"),
    ));
    Ok(())
}
