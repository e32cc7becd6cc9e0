//! Standardization: who writes a municipality's progress, imports, comments on steps and
//! replaces the step template.

use crate::auth::model::{CurrentUser, Role};
use crate::error::AppError;
use crate::orgs::model::LgCode;

/// Whether `user` may write the progress of the municipality `lg_code`.
///
/// Rule (issue #2): a municipality's CIO or staff write their own rows only; a Tokyo officer
/// or an administrator may write any municipality's rows; GovTech advisors read only.
pub fn may_write_progress(user: &CurrentUser, lg_code: &LgCode) -> bool {
    if user.has(Role::TokyoOfficer) || user.has(Role::Admin) {
        return true;
    }
    (user.has(Role::Cio) || user.has(Role::Staff))
        && user.is_municipal()
        && user.organisation.lg_code.as_ref() == Some(lg_code)
}

/// Whether `user` may comment on the step threads of municipality `lg_code`'s records.
///
/// Rule (issue #3): advisors, Tokyo officers and administrators comment on any record; a
/// municipality's CIO and staff on their own municipality's records.
pub fn may_comment(user: &CurrentUser, lg_code: &LgCode) -> bool {
    user.has(Role::GovtechAdvisor) || may_write_progress(user, lg_code)
}

/// Whether `user` may replace reference data such as the step template (administrators).
pub fn may_manage_reference(user: &CurrentUser) -> bool {
    user.has(Role::Admin)
}

/// Whether `user` may import progress at all (for some municipality).
pub fn may_import(user: &CurrentUser) -> bool {
    user.has(Role::TokyoOfficer)
        || user.has(Role::Admin)
        || ((user.has(Role::Cio) || user.has(Role::Staff)) && user.is_municipal())
}

/// Requires [`may_import`]; [`AppError::Forbidden`] otherwise.
pub fn require_import(user: &CurrentUser) -> Result<(), AppError> {
    if may_import(user) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether `user` may see the import run started by `actor_id`.
pub fn may_view_import_run(user: &CurrentUser, actor_id: &crate::ids::UserId) -> bool {
    &user.id == actor_id || user.has(Role::TokyoOfficer) || user.has(Role::Admin)
}
