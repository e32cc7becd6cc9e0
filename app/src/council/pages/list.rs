//! `/council`: the council and the working groups the caller may see, asking to join one, and
//! (for Tokyo officers and administrators) creating a working group.

use super::super::model::WorkspaceVisibility;
use super::super::server::list_workspaces;
use super::super::views::{WorkspaceCard, WorkspacesView};
use super::{CardMeta, FlagNotice, Flags, workspace_href};
use crate::i18n::use_lang;
use crate::ui::{TextArea, loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

const FLAGS: Flags = &[("left", "退出しました。", "You have left the workspace.")];

/// `/council`: a card per workspace (the council first) with the caller's role, and the
/// "ask to join" form where they may ask.
#[component]
pub fn CouncilPage() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| list_workspaces());
    view! {
        <Title text=lang.pick("協議会・部会", "Council and working groups")/>
        <h1>{lang.pick("協議会・部会", "Council and working groups")}</h1>
        <p>{lang.pick(
            "都・区市町村CIO協議会と、その部会・ワーキンググループの場です。話題、会議、議案、研修をここで扱います。",
            "The Tokyo CIO council and its working groups: topics, meetings, proposals and training sessions.",
        )}</p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(list.await, |v| view! {
                    <FlagNotice flags=FLAGS/>
                    <Workspaces view=v/>
                })
            })}
        </Suspense>
    }
}

#[component]
fn Workspaces(view: WorkspacesView) -> impl IntoView {
    let lang = use_lang();
    let WorkspacesView {
        workspaces,
        may_create,
    } = view;
    let list = if workspaces.is_empty() {
        view! { <p class="muted">{lang.pick("参加できる場はまだありません。", "There is no workspace for you yet.")}</p> }
            .into_any()
    } else {
        view! {
            <ul class="cards">
                {workspaces.into_iter().map(|card| view! { <Card card/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {list}
        {may_create.then(|| view! { <CreateForm/> })}
    }
}

/// One workspace: its name (linked), facts and the "ask to join" button.
#[component]
fn Card(card: WorkspaceCard) -> impl IntoView {
    let lang = use_lang();
    let name = lang.pick_name(&card.name_ja, &card.name_en).to_owned();
    let ask = card.may_request.then(|| {
        view! {
            <form method="post" action="/api/request_join" class="inline-form">
                <input type="hidden" name="workspace" value=card.key.clone()/>
                <button type="submit">
                    {lang.pick("参加を申請", "Ask to join")}
                    <span class="visually-hidden">{format!(" {name}")}</span>
                </button>
            </form>
        }
    });
    let href = workspace_href(&card.key);
    view! {
        <li class="card workspace-card">
            <h2><A href=href>{name}</A></h2>
            <CardMeta card/>
            {ask}
        </li>
    }
}

/// The form that creates a working group (the creator becomes its secretariat).
#[component]
fn CreateForm() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2>{lang.pick("部会・ワーキンググループを作る", "Create a working group")}</h2>
        <p class="muted">{lang.pick("作成した人がその場の事務局になります。", "You become its secretariat.")}</p>
        <form method="post" action="/api/create_workspace" class="record-form">
            <label for="name_ja">{lang.pick("名称（日本語）", "Name (Japanese)")}</label>
            <input id="name_ja" type="text" name="name_ja" maxlength="200" required/>
            <label for="name_en">{lang.pick("名称（英語）", "Name (English)")}</label>
            <input id="name_en" type="text" name="name_en" maxlength="200"/>
            <label for="description">{lang.pick("説明（Markdown）", "Description (Markdown)")}</label>
            <TextArea id="description" name="description" maxlength=10000/>
            <label for="visibility">{lang.pick("公開範囲", "Visible to")}</label>
            <select id="visibility" name="visibility">
                {WorkspaceVisibility::ALL.iter().copied().map(|v| view! {
                    <option value=v.code()>{v.label(lang)}</option>
                }).collect_view()}
            </select>
            <p><button type="submit">{lang.pick("作成する", "Create")}</button></p>
        </form>
    }
}
