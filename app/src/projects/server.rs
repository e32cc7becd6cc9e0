//! Server functions of the projects room. Each is a public POST endpoint that checks the
//! caller through [`crate::policy`] itself; the forms post to them directly, so every action
//! works without JavaScript (a refused form comes back with its error, see
//! [`crate::auth::flash`]).

use super::views::{NewProjectView, ProjectListView, ProjectPageView};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::model::{
        Project, ProjectKind, ProjectListing, ProjectStatus, ProjectSummary, Transition, Window,
    },
    crate::auth::model::CurrentUser,
    crate::i18n::Lang,
    crate::ids::ProjectId,
    crate::policy::{self, ProjectAccess},
    crate::state::AppState,
};

/// Longest participation note and search text accepted, in characters.
#[cfg(feature = "ssr")]
const MAX_QUERY_CHARS: usize = 100;

/// The last list page asked for (a later one is read as this one).
#[cfg(feature = "ssr")]
const MAX_PAGE: u32 = 100_000;

/// What the rules need from a stored project.
#[cfg(feature = "ssr")]
pub fn access<'a>(state: &AppState, p: &'a Project) -> ProjectAccess<'a> {
    access_of(state, &p.lead, p.visibility, &p.invited, p.status)
}

/// What the rules need from a project's card in the list.
#[cfg(feature = "ssr")]
pub fn summary_access<'a>(state: &AppState, p: &'a ProjectSummary) -> ProjectAccess<'a> {
    access_of(state, &p.lead, p.visibility, &p.invited, p.status)
}

#[cfg(feature = "ssr")]
fn access_of<'a>(
    state: &AppState,
    lead: &'a str,
    visibility: super::model::Visibility,
    invited: &'a [String],
    status: ProjectStatus,
) -> ProjectAccess<'a> {
    ProjectAccess {
        lead,
        lead_kind: state
            .catalog
            .organisation(lead)
            .map_or(crate::orgs::model::OrgKind::Govtech, |o| o.kind),
        visibility,
        invited,
        status,
    }
}

/// Every project's card, current as of the last write on any server: the cached listing
/// when the change counter has not moved since it was read, else the listing with the rows
/// written since reloaded ([`crate::db::counter`]).
#[cfg(feature = "ssr")]
pub async fn listing(state: &AppState) -> Result<std::sync::Arc<ProjectListing>, AppError> {
    use super::repo::{LISTING_COUNTER, summaries_since};
    let slot = state.caches.slot::<ProjectListing>(LISTING_COUNTER);
    let listing = slot
        .get(&state.db, LISTING_COUNTER, |previous, _| async move {
            let since = previous.as_ref().map(|(rev, _)| *rev);
            let (rev, changed) = summaries_since(&state.db, since).await?;
            let listing = match previous {
                Some((_, old)) => old.updated(changed),
                None => ProjectListing::new(changed),
            };
            Ok((rev, listing))
        })
        .await?;
    Ok(listing)
}

/// The project `id` if the caller may see it; [`AppError::NotFound`] otherwise (a project the
/// caller may not see is answered as if it did not exist).
#[cfg(feature = "ssr")]
pub async fn visible_project(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<Project, AppError> {
    let id = ProjectId::parse(id).ok_or(AppError::NotFound)?;
    let project = super::repo::get(&state.db, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::may_read_project(user, &access(state, &project)) {
        return Err(AppError::NotFound);
    }
    Ok(project)
}

/// Every project the caller may see, newest first.
#[cfg(feature = "ssr")]
pub async fn visible_projects(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<Project>, AppError> {
    Ok(super::repo::all(&state.db)
        .await?
        .into_iter()
        .filter(|p| policy::may_read_project(user, &access(state, p)))
        .collect())
}

/// GET `/projects/export.csv`: every project the caller may see, with its participants (UTF-8
/// with BOM, formula-like cells neutralized). Signed-in users; a project the caller may not
/// see is not in it.
#[cfg(feature = "ssr")]
pub async fn export_csv(
    axum::extract::State(state): axum::extract::State<AppState>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    let bytes = async {
        let user = policy::require_user(crate::auth::request::user_of(&state, &session).await?)?;
        let projects = visible_projects(&state, &user).await?;
        let members = super::repo::participations(&state.db, None).await?;
        Ok(super::export::to_csv(&projects, &state.catalog, |key| {
            members.get(key).cloned().unwrap_or_default()
        }))
    };
    crate::http::attachment("kyodo_projects.csv", "text/csv; charset=utf-8", bytes.await)
}

/// The facts the OCDS mapping needs about a project the caller may see: its participants with
/// their shares, and each status it reached with when (from its history).
#[cfg(feature = "ssr")]
async fn ocds_facts(
    state: &AppState,
    session: &tower_sessions::Session,
    id: &str,
) -> Result<super::ocds::ProjectFacts, AppError> {
    use super::model::allocate;
    use super::ocds::{Party, ProjectFacts};
    let user = policy::require_user(crate::auth::request::user_of(state, session).await?)?;
    let project = visible_project(state, &user, id).await?;
    let participants = super::repo::participants(&state.db, &project.id).await?;
    let shares = allocate(
        &project.cost,
        &participants
            .iter()
            .map(super::model::Participation::cost_participant)
            .collect::<Vec<_>>(),
    );
    let party = |key: &str| {
        let org = state.catalog.organisation(key);
        Party {
            key: key.to_owned(),
            name_ja: org.map(|o| o.name_ja.clone()).unwrap_or_default(),
            name_en: org.map(|o| o.name_en.clone()).unwrap_or_default(),
        }
    };
    let subject = policy::project_subject(project.id.as_str());
    let mut transitions: Vec<(String, chrono::DateTime<chrono::Utc>)> =
        vec![("draft".to_owned(), project.created_at.0)];
    let mut history = crate::history::repo::entries(&state.db, &subject).await?;
    history.reverse();
    for entry in history {
        for change in entry.changes.iter().filter(|c| c.field == "status") {
            transitions.push((change.after.clone(), entry.at.0));
        }
    }
    Ok(ProjectFacts {
        id: project.id.to_string(),
        kind_code: project.kind.code().to_owned(),
        title: project.title.clone(),
        description: project.description.clone(),
        status_code: project.status.code().to_owned(),
        lead: party(&project.lead),
        window: project.window.map(|w| (w.opens_at, w.closes_at)),
        base_cost_yen: project.cost.base_cost_yen,
        supplier: project.supplier.clone(),
        amount_yen: project.amount_yen,
        cancel_reason: project.cancel_reason.clone(),
        created_at: project.created_at.0,
        updated_at: crate::ids::Timestamp::parse(&project.version)
            .map_or(project.created_at.0, |t| t.0),
        participants: participants
            .iter()
            .zip(&shares)
            .map(|(p, s)| (party(&p.org_key), p.quantity, s.total_yen))
            .collect(),
        transitions,
    })
}

/// The error for a change to a closed or cancelled project (the lifecycle's read-only rule,
/// [`super::model::TransitionError::ReadOnly`]).
#[cfg(feature = "ssr")]
fn read_only(status: ProjectStatus) -> AppError {
    let e = super::model::TransitionError::ReadOnly { status };
    AppError::rejected("status", |lang| e.message(lang))
}

/// POST `/projects/{id}/documents` (multipart: `back`, `file`): adds a document to project
/// `id` for its lead's managers ([`policy::may_manage_project`]) while it is not closed or
/// cancelled; the file rules are the attachments room's (size, type, count). Back to the
/// project's page with `?attached=1#attachments`, or with the error. Signed out: to `/login`;
/// a project the caller may not see: 404.
#[cfg(feature = "ssr")]
pub async fn upload_document(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    session: tower_sessions::Session,
    multipart: axum::extract::Multipart,
) -> axum::response::Response {
    use crate::attachments::server::{read_form, refuse, store, uploader};
    use axum::response::IntoResponse;
    let user = match uploader(&state, &session).await {
        Ok(user) => user,
        Err(answer) => return *answer,
    };
    let project = match visible_project(&state, &user, &id).await {
        Ok(project) => project,
        Err(e) => return e.into_response(),
    };
    let (upload, back) = match read_form(multipart).await {
        Ok(form) => form,
        Err(e) => return e.into_response(),
    };
    let refusal = if !policy::may_manage_project(&user, &access(&state, &project)) {
        Some(AppError::Forbidden)
    } else if project.status.is_read_only() {
        Some(read_only(project.status))
    } else {
        None
    };
    if let Some(error) = refusal {
        return refuse(&session, &back, error).await;
    }
    let subject = policy::project_subject(project.id.as_str());
    store(&state, &session, &user, &subject, upload, &back).await
}

/// GET `/projects/{id}/documents/{file}`: one of the project's documents, as a download, for
/// those who may see the project. Signed out: 401; a project the caller may not see, or a
/// file that is not this project's: 404.
#[cfg(feature = "ssr")]
pub async fn download_document(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path((id, file)): axum::extract::Path<(String, String)>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    let result = async {
        let user = policy::require_user(crate::auth::request::user_of(&state, &session).await?)?;
        let project = visible_project(&state, &user, &id).await?;
        let file = crate::ids::AttachmentId::parse(&file).ok_or(AppError::NotFound)?;
        let stored = crate::attachments::repo::file(&state.db, &file)
            .await?
            .ok_or(AppError::NotFound)?;
        if stored.subject != policy::project_subject(project.id.as_str()) {
            return Err(AppError::NotFound);
        }
        Ok(stored)
    };
    crate::attachments::server::serve(result.await)
}

/// The publisher named in the OCDS packages.
#[cfg(feature = "ssr")]
const OCDS_PUBLISHER: &str = "都・区市町村CIO協議会";

/// An OCDS download of project `id`: the release package (one release per stage reached), or
/// with `record` the record package, as a JSON attachment named `file`.
#[cfg(feature = "ssr")]
async fn ocds_download(
    state: AppState,
    session: tower_sessions::Session,
    id: String,
    file: &str,
    record: bool,
) -> axum::response::Response {
    let bytes = async {
        let facts = ocds_facts(&state, &session, &id).await?;
        let uri = format!("{}/projects/{}/{file}", state.public_url, facts.id);
        let now = chrono::Utc::now();
        let package = if record {
            super::ocds::record_package(&facts, &state.ocds_prefix, &uri, now, OCDS_PUBLISHER)
        } else {
            let releases = super::ocds::releases_for_history(&facts, &state.ocds_prefix);
            super::ocds::release_package(releases, &uri, now, OCDS_PUBLISHER)
        };
        serde_json::to_vec_pretty(&package).map_err(AppError::internal)
    };
    let name = if record {
        "ocds_record_package.json"
    } else {
        "ocds_release_package.json"
    };
    crate::http::attachment(name, "application/json", bytes.await)
}

/// GET `/projects/{id}/ocds.json`: the project as an OCDS 1.1 release package, one release
/// per status it reached (planning, tender, award and contract, implementation, …), `ocid`
/// `<KYODO_OCDS_PREFIX>-<key>`, amounts in JPY. Signed-in users who may see the project (404
/// otherwise).
#[cfg(feature = "ssr")]
pub async fn ocds_release_package(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    ocds_download(state, session, id, "ocds.json", false).await
}

/// GET `/projects/{id}/ocds-record.json`: the project as an OCDS 1.1 record package (every
/// release and the compiled release). Signed-in users who may see the project.
#[cfg(feature = "ssr")]
pub async fn ocds_record_package(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    ocds_download(state, session, id, "ocds-record.json", true).await
}

/// One page of the projects the caller may see (POST `/api/list_projects`), filtered by
/// kind, status, tag and related standard system codes and by a search of titles (each
/// optional, blank = all): open calls first, the soonest to close first, then the rest newest
/// first ([`super::model::ProjectListing::page`]). `page` counts from 0 (blank = 0); a page
/// holds [`super::model::PAGE_SIZE`] cards.
#[server(prefix = "/api", endpoint = "list_projects")]
pub async fn list_projects(
    #[server(default)] kind: String,
    #[server(default)] status: String,
    #[server(default)] tag: String,
    #[server(default)] system: String,
    #[server(default)] q: String,
    #[server(default)] page: String,
) -> Result<ProjectListView, AppError> {
    use super::model::ListFilter;
    use super::views::ProjectListItem;
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let page: u32 = page.trim().parse::<u32>().unwrap_or(0).min(MAX_PAGE);
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let filter = ListFilter {
        kind: ProjectKind::from_code(kind.trim()),
        status: ProjectStatus::from_code(status.trim()),
        tag: some(&tag),
        system: some(&system),
        query: crate::text::search_key(&q.chars().take(MAX_QUERY_CHARS).collect::<String>()),
    };
    let now = chrono::Utc::now();
    let listing = listing(&state).await?;
    let visible = |p: &ProjectSummary| policy::may_read_project(&user, &summary_access(&state, p));
    let found = listing.page(&filter, now, visible, page as usize);
    let ids: Vec<ProjectId> = found.items.iter().map(|p| p.id.clone()).collect();
    let counts = super::repo::participant_counts(&state.db, &ids).await?;
    let joined = super::repo::joined_among(&state.db, &user.organisation.key, &ids).await?;
    let items = found
        .items
        .into_iter()
        .enumerate()
        .map(|(n, p)| {
            let lead = state.catalog.organisation(&p.lead);
            ProjectListItem {
                participants: counts.get(n).copied().unwrap_or(0),
                joined: joined.contains(&p.id),
                lead_name_ja: lead.map(|o| o.name_ja.clone()).unwrap_or_default(),
                lead_name_en: lead.map(|o| o.name_en.clone()).unwrap_or_default(),
                days_left: p
                    .open_at(now)
                    .then(|| p.window.map(|w| w.days_left(now)))
                    .flatten(),
                card: p,
            }
        })
        .collect();
    Ok(ProjectListView {
        items,
        page,
        more: found.more,
        tags: listing.tags(visible),
        systems: state
            .catalog
            .systems
            .iter()
            .map(|s| (s.code.clone(), s.name_ja.clone(), s.name_en.clone()))
            .collect(),
        may_create: policy::may_create_any_project(&user),
    })
}

/// A project's page (POST `/api/get_project`): the project, its participants with their
/// estimated shares, its timeline and what the caller may do. [`AppError::NotFound`] for a
/// project the caller may not see.
#[server(prefix = "/api", endpoint = "get_project")]
pub async fn get_project(id: String) -> Result<ProjectPageView, AppError> {
    use super::model::{Participant, allocate, if_one_more_joins};
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let project = visible_project(&state, &user, &id).await?;
    let rules = access(&state, &project);
    let participants = super::repo::participants(&state.db, &project.id).await?;
    let cost_participants: Vec<Participant> = participants
        .iter()
        .map(super::model::Participation::cost_participant)
        .collect();
    let shares = allocate(&project.cost, &cost_participants);
    let one_more = (!participants.is_empty())
        .then(|| {
            let total: u64 = participants.iter().map(|p| u64::from(p.quantity)).sum();
            let average = (total / participants.len() as u64).max(1);
            let newcomer = Participant {
                lg_code: "999999".into(),
                quantity: u32::try_from(average).unwrap_or(u32::MAX),
                population: 0,
            };
            if_one_more_joins(&project.cost, &cost_participants, &newcomer)
        })
        .flatten();
    let now = chrono::Utc::now();
    let window_open =
        project.status == ProjectStatus::Open && project.window.is_some_and(|w| w.is_open(now));
    let subject = policy::project_subject(project.id.as_str());
    let lead = state
        .catalog
        .organisation(&project.lead)
        .cloned()
        .ok_or_else(|| AppError::internal("a project's lead is not in the catalog"))?;
    let mut posts = crate::threads::repo::posts(&state.db, &subject).await?;
    for post in &mut posts {
        post.body_html = crate::markdown::render(&post.body);
    }
    Ok(ProjectPageView {
        description_html: crate::markdown::render(&project.description),
        systems: project
            .systems
            .iter()
            .filter_map(|code| state.catalog.systems.iter().find(|s| s.code == *code))
            .map(|s| (s.code.clone(), s.name_ja.clone(), s.name_en.clone()))
            .collect(),
        own: participants
            .iter()
            .find(|p| p.org_key == user.organisation.key)
            .cloned(),
        may_manage: policy::may_manage_project(&user, &rules),
        may_join: policy::may_join_project(&user, &rules),
        days_left: window_open
            .then(|| project.window.map(|w| w.days_left(now)))
            .flatten(),
        history: crate::history::repo::entries(&state.db, &subject).await?,
        markable: posts
            .iter()
            .filter(|post| post.reply_to.is_none() && !project.status.is_read_only())
            .filter(|post| policy::may_mark_answered(&user, &rules, &post.author_id))
            .map(|post| post.id.clone())
            .collect(),
        posts,
        documents: crate::attachments::repo::list(&state.db, &subject).await?,
        may_attach: policy::may_manage_project(&user, &rules) && !project.status.is_read_only(),
        window_open,
        now: crate::ids::Timestamp(now),
        participants,
        shares,
        one_more,
        lead,
        project,
    })
}

/// Marks question `post` of project `id`'s thread answered (`answered` = `1`) or open again
/// (anything else) (POST `/api/mark_project_question`), then back to the project at the
/// question. For the lead's managers and the question's author
/// ([`policy::may_mark_answered`]).
///
/// Errors: [`AppError::NotFound`] for a project the caller may not see;
/// [`AppError::Invalid`] (field `post`) for a post that is not a question of this thread;
/// [`AppError::Forbidden`] for anyone else; [`AppError::Rejected`] (field `status`) once the
/// project is closed or cancelled.
#[server(prefix = "/api", endpoint = "mark_project_question")]
pub async fn mark_project_question(
    id: String,
    post: String,
    #[server(default)] answered: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let project = visible_project(&state, &user, &id).await?;
    let subject = policy::project_subject(project.id.as_str());
    let not_a_question = || AppError::Invalid {
        field: "post".into(),
        reason: "not a question of this thread".into(),
    };
    let post = crate::ids::PostId::parse(&post).ok_or_else(not_a_question)?;
    let (_, author) = crate::threads::repo::post_owner(&state.db, &post)
        .await?
        .filter(|(s, _)| *s == subject)
        .ok_or_else(not_a_question)?;
    if !policy::may_mark_answered(&user, &access(&state, &project), &author) {
        return Err(AppError::Forbidden);
    }
    if project.status.is_read_only() {
        return Err(read_only(project.status));
    }
    let answered = answered.trim() == "1";
    if !crate::threads::repo::mark_answered(&state.db, &subject, &post, answered, &user.id).await? {
        return Err(not_a_question());
    }
    let flag = if answered { "answered" } else { "reopened" };
    leptos_axum::redirect(&format!("/projects/{}?{flag}=1#comment-{post}", project.id));
    Ok(())
}

/// The choices of the "new project" form for the caller (POST `/api/new_project_form`);
/// [`AppError::Forbidden`] for those who may create none.
#[server(prefix = "/api", endpoint = "new_project_form")]
pub async fn new_project_form() -> Result<NewProjectView, AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    if !policy::may_create_any_project(&user) {
        return Err(AppError::Forbidden);
    }
    let leads: Vec<_> = state
        .catalog
        .organisations
        .iter()
        .filter(|o| {
            ProjectKind::ALL
                .into_iter()
                .any(|k| policy::may_create_project(&user, k, &o.key, o.kind))
        })
        .cloned()
        .collect();
    let kinds = ProjectKind::ALL
        .into_iter()
        .filter(|k| {
            leads
                .iter()
                .any(|o| policy::may_create_project(&user, *k, &o.key, o.kind))
        })
        .collect();
    Ok(NewProjectView {
        kinds,
        leads,
        municipalities: state.catalog.municipalities().cloned().collect(),
        systems: state
            .catalog
            .systems
            .iter()
            .map(|s| (s.code.clone(), s.name_ja.clone(), s.name_en.clone()))
            .collect(),
    })
}

/// Reads a participation form: quantity 1–1,000,000 and an optional note, checked with the
/// window by [`super::model::check_join`] at server time.
#[cfg(feature = "ssr")]
fn participation_input(
    project: &Project,
    quantity: &str,
    note: &str,
) -> Result<(u32, Option<String>), AppError> {
    // Digits, optionally grouped by thousands (`1,200`); full-width digits are read as such.
    let normalized = crate::csv_input::normalize(quantity);
    let grouped = normalized.split(',').enumerate().all(|(i, group)| {
        !group.is_empty()
            && group.bytes().all(|b| b.is_ascii_digit())
            && (i == 0 && group.len() <= 3 || i > 0 && group.len() == 3)
    });
    let plain = !normalized.is_empty() && normalized.bytes().all(|b| b.is_ascii_digit());
    let quantity: u32 = (grouped || plain)
        .then(|| normalized.replace(',', ""))
        .and_then(|digits| digits.parse().ok())
        .ok_or(())
        .map_err(|()| {
            AppError::rejected("quantity", |lang| {
                lang.pick(
                    "数量は1以上の整数で入力してください。",
                    "The quantity must be a whole number, 1 or more.",
                )
                .to_owned()
            })
        })?;
    let note = crate::text::clean_multiline(&crate::text::nfc(note))
        .trim()
        .to_owned();
    let note = (!note.is_empty()).then_some(note);
    super::model::check_join(
        project.status,
        project.window,
        chrono::Utc::now(),
        quantity,
        note.as_deref(),
    )
    .map_err(|e| AppError::rejected(e.field().unwrap_or("quantity"), |lang| e.message(lang)))?;
    Ok((quantity, note))
}

/// The caller's municipality and the project, if the caller may take part in it.
#[cfg(feature = "ssr")]
async fn joinable(state: &AppState, user: &CurrentUser, id: &str) -> Result<Project, AppError> {
    let project = visible_project(state, user, id).await?;
    if !policy::may_join_project(user, &access(state, &project)) {
        return Err(AppError::Forbidden);
    }
    Ok(project)
}

/// The answer to a participation write that did not happen.
#[cfg(feature = "ssr")]
fn participation_refused(write: super::repo::ParticipationWrite, joining: bool) -> AppError {
    use super::repo::ParticipationWrite as W;
    match write {
        W::WindowClosed => AppError::rejected("quantity", |lang| {
            lang.pick(
                "参加募集の期間ではありません（締め切られたか、状況が変わりました）。ページを再読み込みしてください。",
                "The call for participation is not open (it closed or the project moved on). Reload the page.",
            )
            .to_owned()
        }),
        W::AlreadyDone if joining => AppError::rejected("quantity", |lang| {
            lang.pick(
                "この団体はすでに参加しています。数量の変更は「参加内容を変更」からどうぞ。",
                "Your organisation has already joined. Change the quantity with “Change participation”.",
            )
            .to_owned()
        }),
        W::AlreadyDone | W::Done => AppError::rejected("quantity", |lang| {
            lang.pick(
                "この団体は参加していません。ページを再読み込みしてください。",
                "Your organisation is not taking part. Reload the page.",
            )
            .to_owned()
        }),
    }
}

/// Joins (or, with `joining` false, changes) the caller's municipality's participation and
/// redirects back to the project with `?joined=1` / `?changed=1`.
#[cfg(feature = "ssr")]
async fn write_participation(
    id: &str,
    quantity: &str,
    note: &str,
    joining: bool,
) -> Result<(), AppError> {
    use super::repo::{ParticipationChange, ParticipationWrite};
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let project = joinable(&state, &user, id).await?;
    let (quantity, note) = participation_input(&project, quantity, note)?;
    let org = &user.organisation;
    let before = if joining {
        None
    } else {
        super::repo::participants(&state.db, &project.id)
            .await?
            .into_iter()
            .find(|p| p.org_key == org.key)
    };
    let changes = [crate::history::model::FieldChange {
        field: "participant".into(),
        before: before
            .map(|b| format!("{} × {}", org.name_ja, b.quantity))
            .unwrap_or_default(),
        after: format!("{} × {quantity}", org.name_ja),
    }];
    let change = if joining {
        ParticipationChange::Join { quantity, note }
    } else {
        ParticipationChange::Change { quantity, note }
    };
    let write = super::repo::participate(
        &state.db,
        &project.id,
        &org.key,
        &user.id,
        &change,
        &changes,
    )
    .await?;
    if write != ParticipationWrite::Done {
        return Err(participation_refused(write, joining));
    }
    tracing::info!(user = %user.id, project = %project.id, quantity, joining, "participation written");
    let flag = if joining { "joined" } else { "changed" };
    leptos_axum::redirect(&format!("/projects/{}?{flag}=1", project.id));
    Ok(())
}

/// Joins a project for the caller's municipality (POST `/api/join_project`): quantity and
/// note, while the call is open by server time; redirects back to the project. At most once
/// per municipality, however many of its people click at once: the others get "already
/// joined".
#[server(prefix = "/api", endpoint = "join_project")]
pub async fn join_project(
    id: String,
    #[server(default)] quantity: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    write_participation(&id, &quantity, &note, true).await
}

/// Changes the caller's municipality's quantity and note (POST `/api/change_participation`)
/// while the call is open; redirects back to the project.
#[server(prefix = "/api", endpoint = "change_participation")]
pub async fn change_participation(
    id: String,
    #[server(default)] quantity: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    write_participation(&id, &quantity, &note, false).await
}

/// Withdraws the caller's municipality (POST `/api/withdraw_project`) while the call is
/// open; redirects back to the project.
#[server(prefix = "/api", endpoint = "withdraw_project")]
pub async fn withdraw_project(id: String) -> Result<(), AppError> {
    use super::repo::ParticipationWrite;
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let project = joinable(&state, &user, &id).await?;
    super::model::check_withdraw(project.status, project.window, chrono::Utc::now())
        .map_err(|e| AppError::rejected("quantity", |lang| e.message(lang)))?;
    let changes = [crate::history::model::FieldChange {
        field: "participant".into(),
        before: user.organisation.name_ja.clone(),
        after: String::new(),
    }];
    let write = super::repo::participate(
        &state.db,
        &project.id,
        &user.organisation.key,
        &user.id,
        &super::repo::ParticipationChange::Withdraw,
        &changes,
    )
    .await?;
    if write != ParticipationWrite::Done {
        return Err(participation_refused(write, false));
    }
    tracing::info!(user = %user.id, project = %project.id, "withdrew from a project");
    leptos_axum::redirect(&format!("/projects/{}?withdrawn=1", project.id));
    Ok(())
}

/// Posts a question or announcement on a project's thread (POST `/api/post_project_comment`):
/// Markdown, 1–10,000 characters, optionally answering a post of the same thread; redirects
/// back to the project at the new post. Anyone who may see the project may post; the lead
/// organisation's users, the participants' users and the thread's earlier authors are
/// notified (never the author), in the same transaction.
///
/// Errors: [`AppError::NotFound`] for a project the caller may not see;
/// [`AppError::Rejected`] for an empty or too long body; [`AppError::Invalid`] for a
/// `reply_to` that is not a post of this thread.
#[server(prefix = "/api", endpoint = "post_project_comment")]
pub async fn post_project_comment(
    id: String,
    body: String,
    #[server(default)] reply_to: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let project = visible_project(&state, &user, &id).await?;
    let subject = policy::project_subject(project.id.as_str());
    let body = crate::threads::server::clean_body(&body)?;
    let reply_to = crate::threads::server::reply_in(&state, &subject, &reply_to).await?;
    let mut orgs: Vec<String> = super::repo::participants(&state.db, &project.id)
        .await?
        .into_iter()
        .map(|p| p.org_key)
        .collect();
    orgs.push(project.lead.clone());
    let mut recipients = super::repo::users_of(&state.db, &orgs).await?;
    let mut authors: Vec<crate::ids::UserId> =
        crate::threads::repo::participants(&state.db, &subject)
            .await?
            .into_iter()
            .map(crate::ids::UserId::from)
            .collect();
    // Earlier authors are told only while their organisation may still see the project (a
    // project for invited organisations or a draft is not the whole council's).
    let council_wide = project.visibility == super::model::Visibility::Council
        && project.status != ProjectStatus::Draft;
    if !council_wide {
        let mut readers = project.invited.clone();
        readers.push(project.lead.clone());
        let mut allowed = super::repo::users_of(&state.db, &readers).await?;
        allowed.extend(super::repo::secretariat(&state.db).await?);
        authors.retain(|a| allowed.contains(a));
    }
    recipients.extend(authors);
    recipients.sort();
    recipients.dedup();
    recipients.retain(|r| *r != user.id);
    let post_id = crate::ids::random_key();
    let notice = crate::notifications::model::Notice::new(
        "project_comment",
        subject.clone(),
        format!("/projects/{}#comment-{post_id}", project.id),
        (
            format!(
                "{}さんが協働事業「{}」に投稿しました",
                user.name_ja, project.title
            ),
            format!(
                "{} posted on the joint project “{}”",
                user.name_en, project.title
            ),
        ),
        &body,
    );
    let post = crate::threads::repo::NewPost {
        id: &post_id,
        subject: &subject,
        author_id: &user.id,
        body: &body,
        reply_to: reply_to.as_ref(),
    };
    crate::threads::repo::add_post(&state.db, post, &notice, &recipients).await?;
    tracing::info!(user = %user.id, project = %project.id, "project comment posted");
    leptos_axum::redirect(&format!(
        "/projects/{}?posted=1#comment-{post_id}",
        project.id
    ));
    Ok(())
}

/// Reads a `datetime-local` value (`2026-12-03T17:00`, Japan time) as a UTC instant.
#[cfg(feature = "ssr")]
fn jst_instant(field: &str, value: &str) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    crate::i18n::parse_jst_local(value).ok_or_else(|| {
        AppError::rejected(field, |lang| {
            lang.pick(
                "日時を「2026-12-03 17:00」の形で入力してください（日本時間）。",
                "Enter a date and time such as 2026-12-03 17:00 (Japan time).",
            )
            .to_owned()
        })
    })
}

pub use forms::*;

/// The server functions of the two long forms (their many arguments are the forms' fields).
#[allow(clippy::too_many_arguments)]
mod forms {
    use super::*;

    /// Creates a project as 下書き (POST `/api/create_project`, the "new project" form) and
    /// redirects to its page. Refused with the field named: a kind or lead the caller may not
    /// use (403), bad text lengths, tags or amounts ([`super::super::model::ProjectInput::check`]), an
    /// unknown system or invited organisation, an invite list without organisations.
    #[server(prefix = "/api", endpoint = "create_project")]
    pub async fn create_project(
        #[server(default)] kind: String,
        #[server(default)] lead: String,
        #[server(default)] title: String,
        #[server(default)] summary: String,
        #[server(default)] description: String,
        #[server(default)] contact: String,
        #[server(default)] tags: String,
        #[server(default)] systems: Vec<String>,
        #[server(default)] visibility: String,
        #[server(default)] invited: Vec<String>,
        #[server(default)] unit: String,
        #[server(default)] base_cost_yen: String,
        #[server(default)] split: String,
        #[server(default)] unit_price_yen: String,
        #[server(default)] reference_price_yen_per_unit: String,
        #[server(default)] single_buyer_base_yen: String,
    ) -> Result<(), AppError> {
        use super::super::model::{ProjectInput, Visibility};
        let crate::auth::request::SignedIn { state, user } =
            crate::auth::request::signed_in().await?;
        let input = ProjectInput {
            kind: ProjectKind::from_code(kind.trim()),
            title: crate::text::clean_line(&crate::text::nfc(&title))
                .trim()
                .to_owned(),
            summary: crate::text::clean_multiline(&crate::text::nfc(&summary))
                .trim()
                .to_owned(),
            description: crate::text::clean_multiline(&crate::text::nfc(&description))
                .trim()
                .to_owned(),
            contact: crate::text::clean_line(&contact).trim().to_owned(),
            tags: crate::text::clean_line(&crate::text::nfc(&tags)),
            unit: crate::text::clean_line(&unit).trim().to_owned(),
            base_cost_yen,
            split,
            unit_price_yen,
            reference_price_yen_per_unit,
            single_buyer_base_yen,
        };
        let checked = input
            .check()
            .map_err(|p| AppError::rejected(p.field, |lang| p.message(lang).to_owned()))?;
        let lead_org = state
            .catalog
            .organisation(lead.trim())
            .ok_or_else(|| {
                AppError::rejected("lead", |lang| {
                    lang.pick(
                        "主担当の団体を選んでください。",
                        "Choose the lead organisation.",
                    )
                    .to_owned()
                })
            })?
            .clone();
        if !policy::may_create_project(&user, checked.kind, &lead_org.key, lead_org.kind) {
            return Err(AppError::Forbidden);
        }
        for code in &systems {
            if !state.catalog.systems.iter().any(|s| s.code == *code) {
                return Err(AppError::rejected("systems", |lang| {
                    lang.pick(
                        "関連する標準化対象業務を選び直してください。",
                        "Choose the related standard systems again.",
                    )
                    .to_owned()
                }));
            }
        }
        // Fails closed: a value that is not one of the two is refused, never read as "council".
        let visibility = match visibility.trim() {
            "" => Visibility::Council,
            code => Visibility::from_code(code).ok_or_else(|| {
                AppError::rejected("visibility", |lang| {
                    lang.pick(
                        "公開範囲を選び直してください。",
                        "Choose who may see the project again.",
                    )
                    .to_owned()
                })
            })?,
        };
        let mut invited: Vec<String> = match visibility {
            Visibility::Council => Vec::new(),
            Visibility::Invited => invited.iter().map(|k| k.trim().to_owned()).collect(),
        };
        invited.sort();
        invited.dedup();
        let mut systems = systems;
        systems.dedup();
        systems.sort_by_key(|code| state.catalog.systems.iter().position(|s| s.code == *code));
        systems.dedup();
        if invited
            .iter()
            .any(|k| !state.catalog.municipalities().any(|o| o.key == *k))
        {
            return Err(AppError::rejected("invited", |lang| {
                lang.pick(
                    "招待する団体を選び直してください。",
                    "Choose the invited organisations again.",
                )
                .to_owned()
            }));
        }
        if visibility == Visibility::Invited && invited.is_empty() {
            return Err(AppError::rejected("invited", |lang| {
                lang.pick(
                    "招待する団体を1つ以上選んでください。",
                    "Choose at least one organisation to invite.",
                )
                .to_owned()
            }));
        }
        let project = Project {
            id: crate::ids::random_key().into(),
            kind: checked.kind,
            title: input.title,
            summary: input.summary,
            description: input.description,
            lead: lead_org.key,
            contact: input.contact,
            tags: checked.tags,
            systems,
            visibility,
            invited,
            status: ProjectStatus::Draft,
            window: None,
            unit: input.unit,
            cost: checked.cost,
            supplier: None,
            amount_yen: None,
            cancel_reason: None,
            created_at: crate::ids::Timestamp::now(),
            version: String::new(),
        };
        super::super::repo::create(
            &state.db,
            super::super::repo::NewProject {
                project: &project,
                actor: &user.id,
            },
        )
        .await?;
        tracing::info!(user = %user.id, project = %project.id, kind = project.kind.code(), "project created");
        leptos_axum::redirect(&format!("/projects/{}?created=1", project.id));
        Ok(())
    }

    /// Moves a project to its next status or cancels it (POST `/api/move_project`): `to` is the
    /// target status code, with `opens_at`/`closes_at` (JST) for 参加募集, `supplier` and
    /// `amount_yen` for 契約, `reason` for 中止. Only the lead or the secretariat (403 otherwise);
    /// refused with the field named by [`super::super::model::check_transition`], or when the project
    /// changed since the page was opened (`version`), or (checked in the write) 参加確定 with fewer
    /// than two participants. Participants and the lead organisation are notified.
    #[server(prefix = "/api", endpoint = "move_project")]
    pub async fn move_project(
        id: String,
        #[server(default)] version: String,
        #[server(default)] to: String,
        #[server(default)] opens_at: String,
        #[server(default)] closes_at: String,
        #[server(default)] supplier: String,
        #[server(default)] amount_yen: String,
        #[server(default)] reason: String,
    ) -> Result<(), AppError> {
        use super::super::model::{check_transition, parse_yen};
        use super::super::repo::MoveWrite;
        use crate::history::model::FieldChange;
        let crate::auth::request::SignedIn { state, user } =
            crate::auth::request::signed_in().await?;
        let project = visible_project(&state, &user, &id).await?;
        if !policy::may_manage_project(&user, &access(&state, &project)) {
            return Err(AppError::Forbidden);
        }
        let now = chrono::Utc::now();
        let transition = match ProjectStatus::from_code(to.trim()) {
            Some(ProjectStatus::Open) => Transition::Open {
                window: Window {
                    opens_at: jst_instant("opens_at", &opens_at)?,
                    closes_at: jst_instant("closes_at", &closes_at)?,
                },
            },
            Some(ProjectStatus::Confirmed) => Transition::Confirmed,
            Some(ProjectStatus::Tendering) => Transition::Tendering,
            Some(ProjectStatus::Awarded) => Transition::Awarded {
                supplier: crate::text::clean_line(&crate::text::nfc(&supplier))
                    .trim()
                    .to_owned(),
                amount_yen: parse_yen(&amount_yen)
                    .ok()
                    .flatten()
                    .ok_or_else(|| {
                        AppError::rejected("amount_yen", |lang| {
                            lang.pick(
                                "契約金額は1円以上の整数（円）で入力してください（例: 12,000,000）。",
                                "The contract amount must be a whole number of yen, 1 or more (e.g. 12,000,000).",
                            )
                            .to_owned()
                        })
                    })?,
            },
            Some(ProjectStatus::Operating) => Transition::Operating,
            Some(ProjectStatus::Closed) => Transition::Closed,
            Some(ProjectStatus::Cancelled) => Transition::Cancelled {
                reason: crate::text::clean_multiline(&crate::text::nfc(&reason))
                    .trim()
                    .to_owned(),
            },
            Some(ProjectStatus::Draft) | None => {
                return Err(AppError::Invalid {
                    field: "to".into(),
                    reason: "not a status a project moves to".into(),
                });
            }
        };
        let participants = super::super::repo::participants(&state.db, &project.id).await?;
        check_transition(project.status, &transition, participants.len(), now)
            .map_err(|e| AppError::rejected(e.field().unwrap_or("to"), |lang| e.message(lang)))?;
        let mut after = project.clone();
        after.status = transition.to();
        match &transition {
            Transition::Open { window } => after.window = Some(*window),
            Transition::Confirmed => after.window = project.window.map(|w| w.ended_at(now)),
            Transition::Awarded {
                supplier,
                amount_yen,
            } => {
                after.supplier = Some(supplier.clone());
                after.amount_yen = Some(*amount_yen);
            }
            Transition::Cancelled { reason } => after.cancel_reason = Some(reason.clone()),
            _ => {}
        }
        let instant = |w: Option<Window>, f: fn(Window) -> chrono::DateTime<chrono::Utc>| {
            w.map(|w| crate::ids::Timestamp(f(w)).rfc3339())
                .unwrap_or_default()
        };
        let changes: Vec<FieldChange> = [
            (
                "status",
                project.status.code().to_owned(),
                after.status.code().to_owned(),
            ),
            (
                "opens_at",
                instant(project.window, |w| w.opens_at),
                instant(after.window, |w| w.opens_at),
            ),
            (
                "closes_at",
                instant(project.window, |w| w.closes_at),
                instant(after.window, |w| w.closes_at),
            ),
            (
                "supplier",
                project.supplier.clone().unwrap_or_default(),
                after.supplier.clone().unwrap_or_default(),
            ),
            (
                "amount_yen",
                project
                    .amount_yen
                    .map(|a| a.to_string())
                    .unwrap_or_default(),
                after.amount_yen.map(|a| a.to_string()).unwrap_or_default(),
            ),
            (
                "cancel_reason",
                project.cancel_reason.clone().unwrap_or_default(),
                after.cancel_reason.clone().unwrap_or_default(),
            ),
        ]
        .into_iter()
        .filter(|(_, before, after)| before != after)
        .map(|(field, before, after)| FieldChange {
            field: field.into(),
            before,
            after,
        })
        .collect();
        let mut orgs: Vec<String> = participants.iter().map(|p| p.org_key.clone()).collect();
        orgs.push(project.lead.clone());
        let mut recipients = super::super::repo::users_of(&state.db, &orgs).await?;
        recipients.retain(|r| *r != user.id);
        let notice = crate::notifications::model::Notice::new(
            "project_status",
            policy::project_subject(project.id.as_str()),
            format!("/projects/{}", project.id),
            (
                format!(
                    "協働事業「{}」が「{}」になりました",
                    project.title,
                    after.status.label(Lang::Ja)
                ),
                format!(
                    "Joint project “{}” is now “{}”",
                    project.title,
                    after.status.label(Lang::En)
                ),
            ),
            after.cancel_reason.as_deref().unwrap_or(""),
        );
        let write = super::super::repo::move_to(
            &state.db,
            super::super::repo::Move {
                id: &project.id,
                version: version.trim(),
                after: &after,
                changes: &changes,
                actor: &user.id,
                notice: &notice,
                recipients: &recipients,
            },
        )
        .await?;
        match write {
            MoveWrite::Done => {}
            MoveWrite::Stale => {
                return Err(AppError::rejected("version", |lang| {
                    lang.pick(
                        "この事業は、画面を開いた後に他の利用者が更新しました。再読み込みして確認してください。",
                        "Someone else changed this project after you opened it. Reload the page and check.",
                    )
                    .to_owned()
                }));
            }
            MoveWrite::TooFewParticipants => {
                // Someone withdrew meanwhile: say how many take part now.
                let count = super::super::repo::participants(&state.db, &project.id)
                    .await?
                    .len();
                let e = super::super::model::TransitionError::TooFewParticipants { count };
                return Err(AppError::rejected("to", |lang| e.message(lang)));
            }
        }
        tracing::info!(user = %user.id, project = %project.id, to = after.status.code(), "project moved");
        leptos_axum::redirect(&format!("/projects/{}?moved=1", project.id));
        Ok(())
    }
}

/// The joint projects and project-thread posts that match query `q` (cleaned,
/// [`crate::search::model::clean_query`]) among the projects `user` may see
/// ([`policy::may_read_project`]). For the top layer's search page.
#[cfg(feature = "ssr")]
pub async fn search_hits(
    state: &AppState,
    user: &CurrentUser,
    q: &str,
) -> Result<Vec<crate::search::model::Hit>, AppError> {
    let rows = super::repo::search(&state.db, q).await?;
    let mut projects: std::collections::HashMap<String, Option<Project>> = Default::default();
    let mut hits = Vec::new();
    for r in rows {
        if !projects.contains_key(&r.project) {
            let found = match crate::ids::ProjectId::parse(&r.project) {
                Some(id) => super::repo::get(&state.db, &id)
                    .await?
                    .filter(|p| policy::may_read_project(user, &access(state, p))),
                None => None,
            };
            projects.insert(r.project.clone(), found);
        }
        let Some(Some(p)) = projects.get(&r.project) else {
            continue;
        };
        let lead = state.catalog.organisation(&p.lead);
        hits.push(crate::search::model::Hit {
            link: match &r.post {
                Some(post) => format!("/projects/{}#comment-{post}", p.id),
                None => format!("/projects/{}", p.id),
            },
            title: p.title.clone(),
            place: (
                lead.map_or_else(String::new, |o| o.name_ja.clone()),
                lead.map_or_else(String::new, |o| o.name_en.clone()),
            ),
            snippet_html: crate::search::model::snippet(&r.text, q),
            kind: r.kind,
            score: r.score,
            at: r.at.map(crate::ids::Timestamp),
        });
    }
    Ok(hits)
}
