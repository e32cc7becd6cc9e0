//! The one policy module (layer 2, pure): who may read and change what, by role and by
//! organisation. One file per capability with its `may_*` rules; this file holds the
//! endpoint table.
//!
//! Every server function and HTTP route calls one of these functions before touching data.
//! [`SERVER_FUNCTIONS`] lists each endpoint with its rule; the test at the bottom walks that
//! table for every role and for the user's own and another organisation, and a test of the
//! router (`app/tests/it`) checks that the table lists exactly the endpoints it registers.

mod accounts;
mod attachments;
mod consultations;
mod council;
mod projects;
mod standardization;
mod threads;

pub use accounts::{may_download_backup, may_manage_user, may_manage_users, require_demo};
pub use attachments::{may_attach, may_read_attachment, record_of_subject};
pub use consultations::{
    BookingAccess, may_book_consultation, may_book_engagement_session, may_cancel_booking,
    may_edit_advisor, may_give_booking, may_manage_engagement, may_rate_booking,
    may_read_all_bookings, may_read_booking, may_read_consultation_overview, may_read_engagement,
    may_read_schedule,
};
pub use council::{
    WorkspaceAccess, may_create_workspace, may_manage_workspace, may_read_workspace,
    may_register_training, may_request_join, may_see_closed_items, may_take_part,
};
pub use projects::{
    ProjectAccess, may_create_any_project, may_create_project, may_join_project,
    may_manage_project, may_mark_answered, may_read_project, project_of_subject, project_subject,
};
pub use standardization::{
    may_comment, may_import, may_manage_reference, may_view_import_run, may_write_progress,
    require_import,
};
pub use threads::{may_edit_post, may_post, may_read_thread};

use crate::auth::model::CurrentUser;
use crate::error::AppError;

/// What an endpoint requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, signed in or not (sign-in page, language choice, health check).
    Public,
    /// Any signed-in user (reading reference data and the council's progress).
    SignedIn,
    /// Writing a municipality's progress: its own CIO or staff, a Tokyo officer or an administrator.
    WriteProgress,
    /// Reading an import run: the user who ran it, a Tokyo officer or an administrator.
    OwnImportRun,
    /// Commenting on a progress record's step: its own CIO or staff, GovTech advisors, Tokyo
    /// officers and administrators.
    CommentProgress,
    /// Editing a thread post: its author, while they may still post in the thread.
    OwnPost,
    /// Attaching a file to a subject: for a progress record, whoever may write it.
    Attach,
    /// Downloading an attachment: whoever may read its subject.
    ReadAttachment,
    /// Replacing reference data (the step template): administrators.
    ManageReference,
    /// Reading a joint project: the secretariat, its lead organisation, and (once out of draft)
    /// the council or its invited organisations ([`may_read_project`]).
    ReadProject,
    /// Creating a joint project: GovTech advisors, Tokyo officers and administrators (any kind),
    /// a municipality's CIO (区市町村提案 led by its own municipality).
    CreateProject,
    /// Joining a joint project for one's own municipality: its CIO or staff, when they may
    /// read the project.
    JoinProject,
    /// Moving a joint project: its lead organisation's managers or the secretariat.
    ManageProject,
    /// Marking a question of a joint project's thread answered: the lead's managers or the
    /// question's author ([`may_mark_answered`]).
    MarkAnswered,
    /// Booking a consultation: a municipality's CIO or staff ([`may_book_consultation`]).
    BookConsultation,
    /// Reading a booking: its requester, their municipality's CIO, its advisor, the
    /// secretariat ([`may_read_booking`]).
    ReadBooking,
    /// Cancelling or moving a booking: either side or the secretariat ([`may_cancel_booking`]).
    CancelBooking,
    /// Confirming a booking and recording its outcome: its advisor or the secretariat
    /// ([`may_give_booking`]).
    GiveBooking,
    /// Rating a completed booking: its requester ([`may_rate_booking`]).
    RateBooking,
    /// Editing an advisor profile: a GovTech Tokyo advisor, their own ([`may_edit_advisor`]).
    EditAdvisor,
    /// A private calendar feed: no session; the token in the address is the credential (only
    /// its SHA-256 is stored), and the feed holds its owner's own bookings only, while the
    /// owner's account is active ([`may_read_booking`] for each).
    CalendarFeed,
    /// An advisor's day and week: the advisor and the secretariat ([`may_read_schedule`]).
    ReadSchedule,
    /// Reading a 伴走 case and posting in its thread: as for a booking
    /// ([`may_read_engagement`]).
    ReadEngagement,
    /// Starting a 伴走 case from a booking and changing its status: its advisor or the
    /// secretariat ([`may_manage_engagement`]).
    ManageEngagement,
    /// GovTech Tokyo's overview of all consultations and its CSV (counts, ratings, lead times;
    /// no subjects or names): GovTech Tokyo and the secretariat
    /// ([`may_read_consultation_overview`]).
    ConsultationOverview,
    /// Reading a council workspace and what is in it: council-wide ones every signed-in user,
    /// private ones their members, closed ones their managers ([`may_read_workspace`]); closed
    /// agenda items only members ([`may_see_closed_items`]).
    ReadWorkspace,
    /// Posting, answering attendance and voting in a workspace: its members but observers
    /// ([`may_take_part`]); editing a post: its author while they may still take part.
    TakePart,
    /// Managing a workspace (members, join requests, meetings, agenda, minutes, summaries,
    /// training sessions, pins, closing): its chair and secretariat ([`may_manage_workspace`]).
    ManageWorkspace,
    /// Asking to join a council-wide workspace, or leaving one: anyone who is not (or is) a member
    /// ([`may_request_join`]).
    JoinWorkspace,
    /// Creating a working group: Tokyo officers and administrators ([`may_create_workspace`]).
    CreateWorkspace,
    /// Registering for a training session or cancelling: anyone who reads the open workspace
    /// ([`may_register_training`]).
    RegisterTraining,
    /// Managing accounts: an administrator (any account, any role) or a CIO (own
    /// organisation's accounts, roles staff and CIO only).
    ManageUsers,
    /// Downloading a backup of the whole store (every record, every account, every file):
    /// administrators ([`may_download_backup`]).
    DownloadBackup,
}

/// Every server function and route with the rule it enforces.
pub const SERVER_FUNCTIONS: &[(&str, Rule)] = &[
    ("POST /api/demo_sign_in", Rule::Public),
    ("POST /api/sign_out", Rule::Public),
    ("POST /api/sign_out_everywhere", Rule::SignedIn),
    ("POST /api/set_language", Rule::Public),
    ("POST /api/current_user", Rule::Public),
    ("POST /api/list_sign_in_providers", Rule::Public),
    ("POST /api/demo_mode", Rule::Public),
    ("POST /api/get_form_error", Rule::Public),
    ("GET /auth/oidc/{provider}/start", Rule::Public),
    ("GET /auth/oidc/callback", Rule::Public),
    ("GET /healthz", Rule::Public),
    ("POST /api/get_org_progress", Rule::SignedIn),
    ("POST /api/list_organisations", Rule::SignedIn),
    ("POST /api/get_organisation", Rule::SignedIn),
    ("POST /api/get_matrix", Rule::SignedIn),
    ("POST /api/get_heatmap", Rule::SignedIn),
    ("POST /api/get_home", Rule::SignedIn),
    ("POST /api/get_import_run", Rule::OwnImportRun),
    ("POST /standardization/import/upload", Rule::WriteProgress),
    ("POST /api/list_users", Rule::ManageUsers),
    ("POST /api/set_user_access", Rule::ManageUsers),
    ("GET /admin/backup", Rule::DownloadBackup),
    ("POST /api/list_provider_config", Rule::ManageUsers),
    ("GET /standardization/export.csv", Rule::SignedIn),
    ("GET /standardization/export.json", Rule::SignedIn),
    ("GET /standardization/summary.csv", Rule::SignedIn),
    ("GET /standardization/summary.json", Rule::SignedIn),
    ("POST /api/get_record", Rule::SignedIn),
    ("POST /api/save_record", Rule::WriteProgress),
    ("POST /api/get_step_thread", Rule::SignedIn),
    ("POST /api/post_step_comment", Rule::CommentProgress),
    ("POST /api/edit_post", Rule::OwnPost),
    ("POST /attachments/upload", Rule::Attach),
    ("GET /attachments/{id}", Rule::ReadAttachment),
    ("POST /api/get_dashboard", Rule::SignedIn),
    ("POST /api/list_notifications", Rule::SignedIn),
    ("POST /api/mark_notifications_read", Rule::SignedIn),
    ("POST /api/count_unread_notifications", Rule::Public),
    ("POST /api/get_step_template", Rule::SignedIn),
    ("POST /standardization/steps/upload", Rule::ManageReference),
    ("POST /api/list_projects", Rule::SignedIn),
    ("POST /api/get_project", Rule::ReadProject),
    ("POST /api/new_project_form", Rule::CreateProject),
    ("POST /api/create_project", Rule::CreateProject),
    ("POST /api/join_project", Rule::JoinProject),
    ("POST /api/change_participation", Rule::JoinProject),
    ("POST /api/withdraw_project", Rule::JoinProject),
    ("POST /api/move_project", Rule::ManageProject),
    ("POST /api/post_project_comment", Rule::ReadProject),
    ("POST /api/mark_project_question", Rule::MarkAnswered),
    ("POST /api/get_partner_suggestions", Rule::ManageProject),
    ("POST /api/get_home_projects", Rule::SignedIn),
    ("GET /projects/export.csv", Rule::SignedIn),
    ("GET /projects/{id}/ocds.json", Rule::ReadProject),
    ("GET /projects/{id}/ocds-record.json", Rule::ReadProject),
    ("POST /projects/{id}/documents", Rule::ManageProject),
    ("GET /projects/{id}/documents/{file}", Rule::ReadProject),
    ("POST /api/get_consultations", Rule::SignedIn),
    ("POST /api/book_consultation", Rule::BookConsultation),
    ("POST /api/list_bookings", Rule::SignedIn),
    ("POST /api/get_booking", Rule::ReadBooking),
    ("POST /api/cancel_booking", Rule::CancelBooking),
    ("POST /api/give_booking", Rule::GiveBooking),
    (
        "GET /consultations/bookings/{id}/invite.ics",
        Rule::ReadBooking,
    ),
    ("POST /api/rate_booking", Rule::RateBooking),
    ("POST /api/reschedule_booking", Rule::CancelBooking),
    ("POST /api/create_calendar_feed", Rule::SignedIn),
    ("POST /api/revoke_calendar_feed", Rule::SignedIn),
    (
        "GET /consultations/feed/{token}/kyodo.ics",
        Rule::CalendarFeed,
    ),
    ("POST /api/get_advisor_schedule", Rule::ReadSchedule),
    ("POST /api/start_engagement", Rule::ManageEngagement),
    ("POST /api/get_engagement", Rule::ReadEngagement),
    ("POST /api/change_engagement", Rule::ManageEngagement),
    ("POST /api/post_engagement_comment", Rule::ReadEngagement),
    (
        "POST /api/get_consultation_overview",
        Rule::ConsultationOverview,
    ),
    (
        "GET /consultations/overview.csv",
        Rule::ConsultationOverview,
    ),
    ("POST /api/search", Rule::SignedIn),
    ("POST /api/list_workspaces", Rule::SignedIn),
    ("POST /api/get_workspace", Rule::ReadWorkspace),
    ("POST /api/get_topic", Rule::ReadWorkspace),
    ("POST /api/get_meeting", Rule::ReadWorkspace),
    ("POST /api/get_meeting_summary", Rule::Public),
    ("GET /council/meetings/{id}/summary.md", Rule::Public),
    (
        "GET /council/meetings/{id}/meeting.ics",
        Rule::ReadWorkspace,
    ),
    (
        "POST /council/meetings/{id}/documents",
        Rule::ManageWorkspace,
    ),
    (
        "GET /council/meetings/{id}/documents/{file}",
        Rule::ReadWorkspace,
    ),
    ("POST /council/items/{id}/documents", Rule::ManageWorkspace),
    (
        "GET /council/items/{id}/documents/{file}",
        Rule::ReadWorkspace,
    ),
    ("POST /council/topics/{id}/files", Rule::TakePart),
    ("GET /council/topics/{id}/files/{file}", Rule::ReadWorkspace),
    ("POST /api/get_proposal", Rule::ReadWorkspace),
    ("POST /api/get_training", Rule::ReadWorkspace),
    ("POST /api/create_workspace", Rule::CreateWorkspace),
    ("POST /api/add_member", Rule::ManageWorkspace),
    ("POST /api/remove_member", Rule::ManageWorkspace),
    ("POST /api/request_join", Rule::JoinWorkspace),
    ("POST /api/answer_join", Rule::ManageWorkspace),
    ("POST /api/leave_workspace", Rule::JoinWorkspace),
    ("POST /api/close_workspace", Rule::ManageWorkspace),
    ("POST /api/create_topic", Rule::TakePart),
    ("POST /api/post_topic_reply", Rule::TakePart),
    ("POST /api/edit_council_post", Rule::TakePart),
    ("POST /api/pin_topic", Rule::ManageWorkspace),
    ("POST /api/create_meeting", Rule::ManageWorkspace),
    ("POST /api/add_agenda_item", Rule::ManageWorkspace),
    ("POST /api/save_minutes", Rule::ManageWorkspace),
    ("POST /api/set_attendance", Rule::TakePart),
    ("POST /api/compile_summary", Rule::ManageWorkspace),
    ("POST /api/save_summary", Rule::ManageWorkspace),
    ("POST /api/withdraw_summary", Rule::ManageWorkspace),
    ("POST /api/create_proposal", Rule::TakePart),
    ("POST /api/cast_vote", Rule::TakePart),
    ("POST /api/close_proposal", Rule::ManageWorkspace),
    ("POST /api/create_training", Rule::ManageWorkspace),
    ("POST /api/register_training", Rule::RegisterTraining),
    ("POST /api/cancel_registration", Rule::RegisterTraining),
    ("POST /api/get_advisor_profile", Rule::EditAdvisor),
    ("POST /api/save_advisor_profile", Rule::EditAdvisor),
];

/// The signed-in user, or [`AppError::Unauthenticated`].
pub fn require_user(user: Option<CurrentUser>) -> Result<CurrentUser, AppError> {
    user.ok_or(AppError::Unauthenticated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::model::Role;
    use crate::orgs::model::LgCode;
    use crate::orgs::model::{OrgKind, Organisation};

    fn org(code: Option<&str>, kind: OrgKind) -> Organisation {
        Organisation {
            key: code.unwrap_or("govtech_tokyo").into(),
            lg_code: code.map(|c| LgCode::parse(c).unwrap()),
            name_ja: "x".into(),
            name_kana: "x".into(),
            name_en: "x".into(),
            kind,
            district_ja: None,
        }
    }

    fn user(role: Role, organisation: Organisation) -> CurrentUser {
        CurrentUser {
            id: format!("u_{}", role.code()).into(),
            name_ja: "x".into(),
            name_en: "x".into(),
            roles: vec![role],
            organisation,
        }
    }

    /// Walks [`SERVER_FUNCTIONS`] for every role, own and other organisation, signed in or not.
    #[test]
    fn every_endpoint_for_every_role_and_organisation() {
        let own = LgCode::parse("131164").unwrap();
        let other = LgCode::parse("131016").unwrap();
        let cases = [
            (Role::Staff, org(Some("131164"), OrgKind::SpecialWard)),
            (Role::Cio, org(Some("131164"), OrgKind::SpecialWard)),
            (Role::GovtechAdvisor, org(None, OrgKind::Govtech)),
            (Role::TokyoOfficer, org(Some("130001"), OrgKind::Prefecture)),
            (Role::Admin, org(Some("130001"), OrgKind::Prefecture)),
        ];
        for (name, rule) in SERVER_FUNCTIONS {
            assert!(
                require_user(None).is_err() || *rule == Rule::Public,
                "{name}"
            );
            for (role, organisation) in &cases {
                let u = user(*role, organisation.clone());
                let municipal_member = matches!(role, Role::Staff | Role::Cio);
                let central = matches!(role, Role::TokyoOfficer | Role::Admin);
                match rule {
                    Rule::Public | Rule::SignedIn => assert!(require_user(Some(u.clone())).is_ok()),
                    Rule::WriteProgress => {
                        assert_eq!(
                            may_import(&u),
                            municipal_member || central,
                            "{name} {role:?}"
                        );
                        assert_eq!(
                            may_write_progress(&u, &own),
                            municipal_member || central,
                            "{name} {role:?} own"
                        );
                        assert_eq!(
                            may_write_progress(&u, &other),
                            central,
                            "{name} {role:?} other"
                        );
                    }
                    Rule::ManageUsers => {
                        let admin = *role == Role::Admin;
                        let cio = *role == Role::Cio;
                        assert_eq!(may_manage_users(&u), admin || cio, "{name} {role:?}");
                        assert_eq!(
                            may_manage_user(&u, "131164", &[Role::Staff], Role::Staff),
                            admin || cio,
                            "{name} {role:?} own staff"
                        );
                        assert_eq!(
                            may_manage_user(&u, "131016", &[Role::Staff], Role::Staff),
                            admin,
                            "{name} {role:?} other org"
                        );
                        assert_eq!(
                            may_manage_user(&u, "131164", &[Role::Staff], Role::Admin),
                            admin,
                            "{name} {role:?} grant admin"
                        );
                        assert_eq!(
                            may_manage_user(&u, "131164", &[Role::Admin], Role::Staff),
                            admin,
                            "{name} {role:?} demote an administrator"
                        );
                    }
                    Rule::CommentProgress => {
                        let advisor = *role == Role::GovtechAdvisor;
                        assert_eq!(
                            may_comment(&u, &own),
                            municipal_member || central || advisor,
                            "{name} {role:?} own"
                        );
                        assert_eq!(
                            may_comment(&u, &other),
                            central || advisor,
                            "{name} {role:?} other"
                        );
                    }
                    Rule::DownloadBackup => {
                        assert_eq!(
                            may_download_backup(&u),
                            *role == Role::Admin,
                            "{name} {role:?}"
                        );
                    }
                    Rule::ManageReference => {
                        assert_eq!(
                            may_manage_reference(&u),
                            *role == Role::Admin,
                            "{name} {role:?}"
                        );
                    }
                    Rule::OwnPost => {
                        let subject = "migration_progress:131164_resident_registry:5";
                        let other_subject = "migration_progress:131016_resident_registry:5";
                        let advisor = *role == Role::GovtechAdvisor;
                        assert_eq!(
                            may_edit_post(&u, subject, &u.id),
                            municipal_member || central || advisor,
                            "{name} {role:?} own post"
                        );
                        assert!(
                            !may_edit_post(&u, subject, &"someone_else".into()),
                            "{name}"
                        );
                        assert_eq!(
                            may_edit_post(&u, other_subject, &u.id),
                            central || advisor,
                            "{name} {role:?} own post, other municipality"
                        );
                        assert!(!may_edit_post(&u, "project:1", &u.id), "{name}");
                        assert!(may_read_thread(&u, subject) && !may_read_thread(&u, "x"));
                    }
                    Rule::Attach => {
                        let own_record = "migration_progress:131164_resident_registry";
                        let other_record = "migration_progress:131016_resident_registry";
                        assert_eq!(
                            may_attach(&u, own_record),
                            municipal_member || central,
                            "{name} {role:?} own"
                        );
                        assert_eq!(may_attach(&u, other_record), central, "{name} {role:?}");
                        assert!(!may_attach(&u, "project:1"), "{name}");
                        assert!(!may_attach(&u, "migration_progress:131164_x:5"), "{name}");
                        for crafted in [
                            "migration_progress:131164",
                            "migration_progress:131164_",
                            "migration_progress:131164 <script>",
                            "migration_progress:131164_住民",
                            "migration_progress:1311640_resident_registry",
                        ] {
                            assert!(!may_attach(&u, crafted), "{name} {crafted}");
                        }
                    }
                    Rule::ReadAttachment => {
                        let record = "migration_progress:131016_resident_registry";
                        assert!(may_read_attachment(&u, record), "{name} {role:?}");
                        assert!(!may_read_attachment(&u, "project:1"), "{name}");
                    }
                    Rule::ReadProject
                    | Rule::CreateProject
                    | Rule::JoinProject
                    | Rule::ManageProject
                    | Rule::MarkAnswered => project_rules(*rule, &u, name),
                    Rule::BookConsultation
                    | Rule::ReadBooking
                    | Rule::CancelBooking
                    | Rule::GiveBooking
                    | Rule::RateBooking
                    | Rule::EditAdvisor
                    | Rule::CalendarFeed
                    | Rule::ReadSchedule
                    | Rule::ReadEngagement
                    | Rule::ManageEngagement
                    | Rule::ConsultationOverview => booking_rules(*rule, &u, name),
                    Rule::ReadWorkspace
                    | Rule::TakePart
                    | Rule::ManageWorkspace
                    | Rule::JoinWorkspace
                    | Rule::CreateWorkspace
                    | Rule::RegisterTraining => council_rules(*rule, &u, name),
                    Rule::OwnImportRun => {
                        assert!(may_view_import_run(&u, &u.id));
                        assert_eq!(
                            may_view_import_run(&u, &"someone_else".into()),
                            central,
                            "{name} {role:?}"
                        );
                    }
                }
            }
        }
    }

    /// The booking rules for one user: a booking of the user's own (requester and advisor are
    /// the user), one of the user's municipality by a colleague, and one of another
    /// municipality given by another advisor.
    fn booking_rules(rule: Rule, u: &CurrentUser, name: &str) {
        let role = u.roles[0];
        let municipal_member = matches!(role, Role::Staff | Role::Cio);
        let central = matches!(role, Role::TokyoOfficer | Role::Admin);
        let me = u.id.as_str();
        let own = BookingAccess {
            requester: me,
            organisation: &u.organisation.key,
            advisor: me,
        };
        let colleague = BookingAccess {
            requester: "colleague",
            organisation: &u.organisation.key,
            advisor: "advisor",
        };
        let other = BookingAccess {
            requester: "x",
            organisation: "131016",
            advisor: "advisor",
        };
        match rule {
            Rule::BookConsultation => {
                assert_eq!(
                    may_book_consultation(u),
                    municipal_member,
                    "{name} {role:?}"
                )
            }
            Rule::ReadBooking => {
                assert!(may_read_booking(u, &own), "{name} {role:?}");
                assert_eq!(
                    may_read_booking(u, &colleague),
                    central || role == Role::Cio,
                    "{name} {role:?} colleague"
                );
                assert_eq!(
                    may_read_booking(u, &other),
                    central,
                    "{name} {role:?} other"
                );
            }
            Rule::CancelBooking => {
                assert!(may_cancel_booking(u, &own), "{name} {role:?}");
                assert_eq!(
                    may_cancel_booking(u, &colleague),
                    central,
                    "{name} {role:?}"
                );
                assert_eq!(may_cancel_booking(u, &other), central, "{name} {role:?}");
            }
            Rule::GiveBooking => {
                let advisor = role == Role::GovtechAdvisor;
                assert_eq!(
                    may_give_booking(u, &own),
                    central || advisor,
                    "{name} {role:?}"
                );
                assert_eq!(may_give_booking(u, &other), central, "{name} {role:?}");
            }
            Rule::RateBooking => {
                assert!(may_rate_booking(u, &own), "{name} {role:?}");
                assert!(!may_rate_booking(u, &colleague), "{name} {role:?}");
                assert!(!may_rate_booking(u, &other), "{name} {role:?}");
            }
            Rule::EditAdvisor => {
                let advisor = role == Role::GovtechAdvisor;
                assert_eq!(may_edit_advisor(u, me), advisor, "{name} {role:?}");
                assert!(!may_edit_advisor(u, "advisor"), "{name} {role:?}");
            }
            Rule::CalendarFeed => {
                assert!(may_read_booking(u, &own), "{name} {role:?}");
                assert_eq!(may_read_all_bookings(u), central, "{name} {role:?}");
            }
            Rule::ReadSchedule => {
                let advisor = role == Role::GovtechAdvisor;
                assert_eq!(
                    may_read_schedule(u, me),
                    advisor || central,
                    "{name} {role:?}"
                );
                assert_eq!(
                    may_read_schedule(u, "advisor"),
                    central,
                    "{name} {role:?} another advisor"
                );
            }
            Rule::ReadEngagement => {
                assert!(may_read_engagement(u, &own), "{name} {role:?}");
                assert_eq!(
                    may_read_engagement(u, &colleague),
                    central || role == Role::Cio,
                    "{name} {role:?} colleague"
                );
                assert_eq!(
                    may_read_engagement(u, &other),
                    central,
                    "{name} {role:?} other"
                );
                assert_eq!(
                    may_book_engagement_session(u, &u.organisation.key),
                    municipal_member,
                    "{name} {role:?}"
                );
                assert!(!may_book_engagement_session(u, "131016"), "{name} {role:?}");
            }
            Rule::ManageEngagement => {
                let advisor = role == Role::GovtechAdvisor;
                assert_eq!(
                    may_manage_engagement(u, &own),
                    central || advisor,
                    "{name} {role:?}"
                );
                assert_eq!(may_manage_engagement(u, &other), central, "{name} {role:?}");
            }
            Rule::ConsultationOverview => {
                let govtech = role == Role::GovtechAdvisor;
                assert_eq!(
                    may_read_consultation_overview(u),
                    govtech || central,
                    "{name} {role:?}"
                );
            }
            _ => unreachable!("{name}"),
        }
    }

    /// The council rules for one user: a council-wide and a private workspace, open and
    /// closed, with the user in each role and as a non-member. Roles in a workspace come from
    /// membership, not from the user's account roles, except creating one.
    fn council_rules(rule: Rule, u: &CurrentUser, name: &str) {
        use crate::council::model::{WorkspaceRole as R, WorkspaceVisibility as V};
        let role = u.roles[0];
        let central = matches!(role, Role::TokyoOfficer | Role::Admin);
        let w = |visibility, closed, role| WorkspaceAccess {
            visibility,
            closed,
            role,
        };
        let roles = [
            None,
            Some(R::Observer),
            Some(R::Member),
            Some(R::Secretariat),
            Some(R::Chair),
        ];
        for visibility in [V::Council, V::Private] {
            for closed in [false, true] {
                for r in roles {
                    let a = w(visibility, closed, r);
                    let member = r.is_some();
                    let manager = r.is_some_and(R::manages);
                    let reads = if closed {
                        manager
                    } else {
                        visibility == V::Council || member
                    };
                    let label = format!("{name} {role:?} {visibility:?} closed={closed} {r:?}");
                    match rule {
                        Rule::ReadWorkspace => {
                            assert_eq!(may_read_workspace(u, &a), reads, "{label}");
                            assert_eq!(may_see_closed_items(u, &a), reads && member, "{label}");
                        }
                        Rule::TakePart => assert_eq!(
                            may_take_part(u, &a),
                            !closed && member && r != Some(R::Observer),
                            "{label}"
                        ),
                        Rule::ManageWorkspace => {
                            assert_eq!(may_manage_workspace(u, &a), !closed && manager, "{label}")
                        }
                        Rule::JoinWorkspace => assert_eq!(
                            may_request_join(u, &a),
                            !closed && !member && visibility == V::Council,
                            "{label}"
                        ),
                        Rule::RegisterTraining => {
                            assert_eq!(may_register_training(u, &a), !closed && reads, "{label}")
                        }
                        Rule::CreateWorkspace => {
                            assert_eq!(may_create_workspace(u), central, "{label}")
                        }
                        _ => unreachable!("{name}"),
                    }
                }
            }
        }
    }

    /// The project rules for one user: projects led by the user's own municipality
    /// (131164), another municipality (131016) and GovTech Tokyo, visible to the council or
    /// to invited organisations, in draft and open.
    fn project_rules(rule: Rule, u: &CurrentUser, name: &str) {
        use crate::projects::model::{ProjectKind, ProjectStatus as S, Visibility as V};
        let role = u.roles[0];
        let municipal_member = matches!(role, Role::Staff | Role::Cio);
        let central = matches!(role, Role::TokyoOfficer | Role::Admin);
        let advisor = role == Role::GovtechAdvisor;
        let access = |lead, kind, visibility, invited: &'static [String], status| ProjectAccess {
            lead,
            lead_kind: kind,
            visibility,
            invited,
            status,
        };
        static OWN_INVITED: std::sync::LazyLock<Vec<String>> =
            std::sync::LazyLock::new(|| vec!["131164".to_owned()]);
        let own_invited: &'static [String] = &OWN_INVITED;
        let other_open = access("131016", OrgKind::SpecialWard, V::Council, &[], S::Open);
        let other_draft = access("131016", OrgKind::SpecialWard, V::Council, &[], S::Draft);
        let other_private = access("131016", OrgKind::SpecialWard, V::Invited, &[], S::Open);
        let invites_own = access(
            "131016",
            OrgKind::SpecialWard,
            V::Invited,
            own_invited,
            S::Open,
        );
        let own_draft = access("131164", OrgKind::SpecialWard, V::Invited, &[], S::Draft);
        let govtech = access("govtech_tokyo", OrgKind::Govtech, V::Council, &[], S::Open);
        match rule {
            Rule::ReadProject => {
                assert!(may_read_project(u, &other_open), "{name} {role:?}");
                let own_org = u.organisation.key == "131164";
                assert_eq!(
                    may_read_project(u, &invites_own),
                    central || own_org,
                    "{name} {role:?} invited"
                );
                assert_eq!(
                    may_read_project(u, &other_draft),
                    central,
                    "{name} {role:?} draft"
                );
                assert_eq!(
                    may_read_project(u, &other_private),
                    central,
                    "{name} {role:?} private"
                );
                assert_eq!(
                    may_read_project(u, &own_draft),
                    central || own_org,
                    "{name} {role:?}"
                );
            }
            Rule::CreateProject => {
                let any = may_create_project(
                    u,
                    ProjectKind::JointProcurement,
                    "govtech_tokyo",
                    OrgKind::Govtech,
                );
                assert_eq!(any, central || advisor, "{name} {role:?}");
                let own_proposal = may_create_project(
                    u,
                    ProjectKind::MunicipalProposal,
                    "131164",
                    OrgKind::SpecialWard,
                );
                assert_eq!(
                    own_proposal,
                    central || role == Role::Cio,
                    "{name} {role:?}"
                );
                let other_proposal = may_create_project(
                    u,
                    ProjectKind::MunicipalProposal,
                    "131016",
                    OrgKind::SpecialWard,
                );
                assert_eq!(other_proposal, central, "{name} {role:?}");
                assert_eq!(
                    may_create_any_project(u),
                    central || advisor || role == Role::Cio,
                    "{name}"
                );
            }
            Rule::JoinProject => {
                assert_eq!(
                    may_join_project(u, &other_open),
                    municipal_member,
                    "{name} {role:?}"
                );
                assert!(
                    !may_join_project(u, &other_private),
                    "{name} {role:?} private"
                );
                assert_eq!(
                    may_join_project(u, &invites_own),
                    municipal_member,
                    "{name} {role:?}"
                );
            }
            Rule::ManageProject => {
                assert_eq!(
                    may_manage_project(u, &other_open),
                    central,
                    "{name} {role:?}"
                );
                assert_eq!(
                    may_manage_project(u, &govtech),
                    central || advisor,
                    "{name} {role:?}"
                );
                assert_eq!(
                    may_manage_project(u, &own_draft),
                    central || role == Role::Cio,
                    "{name} {role:?} own municipality's project"
                );
            }
            Rule::MarkAnswered => {
                let own_question = u.id.clone();
                let someone_else = crate::ids::UserId::from("someone_else");
                assert!(
                    may_mark_answered(u, &other_open, &own_question),
                    "{name} own"
                );
                assert_eq!(
                    may_mark_answered(u, &other_open, &someone_else),
                    central,
                    "{name} {role:?} another's question"
                );
                assert_eq!(
                    may_mark_answered(u, &govtech, &someone_else),
                    central || advisor,
                    "{name} {role:?} GovTech's project"
                );
                assert_eq!(
                    may_mark_answered(u, &other_private, &own_question),
                    central,
                    "{name} {role:?} a project they may not see"
                );
            }
            _ => unreachable!("not a project rule"),
        }
        assert_eq!(project_subject("ab12"), "project:ab12");
        assert_eq!(project_of_subject("project:ab12"), Some("ab12"));
        assert_eq!(project_of_subject("project:a b"), None);
    }

    #[test]
    fn staff_of_a_non_municipal_org_cannot_write_progress() {
        let u = user(Role::Staff, org(Some("130001"), OrgKind::Prefecture));
        assert!(!may_import(&u));
        assert!(!may_write_progress(&u, &LgCode::parse("130001").unwrap()));
    }
}
