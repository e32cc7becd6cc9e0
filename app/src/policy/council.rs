//! Council workspaces: who may read, take part in and manage a workspace (the CIO council or a
//! working group).
//!
//! Source: issue #12. Every signed-in user belongs to the council's organisations, so a
//! council-wide workspace is read by everyone signed in; a private one by its members only
//! (a person, or anyone active in a member organisation). Members but observers post, attend and
//! vote; the chair and the secretariat manage. A closed workspace is an archive its managers
//! still read; nobody else reads it, and nobody writes in it. Tokyo officers and administrators
//! create working groups (and become their secretariat).

use crate::auth::model::{CurrentUser, Role};
use crate::council::model::{WorkspaceRole, WorkspaceVisibility};

/// What the rules need to know about a workspace and the caller (from the database: the
/// workspace's settings and the caller's strongest role in it, in person or through their
/// organisation).
#[derive(Debug, Clone, Copy)]
pub struct WorkspaceAccess {
    /// Who may read it.
    pub visibility: WorkspaceVisibility,
    /// Closed.
    pub closed: bool,
    /// The caller's role, if a member.
    pub role: Option<WorkspaceRole>,
}

/// Whether `user` may read the workspace, its topics, meetings (public items), proposals and
/// training sessions.
pub fn may_read_workspace(_user: &CurrentUser, w: &WorkspaceAccess) -> bool {
    if w.closed {
        return w.role.is_some_and(WorkspaceRole::manages);
    }
    match w.visibility {
        WorkspaceVisibility::Council => true,
        WorkspaceVisibility::Private => w.role.is_some(),
    }
}

/// Whether `user` sees a meeting's 非公開 (closed) agenda items and the attendance: members,
/// observers included.
pub fn may_see_closed_items(user: &CurrentUser, w: &WorkspaceAccess) -> bool {
    w.role.is_some() && may_read_workspace(user, w)
}

/// Whether `user` may post, answer attendance, vote and register: members but observers, in
/// an open workspace.
pub fn may_take_part(_user: &CurrentUser, w: &WorkspaceAccess) -> bool {
    !w.closed && w.role.is_some_and(WorkspaceRole::takes_part)
}

/// Whether `user` may register for the workspace's training sessions: anyone who reads an
/// open workspace (a 研修会 is announced to the whole audience of its workspace).
pub fn may_register_training(user: &CurrentUser, w: &WorkspaceAccess) -> bool {
    !w.closed && may_read_workspace(user, w)
}

/// Whether `user` manages the workspace (members, join requests, meetings, agenda, minutes,
/// summaries, training sessions, pins, closing proposals early, closing the workspace): its
/// chair and secretariat, while it is open.
pub fn may_manage_workspace(_user: &CurrentUser, w: &WorkspaceAccess) -> bool {
    !w.closed && w.role.is_some_and(WorkspaceRole::manages)
}

/// Whether `user` may ask to join: a council-wide, open workspace they are not a member of.
pub fn may_request_join(_user: &CurrentUser, w: &WorkspaceAccess) -> bool {
    !w.closed && w.visibility == WorkspaceVisibility::Council && w.role.is_none()
}

/// Whether `user` may create a working group: Tokyo officers (the council's secretariat) and
/// administrators.
pub fn may_create_workspace(user: &CurrentUser) -> bool {
    user.has(Role::TokyoOfficer) || user.has(Role::Admin)
}
