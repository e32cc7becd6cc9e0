//! How a page shows a server answer: the error view with its HTTP status and title, the
//! loading placeholder and [`render`], which picks one of them.

use crate::error::AppError;
use crate::i18n::use_lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Sets the HTTP status of the server-rendered response (no effect in the browser).
pub fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        options.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// Shows an error in the user's language, with a sign-in link when that is the fix, and sets
/// the HTTP status and the page title ([`AppError::title`]).
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    set_status(error.status());
    let lang = use_lang();
    let signin = matches!(error, AppError::Unauthenticated);
    view! {
        <Title text=error.title(lang)/>
        <div class="notice error" role="alert">
            <p>{error.message(lang)}</p>
            {signin.then(|| view! { <p><A href="/login">{lang.pick("サインインする", "Sign in")}</A></p> })}
        </div>
    }
}

/// Renders a server-function result: the view on success, [`ErrorView`] on error.
pub fn render<T, V: IntoView + 'static>(
    result: Result<T, AppError>,
    view: impl FnOnce(T) -> V,
) -> AnyView {
    match result {
        Ok(value) => view(value).into_any(),
        Err(error) => view! { <ErrorView error/> }.into_any(),
    }
}

/// Loading placeholder for Suspense (rarely seen: pages render on the server).
pub fn loading() -> impl IntoView {
    let lang = use_lang();
    view! { <p class="loading" aria-live="polite">{lang.pick("読み込み中…", "Loading…")}</p> }
}
