//! Server functions for organisations.

use super::model::Organisation;
use crate::error::AppError;
use crate::standardization::model::{Progress, StandardSystem};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An organisation with its standardization row (empty for Tokyo and GovTech Tokyo).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgDetail {
    /// The organisation.
    pub organisation: Organisation,
    /// The 20 systems in number order.
    pub systems: Vec<StandardSystem>,
    /// One cell per system (same order); `None` when not reported. Empty for non-municipal.
    pub progress: Vec<Option<Progress>>,
}

/// Organisations filtered by kind (`special_ward`, `city`, `town`, `village`, `prefecture`,
/// `govtech`; blank = all) and a free-text query on name, kana, English name or code
/// (POST `/api/list_organisations`). Signed-in users. Errors: [`AppError::Invalid`] for an
/// unknown kind.
#[server(prefix = "/api", endpoint = "list_organisations")]
pub async fn list_organisations(
    kind: Option<String>,
    q: Option<String>,
) -> Result<Vec<Organisation>, AppError> {
    use crate::auth::{policy, server as auth};
    let state = auth::app_state()?;
    policy::require_user(auth::caller().await?)?;
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

/// One organisation with its progress row (POST `/api/get_organisation`, `key` = lg code or
/// `govtech_tokyo`). Signed-in users. Errors: [`AppError::NotFound`].
#[server(prefix = "/api", endpoint = "get_organisation")]
pub async fn get_organisation(key: String) -> Result<OrgDetail, AppError> {
    use crate::auth::{policy, server as auth};
    let state = auth::app_state()?;
    policy::require_user(auth::caller().await?)?;
    org_detail(&state, key.trim()).await
}

/// One organisation with its progress row, for a caller already checked (ssr only).
#[cfg(feature = "ssr")]
pub async fn org_detail(state: &crate::setup::AppState, key: &str) -> Result<OrgDetail, AppError> {
    let organisation = state
        .catalog
        .organisation(key)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let progress = match &organisation.lg_code {
        Some(code) if organisation.kind.is_municipal() => {
            let cells = crate::standardization::repo::progress_of(&state.db, code).await?;
            state
                .catalog
                .systems
                .iter()
                .map(|s| cells.iter().find(|c| c.system == s.code).cloned())
                .collect()
        }
        _ => Vec::new(),
    };
    Ok(OrgDetail {
        organisation,
        systems: state.catalog.systems.clone(),
        progress,
    })
}
