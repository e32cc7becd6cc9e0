//! Attachments: who may attach a file to a subject and who may download it, decided by the
//! subject's owner (the room). A subject no room claims is closed.

use super::standardization::may_write_progress;
use crate::auth::model::CurrentUser;
use crate::orgs::model::LgCode;

/// The municipality of a progress record subject `migration_progress:<lg_code>_<system>`.
fn record_municipality(subject: &str) -> Option<LgCode> {
    let rest = subject.strip_prefix("migration_progress:")?;
    if rest.contains(':') {
        return None;
    }
    LgCode::parse(rest.get(..6)?).ok()
}

/// Whether `user` may attach a file to `subject`. Progress records: whoever may write the
/// record ([`may_write_progress`]).
pub fn may_attach(user: &CurrentUser, subject: &str) -> bool {
    record_municipality(subject).is_some_and(|lg| may_write_progress(user, &lg))
}

/// Whether `user` may download a file attached to `subject`. Progress records: every
/// signed-in user (the council's progress is shared; issue #3).
pub fn may_read_attachment(_user: &CurrentUser, subject: &str) -> bool {
    record_municipality(subject).is_some()
}
