//! `/notifications`: the inbox page.

use super::server::list_notifications;
use crate::i18n::use_lang;
use crate::ui::{loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// `/notifications`: the signed-in user's notifications, with "mark all read" (`?read=1`
/// afterwards).
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let items = Resource::new(|| (), |_| list_notifications());
    // After a refused request the error comes back on the same address.
    let read = move || query.with(|q| q.get("read").is_some() && q.get("form_error").is_none());
    view! {
        <Title text=lang.pick("通知", "Notifications")/>
        <h1>{lang.pick("通知", "Notifications")}</h1>
        {move || read().then(|| view! {
            <div class="notice success" role="status"><p>{lang.pick("すべての通知を既読にしました。", "All notifications are marked as read.")}</p></div>
        })}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(items.await, |items| {
                    if items.is_empty() {
                        return view! { <p>{lang.pick("通知はありません。", "No notifications.")}</p> }.into_any();
                    }
                    let unread = items.iter().any(|n| !n.read);
                    // Newest first: what the user sees is everything up to the first one.
                    let up_to = items.first().map(|n| n.at.rfc3339()).unwrap_or_default();
                    view! {
                        {unread.then(|| view! {
                            <form method="post" action="/api/mark_notifications_read">
                                <input type="hidden" name="up_to" value=up_to/>
                                <button type="submit">{lang.pick("すべて既読にする", "Mark all as read")}</button>
                            </form>
                        })}
                        <ul class="notifications">
                            {items.into_iter().map(|n| {
                                let text = n.text(lang).to_owned();
                                view! {
                                    <li class=if n.read { "read" } else { "unread" }>
                                        {(!n.read).then(|| view! { <span class="badge">{lang.pick("未読", "New")}</span>" " })}
                                        <A href=n.link.clone()>{text}</A>
                                        <p class="muted">{n.at.jst()}" · "{n.excerpt.clone()}</p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })
            })}
        </Suspense>
    }
}
