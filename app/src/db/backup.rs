//! Backup and restore of the whole store (`kyodo backup FILE`, `kyodo restore FILE`, the
//! administrators' download at `/admin/backup`), through SurrealDB's own export and import.
//!
//! A backup is the SurrealQL that SurrealDB's export writes for namespace `kyodo`, database
//! `main`: every table's definition, fields and indexes, then every record — progress,
//! history, threads, projects, bookings, council, users and the attachments' bytes, which are
//! records too. Restoring runs it with SurrealDB's import. Backups work on the embedded
//! stores (`surrealkv://`, `mem://`); SurrealDB's WebSocket protocol has no export, so for a
//! remote server the README points to that server's own `export` and `import` commands.

use super::Db;
use anyhow::{Context, bail};

/// What [`restore`] does to a store that already holds tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse: a restore must not mix two stores' records.
    Refuse,
    /// Remove database `main` first (everything in it), then restore.
    Replace,
}

/// Writes a backup of `db` to `file` (created or replaced). Errors: the engine has no export
/// (a remote server over WebSocket), or the file cannot be written.
pub async fn backup_to(db: &Db, file: &std::path::Path) -> anyhow::Result<()> {
    db.export(file)
        .await
        .map_err(explain)
        .with_context(|| format!("writing the backup to {}", file.display()))
}

/// A backup of `db` as a stream of byte chunks (for a download). Errors: as [`backup_to`].
pub async fn backup_stream(
    db: &Db,
) -> anyhow::Result<impl futures::Stream<Item = Result<Vec<u8>, surrealdb::Error>> + use<>> {
    db.export(()).await.map_err(explain)
}

/// The names of the tables in database `main` (none in a new store).
pub async fn tables(db: &Db) -> anyhow::Result<Vec<String>> {
    let info: Option<serde_json::Value> = super::first(
        db.query("INFO FOR DB")
            .await
            .and_then(|r| r.check())
            .context("reading the store's tables")?,
    )?;
    let mut names: Vec<String> = info
        .as_ref()
        .and_then(|i| i.get("tables"))
        .and_then(|t| t.as_object())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default();
    names.sort();
    Ok(names)
}

/// Restores the backup in `file` into `db` (opened without the schema: [`super::open`]), in
/// one import. A store that already has tables is refused with [`Existing::Refuse`] (the
/// error names how many and how to force it) and emptied first with [`Existing::Replace`].
/// Errors: the file is missing or not a backup SurrealDB can import (the store is then left
/// as the import left it: restore again with `--force`).
pub async fn restore(db: &Db, file: &std::path::Path, existing: Existing) -> anyhow::Result<()> {
    if !file.is_file() {
        bail!("{} is not a backup file", file.display());
    }
    let found = tables(db).await?;
    if !found.is_empty() {
        match existing {
            Existing::Refuse => bail!(
                "the store is not empty ({} tables, e.g. {}): restoring would mix two stores; \
                 restore into a new data folder, or add --force to replace everything in it",
                found.len(),
                found.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
            ),
            Existing::Replace => {
                db.query("REMOVE DATABASE IF EXISTS main")
                    .await
                    .and_then(|r| r.check())
                    .context("emptying the store")?;
                db.use_ns("kyodo")
                    .use_db("main")
                    .await
                    .context("selecting namespace kyodo, database main")?;
            }
        }
    }
    db.import(file)
        .await
        .map_err(explain)
        .with_context(|| format!("restoring {}", file.display()))
}

/// SurrealDB's error, with what to do when the engine has no export or import.
fn explain(e: surrealdb::Error) -> anyhow::Error {
    let text = e.to_string();
    if text.contains("does not support backups") {
        anyhow::anyhow!(
            "{text}: this connection (a remote server over WebSocket) has no export or import; \
             use the SurrealDB server's own `export` / `import` commands (README, Backups)"
        )
    } else {
        anyhow::Error::new(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{DbConfig, connect, open};

    #[tokio::test]
    async fn a_backup_restores_into_an_empty_store_and_not_over_a_full_one() {
        let db = connect(&DbConfig::at("mem://")).await.unwrap();
        db.query("CREATE kept:x SET name = 'テスト'").await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backup.surql");
        backup_to(&db, &file).await.unwrap();

        let empty = open(&DbConfig::at("mem://")).await.unwrap();
        assert!(tables(&empty).await.unwrap().is_empty());
        restore(&empty, &file, Existing::Refuse).await.unwrap();
        let names: Vec<String> = empty
            .query("SELECT VALUE name FROM kept:x")
            .await
            .unwrap()
            .take(0)
            .unwrap();
        assert_eq!(names, ["テスト"]);

        // The same store again: it has tables now.
        let err = restore(&empty, &file, Existing::Refuse).await.unwrap_err();
        assert!(format!("{err:#}").contains("--force"), "{err:#}");
        // Forced: replaced, not doubled.
        empty
            .query("CREATE kept:y SET name = '余分'")
            .await
            .unwrap();
        restore(&empty, &file, Existing::Replace).await.unwrap();
        let keys: Vec<String> = empty
            .query("SELECT VALUE record::id(id) FROM kept")
            .await
            .unwrap()
            .take(0)
            .unwrap();
        assert_eq!(keys, ["x"]);
    }

    #[tokio::test]
    async fn a_missing_file_is_named() {
        let db = open(&DbConfig::at("mem://")).await.unwrap();
        let err = restore(
            &db,
            std::path::Path::new("/nonexistent/b.surql"),
            Existing::Refuse,
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("/nonexistent/b.surql"), "{err}");
    }
}
