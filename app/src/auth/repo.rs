//! User storage (ssr only).

use super::model::{AccountStatus, CurrentUser, PERSONAS, Role, UserSummary};
use crate::db::{Db, DbError, first};
use crate::state::Catalog;
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
) -> Result<Option<CurrentUser>, DbError> {
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
        DbError::Other(format!(
            "user {} has unknown organisation {}",
            row.id, row.org_key
        ))
    })?;
    Ok(Some(CurrentUser {
        id: row.id.into(),
        name_ja: row.name_ja,
        name_en: row.name_en,
        roles: row.roles,
        organisation,
    }))
}

/// Creates or refreshes the six demo users (idempotent).
pub async fn ensure_demo_users(db: &Db) -> Result<(), DbError> {
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

/// What a verified OIDC identity leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityOutcome {
    /// An active user: sign in as this user key.
    Active(String),
    /// A pending account (created now or earlier): wait for approval.
    Pending,
    /// Refused; nothing was created.
    Refused(super::model::OidcFailure),
}

#[derive(Deserialize)]
struct IdentityUser {
    id: String,
    status: String,
    org_key: String,
}

/// Finds the user of (issuer, subject), or creates a pending account for the provider's
/// organisation on first sign-in (user and identity in one transaction).
///
/// Refused: the user's organisation is not one the provider may sign in for, the
/// organisation cannot be told for a new user, or the account is disabled.
pub async fn sign_in_identity(
    db: &Db,
    provider: &crate::config::OidcProvider,
    claims: &super::model::VerifiedClaims,
) -> Result<IdentityOutcome, DbError> {
    use super::model::OidcFailure;
    let existing: Option<IdentityUser> = first(
        db.query(
            "SELECT record::id(user) AS id, user.status AS status, record::id(user.organisation) AS org_key
             FROM ONLY identity WHERE issuer = $iss AND subject = $sub LIMIT 1",
        )
        .bind(("iss", claims.issuer.clone()))
        .bind(("sub", claims.subject.clone()))
        .await?
        .check()?,
    )?;
    if let Some(user) = existing {
        if !provider.orgs.contains(&user.org_key) {
            return Ok(IdentityOutcome::Refused(
                OidcFailure::OrganisationNotAllowed,
            ));
        }
        return Ok(match user.status.as_str() {
            "active" => IdentityOutcome::Active(user.id),
            "pending" => IdentityOutcome::Pending,
            _ => IdentityOutcome::Refused(OidcFailure::AccountDisabled),
        });
    }
    let Some(org_key) = provider.organisation_for(claims.email.as_deref()) else {
        return Ok(IdentityOutcome::Refused(
            OidcFailure::OrganisationNotAllowed,
        ));
    };
    let name = claims
        .name
        .clone()
        .or_else(|| claims.email.clone())
        .unwrap_or_else(|| claims.subject.clone());
    db.query(
        "BEGIN TRANSACTION;
         LET $user = (CREATE ONLY app_user CONTENT {
            name_ja: $name, name_en: $name, organisation: type::record('organisation', $org),
            roles: [], status: 'pending', is_demo: false
         }).id;
         CREATE identity CONTENT { issuer: $iss, subject: $sub, user: $user, email: $email };
         COMMIT TRANSACTION;",
    )
    .bind(("name", name))
    .bind(("org", org_key))
    .bind(("iss", claims.issuer.clone()))
    .bind(("sub", claims.subject.clone()))
    .bind(("email", claims.email.clone()))
    .await?
    .check()?;
    Ok(IdentityOutcome::Pending)
}

#[derive(Deserialize)]
struct SummaryRow {
    id: String,
    name_ja: String,
    name_en: String,
    roles: Vec<Role>,
    org_key: String,
    status: AccountStatus,
    email: Option<String>,
}

/// Accounts, pending first, optionally of one organisation only.
pub async fn list_users(
    db: &Db,
    catalog: &Catalog,
    org_key: Option<&str>,
) -> Result<Vec<UserSummary>, DbError> {
    let mut response = db
        .query(
            "SELECT record::id(id) AS id, name_ja, name_en, roles, record::id(organisation) AS org_key, status,
                (SELECT VALUE email FROM identity WHERE user = $parent.id LIMIT 1)[0] AS email
             FROM app_user WHERE $org = NONE OR organisation = type::record('organisation', $org)",
        )
        .bind(("org", org_key.map(str::to_owned)))
        .await?
        .check()?;
    let rows: Vec<SummaryRow> = crate::db::rows(&mut response, 0)?;
    let mut out: Vec<UserSummary> = rows
        .into_iter()
        .filter_map(|r| {
            let organisation = catalog.organisation(&r.org_key)?.clone();
            Some(UserSummary {
                id: r.id.into(),
                name_ja: r.name_ja,
                name_en: r.name_en,
                organisation,
                roles: r.roles,
                status: r.status,
                email: r.email,
            })
        })
        .collect();
    out.sort_by_key(|u| {
        (
            u.status != AccountStatus::Pending,
            u.organisation.key.clone(),
            u.id.clone(),
        )
    });
    Ok(out)
}

#[derive(Deserialize)]
struct AccessRow {
    org_key: String,
    roles: Vec<Role>,
}

/// The organisation key and current roles of a user; [`DbError::NotFound`] when there is
/// no such user.
pub async fn access_of_user(db: &Db, user_id: &str) -> Result<(String, Vec<Role>), DbError> {
    let row: Option<AccessRow> = first(
        db.query("SELECT record::id(organisation) AS org_key, roles FROM ONLY type::record('app_user', $id)")
            .bind(("id", user_id.to_owned()))
            .await?
            .check()?,
    )?;
    row.map(|r| (r.org_key, r.roles)).ok_or(DbError::NotFound)
}

/// Sets an account's status and its single role.
pub async fn set_access(
    db: &Db,
    user_id: &str,
    status: AccountStatus,
    role: Role,
) -> Result<(), DbError> {
    db.query("UPDATE type::record('app_user', $id) SET status = $status, roles = [$role]")
        .bind(("id", user_id.to_owned()))
        .bind(("status", status.code()))
        .bind(("role", role.code()))
        .await?
        .check()?;
    Ok(())
}
