//! What the projects room's server functions send to its pages.

use super::model::{OneMoreJoins, Participation, Project, ProjectKind, Share};
use crate::history::model::HistoryEntry;
use crate::ids::Timestamp;
use crate::orgs::model::Organisation;
use serde::{Deserialize, Serialize};

/// A project as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectListItem {
    /// The project's card.
    pub card: super::model::ProjectSummary,
    /// Lead organisation (Japanese name).
    pub lead_name_ja: String,
    /// Lead organisation (English name).
    pub lead_name_en: String,
    /// Whole JST days left to join while the call is open; `None` otherwise.
    pub days_left: Option<i64>,
    /// Participating municipalities.
    pub participants: u32,
    /// Whether the caller's organisation takes part.
    pub joined: bool,
}

/// One page of the project list: the projects the caller may see, open calls first (the
/// soonest to close first), then the rest newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectListView {
    /// One page of the projects after the filters.
    pub items: Vec<ProjectListItem>,
    /// Which page this is (from 0).
    pub page: u32,
    /// Whether a next page has projects.
    pub more: bool,
    /// Every tag of the visible projects (for the tag filter), sorted.
    pub tags: Vec<String>,
    /// The standard systems (for the system filter): (code, Japanese name, English name).
    pub systems: Vec<(String, String, String)>,
    /// Whether the caller may create a project.
    pub may_create: bool,
}

/// A project's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectPageView {
    /// The project.
    pub project: Project,
    /// Its description rendered and sanitized.
    pub description_html: String,
    /// The lead organisation.
    pub lead: Organisation,
    /// Related standard systems: (code, Japanese name, English name).
    pub systems: Vec<(String, String, String)>,
    /// Participating municipalities, by code.
    pub participants: Vec<Participation>,
    /// Each participant's estimated share, in the order of `participants`.
    pub shares: Vec<Share>,
    /// What changes if one more municipality (with the participants' average quantity) joins.
    pub one_more: Option<OneMoreJoins>,
    /// Timeline: every change, newest first.
    pub history: Vec<HistoryEntry>,
    /// The Q&A and announcements thread, oldest first (bodies rendered and sanitized).
    pub posts: Vec<crate::threads::model::Post>,
    /// The questions (posts answering none) the caller may mark answered or open again.
    pub markable: Vec<crate::ids::PostId>,
    /// The project's documents.
    pub documents: Vec<crate::attachments::model::AttachmentInfo>,
    /// Whether the caller may add documents (the lead's managers, until closed or cancelled).
    pub may_attach: bool,
    /// The caller's organisation's participation, if any.
    pub own: Option<Participation>,
    /// Whether the caller may move the project (lead or secretariat).
    pub may_manage: bool,
    /// Whether the caller may join, change or withdraw for their municipality.
    pub may_join: bool,
    /// Whether the call is open now (server time).
    pub window_open: bool,
    /// Whole JST days left while open.
    pub days_left: Option<i64>,
    /// Server time of the answer.
    pub now: Timestamp,
}

/// The "new project" form's choices for the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewProjectView {
    /// Kinds the caller may create.
    pub kinds: Vec<ProjectKind>,
    /// Organisations the caller may name as lead.
    pub leads: Vec<Organisation>,
    /// The 62 municipalities (the invite list).
    pub municipalities: Vec<Organisation>,
    /// The standard systems: (code, Japanese name, English name).
    pub systems: Vec<(String, String, String)>,
}
