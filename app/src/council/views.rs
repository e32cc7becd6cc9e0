//! What the council's server functions send to the pages. Instants are UTC (pages show them
//! in JST with [`crate::ids::Timestamp::jst`]); names come in Japanese and English.

use super::model::{
    AttendanceStatus, Outcome, ProposalKind, RegistrationStatus, VotePer, WorkspaceRole,
    WorkspaceVisibility,
};
use crate::ids::Timestamp;
use serde::{Deserialize, Serialize};

/// A workspace in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceCard {
    /// Key (`council` for the council; its page is `/council/<key>`).
    pub key: String,
    /// Name (Japanese).
    pub name_ja: String,
    /// Name (English).
    pub name_en: String,
    /// Who may read it.
    pub visibility: WorkspaceVisibility,
    /// Closed (an archive its managers still read).
    pub closed: bool,
    /// The caller's role, if a member.
    pub role: Option<WorkspaceRole>,
    /// The caller asked to join and waits for an answer.
    pub requested: bool,
    /// The caller may ask to join (council-wide, not a member, not asked yet).
    pub may_request: bool,
    /// People who are members (in person or through their organisation).
    pub members: u32,
}

/// `/council`: the workspaces the caller may see (the council first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspacesView {
    /// The workspaces.
    pub workspaces: Vec<WorkspaceCard>,
    /// The caller may create a working group (Tokyo officers, administrators).
    pub may_create: bool,
}

/// One membership row: a person or an organisation and its role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    /// `user` or `organisation`.
    pub kind: String,
    /// The user or organisation key.
    pub key: String,
    /// Name (Japanese); for a person, with their organisation.
    pub name_ja: String,
    /// Name (English).
    pub name_en: String,
    /// Role.
    pub role: WorkspaceRole,
}

/// How many people a search in the "add a member" form shows at most.
pub const PEOPLE_FOUND_MAX: usize = 30;

/// A person or organisation the managers may add: key and names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// `user` or `organisation`.
    pub kind: String,
    /// Key.
    pub key: String,
    /// Name (Japanese).
    pub name_ja: String,
    /// Name (English).
    pub name_en: String,
}

/// A pending request to join.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinRequestRow {
    /// The user's key.
    pub user: String,
    /// Name (Japanese) with organisation.
    pub name_ja: String,
    /// Name (English) with organisation.
    pub name_en: String,
    /// When asked.
    pub at: Timestamp,
}

/// One line of a workspace's activity feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityItem {
    /// `topic`, `post`, `meeting`, `proposal` or `training`.
    pub kind: String,
    /// Its title (for a post, its topic's title).
    pub title: String,
    /// Its page.
    pub link: String,
    /// Who did it (Japanese, English); empty for none.
    pub actor: (String, String),
    /// When.
    pub at: Timestamp,
}

/// A topic (thread) in a workspace's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicCard {
    /// Key; page `/council/topics/<key>`.
    pub key: String,
    /// Title.
    pub title: String,
    /// Pinned by the managers (listed first).
    pub pinned: bool,
    /// Posts in it (the opening post included).
    pub posts: u32,
    /// Last post.
    pub last_at: Timestamp,
}

/// A meeting in a workspace's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingCard {
    /// Key; page `/council/meetings/<key>`.
    pub key: String,
    /// Title.
    pub title: String,
    /// Start.
    pub starts_at: Timestamp,
    /// End.
    pub ends_at: Timestamp,
    /// The 議事要旨 is published.
    pub published: bool,
}

/// A proposal in a workspace's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalCard {
    /// Key; page `/council/proposals/<key>`.
    pub key: String,
    /// Title.
    pub title: String,
    /// Closing instant (server time decides).
    pub closes_at: Timestamp,
    /// Closed (outcome recorded).
    pub closed: bool,
}

/// A training session in a workspace's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingCard {
    /// Key; page `/council/trainings/<key>`.
    pub key: String,
    /// Title.
    pub title: String,
    /// Start.
    pub starts_at: Timestamp,
    /// Seats.
    pub capacity: u32,
    /// Seats taken.
    pub registered: u32,
}

/// `/council/<key>`: a workspace with its members, feed, topics, meetings, proposals and
/// training sessions, and what the caller may do there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceView {
    /// The workspace.
    pub card: WorkspaceCard,
    /// Its description, rendered and sanitized.
    pub description_html: String,
    /// Members (people and organisations), strongest role first.
    pub members: Vec<MemberRow>,
    /// Latest activity, newest first (at most 20).
    pub activity: Vec<ActivityItem>,
    /// Topics, pinned first, then the latest post first.
    pub topics: Vec<TopicCard>,
    /// Meetings, the latest start first.
    pub meetings: Vec<MeetingCard>,
    /// Proposals, open first, then the latest closing first.
    pub proposals: Vec<ProposalCard>,
    /// Training sessions, the latest start first.
    pub trainings: Vec<TrainingCard>,
    /// The caller may start topics and proposals (members but observers).
    pub may_post: bool,
    /// The caller manages it (chair, secretariat): members, meetings, trainings, closing.
    pub may_manage: bool,
    /// The caller may leave (a member in person).
    pub may_leave: bool,
    /// For managers: the organisations, and the active people whose name or organisation
    /// matches [`WorkspaceView::people_query`] (at most [`PEOPLE_FOUND_MAX`]), they may add.
    pub candidates: Vec<Candidate>,
    /// For managers: the name searched for among people (`people` in the address), trimmed;
    /// empty when none.
    pub people_query: String,
    /// For managers: pending requests to join.
    pub join_requests: Vec<JoinRequestRow>,
}

/// `/council/topics/<key>`: a topic with its thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicView {
    /// Key.
    pub key: String,
    /// Workspace key and names (Japanese, English).
    pub workspace: (String, String, String),
    /// Title.
    pub title: String,
    /// Pinned.
    pub pinned: bool,
    /// Posts, oldest first (bodies rendered and sanitized); the first opens the topic.
    pub posts: Vec<crate::threads::model::Post>,
    /// The caller may reply.
    pub may_post: bool,
    /// The caller may pin or unpin it.
    pub may_manage: bool,
    /// The caller's own posts, which they may edit.
    pub editable: Vec<crate::ids::PostId>,
    /// Files attached to the topic (added by those who may post).
    pub files: Vec<crate::attachments::model::AttachmentInfo>,
}

/// An agenda item as the caller may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaItemView {
    /// Key.
    pub key: String,
    /// Position (1 = first).
    pub position: u32,
    /// Title.
    pub title: String,
    /// 公開 (`true`) or 非公開 (shown to members only).
    pub public: bool,
    /// Description, rendered.
    pub body_html: String,
    /// Minutes (Markdown source, for the managers' form).
    pub minutes: String,
    /// Minutes, rendered.
    pub minutes_html: String,
    /// The item's documents (a 非公開 item's reach members only).
    pub documents: Vec<crate::attachments::model::AttachmentInfo>,
}

/// One member's answer for a meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendanceRow {
    /// User key.
    pub user: String,
    /// Name (Japanese) with organisation.
    pub name_ja: String,
    /// Name (English) with organisation.
    pub name_en: String,
    /// The answer.
    pub status: AttendanceStatus,
    /// The deputy's name for 代理出席.
    pub deputy: Option<String>,
}

/// `/council/meetings/<key>`: a meeting as the caller may see it. Non-members of the
/// workspace get the public items only, and no attendance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingView {
    /// Key.
    pub key: String,
    /// Workspace key and names (Japanese, English).
    pub workspace: (String, String, String),
    /// Title.
    pub title: String,
    /// Start.
    pub starts_at: Timestamp,
    /// End.
    pub ends_at: Timestamp,
    /// Place (may be empty).
    pub place: String,
    /// Online link (may be empty; `https://` only).
    pub online_url: String,
    /// Agenda items the caller may see, in order.
    pub items: Vec<AgendaItemView>,
    /// Answers (members only).
    pub attendance: Vec<AttendanceRow>,
    /// The caller's own answer.
    pub my_attendance: Option<AttendanceStatus>,
    /// The 議事要旨 draft (Markdown; managers only, else empty).
    pub summary_draft: String,
    /// The published 議事要旨, rendered; `None` until published.
    pub summary_html: Option<String>,
    /// When it was published.
    pub published_at: Option<Timestamp>,
    /// The caller may answer attendance (members but observers).
    pub may_attend: bool,
    /// The caller manages it (agenda, minutes, summary, documents).
    pub may_manage: bool,
    /// The meeting's documents (資料), for whoever reads the meeting.
    pub documents: Vec<crate::attachments::model::AttachmentInfo>,
}

/// `/council/meetings/<key>/summary`: a published 議事要旨, readable without signing in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryView {
    /// Meeting title.
    pub title: String,
    /// Workspace names (Japanese, English).
    pub workspace: (String, String),
    /// Start.
    pub starts_at: Timestamp,
    /// The summary, rendered and sanitized.
    pub summary_html: String,
    /// When it was published.
    pub published_at: Timestamp,
}

/// A vote as the caller may see it (never while the proposal is anonymous).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoteRow {
    /// Who the vote is for (a person or an organisation), Japanese and English.
    pub voter: (String, String),
    /// Option index.
    pub option: usize,
    /// Cast by a deputy (代理): the deputy's names.
    pub deputy: Option<(String, String)>,
}

/// `/council/proposals/<key>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalView {
    /// Key.
    pub key: String,
    /// Workspace key and names.
    pub workspace: (String, String, String),
    /// Title.
    pub title: String,
    /// Description, rendered.
    pub body_html: String,
    /// Consent or poll.
    pub kind: ProposalKind,
    /// Options in order (consent: 賛成, 棄権, 反対, 異議).
    pub options: Vec<String>,
    /// Closing instant.
    pub closes_at: Timestamp,
    /// Votes needed for a decision.
    pub quorum: Option<u32>,
    /// Voter identities are never shown.
    pub anonymous: bool,
    /// Counts are hidden until closing.
    pub hide_results: bool,
    /// One vote per person or per organisation.
    pub vote_per: VotePer,
    /// Closed.
    pub closed: bool,
    /// The outcome once closed.
    pub outcome: Option<Outcome>,
    /// Votes per option; `None` while hidden.
    pub counts: Option<Vec<u32>>,
    /// Votes cast (always shown: it tells whether the quorum is met).
    pub votes: u32,
    /// Each vote (not for an anonymous proposal); `None` while hidden.
    pub ballots: Option<Vec<VoteRow>>,
    /// The caller's (or their organisation's) current vote.
    pub my_vote: Option<usize>,
    /// The caller may vote now.
    pub may_vote: bool,
    /// People the caller may vote for as deputy (same organisation, members): key and names.
    pub deputy_for: Vec<Candidate>,
    /// The caller may close it early.
    pub may_manage: bool,
}

/// `/council/trainings/<key>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingView {
    /// Key.
    pub key: String,
    /// Workspace key and names.
    pub workspace: (String, String, String),
    /// Title.
    pub title: String,
    /// Description, rendered.
    pub body_html: String,
    /// Start.
    pub starts_at: Timestamp,
    /// Registration closes at.
    pub deadline: Timestamp,
    /// Seats.
    pub capacity: u32,
    /// Seats taken.
    pub registered: u32,
    /// On the waiting list.
    pub waiting: u32,
    /// The caller's registration.
    pub mine: Option<RegistrationStatus>,
    /// The caller's place on the waiting list (1 = next).
    pub my_place: Option<u32>,
    /// The caller may register now (before the deadline, not registered).
    pub may_register: bool,
    /// Managers see who registered: names and status, in order.
    pub registrations: Vec<(String, String, RegistrationStatus)>,
}
