//! Attachments: who may attach a file to a subject and who may download it, decided by the
//! subject's owner (the room). A subject no room claims is closed.

use super::standardization::may_write_progress;
use crate::auth::model::CurrentUser;
use crate::orgs::model::LgCode;

/// The municipality and system of a progress record subject
/// `migration_progress:<lg_code>_<system>` (a six-digit code with its check digit, `_`, a
/// system code of lower-case letters and `_`); `None` for anything else. Whether both exist
/// is the catalog's answer, asked by the upload.
pub fn record_of_subject(subject: &str) -> Option<(LgCode, &str)> {
    let rest = subject.strip_prefix("migration_progress:")?;
    let (lg, system) = rest.split_once('_')?;
    let system_ok = !system.is_empty()
        && system.len() <= 64
        && system.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    if !system_ok || lg.len() != 6 {
        return None;
    }
    Some((LgCode::parse(lg).ok()?, system))
}

/// The municipality of a progress record subject.
fn record_municipality(subject: &str) -> Option<LgCode> {
    record_of_subject(subject).map(|(lg, _)| lg)
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
