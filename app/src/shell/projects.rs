//! Sections that join the projects room with the standardization records, gathered here at
//! the top because they read both rooms: the partner finder on a project's page (for its
//! lead) and, on the home page, the caller's projects and the open projects their
//! municipality could join.

use crate::error::AppError;
use crate::i18n::{Lang, use_lang};
use crate::ui::{loading, render};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// A municipality the partner finder suggests, with its reasons in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestedPartner {
    /// Organisation key (lg code).
    pub org_key: String,
    /// Name (Japanese).
    pub name_ja: String,
    /// Name (English).
    pub name_en: String,
    /// Reasons (Japanese).
    pub reasons_ja: Vec<String>,
    /// Reasons (English).
    pub reasons_en: Vec<String>,
}

/// A project on the home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeProject {
    /// Key.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status label (Japanese).
    pub status_ja: String,
    /// Status label (English).
    pub status_en: String,
    /// Why it is suggested (Japanese), for "projects you could join".
    pub reasons_ja: Vec<String>,
    /// Why it is suggested (English).
    pub reasons_en: Vec<String>,
}

/// The home page's project section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeProjects {
    /// Projects the caller's organisation leads or takes part in (not closed or cancelled).
    pub mine: Vec<HomeProject>,
    /// Open projects (by server time) the caller's municipality could join, with reasons.
    pub could_join: Vec<HomeProject>,
}

/// The reference municipalities of a project: its participants and a municipal lead.
#[cfg(feature = "ssr")]
fn reference_of(
    state: &crate::state::AppState,
    lead: &str,
    participants: &[String],
) -> Vec<String> {
    let mut reference = participants.to_vec();
    if state
        .catalog
        .organisation(lead)
        .is_some_and(|o| o.kind.is_municipal())
    {
        reference.push(lead.to_owned());
    }
    reference
}

/// The reasons as sentences in both languages.
#[cfg(feature = "ssr")]
fn reason_texts(
    state: &crate::state::AppState,
    reasons: &[crate::projects::model::PartnerReason],
) -> (Vec<String>, Vec<String>) {
    let name = |lang: Lang| {
        move |code: &str| {
            state
                .catalog
                .systems
                .iter()
                .find(|s| s.code == code)
                .map_or_else(|| code.to_owned(), |s| s.name(lang).to_owned())
        }
    };
    (
        reasons
            .iter()
            .map(|r| r.text(Lang::Ja, name(Lang::Ja)))
            .collect(),
        reasons
            .iter()
            .map(|r| r.text(Lang::En, name(Lang::En)))
            .collect(),
    )
}

/// The partner finder for a project (POST `/api/get_partner_suggestions`): municipalities
/// that could join, with reasons, for the project's lead or the secretariat only
/// ([`AppError::Forbidden`] otherwise; [`AppError::NotFound`] for a project the caller may
/// not see).
#[server(prefix = "/api", endpoint = "get_partner_suggestions")]
pub async fn get_partner_suggestions(id: String) -> Result<Vec<SuggestedPartner>, AppError> {
    use crate::projects::model::suggest_partners;
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let project = crate::projects::server::visible_project(&state, &user, &id).await?;
    let rules = crate::projects::server::access(&state, &project);
    if !crate::policy::may_manage_project(&user, &rules) {
        return Err(AppError::Forbidden);
    }
    let taking_part: Vec<String> = crate::projects::repo::participants(&state.db, &project.id)
        .await?
        .into_iter()
        .map(|p| p.org_key)
        .collect();
    let reference = reference_of(&state, &project.lead, &taking_part);
    let records = crate::standardization::server::all_progress(&state).await?;
    let invited_only = project.visibility == crate::projects::model::Visibility::Invited;
    Ok(
        suggest_partners(&project.systems, &reference, &taking_part, &records)
            .into_iter()
            // A project for invited organisations suggests only among them.
            .filter(|s| !invited_only || project.invited.contains(&s.org_key))
            .filter_map(|s| {
                let org = state.catalog.organisation(&s.org_key)?;
                let (reasons_ja, reasons_en) = reason_texts(&state, &s.reasons);
                Some(SuggestedPartner {
                    org_key: s.org_key,
                    name_ja: org.name_ja.clone(),
                    name_en: org.name_en.clone(),
                    reasons_ja,
                    reasons_en,
                })
            })
            .collect(),
    )
}

/// How many open calls the home page's partner finder looks at (the soonest to close).
#[cfg(feature = "ssr")]
const HOME_OPEN_CALLS: usize = 50;

/// The home page's projects (POST `/api/get_home_projects`): those the caller's organisation
/// leads or takes part in, and, among the 50 open calls closing soonest (`HOME_OPEN_CALLS`), the
/// ones its municipality could join (the partner finder with this municipality as the
/// candidate). Only projects the caller may see.
#[server(prefix = "/api", endpoint = "get_home_projects")]
pub async fn get_home_projects() -> Result<HomeProjects, AppError> {
    use crate::ids::ProjectId;
    use crate::projects::model::{ProjectSummary, suggest_partners};
    use crate::projects::server::{listing, summary_access};
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let org = user.organisation.key.clone();
    let listing = listing(&state).await?;
    let visible =
        |p: &ProjectSummary| crate::policy::may_read_project(&user, &summary_access(&state, p));
    let joined: Vec<ProjectId> = crate::projects::repo::projects_of(&state.db, &org)
        .await?
        .into_iter()
        .map(ProjectId::from)
        .collect();
    let item = |p: &ProjectSummary, reasons: (Vec<String>, Vec<String>)| HomeProject {
        id: p.id.to_string(),
        title: p.title.clone(),
        status_ja: p.status.label(Lang::Ja).to_owned(),
        status_en: p.status.label(Lang::En).to_owned(),
        reasons_ja: reasons.0,
        reasons_en: reasons.1,
    };
    let mut mine: Vec<&ProjectSummary> = listing
        .led_by(&org)
        .chain(joined.iter().filter_map(|id| listing.get(id)))
        .filter(|p| !p.status.is_read_only() && visible(p))
        .collect();
    mine.sort_by(|a, b| (b.created_at.0, &a.id).cmp(&(a.created_at.0, &b.id)));
    mine.dedup_by(|a, b| a.id == b.id);
    let mut could_join = Vec::new();
    let now = chrono::Utc::now();
    let open: Vec<&ProjectSummary> = listing
        .open_at(now)
        .filter(|p| visible(p) && p.lead != org && !joined.contains(&p.id))
        .take(HOME_OPEN_CALLS)
        .collect();
    if user.is_municipal() && !open.is_empty() {
        let records = crate::standardization::server::all_progress(&state).await?;
        let ids: Vec<ProjectId> = open.iter().map(|p| p.id.clone()).collect();
        // The participations of these calls in one read, not one query per call.
        let mut members = crate::projects::repo::participations(&state.db, Some(&ids)).await?;
        for p in open {
            let taking_part = members.remove(p.id.as_str()).unwrap_or_default();
            let reference = reference_of(&state, &p.lead, &taking_part);
            if let Some(s) = suggest_partners(&p.systems, &reference, &taking_part, &records)
                .into_iter()
                .find(|s| s.org_key == org)
            {
                could_join.push(item(p, reason_texts(&state, &s.reasons)));
            }
        }
    }
    Ok(HomeProjects {
        mine: mine
            .into_iter()
            .map(|p| item(p, (Vec::new(), Vec::new())))
            .collect(),
        could_join,
    })
}

/// The partner finder's section on a project's page; nothing for those who may not use it.
#[component]
pub fn PartnerSection() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).unwrap_or_default();
    let partners = Resource::new(id, get_partner_suggestions);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                partners.await.ok().map(|list| view! {
                    <h2>{lang.pick("参加を呼びかけたい団体（標準化の記録から）", "Municipalities to invite (from the standardization records)")}</h2>
                    {if list.is_empty() {
                        view! { <p class="muted">{lang.pick(
                            "候補はありません（関連業務を選び、参加団体があると、同じベンダ・クラウド・稼働年度の団体を提案します）。",
                            "No suggestions (with related systems and participants, municipalities with the same vendor, cloud or go-live year are suggested).",
                        )}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="partners">
                                {list.into_iter().map(|s| view! {
                                    <li>
                                        <A href=format!("/orgs/{}", s.org_key)>{lang.pick(&s.name_ja, &s.name_en).to_owned()}</A>
                                        ": "{match lang { Lang::Ja => s.reasons_ja.join("、"), Lang::En => s.reasons_en.join("; ") }}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                })
            })}
        </Suspense>
    }
}

/// The project page with the partner finder below it (the shell gathers the two rooms).
#[component]
pub fn ProjectWithPartners() -> impl IntoView {
    view! {
        <crate::projects::pages::ProjectPage/>
        <PartnerSection/>
    }
}

/// The home page's projects section.
#[component]
pub fn HomeProjectsSection() -> impl IntoView {
    let lang = use_lang();
    let projects = Resource::new(|| (), |_| get_home_projects());
    let list = move |items: Vec<HomeProject>, empty: &'static str| {
        if items.is_empty() {
            return view! { <p class="muted">{empty}</p> }.into_any();
        }
        view! {
            <ul>
                {items.into_iter().map(|p| {
                    let reasons = match lang { Lang::Ja => p.reasons_ja.join("、"), Lang::En => p.reasons_en.join("; ") };
                    view! {
                        <li>
                            <A href=format!("/projects/{}", p.id)>{p.title}</A>
                            " · "{lang.pick(&p.status_ja, &p.status_en).to_owned()}
                            {(!reasons.is_empty()).then(|| view! { <span class="muted">" · "{reasons}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(projects.await, move |h| view! {
                    <h2>{lang.pick("参加している協働事業", "My joint projects")}</h2>
                    {list(h.mine, lang.pick("参加している協働事業はありません。", "Your organisation takes part in no joint project."))}
                    {(!h.could_join.is_empty()).then(|| view! {
                        <h2>{lang.pick("参加を検討できる協働事業", "Projects you could join")}</h2>
                        {list(h.could_join, "")}
                    })}
                })
            })}
        </Suspense>
    }
}
