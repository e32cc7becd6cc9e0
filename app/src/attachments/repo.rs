//! Attachments in the database (ssr only): SurrealQL only, no user-facing text.

use super::model::{AttachmentInfo, MAX_PER_SUBJECT};
use crate::db::{Db, DbError, rows};
use serde::Deserialize;

/// A file to store (already classified and named).
pub struct NewAttachment<'a> {
    /// Its key (random).
    pub id: &'a str,
    /// The room's subject it belongs to.
    pub subject: &'a str,
    /// File name ([`super::model::clean_name`]).
    pub name: &'a str,
    /// `Content-Type` to serve it with.
    pub content_type: &'a str,
    /// The bytes (at most [`super::model::MAX_BYTES`]).
    pub content: Vec<u8>,
    /// Uploader's user key.
    pub uploader_id: &'a crate::ids::UserId,
}

/// Stores a file unless its subject has [`MAX_PER_SUBJECT`] files already (counted inside the
/// write's transaction, on whichever server). Returns whether it was stored.
pub async fn create(db: &Db, file: NewAttachment<'_>) -> Result<bool, DbError> {
    let response = db
        .query(
            "BEGIN TRANSACTION;
             IF count(SELECT VALUE id FROM attachment WHERE subject = $subject) >= $max {
                THROW 'attachments_full';
             };
             CREATE type::record('attachment', $id) CONTENT {
                subject: $subject, name: $name, content_type: $content_type,
                size_bytes: $size, content: $content, uploader: type::record('app_user', $uploader)
             };
             COMMIT TRANSACTION;",
        )
        .bind(("id", file.id.to_owned()))
        .bind(("subject", file.subject.to_owned()))
        .bind(("name", file.name.to_owned()))
        .bind(("content_type", file.content_type.to_owned()))
        .bind(("size", file.content.len() as i64))
        .bind(("content", surrealdb::types::Bytes::from(file.content)))
        .bind(("uploader", file.uploader_id.to_string()))
        .bind(("max", MAX_PER_SUBJECT as i64))
        .await?;
    match crate::db::transaction_outcome(response) {
        Ok(()) => Ok(true),
        Err(e) if e.is_thrown("attachments_full") => Ok(false),
        Err(e) => Err(e),
    }
}

/// A subject's attachments, oldest first (without their bytes).
pub async fn list(db: &Db, subject: &str) -> Result<Vec<AttachmentInfo>, DbError> {
    let mut response = db
        .query(
            "SELECT record::id(id) AS id, name, size_bytes, uploader.name_ja AS uploader_name_ja,
                uploader.name_en AS uploader_name_en, <string> at AS at, at AS sort_at
             FROM attachment WHERE subject = $subject ORDER BY sort_at",
        )
        .bind(("subject", subject.to_owned()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// A stored file: its subject, name, content type and bytes.
pub struct StoredFile {
    /// The room's subject it belongs to.
    pub subject: String,
    /// File name.
    pub name: String,
    /// `Content-Type` to serve it with.
    pub content_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

#[derive(Deserialize)]
struct Meta {
    subject: String,
    name: String,
    content_type: String,
}

/// The file with key `id`; `None` when there is none.
pub async fn file(db: &Db, id: &crate::ids::AttachmentId) -> Result<Option<StoredFile>, DbError> {
    let mut response = db
        .query(
            "SELECT subject, name, content_type FROM ONLY type::record('attachment', $id);
             SELECT VALUE content FROM ONLY type::record('attachment', $id);",
        )
        .bind(("id", id.to_string()))
        .await?
        .check()?;
    let meta: Option<serde_json::Value> = response.take(0)?;
    let Some(meta) = meta.filter(|m| !m.is_null()) else {
        return Ok(None);
    };
    let meta: Meta = serde_json::from_value(meta).map_err(DbError::other)?;
    let content: Option<surrealdb::types::Bytes> = response.take(1)?;
    Ok(Some(StoredFile {
        subject: meta.subject,
        name: meta.name,
        content_type: meta.content_type,
        content: content.map(|b| b.into_inner().to_vec()).unwrap_or_default(),
    }))
}
