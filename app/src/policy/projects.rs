//! Joint projects (協働事業): who may create, read, move and join a project.
//!
//! Source: issue #10. GovTech Tokyo's advisors (led by GovTech Tokyo), Tokyo officers and
//! administrators (any lead) create any kind; a municipality's CIO creates a 区市町村提案 with
//! itself as lead. Only the lead
//! organisation's managers (its CIO; GovTech advisors for a GovTech-led project; Tokyo
//! officers for a Tokyo-led one) or a Tokyo officer / administrator move a project. A
//! municipality's CIO or staff joins for its own organisation. A draft is seen by its lead
//! and the secretariat only; a project for invited organisations by them, its lead and the
//! secretariat only — in lists, counts, pages, exports and notifications alike.

use crate::auth::model::{CurrentUser, Role};
use crate::orgs::model::OrgKind;
use crate::projects::model::{ProjectKind, ProjectStatus, Visibility};

/// What the rules need to know about a project (from the stored project; no user input).
#[derive(Debug, Clone, Copy)]
pub struct ProjectAccess<'a> {
    /// The lead organisation's key.
    pub lead: &'a str,
    /// The lead organisation's kind.
    pub lead_kind: OrgKind,
    /// Who may see it.
    pub visibility: Visibility,
    /// The invited organisations' keys (for [`Visibility::Invited`]).
    pub invited: &'a [String],
    /// Its status.
    pub status: ProjectStatus,
}

/// The secretariat: Tokyo officers and administrators see and move every project.
fn secretariat(user: &CurrentUser) -> bool {
    user.has(Role::TokyoOfficer) || user.has(Role::Admin)
}

/// Whether `user` may create a project of `kind` led by an organisation of `lead_kind` with
/// key `lead`.
pub fn may_create_project(
    user: &CurrentUser,
    kind: ProjectKind,
    lead: &str,
    lead_kind: OrgKind,
) -> bool {
    if secretariat(user) {
        return true;
    }
    // An advisor posts for GovTech Tokyo (and so keeps seeing and moving what they post).
    if user.has(Role::GovtechAdvisor) {
        return lead_kind == OrgKind::Govtech && user.organisation.key == lead;
    }
    user.has(Role::Cio)
        && kind == ProjectKind::MunicipalProposal
        && lead_kind.is_municipal()
        && user.organisation.key == lead
}

/// Whether `user` may create any project at all (the "new project" link and page).
pub fn may_create_any_project(user: &CurrentUser) -> bool {
    secretariat(user)
        || user.has(Role::GovtechAdvisor)
        || (user.has(Role::Cio) && user.is_municipal())
}

/// Whether `user` manages the project for its lead organisation (moves it, edits it).
pub fn may_manage_project(user: &CurrentUser, p: &ProjectAccess) -> bool {
    if secretariat(user) {
        return true;
    }
    if user.organisation.key != p.lead {
        return false;
    }
    match p.lead_kind {
        OrgKind::Govtech => user.has(Role::GovtechAdvisor),
        OrgKind::Prefecture => user.has(Role::TokyoOfficer),
        _ => user.has(Role::Cio),
    }
}

/// Whether `user` may see the project at all (list, count, page, export, notice).
pub fn may_read_project(user: &CurrentUser, p: &ProjectAccess) -> bool {
    if secretariat(user) || user.organisation.key == p.lead {
        return true;
    }
    if p.status == ProjectStatus::Draft {
        return false;
    }
    match p.visibility {
        Visibility::Council => true,
        Visibility::Invited => p.invited.contains(&user.organisation.key),
    }
}

/// Whether `user` may join (change, withdraw) the project for their own municipality: its CIO
/// or staff, when they may see the project. The window and status are the model's rules.
pub fn may_join_project(user: &CurrentUser, p: &ProjectAccess) -> bool {
    user.is_municipal()
        && (user.has(Role::Cio) || user.has(Role::Staff))
        && may_read_project(user, p)
}

/// Whether `user` may mark a question in the project's thread answered (or open again): the
/// lead's managers, who answer, and the question's author (`author`), while they may see
/// the project.
pub fn may_mark_answered(
    user: &CurrentUser,
    p: &ProjectAccess,
    author: &crate::ids::UserId,
) -> bool {
    may_read_project(user, p) && (may_manage_project(user, p) || user.id == *author)
}

/// The thread subject of a project: `project:<key>`.
pub fn project_subject(key: &str) -> String {
    format!("project:{key}")
}

/// The project key of a thread or attachment subject `project:<key>`.
pub fn project_of_subject(subject: &str) -> Option<&str> {
    let key = subject.strip_prefix("project:")?;
    crate::ids::ProjectId::parse(key).map(|_| key)
}
