//! The upload and download routes (ssr only). Plain routes, not server functions: a file
//! upload is a multipart form, and a download is a file, both working without JavaScript.

use super::model::{FileProblem, classify, clean_name};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// POST `/attachments/upload` (multipart: `subject`, `back` = the page to return to, a local
/// path, `file`). Stores the file when the subject's owner lets the caller attach
/// ([`crate::policy::may_attach`]) and it passes [`classify`], then sends the browser back to
/// `back?attached=1#attachments`. A refusal goes back to `back` with the error shown there
/// (`?form_error=…`). Signed out: to `/login`. A `back` that is not a local path: 400.
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    multipart: Multipart,
) -> Response {
    let user = match uploader(&state, &session).await {
        Ok(user) => user,
        Err(answer) => return *answer,
    };
    let (upload, back) = match read_form(multipart).await {
        Ok(form) => form,
        Err(e) => return e.into_response(),
    };
    let subject = upload.field("subject").to_owned();
    if !crate::policy::may_attach(&user, &subject) {
        return refuse(&session, &back, AppError::Forbidden).await;
    }
    // The record must exist in the catalog: a municipality and one of the 20 systems.
    let known = crate::policy::record_of_subject(&subject).is_some_and(|(lg, system)| {
        state
            .catalog
            .organisation(&lg.to_string())
            .is_some_and(|o| o.kind.is_municipal())
            && state.catalog.systems.iter().any(|s| s.code == system)
    });
    if !known {
        return refuse(&session, &back, AppError::NotFound).await;
    }
    store(&state, &session, &user, &subject, upload, &back).await
}

/// The signed-in caller of an upload route; otherwise the answer: signed out, to `/login`
/// (an upload is a plain form), or the error.
pub async fn uploader(
    state: &AppState,
    session: &Session,
) -> Result<crate::auth::model::CurrentUser, Box<Response>> {
    match crate::auth::request::user_of(state, session).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(Box::new(Redirect::to("/login").into_response())),
        Err(e) => Err(Box::new(e.into_response())),
    }
}

/// Sends the browser back to `back` (an upload form's page) with `error` shown there.
pub async fn refuse(session: &Session, back: &str, error: AppError) -> Response {
    let to = crate::auth::flash::redirect_with_error(session, back, error).await;
    Redirect::to(&to).into_response()
}

/// An upload form and its `back` field (the page to return to), which must be a local path
/// ([`AppError::Invalid`], 400, otherwise); a form that cannot be read is refused as
/// [`crate::http::read_upload`] says.
pub async fn read_form(multipart: Multipart) -> Result<(crate::http::Upload, String), AppError> {
    let upload = crate::http::read_upload(multipart).await?;
    let back = back_of(&upload)?;
    Ok((upload, back))
}

/// The upload's `back` field when it is a local path; [`AppError::Invalid`] (400) otherwise.
fn back_of(upload: &crate::http::Upload) -> Result<String, AppError> {
    let back = upload.field("back").to_owned();
    if crate::http::is_local_path(&back) {
        Ok(back)
    } else {
        Err(AppError::Invalid {
            field: "back".into(),
            reason: "not a local path".into(),
        })
    }
}

/// Stores the uploaded file on `subject` for `user` (whom the subject's owner has already
/// let attach) when it passes [`classify`] and the subject has room, then sends the browser
/// back to `back?attached=1#attachments`; a refused file goes back to `back` with its error.
pub async fn store(
    state: &AppState,
    session: &Session,
    user: &crate::auth::model::CurrentUser,
    subject: &str,
    upload: crate::http::Upload,
    back: &str,
) -> Response {
    let (raw_name, bytes) = upload.file.unwrap_or_default();
    let name = clean_name(&raw_name);
    let sniffed = infer::get(&bytes).map(|t| t.mime_type());
    let kind = match classify(&name, &bytes, sniffed) {
        Ok(kind) => kind,
        Err(problem) => return refuse(session, back, rejected_file(&problem)).await,
    };
    let id = crate::ids::random_key();
    let size = bytes.len();
    let file = super::repo::NewAttachment {
        id: &id,
        subject,
        name: &name,
        content_type: kind.content_type(),
        content: bytes,
        uploader_id: &user.id,
    };
    match super::repo::create(&state.db, file).await {
        Ok(true) => {}
        Ok(false) => {
            let full = FileProblem::TooMany {
                max: super::model::MAX_PER_SUBJECT,
            };
            return refuse(session, back, rejected_file(&full)).await;
        }
        Err(e) => return refuse(session, back, e.into()).await,
    }
    tracing::info!(user = %user.id, %subject, attachment = %id, size, "file attached");
    Redirect::to(&crate::http::back_with_flag(
        back,
        "attached",
        "attachments",
    ))
    .into_response()
}

/// The error shown for a refused file (field `file`).
fn rejected_file(problem: &FileProblem) -> AppError {
    AppError::Rejected {
        field: "file".into(),
        ja: problem.message(Lang::Ja),
        en: problem.message(Lang::En),
    }
}

/// GET `/attachments/{id}`: the file, as a download, for a caller the subject's owner lets
/// read it ([`crate::policy::may_read_attachment`]). Signed out: 401; unknown or not
/// readable: 404 (whether it exists is not revealed).
pub async fn download(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let user = crate::auth::request::user_of(&state, &session)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let id = crate::ids::AttachmentId::parse(&id).ok_or(AppError::NotFound)?;
        let file = super::repo::file(&state.db, &id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !crate::policy::may_read_attachment(&user, &file.subject) {
            return Err(AppError::NotFound);
        }
        Ok(file)
    }
    .await;
    serve(result)
}

/// A stored file as a download (`Content-Disposition: attachment`, `nosniff`, a sandboxing
/// CSP), or the error.
pub fn serve(file: Result<super::repo::StoredFile, AppError>) -> Response {
    match file {
        Ok(file) => crate::http::attachment(&file.name, &file.content_type, Ok(file.content)),
        Err(e) => e.into_response(),
    }
}
