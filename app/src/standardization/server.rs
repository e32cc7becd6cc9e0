//! Server functions and HTTP routes for standardization tracking.

use super::model::{ImportReport, Matrix, StandardSystem, SystemSummary};
use crate::auth::model::CurrentUser;
use crate::error::AppError;
use crate::orgs::server::OrgDetail;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the home page shows: the user's own organisation's 20 systems when it is a
/// municipality, and the council-wide summary per system for everyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Home {
    /// The signed-in user.
    pub user: CurrentUser,
    /// Own municipality's row; `None` for Tokyo and GovTech Tokyo users.
    pub own: Option<OrgDetail>,
    /// The systems and, per system, the share of the 62 municipalities by status.
    pub systems: Vec<StandardSystem>,
    /// Summary per system (same order as `systems`).
    pub summary: Vec<SystemSummary>,
}

/// The matrix of municipalities × systems, optionally filtered by kind
/// (POST `/api/get_matrix`). Signed-in users. Errors: [`AppError::Invalid`] for an unknown
/// or non-municipal kind.
#[server(prefix = "/api", endpoint = "get_matrix")]
pub async fn get_matrix(kind: Option<String>) -> Result<Matrix, AppError> {
    use crate::auth::{policy, server as auth};
    policy::require_user(auth::caller().await?)?;
    let kind = crate::orgs::server::parse_kind(kind.as_deref())?;
    if kind.is_some_and(|k| !k.is_municipal()) {
        return Err(AppError::Invalid {
            field: "kind".into(),
            reason: "not a municipal kind".into(),
        });
    }
    matrix(&auth::app_state()?, kind).await
}

/// The matrix of the municipalities of `kind` (all when `None`), for a caller already
/// checked (ssr only).
#[cfg(feature = "ssr")]
async fn matrix(
    state: &crate::setup::AppState,
    kind: Option<crate::orgs::model::OrgKind>,
) -> Result<Matrix, AppError> {
    let progress = super::repo::all_progress(&state.db).await?;
    let municipalities = state
        .catalog
        .municipalities()
        .filter(|o| kind.is_none_or(|k| o.kind == k))
        .cloned()
        .collect();
    Ok(Matrix::build(
        state.catalog.systems.clone(),
        municipalities,
        &progress,
    ))
}

/// The signed-in user's home (POST `/api/get_home`). Signed-in users. One read of the
/// progress serves both the user's own row and the council summary.
#[server(prefix = "/api", endpoint = "get_home")]
pub async fn get_home() -> Result<Home, AppError> {
    use crate::auth::{policy, server as auth};
    let user = policy::require_user(auth::caller().await?)?;
    let Matrix {
        systems,
        rows,
        summary,
    } = matrix(&auth::app_state()?, None).await?;
    let own = rows
        .into_iter()
        .find(|row| row.organisation.key == user.organisation.key)
        .map(|row| OrgDetail {
            organisation: row.organisation,
            systems: systems.clone(),
            progress: row.cells,
        });
    Ok(Home {
        user,
        own,
        systems,
        summary,
    })
}

/// The report of an import run (POST `/api/get_import_run`). Only the user who ran it, a
/// Tokyo officer or an administrator may read it; others get [`AppError::NotFound`] (the
/// run's existence is not revealed).
#[server(prefix = "/api", endpoint = "get_import_run")]
pub async fn get_import_run(id: String) -> Result<ImportReport, AppError> {
    use crate::auth::{policy, server as auth};
    let user = policy::require_user(auth::caller().await?)?;
    let state = auth::app_state()?;
    let id = id.trim();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let (actor, report) = super::repo::import_run(&state.db, id).await?;
    if !policy::may_view_import_run(&user, &actor) {
        return Err(AppError::NotFound);
    }
    Ok(report)
}

/// Checks an uploaded file completely and, when it has no errors, writes it in one
/// transaction. Either way the run is stored and its report returned (ssr only).
///
/// `may_write` comes from the policy: lines for municipalities the user may not write are
/// errors, so nothing is written.
#[cfg(feature = "ssr")]
pub async fn run_import(
    state: &crate::setup::AppState,
    user: &CurrentUser,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportReport, AppError> {
    use super::model::CellChange;
    use crate::auth::policy;
    policy::require_import(user)?;
    let reference = state.catalog.import_reference();
    // Checking a file is CPU work: keep it off the async workers.
    let parsed = {
        let (bytes, reference, user) = (bytes.to_vec(), reference.clone(), user.clone());
        tokio::task::spawn_blocking(move || {
            super::import::parse(&bytes, &reference, |code| {
                policy::may_write_progress(&user, code)
            })
        })
        .await
        .map_err(AppError::internal)?
    };
    let mut report = ImportReport {
        id: random_id(),
        file_name: file_name.chars().take(200).collect(),
        encoding: parsed.encoding.to_owned(),
        applied: false,
        rows: parsed.rows,
        changes: Vec::new(),
        unchanged: 0,
        errors: parsed.errors,
        warnings: parsed.warnings,
        created_at: chrono::Utc::now().to_rfc3339(),
    };
    if !report.errors.is_empty() {
        super::repo::record_refused_import(&state.db, &user.id, &report).await?;
        return Ok(report);
    }
    // One import at a time: the "before" values read here stay true until the write commits.
    let _serialized = state.import_lock.lock().await;
    let stored = super::repo::all_progress(&state.db).await?;
    let stored: std::collections::HashMap<(&str, &str), &super::model::Progress> = stored
        .iter()
        .map(|p| ((p.lg_code.as_str(), p.system.as_str()), p))
        .collect();
    for line in &parsed.lines {
        let before = stored
            .get(&(line.lg_code.as_str(), line.system.as_str()))
            .copied();
        let after = line.apply(before);
        let fields: Vec<String> = match before {
            Some(b) => after
                .changed_fields(b)
                .into_iter()
                .map(String::from)
                .collect(),
            None => vec!["status".into()],
        };
        if fields.is_empty() {
            report.unchanged += 1;
            continue;
        }
        let org = &reference.municipalities[line.lg_code.as_str()];
        let system = reference
            .systems
            .iter()
            .find(|s| s.code == line.system)
            .cloned()
            .ok_or(AppError::Internal)?;
        report.changes.push(CellChange {
            line: line.line,
            lg_code: line.lg_code.clone(),
            lg_name_ja: org.name_ja.clone(),
            lg_name_en: org.name_en.clone(),
            system: system.code,
            system_name_ja: system.name_ja,
            system_name_en: system.name_en,
            before: before.cloned(),
            after,
            fields,
        });
    }
    report.applied = true;
    super::repo::apply_import(&state.db, &user.id, &report).await?;
    tracing::info!(user = %user.id, changes = report.changes.len(), "progress import applied");
    Ok(report)
}

#[cfg(feature = "ssr")]
fn random_id() -> String {
    use rand::Rng;
    let bytes: [u8; 12] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// POST `/standardization/import/upload` (multipart form, field `file`): runs the import and
/// answers 303 to `/standardization/import/<run id>`, which shows the report. Works as a
/// plain HTML form. Not signed in: 303 to `/login`; not allowed to import: 403.
#[cfg(feature = "ssr")]
pub async fn import_upload(
    axum::extract::State(state): axum::extract::State<crate::setup::AppState>,
    session: tower_sessions::Session,
    mut multipart: axum::extract::Multipart,
) -> axum::response::Response {
    use axum::response::{IntoResponse, Redirect};
    let user = match crate::auth::server::user_of(&state, &session).await {
        Ok(Some(u)) => u,
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(e) => return error_response(e),
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("upload.csv").to_owned();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes.to_vec())),
                    Err(e) => {
                        return error_response(AppError::Invalid {
                            field: "file".into(),
                            reason: e.to_string(),
                        });
                    }
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(e) => {
                return error_response(AppError::Invalid {
                    field: "file".into(),
                    reason: e.to_string(),
                });
            }
        }
    }
    let (name, bytes) = file.unwrap_or_else(|| (String::new(), Vec::new()));
    match run_import(&state, &user, &name, &bytes).await {
        Ok(report) => {
            Redirect::to(&format!("/standardization/import/{}", report.id)).into_response()
        }
        Err(e) => error_response(e),
    }
}

/// GET `/standardization/export.csv`: every stored progress cell in the import format,
/// UTF-8 with BOM. Signed-in users; 401 otherwise.
#[cfg(feature = "ssr")]
pub async fn export_csv(
    axum::extract::State(state): axum::extract::State<crate::setup::AppState>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let result = async {
        crate::auth::policy::require_user(crate::auth::server::user_of(&state, &session).await?)?;
        let progress = super::repo::all_progress(&state.db).await?;
        Ok::<_, AppError>(super::export::to_csv(
            &progress,
            &state.catalog.organisations,
            &state.catalog.systems,
        ))
    }
    .await;
    match result {
        Ok(bytes) => (
            [
                (http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"kyodo_progress.csv\"",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error_response(e),
    }
}

/// A plain-text error response with the error's status and its Japanese and English message.
#[cfg(feature = "ssr")]
fn error_response(e: AppError) -> axum::response::Response {
    use crate::i18n::Lang;
    use axum::response::IntoResponse;
    let status =
        http::StatusCode::from_u16(e.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        format!("{}\n{}\n", e.message(Lang::Ja), e.message(Lang::En)),
    )
        .into_response()
}
