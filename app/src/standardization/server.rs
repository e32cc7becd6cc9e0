//! Server functions and HTTP routes for standardization tracking.

use super::dashboard::Dashboard;
use super::model::{
    HistoryEntry, ImportReport, Matrix, Progress, StandardSystem, Step, StepStatus, TemplateChange,
};
use super::views::{Home, OrgDetail};
#[cfg(feature = "ssr")]
use crate::auth::model::CurrentUser;
use crate::error::AppError;
use crate::orgs::model::Organisation;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The matrix of municipalities × systems (the heatmap), optionally filtered by kind and by
/// Government Cloud provider (cells on another provider are left out), and sorted
/// (POST `/api/get_matrix`, `sort` = `code` (default) | `progress_desc` | `progress_asc`).
/// Signed-in users. Errors: [`AppError::Invalid`] for an unknown or non-municipal kind, an
/// unknown provider or sort.
#[server(prefix = "/api", endpoint = "get_matrix")]
pub async fn get_matrix(
    kind: Option<String>,
    cloud: Option<String>,
    sort: Option<String>,
) -> Result<Matrix, AppError> {
    let state = crate::auth::request::signed_in().await?.state;
    let query = MatrixQuery::parse(kind, cloud, sort)?;
    sorted_matrix(&state, &query).await
}

/// The heatmap as its page shows it (POST `/api/get_heatmap`; the same fields, rule and
/// errors as [`get_matrix`]): the table rendered to HTML in the caller's language
/// (`heatmap::table_html`). Each server renders a filter's table once and keeps it until the
/// progress counter moves (a progress write on any server), so a request costs the session
/// lookup, one counter read and a copy.
#[server(prefix = "/api", endpoint = "get_heatmap")]
pub async fn get_heatmap(
    kind: Option<String>,
    cloud: Option<String>,
    sort: Option<String>,
) -> Result<super::views::HeatmapView, AppError> {
    use super::repo::PROGRESS_COUNTER;
    use super::views::HeatmapView;
    let state = crate::auth::request::signed_in().await?.state;
    let lang = crate::i18n::detect_lang();
    let query = MatrixQuery::parse(kind, cloud, sort)?;
    let key = format!("{query:?} {lang:?}");
    let state = &state;
    state
        .caches
        .keyed(&state.db, PROGRESS_COUNTER, key, MAX_KEPT, || async move {
            let matrix = sorted_matrix(state, &query).await?;
            let count = matrix.rows.len();
            let demo = matrix
                .rows
                .iter()
                .any(|r| r.cells.iter().flatten().any(|c| c.is_demo));
            // Rendering 1,240 cells is CPU work for a blocking thread, which also starts with
            // an empty stack (a debug build's view types need a deep one).
            let table_html =
                tokio::task::spawn_blocking(move || super::heatmap::table_html(matrix, lang))
                    .await
                    .map_err(AppError::internal)?;
            Ok(HeatmapView {
                count,
                demo,
                table_html,
            })
        })
        .await
}

/// The most heatmaps (about 250 KB each) or dashboards one server keeps at once, by filter
/// and language, until the progress counter moves (every filter × order × language of the
/// heatmap is 252; the few in use stay).
#[cfg(feature = "ssr")]
const MAX_KEPT: usize = 24;

/// The matrix's filter and order, checked.
#[cfg(feature = "ssr")]
#[derive(Debug)]
struct MatrixQuery {
    kind: Option<crate::orgs::model::OrgKind>,
    cloud: Option<super::model::GovCloud>,
    /// `Some(true)`: most progress first; `Some(false)`: least; `None`: by code.
    descending: Option<bool>,
}

#[cfg(feature = "ssr")]
impl MatrixQuery {
    /// [`AppError::Invalid`] naming `kind`, `cloud` or `sort` when one is unknown.
    fn parse(
        kind: Option<String>,
        cloud: Option<String>,
        sort: Option<String>,
    ) -> Result<MatrixQuery, AppError> {
        let kind = parse_municipal_kind(kind.as_deref())?;
        let cloud = parse_cloud(cloud.as_deref())?;
        let descending = match sort.as_deref().unwrap_or("").trim() {
            "" | "code" => None,
            "progress_desc" => Some(true),
            "progress_asc" => Some(false),
            other => {
                return Err(AppError::Invalid {
                    field: "sort".into(),
                    reason: format!("unknown sort {}", crate::error::quoted(other)),
                });
            }
        };
        Ok(MatrixQuery {
            kind,
            cloud,
            descending,
        })
    }
}

/// The matrix of a checked query, for a caller already checked (ssr only).
#[cfg(feature = "ssr")]
async fn sorted_matrix(
    state: &crate::state::AppState,
    query: &MatrixQuery,
) -> Result<Matrix, AppError> {
    let mut m = matrix(state, query.kind, query.cloud).await?;
    if let Some(descending) = query.descending {
        m.sort_by_progress(descending);
    }
    Ok(m)
}

/// A municipal kind filter: blank = all; [`AppError::Invalid`] for others.
#[cfg(feature = "ssr")]
fn parse_municipal_kind(
    kind: Option<&str>,
) -> Result<Option<crate::orgs::model::OrgKind>, AppError> {
    let kind = crate::orgs::server::parse_kind(kind)?;
    if kind.is_some_and(|k| !k.is_municipal()) {
        return Err(AppError::Invalid {
            field: "kind".into(),
            reason: "not a municipal kind".into(),
        });
    }
    Ok(kind)
}

/// A Government Cloud filter: blank = all; [`AppError::Invalid`] for an unknown provider.
#[cfg(feature = "ssr")]
fn parse_cloud(cloud: Option<&str>) -> Result<Option<super::model::GovCloud>, AppError> {
    match cloud.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => super::model::GovCloud::parse(c)
            .map(Some)
            .ok_or_else(|| AppError::Invalid {
                field: "cloud".into(),
                reason: format!("unknown provider {}", crate::error::quoted(c)),
            }),
    }
}

/// Every stored progress cell (as [`super::repo::all_progress`] reads them), current as of
/// the last write on any server: read again only when the progress counter moved
/// ([`crate::db::counter`]).
#[cfg(feature = "ssr")]
pub async fn all_progress(
    state: &crate::state::AppState,
) -> Result<std::sync::Arc<Vec<super::model::Progress>>, AppError> {
    use super::repo::PROGRESS_COUNTER;
    let slot = state
        .caches
        .slot::<Vec<super::model::Progress>>(PROGRESS_COUNTER);
    let progress = slot
        .get(&state.db, PROGRESS_COUNTER, |_, now| async move {
            // Read after the counter: a write committed in between makes the next read load
            // again.
            Ok((now, super::repo::all_progress(&state.db).await?))
        })
        .await?;
    Ok(progress)
}

/// The matrix of the municipalities of `kind` (all when `None`), for a caller already
/// checked (ssr only).
#[cfg(feature = "ssr")]
async fn matrix(
    state: &crate::state::AppState,
    kind: Option<crate::orgs::model::OrgKind>,
    cloud: Option<super::model::GovCloud>,
) -> Result<Matrix, AppError> {
    let all = all_progress(state).await?;
    let progress: Vec<super::model::Progress> = all
        .iter()
        .filter(|p| cloud.is_none() || p.gov_cloud == cloud)
        .cloned()
        .collect();
    let municipalities = state.catalog.municipalities_of(kind);
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
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let all = all_progress(&state).await?;
    let Matrix {
        systems,
        rows,
        summary,
    } = Matrix::build(
        state.catalog.systems.clone(),
        state.catalog.municipalities_of(None),
        &all,
    );
    let own = rows
        .into_iter()
        .find(|row| row.organisation.key == user.organisation.key)
        .map(|row| OrgDetail {
            progress: row_of(&systems, &all, &row.organisation.key),
            organisation: row.organisation,
            systems: systems.clone(),
        });
    Ok(Home {
        user,
        own,
        systems,
        summary,
    })
}

/// One organisation with its standardization row (POST `/api/get_org_progress`, `key` = lg
/// code or `govtech_tokyo`; the row is empty for Tokyo and GovTech Tokyo). Signed-in users.
/// Errors: [`AppError::NotFound`] for an unknown organisation.
#[server(prefix = "/api", endpoint = "get_org_progress")]
pub async fn get_org_progress(key: String) -> Result<OrgDetail, AppError> {
    let state = crate::auth::request::signed_in().await?.state;
    org_detail(&state, key.trim()).await
}

/// One municipality's records (`lg_code`) among `all`, one per system in the order of
/// `systems`, `None` where it reported nothing (ssr only).
#[cfg(feature = "ssr")]
fn row_of(
    systems: &[super::model::StandardSystem],
    all: &[super::model::Progress],
    lg_code: &str,
) -> Vec<Option<super::model::Progress>> {
    let own: Vec<&super::model::Progress> = all
        .iter()
        .filter(|p| p.lg_code.as_str() == lg_code)
        .collect();
    systems
        .iter()
        .map(|s| {
            own.iter()
                .find(|p| p.system == s.code)
                .map(|p| (*p).clone())
        })
        .collect()
}

/// One organisation with its progress row, for a caller already checked (ssr only).
#[cfg(feature = "ssr")]
pub async fn org_detail(state: &crate::state::AppState, key: &str) -> Result<OrgDetail, AppError> {
    let organisation = state
        .catalog
        .organisation(key)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let progress = match &organisation.lg_code {
        Some(code) if organisation.kind.is_municipal() => {
            // From this server's copy of every record, current as of the progress counter.
            let all = all_progress(state).await?;
            row_of(&state.catalog.systems, &all, code.as_str())
        }
        _ => Vec::new(),
    };
    Ok(OrgDetail {
        organisation,
        systems: state.catalog.systems.clone(),
        progress,
    })
}

/// The report of an import run (POST `/api/get_import_run`). Only the user who ran it, a
/// Tokyo officer or an administrator may read it; others get [`AppError::NotFound`] (the
/// run's existence is not revealed).
#[server(prefix = "/api", endpoint = "get_import_run")]
pub async fn get_import_run(id: String) -> Result<ImportReport, AppError> {
    use crate::policy;
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
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

/// Checks an uploaded file completely (its cells, then each line merged over the stored record
/// against the record rules the edit form applies too, `ProgressLine::merged_issues`) and,
/// when it has no errors, writes it in one transaction. Either way the run is stored and its
/// report returned, errors in line order (ssr only).
///
/// `may_write` comes from the policy: lines for municipalities the user may not write are
/// errors, so nothing is written.
#[cfg(feature = "ssr")]
pub async fn run_import(
    state: &crate::state::AppState,
    user: &CurrentUser,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportReport, AppError> {
    use crate::policy;
    policy::require_import(user)?;
    // One import at a time in this process, from the check of the file through the write: a
    // file is checked in memory (up to 5 MiB of text and its report), so concurrent uploads
    // must not multiply that. Across servers the version checks of the write are the guarantee.
    let _serialized = state.import_lock.lock().await;
    let template_len = super::repo::steps(&state.db).await?.len();
    let reference = super::import::Reference::new(&state.catalog, template_len);
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
        id: crate::ids::random_key(),
        file_name: file_name.chars().take(200).collect(),
        encoding: parsed.encoding.to_owned(),
        applied: false,
        rows: parsed.rows,
        changes: Vec::new(),
        unchanged: 0,
        errors: parsed.errors,
        errors_omitted: 0,
        warnings: parsed.warnings,
        warnings_omitted: parsed.warnings_omitted,
        created_at: crate::ids::Timestamp::now(),
    };
    // Even with errors in some cells, every valid line is merged and checked against the record
    // rules, so that the report lists every problem of the file at once.
    let stored = super::repo::all_records(&state.db).await?;
    let refused = !report.errors.is_empty();
    let plan = super::import::plan(&parsed.lines, &stored, &reference, template_len, refused);
    report.errors.extend(plan.errors);
    report.changes = plan.changes;
    report.unchanged = plan.unchanged;
    if !report.errors.is_empty() {
        // Cell problems and record rules together, in the order of the file's lines (stable:
        // a line's cell problems before its record rules).
        report.errors.sort_by_key(|e| e.line);
        return refuse_import(state, user, report).await;
    }
    report.applied = true;
    match super::repo::apply_import(&state.db, &user.id, &report, template_len).await? {
        super::repo::ImportWrite::Applied => {
            tracing::info!(user = %user.id, changes = report.changes.len(), "progress import applied");
            Ok(report)
        }
        super::repo::ImportWrite::ChangedMeanwhile => {
            tracing::info!(user = %user.id, "progress import refused: records changed meanwhile");
            report.errors = vec![super::model::ImportIssue {
                line: 0,
                column: None,
                kind: super::model::ImportIssueKind::ChangedMeanwhile,
            }];
            refuse_import(state, user, report).await
        }
    }
}

/// Stores a refused run (no changes, errors capped to the first
/// [`super::model::MAX_REPORTED_ISSUES`]) and returns its report.
#[cfg(feature = "ssr")]
async fn refuse_import(
    state: &crate::state::AppState,
    user: &CurrentUser,
    mut report: ImportReport,
) -> Result<ImportReport, AppError> {
    report.applied = false;
    report.changes.clear();
    report.unchanged = 0;
    report.errors_omitted += super::import::cap_issues(&mut report.errors);
    report.warnings_omitted += super::import::cap_issues(&mut report.warnings);
    super::repo::record_refused_import(&state.db, &user.id, &report).await?;
    Ok(report)
}

/// POST `/standardization/import/upload` (multipart form, field `file`): runs the import and
/// redirects to `/standardization/import/<run id>`, which shows the report. Works as a
/// plain HTML form. Not signed in: 303 to `/login`; not allowed to import: 403.
#[cfg(feature = "ssr")]
pub async fn import_upload(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    session: tower_sessions::Session,
    multipart: axum::extract::Multipart,
) -> axum::response::Response {
    use axum::response::{IntoResponse, Redirect};
    let (user, name, bytes) = match upload_of(&state, &session, multipart).await {
        Ok(upload) => upload,
        Err(response) => return response,
    };
    match run_import(&state, &user, &name, &bytes).await {
        Ok(report) => {
            Redirect::to(&format!("/standardization/import/{}", report.id)).into_response()
        }
        Err(e) => axum::response::IntoResponse::into_response(e),
    }
}

/// The signed-in reader's step template, for a download; [`AppError::Unauthenticated`] when
/// signed out.
#[cfg(feature = "ssr")]
async fn download_steps(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
) -> Result<Vec<Step>, AppError> {
    crate::policy::require_user(crate::auth::request::user_of(state, session).await?)?;
    Ok(super::repo::steps(&state.db).await?)
}

/// GET `/standardization/export.csv`: every progress record, one line per record in the
/// import format (UTF-8 with BOM, spreadsheet formulas neutralised). Signed-in users.
#[cfg(feature = "ssr")]
pub async fn export_csv(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    let bytes = async {
        let steps = download_steps(&state, &session).await?;
        let records = super::repo::all_records(&state.db).await?;
        let catalog = &state.catalog;
        Ok(super::export::to_csv(
            &records,
            &catalog.organisations,
            &catalog.systems,
            steps.len(),
        ))
    };
    crate::http::attachment("kyodo_progress.csv", "text/csv; charset=utf-8", bytes.await)
}

/// GET `/standardization/export.json`: every progress record with its steps. Signed-in users.
#[cfg(feature = "ssr")]
pub async fn export_json(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    let bytes = async {
        let steps = download_steps(&state, &session).await?;
        let records = super::repo::all_records(&state.db).await?;
        super::export::to_json(&records, &steps)
    };
    crate::http::attachment("kyodo_progress.json", "application/json", bytes.await)
}

/// The council summary of all 62 municipalities today (JST), for the summary downloads.
#[cfg(feature = "ssr")]
async fn summary(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
) -> Result<Dashboard, AppError> {
    let steps = download_steps(state, session).await?;
    let progress = all_progress(state).await?;
    Ok(Dashboard::build(
        state.catalog.systems.clone(),
        state.catalog.municipalities_of(None),
        &progress,
        None,
        steps.len(),
        crate::i18n::today_jst(),
    ))
}

/// GET `/standardization/summary.csv`: the council summary per system. Signed-in users.
#[cfg(feature = "ssr")]
pub async fn summary_csv(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    let bytes = summary(&state, &session)
        .await
        .map(|dashboard| super::export::summary_csv(&dashboard));
    crate::http::attachment("kyodo_summary.csv", "text/csv; charset=utf-8", bytes)
}

/// GET `/standardization/summary.json`: the council summary (the dashboard's data).
/// Signed-in users.
#[cfg(feature = "ssr")]
pub async fn summary_json(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    let bytes = async {
        let dashboard = summary(&state, &session).await?;
        serde_json::to_vec_pretty(&dashboard).map_err(AppError::internal)
    };
    crate::http::attachment("kyodo_summary.json", "application/json", bytes.await)
}

/// One progress record with what its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordView {
    /// The municipality.
    pub organisation: Organisation,
    /// The standard system.
    pub system: StandardSystem,
    /// The record (an empty one when nothing was reported yet).
    pub progress: Progress,
    /// Whether anything was reported yet.
    pub reported: bool,
    /// The step template.
    pub steps: Vec<Step>,
    /// Comments per step number (steps without comments left out).
    pub comment_counts: Vec<(u8, u32)>,
    /// Changes, newest first.
    pub history: Vec<HistoryEntry>,
    /// The notes rendered and sanitized.
    pub notes_html: String,
    /// Whether the caller may edit (policy: own municipality, Tokyo officer, administrator).
    pub may_edit: bool,
    /// Whether the caller may comment.
    pub may_comment: bool,
    /// Files attached to the record, oldest first.
    pub attachments: Vec<crate::attachments::model::AttachmentInfo>,
    /// Whether the caller may attach files ([`crate::policy::may_attach`]).
    pub may_attach: bool,
    /// The record's subject for threads, history and attachments
    /// (`migration_progress:<lg_code>_<system>`).
    pub subject: String,
}

/// Finds the municipality and system a URL names; [`AppError::NotFound`] otherwise.
#[cfg(feature = "ssr")]
fn cell_of(
    state: &crate::state::AppState,
    lg_code: &str,
    system: &str,
) -> Result<(Organisation, crate::orgs::model::LgCode, StandardSystem), AppError> {
    let org = state
        .catalog
        .organisation(lg_code.trim())
        .filter(|o| o.kind.is_municipal())
        .cloned()
        .ok_or(AppError::NotFound)?;
    let code = org.lg_code.clone().ok_or(AppError::NotFound)?;
    let system = state
        .catalog
        .systems
        .iter()
        .find(|s| s.code == system.trim())
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((org, code, system))
}

/// A progress record with its steps, comment counts and history
/// (POST `/api/get_record`, `lg_code` = 6-digit code, `system` = system code).
/// Signed-in users (the council reads every record). Errors: [`AppError::NotFound`] for an
/// unknown municipality or system.
#[server(prefix = "/api", endpoint = "get_record")]
pub async fn get_record(lg_code: String, system: String) -> Result<RecordView, AppError> {
    use crate::policy;
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (organisation, code, system) = cell_of(&state, &lg_code, &system)?;
    let steps = super::repo::steps(&state.db).await?;
    let stored = super::repo::record(&state.db, &code, &system.code).await?;
    let reported = stored.is_some();
    let progress =
        stored.unwrap_or_else(|| Progress::empty(code.clone(), &system.code, steps.len()));
    let cell = super::repo::cell_key(&code, &system.code);
    let notes_html = progress
        .notes
        .as_deref()
        .map(crate::markdown::render)
        .unwrap_or_default();
    let subject = super::repo::history_subject(&cell);
    Ok(RecordView {
        attachments: crate::attachments::repo::list(&state.db, &subject).await?,
        may_attach: policy::may_attach(&user, &subject),
        subject,
        may_edit: policy::may_write_progress(&user, &code),
        may_comment: policy::may_comment(&user, &code),
        comment_counts: super::repo::comment_counts(&state.db, &cell).await?,
        history: super::repo::history(&state.db, &cell).await?,
        organisation,
        system,
        progress,
        reported,
        steps,
        notes_html,
    })
}

/// A rule broken by a form field, with the message of the import's matching problem.
#[cfg(feature = "ssr")]
fn rejected(field: &str, kind: super::model::ImportIssueKind) -> AppError {
    use crate::i18n::Lang;
    // The value is quoted back cut short, whatever its length.
    let kind = kind.truncated(40);
    AppError::Rejected {
        field: field.into(),
        ja: kind.message(Lang::Ja),
        en: kind.message(Lang::En),
    }
}

/// An optional date field (ISO from `<input type="date">`, or 和暦); blank = none.
#[cfg(feature = "ssr")]
fn form_date(field: &str, value: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
    let v = crate::csv_input::normalize(value);
    if v.is_empty() {
        return Ok(None);
    }
    crate::csv_input::parse_date(&v).map(Some).ok_or_else(|| {
        rejected(
            field,
            super::model::ImportIssueKind::InvalidDate { value: v },
        )
    })
}

/// A progress record's optional text field as stored: NFC ([`crate::text::nfc`]), without control
/// characters (`notes` keeps its lines), trimmed, blank = none. Its length is a record rule
/// ([`Progress::check`]), checked on the whole record.
#[cfg(feature = "ssr")]
fn form_text(field: &str, value: &str) -> Option<String> {
    // Notes are multi-line; every other free text is an `<input>` of one line.
    let v = if field == "notes" {
        crate::text::clean_multiline(&crate::text::nfc(value))
    } else {
        crate::text::clean_line(&crate::text::nfc(value))
    };
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

/// The first rule of [`Progress::check`] a form's record breaks, as
/// [`AppError::Rejected`] on its field, the message (the import's for the same problem)
/// prefixed with the field's label, since the page shows only the message.
#[cfg(feature = "ssr")]
fn broken_rule(issues: &[super::model::FieldIssue]) -> AppError {
    use crate::i18n::Lang;
    let Some(first) = issues.first() else {
        return AppError::internal("a broken record rule without an issue");
    };
    let kind = first.kind.clone().truncated(40);
    AppError::Rejected {
        field: first.field.code().into(),
        ja: format!(
            "{}：{}",
            first.field.label(Lang::Ja),
            kind.message(Lang::Ja)
        ),
        en: format!(
            "{}: {}",
            first.field.label(Lang::En),
            kind.message(Lang::En)
        ),
    }
}

pub use record_form::*;

/// The edit form's server function (its many fields are the form's fields).
#[allow(clippy::too_many_arguments)]
mod record_form {
    use super::*;

    /// Saves a progress record from the edit form (POST `/api/save_record`) and answers with a
    /// redirect to the record page (`?saved=1`).
    ///
    /// Fields: `lg_code`, `system`; `steps[i]` = status of step i + 1 (`not_started` |
    /// `in_progress` | `done` | `not_applicable`), either none (steps unchanged) or one per
    /// template step; `planned_go_live`,
    /// `actual_go_live`, `extension_target_date`, `transitional_until` (dates, ISO or 和暦, blank =
    /// none); `gov_cloud` (code, blank = none); `vendor`, `product` (≤ 200 characters);
    /// `special_migration_support` (`on` when checked); `extension_reason` (code);
    /// `extension_reason_text`, `transitional_functions` (≤ 2,000); `notes` (Markdown, ≤ 20,000);
    /// `version` = the record's `updated_at` as shown (optional: when given and the record was
    /// written since, the save is refused with [`AppError::Rejected`] on `version`).
    ///
    /// Rules: only the municipality's own CIO and staff, Tokyo officers and administrators
    /// ([`AppError::Forbidden`] otherwise); without 特定移行支援 the reason, its text and the
    /// target date are cleared; then the record rules of [`Progress::check`], the import's too
    /// (text limits; with 特定移行支援 a reason, その他 with its text, and a target date no later
    /// than 2031-03-31; 移行完了 with its 本番稼働日; 経過措置期限 with its 経過措置機能): the first
    /// rule broken is [`AppError::Rejected`] on its field, the message prefixed with the field's
    /// label. The record and its history entry are written in one transaction; nothing is
    /// written on any error.
    #[server(prefix = "/api", endpoint = "save_record")]
    pub async fn save_record(
        lg_code: String,
        system: String,
        #[server(default)] steps: Vec<String>,
        #[server(default)] planned_go_live: String,
        #[server(default)] actual_go_live: String,
        #[server(default)] gov_cloud: String,
        #[server(default)] vendor: String,
        #[server(default)] product: String,
        #[server(default)] special_migration_support: Option<String>,
        #[server(default)] extension_reason: String,
        #[server(default)] extension_reason_text: String,
        #[server(default)] extension_target_date: String,
        #[server(default)] transitional_functions: String,
        #[server(default)] transitional_until: String,
        #[server(default)] notes: String,
        #[server(default)] version: String,
    ) -> Result<(), AppError> {
        use crate::policy;
        use crate::standardization::model::{ExtensionReason, GovCloud, ImportIssueKind};
        let crate::auth::request::SignedIn { state, user } =
            crate::auth::request::signed_in().await?;
        let (_, code, system) = cell_of(&state, &lg_code, &system)?;
        if !policy::may_write_progress(&user, &code) {
            return Err(AppError::Forbidden);
        }
        let template = crate::standardization::repo::steps(&state.db).await?;
        if !steps.is_empty() && steps.len() != template.len() {
            return Err(AppError::Rejected {
                field: "steps".into(),
                ja: format!(
                    "手順の状況は{}手順すべてを送ってください（{}手順分が届きました）。手順テンプレートが変わった可能性があります。再読み込みしてください。",
                    template.len(),
                    steps.len()
                ),
                en: format!(
                    "Send the status of all {} steps ({} arrived). The step template may have changed: please reload.",
                    template.len(),
                    steps.len()
                ),
            });
        }
        let before = crate::standardization::repo::record(&state.db, &code, &system.code).await?;
        let mut after = before
            .clone()
            .unwrap_or_else(|| Progress::empty(code.clone(), &system.code, template.len()));
        for (i, value) in steps.iter().enumerate() {
            let status = StepStatus::parse(value).ok_or_else(|| {
                rejected(
                    &format!("steps[{i}]"),
                    ImportIssueKind::InvalidStepStatus {
                        value: value.chars().take(40).collect(),
                    },
                )
            })?;
            after.set_step((i + 1) as u8, status);
        }
        after.derive(template.len());
        after.planned_go_live = form_date("planned_go_live", &planned_go_live)?;
        after.actual_go_live = form_date("actual_go_live", &actual_go_live)?;
        after.gov_cloud = match gov_cloud.trim() {
            "" => None,
            c => Some(GovCloud::parse(c).ok_or_else(|| {
                rejected(
                    "gov_cloud",
                    ImportIssueKind::InvalidGovCloud {
                        value: c.chars().take(40).collect(),
                    },
                )
            })?),
        };
        after.vendor = form_text("vendor", &vendor);
        after.product = form_text("product", &product);
        after.transitional_functions = form_text("transitional_functions", &transitional_functions);
        after.transitional_until = form_date("transitional_until", &transitional_until)?;
        after.notes = form_text("notes", &notes);
        after.special_migration_support = special_migration_support
            .as_deref()
            .is_some_and(|v| matches!(v, "on" | "true" | "1"));
        // The browser posts the extension fields whether the box is ticked or not: they are
        // read only with it (an unticked box clears them).
        if after.special_migration_support {
            after.extension_reason = match extension_reason.trim() {
                "" => None,
                r => Some(ExtensionReason::parse(r).ok_or_else(|| {
                    rejected(
                        "extension_reason",
                        ImportIssueKind::InvalidReason {
                            value: r.chars().take(40).collect(),
                        },
                    )
                })?),
            };
            after.extension_reason_text =
                form_text("extension_reason_text", &extension_reason_text);
            after.extension_target_date =
                form_date("extension_target_date", &extension_target_date)?;
        }
        after.clear_extension_unless_flagged();
        after.is_demo = false;
        after.check().map_err(|issues| broken_rule(&issues))?;
        let base =
            before.unwrap_or_else(|| Progress::empty(code.clone(), &system.code, template.len()));
        let changes = base.diff(&after);
        let version = Some(version.trim()).filter(|v| !v.is_empty());
        crate::standardization::repo::save_record(
            &state.db,
            &user.id,
            &after,
            &changes,
            version,
            template.len(),
        )
        .await
        .map_err(|e| match e {
            crate::db::DbError::Conflict => stale_record(),
            other => other.into(),
        })?;
        tracing::info!(user = %user.id, lg_code = %code, system = %system.code, changes = changes.len(), "progress record saved");
        leptos_axum::redirect(&format!(
            "/standardization/records/{code}/{}?saved=1",
            system.code
        ));
        Ok(())
    }
}

/// A step's advice thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadView {
    /// The municipality.
    pub organisation: Organisation,
    /// The standard system.
    pub system: StandardSystem,
    /// The step.
    pub step: Step,
    /// The step's status in the record.
    pub status: StepStatus,
    /// Comments, oldest first, bodies rendered and sanitized.
    pub comments: Vec<crate::threads::model::Post>,
    /// Whether the caller may comment.
    pub may_comment: bool,
    /// The caller's user key (their own posts offer an edit).
    pub user_id: String,
}

/// Finds step `step` of the template; [`AppError::NotFound`] otherwise.
#[cfg(feature = "ssr")]
async fn template_step(state: &crate::state::AppState, step: u8) -> Result<Step, AppError> {
    super::repo::steps(&state.db)
        .await?
        .into_iter()
        .find(|s| s.no == step)
        .ok_or(AppError::NotFound)
}

/// The advice thread of step `step` of a record (POST `/api/get_step_thread`). Signed-in
/// users. Errors: [`AppError::NotFound`] for an unknown municipality, system or step.
#[server(prefix = "/api", endpoint = "get_step_thread")]
pub async fn get_step_thread(
    lg_code: String,
    system: String,
    step: u8,
) -> Result<ThreadView, AppError> {
    use crate::policy;
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (organisation, code, system) = cell_of(&state, &lg_code, &system)?;
    let step = template_step(&state, step).await?;
    let cell = super::repo::cell_key(&code, &system.code);
    let status = super::repo::record(&state.db, &code, &system.code)
        .await?
        .map(|p| p.step(step.no))
        .unwrap_or_default();
    let subject = super::repo::step_thread_subject(&cell, step.no);
    if !policy::may_read_thread(&user, &subject) {
        return Err(AppError::Forbidden);
    }
    let mut comments = crate::threads::repo::posts(&state.db, &subject).await?;
    for c in &mut comments {
        c.body_html = crate::markdown::render(&c.body);
    }
    Ok(ThreadView {
        may_comment: policy::may_post(&user, &subject),
        user_id: user.id.to_string(),
        organisation,
        system,
        step,
        status,
        comments,
    })
}

/// The sentence of a step-comment notice in Japanese and English:
/// `山田 太郎さんが豊島区・住民基本台帳の手順5にコメントしました`,
/// `Taro Yamada commented on step 5 of Toshima · Resident registry`.
#[cfg(feature = "ssr")]
fn comment_notice_text(
    author: &CurrentUser,
    organisation: &Organisation,
    system: &StandardSystem,
    step_no: u8,
) -> (String, String) {
    (
        format!(
            "{}さんが{}・{}の手順{step_no}にコメントしました",
            author.name_ja, organisation.name_ja, system.name_ja
        ),
        format!(
            "{} commented on step {step_no} of {} · {}",
            author.name_en, organisation.name_en, system.name_en
        ),
    )
}

/// Posts a comment (Markdown, 1–10,000 characters, stored NFC) on a step's thread
/// (POST `/api/post_step_comment`) and redirects back to the thread, at the new comment, with
/// `?posted=1` (the page confirms). A question from the
/// municipality notifies every GovTech Tokyo advisor; any comment notifies the thread's
/// earlier authors. Comment and notifications are written in one transaction. `reply_to`
/// (optional) names the post of the same thread it answers.
///
/// Errors: [`AppError::Forbidden`] unless [`crate::policy::may_comment`];
/// [`AppError::Rejected`] for an empty or too long body; [`AppError::NotFound`] for an
/// unknown record or step.
#[server(prefix = "/api", endpoint = "post_step_comment")]
pub async fn post_step_comment(
    lg_code: String,
    system: String,
    step: u8,
    body: String,
    #[server(default)] reply_to: String,
) -> Result<(), AppError> {
    use crate::{auth::model::Role, policy};
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (organisation, code, system) = cell_of(&state, &lg_code, &system)?;
    let step = template_step(&state, step).await?;
    let cell = super::repo::cell_key(&code, &system.code);
    let subject = super::repo::step_thread_subject(&cell, step.no);
    if !policy::may_post(&user, &subject) {
        return Err(AppError::Forbidden);
    }
    let body = crate::threads::server::clean_body(&body)?;
    // A reply answers a post of the same thread.
    let reply_to = crate::threads::server::reply_in(&state, &subject, &reply_to).await?;
    let asks = user.is_municipal() && !user.has(Role::GovtechAdvisor);
    let recipients = super::repo::comment_recipients(&state.db, &subject, &user.id, asks).await?;
    let id = crate::ids::random_key();
    let notice = crate::notifications::model::Notice::new(
        "step_comment",
        subject.clone(),
        format!(
            "/standardization/records/{code}/{}/steps/{}",
            system.code, step.no
        ),
        comment_notice_text(&user, &organisation, &system, step.no),
        &body,
    );
    let post = crate::threads::repo::NewPost {
        id: &id,
        subject: &subject,
        author_id: &user.id,
        body: &body,
        reply_to: reply_to.as_ref(),
    };
    crate::threads::repo::add_post(&state.db, post, &notice, &recipients).await?;
    tracing::info!(user = %user.id, %subject, notified = recipients.len(), "step comment posted");
    leptos_axum::redirect(&format!(
        "/standardization/records/{code}/{}/steps/{}?posted=1#comment-{id}",
        system.code, step.no
    ));
    Ok(())
}

/// The council dashboard (POST `/api/get_dashboard`), filtered by municipal kind and by
/// Government Cloud provider (blank = all). Signed-in users. Errors: [`AppError::Invalid`]
/// for an unknown kind or provider.
#[server(prefix = "/api", endpoint = "get_dashboard")]
pub async fn get_dashboard(
    kind: Option<String>,
    cloud: Option<String>,
) -> Result<Dashboard, AppError> {
    use super::repo::PROGRESS_COUNTER;
    let state = crate::auth::request::signed_in().await?.state;
    let kind = parse_municipal_kind(kind.as_deref())?;
    let cloud = parse_cloud(cloud.as_deref())?;
    let today = crate::i18n::today_jst();
    // Kept per filter and JST day until a progress write (a template replacement bumps the
    // progress counter too).
    let key = format!("{kind:?} {cloud:?} {today}");
    let state = &state;
    state
        .caches
        .keyed(&state.db, PROGRESS_COUNTER, key, MAX_KEPT, || async move {
            let template_len = super::repo::steps(&state.db).await?.len();
            let progress = all_progress(state).await?;
            let municipalities = state.catalog.municipalities_of(kind);
            Ok::<_, AppError>(Dashboard::build(
                state.catalog.systems.clone(),
                municipalities,
                &progress,
                cloud,
                template_len,
                today,
            ))
        })
        .await
}

/// The step template and, once after a replacement by this session, its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateView {
    /// The steps in number order.
    pub steps: Vec<Step>,
    /// Whether the caller may replace the template (administrators).
    pub may_replace: bool,
    /// The outcome of this session's last replacement attempt (shown once).
    pub outcome: Option<TemplateOutcome>,
}

/// What a template upload did: applied (with its change report) or refused (with errors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TemplateOutcome {
    /// The template was replaced.
    Applied(TemplateChange),
    /// The file had errors; nothing changed.
    Refused(Vec<super::model::ImportIssue>),
}

#[cfg(feature = "ssr")]
const TEMPLATE_OUTCOME_KEY: &str = "template_outcome";

/// The step template (POST `/api/get_step_template`). Signed-in users.
#[server(prefix = "/api", endpoint = "get_step_template")]
pub async fn get_step_template() -> Result<TemplateView, AppError> {
    use crate::policy;
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let session = crate::auth::request::session().await?;
    let outcome: Option<TemplateOutcome> = session
        .remove(TEMPLATE_OUTCOME_KEY)
        .await
        .map_err(AppError::internal)?;
    Ok(TemplateView {
        steps: super::repo::steps(&state.db).await?,
        may_replace: policy::may_manage_reference(&user),
        outcome,
    })
}

/// The error for a save over someone else's newer change (a [`crate::db::DbError::Conflict`]
/// from [`super::repo::save_record`]).
#[cfg(feature = "ssr")]
fn stale_record() -> AppError {
    AppError::Rejected {
        field: "version".into(),
        ja: "この記録は、画面を開いた後に他の利用者が更新しました。再読み込みして確認してから保存してください。".into(),
        en: "Someone else updated this record after you opened it. Reload the page, check, and save again.".into(),
    }
}

/// Checks a template file and replaces the template when it is valid (ssr only; used by the
/// upload route and the `kyodo replace-steps` command).
#[cfg(feature = "ssr")]
pub async fn replace_steps(
    db: &crate::db::Db,
    bytes: &[u8],
    actor_id: Option<&crate::ids::UserId>,
) -> Result<TemplateOutcome, AppError> {
    match super::template::parse(bytes) {
        Ok(steps) => Ok(TemplateOutcome::Applied(
            super::repo::replace_template(db, &steps, actor_id)
                .await
                .map_err(|e| match e {
                    crate::db::DbError::Conflict => AppError::Rejected {
                        field: "file".into(),
                        ja: "記録の更新が続いているため、手順テンプレートを置き換えられませんでした。何も変更していません。しばらくしてからもう一度お試しください。".into(),
                        en: "Records kept changing while the step template was being replaced. Nothing was changed: please try again shortly.".into(),
                    },
                    other => other.into(),
                })?,
        )),
        Err(errors) => Ok(TemplateOutcome::Refused(errors)),
    }
}

/// POST `/standardization/steps/upload` (multipart form, field `file`): replaces the step
/// template (administrators; 403 otherwise) and redirects to `/admin/steps`, which shows
/// the outcome once.
#[cfg(feature = "ssr")]
pub async fn steps_upload(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    session: tower_sessions::Session,
    multipart: axum::extract::Multipart,
) -> axum::response::Response {
    use axum::response::{IntoResponse, Redirect};
    let (user, _, bytes) = match upload_of(&state, &session, multipart).await {
        Ok(upload) => upload,
        Err(response) => return response,
    };
    if !crate::policy::may_manage_reference(&user) {
        return axum::response::IntoResponse::into_response(AppError::Forbidden);
    }
    let result = async {
        let outcome = replace_steps(&state.db, &bytes, Some(&user.id)).await?;
        tracing::info!(user = %user.id, applied = matches!(outcome, TemplateOutcome::Applied(_)), "step template upload");
        session
            .insert(TEMPLATE_OUTCOME_KEY, outcome)
            .await
            .map_err(AppError::internal)
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/admin/steps").into_response(),
        Err(e) => axum::response::IntoResponse::into_response(e),
    }
}

/// The signed-in uploader and the `file` field of a multipart form: (user, file name, bytes).
/// Not signed in: a 303 to `/login`; an unreadable form: 400.
#[cfg(feature = "ssr")]
async fn upload_of(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
    multipart: axum::extract::Multipart,
) -> Result<(CurrentUser, String, Vec<u8>), axum::response::Response> {
    use axum::response::{IntoResponse, Redirect};
    let user = match crate::auth::request::user_of(state, session).await {
        Ok(Some(u)) => u,
        Ok(None) => return Err(Redirect::to("/login").into_response()),
        Err(e) => return Err(e.into_response()),
    };
    let (name, bytes) = read_file_field(multipart)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok((user, name, bytes))
}

/// Reads the `file` field of a multipart form: (file name, bytes); empty when absent.
#[cfg(feature = "ssr")]
async fn read_file_field(
    multipart: axum::extract::Multipart,
) -> Result<(String, Vec<u8>), AppError> {
    let upload = crate::http::read_upload(multipart).await?;
    Ok(upload
        .file
        .map(|(name, bytes)| {
            let name = if name.is_empty() {
                "upload.csv".to_owned()
            } else {
                name
            };
            (name, bytes)
        })
        .unwrap_or_default())
}

/// The tracker's notes and step comments that match query `q` (cleaned,
/// [`crate::search::model::clean_query`]); every signed-in user reads them
/// ([`crate::policy::may_read_thread`]). For the top layer's search page.
#[cfg(feature = "ssr")]
pub async fn search_hits(
    state: &crate::state::AppState,
    user: &CurrentUser,
    q: &str,
) -> Result<Vec<crate::search::model::Hit>, AppError> {
    Ok(super::repo::search(&state.db, q)
        .await?
        .into_iter()
        .filter_map(|r| {
            let org = state.catalog.organisation(&r.lg)?;
            let system = state.catalog.systems.iter().find(|s| s.code == r.system)?;
            let record = format!("/standardization/records/{}/{}", r.lg, r.system);
            let link = match (&r.step, &r.post) {
                (Some(step), Some(post)) => {
                    let subject = format!("migration_progress:{}_{}:{step}", r.lg, r.system);
                    if !crate::policy::may_read_thread(user, &subject) {
                        return None;
                    }
                    format!("{record}/steps/{step}#comment-{post}")
                }
                _ => record,
            };
            Some(crate::search::model::Hit {
                title: match &r.step {
                    Some(step) => format!("{} · {} · {step}", org.name_ja, system.name_ja),
                    None => format!("{} · {}", org.name_ja, system.name_ja),
                },
                place: (org.name_ja.clone(), org.name_en.clone()),
                link,
                snippet_html: crate::search::model::snippet(&r.text, q),
                kind: r.kind,
                score: r.score,
                at: r.at.map(crate::ids::Timestamp),
            })
        })
        .collect())
}
