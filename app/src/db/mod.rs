//! Database connection, schema and helpers (ssr only).
//!
//! SurrealDB 3 through the `any` engine: `surrealkv://<dir>` on disk (default), `mem://` in
//! tests, or a remote server (`ws://…`, `wss://…`) by configuration. The schema lives in
//! `app/schema/*.surql`, one file per table, and is applied at start when it changed
//! (idempotent: `DEFINE … OVERWRITE`; `schema_meta:current.schema_hash` is the hash of the
//! files last applied, so that a large store does not rebuild its indexes at every start);
//! `schema_meta:current.version` records the version so that later versions can run data
//! upgrades on an existing data folder.

pub mod backup;
pub mod counter;
pub mod reference;

use anyhow::{Context, bail};
use serde::Serialize;
use serde::de::DeserializeOwned;
use surrealdb::Surreal;
use surrealdb::engine::any::Any;

/// A database handle (cheap to clone).
pub type Db = Surreal<Any>;

/// The schema version this build writes. Raise it with each data upgrade (`UPGRADES`).
pub const SCHEMA_VERSION: i64 = 6;

/// The schema files in application order.
const SCHEMA: &[(&str, &str)] = &[
    (
        "00_schema_meta.surql",
        include_str!("../../schema/00_schema_meta.surql"),
    ),
    (
        "01_organisation.surql",
        include_str!("../../schema/01_organisation.surql"),
    ),
    (
        "02_standard_system.surql",
        include_str!("../../schema/02_standard_system.surql"),
    ),
    (
        "03_app_user.surql",
        include_str!("../../schema/03_app_user.surql"),
    ),
    (
        "04_session.surql",
        include_str!("../../schema/04_session.surql"),
    ),
    (
        "05_migration_progress.surql",
        include_str!("../../schema/05_migration_progress.surql"),
    ),
    (
        "06_import_run.surql",
        include_str!("../../schema/06_import_run.surql"),
    ),
    (
        "07_identity.surql",
        include_str!("../../schema/07_identity.surql"),
    ),
    (
        "08_step_template.surql",
        include_str!("../../schema/08_step_template.surql"),
    ),
    (
        "09_progress_history.surql",
        include_str!("../../schema/09_progress_history.surql"),
    ),
    (
        "10_step_comment.surql",
        include_str!("../../schema/10_step_comment.surql"),
    ),
    (
        "11_notification.surql",
        include_str!("../../schema/11_notification.surql"),
    ),
    (
        "12_notice.surql",
        include_str!("../../schema/12_notice.surql"),
    ),
    (
        "13_history.surql",
        include_str!("../../schema/13_history.surql"),
    ),
    ("14_post.surql", include_str!("../../schema/14_post.surql")),
    (
        "15_attachment.surql",
        include_str!("../../schema/15_attachment.surql"),
    ),
    (
        "16_project.surql",
        include_str!("../../schema/16_project.surql"),
    ),
    (
        "17_change_counter.surql",
        include_str!("../../schema/17_change_counter.surql"),
    ),
    (
        "18_consultation.surql",
        include_str!("../../schema/18_consultation.surql"),
    ),
    (
        "19_council.surql",
        include_str!("../../schema/19_council.surql"),
    ),
    (
        "20_search.surql",
        include_str!("../../schema/20_search.surql"),
    ),
];

/// Data upgrades: (target version, SurrealQL) run once, in order, when the stored version is
/// lower. Version 1 is the initial schema and needs no data change. Version 2 brings per-step
/// statuses: a version-1 record with `steps_done = n` becomes steps 1–n 完了. Version 3 moves
/// each step comment's `notification` into the generic inbox (`notice`), with its link, its
/// sentence in both languages (names as they are now) and its excerpt, read or not as before.
/// Version 4 moves each `progress_history` entry into the generic `history` (subject
/// `migration_progress:<key>`), with its actor, source, changes and instant. Version 5 moves
/// each `step_comment` into the generic thread `post` under the same key (links to
/// `#comment-<key>` keep working), subject `migration_progress:<key>:<step>`. Version 6
/// brings the change counters (`change_counter`): it changes no data, but an older Kyodo, whose
/// writes do not bump them, must no longer open the folder (every server's caches would miss
/// its writes).
const UPGRADES: [(i64, &str); 4] = [
    (
        2,
        "UPDATE migration_progress SET steps = array::repeat('done', steps_done), steps_in_progress = 0, steps_applicable = 40;",
    ),
    (
        3,
        "BEGIN TRANSACTION;
         FOR $n IN (SELECT * FROM notification) {
            LET $lg = string::slice($n.cell, 0, 6);
            LET $sys = string::slice($n.cell, 7);
            LET $org = type::record('organisation', $lg);
            LET $system = type::record('standard_system', $sys);
            LET $step = <string> $n.step_no;
            CREATE notice CONTENT {
                recipient: $n.recipient, kind: 'step_comment',
                subject: string::concat('migration_progress:', $n.cell, ':', $step),
                link: string::concat('/standardization/records/', $lg, '/', $sys, '/steps/', $step),
                text_ja: string::concat($n.comment.author.name_ja, 'さんが', $org.name_ja, '・',
                    $system.name_ja, 'の手順', $step, 'にコメントしました'),
                text_en: string::concat($n.comment.author.name_en, ' commented on step ', $step,
                    ' of ', $org.name_en, ' · ', $system.name_en),
                excerpt: string::slice($n.comment.body, 0, 1001),
                read: $n.read, at: $n.at
            };
         };
         DELETE notification;
         COMMIT TRANSACTION;",
    ),
    (
        4,
        "BEGIN TRANSACTION;
         FOR $h IN (SELECT * FROM progress_history) {
            CREATE history CONTENT {
                subject: string::concat('migration_progress:', $h.cell), actor: $h.actor,
                source: $h.source, changes: $h.changes, at: $h.at
            };
         };
         DELETE progress_history;
         COMMIT TRANSACTION;",
    ),
    (
        5,
        "BEGIN TRANSACTION;
         FOR $c IN (SELECT * FROM step_comment) {
            CREATE type::record('post', record::id($c.id)) CONTENT {
                subject: string::concat('migration_progress:', $c.cell, ':', <string> $c.step_no),
                author: $c.author, body: $c.body, at: $c.at
            };
         };
         DELETE step_comment;
         COMMIT TRANSACTION;",
    ),
];

/// How long start-up waits for the database by default, in seconds.
pub const DEFAULT_WAIT_SECONDS: u64 = 30;

/// Connection settings.
#[derive(Clone)]
pub struct DbConfig {
    /// Endpoint: `surrealkv://<dir>`, `mem://` or `ws://host:port` (`KYODO_DATABASE_URL`).
    pub url: String,
    /// Root user for a remote server (`KYODO_DATABASE_USER`); unused for embedded engines.
    pub user: Option<String>,
    /// Root password (`KYODO_DATABASE_PASSWORD`); redacted in `Debug`.
    pub password: Option<String>,
    /// How long start-up keeps trying a database that does not answer
    /// (`KYODO_DATABASE_WAIT_SECONDS`, default 30 s).
    pub wait: std::time::Duration,
}

impl DbConfig {
    /// Endpoint `url`, no credentials, the default start-up wait.
    pub fn at(url: &str) -> DbConfig {
        DbConfig {
            url: url.to_owned(),
            user: None,
            password: None,
            wait: std::time::Duration::from_secs(DEFAULT_WAIT_SECONDS),
        }
    }
}

impl std::fmt::Debug for DbConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbConfig")
            .field("url", &self.url)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("wait", &self.wait)
            .finish()
    }
}

/// Connects, selects namespace `kyodo` / database `main` and applies the schema.
///
/// Errors: the endpoint cannot be opened within `config.wait` ([`open`]), sign-in fails, or
/// the stored schema is newer than this build (an older Kyodo must not write a newer data
/// folder).
pub async fn connect(config: &DbConfig) -> anyhow::Result<Db> {
    let db = open(config).await?;
    migrate(&db).await?;
    Ok(db)
}

/// Connects and selects namespace `kyodo` / database `main`, without touching the schema (a
/// restore brings its own).
///
/// A database that does not answer yet (a server still starting, a data folder another
/// process has not let go of) is tried again every second, with a log line each time, until
/// `config.wait` has passed; then the last error, with the endpoint and the time waited.
/// Errors in the credentials are not retried.
pub async fn open(config: &DbConfig) -> anyhow::Result<Db> {
    // A mistyped endpoint is not worth waiting for.
    if !ENDPOINTS.iter().any(|e| config.url.starts_with(e)) {
        bail!(
            "KYODO_DATABASE_URL {:?} is not one of {} (this build's engines)",
            config.url,
            ENDPOINTS.join(", ")
        );
    }
    let started = std::time::Instant::now();
    let mut attempt = 1u32;
    let db = loop {
        match surrealdb::engine::any::connect(config.url.as_str()).await {
            Ok(db) => break db,
            Err(e) if started.elapsed() < config.wait => {
                tracing::warn!(
                    url = %config.url,
                    attempt,
                    error = %e,
                    "the database does not answer yet; trying again in 1 s"
                );
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
            Err(e) => {
                return Err(anyhow::Error::new(e).context(format!(
                    "opening the database at {} (gave up after {} s; KYODO_DATABASE_WAIT_SECONDS)",
                    config.url,
                    started.elapsed().as_secs()
                )));
            }
        }
    };
    if let (Some(username), Some(password)) = (&config.user, &config.password) {
        db.signin(surrealdb::opt::auth::Root {
            username: username.clone(),
            password: password.clone(),
        })
        .await
        .context("signing in to the database")?;
    }
    db.use_ns("kyodo")
        .use_db("main")
        .await
        .context("selecting namespace kyodo, database main")?;
    Ok(db)
}

/// The endpoints this build opens: embedded SurrealKV and memory, a server over WebSocket.
const ENDPOINTS: &[&str] = &["surrealkv://", "mem://", "ws://", "wss://"];

/// Whether the database answers a trivial query within `limit` (the health check).
pub async fn answers(db: &Db, limit: std::time::Duration) -> bool {
    matches!(
        tokio::time::timeout(limit, async { db.query("RETURN 1").await?.check() }).await,
        Ok(Ok(_))
    )
}

/// Applies the schema and any pending upgrades; returns the resulting version.
pub async fn migrate(db: &Db) -> anyhow::Result<i64> {
    let hash = schema_hash();
    // Nothing (an empty store) or a store from before the hash: apply.
    let applied: Option<AppliedSchema> = match db
        .query("SELECT version, schema_hash FROM ONLY schema_meta:current")
        .await
        .and_then(|r| r.check())
    {
        Ok(response) => first(response).ok().flatten(),
        Err(_) => None,
    };
    let current = applied.as_ref().is_some_and(|a| {
        a.schema_hash.as_deref() == Some(hash.as_str()) && a.version == Some(SCHEMA_VERSION)
    });
    // Applying a file rebuilds its indexes (`DEFINE INDEX … OVERWRITE`), which takes seconds
    // on a large store (the full-text index of 100,000 posts): only when the schema changed.
    if !current {
        for &(name, surql) in SCHEMA {
            db.query(surql)
                .await
                .and_then(|r| r.check())
                .with_context(|| format!("applying schema file {name}"))?;
        }
    }
    let stored: Option<i64> = first(
        db.query("SELECT VALUE version FROM ONLY schema_meta:current")
            .await?
            .check()?,
    )?;
    let stored = stored.unwrap_or(0);
    if stored > SCHEMA_VERSION {
        bail!(
            "the data folder has schema version {stored}, newer than this Kyodo ({SCHEMA_VERSION}); use a newer release"
        );
    }
    for (version, surql) in UPGRADES.iter().filter(|(v, _)| *v > stored) {
        db.query(*surql)
            .await
            .and_then(|r| r.check())
            .with_context(|| format!("upgrading schema to version {version}"))?;
    }
    if stored < SCHEMA_VERSION {
        // Upgrades write without the counters: every cache reloads.
        db.query(
            "UPSERT change_counter:progress SET value = (value ?? 0) + 1;
             UPSERT change_counter:project SET value = (value ?? 0) + 1;",
        )
        .await?
        .check()
        .context("bumping the change counters after an upgrade")?;
    }
    if !current {
        db.query("UPSERT schema_meta:current SET version = $v, schema_hash = $h")
            .bind(("v", SCHEMA_VERSION))
            .bind(("h", hash))
            .await?
            .check()
            .context("recording the schema version")?;
    }
    Ok(SCHEMA_VERSION)
}

/// What `schema_meta:current` says was applied.
#[derive(serde::Deserialize)]
struct AppliedSchema {
    version: Option<i64>,
    schema_hash: Option<String>,
}

/// SHA-256 of every schema file's name and text, in order (hex): a changed file, however
/// small, makes the next start apply the schema again.
fn schema_hash() -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for &(name, surql) in SCHEMA {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(surql.as_bytes());
        hasher.update([0]);
    }
    crate::ids::hex(&hasher.finalize())
}

/// What a repository function reports when it cannot answer: no user-facing text and no domain
/// decision (the server function maps it, e.g. [`DbError::Conflict`] on a save to "someone else
/// changed this record"). Converts into [`crate::error::AppError`]: `NotFound` into `NotFound`,
/// the rest into `Internal` (the cause is logged, never sent).
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The record asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A version check failed (`THROW 'stale_version'` or a rule's own check): the caller's
    /// reading is out of date, nothing was written.
    #[error("write conflict")]
    Conflict,
    /// A concurrent transaction committed a write to a key this one also wrote (a record, or a
    /// change counter every write of a table bumps): nothing was written, and the same
    /// transaction may simply run again ([`with_retries`]), where its checks decide afresh.
    #[error("lost a write race")]
    LostRace,
    /// Anything else: the database's message, or a `THROW` in a transaction (see
    /// [`DbError::is_thrown`]).
    #[error("{0}")]
    Other(String),
}

impl DbError {
    /// Any other cause, kept for the log.
    pub fn other(cause: impl std::fmt::Display) -> DbError {
        DbError::Other(cause.to_string())
    }

    /// Whether this is a transaction's `THROW '<tag>'` (a rule checked inside the write).
    pub fn is_thrown(&self, tag: &str) -> bool {
        matches!(self, DbError::Other(e) if e.contains(tag))
    }
}

impl From<surrealdb::Error> for DbError {
    fn from(e: surrealdb::Error) -> Self {
        DbError::other(e)
    }
}

impl From<anyhow::Error> for DbError {
    fn from(e: anyhow::Error) -> Self {
        DbError::Other(format!("{e:#}"))
    }
}

impl From<serde_json::Error> for DbError {
    fn from(e: serde_json::Error) -> Self {
        DbError::other(e)
    }
}

impl From<DbError> for crate::error::AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound => crate::error::AppError::NotFound,
            DbError::LostRace => crate::error::AppError::Busy,
            other => crate::error::AppError::internal(other),
        }
    }
}

/// The outcome of a `BEGIN … COMMIT` query: a failed transaction reports "not executed" on its
/// other statements, so every statement's error is looked at: a version check's
/// `THROW 'stale_version'` is [`DbError::Conflict`], a lost write conflict
/// [`DbError::LostRace`]; any other `THROW` comes back as [`DbError::Other`] with its message.
pub fn transaction_outcome(mut response: surrealdb::IndexedResults) -> Result<(), DbError> {
    outcome_of(response.take_errors())
}

/// `response` with its errors classified as [`transaction_outcome`] does, for a single write
/// statement run under [`with_retries`] whose result is read afterwards.
pub fn checked(
    mut response: surrealdb::IndexedResults,
) -> Result<surrealdb::IndexedResults, DbError> {
    outcome_of(response.take_errors())?;
    Ok(response)
}

fn outcome_of(errors: std::collections::HashMap<usize, surrealdb::Error>) -> Result<(), DbError> {
    let mut errors: Vec<(usize, String)> = errors
        .into_iter()
        .map(|(i, e)| (i, e.to_string()))
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    errors.sort();
    // The first statement that failed by itself (others say "not executed", and COMMIT says
    // "aborted due to a prior error"); none such means the commit lost a write conflict.
    let cause = errors
        .iter()
        .map(|(_, e)| e)
        .find(|e| !e.contains("not executed") && !e.contains("Cannot COMMIT"));
    let stale = |e: &str| e.contains("stale_version");
    let lost_race = |e: &str| {
        let e = e.to_lowercase();
        e.contains("conflict") || e.contains("can be retried")
    };
    match cause {
        None => Err(DbError::LostRace),
        Some(e) if stale(e) => Err(DbError::Conflict),
        Some(e) if lost_race(e) => Err(DbError::LostRace),
        Some(e) => Err(DbError::Other(e.clone())),
    }
}

/// How often [`with_retries`] runs a transaction that keeps losing write races: enough for
/// the last of 30 people who sign up for one 研修会 in the same moment (each round one of them
/// commits; 12 were too few once requests really ran at once).
pub const RACE_ATTEMPTS: u32 = 40;

/// The longest pause between two attempts, in milliseconds.
pub const RACE_PAUSE_MAX_MS: u64 = 50;

/// Runs `attempt` (one whole transaction) again while it loses a write race
/// ([`DbError::LostRace`]), up to [`RACE_ATTEMPTS`] times with a short random pause that grows
/// each time (at most [`RACE_PAUSE_MAX_MS`]); then [`DbError::LostRace`]. Any other outcome
/// is returned as it is.
pub async fn with_retries<T, F, Fut>(mut attempt: F) -> Result<T, DbError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, DbError>>,
{
    for n in 1..=RACE_ATTEMPTS {
        match attempt().await {
            Err(DbError::LostRace) if n < RACE_ATTEMPTS => {
                let pause = rand::random_range(1..=(5 * u64::from(n)).min(RACE_PAUSE_MAX_MS));
                tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
            }
            outcome => return outcome,
        }
    }
    Err(DbError::LostRace)
}

/// A serde value as a database value, with `null` fields removed (SurrealDB's `option<T>`
/// fields take NONE, not NULL).
pub fn to_value<T: Serialize>(value: &T) -> serde_json::Value {
    strip_nulls(serde_json::to_value(value).unwrap_or(serde_json::Value::Null))
}

fn strip_nulls(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(strip_nulls).collect())
        }
        other => other,
    }
}

/// Takes statement `index` of a response as rows of `T` (via JSON).
pub fn rows<T: DeserializeOwned>(
    response: &mut surrealdb::IndexedResults,
    index: usize,
) -> anyhow::Result<Vec<T>> {
    let values: Vec<serde_json::Value> = response.take(index)?;
    values
        .into_iter()
        .map(|v| serde_json::from_value(v.clone()).with_context(|| format!("decoding row {v}")))
        .collect()
}

/// The first statement's single value (`SELECT … FROM ONLY`), or `None`.
pub fn first<T: DeserializeOwned>(
    mut response: surrealdb::IndexedResults,
) -> anyhow::Result<Option<T>> {
    let value: Option<serde_json::Value> = response.take(0)?;
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(v) => Ok(Some(serde_json::from_value(v)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn schema_applies_twice_and_records_its_version() {
        let config = DbConfig::at("mem://");
        let db = connect(&config).await.unwrap();
        assert_eq!(migrate(&db).await.unwrap(), SCHEMA_VERSION);
        let v: Option<i64> = first(
            db.query("SELECT VALUE version FROM ONLY schema_meta:current")
                .await
                .unwrap(),
        )
        .unwrap();
        assert_eq!(v, Some(SCHEMA_VERSION));
    }

    #[tokio::test]
    async fn the_schema_is_applied_again_only_when_it_changed() {
        let config = DbConfig::at("mem://");
        let db = connect(&config).await.unwrap();
        migrate(&db).await.unwrap();
        let indexes = |db: Db| async move {
            let info: Option<serde_json::Value> = first(
                db.query("INFO FOR TABLE post")
                    .await
                    .unwrap()
                    .check()
                    .unwrap(),
            )
            .unwrap();
            info.unwrap()["indexes"].as_object().unwrap().len()
        };
        let all = indexes(db.clone()).await;
        assert!(all >= 2, "post has its subject and full-text indexes");
        db.query("REMOVE INDEX post_subject ON post")
            .await
            .unwrap()
            .check()
            .unwrap();
        // The same schema: not applied again (its indexes are not rebuilt at every start).
        migrate(&db).await.unwrap();
        assert_eq!(indexes(db.clone()).await, all - 1);
        // Another schema (here: a store that recorded another hash): applied.
        db.query("UPSERT schema_meta:current SET schema_hash = 'older'")
            .await
            .unwrap()
            .check()
            .unwrap();
        migrate(&db).await.unwrap();
        assert_eq!(indexes(db.clone()).await, all);
    }

    #[tokio::test]
    async fn an_unreachable_database_is_tried_until_the_wait_ends_then_named() {
        // Nothing listens on port 1 of loopback.
        let mut config = DbConfig::at("ws://127.0.0.1:1");
        config.wait = std::time::Duration::from_secs(2);
        let started = std::time::Instant::now();
        let err = open(&config).await.expect_err("nothing answers");
        assert!(started.elapsed() >= config.wait, "{:?}", started.elapsed());
        let text = format!("{err:#}");
        assert!(text.contains("ws://127.0.0.1:1"), "{text}");
        assert!(text.contains("KYODO_DATABASE_WAIT_SECONDS"), "{text}");
    }

    #[tokio::test]
    async fn an_unknown_endpoint_is_refused_at_once() {
        let started = std::time::Instant::now();
        let err = open(&DbConfig::at("rocksdb://data"))
            .await
            .expect_err("not built in");
        assert!(err.to_string().contains("rocksdb://data"), "{err}");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[tokio::test]
    async fn the_health_check_sees_an_answering_database() {
        let db = connect(&DbConfig::at("mem://")).await.unwrap();
        assert!(answers(&db, std::time::Duration::from_secs(5)).await);
    }

    #[tokio::test]
    async fn a_newer_data_folder_is_refused() {
        let config = DbConfig::at("mem://");
        let db = connect(&config).await.unwrap();
        db.query("UPSERT schema_meta:current SET version = 99")
            .await
            .unwrap()
            .check()
            .unwrap();
        let err = migrate(&db).await.unwrap_err();
        assert!(err.to_string().contains("newer"), "{err}");
    }

    #[test]
    fn nulls_are_stripped() {
        let v = to_value(&serde_json::json!({"a": null, "b": {"c": null, "d": 1}}));
        assert_eq!(v, serde_json::json!({"b": {"d": 1}}));
    }
}
