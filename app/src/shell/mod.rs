//! The top of the house (layer 5): the document, layout (skip link, navigation, language
//! switch, signed-in user), routes, the 404 page, and the pages that gather sections from
//! several capabilities (`home`, `org`).

mod home;
mod org;
pub mod projects;
pub mod search;

use crate::auth::pages::{AdminUsersPage, LoginPage};
use crate::auth::server::get_current_user;
use crate::error::AppError;
use crate::i18n::{Lang, detect_lang, use_lang};
use crate::notifications::pages::NotificationsPage;
use crate::orgs::pages::OrgsPage;
use crate::standardization::pages::dashboard::{DashboardPage, StepTemplatePage};
use crate::standardization::pages::record::{RecordPage, StepThreadPage};
use crate::standardization::pages::{ImportPage, ImportRunPage, MatrixPage};
use crate::ui::{Enhancements, UserResource, set_status};
use home::HomePage;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{SsrMode, path};
use org::OrgPage;

/// The HTML document around the app (rendered on the server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::auth::headers::provide_csp();
    view! {
        <!DOCTYPE html>
        <html lang=detect_lang().code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The number of the signed-in user's unread notifications (header).
#[derive(Clone, Copy)]
pub struct UnreadResource(pub Resource<Result<u32, AppError>>);

/// The application: language, user, layout and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = detect_lang();
    provide_context(lang);
    let user: UserResource = Resource::new(|| (), |_| get_current_user());
    provide_context(user);
    // Read once per page (not inside the header's Suspense, which may render again).
    let unread = UnreadResource(Resource::new(
        || (),
        |_| crate::notifications::server::count_unread_notifications(),
    ));
    provide_context(unread);
    view! {
        // leptos_meta writes the title into the server's HTML as it is: titles hold user text
        // (organisation and step names), so it is escaped there (`raw_text_content`).
        <Title formatter=move |t: String| crate::ui::raw_text_content(&if t.is_empty() { "Kyodo 協働".to_owned() } else { format!("{t} | Kyodo 協働") })/>
        <Router>
            <a class="skip-link" href="#main">{lang.pick("本文へスキップ", "Skip to main content")}</a>
            <Header/>
            <main id="main" tabindex="-1">
                <FormError/>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/orgs") view=OrgsPage ssr=SsrMode::Async/>
                    <Route path=path!("/orgs/:key") view=OrgPage ssr=SsrMode::Async/>
                    <Route path=path!("/standardization") view=MatrixPage ssr=SsrMode::Async/>
                    <Route path=path!("/standardization/import") view=ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/standardization/import/:id") view=ImportRunPage ssr=SsrMode::Async/>
                    <Route path=path!("/standardization/dashboard") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/standardization/records/:lg/:system") view=RecordPage ssr=SsrMode::Async/>
                    <Route path=path!("/standardization/records/:lg/:system/steps/:no") view=StepThreadPage ssr=SsrMode::Async/>
                    <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/steps") view=StepTemplatePage ssr=SsrMode::Async/>
                    <Route path=path!("/projects") view=crate::projects::pages::ProjectsPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/new") view=crate::projects::pages::NewProjectPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id") view=projects::ProjectWithPartners ssr=SsrMode::Async/>
                    <Route path=path!("/consultations") view=crate::consultations::pages::ConsultationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/profile") view=crate::consultations::pages::AdvisorProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/schedule") view=crate::consultations::pages::SchedulePage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/overview") view=crate::consultations::pages::OverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/engagements/:id") view=crate::consultations::pages::EngagementPage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/bookings") view=crate::consultations::pages::BookingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/bookings/:id") view=crate::consultations::pages::BookingPage ssr=SsrMode::Async/>
                    <Route path=path!("/search") view=search::SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/council") view=crate::council::pages::CouncilPage ssr=SsrMode::Async/>
                    <Route path=path!("/council/:id") view=crate::council::pages::WorkspacePage ssr=SsrMode::Async/>
                    <Route path=path!("/council/topics/:id") view=crate::council::pages::TopicPage ssr=SsrMode::Async/>
                    <Route path=path!("/council/meetings/:id") view=crate::council::pages::MeetingPage ssr=SsrMode::Async/>
                    <Route path=path!("/council/meetings/:id/summary") view=crate::council::pages::SummaryPage ssr=SsrMode::Async/>
                    <Route path=path!("/council/proposals/:id") view=crate::council::pages::ProposalPage ssr=SsrMode::Async/>
                    <Route path=path!("/council/trainings/:id") view=crate::council::pages::TrainingPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{lang.pick(
                    "Kyodo — 都・区市町村CIO協議会の協働ワークスペース。団体コード: 総務省、標準化対象業務: デジタル庁の公開資料より。",
                    "Kyodo — the shared workspace of the Tokyo CIO council. Codes: MIC; standard systems: Digital Agency public data.",
                )}</p>
            </footer>
            <Enhancements/>
        </Router>
    }
}

/// Site header: name, navigation (only what the user's role may use, see
/// [`crate::policy`]), signed-in user, language switch.
#[component]
fn Header() -> impl IntoView {
    let lang = use_lang();
    let user = expect_context::<UserResource>();
    let unread = expect_context::<UnreadResource>().0;
    let (other, other_label) = match lang {
        Lang::Ja => ("en", "English"),
        Lang::En => ("ja", "日本語"),
    };
    view! {
        <header class="site-header">
            <div class="brand"><A href="/">"Kyodo "<span lang="ja">"協働"</span></A></div>
            <nav aria-label=lang.pick("メインメニュー", "Main menu")>
                <ul>
                    <li><A href="/">{lang.pick("ホーム", "Home")}</A></li>
                    <li><A href="/orgs">{lang.pick("団体", "Organisations")}</A></li>
                    <li><A href="/standardization" exact=true>{lang.pick("標準化", "Standardization")}</A></li>
                    <li><A href="/standardization/dashboard">{lang.pick("ダッシュボード", "Dashboard")}</A></li>
                    <li><A href="/projects">{lang.pick("協働事業", "Joint projects")}</A></li>
                    <li><A href="/consultations">{lang.pick("相談", "Consultations")}</A></li>
                    <li><A href="/council">{lang.pick("協議会", "Council")}</A></li>
                    <li><A href="/search">{lang.pick("検索", "Search")}</A></li>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let may_import = matches!(user.await, Ok(Some(u)) if crate::policy::may_import(&u));
                            may_import.then(|| view! {
                                <li><A href="/standardization/import">{lang.pick("進捗取込", "Import")}</A></li>
                            })
                        })}
                    </Suspense>
                </ul>
            </nav>
            <div class="header-tools">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let unread = unread.await.unwrap_or(0);
                        match user.await {
                            Ok(Some(u)) => view! {
                                <NotificationLink unread/>
                                {crate::policy::may_manage_users(&u).then(|| view! {
                                    <A href="/admin/users">{lang.pick("アカウント管理", "Accounts")}</A>
                                })}
                                {crate::policy::may_manage_reference(&u).then(|| view! {
                                    <A href="/admin/steps">{lang.pick("手順テンプレート", "Step template")}</A>
                                })}
                                <span class="who">
                                    <span class="who-name">{u.name(lang).to_owned()}</span>
                                    " · "
                                    <span class="who-org">{u.organisation.name(lang).to_owned()}</span>
                                </span>
                                <form method="post" action="/api/sign_out" class="inline">
                                    <button type="submit" class="link-button">{lang.pick("サインアウト", "Sign out")}</button>
                                </form>
                                <form method="post" action="/api/sign_out_everywhere" class="inline">
                                    <button type="submit" class="link-button">{lang.pick("すべての端末でサインアウト", "Sign out everywhere")}</button>
                                </form>
                            }.into_any(),
                            _ => view! { <A href="/login">{lang.pick("サインイン", "Sign in")}</A> }.into_any(),
                        }
                    })}
                </Suspense>
                <form method="post" action="/api/set_language" class="inline">
                    <button type="submit" name="lang" value=other lang=other class="link-button">{other_label}</button>
                </form>
            </div>
        </header>
    }
}

/// The link to the notifications, with the number of unread ones.
#[component]
fn NotificationLink(unread: u32) -> impl IntoView {
    let lang = use_lang();
    let text = match (lang, unread) {
        (Lang::Ja, 0) => "通知".to_owned(),
        (Lang::Ja, n) => format!("通知（未読{n}件）"),
        (Lang::En, 0) => "Notifications".to_owned(),
        (Lang::En, n) => format!("Notifications ({n} new)"),
    };
    view! { <A href="/notifications">{text}</A> }
}

/// The error of a plain-form POST to a server function. The server keeps it in the session
/// and the redirect back to the form's page names it by a random id (`?form_error=<id>`, see
/// [`crate::auth::flash`]), so errors show without JavaScript too, and nobody can put their
/// own sentence into this alert through a link.
#[component]
fn FormError() -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let error = Resource::new(
        move || query.with(|q| q.get("form_error")),
        |id| async move {
            match id {
                Some(id) => crate::auth::flash::get_form_error(id).await.ok().flatten(),
                None => None,
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                error.await.map(|e| view! {
                    <div class="notice error" role="alert"><p>{e.message(lang)}</p></div>
                })
            })}
        </Suspense>
    }
}

/// 404 page (also sets the HTTP status on the server).
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let lang = use_lang();
    view! {
        <Title text=lang.pick("ページが見つかりません", "Page not found")/>
        <h1>{lang.pick("ページが見つかりません", "Page not found")}</h1>
        <p>{lang.pick("URLが正しいかご確認ください。", "Please check the address.")}</p>
        <p><A href="/">{lang.pick("ホームへ戻る", "Back to home")}</A></p>
    }
}
