//! Accounts: who manages users and roles, and when demo sign-in is allowed.

use crate::auth::model::{CurrentUser, Role};
use crate::error::AppError;

/// Whether `user` may see or manage accounts at all.
pub fn may_manage_users(user: &CurrentUser) -> bool {
    user.has(Role::Admin) || (user.has(Role::Cio) && user.is_municipal())
}

/// Whether `user` may give an account of organisation `org_key` the role `role` (or change
/// its status). Administrators: any. A municipality's CIO: accounts of their own
/// organisation, and only the roles staff and CIO (source: issue #4, "an administrator (or
/// the organisation's CIO) approves").
///
/// `current_roles` are the account's roles now: a CIO may not touch an account that holds a
/// central role (GovTech advisor, Tokyo officer, administrator), even in their organisation.
pub fn may_manage_user(
    user: &CurrentUser,
    org_key: &str,
    current_roles: &[Role],
    role: Role,
) -> bool {
    if user.has(Role::Admin) {
        return true;
    }
    let municipal = |r: &Role| matches!(r, Role::Staff | Role::Cio);
    may_manage_users(user)
        && user.organisation.key == org_key
        && municipal(&role)
        && current_roles.iter().all(municipal)
}

/// Whether `user` may download a backup of the whole store: administrators only (it holds
/// every account and every municipality's files).
pub fn may_download_backup(user: &CurrentUser) -> bool {
    user.has(Role::Admin)
}

/// Demo sign-in is allowed only while demo mode is on (loopback servers only, see `setup`).
pub fn require_demo(demo_mode: bool) -> Result<(), AppError> {
    if demo_mode {
        Ok(())
    } else {
        Err(AppError::DemoDisabled)
    }
}
