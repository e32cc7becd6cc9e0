//! Standardization storage (ssr only): systems, progress cells and import runs.

use super::model::{CellChange, ImportReport, Progress, StandardSystem};
use crate::db::{Db, first, rows, to_value};
use crate::error::AppError;
use crate::orgs::model::LgCode;
use serde::Deserialize;

/// The 20 standard systems in number order.
pub async fn systems(db: &Db) -> Result<Vec<StandardSystem>, AppError> {
    let mut response = db
        .query("SELECT no, code, name_ja, name_en, ministry_ja FROM standard_system ORDER BY no")
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

const SELECT_PROGRESS: &str =
    "SELECT record::id(organisation) AS lg_code, record::id(standard_system) AS system,
        status, steps_done, planned_go_live, actual_go_live, special_migration_support,
        extension_reason, extension_target_date, gov_cloud, vendor, is_demo
     FROM migration_progress";

/// Every stored progress cell.
pub async fn all_progress(db: &Db) -> Result<Vec<Progress>, AppError> {
    let mut response = db.query(SELECT_PROGRESS).await?.check()?;
    Ok(rows(&mut response, 0)?)
}

/// The progress cells of one municipality.
pub async fn progress_of(db: &Db, lg_code: &LgCode) -> Result<Vec<Progress>, AppError> {
    let query = format!("{SELECT_PROGRESS} WHERE organisation = type::record('organisation', $lg)");
    let mut response = db
        .query(query)
        .bind(("lg", lg_code.to_string()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// Record key of a cell: `<lg_code>_<system>`.
pub fn cell_key(lg_code: &LgCode, system: &str) -> String {
    format!("{lg_code}_{system}")
}

/// The row written for each progress cell (`$p` is a [`Progress`] with its `key`).
const PROGRESS_CONTENT: &str = "{
    organisation: type::record('organisation', $p.lg_code),
    standard_system: type::record('standard_system', $p.system),
    status: $p.status, steps_done: $p.steps_done,
    planned_go_live: $p.planned_go_live, actual_go_live: $p.actual_go_live,
    special_migration_support: $p.special_migration_support,
    extension_reason: $p.extension_reason, extension_target_date: $p.extension_target_date,
    gov_cloud: $p.gov_cloud, vendor: $p.vendor, is_demo: $p.is_demo, updated_by: $actor
}";

fn with_key(p: &Progress) -> serde_json::Value {
    let mut v = to_value(p);
    v["key"] = serde_json::Value::String(cell_key(&p.lg_code, &p.system));
    v
}

/// Writes cells that do not exist yet (demo data); existing cells are left alone, so a
/// second start changes nothing. Returns how many were created.
pub async fn insert_missing(db: &Db, cells: &[Progress]) -> Result<usize, AppError> {
    let before = count_progress(db).await?;
    let values: Vec<serde_json::Value> = cells.iter().map(with_key).collect();
    let query = format!(
        "BEGIN TRANSACTION;
         LET $actor = NONE;
         FOR $p IN $cells {{
            LET $id = type::record('migration_progress', $p.key);
            IF !record::exists($id) {{ CREATE $id CONTENT {PROGRESS_CONTENT}; }};
         }};
         COMMIT TRANSACTION;"
    );
    db.query(query).bind(("cells", values)).await?.check()?;
    Ok(count_progress(db).await? - before)
}

async fn count_progress(db: &Db) -> Result<usize, AppError> {
    let n: Option<usize> = first(
        db.query("RETURN count(SELECT VALUE id FROM migration_progress)")
            .await?
            .check()?,
    )?;
    Ok(n.unwrap_or(0))
}

/// Writes an applied import in one transaction: every changed cell and the run record.
/// `report.changes` holds the new values; `actor_id` is the importing user's key.
pub async fn apply_import(db: &Db, actor_id: &str, report: &ImportReport) -> Result<(), AppError> {
    let cells: Vec<serde_json::Value> = report
        .changes
        .iter()
        .map(|c: &CellChange| with_key(&c.after))
        .collect();
    let query = format!(
        "BEGIN TRANSACTION;
         LET $actor = type::record('app_user', $actor_id);
         FOR $p IN $cells {{
            UPSERT type::record('migration_progress', $p.key) CONTENT {PROGRESS_CONTENT};
         }};
         CREATE type::record('import_run', $run_id) CONTENT {{ actor: $actor, applied: true, report: $report }};
         COMMIT TRANSACTION;"
    );
    db.query(query)
        .bind(("actor_id", actor_id.to_owned()))
        .bind(("cells", cells))
        .bind(("run_id", report.id.clone()))
        .bind((
            "report",
            serde_json::to_string(report).map_err(AppError::internal)?,
        ))
        .await?
        .check()?;
    Ok(())
}

/// Stores a refused import (nothing else is written), so its result page can be shown.
pub async fn record_refused_import(
    db: &Db,
    actor_id: &str,
    report: &ImportReport,
) -> Result<(), AppError> {
    db.query("CREATE type::record('import_run', $run_id) CONTENT { actor: type::record('app_user', $actor_id), applied: false, report: $report }")
        .bind(("actor_id", actor_id.to_owned()))
        .bind(("run_id", report.id.clone()))
        .bind(("report", serde_json::to_string(report).map_err(AppError::internal)?))
        .await?
        .check()?;
    Ok(())
}

#[derive(Deserialize)]
struct RunRow {
    actor: String,
    report: String,
}

/// An import run and the key of the user who ran it; [`AppError::NotFound`] when unknown.
pub async fn import_run(db: &Db, run_id: &str) -> Result<(String, ImportReport), AppError> {
    let row: Option<RunRow> = first(
        db.query(
            "SELECT record::id(actor) AS actor, report FROM ONLY type::record('import_run', $id)",
        )
        .bind(("id", run_id.to_owned()))
        .await?
        .check()?,
    )?;
    let row = row.ok_or(AppError::NotFound)?;
    let report = serde_json::from_str(&row.report).map_err(AppError::internal)?;
    Ok((row.actor, report))
}
