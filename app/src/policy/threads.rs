//! Threads: who may read a thread, post in it and edit a post, decided by the subject's owner
//! (the room whose subject the thread is attached to). A subject no room claims is closed.

use super::standardization::may_comment;
use crate::auth::model::CurrentUser;
use crate::orgs::model::LgCode;

/// The municipality of a tracker step thread `migration_progress:<lg_code>_<system>:<step>`.
fn step_thread_municipality(subject: &str) -> Option<LgCode> {
    let rest = subject.strip_prefix("migration_progress:")?;
    LgCode::parse(rest.get(..6)?).ok()
}

/// Whether `user` may read the thread on `subject`. Tracker step threads: every signed-in
/// user (the council's progress is shared; issue #3).
pub fn may_read_thread(_user: &CurrentUser, subject: &str) -> bool {
    step_thread_municipality(subject).is_some()
}

/// Whether `user` may post in the thread on `subject`. Tracker step threads:
/// [`may_comment`] on the record's municipality.
pub fn may_post(user: &CurrentUser, subject: &str) -> bool {
    step_thread_municipality(subject).is_some_and(|lg| may_comment(user, &lg))
}

/// Whether `user` may edit a post by `author_id` in the thread on `subject`: its author only,
/// while they may still post there (an account moved to another organisation may not).
pub fn may_edit_post(user: &CurrentUser, subject: &str, author_id: &crate::ids::UserId) -> bool {
    &user.id == author_id && may_post(user, subject)
}
