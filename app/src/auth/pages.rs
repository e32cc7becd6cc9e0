//! Sign-in page (demo personas until OIDC lands).

use super::model::PERSONAS;
use crate::i18n::use_lang;
use crate::shell::{UserResource, loading};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/login`: one button per demo persona; a plain form POST to `/api/demo_sign_in`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let user = expect_context::<UserResource>();
    view! {
        <Title text=lang.pick("サインイン", "Sign in")/>
        <h1>{lang.pick("サインイン", "Sign in")}</h1>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let signed_in = user.await.ok().flatten();
                signed_in.map(|u| view! {
                    <p class="notice">{match lang {
                        crate::i18n::Lang::Ja => format!("{}としてサインインしています。", u.name(lang)),
                        crate::i18n::Lang::En => format!("You are signed in as {}.", u.name(lang)),
                    }}</p>
                })
            })}
        </Suspense>
        <p>{lang.pick(
            "デモモードです。利用者の種類を選んでサインインしてください（組織のIDプロバイダーによるサインインは今後対応します）。",
            "Demo mode: choose a kind of user to sign in as (sign-in with your organisation's identity provider is coming).",
        )}</p>
        <form method="post" action="/api/demo_sign_in" class="persona-list">
            <ul>
                {PERSONAS.iter().map(|p| view! {
                    <li>
                        <button type="submit" name="persona" value=p.key>
                            <span class="persona-name">{lang.pick(p.name_ja, p.name_en)}</span>
                            <span class="persona-role">{p.role.label(lang)}</span>
                        </button>
                    </li>
                }).collect_view()}
            </ul>
        </form>
    }
}
