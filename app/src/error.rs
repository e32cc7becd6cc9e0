//! The one application error type.
//!
//! When to use which error:
//! - [`AppError`] is what server functions and HTTP handlers return. Each variant has a stable
//!   code that the UI translates ([`AppError::message`]) and an HTTP status ([`AppError::status`]).
//!   Internal causes (database, I/O) are logged on the server and become [`AppError::Internal`];
//!   their text is never sent to the browser.
//! - Inside ssr-only infrastructure (start-up, schema, reference loading) use `anyhow::Result`
//!   with `.context("…")`, so that a failed start prints a clear chain of causes.
//! - CSV import problems are not errors of the request: they are a list of
//!   [`crate::standardization::model::ImportIssue`] reported with line and column.

use crate::i18n::Lang;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// An error a user can see. Serialized as JSON to the browser; never carries internal details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    /// 401: the request needs a signed-in user. The page offers the sign-in link.
    #[error("sign-in required")]
    Unauthenticated,
    /// 403: the signed-in user's role or organisation does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// 404: the thing asked for does not exist (or is not visible to the caller).
    #[error("not found")]
    NotFound,
    /// 400: an input field is invalid; `field` names it (the UI shows [`AppError::message`]),
    /// `reason` says what is wrong in English for the server log. Only `field` is sent: the
    /// reason may quote the input.
    #[error("invalid {field}: {reason}")]
    Invalid {
        field: String,
        #[serde(default, skip_serializing)]
        reason: String,
    },
    /// 400: a field breaks a domain rule; the domain code gives the message in both languages
    /// (e.g. "移行目標日は2031-03-31より後にできません").
    #[error("rejected {field}: {en}")]
    Rejected {
        field: String,
        ja: String,
        en: String,
    },
    /// 413: the request body is larger than Kyodo accepts (`limit_bytes`, e.g. 5 MiB for an
    /// upload); nothing was read or written.
    #[error("request body over {limit_bytes} bytes")]
    TooLarge { limit_bytes: usize },
    /// 403: demo sign-in is switched off on this server (it is refused off loopback).
    #[error("demo sign-in disabled")]
    DemoDisabled,
    /// 503: the write lost to concurrent writes again and again (the database serializes the
    /// writes that share a change counter); nothing was written, the same request may be sent
    /// again.
    #[error("busy: lost write races")]
    Busy,
    /// 500: something failed on the server. `detail` is the cause, for the server log and
    /// start-up errors; it is never sent to the browser.
    #[error("internal error: {detail}")]
    Internal {
        #[serde(default, skip_serializing)]
        detail: String,
    },
    /// 400: the request itself could not be read or sent (missing argument, bad encoding,
    /// network). `detail` comes from the server-function layer; it is not sent to the browser.
    #[error("request failed: {detail}")]
    Request {
        #[serde(default, skip_serializing)]
        detail: String,
    },
}

/// A user's value for an error message: quoted, at most 40 characters (then `…`), so that a
/// huge input is never echoed back whole.
pub fn quoted(value: &str) -> String {
    let mut cut: String = value.chars().take(40).collect();
    if value.chars().nth(40).is_some() {
        cut.push('…');
    }
    format!("{cut:?}")
}

impl AppError {
    /// HTTP status of this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden | AppError::DemoDisabled => 403,
            AppError::NotFound => 404,
            AppError::Invalid { .. } | AppError::Rejected { .. } => 400,
            AppError::Request { .. } => 400,
            AppError::TooLarge { .. } => 413,
            AppError::Busy => 503,
            AppError::Internal { .. } => 500,
        }
    }

    /// What the user reads, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Unauthenticated => lang
                .pick(
                    "この操作にはサインインが必要です。",
                    "Please sign in to continue.",
                )
                .into(),
            AppError::Forbidden => lang
                .pick(
                    "この操作を行う権限がありません。",
                    "You do not have permission to do this.",
                )
                .into(),
            AppError::NotFound => lang
                .pick(
                    "お探しのものは見つかりませんでした。",
                    "We could not find that.",
                )
                .into(),
            AppError::Invalid { field, .. } => match lang {
                Lang::Ja => format!("入力項目「{field}」の値が正しくありません。"),
                Lang::En => format!("The value of “{field}” is not valid."),
            },
            AppError::Rejected { ja, en, .. } => lang.pick(ja, en).to_owned(),
            AppError::TooLarge { limit_bytes } => {
                let mib = *limit_bytes as f64 / (1024.0 * 1024.0);
                match lang {
                    Lang::Ja => format!(
                        "送信された内容が大きすぎます。上限は{mib:.0} MiBです。ファイルを分けて送ってください。"
                    ),
                    Lang::En => format!(
                        "What was sent is too large: the limit is {mib:.0} MiB. Please split the file."
                    ),
                }
            }
            AppError::DemoDisabled => lang
                .pick(
                    "このサーバーではデモ用サインインは使えません。",
                    "Demo sign-in is not available on this server.",
                )
                .into(),
            AppError::Request { .. } => lang
                .pick(
                    "リクエストを処理できませんでした。入力内容を確認してもう一度お試しください。",
                    "The request could not be processed. Please check the form and try again.",
                )
                .into(),
            AppError::Busy => lang
                .pick(
                    "同時に多くの更新があり、保存できませんでした。もう一度お試しください（何も保存されていません）。",
                    "Too many changes were being saved at the same moment; nothing was saved. Please try again.",
                )
                .into(),
            AppError::Internal { .. } => lang
                .pick(
                    "サーバーで問題が起きました。時間をおいて再度お試しください。",
                    "Something went wrong on the server. Please try again later.",
                )
                .into(),
        }
    }

    /// A page title for a page that shows only this error (e.g. "サインインが必要です"), so
    /// that such a page is never untitled (WCAG 2.4.2).
    pub fn title(&self, lang: Lang) -> &'static str {
        match self {
            AppError::Unauthenticated => lang.pick("サインインが必要です", "Sign-in required"),
            AppError::Forbidden | AppError::DemoDisabled => {
                lang.pick("権限がありません", "Not permitted")
            }
            AppError::NotFound => lang.pick("見つかりません", "Not found"),
            AppError::Invalid { .. } | AppError::Rejected { .. } | AppError::Request { .. } => {
                lang.pick("入力に誤りがあります", "Invalid request")
            }
            AppError::TooLarge { .. } => lang.pick("送信内容が大きすぎます", "Too large"),
            AppError::Busy => lang.pick("混み合っています", "Busy"),
            AppError::Internal { .. } => lang.pick("サーバーエラー", "Server error"),
        }
    }

    /// [`AppError::Rejected`] on `field` with `message` in both languages (a domain rule's
    /// refusal, e.g. "締切は今より後にしてください").
    pub fn rejected(field: &str, message: impl Fn(Lang) -> String) -> AppError {
        AppError::Rejected {
            field: field.into(),
            ja: message(Lang::Ja),
            en: message(Lang::En),
        }
    }

    /// Logs an internal cause and returns [`AppError::Internal`]; the cause stays on the server.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        AppError::Internal {
            detail: cause.to_string(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request {
            detail: value.to_string(),
        }
    }
}

/// Gives server-function error responses the status of their [`AppError`] (the
/// server-function layer answers every error with 500). Plain-form posts are redirects and
/// pass unchanged.
#[cfg(feature = "ssr")]
pub async fn server_fn_status(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != http::StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return axum::response::Response::from_parts(parts, axum::body::Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = http::StatusCode::from_u16(error.status())
    {
        parts.status = status;
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Answers 413 [`AppError::TooLarge`] (JSON `{"code":"too_large","limit_bytes":…}` from
/// `/api/…`, the bilingual text elsewhere) for a body over `limit` bytes: at once when its
/// `Content-Length` says so, otherwise (a body sent in chunks) after reading at most `limit`
/// bytes of it.
#[cfg(feature = "ssr")]
pub async fn refuse_large_bodies(
    axum::extract::State(limit): axum::extract::State<usize>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let too_large = |path: &str| {
        use axum::response::IntoResponse;
        let error = AppError::TooLarge { limit_bytes: limit };
        if path.starts_with("/api/") {
            (
                http::StatusCode::PAYLOAD_TOO_LARGE,
                [(http::header::CONTENT_TYPE, "application/json")],
                serde_json::to_string(&error).unwrap_or_default(),
            )
                .into_response()
        } else {
            error.into_response()
        }
    };
    let length = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match length {
        Some(n) if n > limit as u64 => too_large(request.uri().path()),
        Some(_) => next.run(request).await,
        None if request.method() == http::Method::GET || request.method() == http::Method::HEAD => {
            next.run(request).await
        }
        None => {
            let path = request.uri().path().to_owned();
            let (parts, body) = request.into_parts();
            match axum::body::to_bytes(body, limit).await {
                Ok(bytes) => {
                    let request =
                        axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
                    next.run(request).await
                }
                Err(_) => too_large(&path),
            }
        }
    }
}

/// An error as an HTTP answer for plain routes (uploads, downloads): its status, and its
/// message in both languages as text (JSON when the client asked for it is the
/// server-function layer's job).
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status =
            http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::BAD_REQUEST);
        let body = format!("{}\n{}\n", self.message(Lang::Ja), self.message(Lang::En));
        (
            status,
            [(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            body,
        )
            .into_response()
    }
}

#[cfg(feature = "ssr")]
impl From<surrealdb::Error> for AppError {
    fn from(e: surrealdb::Error) -> Self {
        AppError::internal(e)
    }
}

#[cfg(feature = "ssr")]
impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::internal(format!("{e:#}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_round_trips_through_the_wire() {
        let all = [
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::Invalid {
                field: "kind".into(),
                reason: String::new(),
            },
            AppError::DemoDisabled,
            AppError::Busy,
            AppError::TooLarge {
                limit_bytes: 5 * 1024 * 1024,
            },
            AppError::Internal {
                detail: String::new(),
            },
            AppError::Request {
                detail: String::new(),
            },
        ];
        for e in all {
            assert_eq!(AppError::de(e.ser()), e);
            assert!(!e.message(Lang::Ja).is_empty() && !e.message(Lang::En).is_empty());
        }
    }

    #[test]
    fn causes_stay_on_the_server_but_show_in_start_up_errors() {
        let internal = AppError::internal("connection refused (surrealkv://data/db)");
        assert!(
            internal.to_string().contains("connection refused"),
            "{internal}"
        );
        assert_eq!(
            serde_json::to_string(&internal).unwrap(),
            r#"{"code":"internal"}"#
        );
        let invalid = AppError::Invalid {
            field: "kind".into(),
            reason: "unknown kind \"<script>\"".into(),
        };
        assert!(invalid.to_string().contains("<script>"));
        assert_eq!(
            serde_json::to_string(&invalid).unwrap(),
            r#"{"code":"invalid","field":"kind"}"#
        );
    }
}
