//! Backup and restore of the whole store (`kyodo backup FILE`, `kyodo restore FILE`, the
//! administrators' download at `/admin/backup`), through SurrealDB's own export and import.
//!
//! A backup is the SurrealQL that SurrealDB's export writes for namespace `kyodo`, database
//! `main`: every table's definition, fields and indexes, then every record — progress,
//! history, threads, projects, bookings, council, users and the attachments' bytes, which are
//! records too — but not the sessions ([`NOT_BACKED_UP`]). Restoring runs it with SurrealDB's
//! import. Backups work on the embedded
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

/// Tables a backup leaves out: `session`, whose record ids are the session cookies (a backup
/// must not let whoever holds it act as a signed-in user; a restored store starts with every
/// user signed out).
pub const NOT_BACKED_UP: &[&str] = &["session"];

/// The tables a backup of `db` holds: every table but [`NOT_BACKED_UP`]. Errors: the store
/// has no tables (the wrong data folder or database: an empty backup would restore nothing).
async fn backed_up_tables(db: &Db) -> anyhow::Result<Vec<String>> {
    let all = tables(db).await?;
    if all.is_empty() {
        bail!(
            "the store is empty (no tables): check KYODO_DATA_DIR / KYODO_DATABASE_URL; nothing to back up"
        );
    }
    Ok(all
        .into_iter()
        .filter(|t| !NOT_BACKED_UP.contains(&t.as_str()))
        .collect())
}

/// The last line of every Kyodo backup: the SHA-256 (hex) of everything before it. A file cut
/// short (an interrupted download) or changed is refused before anything is touched.
const END_MARKER: &str = "\n-- kyodo-backup-end sha256=";

/// The end line for `content`.
fn end_line(hash: sha2::Sha256) -> String {
    use sha2::Digest;
    format!("{END_MARKER}{}\n", crate::ids::hex(&hash.finalize()))
}

/// Writes a backup of `db` to `file`, replacing it only once the backup is whole: it is
/// written to `FILE.partial` (mode 0600: it holds every account), ended with its checksum line
/// and then renamed. Errors: the store is empty, the engine has no export (a remote server
/// over WebSocket), or the file cannot be written (an earlier `file` is then left as it was).
pub async fn backup_to(db: &Db, file: &std::path::Path) -> anyhow::Result<()> {
    use futures::StreamExt;
    use std::io::Write;
    let mut chunks = std::pin::pin!(backup_stream(db).await?);
    let partial = std::path::PathBuf::from(format!("{}.partial", file.display()));
    let _ = std::fs::remove_file(&partial);
    let mut out = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&partial)
            .with_context(|| format!("creating {}", partial.display()))?
    };
    let writing = || format!("writing the backup to {}", partial.display());
    while let Some(chunk) = chunks.next().await {
        out.write_all(&chunk.map_err(explain).with_context(writing)?)
            .with_context(writing)?;
    }
    out.sync_all().with_context(writing)?;
    std::fs::rename(&partial, file)
        .with_context(|| format!("moving the backup to {}", file.display()))
}

/// A backup of `db` as a stream of byte chunks (for a download), ended with its checksum
/// line. Errors: as [`backup_to`]; [`no_export`] tells a remote server's refusal apart.
pub async fn backup_stream(
    db: &Db,
) -> anyhow::Result<impl futures::Stream<Item = Result<Vec<u8>, surrealdb::Error>> + use<>> {
    use futures::StreamExt;
    use sha2::Digest;
    let tables = backed_up_tables(db).await?;
    let chunks = db
        .export(())
        .with_config()
        .tables(tables)
        .await
        .map_err(explain)?;
    let hash = std::sync::Arc::new(std::sync::Mutex::new(sha2::Sha256::new()));
    let seen = hash.clone();
    let body = chunks.map(move |chunk| {
        if let Ok(bytes) = &chunk {
            seen.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .update(bytes);
        }
        chunk
    });
    let end = futures::stream::once(async move {
        let hash = hash
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        Ok(end_line(hash).into_bytes())
    });
    Ok(body.chain(end))
}

/// Checks that `file` is a whole Kyodo backup: it ends with the checksum line and the checksum
/// is right. Errors: the file cannot be read, or is cut short, changed or no Kyodo backup
/// (nothing has been touched then).
pub fn verify(file: &std::path::Path) -> anyhow::Result<()> {
    use sha2::Digest;
    if !file.is_file() {
        bail!("{} is not a backup file", file.display());
    }
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let marker = END_MARKER.as_bytes();
    // The last marker, and after it exactly the end line of everything before it.
    let whole = bytes
        .windows(marker.len())
        .rposition(|w| w == marker)
        .is_some_and(|at| {
            bytes[at..] == *end_line(sha2::Sha256::new_with_prefix(&bytes[..at])).as_bytes()
        });
    if !whole {
        bail!(
            "{} is not a whole Kyodo backup (its end line with the checksum is missing or does not match: cut short, changed, or another file); nothing was changed",
            file.display()
        );
    }
    Ok(())
}

/// Whether `error` says the connection has no export (a remote server over WebSocket).
pub fn no_export(error: &anyhow::Error) -> bool {
    format!("{error:#}").contains(NO_EXPORT)
}

/// What SurrealDB says when the protocol has no export or import.
const NO_EXPORT: &str = "does not support backups";

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

/// Restores the backup in `file` into `db` (an embedded store; opened without
/// the schema: [`super::open`]), in one import, and marks the schema to be applied again (run
/// [`super::migrate`] next, or start Kyodo). The file is [`verify`]-ed first: one that is not
/// a whole backup changes nothing. A store that already has tables is refused with [`Existing::Refuse`] (the
/// error names how many and how to force it) and emptied first with [`Existing::Replace`].
/// Errors: the file is missing or not a backup SurrealDB can import (the store is then left
/// as the import left it: restore again with `--force`).
pub async fn restore(db: &Db, file: &std::path::Path, existing: Existing) -> anyhow::Result<()> {
    verify(file)?;
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
        .with_context(|| format!("restoring {}", file.display()))?;
    // The backup leaves out the session table, definition and all: the next migration must
    // apply the schema again, whatever hash the backup recorded.
    db.query("UPDATE schema_meta:current SET schema_hash = NONE")
        .await
        .and_then(|r| r.check())
        .context("marking the schema to be applied again")?;
    Ok(())
}

/// SurrealDB's error, with what to do when the engine has no export or import.
fn explain(e: surrealdb::Error) -> anyhow::Error {
    let text = e.to_string();
    if text.contains(NO_EXPORT) {
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

    /// The strings a `SELECT VALUE …` in `db` answers.
    async fn values(db: &Db, sql: &str) -> Vec<String> {
        db.query(sql).await.unwrap().take(0).unwrap()
    }

    #[tokio::test]
    async fn a_backup_restores_into_an_empty_store_and_not_over_a_full_one() {
        let db = connect(&DbConfig::at("mem://")).await.unwrap();
        db.query("CREATE kept:x SET name = 'テスト'").await.unwrap();
        db.query("CREATE session:secret_cookie SET data = {}")
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backup.surql");
        backup_to(&db, &file).await.unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains("secret_cookie"), "sessions stay out");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );

        let empty = open(&DbConfig::at("mem://")).await.unwrap();
        assert!(tables(&empty).await.unwrap().is_empty());
        restore(&empty, &file, Existing::Refuse).await.unwrap();
        assert_eq!(
            values(&empty, "SELECT VALUE name FROM kept:x").await,
            ["テスト"]
        );
        crate::db::migrate(&empty).await.unwrap();
        assert!(
            tables(&empty)
                .await
                .unwrap()
                .contains(&"session".to_owned())
        );

        // The same store again: it has tables now.
        let err = restore(&empty, &file, Existing::Refuse).await.unwrap_err();
        assert!(format!("{err:#}").contains("--force"), "{err:#}");
        // Forced: replaced, not doubled.
        empty
            .query("CREATE kept:y SET name = '余分'")
            .await
            .unwrap();
        restore(&empty, &file, Existing::Replace).await.unwrap();
        assert_eq!(
            values(&empty, "SELECT VALUE record::id(id) FROM kept").await,
            ["x"]
        );
    }

    #[tokio::test]
    async fn an_empty_store_is_not_backed_up() {
        let db = open(&DbConfig::at("mem://")).await.unwrap();
        let file = tempfile::tempdir().unwrap().path().join("b.surql");
        let err = backup_to(&db, &file).await.unwrap_err();
        assert!(err.to_string().contains("empty"), "{err}");
    }

    #[tokio::test]
    async fn a_cut_or_changed_backup_is_refused_and_the_store_kept() {
        let db = connect(&DbConfig::at("mem://")).await.unwrap();
        db.query("CREATE kept:x SET name = 'テスト'").await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backup.surql");
        backup_to(&db, &file).await.unwrap();
        verify(&file).unwrap();
        let whole = std::fs::read(&file).unwrap();
        let bad = dir.path().join("bad.surql");
        for broken in [
            whole[..whole.len() / 2].to_vec(),
            whole[..whole.len() - 3].to_vec(),
            [&whole[..10], b"X", &whole[11..]].concat(),
            b"hello world\n".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&bad, &broken).unwrap();
            let err = restore(&db, &bad, Existing::Replace).await.unwrap_err();
            assert!(
                err.to_string().contains("not a whole Kyodo backup"),
                "{err}"
            );
            assert_eq!(
                values(&db, "SELECT VALUE name FROM kept:x").await,
                ["テスト"],
                "a refused restore removes nothing"
            );
        }
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
