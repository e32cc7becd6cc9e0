//! `/`: the home page. Signed out, a welcome; signed in, the user's organisation with each
//! capability's home section.

use crate::error::AppError;
use crate::i18n::use_lang;
use crate::standardization::pages::widgets::HomeSection;
use crate::standardization::server::get_home;
use crate::ui::{loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// `/`: what the signed-in person's organisation has to do.
#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let home = Resource::new(|| (), |_| get_home());
    view! {
        <Title text=lang.pick("ホーム", "Home")/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match home.await {
                    Err(AppError::Unauthenticated) => view! {
                        <h1>{lang.pick("Kyodo（協働）へようこそ", "Welcome to Kyodo")}</h1>
                        <p>{lang.pick(
                            "都・区市町村CIO協議会の協働ワークスペースです。標準化の進捗、共同事業、相談、協議会の活動をここで共有します。",
                            "The shared workspace of the Tokyo CIO council: standardization progress, joint projects, consultations and council work.",
                        )}</p>
                        <p><A href="/login">{lang.pick("サインインする", "Sign in")}</A></p>
                    }.into_any(),
                    other => render(other, |home| view! {
                        <h1>{home.user.organisation.name(lang).to_owned()}</h1>
                        <HomeSection home/>
                        <super::projects::HomeProjectsSection/>
                    }),
                }
            })}
        </Suspense>
    }
}
