//! The council's server functions: each is a public POST endpoint under `/api/` that finds the
//! caller ([`crate::auth::request::signed_in`]), reads the workspace and the caller's role in
//! it, asks the policy ([`crate::policy::may_read_workspace`] and friends), checks the input
//! with the model's rules and writes through the repo in one transaction with its notices.
//!
//! Errors, for every function: [`AppError::Unauthenticated`] when signed out (except the
//! public summary); [`AppError::NotFound`] for a workspace, or anything in one, that the caller
//! may not read (a private group does not tell outsiders it exists); [`AppError::Forbidden`]
//! for a reader who may not do this; [`AppError::Rejected`] naming the field for bad input.

use super::views::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::model::{self as model, WorkspaceRole, WorkspaceVisibility},
    super::repo,
    crate::auth::model::CurrentUser,
    crate::i18n::Lang,
    crate::ids::{Timestamp, UserId},
    crate::notifications::model::Notice,
    crate::policy::{self, WorkspaceAccess},
    crate::state::AppState,
};

/// A record key from a form or a path: 1–64 ASCII letters, digits or `_`; anything else is
/// not found.
#[cfg(feature = "ssr")]
fn key(id: &str) -> Result<String, AppError> {
    crate::ids::PostId::parse(id)
        .map(|k| k.to_string())
        .ok_or(AppError::NotFound)
}

/// A one-line text field: NFC, cleaned, trimmed, 1..=`max` characters (0 allowed when not
/// `required`).
#[cfg(feature = "ssr")]
fn line(field: &str, raw: &str, max: usize, required: bool) -> Result<String, AppError> {
    let text = crate::text::clean_line(&crate::text::nfc(raw))
        .trim()
        .to_owned();
    let n = text.chars().count();
    if required && n == 0 {
        return Err(AppError::rejected(field, |l| {
            l.pick("入力してください。", "Please fill this in.")
                .to_owned()
        }));
    }
    if n > max {
        return Err(too_long(field, max, n));
    }
    Ok(text)
}

/// Field `field` is `n` characters, over `max`.
#[cfg(feature = "ssr")]
fn too_long(field: &str, max: usize, n: usize) -> AppError {
    AppError::rejected(field, |l| match l {
        Lang::Ja => format!("{max}文字以内にしてください（{n}文字）。"),
        Lang::En => format!("At most {max} characters ({n})."),
    })
}

/// A Markdown field: NFC, line breaks cleaned, trimmed, at most `max` characters (may be
/// empty).
#[cfg(feature = "ssr")]
fn markdown(field: &str, raw: &str, max: usize) -> Result<String, AppError> {
    let text = crate::text::clean_multiline(&crate::text::nfc(raw))
        .trim()
        .to_owned();
    let n = text.chars().count();
    if n > max {
        return Err(too_long(field, max, n));
    }
    Ok(text)
}

/// A `datetime-local` field read as Japan time.
#[cfg(feature = "ssr")]
fn instant(field: &str, value: &str) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    let now = chrono::Utc::now();
    let sane = |t: &chrono::DateTime<chrono::Utc>| {
        *t > now - chrono::Duration::days(366) && *t < now + chrono::Duration::days(5 * 366)
    };
    crate::i18n::parse_jst_local(value).filter(sane).ok_or_else(|| {
        AppError::rejected(field, |l| {
            l.pick(
                "日時を「2026-12-03 17:00」の形で、1年前から5年後までの範囲で入力してください（日本時間）。",
                "Enter a date and time such as 2026-12-03 17:00 (Japan time), from a year ago to five years ahead.",
            )
            .to_owned()
        })
    })
}

/// A checkbox: ticked when it sent `1`, `on` or `true`.
#[cfg(feature = "ssr")]
fn ticked(value: &str) -> bool {
    matches!(value.trim(), "1" | "on" | "true")
}

/// A workspace as the caller meets it: its row and what the policy needs.
#[cfg(feature = "ssr")]
struct Place {
    row: repo::WorkspaceRow,
    access: WorkspaceAccess,
}

/// Workspace `ws` if the caller may read it ([`AppError::NotFound`] otherwise).
#[cfg(feature = "ssr")]
async fn reader_place(state: &AppState, user: &CurrentUser, ws: &str) -> Result<Place, AppError> {
    let ws = key(ws)?;
    let row = repo::workspace(&state.db, &ws, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = access_of(&row);
    if !policy::may_read_workspace(user, &access) {
        return Err(AppError::NotFound);
    }
    Ok(Place { row, access })
}

/// The workspaces the caller may read, the council first.
#[cfg(feature = "ssr")]
async fn readable(state: &AppState, user: &CurrentUser) -> Result<Vec<Place>, AppError> {
    Ok(repo::workspaces(&state.db, user)
        .await?
        .into_iter()
        .map(|row| Place {
            access: access_of(&row),
            row,
        })
        .filter(|p| policy::may_read_workspace(user, &p.access))
        .collect())
}

/// What the policy needs from a workspace read for the caller.
#[cfg(feature = "ssr")]
fn access_of(row: &repo::WorkspaceRow) -> WorkspaceAccess {
    WorkspaceAccess {
        visibility: row.visibility,
        closed: row.closed,
        role: model::strongest(row.roles.iter().copied()),
    }
}

/// [`AppError::Forbidden`] unless `allowed`.
#[cfg(feature = "ssr")]
fn require(allowed: bool) -> Result<(), AppError> {
    allowed.then_some(()).ok_or(AppError::Forbidden)
}

/// A notice about something in workspace `ws`: subject `council:<ws>:<thing>`, filed under
/// the workspace in the daily digest.
#[cfg(feature = "ssr")]
fn notice(
    kind: &str,
    ws: &repo::WorkspaceRow,
    thing: &str,
    link: String,
    text: (String, String),
    excerpt: &str,
) -> Notice {
    Notice::new(
        kind,
        format!("{}{thing}", repo::subject_prefix(&ws.key)),
        link,
        text,
        excerpt,
    )
    .in_group(crate::notifications::model::NoticeGroup {
        key: ws.key.clone(),
        ja: ws.name_ja.clone(),
        en: ws.name_en.clone(),
    })
}

/// Everyone active in workspace `ws` but `except` (user keys).
#[cfg(feature = "ssr")]
async fn audience(state: &AppState, ws: &str, except: &UserId) -> Result<Vec<UserId>, AppError> {
    Ok(repo::people(&state.db, ws)
        .await?
        .into_iter()
        .filter(|p| p.key != except.as_str())
        .map(|p| UserId::from(p.key))
        .collect())
}

/// A record of `table` in a workspace the caller may read, with the workspace.
#[cfg(feature = "ssr")]
async fn item<T: serde::de::DeserializeOwned + HasWorkspace>(
    state: &AppState,
    user: &CurrentUser,
    table: &str,
    id: &str,
    fields: &str,
) -> Result<(T, Place), AppError> {
    let id = key(id)?;
    let row: T = repo::one(&state.db, table, &id, fields)
        .await?
        .ok_or(AppError::NotFound)?;
    let place = reader_place(state, user, row.workspace()).await?;
    Ok((row, place))
}

/// A stored row that belongs to a workspace.
#[cfg(feature = "ssr")]
trait HasWorkspace {
    fn workspace(&self) -> &str;
}

#[cfg(feature = "ssr")]
macro_rules! has_workspace {
    ($($t:ty),+) => { $(impl HasWorkspace for $t { fn workspace(&self) -> &str { &self.workspace } })+ };
}
#[cfg(feature = "ssr")]
has_workspace!(
    repo::TopicRow,
    repo::ItemRow,
    repo::MeetingRow,
    repo::ProposalRow,
    repo::TrainingRow
);

#[cfg(feature = "ssr")]
fn names(row: &repo::WorkspaceRow) -> (String, String, String) {
    (row.key.clone(), row.name_ja.clone(), row.name_en.clone())
}

/// The workspace's card for the caller.
#[cfg(feature = "ssr")]
async fn card(state: &AppState, user: &CurrentUser, p: &Place) -> Result<WorkspaceCard, AppError> {
    let members = repo::people(&state.db, &p.row.key).await?.len();
    Ok(WorkspaceCard {
        key: p.row.key.clone(),
        name_ja: p.row.name_ja.clone(),
        name_en: p.row.name_en.clone(),
        visibility: p.row.visibility,
        closed: p.row.closed,
        role: p.access.role,
        requested: p.row.requested,
        may_request: policy::may_request_join(user, &p.access) && !p.row.requested,
        members: u32::try_from(members).unwrap_or(u32::MAX),
    })
}

/// The workspaces the caller may read (POST `/api/list_workspaces`): the council first.
#[server(prefix = "/api", endpoint = "list_workspaces")]
pub async fn list_workspaces() -> Result<WorkspacesView, AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let mut workspaces = Vec::new();
    for p in readable(&state, &user).await? {
        workspaces.push(card(&state, &user, &p).await?);
    }
    Ok(WorkspacesView {
        workspaces,
        may_create: policy::may_create_workspace(&user),
    })
}

/// A workspace with its members, feed, topics, meetings, proposals and training sessions (POST
/// `/api/get_workspace`, fields `id` and, for its managers, `people`: a name to find people to
/// add by, up to 100 characters, control characters dropped; longer is cut).
#[server(prefix = "/api", endpoint = "get_workspace")]
pub async fn get_workspace(
    id: String,
    #[server(default)] people: String,
) -> Result<WorkspaceView, AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let p = reader_place(&state, &user, &id).await?;
    let ws = p.row.key.clone();
    let db = &state.db;
    let may_manage = policy::may_manage_workspace(&user, &p.access);
    let members = repo::members(db, &ws).await?;
    let may_leave = !p.row.closed
        && members
            .iter()
            .any(|m| m.kind == "user" && m.key == user.id.as_str());
    let mut candidates = Vec::new();
    let mut join_requests = Vec::new();
    let people_query: String = people
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    if may_manage {
        if !people_query.is_empty() {
            candidates =
                repo::find_active_users(db, &people_query, super::views::PEOPLE_FOUND_MAX).await?;
        }
        candidates.extend(state.catalog.organisations.iter().map(|o| Candidate {
            kind: "organisation".into(),
            key: o.key.clone(),
            name_ja: o.name_ja.clone(),
            name_en: o.name_en.clone(),
        }));
        join_requests = repo::join_requests(db, &ws).await?;
    }
    Ok(WorkspaceView {
        card: card(&state, &user, &p).await?,
        description_html: crate::markdown::render(&p.row.description),
        members,
        activity: repo::activity(db, &ws, 20).await?,
        topics: repo::topics(db, &ws).await?,
        meetings: repo::meetings(db, &ws).await?,
        proposals: repo::proposals(db, &ws).await?,
        trainings: repo::trainings(db, &ws).await?,
        may_post: policy::may_take_part(&user, &p.access),
        may_manage,
        may_leave,
        candidates,
        people_query: if may_manage {
            people_query
        } else {
            String::new()
        },
        join_requests,
    })
}

/// Creates a working group (POST `/api/create_workspace`: `name_ja` 1–200 characters,
/// `name_en` up to 200, `description` Markdown up to 10,000, `visibility` `council` or
/// `private`); the creator becomes its secretariat. Tokyo officers and administrators only.
/// Redirects to `/council/<key>?created=1`.
#[server(prefix = "/api", endpoint = "create_workspace")]
pub async fn create_workspace(
    name_ja: String,
    #[server(default)] name_en: String,
    #[server(default)] description: String,
    visibility: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    require(policy::may_create_workspace(&user))?;
    let name_ja = line("name_ja", &name_ja, model::TITLE_MAX_CHARS, true)?;
    let name_en = line("name_en", &name_en, model::TITLE_MAX_CHARS, false)?;
    let description = markdown("description", &description, 10_000)?;
    let visibility = WorkspaceVisibility::from_code(&visibility).ok_or(AppError::Invalid {
        field: "visibility".into(),
        reason: "not council or private".into(),
    })?;
    let ws = crate::ids::random_key();
    repo::create_workspace(
        &state.db,
        &ws,
        (&name_ja, &name_en, &description),
        visibility,
        &user.id,
    )
    .await?;
    tracing::info!(user = %user.id, workspace = %ws, "workspace created");
    leptos_axum::redirect(&format!("/council/{ws}?created=1"));
    Ok(())
}

/// A member key from a form: `user:<key>` of an active user or `organisation:<key>` of a known
/// organisation. Errors: [`AppError::Rejected`] on field `member`.
#[cfg(feature = "ssr")]
async fn member_key(state: &AppState, member: &str) -> Result<String, AppError> {
    let unknown = || {
        AppError::rejected("member", |l| {
            l.pick(
                "追加する人または団体を選んでください。",
                "Choose a person or an organisation to add.",
            )
            .to_owned()
        })
    };
    let (kind, k) = member.trim().split_once(':').ok_or_else(unknown)?;
    let k = key(k).map_err(|_| unknown())?;
    let known = match kind {
        "user" => crate::auth::repo::active_user(&state.db, &state.catalog, &k)
            .await?
            .is_some(),
        "organisation" => state.catalog.organisation(&k).is_some(),
        _ => false,
    };
    if !known {
        return Err(unknown());
    }
    Ok(format!("{kind}:{k}"))
}

/// A role from a form. Errors: [`AppError::Invalid`] on field `role`.
#[cfg(feature = "ssr")]
fn role_of(role: &str) -> Result<WorkspaceRole, AppError> {
    WorkspaceRole::from_code(role).ok_or(AppError::Invalid {
        field: "role".into(),
        reason: "not a workspace role".into(),
    })
}

/// Adds a person or an organisation to a workspace, or changes their role (POST
/// `/api/add_member`: `workspace`, `member` = `user:<key>` or `organisation:<key>`, `role`).
/// The chair and the secretariat only. The added person (or the organisation's people) are
/// notified. Redirects to `/council/<ws>?members=1`.
#[server(prefix = "/api", endpoint = "add_member")]
pub async fn add_member(workspace: String, member: String, role: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let p = reader_place(&state, &user, &workspace).await?;
    require(policy::may_manage_workspace(&user, &p.access))?;
    let member = member_key(&state, &member).await?;
    let role = role_of(&role)?;
    repo::add_member(&state.db, &p.row.key, &member, role)
        .await
        .map_err(refusal)?;
    tracing::info!(user = %user.id, workspace = %p.row.key, %member, role = role.code(), "member added");
    leptos_axum::redirect(&format!("/council/{}?members=1", p.row.key));
    Ok(())
}

/// Removes a person or an organisation (POST `/api/remove_member`: `workspace`, `member`).
/// The chair and the secretariat only. Access ends at once; in a private workspace the removed
/// people's notices of it go in the same transaction. Refused ([`AppError::Rejected`] on
/// `member`) when it would leave the workspace without a chair or secretariat.
#[server(prefix = "/api", endpoint = "remove_member")]
pub async fn remove_member(workspace: String, member: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let p = reader_place(&state, &user, &workspace).await?;
    require(policy::may_manage_workspace(&user, &p.access))?;
    let member = member.trim().to_owned();
    let members = repo::members(&state.db, &p.row.key).await?;
    let is = |m: &MemberRow| format!("{}:{}", m.kind, m.key) == member;
    if !members.iter().any(is) {
        return Err(AppError::NotFound);
    }
    if !members.iter().any(|m| !is(m) && m.role.manages()) {
        return Err(last_manager());
    }
    repo::remove_member(&state.db, &p.row.key, &member)
        .await
        .map_err(refusal)?;
    tracing::info!(user = %user.id, workspace = %p.row.key, %member, "member removed");
    leptos_axum::redirect(&format!("/council/{}?members=1", p.row.key));
    Ok(())
}

/// A database refusal inside a write as the caller's error: a workspace closed meanwhile is
/// [`AppError::Forbidden`], the last manager's removal [`last_manager`]; anything else as it is.
#[cfg(feature = "ssr")]
fn refusal(e: crate::db::DbError) -> AppError {
    if e.is_thrown("workspace_closed") {
        AppError::Forbidden
    } else if e.is_thrown("last_manager") {
        last_manager()
    } else {
        e.into()
    }
}

#[cfg(feature = "ssr")]
fn last_manager() -> AppError {
    AppError::rejected("member", |l| {
        l.pick(
            "座長または事務局が1人もいなくなるため、できません。先に別の人を事務局に加えてください。",
            "This would leave no chair or secretariat. Add someone else as secretariat first.",
        )
        .to_owned()
    })
}

/// Asks to join a council-wide workspace (POST `/api/request_join`, field `workspace`); its
/// managers are notified. Redirects to `/council/<ws>?requested=1`.
#[server(prefix = "/api", endpoint = "request_join")]
pub async fn request_join(workspace: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let p = reader_place(&state, &user, &workspace).await?;
    require(policy::may_request_join(&user, &p.access))?;
    let ws = &p.row.key;
    if !p.row.requested {
        let managers: Vec<UserId> = repo::people(&state.db, ws)
            .await?
            .into_iter()
            .filter(|m| m.roles.iter().any(|r| r.manages()))
            .map(|m| UserId::from(m.key))
            .collect();
        let n = notice(
            "join_request",
            &p.row,
            "members",
            format!("/council/{ws}#members"),
            (
                format!(
                    "{}さんが「{}」への参加を申請しました",
                    user.name_ja, p.row.name_ja
                ),
                format!("{} asked to join “{}”", user.name_en, p.row.name_en),
            ),
            "",
        );
        repo::request_join(&state.db, ws, &user.id, &[(n, managers)])
            .await
            .map_err(refusal)?;
    }
    leptos_axum::redirect(&format!("/council/{ws}?requested=1"));
    Ok(())
}

/// Answers a request to join (POST `/api/answer_join`: `workspace`, `user`, `accept` `1` or
/// `0`): accepting adds the person as a member. The chair and the secretariat only.
#[server(prefix = "/api", endpoint = "answer_join")]
pub async fn answer_join(workspace: String, user: String, accept: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn {
        state,
        user: caller,
    } = crate::auth::request::signed_in().await?;
    let p = reader_place(&state, &caller, &workspace).await?;
    require(policy::may_manage_workspace(&caller, &p.access))?;
    let asker = key(&user)?;
    let ws = &p.row.key;
    let accept = ticked(&accept);
    let n = notice(
        "join_accepted",
        &p.row,
        "members",
        format!("/council/{ws}"),
        (
            format!("「{}」への参加が承認されました", p.row.name_ja),
            format!("You are now a member of “{}”", p.row.name_en),
        ),
        "",
    );
    let sets = [(n, vec![UserId::from(asker.as_str())])];
    if !repo::answer_join(&state.db, ws, &asker, accept, &sets)
        .await
        .map_err(refusal)?
    {
        return Err(AppError::NotFound);
    }
    tracing::info!(user = %caller.id, workspace = %ws, asker = %asker, "join request answered");
    leptos_axum::redirect(&format!("/council/{ws}?members=1"));
    Ok(())
}

/// Leaves a workspace one is a member of in person (POST `/api/leave_workspace`, field
/// `workspace`); access through one's organisation stays. The last chair or secretariat may not
/// leave. Redirects to `/council?left=1`.
#[server(prefix = "/api", endpoint = "leave_workspace")]
pub async fn leave_workspace(workspace: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let p = reader_place(&state, &user, &workspace).await?;
    let me = format!("user:{}", user.id);
    let members = repo::members(&state.db, &p.row.key).await?;
    let is_me = |m: &MemberRow| format!("{}:{}", m.kind, m.key) == me;
    require(!p.row.closed && members.iter().any(is_me))?;
    if !members.iter().any(|m| !is_me(m) && m.role.manages()) {
        return Err(last_manager());
    }
    repo::remove_member(&state.db, &p.row.key, &me)
        .await
        .map_err(refusal)?;
    tracing::info!(user = %user.id, workspace = %p.row.key, "left workspace");
    leptos_axum::redirect("/council?left=1");
    Ok(())
}

/// Closes a workspace (POST `/api/close_workspace`, field `workspace`): nothing more is
/// written there, and only its managers still read it. The council itself is never closed.
#[server(prefix = "/api", endpoint = "close_workspace")]
pub async fn close_workspace(workspace: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let p = reader_place(&state, &user, &workspace).await?;
    require(policy::may_manage_workspace(&user, &p.access) && p.row.key != model::COUNCIL_KEY)?;
    repo::close_workspace(&state.db, &p.row.key).await?;
    tracing::info!(user = %user.id, workspace = %p.row.key, "workspace closed");
    leptos_axum::redirect(&format!("/council/{}?closed=1", p.row.key));
    Ok(())
}

/// The people a post in workspace `ws` mentions, and the notice sets of a post: a "mentioned
/// you" notice to them, and `reply` (if any) to `participants` who are not mentioned; never
/// the author, and each person once.
#[cfg(feature = "ssr")]
async fn post_notices(
    state: &AppState,
    ws: &str,
    author: &CurrentUser,
    body: &str,
    mention: Notice,
    reply: Option<(Notice, Vec<String>)>,
) -> Result<Vec<(Notice, Vec<UserId>)>, AppError> {
    let people = repo::people(&state.db, ws).await?;
    let candidates: Vec<model::Mentionable> = people
        .iter()
        .map(|p| model::Mentionable {
            key: p.key.clone(),
            name_ja: p.name_ja.clone(),
            name_en: p.name_en.clone(),
        })
        .collect();
    let mentioned: Vec<UserId> = model::mentioned(body, &candidates)
        .into_iter()
        .filter(|p| p.key != author.id.as_str())
        .map(|p| UserId::from(p.key.as_str()))
        .collect();
    let mut sets = vec![(mention, mentioned.clone())];
    if let Some((reply, participants)) = reply {
        let members: Vec<&str> = people.iter().map(|p| p.key.as_str()).collect();
        let others: Vec<UserId> = participants
            .into_iter()
            .filter(|k| members.contains(&k.as_str()) && k != author.id.as_str())
            .map(UserId::from)
            .filter(|k| !mentioned.contains(k))
            .collect();
        sets.push((reply, others));
    }
    Ok(sets)
}

/// Starts a topic with its opening post (POST `/api/create_topic`: `workspace`, `title` 1–200
/// characters, `body` Markdown 1–10,000). Members but observers. People it @mentions are
/// notified. Redirects to `/council/topics/<key>?created=1`.
#[server(prefix = "/api", endpoint = "create_topic")]
pub async fn create_topic(workspace: String, title: String, body: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let p = reader_place(&state, &user, &workspace).await?;
    require(policy::may_take_part(&user, &p.access))?;
    let title = line("title", &title, model::TITLE_MAX_CHARS, true)?;
    let body = crate::threads::server::clean_body(&body)?;
    let ws = p.row.key.clone();
    let topic = crate::ids::random_key();
    let post_id = crate::ids::random_key();
    let subject = format!("{}{topic}", repo::subject_prefix(&ws));
    let mention = notice(
        "mention",
        &p.row,
        &topic,
        format!("/council/topics/{topic}#comment-{post_id}"),
        (
            format!("{}さんが「{}」であなたに言及しました", user.name_ja, title),
            format!("{} mentioned you in “{}”", user.name_en, title),
        ),
        &body,
    );
    let sets = post_notices(&state, &ws, &user, &body, mention, None).await?;
    let post = crate::threads::repo::NewPost {
        id: &post_id,
        subject: &subject,
        author_id: &user.id,
        body: &body,
        reply_to: None,
    };
    repo::create_topic(&state.db, &ws, (&topic, &title), post, &sets)
        .await
        .map_err(refusal)?;
    tracing::info!(user = %user.id, workspace = %ws, %topic, "topic created");
    leptos_axum::redirect(&format!("/council/topics/{topic}?created=1"));
    Ok(())
}

/// A topic with its thread (POST `/api/get_topic`, field `id`).
#[server(prefix = "/api", endpoint = "get_topic")]
pub async fn get_topic(id: String) -> Result<TopicView, AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (topic, p) =
        item::<repo::TopicRow>(&state, &user, "council_topic", &id, "title, pinned").await?;
    let subject = format!("{}{}", repo::subject_prefix(&p.row.key), topic.key);
    let mut posts = crate::threads::repo::posts(&state.db, &subject).await?;
    for post in &mut posts {
        post.body_html = crate::markdown::render(&post.body);
    }
    let may_post = policy::may_take_part(&user, &p.access);
    let editable = if may_post {
        posts
            .iter()
            .filter(|post| post.author_id == user.id)
            .map(|post| post.id.clone())
            .collect()
    } else {
        Vec::new()
    };
    let files = crate::attachments::repo::list(
        &state.db,
        &FileHolder::Topic.subject(&p.row.key, &topic.key),
    )
    .await?;
    Ok(TopicView {
        files,
        key: topic.key,
        workspace: names(&p.row),
        title: topic.title,
        pinned: topic.pinned,
        posts,
        may_post,
        may_manage: policy::may_manage_workspace(&user, &p.access),
        editable,
    })
}

/// Replies in a topic (POST `/api/post_topic_reply`: `id` the topic, `body` Markdown 1–10,000,
/// `reply_to` a post of the topic or blank). Members but observers. @mentioned members get a
/// "mentioned you" notice; the thread's other earlier authors who are still members a "replied"
/// notice; each person one notice, never the author; all in the post's transaction.
#[server(prefix = "/api", endpoint = "post_topic_reply")]
pub async fn post_topic_reply(
    id: String,
    body: String,
    #[server(default)] reply_to: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (topic, p) =
        item::<repo::TopicRow>(&state, &user, "council_topic", &id, "title, pinned").await?;
    require(policy::may_take_part(&user, &p.access))?;
    let ws = p.row.key.clone();
    let subject = format!("{}{}", repo::subject_prefix(&ws), topic.key);
    let body = crate::threads::server::clean_body(&body)?;
    let reply_to = crate::threads::server::reply_in(&state, &subject, &reply_to).await?;
    let post_id = crate::ids::random_key();
    let link = format!("/council/topics/{}#comment-{post_id}", topic.key);
    let mention = notice(
        "mention",
        &p.row,
        &topic.key,
        link.clone(),
        (
            format!(
                "{}さんが「{}」であなたに言及しました",
                user.name_ja, topic.title
            ),
            format!("{} mentioned you in “{}”", user.name_en, topic.title),
        ),
        &body,
    );
    let reply = notice(
        "reply",
        &p.row,
        &topic.key,
        link,
        (
            format!("{}さんが「{}」に返信しました", user.name_ja, topic.title),
            format!("{} replied in “{}”", user.name_en, topic.title),
        ),
        &body,
    );
    let participants = crate::threads::repo::participants(&state.db, &subject).await?;
    let sets = post_notices(
        &state,
        &ws,
        &user,
        &body,
        mention,
        Some((reply, participants)),
    )
    .await?;
    let post = crate::threads::repo::NewPost {
        id: &post_id,
        subject: &subject,
        author_id: &user.id,
        body: &body,
        reply_to: reply_to.as_ref(),
    };
    crate::db::with_retries(|| repo::add_reply(&state.db, &ws, &post, &sets))
        .await
        .map_err(refusal)?;
    tracing::info!(user = %user.id, topic = %topic.key, "topic reply posted");
    leptos_axum::redirect(&format!(
        "/council/topics/{}?posted=1#comment-{post_id}",
        topic.key
    ));
    Ok(())
}

/// Edits one's own post in a council topic (POST `/api/edit_council_post`: `id`, `body`,
/// `back` a local path); the earlier version is kept. Its author only, while they may take
/// part in the workspace.
#[server(prefix = "/api", endpoint = "edit_council_post")]
pub async fn edit_council_post(id: String, body: String, back: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let post = crate::ids::PostId::parse(&id).ok_or(AppError::NotFound)?;
    let (subject, author) = crate::threads::repo::post_owner(&state.db, &post)
        .await?
        .ok_or(AppError::NotFound)?;
    let (ws, _) = repo::workspace_of_subject(&subject).ok_or(AppError::NotFound)?;
    let p = reader_place(&state, &user, ws).await?;
    require(author == user.id && policy::may_take_part(&user, &p.access))?;
    crate::threads::server::edit_checked(&state, &user, &post, &body, &back).await
}

/// Pins or unpins a topic (POST `/api/pin_topic`: `id`, `pinned` `1` or `0`). The chair and
/// the secretariat.
#[server(prefix = "/api", endpoint = "pin_topic")]
pub async fn pin_topic(id: String, pinned: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (topic, p) =
        item::<repo::TopicRow>(&state, &user, "council_topic", &id, "title, pinned").await?;
    require(policy::may_manage_workspace(&user, &p.access))?;
    repo::pin_topic(&state.db, &topic.key, ticked(&pinned)).await?;
    leptos_axum::redirect(&format!("/council/topics/{}?pinned=1", topic.key));
    Ok(())
}

/// Schedules a meeting (POST `/api/create_meeting`: `workspace`, `title` 1–200, `starts_at` and
/// `ends_at` as `datetime-local` in JST, the end after the start and at most 24 hours later,
/// `place` up to 200, `online_url` blank or `https://…` up to 500). The chair and the
/// secretariat; every member is notified. Redirects to `/council/meetings/<key>?created=1`.
#[server(prefix = "/api", endpoint = "create_meeting")]
pub async fn create_meeting(
    workspace: String,
    title: String,
    starts_at: String,
    ends_at: String,
    #[server(default)] place: String,
    #[server(default)] online_url: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let p = reader_place(&state, &user, &workspace).await?;
    require(policy::may_manage_workspace(&user, &p.access))?;
    let title = line("title", &title, model::TITLE_MAX_CHARS, true)?;
    let starts = instant("starts_at", &starts_at)?;
    let ends = instant("ends_at", &ends_at)?;
    if ends <= starts || ends - starts > chrono::Duration::hours(24) {
        return Err(AppError::rejected("ends_at", |l| {
            l.pick(
                "終了は開始より後、24時間以内にしてください。",
                "The end must be after the start, within 24 hours.",
            )
            .to_owned()
        }));
    }
    let venue = line("place", &place, 200, false)?;
    let online_url = line("online_url", &online_url, 500, false)?;
    if !online_url.is_empty() && !online_url.starts_with("https://") {
        return Err(AppError::rejected("online_url", |l| {
            l.pick(
                "オンライン会議のURLは https:// で始めてください。",
                "The online link must start with https://.",
            )
            .to_owned()
        }));
    }
    let ws = p.row.key.clone();
    let meeting = crate::ids::random_key();
    let when = Timestamp(starts).jst();
    let n = notice(
        "meeting",
        &p.row,
        &format!("meeting:{meeting}"),
        format!("/council/meetings/{meeting}"),
        (
            format!(
                "「{}」の会議「{title}」が{when}に予定されました",
                p.row.name_ja
            ),
            format!(
                "Meeting “{title}” of “{}” is scheduled for {when}",
                p.row.name_en
            ),
        ),
        "",
    );
    let everyone = audience(&state, &ws, &user.id).await?;
    let m = repo::NewMeeting {
        key: &meeting,
        workspace: &ws,
        title: &title,
        span: (starts, ends),
        place: &venue,
        online_url: &online_url,
        author: &user.id,
    };
    repo::create_meeting(&state.db, m, &[(n, everyone)])
        .await
        .map_err(refusal)?;
    tracing::info!(user = %user.id, workspace = %ws, %meeting, "meeting created");
    leptos_axum::redirect(&format!("/council/meetings/{meeting}?created=1"));
    Ok(())
}

/// A meeting as the caller may see it (POST `/api/get_meeting`, field `id`): members see every
/// agenda item and the attendance; other readers the 公開 items only.
#[server(prefix = "/api", endpoint = "get_meeting")]
pub async fn get_meeting(id: String) -> Result<MeetingView, AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (m, p) =
        item::<repo::MeetingRow>(&state, &user, "meeting", &id, repo::MEETING_FIELDS).await?;
    let insider = policy::may_see_closed_items(&user, &p.access);
    let may_manage = policy::may_manage_workspace(&user, &p.access);
    let mut items: Vec<AgendaItemView> = repo::agenda(&state.db, &m.key)
        .await?
        .into_iter()
        .filter(|i| insider || i.text.public)
        .map(|i| AgendaItemView {
            documents: Vec::new(),
            body_html: crate::markdown::render(&i.text.body),
            minutes_html: crate::markdown::render(&i.text.minutes),
            key: i.key,
            position: i.position,
            title: i.text.title,
            public: i.text.public,
            minutes: i.text.minutes,
        })
        .collect();
    for item in &mut items {
        let subject = FileHolder::AgendaItem.subject(&p.row.key, &item.key);
        item.documents = crate::attachments::repo::list(&state.db, &subject).await?;
    }
    let attendance = if insider {
        repo::attendance(&state.db, &m.key).await?
    } else {
        Vec::new()
    };
    let my_attendance = attendance
        .iter()
        .find(|a| a.user == user.id.as_str())
        .map(|a| a.status);
    Ok(MeetingView {
        key: m.key.clone(),
        workspace: names(&p.row),
        title: m.title,
        starts_at: Timestamp(m.starts_at),
        ends_at: Timestamp(m.ends_at),
        place: m.place,
        // The link (often with its passcode) is for members only.
        online_url: if insider { m.online_url } else { String::new() },
        items,
        attendance,
        my_attendance,
        summary_draft: if may_manage {
            m.summary_draft
        } else {
            String::new()
        },
        summary_html: m.summary.as_deref().map(crate::markdown::render),
        published_at: m.published_at.map(Timestamp),
        may_attend: policy::may_take_part(&user, &p.access),
        may_manage,
        documents: crate::attachments::repo::list(
            &state.db,
            &documents_subject(&p.row.key, &m.key),
        )
        .await?,
    })
}

/// What holds files in a workspace: a meeting's documents (資料, added by the managers) and a
/// topic's attachments (added by those who post).
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
enum FileHolder {
    Meeting,
    Topic,
    /// An agenda item's documents: a 非公開 item's only for the workspace's members.
    AgendaItem,
}

#[cfg(feature = "ssr")]
impl FileHolder {
    /// The holder `id` if the caller may read it: its key and workspace.
    async fn locate(
        self,
        state: &AppState,
        user: &CurrentUser,
        id: &str,
    ) -> Result<(String, Place), AppError> {
        let table = match self {
            FileHolder::Meeting => "meeting",
            FileHolder::Topic => "council_topic",
            FileHolder::AgendaItem => {
                let item = repo::agenda_item(&state.db, &key(id)?)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let p = reader_place(state, user, &item.workspace).await?;
                if !item.public && !policy::may_see_closed_items(user, &p.access) {
                    return Err(AppError::NotFound);
                }
                return Ok((item.key, p));
            }
        };
        let (thing, p) = item::<repo::ItemRow>(state, user, table, id, "title").await?;
        Ok((thing.key, p))
    }

    /// The attachments subject: `council:<ws>:meeting:<key>` or `council:<ws>:topic:<key>`.
    fn subject(self, ws: &str, key: &str) -> String {
        let kind = match self {
            FileHolder::Meeting => "meeting",
            FileHolder::Topic => "topic",
            FileHolder::AgendaItem => "item",
        };
        format!("{}{kind}:{key}", repo::subject_prefix(ws))
    }

    fn may_attach(self, user: &CurrentUser, access: &WorkspaceAccess) -> bool {
        match self {
            FileHolder::Meeting | FileHolder::AgendaItem => {
                policy::may_manage_workspace(user, access)
            }
            FileHolder::Topic => policy::may_take_part(user, access),
        }
    }
}

/// The attachments subject of a meeting's documents.
#[cfg(feature = "ssr")]
fn documents_subject(ws: &str, meeting: &str) -> String {
    FileHolder::Meeting.subject(ws, meeting)
}

/// Adds a file to `holder` `id` from a multipart form (`file`, `back`): the file rules are the
/// attachments room's (size, type, count). Back with `?attached=1#attachments`, or with the
/// error. Signed out: to `/login`; something the caller may not read: 404.
#[cfg(feature = "ssr")]
async fn upload(
    holder: FileHolder,
    state: AppState,
    id: String,
    session: tower_sessions::Session,
    multipart: axum::extract::Multipart,
) -> axum::response::Response {
    use crate::attachments::server::{read_form, refuse, store, uploader};
    use axum::response::IntoResponse;
    let user = match uploader(&state, &session).await {
        Ok(user) => user,
        Err(answer) => return *answer,
    };
    let (thing, p) = match holder.locate(&state, &user, &id).await {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    let (file, back) = match read_form(multipart).await {
        Ok(form) => form,
        Err(e) => return e.into_response(),
    };
    if !holder.may_attach(&user, &p.access) {
        return refuse(&session, &back, AppError::Forbidden).await;
    }
    let subject = holder.subject(&p.row.key, &thing);
    store(&state, &session, &user, &subject, file, &back).await
}

/// One file of `holder` `id`, as a download, for whoever reads it. Signed out: 401; something
/// the caller may not read, or a file that is not its: 404.
#[cfg(feature = "ssr")]
async fn download(
    holder: FileHolder,
    state: AppState,
    (id, file): (String, String),
    session: tower_sessions::Session,
) -> axum::response::Response {
    let result = async {
        let user = policy::require_user(crate::auth::request::user_of(&state, &session).await?)?;
        let (thing, p) = holder.locate(&state, &user, &id).await?;
        let file = crate::ids::AttachmentId::parse(&file).ok_or(AppError::NotFound)?;
        let stored = crate::attachments::repo::file(&state.db, &file)
            .await?
            .ok_or(AppError::NotFound)?;
        if stored.subject != holder.subject(&p.row.key, &thing) {
            return Err(AppError::NotFound);
        }
        Ok(stored)
    };
    crate::attachments::server::serve(result.await)
}

/// POST `/council/meetings/{id}/documents` (multipart: `file`, `back`): adds a document (資料)
/// to a meeting, for its workspace's chair and secretariat. A document is read by whoever reads
/// the meeting: put 非公開 material in a private working group.
#[cfg(feature = "ssr")]
pub async fn upload_document(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    session: tower_sessions::Session,
    multipart: axum::extract::Multipart,
) -> axum::response::Response {
    upload(FileHolder::Meeting, state, id, session, multipart).await
}

/// GET `/council/meetings/{id}/documents/{file}`: a meeting's document, for whoever reads the
/// meeting.
#[cfg(feature = "ssr")]
pub async fn download_document(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(ids): axum::extract::Path<(String, String)>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    download(FileHolder::Meeting, state, ids, session).await
}

/// POST `/council/items/{id}/documents` (multipart: `file`, `back`): adds a document to an
/// agenda item, for the workspace's chair and secretariat.
#[cfg(feature = "ssr")]
pub async fn upload_item_document(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    session: tower_sessions::Session,
    multipart: axum::extract::Multipart,
) -> axum::response::Response {
    upload(FileHolder::AgendaItem, state, id, session, multipart).await
}

/// GET `/council/items/{id}/documents/{file}`: an agenda item's document, for whoever may see
/// the item (a 非公開 item's: the workspace's members only).
#[cfg(feature = "ssr")]
pub async fn download_item_document(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(ids): axum::extract::Path<(String, String)>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    download(FileHolder::AgendaItem, state, ids, session).await
}

/// POST `/council/topics/{id}/files` (multipart: `file`, `back`): attaches a file to a topic,
/// for those who may post there (members but observers).
#[cfg(feature = "ssr")]
pub async fn upload_topic_file(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    session: tower_sessions::Session,
    multipart: axum::extract::Multipart,
) -> axum::response::Response {
    upload(FileHolder::Topic, state, id, session, multipart).await
}

/// GET `/council/topics/{id}/files/{file}`: a topic's attachment, for whoever reads the topic.
#[cfg(feature = "ssr")]
pub async fn download_topic_file(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(ids): axum::extract::Path<(String, String)>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    download(FileHolder::Topic, state, ids, session).await
}

/// A meeting the caller manages.
#[cfg(feature = "ssr")]
async fn managed_meeting(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<(repo::MeetingRow, Place), AppError> {
    let (m, p) = item::<repo::MeetingRow>(state, user, "meeting", id, repo::MEETING_FIELDS).await?;
    require(policy::may_manage_workspace(user, &p.access))?;
    Ok((m, p))
}

/// Adds an agenda item at the end (POST `/api/add_agenda_item`: `meeting`, `title` 1–200,
/// `body` Markdown up to 10,000, `public` `1` for 公開, else 非公開). The chair and the
/// secretariat.
#[server(prefix = "/api", endpoint = "add_agenda_item")]
pub async fn add_agenda_item(
    meeting: String,
    title: String,
    #[server(default)] body: String,
    #[server(default)] public: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (m, _) = managed_meeting(&state, &user, &meeting).await?;
    let item = model::AgendaText {
        title: line("title", &title, model::TITLE_MAX_CHARS, true)?,
        public: ticked(&public),
        body: markdown("body", &body, 10_000)?,
        minutes: String::new(),
    };
    repo::add_agenda_item(&state.db, &m.key, &item).await?;
    leptos_axum::redirect(&format!("/council/meetings/{}?agenda=1", m.key));
    Ok(())
}

/// Saves an agenda item's minutes (POST `/api/save_minutes`: `item`, `minutes` Markdown up to
/// 10,000). The chair and the secretariat.
#[server(prefix = "/api", endpoint = "save_minutes")]
pub async fn save_minutes(
    item: String,
    #[server(default)] minutes: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let item = key(&item)?;
    let meeting = repo::meeting_of_item(&state.db, &item)
        .await?
        .ok_or(AppError::NotFound)?;
    let (m, _) = managed_meeting(&state, &user, &meeting).await?;
    let minutes = markdown("minutes", &minutes, 10_000)?;
    repo::save_minutes(&state.db, &item, &minutes).await?;
    leptos_axum::redirect(&format!(
        "/council/meetings/{}?minutes=1#item-{item}",
        m.key
    ));
    Ok(())
}

/// Answers attendance (POST `/api/set_attendance`: `meeting`, `status` `attending`, `deputy`
/// or `apology`, `deputy` the deputy's name, 1–100 characters, for 代理出席). Members but
/// observers.
#[server(prefix = "/api", endpoint = "set_attendance")]
pub async fn set_attendance(
    meeting: String,
    status: String,
    #[server(default)] deputy: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (m, p) =
        item::<repo::MeetingRow>(&state, &user, "meeting", &meeting, repo::MEETING_FIELDS).await?;
    require(policy::may_take_part(&user, &p.access))?;
    let status = model::AttendanceStatus::from_code(&status).ok_or(AppError::Invalid {
        field: "status".into(),
        reason: "not an attendance status".into(),
    })?;
    let deputy = match status {
        model::AttendanceStatus::Deputy => Some(line("deputy", &deputy, 100, true)?),
        _ => None,
    };
    repo::set_attendance(&state.db, &m.key, &user.id, status, deputy.as_deref()).await?;
    leptos_axum::redirect(&format!("/council/meetings/{}?attendance=1", m.key));
    Ok(())
}

/// Replaces the 議事要旨 draft with one compiled from the 公開 items (their titles,
/// descriptions and minutes; nothing of a 非公開 item) (POST `/api/compile_summary`, field
/// `meeting`). The chair and the secretariat.
#[server(prefix = "/api", endpoint = "compile_summary")]
pub async fn compile_summary(meeting: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (m, _) = managed_meeting(&state, &user, &meeting).await?;
    let items: Vec<model::AgendaText> = repo::agenda(&state.db, &m.key)
        .await?
        .into_iter()
        .map(|i| i.text)
        .collect();
    let draft = model::compile_summary(&m.title, &items);
    let length = draft.chars().count();
    if length > 50_000 {
        return Err(AppError::rejected("draft", |l| match l {
            Lang::Ja => format!(
                "公開の議題が長すぎて議事要旨にまとめられません（{length}文字、50000文字まで）。議事録を短くしてください。"
            ),
            Lang::En => format!(
                "The public items are too long for one summary ({length} characters, at most 50,000). Shorten the minutes."
            ),
        }));
    }
    repo::save_summary(&state.db, &m.key, &draft, false).await?;
    leptos_axum::redirect(&format!("/council/meetings/{}?compiled=1#summary", m.key));
    Ok(())
}

/// Saves the 議事要旨 draft and, with `publish` = `1`, publishes it: it becomes readable by
/// anyone, signed in or not (POST `/api/save_summary`: `meeting`, `draft` Markdown up to
/// 50,000, `publish`). The chair and the secretariat.
#[server(prefix = "/api", endpoint = "save_summary")]
pub async fn save_summary(
    meeting: String,
    draft: String,
    #[server(default)] publish: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (m, _) = managed_meeting(&state, &user, &meeting).await?;
    let draft = markdown("draft", &draft, 50_000)?;
    let publish = ticked(&publish);
    if publish && crate::markdown::is_blank(&draft) {
        return Err(AppError::rejected("draft", |l| {
            l.pick(
                "空の議事要旨は公開できません。",
                "An empty summary cannot be published.",
            )
            .to_owned()
        }));
    }
    repo::save_summary(&state.db, &m.key, &draft, publish).await?;
    tracing::info!(user = %user.id, meeting = %m.key, publish, "summary saved");
    let flag = if publish { "published" } else { "saved" };
    leptos_axum::redirect(&format!("/council/meetings/{}?{flag}=1#summary", m.key));
    Ok(())
}

/// Takes the 議事要旨 off the public page (POST `/api/withdraw_summary`, field `meeting`), e.g.
/// after publishing a mistake; the draft stays to be corrected. The chair and the secretariat.
#[server(prefix = "/api", endpoint = "withdraw_summary")]
pub async fn withdraw_summary(meeting: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (m, _) = managed_meeting(&state, &user, &meeting).await?;
    repo::withdraw_summary(&state.db, &m.key).await?;
    tracing::info!(user = %user.id, meeting = %m.key, "summary withdrawn");
    leptos_axum::redirect(&format!("/council/meetings/{}?withdrawn=1#summary", m.key));
    Ok(())
}

/// A meeting's published 議事要旨, public (POST `/api/get_meeting_summary`, field `id`);
/// [`AppError::NotFound`] until it is published.
#[server(prefix = "/api", endpoint = "get_meeting_summary")]
pub async fn get_meeting_summary(id: String) -> Result<SummaryView, AppError> {
    let state = crate::auth::request::app_state()?;
    let (m, ws) = published(&state, &id).await?;
    Ok(SummaryView {
        title: m.title,
        workspace: ws,
        starts_at: Timestamp(m.starts_at),
        summary_html: crate::markdown::render(m.summary.as_deref().unwrap_or_default()),
        published_at: Timestamp(m.published_at.unwrap_or_default()),
    })
}

/// A meeting whose summary is published, with its workspace's names; NotFound otherwise.
#[cfg(feature = "ssr")]
async fn published(
    state: &AppState,
    id: &str,
) -> Result<(repo::MeetingRow, (String, String)), AppError> {
    let id = key(id)?;
    let m: repo::MeetingRow = repo::one(&state.db, "meeting", &id, repo::MEETING_FIELDS)
        .await?
        .filter(|m: &repo::MeetingRow| m.summary.is_some() && m.published_at.is_some())
        .ok_or(AppError::NotFound)?;
    let names = repo::workspace_names(&state.db, &m.workspace)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((m, names))
}

/// GET `/council/meetings/{id}/summary.md`: a published 議事要旨 as Markdown, public.
#[cfg(feature = "ssr")]
pub async fn summary_markdown(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> axum::response::Response {
    let bytes = async {
        let (m, _) = published(&state, &id).await?;
        Ok(m.summary.unwrap_or_default().into_bytes())
    };
    crate::http::attachment(
        "kyodo_summary.md",
        "text/markdown; charset=utf-8",
        bytes.await,
    )
}

/// GET `/council/meetings/{id}/meeting.ics`: the meeting as a calendar event (RFC 5545, UID
/// `meeting-<key>@kyodo`, SEQUENCE rising with agenda changes, DTSTART/DTEND in UTC), for
/// whoever may read the workspace. Its description lists the 公開 agenda items only, whoever
/// asks (a calendar file travels beyond the workspace); the online link only for members.
#[cfg(feature = "ssr")]
pub async fn meeting_ics(
    axum::extract::State(state): axum::extract::State<AppState>,
    session: tower_sessions::Session,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> axum::response::Response {
    let bytes = async {
        let user = policy::require_user(crate::auth::request::user_of(&state, &session).await?)?;
        let (mut m, p) =
            item::<repo::MeetingRow>(&state, &user, "meeting", &id, repo::MEETING_FIELDS).await?;
        if !policy::may_see_closed_items(&user, &p.access) {
            m.online_url.clear();
        }
        // 公開 items only, for members too: a calendar file travels (shared calendars,
        // forwarded invites) beyond the workspace.
        let agenda: Vec<String> = repo::agenda(&state.db, &m.key)
            .await?
            .into_iter()
            .filter(|i| i.text.public)
            .map(|i| format!("{}. {}", i.position, i.text.title))
            .collect();
        let page = format!("{}/council/meetings/{}", state.public_url, m.key);
        Ok(super::ics::meeting(&m, &agenda, &page).into_bytes())
    };
    crate::http::attachment(
        "kyodo_meeting.ics",
        "text/calendar; charset=utf-8",
        bytes.await,
    )
}

/// A new proposal's kind, options, closing instant (UTC) and quorum.
#[cfg(feature = "ssr")]
type Terms = (
    model::ProposalKind,
    Vec<String>,
    chrono::DateTime<chrono::Utc>,
    Option<u32>,
);

/// The options, closing instant and quorum of a new proposal, checked.
#[cfg(feature = "ssr")]
fn proposal_terms(
    kind: &str,
    options: &str,
    closes_at: &str,
    quorum: &str,
) -> Result<Terms, AppError> {
    let kind = model::ProposalKind::from_code(kind).ok_or(AppError::Invalid {
        field: "kind".into(),
        reason: "not consent or poll".into(),
    })?;
    let options = model::proposal_options(kind, options).map_err(|e| {
        AppError::rejected("options", move |l| match (e, l) {
            (model::OptionsProblem::TooFew, _) => l
                .pick(
                    "選択肢を2つ以上、1行に1つずつ書いてください。",
                    "Write at least two options, one per line.",
                )
                .to_owned(),
            (model::OptionsProblem::TooMany, Lang::Ja) => {
                format!("選択肢は{}個までです。", model::POLL_OPTIONS_MAX)
            }
            (model::OptionsProblem::TooMany, Lang::En) => {
                format!("At most {} options.", model::POLL_OPTIONS_MAX)
            }
            (model::OptionsProblem::TooLong { line }, Lang::Ja) => {
                format!(
                    "{line}つ目の選択肢が長すぎます（{}文字まで）。",
                    model::TITLE_MAX_CHARS
                )
            }
            (model::OptionsProblem::TooLong { line }, Lang::En) => {
                format!(
                    "Option {line} is too long (at most {} characters).",
                    model::TITLE_MAX_CHARS
                )
            }
            (model::OptionsProblem::Repeated { line }, Lang::Ja) => {
                format!("{line}つ目の選択肢が前のものと同じです。")
            }
            (model::OptionsProblem::Repeated { line }, Lang::En) => {
                format!("Option {line} repeats an earlier one.")
            }
        })
    })?;
    let closes = instant("closes_at", closes_at)?;
    if closes <= chrono::Utc::now() {
        return Err(AppError::rejected("closes_at", |l| {
            l.pick(
                "締切は今より後にしてください。",
                "The closing time must be in the future.",
            )
            .to_owned()
        }));
    }
    let quorum = match quorum.trim() {
        "" | "0" => None,
        q => Some(
            q.parse::<u32>()
                .ok()
                .filter(|q| (1..=10_000).contains(q))
                .ok_or_else(|| {
                    AppError::rejected("quorum", |l| {
                        l.pick(
                            "定足数は1〜10000の整数にしてください。",
                            "The quorum must be a whole number from 1 to 10,000.",
                        )
                        .to_owned()
                    })
                })?,
        ),
    };
    Ok((kind, options, closes, quorum))
}

pub use forms::*;

/// The server functions of the longer forms.
#[allow(clippy::too_many_arguments)]
mod forms {
    use super::*;

    /// Makes a proposal (POST `/api/create_proposal`: `workspace`, `title` 1–200, `body`
    /// Markdown up to 10,000, `kind` `consent` (賛成 / 棄権 / 反対 / 異議) or `poll`, `options`
    /// one per line for a poll (2–20, each up to 200), `closes_at` JST in the future, `quorum`
    /// blank or 1–10,000 votes, `anonymous`, `hide_results` (`1` ticked), `vote_per` `person`
    /// or `organisation`). Members but observers; every member is notified. Redirects to
    /// `/council/proposals/<key>?created=1`.
    #[server(prefix = "/api", endpoint = "create_proposal")]
    pub async fn create_proposal(
        workspace: String,
        title: String,
        #[server(default)] body: String,
        kind: String,
        #[server(default)] options: String,
        closes_at: String,
        #[server(default)] quorum: String,
        #[server(default)] anonymous: String,
        #[server(default)] hide_results: String,
        vote_per: String,
    ) -> Result<(), AppError> {
        let crate::auth::request::SignedIn { state, user } =
            crate::auth::request::signed_in().await?;
        let p = reader_place(&state, &user, &workspace).await?;
        require(policy::may_take_part(&user, &p.access))?;
        let title = line("title", &title, model::TITLE_MAX_CHARS, true)?;
        let body = markdown("body", &body, 10_000)?;
        let (kind, options, closes_at, quorum) =
            proposal_terms(&kind, &options, &closes_at, &quorum)?;
        let vote_per = model::VotePer::from_code(&vote_per).ok_or(AppError::Invalid {
            field: "vote_per".into(),
            reason: "not person or organisation".into(),
        })?;
        let ws = p.row.key.clone();
        let key = crate::ids::random_key();
        let when = Timestamp(closes_at).jst();
        let n = notice(
            "proposal",
            &p.row,
            &format!("proposal:{key}"),
            format!("/council/proposals/{key}"),
            (
                format!(
                    "「{}」に提案「{title}」が出されました（締切 {when}）",
                    p.row.name_ja
                ),
                format!(
                    "New proposal “{title}” in “{}” (closes {when})",
                    p.row.name_en
                ),
            ),
            &body,
        );
        let everyone = audience(&state, &ws, &user.id).await?;
        let new = repo::NewProposal {
            key: &key,
            workspace: &ws,
            text: (&title, &body),
            kind,
            options: &options,
            closes_at,
            quorum,
            anonymous: ticked(&anonymous),
            // Live counts of an anonymous vote would tell who voted what, one vote at a time.
            hide_results: ticked(&hide_results) || ticked(&anonymous),
            vote_per,
            author: &user.id,
        };
        repo::create_proposal(&state.db, new, &[(n, everyone)])
            .await
            .map_err(refusal)?;
        tracing::info!(user = %user.id, workspace = %ws, proposal = %key, "proposal created");
        leptos_axum::redirect(&format!("/council/proposals/{key}?created=1"));
        Ok(())
    }

    /// Announces a 研修会 (POST `/api/create_training`: `workspace`, `title` 1–200, `body`
    /// Markdown up to 10,000, `starts_at` and `deadline` JST, the deadline in the future and
    /// not after the start, `capacity` 1–10,000 people). The chair and the secretariat; every
    /// member is notified. Redirects to `/council/trainings/<key>?created=1`.
    #[server(prefix = "/api", endpoint = "create_training")]
    pub async fn create_training(
        workspace: String,
        title: String,
        #[server(default)] body: String,
        starts_at: String,
        deadline: String,
        capacity: String,
    ) -> Result<(), AppError> {
        let crate::auth::request::SignedIn { state, user } =
            crate::auth::request::signed_in().await?;
        let p = reader_place(&state, &user, &workspace).await?;
        require(policy::may_manage_workspace(&user, &p.access))?;
        let title = line("title", &title, model::TITLE_MAX_CHARS, true)?;
        let body = markdown("body", &body, 10_000)?;
        let starts = instant("starts_at", &starts_at)?;
        let deadline = instant("deadline", &deadline)?;
        if deadline > starts || deadline <= chrono::Utc::now() {
            return Err(AppError::rejected("deadline", |l| {
                l.pick(
                    "申込締切は今より後、開始日時まで にしてください。",
                    "The deadline must be in the future and no later than the start.",
                )
                .replace("まで に", "までに")
            }));
        }
        let capacity = capacity
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|c| (1..=model::CAPACITY_MAX).contains(c))
            .ok_or_else(|| {
                AppError::rejected("capacity", |l| match l {
                    Lang::Ja => format!("定員は1〜{}の整数にしてください。", model::CAPACITY_MAX),
                    Lang::En => format!(
                        "The capacity must be a whole number from 1 to {}.",
                        model::CAPACITY_MAX
                    ),
                })
            })?;
        let ws = p.row.key.clone();
        let key = crate::ids::random_key();
        let when = Timestamp(starts).jst();
        let n = notice(
            "training",
            &p.row,
            &format!("training:{key}"),
            format!("/council/trainings/{key}"),
            (
                format!("研修会「{title}」（{when}）の申込が始まりました"),
                format!("Registration is open for the training “{title}” ({when})"),
            ),
            &body,
        );
        let everyone = audience(&state, &ws, &user.id).await?;
        let t = repo::NewTraining {
            key: &key,
            workspace: &ws,
            text: (&title, &body),
            times: (starts, deadline),
            capacity,
            author: &user.id,
        };
        repo::create_training(&state.db, t, &[(n, everyone)])
            .await
            .map_err(refusal)?;
        tracing::info!(user = %user.id, workspace = %ws, training = %key, "training created");
        leptos_axum::redirect(&format!("/council/trainings/{key}?created=1"));
        Ok(())
    }
}

/// A proposal the caller may read; closed at once (and its outcome recorded) when its closing
/// instant has passed by server time.
#[cfg(feature = "ssr")]
async fn current_proposal(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<(repo::ProposalRow, Place), AppError> {
    let (mut pr, p) =
        item::<repo::ProposalRow>(state, user, "proposal", id, repo::PROPOSAL_FIELDS).await?;
    if pr.closed_at.is_none() && pr.closes_at <= chrono::Utc::now() {
        close(state, &pr, &p.row).await?;
        pr = repo::one(&state.db, "proposal", &pr.key, repo::PROPOSAL_FIELDS)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    if pr.closed_at.is_some() && pr.outcome.is_none() {
        let counts = counts(&pr, &repo::votes(&state.db, &pr.key).await?);
        let outcome = model::decide(pr.kind, &counts, pr.quorum);
        let json = serde_json::to_string(&outcome).map_err(AppError::internal)?;
        repo::record_outcome(&state.db, &pr.key, &json).await?;
        pr.outcome = Some(json);
    }
    Ok((pr, p))
}

/// Closes a proposal, telling every member.
#[cfg(feature = "ssr")]
async fn close(
    state: &AppState,
    pr: &repo::ProposalRow,
    ws: &repo::WorkspaceRow,
) -> Result<(), AppError> {
    let n = notice(
        "proposal_closed",
        ws,
        &format!("proposal:{}", pr.key),
        format!("/council/proposals/{}", pr.key),
        (
            format!("提案「{}」の投票が締め切られました", pr.title),
            format!("Voting on “{}” has closed", pr.title),
        ),
        "",
    );
    let everyone: Vec<UserId> = repo::people(&state.db, &ws.key)
        .await?
        .into_iter()
        .map(|p| UserId::from(p.key))
        .collect();
    // A closed workspace's members no longer read it: nobody is told.
    let sets = if ws.closed {
        Vec::new()
    } else {
        vec![(n, everyone)]
    };
    repo::close_proposal(&state.db, &ws.key, &pr.key, &sets).await?;
    Ok(())
}

/// Votes per option.
#[cfg(feature = "ssr")]
fn counts(pr: &repo::ProposalRow, votes: &[repo::VoteRow]) -> Vec<u32> {
    let mut counts = vec![0u32; pr.options.len()];
    for v in votes {
        if let Some(c) = counts.get_mut(v.option) {
            *c += 1;
        }
    }
    counts
}

/// The voter key of `user` for a proposal: the person, or their organisation.
#[cfg(feature = "ssr")]
fn voter_of(pr: &repo::ProposalRow, user: &CurrentUser) -> String {
    match pr.vote_per {
        model::VotePer::Person => format!("user:{}", user.id),
        model::VotePer::Organisation => format!("organisation:{}", user.organisation.key),
    }
}

/// The members the caller may vote for as a deputy (代理): in a per-person proposal, the
/// workspace's other voting members of the caller's own organisation.
#[cfg(feature = "ssr")]
async fn deputy_candidates(
    state: &AppState,
    pr: &repo::ProposalRow,
    user: &CurrentUser,
) -> Result<Vec<Candidate>, AppError> {
    if pr.vote_per != model::VotePer::Person {
        return Ok(Vec::new());
    }
    Ok(repo::people(&state.db, &pr.workspace)
        .await?
        .into_iter()
        .filter(|p| {
            p.organisation == user.organisation.key
                && p.key != user.id.as_str()
                && p.roles.iter().any(|r| r.takes_part())
        })
        .map(|p| Candidate {
            kind: "user".into(),
            key: p.key,
            name_ja: p.name_ja,
            name_en: p.name_en,
        })
        .collect())
}

/// A proposal with its options, counts and outcome (POST `/api/get_proposal`, field `id`).
/// Counts are `None` while results are hidden before closing; no voter identity is ever sent
/// for an anonymous proposal.
#[server(prefix = "/api", endpoint = "get_proposal")]
pub async fn get_proposal(id: String) -> Result<ProposalView, AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (pr, p) = current_proposal(&state, &user, &id).await?;
    let votes = repo::votes(&state.db, &pr.key).await?;
    let closed = pr.closed_at.is_some();
    let visible = closed || !pr.hide_results;
    let me = voter_of(&pr, &user);
    let my_vote = policy::may_take_part(&user, &p.access)
        .then(|| votes.iter().find(|v| v.voter == me).map(|v| v.option))
        .flatten();
    let may_vote = !closed && policy::may_take_part(&user, &p.access);
    let ballots = (visible && !pr.anonymous).then(|| {
        votes
            .iter()
            .map(|v| VoteRow {
                voter: v.voter_name.clone(),
                option: v.option,
                deputy: v.deputy.then(|| v.cast_by_name.clone()),
            })
            .collect()
    });
    Ok(ProposalView {
        key: pr.key.clone(),
        workspace: names(&p.row),
        title: pr.title.clone(),
        body_html: crate::markdown::render(&pr.body),
        kind: pr.kind,
        counts: visible.then(|| counts(&pr, &votes)),
        votes: u32::try_from(votes.len()).unwrap_or(u32::MAX),
        ballots,
        my_vote,
        may_vote,
        deputy_for: if may_vote {
            deputy_candidates(&state, &pr, &user).await?
        } else {
            Vec::new()
        },
        may_manage: !closed && policy::may_manage_workspace(&user, &p.access),
        outcome: pr
            .outcome
            .as_deref()
            .and_then(|o| serde_json::from_str(o).ok()),
        options: pr.options,
        closes_at: Timestamp(pr.closes_at),
        quorum: pr.quorum,
        anonymous: pr.anonymous,
        hide_results: pr.hide_results,
        vote_per: pr.vote_per,
        closed,
    })
}

/// Votes (POST `/api/cast_vote`: `proposal`, `option` the option's index, `deputy_for` blank or
/// the key of a member of one's own organisation one votes for as deputy (代理), in a
/// per-person proposal). Members but observers, until the closing instant by server time; a
/// later vote of the same voter replaces the earlier one. Errors also: [`AppError::Rejected`]
/// on `option` when the proposal has closed.
#[server(prefix = "/api", endpoint = "cast_vote")]
pub async fn cast_vote(
    proposal: String,
    option: String,
    #[server(default)] deputy_for: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (pr, p) = current_proposal(&state, &user, &proposal).await?;
    require(policy::may_take_part(&user, &p.access))?;
    let option = option
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|o| *o < pr.options.len())
        .ok_or(AppError::Invalid {
            field: "option".into(),
            reason: "not an option of this proposal".into(),
        })?;
    let (voter, deputy) = match deputy_for.trim() {
        "" => (voter_of(&pr, &user), false),
        principal => {
            let allowed = deputy_candidates(&state, &pr, &user).await?;
            let principal = allowed
                .iter()
                .find(|c| c.key == principal)
                .ok_or(AppError::Forbidden)?;
            (format!("user:{}", principal.key), true)
        }
    };
    match repo::cast_vote(&state.db, &pr.key, &voter, option, &user.id, deputy)
        .await
        .map_err(refusal)?
    {
        Ok(()) => {}
        Err(repo::VoteRefusal::Closed) => return Err(closed_refusal()),
        Err(repo::VoteRefusal::OwnVote) => {
            return Err(AppError::rejected("deputy_for", |l| {
                l.pick(
                    "本人がすでに投票しているため、代理で投票できません。",
                    "This member has voted in person; a deputy cannot replace that vote.",
                )
                .to_owned()
            }));
        }
    }
    tracing::info!(user = %user.id, proposal = %pr.key, deputy, "vote cast");
    leptos_axum::redirect(&format!("/council/proposals/{}?voted=1", pr.key));
    Ok(())
}

#[cfg(feature = "ssr")]
fn closed_refusal() -> AppError {
    AppError::rejected("option", |l| {
        l.pick(
            "この提案の投票は締め切られました。",
            "Voting on this proposal has closed.",
        )
        .to_owned()
    })
}

/// Closes a proposal now (POST `/api/close_proposal`, field `proposal`): the outcome is
/// recorded from the votes cast. The chair and the secretariat.
#[server(prefix = "/api", endpoint = "close_proposal")]
pub async fn close_proposal(proposal: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (pr, p) = current_proposal(&state, &user, &proposal).await?;
    require(policy::may_manage_workspace(&user, &p.access))?;
    if pr.closed_at.is_none() {
        close(&state, &pr, &p.row).await?;
        current_proposal(&state, &user, &pr.key).await?;
    }
    tracing::info!(user = %user.id, proposal = %pr.key, "proposal closed");
    leptos_axum::redirect(&format!("/council/proposals/{}?closed=1", pr.key));
    Ok(())
}

/// A training session (POST `/api/get_training`, field `id`): seats, the waiting list, the
/// caller's registration; the managers also see who registered.
#[server(prefix = "/api", endpoint = "get_training")]
pub async fn get_training(id: String) -> Result<TrainingView, AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (t, p) =
        item::<repo::TrainingRow>(&state, &user, "training", &id, repo::TRAINING_FIELDS).await?;
    let list = repo::registrations(&state.db, &t.key).await?;
    let waiting: Vec<&repo::RegistrationRow> = list
        .iter()
        .filter(|r| r.status == model::RegistrationStatus::Waiting)
        .collect();
    let mine = list
        .iter()
        .find(|r| r.user == user.id.as_str())
        .map(|r| r.status);
    let my_place = waiting
        .iter()
        .position(|r| r.user == user.id.as_str())
        .and_then(|i| u32::try_from(i + 1).ok());
    let open = t.deadline > chrono::Utc::now();
    Ok(TrainingView {
        key: t.key.clone(),
        workspace: names(&p.row),
        title: t.title,
        body_html: crate::markdown::render(&t.body),
        starts_at: Timestamp(t.starts_at),
        deadline: Timestamp(t.deadline),
        capacity: t.capacity,
        registered: t.registered,
        waiting: u32::try_from(waiting.len()).unwrap_or(u32::MAX),
        mine,
        my_place,
        may_register: open && mine.is_none() && policy::may_register_training(&user, &p.access),
        registrations: if policy::may_manage_workspace(&user, &p.access) {
            list.into_iter()
                .map(|r| (r.name.0, r.name.1, r.status))
                .collect()
        } else {
            Vec::new()
        },
    })
}

/// Registers for a training session (POST `/api/register_training`, field `training`): a seat
/// while seats are left, else a place on the waiting list; never more seats than the capacity,
/// however many sign up at once. Refused ([`AppError::Rejected`] on `training`) after the
/// deadline or when already registered.
#[server(prefix = "/api", endpoint = "register_training")]
pub async fn register_training(training: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let (t, p) =
        item::<repo::TrainingRow>(&state, &user, "training", &training, repo::TRAINING_FIELDS)
            .await?;
    require(policy::may_register_training(&user, &p.access))?;
    match repo::register(&state.db, &t.key, &user.id)
        .await
        .map_err(refusal)?
    {
        Ok(status) => {
            tracing::info!(user = %user.id, training = %t.key, status = status.code(), "registered");
        }
        Err(repo::RegistrationRefusal::Closed) => {
            return Err(AppError::rejected("training", |l| {
                l.pick("申込は締め切られました。", "Registration has closed.")
                    .to_owned()
            }));
        }
        Err(repo::RegistrationRefusal::Already) => {
            return Err(AppError::rejected("training", |l| {
                l.pick("すでに申し込んでいます。", "You have already registered.")
                    .to_owned()
            }));
        }
    }
    leptos_axum::redirect(&format!("/council/trainings/{}?registered=1", t.key));
    Ok(())
}

/// Cancels one's registration (POST `/api/cancel_registration`, field `training`); a freed seat
/// goes to the first on the waiting list, who is notified (if still a member), in the same
/// transaction. One's own registration may be cancelled even after losing access to the
/// workspace.
#[server(prefix = "/api", endpoint = "cancel_registration")]
pub async fn cancel_registration(training: String) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let id = key(&training)?;
    let t: repo::TrainingRow = repo::one(&state.db, "training", &id, repo::TRAINING_FIELDS)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = repo::workspace(&state.db, &t.workspace, &user)
        .await?
        .ok_or(AppError::NotFound)?;
    // One's own registration may always be cancelled: a member removed from a private group
    // frees the seat they no longer can use. Anyone else is checked as for registering.
    let registered = repo::registrations(&state.db, &t.key)
        .await?
        .iter()
        .any(|r| r.user == user.id.as_str());
    if !registered {
        let access = access_of(&row);
        if !policy::may_read_workspace(&user, &access) {
            return Err(AppError::NotFound);
        }
        require(policy::may_register_training(&user, &access))?;
    }
    let n = notice(
        "training_seat",
        &row,
        &format!("training:{}", t.key),
        format!("/council/trainings/{}", t.key),
        (
            format!(
                "研修会「{}」のキャンセル待ちから参加が確定しました",
                t.title
            ),
            format!("A seat freed up: you are registered for “{}”", t.title),
        ),
        "",
    );
    repo::cancel_registration(&state.db, &t.key, &user.id, &n).await?;
    tracing::info!(user = %user.id, training = %t.key, "registration cancelled");
    leptos_axum::redirect(&format!("/council/trainings/{}?cancelled=1", t.key));
    Ok(())
}

/// What in the workspaces `user` may read matches query `q` (already cleaned,
/// [`crate::search::model::clean_query`]): a 非公開 agenda item only for the workspace's
/// members. For the top layer's search page.
#[cfg(feature = "ssr")]
pub async fn search_hits(
    state: &AppState,
    user: &CurrentUser,
    q: &str,
) -> Result<Vec<crate::search::model::Hit>, AppError> {
    let workspaces: std::collections::HashMap<String, (bool, (String, String))> =
        readable(state, user)
            .await?
            .into_iter()
            .map(|p| {
                let insider = policy::may_see_closed_items(user, &p.access);
                (p.row.key, (insider, (p.row.name_ja, p.row.name_en)))
            })
            .collect();
    let keys: Vec<String> = workspaces.keys().cloned().collect();
    Ok(repo::search(&state.db, q, &keys)
        .await?
        .into_iter()
        .filter_map(|r| {
            let (insider, place) = workspaces.get(&r.workspace)?;
            (r.public || *insider).then(|| crate::search::model::Hit {
                snippet_html: crate::search::model::snippet(&r.text, q),
                kind: r.kind,
                title: r.title,
                place: place.clone(),
                link: r.link,
                score: r.score,
                at: r.at.map(Timestamp),
            })
        })
        .collect())
}
