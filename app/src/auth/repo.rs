//! User storage (ssr only).

use super::model::{CurrentUser, PERSONAS, Role};
use crate::db::{Db, first};
use crate::error::AppError;
use crate::setup::Catalog;
use serde::Deserialize;

#[derive(Deserialize)]
struct UserRow {
    id: String,
    name_ja: String,
    name_en: String,
    roles: Vec<Role>,
    org_key: String,
    status: String,
}

/// The active user with this key, with their organisation; `None` when unknown, pending or
/// disabled (a disabled user's session no longer signs anyone in).
pub async fn active_user(
    db: &Db,
    catalog: &Catalog,
    user_id: &str,
) -> Result<Option<CurrentUser>, AppError> {
    let row: Option<UserRow> = first(
        db.query(
            "SELECT record::id(id) AS id, name_ja, name_en, roles, record::id(organisation) AS org_key, status
             FROM ONLY type::record('app_user', $id)",
        )
        .bind(("id", user_id.to_owned()))
        .await?
        .check()?,
    )?;
    let Some(row) = row.filter(|r| r.status == "active") else {
        return Ok(None);
    };
    let organisation = catalog.organisation(&row.org_key).cloned().ok_or_else(|| {
        AppError::internal(format!(
            "user {} has unknown organisation {}",
            row.id, row.org_key
        ))
    })?;
    Ok(Some(CurrentUser {
        id: row.id,
        name_ja: row.name_ja,
        name_en: row.name_en,
        roles: row.roles,
        organisation,
    }))
}

/// Creates or refreshes the six demo users (idempotent).
pub async fn ensure_demo_users(db: &Db) -> Result<(), AppError> {
    let users: Vec<serde_json::Value> = PERSONAS
        .iter()
        .map(|p| {
            serde_json::json!({
                "id": p.user_id(), "name_ja": p.name_ja, "name_en": p.name_en,
                "org_key": p.org_key, "roles": [p.role.code()],
            })
        })
        .collect();
    db.query(
        "BEGIN TRANSACTION;
         FOR $u IN $users {
            UPSERT type::record('app_user', $u.id) MERGE {
                name_ja: $u.name_ja, name_en: $u.name_en,
                organisation: type::record('organisation', $u.org_key),
                roles: $u.roles, status: 'active', is_demo: true
            };
         };
         COMMIT TRANSACTION;",
    )
    .bind(("users", users))
    .await?
    .check()?;
    Ok(())
}
