//! The council room's pages: the workspaces (`/council`), a workspace (`/council/:id`), a
//! topic (`/council/topics/:id`), a meeting (`/council/meetings/:id`) and its public 議事要旨
//! (`/council/meetings/:id/summary`, readable without signing in), a proposal
//! (`/council/proposals/:id`) and a training session (`/council/trainings/:id`). Every action
//! is a plain form posting to a server function, so each page works without JavaScript.

mod list;
mod meeting;
mod proposal;
mod summary;
mod topic;
mod training;
mod workspace;

pub use list::CouncilPage;
pub use meeting::MeetingPage;
pub use proposal::ProposalPage;
pub use summary::SummaryPage;
pub use topic::TopicPage;
pub use training::TrainingPage;
pub use workspace::WorkspacePage;

use super::views::WorkspaceCard;
use crate::i18n::{Lang, use_lang};
use crate::ids::Timestamp;
use crate::ui::raw_text_content;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// A workspace's address.
pub fn workspace_href(key: &str) -> String {
    format!("/council/{key}")
}

/// A topic's address.
pub fn topic_href(key: &str) -> String {
    format!("/council/topics/{key}")
}

/// A meeting's address.
pub fn meeting_href(key: &str) -> String {
    format!("/council/meetings/{key}")
}

/// A proposal's address.
pub fn proposal_href(key: &str) -> String {
    format!("/council/proposals/{key}")
}

/// A training session's address.
pub fn training_href(key: &str) -> String {
    format!("/council/trainings/{key}")
}

/// The sentences a page shows after a successful form: (query flag set by the server
/// function's redirect, Japanese, English); the first flag present wins.
type Flags = &'static [(&'static str, &'static str, &'static str)];

/// The success notice for the redirect's flag (`?created=1`, …), unless the same address
/// carries a refused form's error (`?form_error=…`, shown by the shell).
#[component]
fn FlagNotice(flags: Flags) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        query
            .with(|q| {
                if q.get("form_error").is_some() {
                    return None;
                }
                flags
                    .iter()
                    .find(|&&(flag, _, _)| q.get(flag).is_some())
                    .map(|&(_, ja, en)| lang.pick(ja, en))
            })
            .map(|message| view! { <div class="notice success" role="status"><p>{message}</p></div> })
    }
}

/// The link back to a page's workspace (key, Japanese name, English name).
#[component]
fn BackLink(workspace: (String, String, String)) -> impl IntoView {
    let lang = use_lang();
    let (key, ja, en) = workspace;
    view! {
        <p class="breadcrumb"><A href=workspace_href(&key)>{lang.pick(&ja, &en).to_owned()}</A></p>
    }
}

/// A workspace's line of facts: visibility, members, the caller's role, a pending request,
/// closed.
#[component]
fn CardMeta(card: WorkspaceCard) -> impl IntoView {
    let lang = use_lang();
    let members = match lang {
        Lang::Ja => format!("メンバー {}人", card.members),
        Lang::En => format!("{} members", card.members),
    };
    view! {
        <p class="project-meta">
            {card.visibility.label(lang)}" · "{members}
            {card.role.map(|role| view! {
                " "<span class="badge">
                    <span class="visually-hidden">{lang.pick("自分の役割: ", "Your role: ")}</span>
                    {role.label(lang)}
                </span>
            })}
            {card.requested.then(|| view! {
                " "<span class="badge status-requested">{lang.pick("申請中", "Request sent")}</span>
            })}
            {card.closed.then(|| view! {
                " "<span class="badge status-closed">{lang.pick("終了", "Closed")}</span>
            })}
        </p>
    }
}

/// A pair of names (Japanese, English) in `lang`; the Japanese where the English is blank.
fn names(lang: Lang, (ja, en): &(String, String)) -> String {
    lang.pick_name(ja, en).to_owned()
}

/// An instant as `<time>`, shown in JST (`2026-12-03 14:00 JST`).
fn time_of(at: Timestamp) -> impl IntoView {
    view! { <time datetime=at.rfc3339()>{at.jst()}</time> }
}

/// A start and end in JST: `2026-12-03 14:00 – 16:00 JST` on one day, both in full otherwise.
fn span_text(start: Timestamp, end: Timestamp) -> String {
    let (from, to) = (start.jst(), end.jst());
    match (from.get(..10), to.get(..10), from.get(..16), to.get(11..)) {
        (Some(day), Some(end_day), Some(head), Some(tail)) if day == end_day => {
            format!("{head} – {tail}")
        }
        _ => format!("{from} – {to}"),
    }
}

/// A multi-line field of a form repeated per row (its id carries the row's key, which
/// [`crate::ui::TextArea`]'s static id cannot), prefilled with stored text.
#[component]
fn RowTextArea(
    id: String,
    name: &'static str,
    maxlength: u32,
    #[prop(optional)] required: bool,
    #[prop(into)] value: String,
) -> impl IntoView {
    view! {
        <textarea id=id name=name rows=5u32 maxlength=maxlength required=required>{raw_text_content(&value)}</textarea>
    }
}
