//! Standardization storage (ssr only): systems, progress cells and import runs.

use super::model::{
    CellChange, FieldChange, HistoryEntry, ImportReport, Progress, StandardSystem, Step,
    TemplateChange, plan_template_change,
};
use crate::db::{Db, DbError, first, rows, to_value, transaction_outcome};
use crate::ids::UserId;
use crate::orgs::model::LgCode;
use serde::Deserialize;

/// The 20 standard systems in number order.
pub async fn systems(db: &Db) -> Result<Vec<StandardSystem>, DbError> {
    let mut response = db
        .query("SELECT no, code, name_ja, name_en, ministry_ja FROM standard_system ORDER BY no")
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// The fields lists and dashboards need (no step list, no free text).
const SELECT_PROGRESS: &str =
    "SELECT record::id(organisation) AS lg_code, record::id(standard_system) AS system,
        status, steps_done, steps_in_progress, steps_applicable, planned_go_live, actual_go_live,
        special_migration_support, extension_reason, extension_target_date, gov_cloud, vendor,
        is_demo
     FROM migration_progress";

/// Every field of a record.
const SELECT_FULL: &str =
    "SELECT record::id(organisation) AS lg_code, record::id(standard_system) AS system,
        status, steps_done, steps_in_progress, steps_applicable, steps, planned_go_live,
        actual_go_live, special_migration_support, extension_reason, extension_reason_text,
        extension_target_date, transitional_functions, transitional_until, gov_cloud, vendor,
        product, notes, is_demo, <string> updated_at AS updated_at
     FROM migration_progress";

/// The change counter every write of `migration_progress` bumps in its own transaction
/// ([`crate::db::counter`]): each server's copy of all records follows it.
pub const PROGRESS_COUNTER: &str = "progress";

/// Every stored progress cell, without the step list and free texts (matrix, dashboard).
pub async fn all_progress(db: &Db) -> Result<Vec<Progress>, DbError> {
    let mut response = db.query(SELECT_PROGRESS).await?.check()?;
    Ok(rows(&mut response, 0)?)
}

/// Every stored progress cell with every field (export, template changes).
pub async fn all_records(db: &Db) -> Result<Vec<Progress>, DbError> {
    let mut response = db.query(SELECT_FULL).await?.check()?;
    Ok(rows(&mut response, 0)?)
}

/// One record with every field; `None` when nothing was reported yet.
pub async fn record(db: &Db, lg_code: &LgCode, system: &str) -> Result<Option<Progress>, DbError> {
    let query = format!("{SELECT_FULL} WHERE id = type::record('migration_progress', $key)");
    let mut response = db
        .query(query)
        .bind(("key", cell_key(lg_code, system)))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?.into_iter().next())
}

/// Writes one record and its history entry in one transaction (`changes` from
/// [`Progress::diff`]; nothing is written when it is empty).
///
/// `version` is the version the editor saw ([`Progress::version`]: `updated_at`, or
/// [`super::model::NEW_RECORD_VERSION`] for a record never saved; `None`: no check). When the stored record
/// was written since, or the step template changed from `template_len` steps (the derived counts
/// were computed for it), nothing is written and [`DbError::Conflict`] says so.
pub async fn save_record(
    db: &Db,
    actor_id: &UserId,
    after: &Progress,
    changes: &[FieldChange],
    version: Option<&str>,
    template_len: usize,
) -> Result<(), DbError> {
    if changes.is_empty() {
        return Ok(());
    }
    let form_history = history_entry("'form'", "$changes");
    let bump = crate::db::counter::bump(PROGRESS_COUNTER);
    let query = format!(
        "BEGIN TRANSACTION;
         {bump}
         LET $actor = type::record('app_user', $actor_id);
         {CHECK_TEMPLATE}
         LET $id = type::record('migration_progress', $p.key);
         {CHECK_VERSION}
         UPSERT $id CONTENT {PROGRESS_CONTENT};
         {form_history}
         COMMIT TRANSACTION;"
    );
    let mut p = with_key(after);
    if let Some(v) = version {
        p["version"] = serde_json::Value::String(v.to_owned());
    }
    crate::db::with_retries(|| async {
        let response = db
            .query(query.clone())
            .bind(("actor_id", actor_id.to_string()))
            .bind(("p", p.clone()))
            .bind(("changes", to_value(&changes)))
            .bind(("template_len", template_len))
            .await?;
        transaction_outcome(response)
    })
    .await
}

/// Refuses the transaction (`THROW 'stale_version'`) unless the step template still has
/// `$template_len` steps: derived counts computed for another template must not be stored.
const CHECK_TEMPLATE: &str =
    "IF count(SELECT VALUE id FROM migration_step) != $template_len { THROW 'stale_version'; };";

/// Refuses the transaction (`THROW 'stale_version'`) unless record `$id` is still at version
/// `$p.version` (its `updated_at` as a string, or `'new'` when it does not exist); no check
/// when `$p.version` is NONE.
const CHECK_VERSION: &str = "LET $current = $id.updated_at;
         IF $p.version != NONE AND (IF $current = NONE { 'new' } ELSE { <string> $current }) != $p.version { THROW 'stale_version'; };";

/// The history subject of a record: `migration_progress:<lg_code>_<system>`.
pub fn history_subject(cell: &str) -> String {
    format!("migration_progress:{cell}")
}

/// The history statement of a record write (`$p.key` the record key, `$actor` the writer),
/// with its source (`'form'`, `'import'`, `'template'`) and changes expression.
fn history_entry(source: &str, changes: &str) -> String {
    crate::history::repo::create_entry(
        "string::concat('migration_progress:', $p.key)",
        "$actor",
        source,
        changes,
    )
}

/// The history of one record, newest first.
pub async fn history(db: &Db, cell: &str) -> Result<Vec<HistoryEntry>, DbError> {
    crate::history::repo::entries(db, &history_subject(cell)).await
}

/// Record key of a cell: `<lg_code>_<system>`.
pub fn cell_key(lg_code: &LgCode, system: &str) -> String {
    format!("{lg_code}_{system}")
}

/// The row written for each progress cell (`$p` is a [`Progress`] with its `key`).
const PROGRESS_CONTENT: &str = "{
    organisation: type::record('organisation', $p.lg_code),
    standard_system: type::record('standard_system', $p.system),
    status: $p.status, steps: $p.steps, steps_done: $p.steps_done,
    steps_in_progress: $p.steps_in_progress, steps_applicable: $p.steps_applicable,
    planned_go_live: $p.planned_go_live, actual_go_live: $p.actual_go_live,
    special_migration_support: $p.special_migration_support,
    extension_reason: $p.extension_reason, extension_reason_text: $p.extension_reason_text,
    extension_target_date: $p.extension_target_date,
    transitional_functions: $p.transitional_functions, transitional_until: $p.transitional_until,
    gov_cloud: $p.gov_cloud, vendor: $p.vendor, product: $p.product, notes: $p.notes,
    is_demo: $p.is_demo, updated_by: $actor
}";

fn with_key(p: &Progress) -> serde_json::Value {
    let mut v = to_value(p);
    v["key"] = serde_json::Value::String(cell_key(&p.lg_code, &p.system));
    v
}

/// Writes cells that do not exist yet (demo data); existing cells are left alone, so a
/// second start changes nothing. Returns how many were created.
pub async fn insert_missing(db: &Db, cells: &[Progress]) -> Result<usize, DbError> {
    let before = count_progress(db).await?;
    let values: Vec<serde_json::Value> = cells.iter().map(with_key).collect();
    let bump = crate::db::counter::bump(PROGRESS_COUNTER);
    let query = format!(
        "BEGIN TRANSACTION;
         {bump}
         LET $actor = NONE;
         FOR $p IN $cells {{
            LET $id = type::record('migration_progress', $p.key);
            IF !record::exists($id) {{ CREATE $id CONTENT {PROGRESS_CONTENT}; }};
         }};
         COMMIT TRANSACTION;"
    );
    crate::db::with_retries(|| async {
        transaction_outcome(
            db.query(query.clone())
                .bind(("cells", values.clone()))
                .await?,
        )
    })
    .await?;
    Ok(count_progress(db).await? - before)
}

async fn count_progress(db: &Db) -> Result<usize, DbError> {
    let n: Option<usize> = first(
        db.query("RETURN count(SELECT VALUE id FROM migration_progress)")
            .await?
            .check()?,
    )?;
    Ok(n.unwrap_or(0))
}

/// Writes an applied import in one transaction: every changed record, its history entry and
/// the run record. `report.changes` holds the new values; `actor_id` is the importing user's key.
///
/// Each record is written only if it is still at the version the import read
/// (`change.before`'s `updated_at`, or absent), and only if the template still has
/// `template_len` steps; otherwise nothing is written and [`ImportWrite::ChangedMeanwhile`] is
/// returned (also when a concurrent save of one of the records commits first). The caller
/// stores the refused run.
pub async fn apply_import(
    db: &Db,
    actor_id: &UserId,
    report: &ImportReport,
    template_len: usize,
) -> Result<ImportWrite, DbError> {
    let cells: Vec<serde_json::Value> = report
        .changes
        .iter()
        .map(|c: &CellChange| {
            let before = c.before.clone().unwrap_or_else(|| {
                Progress::empty(c.after.lg_code.clone(), &c.after.system, template_len)
            });
            let mut v = with_key(&c.after);
            v["changes"] = to_value(&before.diff(&c.after));
            v["version"] = serde_json::Value::String(before.version());
            v
        })
        .collect();
    let import_history = history_entry("'import'", "$p.changes");
    let bump = crate::db::counter::bump(PROGRESS_COUNTER);
    let query = format!(
        "BEGIN TRANSACTION;
         {bump}
         LET $actor = type::record('app_user', $actor_id);
         {CHECK_TEMPLATE}
         FOR $p IN $cells {{
            LET $id = type::record('migration_progress', $p.key);
            {CHECK_VERSION}
            UPSERT $id CONTENT {PROGRESS_CONTENT};
            {import_history}
         }};
         CREATE type::record('import_run', $run_id) CONTENT {{ actor: $actor, applied: true, report: $report }};
         COMMIT TRANSACTION;"
    );
    let stored_report = serde_json::to_string(&report.for_storage()).map_err(DbError::other)?;
    let outcome = crate::db::with_retries(|| async {
        let response = db
            .query(query.clone())
            .bind(("actor_id", actor_id.to_string()))
            .bind(("cells", cells.clone()))
            .bind(("template_len", template_len))
            .bind(("run_id", report.id.clone()))
            .bind(("report", stored_report.clone()))
            .await?;
        transaction_outcome(response)
    })
    .await;
    match outcome {
        Ok(()) => Ok(ImportWrite::Applied),
        Err(DbError::Conflict) => Ok(ImportWrite::ChangedMeanwhile),
        Err(e) => Err(e),
    }
}

/// What [`apply_import`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportWrite {
    /// Every change was written.
    Applied,
    /// A record (or the step template) changed after the import read it: nothing was written.
    ChangedMeanwhile,
}

/// Stores a refused import (nothing else is written), so its result page can be shown.
pub async fn record_refused_import(
    db: &Db,
    actor_id: &UserId,
    report: &ImportReport,
) -> Result<(), DbError> {
    db.query("CREATE type::record('import_run', $run_id) CONTENT { actor: type::record('app_user', $actor_id), applied: false, report: $report }")
        .bind(("actor_id", actor_id.to_string()))
        .bind(("run_id", report.id.clone()))
        .bind(("report", serde_json::to_string(report).map_err(DbError::other)?))
        .await?
        .check()?;
    Ok(())
}

#[derive(Deserialize)]
struct RunRow {
    actor: String,
    report: String,
}

/// An import run and the key of the user who ran it; [`DbError::NotFound`] when unknown.
pub async fn import_run(db: &Db, run_id: &str) -> Result<(UserId, ImportReport), DbError> {
    let row: Option<RunRow> = first(
        db.query(
            "SELECT record::id(actor) AS actor, report FROM ONLY type::record('import_run', $id)",
        )
        .bind(("id", run_id.to_owned()))
        .await?
        .check()?,
    )?;
    let row = row.ok_or(DbError::NotFound)?;
    let report = serde_json::from_str(&row.report).map_err(DbError::other)?;
    Ok((row.actor.into(), report))
}

/// The step template in number order.
pub async fn steps(db: &Db) -> Result<Vec<Step>, DbError> {
    let mut response = db
        .query("SELECT no, phase, name_ja, name_en FROM migration_step ORDER BY no")
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// Writes the shipped template when none is stored (first start); a stored one is kept.
pub async fn ensure_template(db: &Db) -> Result<(), DbError> {
    if steps(db).await?.is_empty() {
        replace_template(db, &super::template::default_steps(), None).await?;
    }
    Ok(())
}

/// Replaces the step template in one transaction and recomputes every record's derived
/// counts for the new length (step statuses stay mapped by number; statuses past the new
/// end are kept but no longer counted). Records whose derived values change get a history entry.
///
/// Every record is written with a check of the version read (a save landing meanwhile makes
/// the transaction fail instead of being overwritten, and a save computed for the old template
/// conflicts with it); on such a failure the whole replacement is read and computed again, up
/// to [`TEMPLATE_ATTEMPTS`] times, then [`DbError::Conflict`].
pub async fn replace_template(
    db: &Db,
    new: &[Step],
    actor_id: Option<&UserId>,
) -> Result<TemplateChange, DbError> {
    for _ in 0..TEMPLATE_ATTEMPTS {
        if let Some(change) = try_replace_template(db, new, actor_id).await? {
            return Ok(change);
        }
    }
    Err(DbError::Conflict)
}

/// How many times [`replace_template`] reads and computes again after a concurrent save.
pub const TEMPLATE_ATTEMPTS: usize = 5;

/// One attempt of [`replace_template`]; `None` when a record changed meanwhile.
async fn try_replace_template(
    db: &Db,
    new: &[Step],
    actor_id: Option<&UserId>,
) -> Result<Option<TemplateChange>, DbError> {
    let old = steps(db).await?;
    let records = all_records(db).await?;
    let plan = plan_template_change(&old, new, &records);
    let updates: Vec<serde_json::Value> = plan
        .updates
        .iter()
        .map(|u| {
            let mut v = with_key(&u.after);
            v["changes"] = to_value(&u.changes);
            v["version"] = serde_json::Value::String(u.version.clone());
            v
        })
        .collect();
    let template_history = history_entry("'template'", "$p.changes");
    let bump = crate::db::counter::bump(PROGRESS_COUNTER);
    let query = format!(
        "BEGIN TRANSACTION;
         {bump}
         LET $actor = IF $actor_id = NONE {{ NONE }} ELSE {{ type::record('app_user', $actor_id) }};
         {CHECK_TEMPLATE}
         DELETE migration_step;
         FOR $s IN $steps {{ CREATE type::record('migration_step', $s.no) CONTENT $s; }};
         FOR $p IN $updates {{
            LET $id = type::record('migration_progress', $p.key);
            {CHECK_VERSION}
            UPDATE $id SET status = $p.status,
                steps_done = $p.steps_done, steps_in_progress = $p.steps_in_progress,
                steps_applicable = $p.steps_applicable;
            IF array::len($p.changes) > 0 {{
                {template_history}
            }};
         }};
         COMMIT TRANSACTION;"
    );
    let response = db
        .query(query)
        .bind(("actor_id", actor_id.map(UserId::to_string)))
        .bind(("template_len", old.len()))
        .bind(("steps", to_value(&new)))
        .bind(("updates", updates))
        .await?;
    match transaction_outcome(response) {
        Ok(()) => Ok(Some(plan.change)),
        Err(DbError::Conflict | DbError::LostRace) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The thread subject of a record's step: `migration_progress:<lg_code>_<system>:<step>`.
pub fn step_thread_subject(cell: &str, step_no: u8) -> String {
    format!("migration_progress:{cell}:{step_no}")
}

/// Comments per step of one record: (step number, count), steps without comments left out.
pub async fn comment_counts(db: &Db, cell: &str) -> Result<Vec<(u8, u32)>, DbError> {
    let prefix = format!("migration_progress:{cell}:");
    let counts = crate::threads::repo::counts(db, &prefix).await?;
    Ok(counts
        .into_iter()
        .filter_map(|(subject, n)| Some((subject.strip_prefix(&prefix)?.parse().ok()?, n)))
        .collect())
}

/// Who is told about a new comment by `author_id` on a step thread: every active GovTech
/// advisor when `notify_advisors` (a municipality asks), and everyone who wrote in the thread
/// before; never the author.
pub async fn comment_recipients(
    db: &Db,
    subject: &str,
    author_id: &UserId,
    notify_advisors: bool,
) -> Result<Vec<UserId>, DbError> {
    let mut response = db
        .query(
            "SELECT VALUE record::id(id) FROM app_user WHERE $advisors AND status = 'active' AND roles CONTAINS 'govtech_advisor';",
        )
        .bind(("advisors", notify_advisors))
        .await?
        .check()?;
    let mut ids: Vec<String> = response.take(0)?;
    ids.extend(crate::threads::repo::participants(db, subject).await?);
    ids.sort();
    ids.dedup();
    Ok(ids
        .into_iter()
        .map(UserId::from)
        .filter(|id| id != author_id)
        .collect())
}

/// A tracker note (a record's notes, or a comment on a step) that matches a search.
#[derive(Debug, Clone, Deserialize)]
pub struct SearchRow {
    /// `record_note` or `step_comment`.
    pub kind: String,
    /// The municipality's lg code.
    pub lg: String,
    /// The standard system's code.
    pub system: String,
    /// The step number, for a comment.
    pub step: Option<String>,
    /// The comment's key.
    pub post: Option<String>,
    /// The matched text.
    pub text: String,
    /// BM25 relevance.
    pub score: f64,
    /// When written.
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Records whose notes match `q` and step comments that do (full-text, [`crate::search`]), at
/// most 200 of each. Every signed-in user reads the council's progress (issue #3).
pub async fn search(db: &Db, q: &str) -> Result<Vec<SearchRow>, DbError> {
    let mut response = db
        .query(
            "SELECT 'record_note' AS kind, record::id(organisation) AS lg,
                record::id(standard_system) AS system, NONE AS step, NONE AS post, notes AS text,
                search::score(1) AS score, updated_at AS at
             FROM migration_progress WHERE notes @1@ $q ORDER BY score DESC LIMIT 200;
             SELECT 'step_comment' AS kind,
                string::slice(string::split(subject, ':')[1], 0, 6) AS lg,
                string::slice(string::split(subject, ':')[1], 7) AS system,
                string::split(subject, ':')[2] AS step, record::id(id) AS post, body AS text,
                search::score(1) AS score, at
             FROM post WHERE body @1@ $q AND string::starts_with(subject, 'migration_progress:')
             ORDER BY score DESC LIMIT 200;",
        )
        .bind(("q", crate::search::model::grams(q)))
        .await?
        .check()?;
    let mut found: Vec<SearchRow> = rows(&mut response, 0)?;
    found.extend(rows::<SearchRow>(&mut response, 1)?);
    Ok(found)
}
