//! Council workspaces in the database (ssr only): SurrealQL only, no user-facing text.
//!
//! Members are rows `workspace_member:[workspace, member]` with `member` = `user:<key>` or
//! `organisation:<key>`. Every change of membership or closing also deletes, in its transaction,
//! the workspace's notices of everyone who can no longer read it (`PURGE_NOTICES`).

use super::model::{AttendanceStatus, RegistrationStatus, WorkspaceRole, WorkspaceVisibility};
use crate::db::{Db, DbError, first, rows, transaction_outcome, with_retries};
use crate::ids::{Timestamp, UserId};
use crate::notifications::model::Notice;
use crate::notifications::repo::notice_sets_binding;
use serde::Deserialize;

/// Notices to send in a write: each notice with its recipients.
pub type NoticeSets = [(Notice, Vec<UserId>)];

/// The prefix of every subject the room writes for workspace `key` (thread posts, notices).
pub fn subject_prefix(key: &str) -> String {
    format!("council:{key}:")
}

/// Deletes, inside a transaction that changed membership of `$ws` (a workspace key), the
/// workspace's notices of everyone who no longer reads it: for a private or closed workspace,
/// every recipient who is no member in person nor through their organisation (closed: every
/// recipient who is not a manager).
const PURGE_NOTICES: &str = "
    LET $w = type::record('workspace', $ws);
    LET $kept = IF $w.closed_at != NONE {
        (SELECT VALUE member FROM workspace_member WHERE workspace = $w AND role IN ['chair', 'secretariat'])
    } ELSE {
        (SELECT VALUE member FROM workspace_member WHERE workspace = $w)
    };
    IF $w.visibility = 'private' OR $w.closed_at != NONE {
        DELETE notice WHERE string::starts_with(subject, string::concat('council:', $ws, ':'))
            AND string::concat('user:', record::id(recipient)) NOT IN $kept
            AND string::concat('organisation:', record::id(recipient.organisation)) NOT IN $kept;
    };";

/// Refuses, inside a write transaction on workspace `$ws`, a workspace closed meanwhile
/// (`THROW 'workspace_closed'`: the caller's check ran before the transaction).
const OPEN_ONLY: &str = "
    IF type::record('workspace', $ws).closed_at != NONE { THROW 'workspace_closed' };";

/// Sends `$notice_sets` inside a write transaction on workspace `$ws`, to those recipients only
/// who are still members (in person or through their organisation) when it commits — a member
/// removed at the same moment gets nothing — and, in a closed workspace, to its managers only.
const MEMBER_NOTICES: &str = "
    LET $kept_members = IF type::record('workspace', $ws).closed_at != NONE {
        (SELECT VALUE member FROM workspace_member WHERE workspace = type::record('workspace', $ws)
            AND role IN ['chair', 'secretariat'])
    } ELSE {
        (SELECT VALUE member FROM workspace_member WHERE workspace = type::record('workspace', $ws))
    };
    FOR $set IN $notice_sets {
        FOR $r IN $set.recipients {
            IF string::concat('user:', $r) IN $kept_members
                OR string::concat('organisation:', record::id(type::record('app_user', $r).organisation)) IN $kept_members {
                CREATE notice CONTENT {
                    recipient: type::record('app_user', $r), kind: $set.notice.kind,
                    subject: $set.notice.subject, link: $set.notice.link,
                    text_ja: $set.notice.text_ja, text_en: $set.notice.text_en,
                    excerpt: $set.notice.excerpt, group_key: $set.notice.group.key,
                    group_ja: $set.notice.group.ja, group_en: $set.notice.group.en
                };
            };
        };
    };";

/// After a membership change inside its transaction: refuses (`THROW 'last_manager'`) to leave
/// workspace `$ws` without a chair or secretariat, and writes the workspace's row so that two
/// such changes at once serialize (each sees the other's outcome).
const KEEP_A_MANAGER: &str = "
    UPDATE type::record('workspace', $ws) SET members_version += 1;
    IF count(SELECT VALUE id FROM workspace_member WHERE workspace = type::record('workspace', $ws)
        AND role IN ['chair', 'secretariat']) = 0 { THROW 'last_manager' };";

/// A workspace's settings and the caller's roles in it.
#[derive(Debug, Clone, Deserialize)]
pub struct WorkspaceRow {
    /// Key.
    pub key: String,
    /// Name (Japanese).
    pub name_ja: String,
    /// Name (English).
    pub name_en: String,
    /// Markdown description.
    pub description: String,
    /// Who reads it.
    pub visibility: WorkspaceVisibility,
    /// Closed.
    pub closed: bool,
    /// The caller's roles (in person and through their organisation).
    #[serde(default)]
    pub roles: Vec<WorkspaceRole>,
    /// The caller asked to join.
    #[serde(default)]
    pub requested: bool,
}

/// The member keys that stand for `user`: in person and through their organisation.
fn member_keys(user: &crate::auth::model::CurrentUser) -> Vec<String> {
    vec![
        format!("user:{}", user.id),
        format!("organisation:{}", user.organisation.key),
    ]
}

const WORKSPACE_FIELDS: &str = "record::id(id) AS key, name_ja, name_en, description, visibility,
    closed_at != NONE AS closed,
    (SELECT VALUE role FROM workspace_member WHERE workspace = $parent.id AND member IN $me) AS roles,
    (SELECT VALUE id FROM join_request WHERE workspace = $parent.id
        AND user = type::record('app_user', $user)) != [] AS requested";

/// Workspace `key` with the caller's roles; `None` when there is none.
pub async fn workspace(
    db: &Db,
    key: &str,
    user: &crate::auth::model::CurrentUser,
) -> Result<Option<WorkspaceRow>, DbError> {
    Ok(first(
        db.query(format!(
            "SELECT {WORKSPACE_FIELDS} FROM ONLY type::record('workspace', $key)"
        ))
        .bind(("key", key.to_owned()))
        .bind(("me", member_keys(user)))
        .bind(("user", user.id.to_string()))
        .await?
        .check()?,
    )?)
}

/// Workspace `key`'s names (Japanese, English); `None` when there is none.
pub async fn workspace_names(db: &Db, key: &str) -> Result<Option<(String, String)>, DbError> {
    #[derive(Deserialize)]
    struct Names {
        name_ja: String,
        name_en: String,
    }
    let names: Option<Names> = first(
        db.query("SELECT name_ja, name_en FROM ONLY type::record('workspace', $key)")
            .bind(("key", key.to_owned()))
            .await?
            .check()?,
    )?;
    Ok(names.map(|n| (n.name_ja, n.name_en)))
}

/// Every workspace with the caller's roles: the council first, then by Japanese name.
pub async fn workspaces(
    db: &Db,
    user: &crate::auth::model::CurrentUser,
) -> Result<Vec<WorkspaceRow>, DbError> {
    let mut response = db
        .query(format!(
            "SELECT {WORKSPACE_FIELDS}, record::id(id) != 'council' AS later, name_ja AS sort_name
             FROM workspace ORDER BY later, sort_name"
        ))
        .bind(("me", member_keys(user)))
        .bind(("user", user.id.to_string()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// A new workspace and its creator as its secretariat, in one transaction.
pub async fn create_workspace(
    db: &Db,
    key: &str,
    (name_ja, name_en, description): (&str, &str, &str),
    visibility: WorkspaceVisibility,
    creator: &UserId,
) -> Result<(), DbError> {
    let response = db
        .query(
            "BEGIN TRANSACTION;
             CREATE type::record('workspace', $key) CONTENT {
                name_ja: $name_ja, name_en: $name_en, description: $description,
                visibility: $visibility
             };
             CREATE type::record('workspace_member', [$key, $member]) CONTENT {
                workspace: type::record('workspace', $key), member: $member, role: 'secretariat',
                user: type::record('app_user', $creator)
             };
             COMMIT TRANSACTION;",
        )
        .bind(("key", key.to_owned()))
        .bind(("name_ja", name_ja.to_owned()))
        .bind(("name_en", name_en.to_owned()))
        .bind(("description", description.to_owned()))
        .bind(("visibility", visibility.code()))
        .bind(("member", format!("user:{creator}")))
        .bind(("creator", creator.to_string()))
        .await?;
    transaction_outcome(response)
}

/// A workspace's member rows with names (a person with their organisation), strongest role
/// first.
pub async fn members(db: &Db, ws: &str) -> Result<Vec<super::views::MemberRow>, DbError> {
    let mut response = db
        .query(
            "SELECT * FROM (SELECT
                IF user != NONE { 'user' } ELSE { 'organisation' } AS kind,
                string::split(member, ':')[1] AS key, role,
                IF user != NONE { string::concat(user.name_ja, '（', user.organisation.name_ja, '）') }
                    ELSE { organisation.name_ja } AS name_ja,
                IF user != NONE { string::concat(user.name_en, ' (', user.organisation.name_en, ')') }
                    ELSE { organisation.name_en } AS name_en,
                array::find_index(['chair', 'secretariat', 'member', 'observer'], role) AS rank
             FROM workspace_member WHERE workspace = type::record('workspace', $ws))
             ORDER BY rank, name_ja",
        )
        .bind(("ws", ws.to_owned()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// A person who belongs to a workspace (in person or through their organisation), with their
/// roles there.
#[derive(Debug, Clone, Deserialize)]
pub struct Person {
    /// User key.
    pub key: String,
    /// Name (Japanese).
    pub name_ja: String,
    /// Name (English).
    pub name_en: String,
    /// Organisation key.
    pub organisation: String,
    /// Roles (in person and through the organisation).
    pub roles: Vec<WorkspaceRole>,
}

/// The active people of a workspace: members in person and every active user of a member
/// organisation, each once, by Japanese name. The member rows are few; the users are read
/// through the organisation index and by id (a subquery per user was 0.5 s with 1,000 users; a
/// pass over every account 11 ms).
pub async fn people(db: &Db, ws: &str) -> Result<Vec<Person>, DbError> {
    #[derive(Deserialize)]
    struct Membership {
        member: String,
        role: WorkspaceRole,
    }
    #[derive(Deserialize)]
    struct User {
        key: String,
        name_ja: String,
        name_en: String,
        organisation: String,
    }
    let mut response = db
        .query("SELECT member, role FROM workspace_member WHERE workspace = type::record('workspace', $ws)")
        .bind(("ws", ws.to_owned()))
        .await?
        .check()?;
    let memberships: Vec<Membership> = rows(&mut response, 0)?;
    let keys = |prefix: &str| -> Vec<String> {
        memberships
            .iter()
            .filter_map(|m| m.member.strip_prefix(prefix).map(str::to_owned))
            .collect()
    };
    let (users, organisations) = (keys("user:"), keys("organisation:"));
    // The users of the member organisations through the organisation index, and the members
    // in person by id: what a workspace has, not every account.
    let mut response = db
        .query(
            "LET $orgs = $organisations.map(|$k| type::record('organisation', $k));
             LET $people = $users.map(|$k| type::record('app_user', $k));
             SELECT record::id(id) AS key, name_ja, name_en, record::id(organisation) AS organisation
                FROM app_user WHERE organisation IN $orgs AND status = 'active';
             SELECT record::id(id) AS key, name_ja, name_en, record::id(organisation) AS organisation
                FROM $people WHERE status = 'active';",
        )
        .bind(("users", users))
        .bind(("organisations", organisations))
        .await?
        .check()?;
    let mut found: Vec<User> = rows(&mut response, 2)?;
    let in_person: Vec<User> = rows(&mut response, 3)?;
    for user in in_person {
        if !found.iter().any(|u| u.key == user.key) {
            found.push(user);
        }
    }
    found.sort_by(|a, b| a.name_ja.cmp(&b.name_ja).then(a.key.cmp(&b.key)));
    Ok(found
        .into_iter()
        .map(|u| {
            let (in_person, through) = (
                format!("user:{}", u.key),
                format!("organisation:{}", u.organisation),
            );
            Person {
                roles: memberships
                    .iter()
                    .filter(|m| m.member == in_person || m.member == through)
                    .map(|m| m.role)
                    .collect(),
                key: u.key,
                name_ja: u.name_ja,
                name_en: u.name_en,
                organisation: u.organisation,
            }
        })
        .collect())
}

/// Active users whose name (Japanese or English, any case) or organisation name contains
/// `text`, by Japanese name, at most `limit` (key, names with organisation), for the managers'
/// "add a member" choice. A list of every user would be a megabyte of options with tens of
/// thousands of accounts; the managers search by name instead.
pub async fn find_active_users(
    db: &Db,
    text: &str,
    limit: usize,
) -> Result<Vec<super::views::Candidate>, DbError> {
    let mut response = db
        .query(
            "SELECT 'user' AS kind, record::id(id) AS key,
                string::concat(name_ja, '（', organisation.name_ja, '）') AS name_ja,
                string::concat(name_en, ' (', organisation.name_en, ')') AS name_en
             FROM app_user WHERE status = 'active'
                AND (string::contains(name_ja, $text)
                    OR string::contains(string::lowercase(name_en), string::lowercase($text))
                    OR string::contains(organisation.name_ja, $text)
                    OR string::contains(string::lowercase(organisation.name_en), string::lowercase($text)))
             ORDER BY name_ja LIMIT $limit",
        )
        .bind(("text", text.to_owned()))
        .bind(("limit", limit))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// Adds `member` (`user:<key>` or `organisation:<key>`) to `ws` with `role`, or changes its
/// role; answers that person's request to join; in one transaction.
pub async fn add_member(
    db: &Db,
    ws: &str,
    member: &str,
    role: WorkspaceRole,
) -> Result<(), DbError> {
    with_retries(|| async {
        let response = db
            .query(format!(
                "BEGIN TRANSACTION;
                 UPSERT type::record('workspace_member', [$ws, $member]) SET
                    workspace = type::record('workspace', $ws), member = $member, role = $role,
                    user = IF string::starts_with($member, 'user:') {{
                        type::record('app_user', string::split($member, ':')[1]) }} ELSE {{ NONE }},
                    organisation = IF string::starts_with($member, 'organisation:') {{
                        type::record('organisation', string::split($member, ':')[1]) }} ELSE {{ NONE }};
                 IF string::starts_with($member, 'user:') {{
                    DELETE join_request WHERE workspace = type::record('workspace', $ws)
                        AND user = type::record('app_user', string::split($member, ':')[1]);
                 }};
                 {KEEP_A_MANAGER}
                 {PURGE_NOTICES}
                 COMMIT TRANSACTION;"
            ))
            .bind(("ws", ws.to_owned()))
            .bind(("member", member.to_owned()))
            .bind(("role", role.code()))
            .await?;
        transaction_outcome(response)
    })
    .await
}

/// Removes `member` from `ws` (a person leaving, or a manager removing a person or an
/// organisation) and, in the same transaction, the workspace's notices of everyone who no
/// longer reads it.
pub async fn remove_member(db: &Db, ws: &str, member: &str) -> Result<(), DbError> {
    with_retries(|| async {
        let response = db
            .query(format!(
                "BEGIN TRANSACTION;
                 DELETE type::record('workspace_member', [$ws, $member]);
                 {KEEP_A_MANAGER}
                 {PURGE_NOTICES}
                 COMMIT TRANSACTION;"
            ))
            .bind(("ws", ws.to_owned()))
            .bind(("member", member.to_owned()))
            .await?;
        transaction_outcome(response)
    })
    .await
}

/// Records `user`'s request to join `ws` and tells its managers (`notices`), in one transaction;
/// `false` (nothing written, nobody told again) when the request was already there.
pub async fn request_join(
    db: &Db,
    ws: &str,
    user: &UserId,
    notices: &NoticeSets,
) -> Result<bool, DbError> {
    let response = db
        .query(format!(
            "BEGIN TRANSACTION;
             {OPEN_ONLY}
             CREATE type::record('join_request', [$ws, $user]) CONTENT {{
                workspace: type::record('workspace', $ws), user: type::record('app_user', $user)
             }};
             {MEMBER_NOTICES}
             COMMIT TRANSACTION;"
        ))
        .bind(("ws", ws.to_owned()))
        .bind(("user", user.to_string()))
        .bind(notice_sets_binding(notices))
        .await?;
    match transaction_outcome(response) {
        Ok(()) => Ok(true),
        Err(DbError::Other(e)) if e.contains("already exists") => Ok(false),
        Err(DbError::LostRace) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Answers `user`'s request to join `ws`: accepted, they become a member and get `notices`;
/// declined, the request goes. One transaction; `false` when there was no request (already
/// answered by another manager: nothing written, nobody told).
pub async fn answer_join(
    db: &Db,
    ws: &str,
    user: &str,
    accept: bool,
    notices: &NoticeSets,
) -> Result<bool, DbError> {
    let response = db
        .query(format!(
            "BEGIN TRANSACTION;
             {OPEN_ONLY}
             LET $asked = (DELETE type::record('join_request', [$ws, $user]) RETURN BEFORE);
             IF $asked = [] {{ THROW 'no_join_request' }};
             IF $accept {{
                UPSERT type::record('workspace_member', [$ws, $member]) SET
                    workspace = type::record('workspace', $ws), member = $member, role = 'member',
                    user = type::record('app_user', $user), organisation = NONE;
                {MEMBER_NOTICES}
             }};
             COMMIT TRANSACTION;"
        ))
        .bind(("ws", ws.to_owned()))
        .bind(("user", user.to_owned()))
        .bind(("member", format!("user:{user}")))
        .bind(("accept", accept))
        .bind(notice_sets_binding(notices))
        .await?;
    match transaction_outcome(response) {
        Ok(()) => Ok(true),
        Err(e) if e.is_thrown("no_join_request") => Ok(false),
        Err(DbError::LostRace) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Pending requests to join `ws`, oldest first.
pub async fn join_requests(
    db: &Db,
    ws: &str,
) -> Result<Vec<super::views::JoinRequestRow>, DbError> {
    let mut response = db
        .query(
            "SELECT record::id(user) AS user,
                string::concat(user.name_ja, '（', user.organisation.name_ja, '）') AS name_ja,
                string::concat(user.name_en, ' (', user.organisation.name_en, ')') AS name_en,
                <string> at AS at, at AS sort_at
             FROM join_request WHERE workspace = type::record('workspace', $ws) ORDER BY sort_at",
        )
        .bind(("ws", ws.to_owned()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// Closes `ws`: no more writes; only its managers read it; pending requests and everyone
/// else's notices of it go, in one transaction.
pub async fn close_workspace(db: &Db, ws: &str) -> Result<(), DbError> {
    with_retries(|| async {
        let response = db
            .query(format!(
                "BEGIN TRANSACTION;
                 UPDATE type::record('workspace', $ws) SET closed_at = time::now();
                 DELETE join_request WHERE workspace = type::record('workspace', $ws);
                 {PURGE_NOTICES}
                 COMMIT TRANSACTION;"
            ))
            .bind(("ws", ws.to_owned()))
            .await?;
        transaction_outcome(response)
    })
    .await
}

/// A workspace's latest activity, newest first: topics started, posts, meetings, proposals
/// and training sessions (at most `limit`).
pub async fn activity(
    db: &Db,
    ws: &str,
    limit: u32,
) -> Result<Vec<super::views::ActivityItem>, DbError> {
    let mut response = db
        .query(
            "LET $w = type::record('workspace', $ws);
             LET $all = array::concat(
                (SELECT 'post' AS kind, type::record('council_topic', string::split(subject, ':')[2]).title AS title,
                    string::concat('/council/topics/', string::split(subject, ':')[2], '#comment-', record::id(id)) AS link,
                    [author.name_ja, author.name_en] AS actor, at
                 FROM post WHERE string::starts_with(subject, $prefix) ORDER BY at DESC LIMIT $limit),
                (SELECT 'meeting' AS kind, title, string::concat('/council/meetings/', record::id(id)) AS link,
                    [author.name_ja, author.name_en] AS actor, at FROM meeting WHERE workspace = $w ORDER BY at DESC LIMIT $limit),
                (SELECT 'proposal' AS kind, title, string::concat('/council/proposals/', record::id(id)) AS link,
                    [author.name_ja, author.name_en] AS actor, at FROM proposal WHERE workspace = $w ORDER BY at DESC LIMIT $limit),
                (SELECT 'training' AS kind, title, string::concat('/council/trainings/', record::id(id)) AS link,
                    [author.name_ja, author.name_en] AS actor, at FROM training WHERE workspace = $w ORDER BY at DESC LIMIT $limit)
             );
             SELECT kind, title ?? '' AS title, link, actor, <string> at AS at, at AS sort_at FROM $all
                ORDER BY sort_at DESC LIMIT $limit;",
        )
        .bind(("ws", ws.to_owned()))
        .bind(("prefix", subject_prefix(ws)))
        .bind(("limit", limit))
        .await?
        .check()?;
    Ok(rows(&mut response, 2)?)
}

/// A topic: its key, workspace, title and pin.
#[derive(Debug, Clone, Deserialize)]
pub struct TopicRow {
    /// Key.
    pub key: String,
    /// Workspace key.
    pub workspace: String,
    /// Title.
    pub title: String,
    /// Pinned.
    pub pinned: bool,
}

/// A meeting, a proposal or a training session: its key, workspace and title.
#[derive(Debug, Clone, Deserialize)]
pub struct ItemRow {
    /// Key.
    pub key: String,
    /// Workspace key.
    pub workspace: String,
    /// Title.
    pub title: String,
}

/// Record `key` of `table` (`council_topic`, `meeting`, `proposal`, `training`) with the given
/// fields; `None` when there is none.
pub async fn one<T: serde::de::DeserializeOwned>(
    db: &Db,
    table: &str,
    key: &str,
    fields: &str,
) -> Result<Option<T>, DbError> {
    Ok(first(
        db.query(format!(
            "SELECT record::id(id) AS key, record::id(workspace) AS workspace, {fields}
             FROM ONLY type::record($table, $key)"
        ))
        .bind(("table", table.to_owned()))
        .bind(("key", key.to_owned()))
        .await?
        .check()?,
    )?)
}

/// The workspace of a thread subject `council:<workspace>:<topic>`.
pub fn workspace_of_subject(subject: &str) -> Option<(&str, &str)> {
    let rest = subject.strip_prefix("council:")?;
    let (ws, topic) = rest.split_once(':')?;
    Some((ws, topic))
}

/// A new topic with its opening post and notices, in one transaction.
pub async fn create_topic(
    db: &Db,
    ws: &str,
    (key, title): (&str, &str),
    post: crate::threads::repo::NewPost<'_>,
    notices: &NoticeSets,
) -> Result<(), DbError> {
    let response = db
        .query(format!(
            "BEGIN TRANSACTION;
             {OPEN_ONLY}
             CREATE type::record('council_topic', $key) CONTENT {{
                workspace: type::record('workspace', $ws), title: $title,
                author: type::record('app_user', $author)
             }};
             {}
             {MEMBER_NOTICES}
             COMMIT TRANSACTION;",
            crate::threads::repo::CREATE_POST
        ))
        .bind(("key", key.to_owned()))
        .bind(("ws", ws.to_owned()))
        .bind(("title", title.to_owned()))
        .bind(("id", post.id.to_owned()))
        .bind(("subject", post.subject.to_owned()))
        .bind(("author", post.author_id.to_string()))
        .bind(("body", post.body.to_owned()))
        .bind(("reply_to", None::<String>))
        .bind(notice_sets_binding(notices))
        .await?;
    transaction_outcome(response)
}

/// A reply in a topic with its notices (`MEMBER_NOTICES`), in one transaction that refuses a
/// workspace closed meanwhile.
pub async fn add_reply(
    db: &Db,
    ws: &str,
    post: &crate::threads::repo::NewPost<'_>,
    notices: &NoticeSets,
) -> Result<(), DbError> {
    let response = db
        .query(format!(
            "BEGIN TRANSACTION;
             {OPEN_ONLY}
             {}
             {MEMBER_NOTICES}
             COMMIT TRANSACTION;",
            crate::threads::repo::CREATE_POST
        ))
        .bind(("ws", ws.to_owned()))
        .bind(("id", post.id.to_owned()))
        .bind(("subject", post.subject.to_owned()))
        .bind(("author", post.author_id.to_string()))
        .bind(("body", post.body.to_owned()))
        .bind(("reply_to", post.reply_to.map(crate::ids::PostId::to_string)))
        .bind(notice_sets_binding(notices))
        .await?;
    transaction_outcome(response)
}

/// A workspace's topics: pinned first, then the latest post first, with post counts.
///
/// Two reads through indexes: the topics, then the workspace's posts counted per thread
/// (`post_subject`, a range of subjects `council:<ws>:`). A subquery per topic whose subject
/// is built from `$parent` read every post of every thread instead (0.4 s with 100,000 posts).
pub async fn topics(db: &Db, ws: &str) -> Result<Vec<super::views::TopicCard>, DbError> {
    #[derive(Deserialize)]
    struct Topic {
        key: String,
        title: String,
        pinned: bool,
        at: chrono::DateTime<chrono::Utc>,
    }
    #[derive(Deserialize)]
    struct Thread {
        subject: String,
        posts: u32,
        last: chrono::DateTime<chrono::Utc>,
    }
    let mut response = db
        .query(
            "SELECT record::id(id) AS key, title, pinned, at FROM council_topic
                WHERE workspace = type::record('workspace', $ws);
             SELECT subject, count() AS posts, time::max(at) AS last FROM post
                WHERE string::starts_with(subject, $prefix) GROUP BY subject;",
        )
        .bind(("ws", ws.to_owned()))
        .bind(("prefix", subject_prefix(ws)))
        .await?
        .check()?;
    let topics: Vec<Topic> = rows(&mut response, 0)?;
    let threads: std::collections::HashMap<String, Thread> = rows::<Thread>(&mut response, 1)?
        .into_iter()
        .map(|t| (t.subject.clone(), t))
        .collect();
    let prefix = subject_prefix(ws);
    let mut cards: Vec<super::views::TopicCard> = topics
        .into_iter()
        .map(|t| {
            let thread = threads.get(&format!("{prefix}{}", t.key));
            super::views::TopicCard {
                posts: thread.map_or(0, |th| th.posts),
                last_at: Timestamp(thread.map_or(t.at, |th| th.last.max(t.at))),
                key: t.key,
                title: t.title,
                pinned: t.pinned,
            }
        })
        .collect();
    cards.sort_by(|a, b| b.pinned.cmp(&a.pinned).then(b.last_at.0.cmp(&a.last_at.0)));
    Ok(cards)
}

/// Pins or unpins a topic.
pub async fn pin_topic(db: &Db, key: &str, pinned: bool) -> Result<(), DbError> {
    db.query("UPDATE type::record('council_topic', $key) SET pinned = $pinned")
        .bind(("key", key.to_owned()))
        .bind(("pinned", pinned))
        .await?
        .check()?;
    Ok(())
}

/// A meeting as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct MeetingRow {
    /// Key.
    pub key: String,
    /// Workspace key.
    pub workspace: String,
    /// Title.
    pub title: String,
    /// Start (UTC).
    pub starts_at: chrono::DateTime<chrono::Utc>,
    /// End (UTC).
    pub ends_at: chrono::DateTime<chrono::Utc>,
    /// Place.
    pub place: String,
    /// Online link.
    pub online_url: String,
    /// The 議事要旨 draft.
    pub summary_draft: String,
    /// The published 議事要旨.
    pub summary: Option<String>,
    /// When it was published.
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The calendar SEQUENCE.
    pub sequence: u32,
}

/// The fields of [`MeetingRow`] for [`one`].
pub const MEETING_FIELDS: &str = "title, starts_at, ends_at, place, online_url, summary_draft,
    summary, published_at, sequence";

/// What a new meeting holds.
pub struct NewMeeting<'a> {
    /// Key.
    pub key: &'a str,
    /// Workspace key.
    pub workspace: &'a str,
    /// Title.
    pub title: &'a str,
    /// Start and end (UTC).
    pub span: (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>),
    /// Place.
    pub place: &'a str,
    /// Online link.
    pub online_url: &'a str,
    /// Who scheduled it.
    pub author: &'a UserId,
}

/// A new meeting and its notices, in one transaction.
pub async fn create_meeting(
    db: &Db,
    m: NewMeeting<'_>,
    notices: &NoticeSets,
) -> Result<(), DbError> {
    let response = db
        .query(format!(
            "BEGIN TRANSACTION;
             {OPEN_ONLY}
             CREATE type::record('meeting', $key) CONTENT {{
                workspace: type::record('workspace', $ws), title: $title,
                starts_at: <datetime> $starts, ends_at: <datetime> $ends, place: $place,
                online_url: $online_url, author: type::record('app_user', $author)
             }};
             {MEMBER_NOTICES}
             COMMIT TRANSACTION;"
        ))
        .bind(("key", m.key.to_owned()))
        .bind(("ws", m.workspace.to_owned()))
        .bind(("title", m.title.to_owned()))
        .bind(("starts", m.span.0.to_rfc3339()))
        .bind(("ends", m.span.1.to_rfc3339()))
        .bind(("place", m.place.to_owned()))
        .bind(("online_url", m.online_url.to_owned()))
        .bind(("author", m.author.to_string()))
        .bind(notice_sets_binding(notices))
        .await?;
    transaction_outcome(response)
}

/// A workspace's meetings, the latest start first.
pub async fn meetings(db: &Db, ws: &str) -> Result<Vec<super::views::MeetingCard>, DbError> {
    let mut response = db
        .query(
            "SELECT record::id(id) AS key, title, <string> starts_at AS starts_at,
                <string> ends_at AS ends_at, published_at != NONE AS published, starts_at AS sort_at
             FROM meeting WHERE workspace = type::record('workspace', $ws) ORDER BY sort_at DESC",
        )
        .bind(("ws", ws.to_owned()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// An agenda item as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct ItemText {
    /// Key.
    pub key: String,
    /// Position.
    pub position: u32,
    /// Title, public flag, body and minutes.
    #[serde(flatten)]
    pub text: super::model::AgendaText,
}

/// A meeting's agenda items in order.
pub async fn agenda(db: &Db, meeting: &str) -> Result<Vec<ItemText>, DbError> {
    let mut response = db
        .query(
            "SELECT record::id(id) AS key, position, title, public, body, minutes
             FROM agenda_item WHERE meeting = type::record('meeting', $m) ORDER BY position",
        )
        .bind(("m", meeting.to_owned()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// Adds an agenda item at the end (the position is counted inside the transaction; two items
/// added at once both land, one after the other).
pub async fn add_agenda_item(
    db: &Db,
    meeting: &str,
    item: &super::model::AgendaText,
) -> Result<(), DbError> {
    with_retries(|| async {
        let response = db
            .query(
                "BEGIN TRANSACTION;
                 LET $m = type::record('meeting', $meeting);
                 LET $n = count(SELECT VALUE id FROM agenda_item WHERE meeting = $m);
                 CREATE agenda_item CONTENT {
                    meeting: $m, position: $n + 1, title: $title, public: $public, body: $body
                 };
                 UPDATE $m SET sequence += 1;
                 COMMIT TRANSACTION;",
            )
            .bind(("meeting", meeting.to_owned()))
            .bind(("title", item.title.clone()))
            .bind(("public", item.public))
            .bind(("body", item.body.clone()))
            .await?;
        transaction_outcome(response)
    })
    .await
}

/// An agenda item's key, workspace and 公開 flag.
#[derive(Debug, Clone, Deserialize)]
pub struct AgendaRef {
    /// Key.
    pub key: String,
    /// Its meeting's workspace key.
    pub workspace: String,
    /// 公開.
    pub public: bool,
}

/// Agenda item `key` with its workspace; `None` when there is none.
pub async fn agenda_item(db: &Db, key: &str) -> Result<Option<AgendaRef>, DbError> {
    Ok(first(
        db.query(
            "SELECT record::id(id) AS key, record::id(meeting.workspace) AS workspace, public
             FROM ONLY type::record('agenda_item', $key)",
        )
        .bind(("key", key.to_owned()))
        .await?
        .check()?,
    )?)
}

/// The meeting of agenda item `item`; `None` when there is no such item.
pub async fn meeting_of_item(db: &Db, item: &str) -> Result<Option<String>, DbError> {
    Ok(first(
        db.query("SELECT VALUE record::id(meeting) FROM ONLY type::record('agenda_item', $item)")
            .bind(("item", item.to_owned()))
            .await?
            .check()?,
    )?)
}

/// Replaces an agenda item's minutes.
pub async fn save_minutes(db: &Db, item: &str, minutes: &str) -> Result<(), DbError> {
    db.query("UPDATE type::record('agenda_item', $item) SET minutes = $minutes")
        .bind(("item", item.to_owned()))
        .bind(("minutes", minutes.to_owned()))
        .await?
        .check()?;
    Ok(())
}

/// A meeting's answers with names, by Japanese name.
pub async fn attendance(
    db: &Db,
    meeting: &str,
) -> Result<Vec<super::views::AttendanceRow>, DbError> {
    let mut response = db
        .query(
            "SELECT record::id(user) AS user,
                string::concat(user.name_ja, '（', user.organisation.name_ja, '）') AS name_ja,
                string::concat(user.name_en, ' (', user.organisation.name_en, ')') AS name_en,
                status, deputy, user.name_ja AS sort_name
             FROM attendance WHERE meeting = type::record('meeting', $m) ORDER BY sort_name",
        )
        .bind(("m", meeting.to_owned()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// Records `user`'s answer for a meeting (replacing an earlier one).
pub async fn set_attendance(
    db: &Db,
    meeting: &str,
    user: &UserId,
    status: AttendanceStatus,
    deputy: Option<&str>,
) -> Result<(), DbError> {
    with_retries(|| async {
        let response = db
            .query(
                "UPSERT type::record('attendance', [$m, $user]) SET
                    meeting = type::record('meeting', $m), user = type::record('app_user', $user),
                    status = $status, deputy = $deputy",
            )
            .bind(("m", meeting.to_owned()))
            .bind(("user", user.to_string()))
            .bind(("status", status.code()))
            .bind(("deputy", deputy.map(str::to_owned)))
            .await?;
        crate::db::checked(response).map(|_| ())
    })
    .await
}

/// Saves a meeting's 議事要旨 draft and, when `publish`, publishes it as it is.
pub async fn save_summary(
    db: &Db,
    meeting: &str,
    draft: &str,
    publish: bool,
) -> Result<(), DbError> {
    db.query(
        "UPDATE type::record('meeting', $m) SET summary_draft = $draft,
            summary = IF $publish { $draft } ELSE { summary },
            published_at = IF $publish { time::now() } ELSE { published_at }",
    )
    .bind(("m", meeting.to_owned()))
    .bind(("draft", draft.to_owned()))
    .bind(("publish", publish))
    .await?
    .check()?;
    Ok(())
}

/// Takes a meeting's 議事要旨 off the public page (the draft stays).
pub async fn withdraw_summary(db: &Db, meeting: &str) -> Result<(), DbError> {
    db.query("UPDATE type::record('meeting', $m) SET summary = NONE, published_at = NONE")
        .bind(("m", meeting.to_owned()))
        .await?
        .check()?;
    Ok(())
}

/// A proposal as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct ProposalRow {
    /// Key.
    pub key: String,
    /// Workspace key.
    pub workspace: String,
    /// Title.
    pub title: String,
    /// Markdown description.
    pub body: String,
    /// Consent or poll.
    pub kind: super::model::ProposalKind,
    /// Options.
    pub options: Vec<String>,
    /// Closing instant (UTC).
    pub closes_at: chrono::DateTime<chrono::Utc>,
    /// Quorum.
    pub quorum: Option<u32>,
    /// Anonymous.
    pub anonymous: bool,
    /// Results hidden until closing.
    pub hide_results: bool,
    /// Whose vote counts once.
    pub vote_per: super::model::VotePer,
    /// When it closed.
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The recorded outcome (JSON of [`super::model::Outcome`]).
    pub outcome: Option<String>,
}

/// The fields of [`ProposalRow`] for [`one`].
pub const PROPOSAL_FIELDS: &str = "title, body, kind, options, closes_at, quorum, anonymous,
    hide_results, vote_per, closed_at, outcome";

/// What a new proposal holds.
pub struct NewProposal<'a> {
    /// Key.
    pub key: &'a str,
    /// Workspace key.
    pub workspace: &'a str,
    /// Title and Markdown description.
    pub text: (&'a str, &'a str),
    /// Consent or poll.
    pub kind: super::model::ProposalKind,
    /// Options.
    pub options: &'a [String],
    /// Closing instant (UTC).
    pub closes_at: chrono::DateTime<chrono::Utc>,
    /// Quorum.
    pub quorum: Option<u32>,
    /// Anonymous, results hidden.
    pub anonymous: bool,
    /// Results hidden until closing.
    pub hide_results: bool,
    /// Whose vote counts once.
    pub vote_per: super::model::VotePer,
    /// Who proposed it.
    pub author: &'a UserId,
}

/// A new proposal and its notices, in one transaction.
pub async fn create_proposal(
    db: &Db,
    p: NewProposal<'_>,
    notices: &NoticeSets,
) -> Result<(), DbError> {
    let response = db
        .query(format!(
            "BEGIN TRANSACTION;
             {OPEN_ONLY}
             CREATE type::record('proposal', $key) CONTENT {{
                workspace: type::record('workspace', $ws), title: $title, body: $body, kind: $kind,
                options: $options, closes_at: <datetime> $closes_at, quorum: $quorum,
                anonymous: $anonymous, hide_results: $hide_results, vote_per: $vote_per,
                author: type::record('app_user', $author)
             }};
             {MEMBER_NOTICES}
             COMMIT TRANSACTION;"
        ))
        .bind(("key", p.key.to_owned()))
        .bind(("ws", p.workspace.to_owned()))
        .bind(("title", p.text.0.to_owned()))
        .bind(("body", p.text.1.to_owned()))
        .bind(("kind", p.kind.code()))
        .bind(("options", p.options.to_vec()))
        .bind(("closes_at", p.closes_at.to_rfc3339()))
        .bind(("quorum", p.quorum))
        .bind(("anonymous", p.anonymous))
        .bind(("hide_results", p.hide_results))
        .bind(("vote_per", p.vote_per.code()))
        .bind(("author", p.author.to_string()))
        .bind(notice_sets_binding(notices))
        .await?;
    transaction_outcome(response)
}

/// A workspace's proposals: open first, then the latest closing first.
pub async fn proposals(db: &Db, ws: &str) -> Result<Vec<super::views::ProposalCard>, DbError> {
    let mut response = db
        .query(
            "SELECT record::id(id) AS key, title, <string> closes_at AS closes_at,
                closed_at != NONE OR closes_at <= time::now() AS closed, closes_at AS sort_at
             FROM proposal WHERE workspace = type::record('workspace', $ws)
             ORDER BY closed, sort_at DESC",
        )
        .bind(("ws", ws.to_owned()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// A vote as stored, with names.
#[derive(Debug, Clone, Deserialize)]
pub struct VoteRow {
    /// `user:<key>` or `organisation:<key>`.
    pub voter: String,
    /// The voter's names (a person or an organisation).
    pub voter_name: (String, String),
    /// Option index.
    pub option: usize,
    /// Who cast it (user key).
    pub cast_by: String,
    /// Its caster's names.
    pub cast_by_name: (String, String),
    /// Cast by a deputy.
    pub deputy: bool,
}

/// A proposal's votes, in the order cast.
pub async fn votes(db: &Db, proposal: &str) -> Result<Vec<VoteRow>, DbError> {
    let mut response = db
        .query(
            "SELECT voter, option, record::id(cast_by) AS cast_by, deputy,
                [cast_by.name_ja, cast_by.name_en] AS cast_by_name,
                IF voter_user != NONE { [voter_user.name_ja, voter_user.name_en] }
                    ELSE { [voter_org.name_ja, voter_org.name_en] } AS voter_name, at
             FROM vote WHERE proposal = type::record('proposal', $p) ORDER BY at",
        )
        .bind(("p", proposal.to_owned()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// Why a vote was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteRefusal {
    /// The proposal closed (by server time, or early).
    Closed,
    /// A deputy's vote would replace the member's own vote.
    OwnVote,
}

/// Records a vote for `voter` (replacing its earlier vote), checked inside the transaction
/// against the closing instant by the database's clock and an early close. Every vote also
/// writes the proposal's row, so a vote and the closing never both commit in the wrong order:
/// no vote is acknowledged and then left out of the outcome.
pub async fn cast_vote(
    db: &Db,
    proposal: &str,
    voter: &str,
    option: usize,
    cast_by: &UserId,
    deputy: bool,
) -> Result<Result<(), VoteRefusal>, DbError> {
    let outcome = with_retries(|| async {
        let response = db
            .query(
                "BEGIN TRANSACTION;
                 LET $p = type::record('proposal', $proposal);
                 IF $p.workspace.closed_at != NONE { THROW 'workspace_closed' };
                 IF $p.closed_at != NONE OR $p.closes_at <= time::now() { THROW 'proposal_closed' };
                 IF $deputy AND type::record('vote', [$proposal, $voter]).deputy = false { THROW 'own_vote' };
                 UPDATE $p SET votes_version = (votes_version ?? 0) + 1;
                 UPSERT type::record('vote', [$proposal, $voter]) SET proposal = $p, voter = $voter,
                    option = $option, cast_by = type::record('app_user', $cast_by), deputy = $deputy,
                    voter_user = IF string::starts_with($voter, 'user:') {
                        type::record('app_user', string::split($voter, ':')[1]) } ELSE { NONE },
                    voter_org = IF string::starts_with($voter, 'organisation:') {
                        type::record('organisation', string::split($voter, ':')[1]) } ELSE { NONE };
                 COMMIT TRANSACTION;",
            )
            .bind(("proposal", proposal.to_owned()))
            .bind(("voter", voter.to_owned()))
            .bind(("option", option))
            .bind(("cast_by", cast_by.to_string()))
            .bind(("deputy", deputy))
            .await?;
        transaction_outcome(response)
    })
    .await;
    match outcome {
        Ok(()) => Ok(Ok(())),
        Err(e) if e.is_thrown("proposal_closed") => Ok(Err(VoteRefusal::Closed)),
        Err(e) if e.is_thrown("own_vote") => Ok(Err(VoteRefusal::OwnVote)),
        Err(e) => Err(e),
    }
}

/// Closes a proposal now (if not yet closed), notifying in the same transaction (only the
/// call that closes it notifies). Votes racing with it either commit before (and count) or
/// see it closed.
pub async fn close_proposal(
    db: &Db,
    ws: &str,
    proposal: &str,
    notices: &NoticeSets,
) -> Result<(), DbError> {
    with_retries(|| async {
        let response = db
            .query(format!(
                "BEGIN TRANSACTION;
                 LET $p = type::record('proposal', $proposal);
                 IF $p.closed_at = NONE {{
                    UPDATE $p SET closed_at = time::now(), votes_version = (votes_version ?? 0) + 1;
                    {MEMBER_NOTICES}
                 }};
                 COMMIT TRANSACTION;"
            ))
            .bind(("proposal", proposal.to_owned()))
            .bind(("ws", ws.to_owned()))
            .bind(notice_sets_binding(notices))
            .await?;
        transaction_outcome(response)
    })
    .await
}

/// Records a closed proposal's outcome (once: an outcome already there stays).
pub async fn record_outcome(db: &Db, proposal: &str, outcome: &str) -> Result<(), DbError> {
    db.query(
        "UPDATE type::record('proposal', $p) SET outcome = $outcome
         WHERE outcome = NONE AND closed_at != NONE",
    )
    .bind(("p", proposal.to_owned()))
    .bind(("outcome", outcome.to_owned()))
    .await?
    .check()?;
    Ok(())
}

/// What a new training session holds.
pub struct NewTraining<'a> {
    /// Key.
    pub key: &'a str,
    /// Workspace key.
    pub workspace: &'a str,
    /// Title and Markdown description.
    pub text: (&'a str, &'a str),
    /// Start and registration deadline (UTC).
    pub times: (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>),
    /// Seats.
    pub capacity: u32,
    /// Who announced it.
    pub author: &'a UserId,
}

/// A new training session and its notices, in one transaction.
pub async fn create_training(
    db: &Db,
    t: NewTraining<'_>,
    notices: &NoticeSets,
) -> Result<(), DbError> {
    let response = db
        .query(format!(
            "BEGIN TRANSACTION;
             {OPEN_ONLY}
             CREATE type::record('training', $key) CONTENT {{
                workspace: type::record('workspace', $ws), title: $title, body: $body,
                starts_at: <datetime> $starts, deadline: <datetime> $deadline,
                capacity: $capacity, author: type::record('app_user', $author)
             }};
             {MEMBER_NOTICES}
             COMMIT TRANSACTION;"
        ))
        .bind(("key", t.key.to_owned()))
        .bind(("ws", t.workspace.to_owned()))
        .bind(("title", t.text.0.to_owned()))
        .bind(("body", t.text.1.to_owned()))
        .bind(("starts", t.times.0.to_rfc3339()))
        .bind(("deadline", t.times.1.to_rfc3339()))
        .bind(("capacity", t.capacity))
        .bind(("author", t.author.to_string()))
        .bind(notice_sets_binding(notices))
        .await?;
    transaction_outcome(response)
}

/// A training session as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct TrainingRow {
    /// Key.
    pub key: String,
    /// Workspace key.
    pub workspace: String,
    /// Title.
    pub title: String,
    /// Markdown description.
    pub body: String,
    /// Start (UTC).
    pub starts_at: chrono::DateTime<chrono::Utc>,
    /// Registration deadline (UTC).
    pub deadline: chrono::DateTime<chrono::Utc>,
    /// Seats.
    pub capacity: u32,
    /// Seats taken.
    pub registered: u32,
}

/// The fields of [`TrainingRow`] for [`one`].
pub const TRAINING_FIELDS: &str = "title, body, starts_at, deadline, capacity, registered";

/// A workspace's training sessions, the latest start first.
pub async fn trainings(db: &Db, ws: &str) -> Result<Vec<super::views::TrainingCard>, DbError> {
    let mut response = db
        .query(
            "SELECT record::id(id) AS key, title, <string> starts_at AS starts_at, capacity,
                registered, starts_at AS sort_at
             FROM training WHERE workspace = type::record('workspace', $ws) ORDER BY sort_at DESC",
        )
        .bind(("ws", ws.to_owned()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// A registration with the person's names.
#[derive(Debug, Clone, Deserialize)]
pub struct RegistrationRow {
    /// User key.
    pub user: String,
    /// Names (Japanese with organisation, English with organisation).
    pub name: (String, String),
    /// Seat or waiting list.
    pub status: RegistrationStatus,
}

/// A training session's registrations: seats first, each list in sign-up order.
pub async fn registrations(db: &Db, training: &str) -> Result<Vec<RegistrationRow>, DbError> {
    let mut response = db
        .query(
            "SELECT record::id(user) AS user, status, at,
                [string::concat(user.name_ja, '（', user.organisation.name_ja, '）'),
                 string::concat(user.name_en, ' (', user.organisation.name_en, ')')] AS name,
                status = 'waiting' AS later
             FROM registration WHERE training = type::record('training', $t) ORDER BY later, at",
        )
        .bind(("t", training.to_owned()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// Why a registration was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationRefusal {
    /// Past the deadline (by the database's clock).
    Closed,
    /// Already registered or waiting.
    Already,
}

/// Registers `user`: a seat while seats are left, else a place on the waiting list. The
/// seat count is read and written in the transaction, so simultaneous sign-ups serialize on
/// the training's row and never exceed its capacity. Returns the status given.
pub async fn register(
    db: &Db,
    training: &str,
    user: &UserId,
) -> Result<Result<RegistrationStatus, RegistrationRefusal>, DbError> {
    let outcome = with_retries(|| async {
        let response = db
            .query(
                "BEGIN TRANSACTION;
                 LET $t = type::record('training', $training);
                 IF $t.workspace.closed_at != NONE { THROW 'workspace_closed' };
                 IF $t.deadline < time::now() { THROW 'registration_closed' };
                 IF (SELECT VALUE id FROM registration WHERE training = $t AND user = type::record('app_user', $user)) != [] {
                    THROW 'already_registered'
                 };
                 LET $seat = $t.registered < $t.capacity;
                 UPDATE $t SET registered = IF $seat { registered + 1 } ELSE { registered };
                 CREATE type::record('registration', [$training, $user]) CONTENT {
                    training: $t, user: type::record('app_user', $user),
                    status: IF $seat { 'registered' } ELSE { 'waiting' }
                 };
                 COMMIT TRANSACTION;",
            )
            .bind(("training", training.to_owned()))
            .bind(("user", user.to_string()))
            .await?;
        transaction_outcome(response)
    })
    .await;
    match outcome {
        Ok(()) => {
            let status: Option<RegistrationStatus> = first(
                db.query("SELECT VALUE status FROM ONLY type::record('registration', [$training, $user])")
                    .bind(("training", training.to_owned()))
                    .bind(("user", user.to_string()))
                    .await?
                    .check()?,
            )?;
            status
                .map(Ok)
                .ok_or_else(|| DbError::other("a registration just written is missing"))
        }
        Err(e) if e.is_thrown("registration_closed") => Ok(Err(RegistrationRefusal::Closed)),
        Err(e)
            if e.is_thrown("already_registered") || e.to_string().contains("registration_once") =>
        {
            Ok(Err(RegistrationRefusal::Already))
        }
        Err(e) => Err(e),
    }
}

/// Cancels `user`'s registration; a freed seat goes to the first on the waiting list, who
/// gets `notice`, in the same transaction.
pub async fn cancel_registration(
    db: &Db,
    training: &str,
    user: &UserId,
    notice: &Notice,
) -> Result<(), DbError> {
    with_retries(|| async {
        let response = db
            .query(
                "BEGIN TRANSACTION;
                 LET $t = type::record('training', $training);
                 LET $gone = (DELETE type::record('registration', [$training, $user]) RETURN BEFORE);
                 LET $freed = $gone != [] AND $gone[0].status = 'registered';
                 LET $next = IF $freed {
                    (SELECT id, at, user FROM registration WHERE training = $t AND status = 'waiting' ORDER BY at LIMIT 1)[0]
                 } ELSE { NONE };
                 LET $members = (SELECT VALUE member FROM workspace_member WHERE workspace = $t.workspace);
                 IF $next != NONE {
                    UPDATE $next.id SET status = 'registered';
                 };
                 -- Told if they still read the workspace: council-wide and open, or a member.
                 IF $next != NONE AND (($t.workspace.visibility = 'council' AND $t.workspace.closed_at = NONE)
                    OR string::concat('user:', record::id($next.user)) IN $members
                    OR string::concat('organisation:', record::id($next.user.organisation)) IN $members) {
                    CREATE notice CONTENT {
                        recipient: $next.user, kind: $notice.kind, subject: $notice.subject,
                        link: $notice.link, text_ja: $notice.text_ja, text_en: $notice.text_en,
                        excerpt: $notice.excerpt, group_key: $notice.group.key,
                        group_ja: $notice.group.ja, group_en: $notice.group.en
                    };
                 };
                 UPDATE $t SET registered = IF $freed AND $next = NONE { registered - 1 } ELSE { registered };
                 COMMIT TRANSACTION;",
            )
            .bind(("training", training.to_owned()))
            .bind(("user", user.to_string()))
            .bind(("notice", crate::db::to_value(notice)))
            .await?;
        transaction_outcome(response)
    })
    .await
}

/// A thing in a workspace that matches a search.
#[derive(Debug, Clone, Deserialize)]
pub struct SearchRow {
    /// `topic`, `post`, `meeting`, `agenda_item` or `proposal`.
    pub kind: String,
    /// Its page.
    pub link: String,
    /// Its title (a post's topic; an agenda item's meeting and item).
    pub title: String,
    /// Its workspace's key.
    pub workspace: String,
    /// The matched text.
    pub text: String,
    /// 公開 (always true but for a 非公開 agenda item).
    pub public: bool,
    /// BM25 relevance.
    pub score: f64,
    /// When written.
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What in workspaces `ws` matches `q` (full-text, [`crate::search`]): topics, posts, meetings,
/// agenda items (with their 公開 flag: the caller filters) and proposals, at most 200 of each.
pub async fn search(db: &Db, q: &str, ws: &[String]) -> Result<Vec<SearchRow>, DbError> {
    let mut response = db
        .query(
            "SELECT 'post' AS kind, string::concat('/council/topics/', string::split(subject, ':')[2], '#comment-', record::id(id)) AS link,
                type::record('council_topic', string::split(subject, ':')[2]).title ?? '' AS title,
                string::split(subject, ':')[1] AS workspace, body AS text, true AS public,
                search::score(1) AS score, at
             FROM post WHERE body @1@ $q AND string::starts_with(subject, 'council:')
                AND string::split(subject, ':')[1] IN $ws ORDER BY score DESC LIMIT 200;
             SELECT 'topic' AS kind, string::concat('/council/topics/', record::id(id)) AS link, title,
                record::id(workspace) AS workspace, title AS text, true AS public, search::score(1) AS score, at
             FROM council_topic WHERE title @1@ $q AND record::id(workspace) IN $ws ORDER BY score DESC LIMIT 200;
             SELECT 'meeting' AS kind, string::concat('/council/meetings/', record::id(id)) AS link, title,
                record::id(workspace) AS workspace, title AS text, true AS public, search::score(1) AS score, starts_at AS at
             FROM meeting WHERE title @1@ $q AND record::id(workspace) IN $ws ORDER BY score DESC LIMIT 200;
             SELECT 'agenda_item' AS kind, string::concat('/council/meetings/', record::id(meeting), '#item-', record::id(id)) AS link,
                string::concat(meeting.title, ' · ', title) AS title, record::id(meeting.workspace) AS workspace,
                search_text AS text, public, search::score(1) AS score, meeting.starts_at AS at
             FROM agenda_item WHERE search_text @1@ $q AND record::id(meeting.workspace) IN $ws ORDER BY score DESC LIMIT 200;
             SELECT 'proposal' AS kind, string::concat('/council/proposals/', record::id(id)) AS link, title,
                record::id(workspace) AS workspace, search_text AS text, true AS public, search::score(1) AS score, at
             FROM proposal WHERE search_text @1@ $q AND record::id(workspace) IN $ws ORDER BY score DESC LIMIT 200;",
        )
        .bind(("q", crate::search::model::grams(q)))
        .bind(("ws", ws.to_vec()))
        .await?
        .check()?;
    let mut found = Vec::new();
    for statement in 0..5 {
        found.extend(rows::<SearchRow>(&mut response, statement)?);
    }
    Ok(found)
}
