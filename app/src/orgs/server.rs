//! Server functions for organisations.

use super::model::Organisation;
use crate::error::AppError;
use leptos::prelude::*;

/// Organisations filtered by kind (`special_ward`, `city`, `town`, `village`, `prefecture`,
/// `govtech`; blank = all) and a free-text query on name, kana, English name or code
/// (POST `/api/list_organisations`). Signed-in users. Errors: [`AppError::Invalid`] for an
/// unknown kind.
#[server(prefix = "/api", endpoint = "list_organisations")]
pub async fn list_organisations(
    kind: Option<String>,
    q: Option<String>,
) -> Result<Vec<Organisation>, AppError> {
    let state = crate::auth::request::signed_in().await?.state;
    let kind = parse_kind(kind.as_deref())?;
    Ok(state
        .catalog
        .organisations
        .iter()
        .filter(|o| kind.is_none_or(|k| o.kind == k))
        .filter(|o| o.matches(q.as_deref().unwrap_or("")))
        .cloned()
        .collect())
}

/// Parses an optional kind filter; blank means all.
pub fn parse_kind(kind: Option<&str>) -> Result<Option<super::model::OrgKind>, AppError> {
    match kind.map(str::trim).filter(|k| !k.is_empty()) {
        None => Ok(None),
        Some(k) => super::model::OrgKind::parse(k)
            .map(Some)
            .ok_or_else(|| AppError::Invalid {
                field: "kind".into(),
                reason: format!("unknown kind {}", crate::error::quoted(k)),
            }),
    }
}

/// One organisation (POST `/api/get_organisation`, `key` = lg code or `govtech_tokyo`).
/// Signed-in users. Errors: [`AppError::NotFound`]. What each capability shows about it comes
/// from that capability (e.g. `/api/get_org_progress`); the shell's organisation page gathers them.
#[server(prefix = "/api", endpoint = "get_organisation")]
pub async fn get_organisation(key: String) -> Result<Organisation, AppError> {
    let state = crate::auth::request::signed_in().await?.state;
    state
        .catalog
        .organisation(key.trim())
        .cloned()
        .ok_or(AppError::NotFound)
}
