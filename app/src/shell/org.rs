//! `/orgs/:key`: an organisation's page, gathering its facts and each capability's section.

use crate::i18n::use_lang;
use crate::orgs::pages::OrgFacts;
use crate::orgs::server::get_organisation;
use crate::standardization::pages::widgets::OrgProgressSection;
use crate::standardization::server::get_org_progress;
use crate::ui::{loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/orgs/:key`: an organisation's details and its standardization row.
#[component]
pub fn OrgPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let key = move || params.with(|p| p.get("key")).unwrap_or_default();
    let organisation = Resource::new(key, get_organisation);
    let progress = Resource::new(key, get_org_progress);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let progress = progress.await;
                render(organisation.await, move |o| {
                    view! {
                        <Title text=o.name(lang).to_owned()/>
                        <h1>{o.name(lang).to_owned()}</h1>
                        <OrgFacts organisation=o/>
                        {render(progress, |detail| view! { <OrgProgressSection detail/> })}
                    }
                })
            })}
        </Suspense>
    }
}
