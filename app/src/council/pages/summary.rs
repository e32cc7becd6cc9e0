//! `/council/meetings/:id/summary`: a meeting's published 議事要旨, public (readable without
//! signing in), with its Markdown download.

use super::super::server::get_meeting_summary;
use super::super::views::SummaryView;
use super::{meeting_href, names, time_of};
use crate::i18n::{Lang, use_lang};
use crate::ui::{loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/council/meetings/:id/summary`.
#[component]
pub fn SummaryPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let summary = Resource::new(id, get_meeting_summary);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let key = params.with_untracked(|p| p.get("id").unwrap_or_default());
                render(summary.await, move |v| view! { <Summary view=v key/> })
            })}
        </Suspense>
    }
}

#[component]
fn Summary(view: SummaryView, key: String) -> impl IntoView {
    let lang = use_lang();
    let SummaryView {
        title,
        workspace,
        starts_at,
        summary_html,
        published_at,
    } = view;
    let heading = match lang {
        Lang::Ja => format!("{title} 議事要旨"),
        Lang::En => format!("Summary: {title}"),
    };
    view! {
        <Title text=heading.clone()/>
        <h1>{heading}</h1>
        <dl class="facts">
            <dt>{lang.pick("会議体", "Held by")}</dt><dd>{names(lang, &workspace)}</dd>
            <dt>{lang.pick("開催日時", "Held on")}</dt><dd>{time_of(starts_at)}</dd>
            <dt>{lang.pick("公開日時", "Published")}</dt><dd>{time_of(published_at)}</dd>
        </dl>
        <div class="markdown" inner_html=summary_html></div>
        <p class="downloads">
            <a href=format!("{}/summary.md", meeting_href(&key)) download rel="external">
                {lang.pick("Markdownでダウンロード", "Download as Markdown")}
            </a>
        </p>
    }
}
