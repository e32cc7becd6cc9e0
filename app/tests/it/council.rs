//! Council workspaces through the HTTP surface: who reads and writes a private or council-wide
//! group (in person, through their organisation, after asking to join, after leaving or being
//! removed), the 議事要旨 that never carries a closed item, votes counted once (per person or
//! per organisation, by a deputy, anonymous, hidden until closing, fifty at once), fifty replies
//! at once, training seats with a waiting list, mentions, sanitized posts, and who may manage.
//!
//! Every test builds its own app without demo data and its own workspaces (created by a Tokyo
//! officer, who becomes their secretariat); keys come from the redirects' `Location`.
//!
//! Readings chosen where `API.md` leaves room (noted again at the tests concerned):
//! - a caller who may not see a thing gets 404 and one who sees it but may not do it 403, so
//!   a private group's outsider is checked with [`hidden`] (404, or 403), a council-wide
//!   group's non-member with exactly 403;
//! - a notice of the room has a subject starting `council:<workspace>` (schema comment);
//! - `count_unread` is the endpoint `/api/count_unread_notifications`;
//! - a refused vote after closing, a vote for a colleague of another organisation and a
//!   registration after the deadline are only required to be a client error (4xx).

use crate::common::{Reply, TestApp, TestUser, form};
use app::auth::model::Role;
use app::council::model::{
    AttendanceStatus, CONSENT_OPTIONS, Outcome, ProposalKind, RegistrationStatus, VotePer,
    WorkspaceRole, WorkspaceVisibility,
};
use app::council::views::{
    MeetingView, ProposalView, SummaryView, TopicView, TrainingView, WorkspaceView, WorkspacesView,
};
use app::notifications::model::InboxItem;
use http::StatusCode;

const TOKYO: &str = "130001";
const TOSHIMA: &str = "131164";
const CHIYODA: &str = "131016";
const HACHIOJI: &str = "132012";
const MIZUHO: &str = "133035";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn ok(status: StatusCode) -> bool {
    status.is_success() || status.is_redirection()
}

/// Refused as something the caller may not see (404; 403 accepted too).
fn hidden(status: StatusCode) -> bool {
    status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN
}

/// A `datetime-local` value (Japan time) `minutes` from now.
fn jst_in(minutes: i64) -> String {
    let jst = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    (chrono::Utc::now() + chrono::Duration::minutes(minutes))
        .with_timezone(&jst)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// How a `datetime-local` value reads back through `Timestamp::jst`.
fn as_jst(local: &str) -> String {
    format!("{} JST", local.replace('T', " "))
}

/// An app on its own in-memory database, without demo data.
async fn new_app() -> TestApp {
    TestApp::with("mem://", false).await
}

/// POSTs `fields` to `/api/<endpoint>` as `who` (or signed out).
async fn call(
    app: &TestApp,
    who: Option<&TestUser>,
    endpoint: &str,
    fields: &[(&str, &str)],
) -> Reply {
    app.post(
        &format!("/api/{endpoint}"),
        &form(fields),
        who.map(|u| u.cookie.as_str()),
    )
    .await
}

/// [`call`] that must succeed (2xx or a redirect).
async fn done(app: &TestApp, who: &TestUser, endpoint: &str, fields: &[(&str, &str)]) -> Reply {
    let reply = call(app, Some(who), endpoint, fields).await;
    assert!(
        ok(reply.status),
        "{endpoint} {fields:?}: {} {}",
        reply.status,
        reply.body
    );
    reply
}

/// The key that follows `prefix` in the reply's `Location` (up to `?`, `#` or `/`).
fn key_after(reply: &Reply, prefix: &str) -> String {
    let location = reply
        .location
        .as_deref()
        .unwrap_or_else(|| panic!("no redirect: {} {}", reply.status, reply.body));
    let at = location
        .find(prefix)
        .unwrap_or_else(|| panic!("{location} is not under {prefix}"));
    location[at + prefix.len()..]
        .split(['?', '#', '/'])
        .next()
        .unwrap()
        .to_owned()
}

/// The reply's `Location` (asserting there is one).
fn location(reply: &Reply) -> &str {
    reply
        .location
        .as_deref()
        .unwrap_or_else(|| panic!("no redirect: {} {}", reply.status, reply.body))
}

/// The status of reading `id` through `/api/<endpoint>`.
async fn read_status(
    app: &TestApp,
    who: Option<&TestUser>,
    endpoint: &str,
    id: &str,
) -> StatusCode {
    call(app, who, endpoint, &[("id", id)]).await.status
}

/// Reads `id` through `/api/<endpoint>`, which must answer 200.
async fn read<T: serde::de::DeserializeOwned>(
    app: &TestApp,
    who: &TestUser,
    endpoint: &str,
    id: &str,
) -> T {
    let reply = call(app, Some(who), endpoint, &[("id", id)]).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{endpoint} {id}: {}",
        reply.body
    );
    reply.decode()
}

async fn listed(app: &TestApp, who: &TestUser) -> WorkspacesView {
    let reply = call(app, Some(who), "list_workspaces", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.decode()
}

async fn lists(app: &TestApp, who: &TestUser, ws: &str) -> bool {
    listed(app, who)
        .await
        .workspaces
        .iter()
        .any(|w| w.key == ws)
}

async fn ws_view(app: &TestApp, who: &TestUser, ws: &str) -> WorkspaceView {
    read(app, who, "get_workspace", ws).await
}

async fn topic_view(app: &TestApp, who: &TestUser, id: &str) -> TopicView {
    read(app, who, "get_topic", id).await
}

async fn meeting_view(app: &TestApp, who: &TestUser, id: &str) -> MeetingView {
    read(app, who, "get_meeting", id).await
}

async fn proposal_view(app: &TestApp, who: &TestUser, id: &str) -> ProposalView {
    read(app, who, "get_proposal", id).await
}

async fn training_view(app: &TestApp, who: &TestUser, id: &str) -> TrainingView {
    read(app, who, "get_training", id).await
}

/// A user with unique names (Japanese and English both `name`), for mentions and ballots.
async fn named(app: &TestApp, role: Role, org: &str, name: &str) -> TestUser {
    let user = app.user(role, org).await;
    app.state
        .db
        .query("UPDATE type::record('app_user', $id) SET name_ja = $name, name_en = $name")
        .bind(("id", user.id.clone()))
        .bind(("name", name.to_owned()))
        .await
        .unwrap()
        .check()
        .unwrap();
    user
}

/// `n` staff users spread over the municipalities.
async fn people(app: &TestApp, n: usize) -> Vec<TestUser> {
    let orgs: Vec<String> = app
        .state
        .catalog
        .municipalities()
        .map(|o| o.key.clone())
        .collect();
    let mut users = Vec::with_capacity(n);
    for i in 0..n {
        users.push(app.user(Role::Staff, &orgs[i % orgs.len()]).await);
    }
    users
}

fn person(user: &TestUser) -> String {
    format!("user:{}", user.id)
}

/// Creates a workspace (`council` or `private`) as `officer`; returns its key.
async fn new_workspace(app: &TestApp, officer: &TestUser, visibility: &str) -> String {
    let reply = done(
        app,
        officer,
        "create_workspace",
        &[
            ("name_ja", "標準化・ガバメントクラウド部会"),
            ("name_en", "Standardization WG"),
            ("description", "**部会**の説明"),
            ("visibility", visibility),
        ],
    )
    .await;
    assert!(
        location(&reply).contains("created=1"),
        "{:?}",
        reply.location
    );
    key_after(&reply, "/council/")
}

/// Adds `member` (`user:<key>` or `organisation:<key>`) with `role`.
async fn add(app: &TestApp, manager: &TestUser, ws: &str, member: &str, role: &str) {
    let reply = done(
        app,
        manager,
        "add_member",
        &[("workspace", ws), ("member", member), ("role", role)],
    )
    .await;
    assert!(
        location(&reply).contains("members=1"),
        "{:?}",
        reply.location
    );
}

async fn remove(app: &TestApp, manager: &TestUser, ws: &str, member: &str) {
    done(
        app,
        manager,
        "remove_member",
        &[("workspace", ws), ("member", member)],
    )
    .await;
}

/// A new staff user of `org`, added in person with `role`.
async fn join_as(app: &TestApp, manager: &TestUser, ws: &str, role: &str, org: &str) -> TestUser {
    let user = app.user(Role::Staff, org).await;
    add(app, manager, ws, &person(&user), role).await;
    user
}

/// `n` new staff users (over the municipalities), each added in person as a member.
async fn crowd(app: &TestApp, manager: &TestUser, ws: &str, n: usize) -> Vec<TestUser> {
    let users = people(app, n).await;
    for user in &users {
        add(app, manager, ws, &person(user), "member").await;
    }
    users
}

/// Creates a topic as `who`; returns its key.
async fn new_topic(app: &TestApp, who: &TestUser, ws: &str, title: &str, body: &str) -> String {
    let reply = done(
        app,
        who,
        "create_topic",
        &[("workspace", ws), ("title", title), ("body", body)],
    )
    .await;
    key_after(&reply, "/council/topics/")
}

async fn post_reply(app: &TestApp, who: &TestUser, topic: &str, body: &str) -> Reply {
    call(
        app,
        Some(who),
        "post_topic_reply",
        &[("id", topic), ("body", body), ("reply_to", "")],
    )
    .await
}

/// Creates a meeting a week ahead as `manager`; returns its key.
async fn new_meeting(app: &TestApp, manager: &TestUser, ws: &str) -> String {
    let (starts, ends) = (jst_in(7 * 24 * 60), jst_in(7 * 24 * 60 + 120));
    let reply = done(
        app,
        manager,
        "create_meeting",
        &[
            ("workspace", ws),
            ("title", "第1回部会"),
            ("starts_at", starts.as_str()),
            ("ends_at", ends.as_str()),
            ("place", "都庁第一本庁舎"),
            ("online_url", ""),
        ],
    )
    .await;
    key_after(&reply, "/council/meetings/")
}

/// Creates a proposal as `who`: a consent proposal closing in 10 minutes, one vote per
/// person, no quorum, open ballots, with `extra` fields replacing those; returns its key.
async fn new_proposal(app: &TestApp, who: &TestUser, ws: &str, extra: &[(&str, &str)]) -> String {
    let closes = jst_in(10);
    let mut fields: Vec<(&str, &str)> = vec![
        ("workspace", ws),
        ("title", "共同調達の進め方について"),
        ("body", "**賛否**をお願いします"),
        ("kind", "consent"),
        ("options", ""),
        ("closes_at", closes.as_str()),
        ("quorum", ""),
        ("anonymous", ""),
        ("hide_results", ""),
        ("vote_per", "person"),
    ];
    for (k, v) in extra {
        fields.retain(|(f, _)| f != k);
        fields.push((*k, *v));
    }
    let reply = done(app, who, "create_proposal", &fields).await;
    key_after(&reply, "/council/proposals/")
}

async fn vote(
    app: &TestApp,
    who: &TestUser,
    proposal: &str,
    option: &str,
    deputy_for: &str,
) -> Reply {
    call(
        app,
        Some(who),
        "cast_vote",
        &[
            ("proposal", proposal),
            ("option", option),
            ("deputy_for", deputy_for),
        ],
    )
    .await
}

async fn create_training(
    app: &TestApp,
    manager: &TestUser,
    ws: &str,
    starts_at: &str,
    deadline: &str,
    capacity: &str,
) -> Reply {
    call(
        app,
        Some(manager),
        "create_training",
        &[
            ("workspace", ws),
            ("title", "標準化研修会"),
            ("body", "移行の進め方を学びます"),
            ("starts_at", starts_at),
            ("deadline", deadline),
            ("capacity", capacity),
        ],
    )
    .await
}

async fn register(app: &TestApp, who: &TestUser, training: &str) -> Reply {
    call(
        app,
        Some(who),
        "register_training",
        &[("training", training)],
    )
    .await
}

async fn inbox(app: &TestApp, who: &TestUser) -> Vec<InboxItem> {
    let reply = call(app, Some(who), "list_notifications", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.decode()
}

async fn unread(app: &TestApp, who: &TestUser) -> u32 {
    let reply = call(app, Some(who), "count_unread_notifications", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.decode()
}

/// The notices of `items` that the workspace `ws` wrote.
fn about<'a>(items: &'a [InboxItem], ws: &str) -> Vec<&'a InboxItem> {
    let prefix = format!("council:{ws}");
    items
        .iter()
        .filter(|n| n.subject.starts_with(&prefix))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. Private working groups
// ---------------------------------------------------------------------------------------------

// A private group's outsider gets 404 (the brief allows 403 too: `hidden`).
#[tokio::test]
async fn a_private_group_shows_nothing_to_a_non_member_and_refuses_their_writes() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "private").await;
    let member = join_as(&app, &officer, &ws, "member", HACHIOJI).await;
    let outsider = app.user(Role::Cio, CHIYODA).await;
    let topic = new_topic(&app, &member, &ws, "非公開グループの話題", "検討を始めます").await;
    let meeting = new_meeting(&app, &officer, &ws).await;
    let proposal = new_proposal(&app, &officer, &ws, &[]).await;
    let reply = create_training(
        &app,
        &officer,
        &ws,
        &jst_in(14 * 24 * 60),
        &jst_in(7 * 24 * 60),
        "10",
    )
    .await;
    assert!(ok(reply.status), "{}", reply.body);
    let training = key_after(&reply, "/council/trainings/");

    for (endpoint, id) in [
        ("get_workspace", &ws),
        ("get_topic", &topic),
        ("get_meeting", &meeting),
        ("get_proposal", &proposal),
        ("get_training", &training),
    ] {
        assert_eq!(
            read_status(&app, Some(&member), endpoint, id).await,
            StatusCode::OK,
            "{endpoint}"
        );
        let status = read_status(&app, Some(&outsider), endpoint, id).await;
        assert!(hidden(status), "{endpoint}: {status}");
        assert_eq!(
            read_status(&app, None, endpoint, id).await,
            StatusCode::UNAUTHORIZED,
            "{endpoint} signed out"
        );
    }
    let ics = app
        .get(
            &format!("/council/meetings/{meeting}/meeting.ics"),
            Some(&outsider.cookie),
        )
        .await;
    assert!(hidden(ics.status), "{}", ics.status);
    assert!(!ics.body.contains("BEGIN:VEVENT"));

    let writes: [(&str, Vec<(&str, &str)>); 6] = [
        (
            "create_topic",
            vec![
                ("workspace", ws.as_str()),
                ("title", "侵入"),
                ("body", "書き込み"),
            ],
        ),
        (
            "post_topic_reply",
            vec![
                ("id", topic.as_str()),
                ("body", "書き込み"),
                ("reply_to", ""),
            ],
        ),
        (
            "cast_vote",
            vec![
                ("proposal", proposal.as_str()),
                ("option", "0"),
                ("deputy_for", ""),
            ],
        ),
        ("register_training", vec![("training", training.as_str())]),
        (
            "set_attendance",
            vec![
                ("meeting", meeting.as_str()),
                ("status", "attending"),
                ("deputy", ""),
            ],
        ),
        ("request_join", vec![("workspace", ws.as_str())]),
    ];
    for (endpoint, fields) in &writes {
        let reply = call(&app, Some(&outsider), endpoint, fields).await;
        assert!(
            hidden(reply.status),
            "{endpoint}: {} {}",
            reply.status,
            reply.body
        );
    }
    // Nothing was written.
    assert_eq!(topic_view(&app, &member, &topic).await.posts.len(), 1);
    assert_eq!(proposal_view(&app, &officer, &proposal).await.votes, 0);
    let seats = training_view(&app, &officer, &training).await;
    assert_eq!((seats.registered, seats.waiting), (0, 0));
    assert_eq!(ws_view(&app, &officer, &ws).await.topics.len(), 1);

    // The list: the member sees it with their role, the outsider not at all.
    assert!(!lists(&app, &outsider, &ws).await);
    let mine = listed(&app, &member).await;
    let card = mine
        .workspaces
        .iter()
        .find(|w| w.key == ws)
        .expect("listed for its member");
    assert_eq!(card.role, Some(WorkspaceRole::Member));
    assert_eq!(card.visibility, WorkspaceVisibility::Private);
    assert!(!card.may_request);
}

#[tokio::test]
async fn removing_a_member_takes_away_access_and_the_groups_notices_at_once() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "private").await;
    let member = named(&app, Role::Staff, HACHIOJI, "通知花子").await;
    add(&app, &officer, &ws, &person(&member), "member").await;
    let topic = new_topic(&app, &member, &ws, "移行計画の相談", "ご意見をください").await;
    let reply = post_reply(
        &app,
        &officer,
        &topic,
        "@通知花子 さん、資料を確認してください",
    )
    .await;
    assert!(ok(reply.status), "{}", reply.body);

    let notices = inbox(&app, &member).await;
    assert!(!about(&notices, &ws).is_empty(), "{notices:?}");
    assert!(unread(&app, &member).await >= 1);

    remove(&app, &officer, &ws, &person(&member)).await;
    let notices = inbox(&app, &member).await;
    assert!(about(&notices, &ws).is_empty(), "{notices:?}");
    assert_eq!(unread(&app, &member).await, 0);
    for (endpoint, id) in [("get_workspace", &ws), ("get_topic", &topic)] {
        let status = read_status(&app, Some(&member), endpoint, id).await;
        assert!(hidden(status), "{endpoint}: {status}");
    }
    assert!(!lists(&app, &member, &ws).await);
    let reply = post_reply(&app, &member, &topic, "まだ書けますか").await;
    assert!(hidden(reply.status), "{}", reply.status);
    let view = ws_view(&app, &officer, &ws).await;
    assert!(
        !view.members.iter().any(|m| m.key == member.id),
        "{:?}",
        view.members
    );
}

// Membership through an organisation covers every active user of it, present and future; only
// a member in person may leave (`may_leave`), so a user covered through the organisation is
// refused (any 4xx).
#[tokio::test]
async fn an_organisation_covers_its_users_until_removed_and_a_member_who_leaves_loses_access() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "private").await;
    let early = app.user(Role::Staff, TOSHIMA).await;
    add(
        &app,
        &officer,
        &ws,
        &format!("organisation:{TOSHIMA}"),
        "member",
    )
    .await;
    let late = app.user(Role::Cio, TOSHIMA).await;
    let elsewhere = app.user(Role::Staff, CHIYODA).await;

    for user in [&early, &late] {
        let view = ws_view(&app, user, &ws).await;
        assert_eq!(view.card.role, Some(WorkspaceRole::Member));
        assert!(view.may_post && !view.may_leave && !view.may_manage);
        assert!(lists(&app, user, &ws).await);
    }
    assert!(hidden(
        read_status(&app, Some(&elsewhere), "get_workspace", &ws).await
    ));
    // The officer in person and Toshima's two users.
    assert_eq!(ws_view(&app, &officer, &ws).await.card.members, 3);
    let topic = new_topic(&app, &late, &ws, "区の事例", "共有します").await;
    let reply = post_reply(&app, &early, &topic, "参考になります").await;
    assert!(ok(reply.status), "{}", reply.body);
    // Not a member in person: may not leave, and keeps access.
    let reply = call(
        &app,
        Some(&early),
        "leave_workspace",
        &[("workspace", ws.as_str())],
    )
    .await;
    assert!(
        reply.status.is_client_error(),
        "{} {}",
        reply.status,
        reply.body
    );
    assert!(ok(
        read_status(&app, Some(&early), "get_workspace", &ws).await
    ));

    remove(&app, &officer, &ws, &format!("organisation:{TOSHIMA}")).await;
    for user in [&early, &late] {
        for (endpoint, id) in [("get_workspace", &ws), ("get_topic", &topic)] {
            let status = read_status(&app, Some(user), endpoint, id).await;
            assert!(hidden(status), "{endpoint}: {status}");
        }
        assert!(!lists(&app, user, &ws).await);
        assert!(hidden(
            post_reply(&app, user, &topic, "まだ書けますか")
                .await
                .status
        ));
    }

    // A member in person leaves.
    let leaver = join_as(&app, &officer, &ws, "member", MIZUHO).await;
    assert!(ws_view(&app, &leaver, &ws).await.may_leave);
    let reply = done(
        &app,
        &leaver,
        "leave_workspace",
        &[("workspace", ws.as_str())],
    )
    .await;
    let to = location(&reply);
    assert!(to.contains("/council") && to.contains("left=1"), "{to}");
    assert!(hidden(
        read_status(&app, Some(&leaver), "get_workspace", &ws).await
    ));
    assert!(hidden(
        read_status(&app, Some(&leaver), "get_topic", &topic).await
    ));
    assert!(!lists(&app, &leaver, &ws).await);
    let members = ws_view(&app, &officer, &ws).await.members;
    assert!(
        !members
            .iter()
            .any(|m| m.key == leaver.id || m.key == TOSHIMA),
        "{members:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Council-wide groups
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_council_wide_group_is_read_by_all_but_written_by_members_and_joined_on_request() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let member = join_as(&app, &officer, &ws, "member", HACHIOJI).await;
    let observer = join_as(&app, &officer, &ws, "observer", MIZUHO).await;
    let reader = app.user(Role::Cio, TOSHIMA).await;
    let declined = app.user(Role::Staff, CHIYODA).await;
    let topic = new_topic(&app, &member, &ws, "共同調達の進め方", "意見募集です").await;
    let proposal = new_proposal(&app, &member, &ws, &[]).await;

    // Any signed-in user reads it, but a non-member may not post.
    let view = ws_view(&app, &reader, &ws).await;
    assert_eq!(view.card.role, None);
    assert!(view.card.may_request && !view.card.requested && !view.may_post);
    assert!(lists(&app, &reader, &ws).await);
    assert!(!topic_view(&app, &reader, &topic).await.may_post);
    assert!(!proposal_view(&app, &reader, &proposal).await.may_vote);
    let reply = call(
        &app,
        Some(&reader),
        "create_topic",
        &[
            ("workspace", ws.as_str()),
            ("title", "質問"),
            ("body", "参加前の投稿"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert_eq!(
        post_reply(&app, &reader, &topic, "参加前の返信")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        vote(&app, &reader, &proposal, "0", "").await.status,
        StatusCode::FORBIDDEN
    );

    // Asking to join.
    for user in [&reader, &declined] {
        let reply = done(&app, user, "request_join", &[("workspace", ws.as_str())]).await;
        assert!(
            location(&reply).contains("requested=1"),
            "{:?}",
            reply.location
        );
        let card = ws_view(&app, user, &ws).await.card;
        assert!(card.requested && !card.may_request, "{card:?}");
    }
    let pending: Vec<String> = ws_view(&app, &officer, &ws)
        .await
        .join_requests
        .iter()
        .map(|r| r.user.clone())
        .collect();
    assert_eq!(pending.len(), 2, "{pending:?}");
    assert!(pending.contains(&reader.id) && pending.contains(&declined.id));
    // A plain member does not answer.
    let reply = call(
        &app,
        Some(&member),
        "answer_join",
        &[
            ("workspace", ws.as_str()),
            ("user", reader.id.as_str()),
            ("accept", "1"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    let reply = done(
        &app,
        &officer,
        "answer_join",
        &[
            ("workspace", ws.as_str()),
            ("user", declined.id.as_str()),
            ("accept", "0"),
        ],
    )
    .await;
    assert!(
        location(&reply).contains("members=1"),
        "{:?}",
        reply.location
    );
    let card = ws_view(&app, &declined, &ws).await.card;
    assert_eq!(card.role, None);
    assert!(!card.requested);
    assert_eq!(
        post_reply(&app, &declined, &topic, "まだです").await.status,
        StatusCode::FORBIDDEN
    );

    done(
        &app,
        &officer,
        "answer_join",
        &[
            ("workspace", ws.as_str()),
            ("user", reader.id.as_str()),
            ("accept", "1"),
        ],
    )
    .await;
    let view = ws_view(&app, &reader, &ws).await;
    assert_eq!(view.card.role, Some(WorkspaceRole::Member));
    assert!(view.may_post && !view.card.requested && !view.card.may_request);
    let reply = post_reply(&app, &reader, &topic, "参加しました").await;
    assert!(ok(reply.status), "{}", reply.body);
    assert!(ok(vote(&app, &reader, &proposal, "0", "").await.status));
    let manager_view = ws_view(&app, &officer, &ws).await;
    assert!(
        manager_view.join_requests.is_empty(),
        "{:?}",
        manager_view.join_requests
    );
    assert!(
        manager_view
            .members
            .iter()
            .any(|m| m.key == reader.id && m.role == WorkspaceRole::Member)
    );

    // Observers read but neither post nor vote; being members, they may not ask to join.
    let view = ws_view(&app, &observer, &ws).await;
    assert_eq!(view.card.role, Some(WorkspaceRole::Observer));
    assert!(!view.may_post && !view.card.may_request);
    assert_eq!(
        post_reply(&app, &observer, &topic, "見ています")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let reply = call(
        &app,
        Some(&observer),
        "create_topic",
        &[
            ("workspace", ws.as_str()),
            ("title", "観察"),
            ("body", "投稿"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        vote(&app, &observer, &proposal, "0", "").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(!proposal_view(&app, &observer, &proposal).await.may_vote);
    let reply = call(
        &app,
        Some(&observer),
        "request_join",
        &[("workspace", ws.as_str())],
    )
    .await;
    assert!(reply.status.is_client_error(), "{}", reply.status);

    let posts = topic_view(&app, &officer, &topic).await.posts;
    assert_eq!(
        posts.len(),
        2,
        "the opening post and the new member's reply"
    );
    assert_eq!(posts[1].author_id, reader.id);
    assert_eq!(proposal_view(&app, &officer, &proposal).await.votes, 1);
}

#[tokio::test]
async fn a_closed_workspace_is_an_archive_only_its_managers_read() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let member = join_as(&app, &officer, &ws, "member", HACHIOJI).await;
    let reader = app.user(Role::Cio, TOSHIMA).await;
    let topic = new_topic(&app, &member, &ws, "最後の話題", "まとめ").await;

    let reply = call(
        &app,
        Some(&member),
        "close_workspace",
        &[("workspace", ws.as_str())],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = done(
        &app,
        &officer,
        "close_workspace",
        &[("workspace", ws.as_str())],
    )
    .await;
    assert!(
        location(&reply).contains("closed=1"),
        "{:?}",
        reply.location
    );

    let view = ws_view(&app, &officer, &ws).await;
    assert!(view.card.closed && !view.may_post && !view.may_manage);
    let card = listed(&app, &officer)
        .await
        .workspaces
        .into_iter()
        .find(|w| w.key == ws);
    assert!(card.expect("its managers still list it").closed);
    for user in [&member, &reader] {
        assert!(hidden(
            read_status(&app, Some(user), "get_workspace", &ws).await
        ));
        assert!(hidden(
            read_status(&app, Some(user), "get_topic", &topic).await
        ));
        assert!(!lists(&app, user, &ws).await);
    }
    assert!(
        post_reply(&app, &officer, &topic, "追記")
            .await
            .status
            .is_client_error()
    );
    assert!(
        post_reply(&app, &member, &topic, "追記")
            .await
            .status
            .is_client_error()
    );
    let reply = call(
        &app,
        Some(&reader),
        "request_join",
        &[("workspace", ws.as_str())],
    )
    .await;
    assert!(reply.status.is_client_error());
    assert_eq!(topic_view(&app, &officer, &topic).await.posts.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// 3. Meetings and the 議事要旨
// ---------------------------------------------------------------------------------------------

const PUBLIC_TITLE: &str = "公開議題タイトル";
const PUBLIC_BODY: &str = "公開議題の説明テキスト";
const PUBLIC_MINUTES: &str = "公開議事録テキスト";
const CLOSED_TEXTS: [&str; 3] = [
    "非公開議題タイトル",
    "非公開の説明テキスト",
    "非公開議事録テキスト",
];

fn assert_no_closed_text(what: &str, text: &str) {
    for closed in CLOSED_TEXTS {
        assert!(!text.contains(closed), "{what} shows {closed}: {text}");
    }
}

#[tokio::test]
async fn the_published_summary_and_every_outside_view_of_a_meeting_leave_out_the_closed_items() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let member = join_as(&app, &officer, &ws, "member", HACHIOJI).await;
    let colleague = join_as(&app, &officer, &ws, "member", MIZUHO).await;
    let observer = join_as(&app, &officer, &ws, "observer", TOSHIMA).await;
    let reader = app.user(Role::Cio, CHIYODA).await;

    let (starts, ends) = (jst_in(3 * 24 * 60), jst_in(3 * 24 * 60 + 90));
    let meeting_fields = [
        ("workspace", ws.as_str()),
        ("title", "第2回部会"),
        ("starts_at", starts.as_str()),
        ("ends_at", ends.as_str()),
        ("place", "都庁第一本庁舎 会議室A"),
        ("online_url", "https://meet.example.jp/council-2"),
    ];
    let reply = call(&app, Some(&member), "create_meeting", &meeting_fields).await;
    assert_eq!(
        reply.status,
        StatusCode::FORBIDDEN,
        "members do not schedule"
    );
    let reply = done(&app, &officer, "create_meeting", &meeting_fields).await;
    assert!(
        location(&reply).contains("created=1"),
        "{:?}",
        reply.location
    );
    let meeting = key_after(&reply, "/council/meetings/");
    let view = meeting_view(&app, &officer, &meeting).await;
    assert_eq!(view.title, "第2回部会");
    assert_eq!(view.starts_at.jst(), as_jst(&starts));
    assert_eq!(view.ends_at.jst(), as_jst(&ends));
    assert_eq!(view.online_url, "https://meet.example.jp/council-2");
    assert!(view.may_manage && view.summary_html.is_none());

    // The agenda: one public item, one closed.
    for (title, body, public) in [
        (PUBLIC_TITLE, PUBLIC_BODY, "1"),
        (CLOSED_TEXTS[0], CLOSED_TEXTS[1], ""),
    ] {
        let fields = [
            ("meeting", meeting.as_str()),
            ("title", title),
            ("body", body),
            ("public", public),
        ];
        assert_eq!(
            call(&app, Some(&member), "add_agenda_item", &fields)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let reply = done(&app, &officer, "add_agenda_item", &fields).await;
        assert!(
            location(&reply).contains("agenda=1"),
            "{:?}",
            reply.location
        );
    }
    let items = meeting_view(&app, &officer, &meeting).await.items;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!((items[0].position, items[0].public), (1, true));
    assert_eq!((items[1].position, items[1].public), (2, false));
    for (item, minutes) in [(&items[0], PUBLIC_MINUTES), (&items[1], CLOSED_TEXTS[2])] {
        let fields = [("item", item.key.as_str()), ("minutes", minutes)];
        assert_eq!(
            call(&app, Some(&member), "save_minutes", &fields)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let reply = done(&app, &officer, "save_minutes", &fields).await;
        assert!(
            location(&reply).contains("minutes=1"),
            "{:?}",
            reply.location
        );
    }

    // Attendance: members answer, observers do not.
    done(
        &app,
        &member,
        "set_attendance",
        &[
            ("meeting", meeting.as_str()),
            ("status", "attending"),
            ("deputy", ""),
        ],
    )
    .await;
    done(
        &app,
        &colleague,
        "set_attendance",
        &[
            ("meeting", meeting.as_str()),
            ("status", "deputy"),
            ("deputy", "代理 次郎"),
        ],
    )
    .await;
    let reply = call(
        &app,
        Some(&observer),
        "set_attendance",
        &[
            ("meeting", meeting.as_str()),
            ("status", "attending"),
            ("deputy", ""),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let view = meeting_view(&app, &member, &meeting).await;
    assert_eq!(view.my_attendance, Some(AttendanceStatus::Attending));
    assert!(view.may_attend && !view.may_manage);
    assert!(
        view.summary_draft.is_empty(),
        "the draft is for the managers"
    );
    let attendance = meeting_view(&app, &officer, &meeting).await.attendance;
    assert_eq!(attendance.len(), 2, "{attendance:?}");
    let deputy = attendance.iter().find(|a| a.user == colleague.id).unwrap();
    assert_eq!(deputy.status, AttendanceStatus::Deputy);
    assert_eq!(deputy.deputy.as_deref(), Some("代理 次郎"));

    // Nothing is public before publishing.
    let summary_path = format!("/council/meetings/{meeting}/summary");
    assert_eq!(
        read_status(&app, None, "get_meeting_summary", &meeting).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("{summary_path}.md"), None).await.status,
        StatusCode::NOT_FOUND
    );

    // Compile, save a draft (still unpublished), then publish.
    assert_eq!(
        call(
            &app,
            Some(&member),
            "compile_summary",
            &[("meeting", meeting.as_str())]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let reply = done(
        &app,
        &officer,
        "compile_summary",
        &[("meeting", meeting.as_str())],
    )
    .await;
    assert!(
        location(&reply).contains("compiled=1"),
        "{:?}",
        reply.location
    );
    let draft = meeting_view(&app, &officer, &meeting).await.summary_draft;
    for public in [PUBLIC_TITLE, PUBLIC_BODY, PUBLIC_MINUTES] {
        assert!(draft.contains(public), "{public} in {draft}");
    }
    assert_no_closed_text("the compiled draft", &draft);
    let reply = done(
        &app,
        &officer,
        "save_summary",
        &[
            ("meeting", meeting.as_str()),
            ("draft", draft.as_str()),
            ("publish", ""),
        ],
    )
    .await;
    assert!(location(&reply).contains("saved=1"), "{:?}", reply.location);
    assert_eq!(
        read_status(&app, None, "get_meeting_summary", &meeting).await,
        StatusCode::NOT_FOUND
    );
    assert!(
        meeting_view(&app, &officer, &meeting)
            .await
            .summary_html
            .is_none()
    );
    let reply = done(
        &app,
        &officer,
        "save_summary",
        &[
            ("meeting", meeting.as_str()),
            ("draft", draft.as_str()),
            ("publish", "1"),
        ],
    )
    .await;
    assert!(
        location(&reply).contains("published=1"),
        "{:?}",
        reply.location
    );

    // A non-member reader of the council-wide group: public item only, no attendance.
    let reply = call(
        &app,
        Some(&reader),
        "get_meeting",
        &[("id", meeting.as_str())],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_no_closed_text("get_meeting for a non-member", &reply.body);
    let view: MeetingView = reply.decode();
    assert_eq!(view.items.len(), 1);
    assert!(view.items.iter().all(|i| i.public));
    assert!(view.attendance.is_empty() && !view.may_attend);
    assert!(
        view.summary_html
            .as_deref()
            .is_some_and(|s| s.contains(PUBLIC_MINUTES))
    );
    // Members, observers included, see the closed item.
    let items = meeting_view(&app, &observer, &meeting).await.items;
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].title, CLOSED_TEXTS[0]);
    assert!(
        ws_view(&app, &reader, &ws)
            .await
            .meetings
            .iter()
            .any(|m| m.key == meeting && m.published)
    );

    // The public summary, without signing in.
    let reply = call(
        &app,
        None,
        "get_meeting_summary",
        &[("id", meeting.as_str())],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_no_closed_text("get_meeting_summary", &reply.body);
    let summary: SummaryView = reply.decode();
    assert_eq!(summary.title, "第2回部会");
    for public in [PUBLIC_BODY, PUBLIC_MINUTES] {
        assert!(
            summary.summary_html.contains(public),
            "{public}: {}",
            summary.summary_html
        );
    }
    let md = app.get(&format!("{summary_path}.md"), None).await;
    assert_eq!(md.status, StatusCode::OK, "{}", md.body);
    for public in [PUBLIC_BODY, PUBLIC_MINUTES] {
        assert!(md.body.contains(public), "{public}: {}", md.body);
    }
    assert_no_closed_text("summary.md", &md.body);
    let page = app.get(&summary_path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(PUBLIC_MINUTES), "{}", page.body);
    assert_no_closed_text("the summary page", &page.body);

    // The calendar file for a member: an event, no closed item.
    let ics = app
        .get(
            &format!("/council/meetings/{meeting}/meeting.ics"),
            Some(&member.cookie),
        )
        .await;
    assert_eq!(ics.status, StatusCode::OK, "{}", ics.body);
    assert!(ics.body.contains("BEGIN:VEVENT"), "{}", ics.body);
    assert_no_closed_text("meeting.ics", &ics.body);
}

// ---------------------------------------------------------------------------------------------
// 4. Proposals and votes
// ---------------------------------------------------------------------------------------------

// A refused vote (non-member, observer) is 403 (the group is council-wide, so they see it); a
// vote after closing is only required to be a 4xx.
#[tokio::test]
async fn a_consent_vote_counts_each_member_once_and_the_secretariat_closes_it_with_an_outcome() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let voters = crowd(&app, &officer, &ws, 3).await;
    let observer = join_as(&app, &officer, &ws, "observer", MIZUHO).await;
    let outsider = app.user(Role::Cio, CHIYODA).await;
    let closes = jst_in(15);
    let proposal = new_proposal(
        &app,
        &officer,
        &ws,
        &[("quorum", "3"), ("closes_at", closes.as_str())],
    )
    .await;

    let view = proposal_view(&app, &voters[0], &proposal).await;
    assert_eq!(view.kind, ProposalKind::Consent);
    let consent: Vec<String> = CONSENT_OPTIONS
        .iter()
        .map(|(ja, _)| (*ja).to_owned())
        .collect();
    assert_eq!(view.options, consent);
    assert_eq!(view.quorum, Some(3));
    assert_eq!(view.vote_per, VotePer::Person);
    assert_eq!(view.closes_at.jst(), as_jst(&closes));
    assert!(view.may_vote && !view.closed && view.outcome.is_none() && !view.may_manage);

    for (who, option) in [(0, "0"), (1, "2"), (1, "0"), (2, "1")] {
        let reply = vote(&app, &voters[who], &proposal, option, "").await;
        assert!(ok(reply.status), "{} {}", reply.status, reply.body);
        assert!(location(&reply).contains("voted=1"), "{:?}", reply.location);
    }
    let reply = vote(&app, &voters[2], &proposal, "9", "").await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "an option that is not there"
    );
    assert_eq!(
        vote(&app, &outsider, &proposal, "3", "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        vote(&app, &observer, &proposal, "3", "").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(!proposal_view(&app, &observer, &proposal).await.may_vote);

    let view = proposal_view(&app, &officer, &proposal).await;
    assert_eq!(view.votes, 3, "a changed vote counts once");
    assert_eq!(view.counts, Some(vec![2, 1, 0, 0]));
    assert_eq!(view.ballots.as_ref().map(Vec::len), Some(3));
    assert_eq!(
        proposal_view(&app, &voters[1], &proposal).await.my_vote,
        Some(0)
    );

    let reply = call(
        &app,
        Some(&voters[0]),
        "close_proposal",
        &[("proposal", proposal.as_str())],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(view.may_manage);
    let reply = done(
        &app,
        &officer,
        "close_proposal",
        &[("proposal", proposal.as_str())],
    )
    .await;
    assert!(
        location(&reply).contains("closed=1"),
        "{:?}",
        reply.location
    );
    let view = proposal_view(&app, &voters[2], &proposal).await;
    assert!(view.closed && !view.may_vote);
    assert_eq!(view.outcome, Some(Outcome::Agreed));
    assert_eq!(view.counts, Some(vec![2, 1, 0, 0]));

    let reply = vote(&app, &voters[2], &proposal, "3", "").await;
    assert!(
        reply.status.is_client_error(),
        "{} {}",
        reply.status,
        reply.body
    );
    let view = proposal_view(&app, &officer, &proposal).await;
    assert_eq!((view.votes, view.counts), (3, Some(vec![2, 1, 0, 0])));
    assert!(
        ws_view(&app, &officer, &ws)
            .await
            .proposals
            .iter()
            .any(|p| p.key == proposal && p.closed)
    );
}

// The voters are in distinct organisations so that nobody's `deputy_for` lists another voter:
// then no voter's key or name has any reason to be in the reply.
#[tokio::test]
async fn an_anonymous_proposal_never_tells_who_voted() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let voters = [
        named(&app, Role::Staff, TOSHIMA, "匿名一郎").await,
        named(&app, Role::Staff, CHIYODA, "匿名二郎").await,
        named(&app, Role::Cio, HACHIOJI, "匿名三郎").await,
    ];
    for voter in &voters {
        add(&app, &officer, &ws, &person(voter), "member").await;
    }
    let proposal = new_proposal(&app, &officer, &ws, &[("anonymous", "1"), ("quorum", "5")]).await;
    for (voter, option) in voters.iter().zip(["0", "2", "0"]) {
        assert!(ok(vote(&app, voter, &proposal, option, "").await.status));
    }
    let secret = ["匿名一郎", "匿名二郎", "匿名三郎"]
        .into_iter()
        .map(str::to_owned)
        .chain(voters.iter().map(|v| v.id.clone()))
        .collect::<Vec<_>>();
    let check = |reply: &Reply| {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        for s in &secret {
            assert!(!reply.body.contains(s.as_str()), "{s} in {}", reply.body);
        }
        let view: ProposalView = reply.decode();
        assert!(view.anonymous);
        assert!(
            view.ballots.as_ref().is_none_or(Vec::is_empty),
            "{:?}",
            view.ballots
        );
        view
    };
    for viewer in [&officer, &voters[0]] {
        let view = check(
            &call(
                &app,
                Some(viewer),
                "get_proposal",
                &[("id", proposal.as_str())],
            )
            .await,
        );
        assert_eq!(view.votes, 3);
    }
    assert_eq!(
        proposal_view(&app, &voters[1], &proposal).await.my_vote,
        Some(2)
    );

    done(
        &app,
        &officer,
        "close_proposal",
        &[("proposal", proposal.as_str())],
    )
    .await;
    let view = check(
        &call(
            &app,
            Some(&officer),
            "get_proposal",
            &[("id", proposal.as_str())],
        )
        .await,
    );
    assert_eq!(
        view.outcome,
        Some(Outcome::NoQuorum),
        "3 votes of a quorum of 5"
    );
    assert_eq!(view.counts, Some(vec![2, 0, 1, 0]));
}

#[tokio::test]
async fn hidden_results_of_a_poll_show_only_once_it_is_closed() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let voters = crowd(&app, &officer, &ws, 3).await;
    // A poll needs two options at least.
    let closes = jst_in(10);
    let reply = call(
        &app,
        Some(&officer),
        "create_proposal",
        &[
            ("workspace", ws.as_str()),
            ("title", "次回の開催方式"),
            ("body", "選んでください"),
            ("kind", "poll"),
            ("options", "対面のみ"),
            ("closes_at", closes.as_str()),
            ("quorum", ""),
            ("anonymous", ""),
            ("hide_results", "1"),
            ("vote_per", "person"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(reply.json()["field"], "options", "{}", reply.body);

    let proposal = new_proposal(
        &app,
        &officer,
        &ws,
        &[
            ("kind", "poll"),
            ("options", "A案\n\nB案\nC案\n"),
            ("hide_results", "1"),
        ],
    )
    .await;
    for (voter, option) in voters.iter().zip(["1", "1", "0"]) {
        assert!(ok(vote(&app, voter, &proposal, option, "").await.status));
    }
    for viewer in [&officer, &voters[0]] {
        let view = proposal_view(&app, viewer, &proposal).await;
        assert_eq!(view.kind, ProposalKind::Poll);
        assert_eq!(view.options, ["A案", "B案", "C案"]);
        assert!(view.hide_results);
        assert_eq!(view.counts, None, "hidden until closing");
        assert_eq!(view.ballots, None, "hidden until closing");
        assert_eq!(view.votes, 3, "the number of votes is always shown");
    }
    done(
        &app,
        &officer,
        "close_proposal",
        &[("proposal", proposal.as_str())],
    )
    .await;
    let view = proposal_view(&app, &voters[2], &proposal).await;
    assert_eq!(view.counts, Some(vec![1, 2, 0]));
    assert_eq!(view.outcome, Some(Outcome::Chosen { options: vec![1] }));
    assert_eq!(view.ballots.as_ref().map(Vec::len), Some(3));
}

#[tokio::test]
async fn fifty_members_voting_at_once_are_all_counted() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let voters = crowd(&app, &officer, &ws, 50).await;
    let proposal = new_proposal(&app, &officer, &ws, &[]).await;
    let casts = voters.iter().enumerate().map(|(i, voter)| {
        let (app, proposal) = (&app, &proposal);
        let option = (i % 4).to_string();
        async move { vote(app, voter, proposal, &option, "").await }
    });
    let replies = futures::future::join_all(casts).await;
    for reply in &replies {
        assert!(ok(reply.status), "{} {}", reply.status, reply.body);
    }
    let view = proposal_view(&app, &officer, &proposal).await;
    assert_eq!(view.votes, 50);
    let counts = view.counts.expect("open results");
    assert_eq!(counts.iter().sum::<u32>(), 50);
    assert_eq!(counts, [13, 13, 12, 12]);
}

// The deputy is a member too (`deputy_for` lists "same organisation, members"); a colleague of
// another organisation is refused (any 4xx).
#[tokio::test]
async fn a_colleague_votes_as_deputy_and_the_ballot_says_so() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let principal = named(&app, Role::Cio, TOSHIMA, "代理元一郎").await;
    let deputy = named(&app, Role::Staff, TOSHIMA, "代理人二郎").await;
    let stranger = named(&app, Role::Staff, CHIYODA, "他区三郎").await;
    for user in [&principal, &deputy, &stranger] {
        add(&app, &officer, &ws, &person(user), "member").await;
    }
    let proposal = new_proposal(&app, &officer, &ws, &[]).await;

    let view = proposal_view(&app, &deputy, &proposal).await;
    assert!(
        view.deputy_for.iter().any(|c| c.key == principal.id),
        "{:?}",
        view.deputy_for
    );
    assert!(!view.deputy_for.iter().any(|c| c.key == stranger.id));
    let reply = vote(&app, &stranger, &proposal, "2", &principal.id).await;
    assert!(
        reply.status.is_client_error(),
        "{} {}",
        reply.status,
        reply.body
    );

    let reply = vote(&app, &deputy, &proposal, "0", &principal.id).await;
    assert!(ok(reply.status), "{} {}", reply.status, reply.body);
    let view = proposal_view(&app, &officer, &proposal).await;
    assert_eq!(view.votes, 1);
    let ballots = view.ballots.expect("open ballots");
    assert_eq!(ballots.len(), 1, "{ballots:?}");
    assert!(ballots[0].voter.0.contains("代理元一郎"), "{ballots:?}");
    assert_eq!(ballots[0].option, 0);
    let (deputy_ja, _) = ballots[0].deputy.clone().expect("cast by a deputy");
    assert!(deputy_ja.contains("代理人二郎"), "{deputy_ja}");
    assert_eq!(
        proposal_view(&app, &principal, &proposal).await.my_vote,
        Some(0)
    );
    assert_eq!(proposal_view(&app, &deputy, &proposal).await.my_vote, None);

    // The member's own vote replaces the deputy's.
    assert!(ok(vote(&app, &principal, &proposal, "2", "").await.status));
    let view = proposal_view(&app, &officer, &proposal).await;
    assert_eq!((view.votes, view.counts), (1, Some(vec![0, 0, 1, 0])));
    let ballots = view.ballots.unwrap();
    assert_eq!(ballots.len(), 1);
    assert_eq!(ballots[0].deputy, None);
}

#[tokio::test]
async fn with_one_vote_per_organisation_two_colleagues_count_once_and_the_last_vote_counts() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    add(
        &app,
        &officer,
        &ws,
        &format!("organisation:{TOSHIMA}"),
        "member",
    )
    .await;
    let first = app.user(Role::Cio, TOSHIMA).await;
    let second = app.user(Role::Staff, TOSHIMA).await;
    let hachioji = join_as(&app, &officer, &ws, "member", HACHIOJI).await;
    let proposal = new_proposal(&app, &officer, &ws, &[("vote_per", "organisation")]).await;
    assert_eq!(
        proposal_view(&app, &first, &proposal).await.vote_per,
        VotePer::Organisation
    );

    for (who, option) in [(&first, "0"), (&second, "2"), (&hachioji, "0")] {
        let reply = vote(&app, who, &proposal, option, "").await;
        assert!(ok(reply.status), "{} {}", reply.status, reply.body);
    }
    let view = proposal_view(&app, &officer, &proposal).await;
    assert_eq!(view.votes, 2, "Toshima counts once");
    assert_eq!(
        view.counts,
        Some(vec![1, 0, 1, 0]),
        "Toshima's last vote counts"
    );
    assert_eq!(view.ballots.as_ref().map(Vec::len), Some(2));
    assert_eq!(
        proposal_view(&app, &first, &proposal).await.my_vote,
        Some(2)
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Topics
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn fifty_replies_at_once_are_all_kept() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let members = crowd(&app, &officer, &ws, 50).await;
    let topic = new_topic(&app, &officer, &ws, "意見募集", "皆さんの意見をください").await;
    let replies = members.iter().enumerate().map(|(i, member)| {
        let (app, topic) = (&app, &topic);
        let body = format!("意見その{i}");
        async move { post_reply(app, member, topic, &body).await }
    });
    let replies = futures::future::join_all(replies).await;
    for reply in &replies {
        assert!(ok(reply.status), "{} {}", reply.status, reply.body);
        assert!(location(reply).contains("posted=1"), "{:?}", reply.location);
    }
    let posts = topic_view(&app, &officer, &topic).await.posts;
    assert_eq!(posts.len(), 51, "the opening post and 50 replies");
    for i in 0..50 {
        let body = format!("意見その{i}");
        assert_eq!(posts.iter().filter(|p| p.body == body).count(), 1, "{body}");
    }
    let card = ws_view(&app, &officer, &ws)
        .await
        .topics
        .into_iter()
        .find(|t| t.key == topic)
        .unwrap();
    assert_eq!(card.posts, 51);
}

#[tokio::test]
async fn managers_pin_topics_and_authors_alone_edit_their_posts() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let author = join_as(&app, &officer, &ws, "member", HACHIOJI).await;
    let other = join_as(&app, &officer, &ws, "member", MIZUHO).await;
    let first = new_topic(&app, &author, &ws, "最初の話題", "はじめに").await;
    let second = new_topic(&app, &author, &ws, "二番目の話題", "つぎに").await;
    assert_eq!(
        ws_view(&app, &officer, &ws).await.topics[0].key,
        second,
        "the latest first"
    );

    let pin = [("id", first.as_str()), ("pinned", "1")];
    assert_eq!(
        call(&app, Some(&author), "pin_topic", &pin).await.status,
        StatusCode::FORBIDDEN
    );
    let reply = done(&app, &officer, "pin_topic", &pin).await;
    assert!(
        location(&reply).contains("pinned=1"),
        "{:?}",
        reply.location
    );
    let topics = ws_view(&app, &author, &ws).await.topics;
    assert_eq!(
        (topics[0].key.as_str(), topics[0].pinned),
        (first.as_str(), true)
    );
    assert!(topic_view(&app, &author, &first).await.pinned);
    done(
        &app,
        &officer,
        "pin_topic",
        &[("id", first.as_str()), ("pinned", "0")],
    )
    .await;
    let topics = ws_view(&app, &author, &ws).await.topics;
    assert_eq!(topics[0].key, second);
    assert!(!topics.iter().any(|t| t.pinned));

    // A reply names the post it answers.
    let view = topic_view(&app, &author, &first).await;
    let opening = view.posts[0].id.clone();
    assert!(view.editable.contains(&opening));
    let reply = done(
        &app,
        &other,
        "post_topic_reply",
        &[
            ("id", first.as_str()),
            ("body", "賛成です"),
            ("reply_to", opening.as_str()),
        ],
    )
    .await;
    let anchor = location(&reply)
        .rsplit_once("#comment-")
        .expect("anchored")
        .1
        .to_owned();
    let posts = topic_view(&app, &other, &first).await.posts;
    assert_eq!(posts[1].id, anchor.as_str());
    assert_eq!(posts[1].reply_to.as_ref(), Some(&opening));

    // Only the author edits; the earlier version is kept.
    assert!(
        !topic_view(&app, &other, &first)
            .await
            .editable
            .contains(&opening)
    );
    let back = format!("/council/topics/{first}");
    let hijack = [
        ("id", opening.as_str()),
        ("body", "乗っ取り"),
        ("back", back.as_str()),
    ];
    let reply = call(&app, Some(&other), "edit_council_post", &hijack).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    let update = [
        ("id", opening.as_str()),
        ("body", "**更新後**の本文"),
        ("back", back.as_str()),
    ];
    let reply = done(&app, &author, "edit_council_post", &update).await;
    let to = location(&reply);
    assert!(to.contains(&back) && to.contains("edited=1"), "{to}");
    let post = topic_view(&app, &other, &first).await.posts[0].clone();
    assert_eq!(post.body, "**更新後**の本文");
    assert!(
        post.body_html.contains("<strong>更新後</strong>"),
        "{}",
        post.body_html
    );
    assert!(post.edited_at.is_some());
    assert_eq!(
        post.revisions
            .iter()
            .map(|r| r.body.as_str())
            .collect::<Vec<_>>(),
        ["はじめに"]
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Training sessions
// ---------------------------------------------------------------------------------------------

// Council-wide readers may register (policy: anyone who reads the open workspace), so the 30
// are not made members. A deadline in the past may be refused at creation; then the test
// moves a fresh session's deadline into the past in the database to check registration.
#[tokio::test]
async fn thirty_sign_ups_for_twenty_seats_leave_ten_waiting_who_move_up_in_order() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let member = join_as(&app, &officer, &ws, "member", HACHIOJI).await;
    let (starts, deadline) = (jst_in(14 * 24 * 60), jst_in(7 * 24 * 60));
    let reply = create_training(&app, &officer, &ws, &starts, &deadline, "0").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(reply.json()["field"], "capacity");
    let reply = create_training(&app, &member, &ws, &starts, &deadline, "20").await;
    assert_eq!(
        reply.status,
        StatusCode::FORBIDDEN,
        "members do not organise trainings"
    );
    let reply = create_training(&app, &officer, &ws, &starts, &deadline, "20").await;
    assert!(ok(reply.status), "{}", reply.body);
    assert!(location(&reply).contains("created=1"));
    let training = key_after(&reply, "/council/trainings/");

    let users = people(&app, 30).await;
    let sign_ups = users.iter().map(|u| register(&app, u, &training));
    for reply in futures::future::join_all(sign_ups).await {
        assert!(ok(reply.status), "{} {}", reply.status, reply.body);
        assert!(
            location(&reply).contains("registered=1"),
            "{:?}",
            reply.location
        );
    }
    let view = training_view(&app, &officer, &training).await;
    assert_eq!((view.capacity, view.registered, view.waiting), (20, 20, 10));
    assert_eq!(view.deadline.jst(), as_jst(&deadline));
    assert_eq!(view.registrations.len(), 30);
    assert_eq!(
        view.registrations
            .iter()
            .filter(|r| r.2 == RegistrationStatus::Registered)
            .count(),
        20
    );
    let card = ws_view(&app, &member, &ws)
        .await
        .trainings
        .into_iter()
        .find(|t| t.key == training)
        .unwrap();
    assert_eq!((card.capacity, card.registered), (20, 20));

    let mut seated = Vec::new();
    let mut places = std::collections::BTreeMap::new();
    for (i, user) in users.iter().enumerate() {
        let mine = training_view(&app, user, &training).await;
        assert!(!mine.may_register);
        match mine.mine {
            Some(RegistrationStatus::Registered) => {
                assert_eq!(mine.my_place, None);
                seated.push(i);
            }
            Some(RegistrationStatus::Waiting) => {
                assert!(places.insert(mine.my_place.expect("a place"), i).is_none());
            }
            None => panic!("user {i} is not registered"),
        }
    }
    assert_eq!(seated.len(), 20);
    assert_eq!(
        places.keys().copied().collect::<Vec<_>>(),
        (1..=10).collect::<Vec<u32>>()
    );

    // A seat frees: the first waiting takes it, the others move up.
    let leaving = &users[seated[0]];
    let reply = done(
        &app,
        leaving,
        "cancel_registration",
        &[("training", training.as_str())],
    )
    .await;
    assert!(
        location(&reply).contains("cancelled=1"),
        "{:?}",
        reply.location
    );
    let view = training_view(&app, &officer, &training).await;
    assert_eq!((view.registered, view.waiting), (20, 9));
    let promoted = training_view(&app, &users[places[&1]], &training).await;
    assert_eq!(
        (promoted.mine, promoted.my_place),
        (Some(RegistrationStatus::Registered), None)
    );
    assert_eq!(
        training_view(&app, &users[places[&2]], &training)
            .await
            .my_place,
        Some(1)
    );
    assert_eq!(
        training_view(&app, &users[places[&10]], &training)
            .await
            .my_place,
        Some(9)
    );
    let gone = training_view(&app, leaving, &training).await;
    assert_eq!(gone.mine, None);
    assert!(gone.may_register);

    // Registering after the deadline is refused.
    let late_starts = jst_in(24 * 60);
    let reply = create_training(&app, &officer, &ws, &late_starts, &jst_in(-60), "5").await;
    let closed = if ok(reply.status) {
        key_after(&reply, "/council/trainings/")
    } else {
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
        assert_eq!(reply.json()["field"], "deadline", "{}", reply.body);
        let reply = create_training(&app, &officer, &ws, &late_starts, &jst_in(60), "5").await;
        let key = key_after(&reply, "/council/trainings/");
        app.state
            .db
            .query("UPDATE type::record('training', $id) SET deadline = time::now() - 1h")
            .bind(("id", key.clone()))
            .await
            .unwrap()
            .check()
            .unwrap();
        key
    };
    let late = app.user(Role::Staff, CHIYODA).await;
    assert!(!training_view(&app, &late, &closed).await.may_register);
    let reply = register(&app, &late, &closed).await;
    assert!(
        reply.status.is_client_error(),
        "{} {}",
        reply.status,
        reply.body
    );
    let view = training_view(&app, &officer, &closed).await;
    assert_eq!((view.registered, view.waiting), (0, 0));
}

// ---------------------------------------------------------------------------------------------
// 7. Mentions
// ---------------------------------------------------------------------------------------------

// "Exactly once" counts every notice of the workspace the participant has right after the
// mentioning reply (a mention and a participant's reply notice must not both be written).
#[tokio::test]
async fn a_mention_notifies_a_member_once_and_never_a_non_member_of_a_private_group() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "private").await;
    let author = named(&app, Role::Staff, HACHIOJI, "議題花子").await;
    let replier = named(&app, Role::Staff, MIZUHO, "返信次郎").await;
    let bystander = named(&app, Role::Cio, TOSHIMA, "傍観三郎").await;
    let outsider = named(&app, Role::Cio, CHIYODA, "部外四郎").await;
    for user in [&author, &replier, &bystander] {
        add(&app, &officer, &ws, &person(user), "member").await;
    }
    let topic = new_topic(
        &app,
        &author,
        &ws,
        "ガバメントクラウドの費用",
        "比較表を作りました",
    )
    .await;
    // Whatever the author was told before (joining, say) is set aside.
    let before: Vec<_> = inbox(&app, &author)
        .await
        .into_iter()
        .map(|n| n.id)
        .collect();
    let unread_before = unread(&app, &author).await;
    let reply = post_reply(
        &app,
        &replier,
        &topic,
        "@議題花子 さん、ありがとうございます。@部外四郎 さんにも見てほしいです。@議題花子 さん、再掲です。",
    )
    .await;
    assert!(ok(reply.status), "{}", reply.body);

    let notices = inbox(&app, &author).await;
    let new: Vec<&InboxItem> = about(&notices, &ws)
        .into_iter()
        .filter(|n| !before.contains(&n.id))
        .collect();
    assert_eq!(
        new.len(),
        1,
        "one notice, though mentioned twice and a participant: {notices:?}"
    );
    assert_eq!(new[0].kind, "mention");
    assert!(new[0].link.contains(&topic), "{}", new[0].link);
    assert!(!new[0].read);
    assert_eq!(unread(&app, &author).await, unread_before + 1);
    assert!(
        inbox(&app, &outsider).await.is_empty(),
        "a non-member is never told"
    );
    assert_eq!(unread(&app, &outsider).await, 0);

    // A mention in a topic's opening post, and with a full-width ＠.
    let mentions = |items: &[InboxItem]| {
        about(items, &ws)
            .into_iter()
            .filter(|n| n.kind == "mention")
            .count()
    };
    new_topic(
        &app,
        &author,
        &ws,
        "別件",
        "@傍観三郎 さん、ご意見をください",
    )
    .await;
    assert_eq!(mentions(&inbox(&app, &bystander).await), 1);
    assert!(ok(post_reply(
        &app,
        &replier,
        &topic,
        "＠傍観三郎 さんもどうぞ"
    )
    .await
    .status));
    assert_eq!(mentions(&inbox(&app, &bystander).await), 2);
    assert!(inbox(&app, &outsider).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// 8. Sanitized text
// ---------------------------------------------------------------------------------------------

const ATTACKS: &str = "本文です。\n\n\
<script>alert(1)</script>\n\n\
<img src=x onerror=alert(1)>\n\n\
[x](javascript:alert(1))\n\n\
<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">データ</a>\n\n\
<svg onload=alert(1)>\n\n\
<math><mi xlink:href=\"javascript:alert(1)\">数式</mi></math>\n";

fn assert_sanitized(what: &str, html: &str) {
    for bad in [
        "<script",
        "onerror",
        "javascript:",
        "data:text",
        "<svg",
        "onload",
    ] {
        assert!(!html.contains(bad), "{what} keeps {bad}: {html}");
    }
}

#[tokio::test]
async fn scripts_handlers_and_dangerous_links_never_reach_the_rendered_text() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let reply = done(
        &app,
        &officer,
        "create_workspace",
        &[
            ("name_ja", "セキュリティ検証部会"),
            ("name_en", "Security test WG"),
            ("description", ATTACKS),
            ("visibility", "council"),
        ],
    )
    .await;
    let ws = key_after(&reply, "/council/");
    let member = join_as(&app, &officer, &ws, "member", HACHIOJI).await;
    let topic = new_topic(&app, &member, &ws, "検証", ATTACKS).await;
    assert!(ok(post_reply(&app, &officer, &topic, ATTACKS).await.status));

    let view = topic_view(&app, &member, &topic).await;
    assert_eq!(view.posts.len(), 2);
    for post in &view.posts {
        assert!(post.body_html.contains("本文です"), "{}", post.body_html);
        assert_sanitized("a post", &post.body_html);
    }
    let description = ws_view(&app, &member, &ws).await.description_html;
    assert!(description.contains("本文です"), "{description}");
    assert_sanitized("the description", &description);
}

// ---------------------------------------------------------------------------------------------
// 9. Who may create and manage
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn only_tokyo_officers_and_administrators_create_and_only_managers_manage() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let fields = [
        ("name_ja", "新しい部会"),
        ("name_en", "New WG"),
        ("description", ""),
        ("visibility", "private"),
    ];
    for (role, org) in [
        (Role::Cio, TOSHIMA),
        (Role::Staff, HACHIOJI),
        (Role::GovtechAdvisor, "govtech_tokyo"),
    ] {
        let user = app.user(role, org).await;
        let reply = call(&app, Some(&user), "create_workspace", &fields).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{role:?}: {}",
            reply.body
        );
        assert!(!listed(&app, &user).await.may_create, "{role:?}");
    }
    assert_eq!(
        call(&app, None, "create_workspace", &fields).await.status,
        StatusCode::UNAUTHORIZED
    );
    let admin = app.user(Role::Admin, TOKYO).await;
    assert!(ok(call(&app, Some(&admin), "create_workspace", &fields)
        .await
        .status));
    assert!(listed(&app, &officer).await.may_create);
    let mut bad = fields;
    bad[3] = ("visibility", "public");
    let reply = call(&app, Some(&officer), "create_workspace", &bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(reply.json()["field"], "visibility");

    let ws = new_workspace(&app, &officer, "council").await;
    let view = ws_view(&app, &officer, &ws).await;
    assert!(view.may_manage);
    assert!(
        view.members
            .iter()
            .any(|m| m.key == officer.id && m.role == WorkspaceRole::Secretariat),
        "the creator is the secretariat: {:?}",
        view.members
    );
    let member = join_as(&app, &officer, &ws, "member", HACHIOJI).await;
    let observer = join_as(&app, &officer, &ws, "observer", MIZUHO).await;
    let newcomer = app.user(Role::Staff, CHIYODA).await;

    let view = ws_view(&app, &member, &ws).await;
    assert!(!view.may_manage && view.candidates.is_empty() && view.join_requests.is_empty());
    // The managers find people by name or organisation; nobody else gets any.
    let find = async |who: &TestUser, text: &str| -> WorkspaceView {
        let reply = done(&app, who, "get_workspace", &[("id", &ws), ("people", text)]).await;
        reply.decode()
    };
    let people = |view: &WorkspaceView| -> Vec<String> {
        view.candidates
            .iter()
            .filter(|c| c.kind == "user")
            .map(|c| c.key.clone())
            .collect()
    };
    let unsearched = find(&officer, "").await;
    assert!(people(&unsearched).is_empty(), "no list of every account");
    assert_eq!(
        unsearched.candidates.len(),
        app.state.catalog.organisations.len(),
        "every organisation"
    );
    for text in ["千代田区", "STAFF 131016", "  staff 13101  "] {
        let view = find(&officer, text).await;
        assert!(
            people(&view).contains(&newcomer.id),
            "{text}: {:?}",
            people(&view)
        );
        assert_eq!(view.people_query, text.trim());
        assert!(people(&view).len() <= app::council::views::PEOPLE_FOUND_MAX);
    }
    assert!(people(&find(&officer, "該当なしの名前").await).is_empty());
    let refused = find(&member, "千代田区").await;
    assert!(refused.candidates.is_empty() && refused.people_query.is_empty());
    for who in [&member, &observer] {
        let reply = call(
            &app,
            Some(who),
            "add_member",
            &[
                ("workspace", ws.as_str()),
                ("member", person(&newcomer).as_str()),
                ("role", "member"),
            ],
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    }
    let reply = call(
        &app,
        Some(&member),
        "remove_member",
        &[
            ("workspace", ws.as_str()),
            ("member", person(&observer).as_str()),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = call(
        &app,
        Some(&member),
        "create_training",
        &[
            ("workspace", ws.as_str()),
            ("title", "研修"),
            ("body", ""),
            ("starts_at", jst_in(2 * 24 * 60).as_str()),
            ("deadline", jst_in(24 * 60).as_str()),
            ("capacity", "10"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = call(
        &app,
        Some(&officer),
        "add_member",
        &[
            ("workspace", ws.as_str()),
            ("member", person(&newcomer).as_str()),
            ("role", "owner"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(reply.json()["field"], "role");

    let members = ws_view(&app, &officer, &ws).await.members;
    assert!(!members.iter().any(|m| m.key == newcomer.id), "{members:?}");
    assert!(
        members
            .iter()
            .any(|m| m.key == observer.id && m.role == WorkspaceRole::Observer)
    );
    assert!(
        members
            .iter()
            .any(|m| m.key == member.id && m.role == WorkspaceRole::Member)
    );
}

// ---------------------------------------------------------------------------------------------
// Search across the rooms
// ---------------------------------------------------------------------------------------------

/// Searches as `who`; the view of `/api/search`.
async fn search(
    app: &TestApp,
    who: &TestUser,
    q: &str,
    page: &str,
) -> app::shell::search::SearchView {
    let reply = call(app, Some(who), "search", &[("q", q), ("page", page)]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.decode()
}

#[tokio::test]
async fn search_finds_japanese_inside_words_and_only_what_the_caller_may_read() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let private = new_workspace(&app, &officer, "private").await;
    let member = join_as(&app, &officer, &private, "member", TOSHIMA).await;
    let outsider = app.user(Role::Cio, CHIYODA).await;
    let topic = new_topic(
        &app,
        &officer,
        &private,
        "移行の相談",
        "住民記録システムの移行を来年度に行います。",
    )
    .await;

    let found = search(&app, &member, "住民記録", "").await;
    assert_eq!(found.total, 1, "{found:?}");
    let hit = &found.hits[0];
    assert!(
        hit.link
            .starts_with(&format!("/council/topics/{topic}#comment-")),
        "{hit:?}"
    );
    assert!(
        hit.snippet_html
            .contains("<mark>住民記録</mark>システムの移行"),
        "{hit:?}"
    );
    assert_eq!(search(&app, &outsider, "住民記録", "").await.total, 0);
    // The pairs must be found together: 記録住民 is not in the text.
    assert_eq!(search(&app, &member, "記録住民", "").await.total, 0);
    // Too short to search (one character).
    assert!(search(&app, &member, "住", "").await.refused);

    // A council-wide group: any signed-in user finds it; English is found too, any case.
    let open = new_workspace(&app, &officer, "council").await;
    new_proposal(
        &app,
        &officer,
        &open,
        &[("title", "Government Cloud migration plan")],
    )
    .await;
    let english = search(&app, &outsider, "cloud", "").await;
    assert_eq!(english.total, 1, "{english:?}");
    assert_eq!(english.hits[0].kind, "proposal");
    assert!(
        english.hits[0].snippet_html.contains("<mark>Cloud</mark>"),
        "{english:?}"
    );

    // Removed: the private group's text is no longer found.
    remove(&app, &officer, &private, &person(&member)).await;
    assert_eq!(search(&app, &member, "住民記録", "").await.total, 0);
}

#[tokio::test]
async fn search_never_shows_a_closed_agenda_item_to_a_reader_who_is_not_a_member() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let open = new_workspace(&app, &officer, "council").await;
    let member = join_as(&app, &officer, &open, "observer", TOSHIMA).await;
    let reader = app.user(Role::Staff, CHIYODA).await;
    let meeting = new_meeting(&app, &officer, &open).await;
    for (title, public) in [("公開の議題です", "1"), ("非公開の人事案件", "")] {
        done(
            &app,
            &officer,
            "add_agenda_item",
            &[
                ("meeting", meeting.as_str()),
                ("title", title),
                ("body", "予算の調整について"),
                ("public", public),
            ],
        )
        .await;
    }
    let titles = |v: &app::shell::search::SearchView| {
        v.hits.iter().map(|h| h.title.clone()).collect::<Vec<_>>()
    };
    let for_member = search(&app, &member, "予算", "").await;
    assert_eq!(for_member.total, 2, "{:?}", titles(&for_member));
    let for_reader = search(&app, &reader, "予算", "").await;
    assert_eq!(for_reader.total, 1, "{:?}", titles(&for_reader));
    assert!(
        !for_reader.hits[0].title.contains("人事"),
        "{:?}",
        titles(&for_reader)
    );
    assert!(search(&app, &reader, "人事案件", "").await.hits.is_empty());
}

#[tokio::test]
async fn search_pages_twenty_at_a_time() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let open = new_workspace(&app, &officer, "council").await;
    let topic = new_topic(
        &app,
        &officer,
        &open,
        "調達の相談",
        "共同調達の仕様について",
    )
    .await;
    for n in 0..24 {
        let reply = post_reply(&app, &officer, &topic, &format!("共同調達の回答 {n}")).await;
        assert!(ok(reply.status), "{}", reply.body);
    }
    let first = search(&app, &officer, "共同調達", "0").await;
    assert_eq!((first.total, first.hits.len()), (25, 20));
    let second = search(&app, &officer, "共同調達", "1").await;
    assert_eq!(second.hits.len(), 5);
    let mut links: Vec<String> = first
        .hits
        .iter()
        .chain(&second.hits)
        .map(|h| h.link.clone())
        .collect();
    links.sort();
    links.dedup();
    assert_eq!(links.len(), 25);
}

// ---------------------------------------------------------------------------------------------
// The daily e-mail digest, through a real SMTP server
// ---------------------------------------------------------------------------------------------

/// A real SMTP server on loopback (Python's aiosmtpd, from PyPI, storing each mail in a
/// Maildir), stopped when dropped.
struct SmtpServer {
    child: std::process::Child,
    port: u16,
    maildir: std::path::PathBuf,
}

impl SmtpServer {
    fn start() -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let maildir =
            std::env::temp_dir().join(format!("kyodo-maildir-{port}-{}", std::process::id()));
        let child = std::process::Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .spawn()
            .expect("python3 -m aiosmtpd (make test installs it from PyPI)");
        let server = SmtpServer {
            child,
            port,
            maildir,
        };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("the SMTP server did not start on port {port}");
    }

    /// The mails received so far: each one's recipient and its body decoded by Python's own
    /// `email` parser (a reader independent of the crate that wrote it).
    fn mails(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        const DECODE: &str = "import email, sys\n\
            m = email.message_from_binary_file(open(sys.argv[1], 'rb'))\n\
            print('To:', m['To'])\n\
            print(m.get_payload(decode=True).decode('utf-8'))";
        entries
            .map(|e| {
                let out = std::process::Command::new("python3")
                    .args(["-c", DECODE])
                    .arg(e.unwrap().path())
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                String::from_utf8(out.stdout).unwrap()
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

#[tokio::test]
async fn a_day_with_five_events_in_two_workspaces_sends_each_person_one_mail_with_two_sections() {
    let smtp = SmtpServer::start();
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let mut workspaces = Vec::new();
    for (ja, en) in [
        ("標準化部会", "Standardization WG"),
        ("セキュリティWG", "Security WG"),
    ] {
        let reply = done(
            &app,
            &officer,
            "create_workspace",
            &[
                ("name_ja", ja),
                ("name_en", en),
                ("description", ""),
                ("visibility", "private"),
            ],
        )
        .await;
        workspaces.push(key_after(&reply, "/council/"));
    }
    let with_mail = app.user(Role::Staff, TOSHIMA).await;
    let without_mail = app.user(Role::Staff, CHIYODA).await;
    for ws in &workspaces {
        add(&app, &officer, ws, &person(&with_mail), "member").await;
        add(&app, &officer, ws, &person(&without_mail), "member").await;
    }
    app.state
        .db
        .query("CREATE identity CONTENT { issuer: 'https://idp.example.jp', subject: 'a', user: type::record('app_user', $u), email: 'hanako@example.jp' }")
        .bind(("u", with_mail.id.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    // Five events: two in the first workspace, three in the second.
    new_meeting(&app, &officer, &workspaces[0]).await;
    new_proposal(&app, &officer, &workspaces[0], &[]).await;
    new_meeting(&app, &officer, &workspaces[1]).await;
    new_proposal(&app, &officer, &workspaces[1], &[]).await;
    let reply = create_training(
        &app,
        &officer,
        &workspaces[1],
        &jst_in(3 * 24 * 60),
        &jst_in(2 * 24 * 60),
        "20",
    )
    .await;
    assert!(ok(reply.status), "{}", reply.body);

    let mail = app::config::MailConfig {
        smtp_url: format!("smtp://127.0.0.1:{}", smtp.port),
        from: "Kyodo <no-reply@kyodo.invalid>".into(),
    };
    let today = app::i18n::today_jst();
    let sent =
        app::notifications::digest::send_day(&app.state.db, &mail, "http://kyodo.test", today)
            .await
            .unwrap();
    assert_eq!(sent, 1, "only the person with an address gets a mail");
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert!(m.contains("hanako@example.jp"), "{m}");
    assert!(m.contains("■ 標準化部会（2件）"), "{m}");
    assert!(m.contains("■ セキュリティWG（3件）"), "{m}");
    assert!(m.contains("■ Security WG (3)"), "{m}");
    assert_eq!(
        m.matches("■ ").count(),
        4,
        "two sections, in Japanese and English: {m}"
    );
    assert!(m.contains("http://kyodo.test/council/meetings/"), "{m}");

    // Once a day: a second run (another server, a cron job) sends nothing more.
    let again =
        app::notifications::digest::send_day(&app.state.db, &mail, "http://kyodo.test", today)
            .await
            .unwrap();
    assert_eq!(again, 0);
    assert_eq!(smtp.mails().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Review findings, kept fixed
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_last_manager_can_neither_be_demoted_nor_removed_and_a_deputy_never_replaces_a_members_own_vote()
 {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    // The only secretariat demotes themself: refused, naming the member field.
    let reply = call(
        &app,
        Some(&officer),
        "add_member",
        &[
            ("workspace", ws.as_str()),
            ("member", person(&officer).as_str()),
            ("role", "member"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(reply.json()["field"], "member", "{}", reply.body);
    assert!(ws_view(&app, &officer, &ws).await.may_manage);

    // A colleague may vote for a member as deputy, but not over the member's own vote.
    let member = join_as(&app, &officer, &ws, "member", TOSHIMA).await;
    let colleague = join_as(&app, &officer, &ws, "member", TOSHIMA).await;
    let proposal = new_proposal(&app, &officer, &ws, &[]).await;
    assert!(ok(vote(&app, &member, &proposal, "0", "").await.status));
    let reply = vote(&app, &colleague, &proposal, "2", &member.id).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(reply.json()["field"], "deputy_for");
    let view = proposal_view(&app, &officer, &proposal).await;
    assert_eq!(view.counts, Some(vec![1, 0, 0, 0]));
}

#[tokio::test]
async fn an_anonymous_vote_hides_its_counts_until_closing_and_the_online_link_is_for_members() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let member = join_as(&app, &officer, &ws, "member", TOSHIMA).await;
    let reader = app.user(Role::Staff, CHIYODA).await;
    let proposal = new_proposal(&app, &officer, &ws, &[("anonymous", "1")]).await;
    assert!(ok(vote(&app, &member, &proposal, "0", "").await.status));
    let view = proposal_view(&app, &reader, &proposal).await;
    assert!(view.hide_results && view.counts.is_none(), "{view:?}");
    assert_eq!(view.my_vote, None);

    let (starts, ends) = (jst_in(60), jst_in(120));
    let reply = done(
        &app,
        &officer,
        "create_meeting",
        &[
            ("workspace", ws.as_str()),
            ("title", "オンライン部会"),
            ("starts_at", starts.as_str()),
            ("ends_at", ends.as_str()),
            ("place", ""),
            ("online_url", "https://meet.example.jp/secret-passcode"),
        ],
    )
    .await;
    let meeting = key_after(&reply, "/council/meetings/");
    assert_eq!(
        meeting_view(&app, &member, &meeting).await.online_url,
        "https://meet.example.jp/secret-passcode"
    );
    assert_eq!(meeting_view(&app, &reader, &meeting).await.online_url, "");
    let ics = app
        .get(
            &format!("/council/meetings/{meeting}/meeting.ics"),
            Some(&reader.cookie),
        )
        .await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(!ics.body.contains("secret-passcode"), "{}", ics.body);
}

#[tokio::test]
async fn a_published_summary_can_be_withdrawn_and_a_join_request_is_answered_once() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let meeting = new_meeting(&app, &officer, &ws).await;
    done(
        &app,
        &officer,
        "save_summary",
        &[
            ("meeting", meeting.as_str()),
            ("draft", "# 議事要旨\n\n誤って公開した文"),
            ("publish", "1"),
        ],
    )
    .await;
    assert_eq!(
        call(
            &app,
            None,
            "get_meeting_summary",
            &[("id", meeting.as_str())]
        )
        .await
        .status,
        StatusCode::OK
    );
    let member = join_as(&app, &officer, &ws, "member", TOSHIMA).await;
    assert_eq!(
        call(
            &app,
            Some(&member),
            "withdraw_summary",
            &[("meeting", meeting.as_str())]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    done(
        &app,
        &officer,
        "withdraw_summary",
        &[("meeting", meeting.as_str())],
    )
    .await;
    assert_eq!(
        call(
            &app,
            None,
            "get_meeting_summary",
            &[("id", meeting.as_str())]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        meeting_view(&app, &officer, &meeting)
            .await
            .summary_draft
            .contains("誤って公開した文")
    );

    // Asking twice tells the managers once; a second answer finds nothing to answer.
    let asker = app.user(Role::Staff, CHIYODA).await;
    let before = inbox(&app, &officer).await.len();
    done(&app, &asker, "request_join", &[("workspace", ws.as_str())]).await;
    let _ = call(
        &app,
        Some(&asker),
        "request_join",
        &[("workspace", ws.as_str())],
    )
    .await;
    assert_eq!(inbox(&app, &officer).await.len(), before + 1);
    done(
        &app,
        &officer,
        "answer_join",
        &[
            ("workspace", ws.as_str()),
            ("user", asker.id.as_str()),
            ("accept", "1"),
        ],
    )
    .await;
    let again = call(
        &app,
        Some(&officer),
        "answer_join",
        &[
            ("workspace", ws.as_str()),
            ("user", asker.id.as_str()),
            ("accept", "1"),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(ws_view(&app, &asker, &ws).await.may_post);
}

#[tokio::test]
async fn meeting_documents_are_added_by_the_managers_and_served_to_the_meetings_readers_only() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "private").await;
    let member = join_as(&app, &officer, &ws, "member", TOSHIMA).await;
    let outsider = app.user(Role::Cio, CHIYODA).await;
    let meeting = new_meeting(&app, &officer, &ws).await;
    let path = format!("/council/meetings/{meeting}/documents");
    let back = format!("/council/meetings/{meeting}");
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    let refused = app
        .upload_form(
            &path,
            &member.cookie,
            &[("back", back.as_str())],
            "資料.pdf",
            pdf,
        )
        .await;
    assert!(
        refused
            .location
            .as_deref()
            .is_some_and(|l| l.contains("form_error")),
        "{:?} {}",
        refused.location,
        refused.body
    );
    let reply = app
        .upload_form(
            &path,
            &officer.cookie,
            &[("back", back.as_str())],
            "第1回資料.pdf",
            pdf,
        )
        .await;
    assert!(
        reply
            .location
            .as_deref()
            .is_some_and(|l| l.contains("attached=1")),
        "{:?} {}",
        reply.location,
        reply.body
    );
    let documents = meeting_view(&app, &member, &meeting).await.documents;
    assert_eq!(documents.len(), 1);
    let file = format!("{path}/{}", documents[0].id);
    let download = app.get(&file, Some(&member.cookie)).await;
    assert_eq!(download.status, StatusCode::OK);
    assert!(download.body.starts_with("%PDF"));
    assert_eq!(
        app.get(&file, Some(&outsider.cookie)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&file, None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn topic_attachments_are_added_by_those_who_post_and_read_by_the_topics_readers_only() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "private").await;
    let member = join_as(&app, &officer, &ws, "member", TOSHIMA).await;
    let observer = join_as(&app, &officer, &ws, "observer", TOSHIMA).await;
    let outsider = app.user(Role::Cio, CHIYODA).await;
    let topic = new_topic(&app, &officer, &ws, "資料の共有", "資料を添付します").await;
    let path = format!("/council/topics/{topic}/files");
    let back = format!("/council/topics/{topic}");
    let csv = "団体,進捗\n豊島区,50\n".as_bytes();
    let refused = app
        .upload_form(
            &path,
            &observer.cookie,
            &[("back", back.as_str())],
            "進捗.csv",
            csv,
        )
        .await;
    assert!(
        refused
            .location
            .as_deref()
            .is_some_and(|l| l.contains("form_error")),
        "{:?}",
        refused.location
    );
    assert_eq!(
        app.upload_form(
            &path,
            &outsider.cookie,
            &[("back", back.as_str())],
            "x.csv",
            csv
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let reply = app
        .upload_form(
            &path,
            &member.cookie,
            &[("back", back.as_str())],
            "進捗.csv",
            csv,
        )
        .await;
    assert!(
        reply
            .location
            .as_deref()
            .is_some_and(|l| l.contains("attached=1")),
        "{:?} {}",
        reply.location,
        reply.body
    );
    let files = topic_view(&app, &observer, &topic).await.files;
    assert_eq!(files.len(), 1);
    let file = format!("{path}/{}", files[0].id);
    assert_eq!(
        app.get(&file, Some(&observer.cookie)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&file, Some(&outsider.cookie)).await.status,
        StatusCode::NOT_FOUND
    );
    // The generic attachment route never serves a council file.
    let generic = app
        .get(
            &format!("/attachments/{}", files[0].id),
            Some(&member.cookie),
        )
        .await;
    assert!(generic.status.is_client_error(), "{}", generic.status);
}

#[tokio::test]
async fn a_closed_agenda_items_documents_reach_the_workspaces_members_only() {
    let app = new_app().await;
    let officer = app.user(Role::TokyoOfficer, TOKYO).await;
    let ws = new_workspace(&app, &officer, "council").await;
    let member = join_as(&app, &officer, &ws, "observer", TOSHIMA).await;
    let reader = app.user(Role::Staff, CHIYODA).await;
    let meeting = new_meeting(&app, &officer, &ws).await;
    for (title, public) in [("公開の議題", "1"), ("非公開の議題", "")] {
        done(
            &app,
            &officer,
            "add_agenda_item",
            &[
                ("meeting", meeting.as_str()),
                ("title", title),
                ("body", ""),
                ("public", public),
            ],
        )
        .await;
    }
    let items = meeting_view(&app, &officer, &meeting).await.items;
    let back = format!("/council/meetings/{meeting}");
    let csv = "議題,資料\n".as_bytes();
    let mut files = Vec::new();
    for item in &items {
        let path = format!("/council/items/{}/documents", item.key);
        let reply = app
            .upload_form(
                &path,
                &officer.cookie,
                &[("back", back.as_str())],
                "資料.csv",
                csv,
            )
            .await;
        assert!(
            reply
                .location
                .as_deref()
                .is_some_and(|l| l.contains("attached=1")),
            "{:?} {}",
            reply.location,
            reply.body
        );
        let refused = app
            .upload_form(
                &path,
                &member.cookie,
                &[("back", back.as_str())],
                "x.csv",
                csv,
            )
            .await;
        assert!(
            refused
                .location
                .as_deref()
                .is_some_and(|l| l.contains("form_error")),
            "{:?}",
            refused.location
        );
        let docs = meeting_view(&app, &officer, &meeting)
            .await
            .items
            .into_iter()
            .find(|i| i.key == item.key)
            .unwrap()
            .documents;
        assert_eq!(docs.len(), 1);
        files.push((item.public, format!("{path}/{}", docs[0].id)));
    }
    for (public, file) in &files {
        assert_eq!(
            app.get(file, Some(&member.cookie)).await.status,
            StatusCode::OK,
            "{file}"
        );
        let for_reader = app.get(file, Some(&reader.cookie)).await.status;
        assert_eq!(
            for_reader,
            if *public {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            },
            "{file}"
        );
    }
    // The reader's meeting view lists the public item and its document only.
    let seen = meeting_view(&app, &reader, &meeting).await.items;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].documents.len(), 1);
}
