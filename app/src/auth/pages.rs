//! Sign-in page: the organisation's identity providers (OpenID Connect) and, on a demo
//! server, the demo personas.

use super::model::{OidcFailure, PERSONAS};
use super::server::{demo_mode, list_sign_in_providers};
use crate::i18n::{Lang, use_lang};
use crate::shell::{UserResource, loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login`: links to each identity provider, then (demo mode) one button per persona, a
/// plain form POST to `/api/demo_sign_in`. Shows why an OIDC sign-in was refused
/// (`?oidc_error=<code>`) or that the new account awaits approval (`?oidc=pending`).
#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let user = expect_context::<UserResource>();
    let query = use_query_map();
    let options = Resource::new(
        || (),
        |_| async { (list_sign_in_providers().await, demo_mode().await) },
    );
    let failure = move || {
        query
            .with(|q| q.get("oidc_error"))
            .and_then(|c| OidcFailure::parse(&c))
    };
    let pending = move || {
        query
            .with(|q| q.get("oidc"))
            .is_some_and(|v| v == "pending")
    };
    view! {
        <Title text=lang.pick("サインイン", "Sign in")/>
        <h1>{lang.pick("サインイン", "Sign in")}</h1>
        {move || failure().map(|f| view! { <div class="notice error" role="alert"><p>{f.message(lang)}</p></div> })}
        {move || pending().then(|| view! {
            <div class="notice" role="status"><p>{lang.pick(
                "アカウントを受け付けました。管理者または自団体のCIOの承認後にサインインできます。",
                "Your account has been registered. You can sign in once an administrator or your organisation's CIO approves it.",
            )}</p></div>
        })}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let signed_in = user.await.ok().flatten();
                let (providers, demo) = options.await;
                let providers = providers.unwrap_or_default();
                let demo = demo.unwrap_or(false);
                view! {
                    {signed_in.map(|u| view! {
                        <p class="notice">{match lang {
                            Lang::Ja => format!("{}としてサインインしています。", u.name(lang)),
                            Lang::En => format!("You are signed in as {}.", u.name(lang)),
                        }}</p>
                    })}
                    {(!providers.is_empty()).then(|| view! {
                        <h2>{lang.pick("所属団体のIDでサインイン", "Sign in with your organisation's account")}</h2>
                        <ul class="provider-list">
                            {providers.into_iter().map(|p| view! {
                                <li><a class="button-link" href=format!("/auth/oidc/{}/start", p.name)>{p.label}</a></li>
                            }).collect_view()}
                        </ul>
                    })}
                    {demo.then(|| view! { <DemoPersonas/> })}
                }
            })}
        </Suspense>
    }
}

#[component]
fn DemoPersonas() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2>{lang.pick("デモ用の利用者", "Demo users")}</h2>
        <p>{lang.pick(
            "デモモードです。利用者の種類を選んでサインインしてください。",
            "Demo mode: choose a kind of user to sign in as.",
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
