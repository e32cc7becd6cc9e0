//! `/consultations/engagements/:id`: a 伴走 case (accompanying support) with its goal, status,
//! sessions and thread.

use super::super::model::EngagementStatus;
use super::super::server::get_engagement;
use super::super::views::EngagementView;
use super::{booking_href, session_text, status_badge};
use crate::i18n::use_lang;
use crate::threads::pages::Thread;
use crate::ui::{loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A case's address.
pub fn engagement_href(key: &str) -> String {
    format!("/consultations/engagements/{key}")
}

/// A case's status as a badge's text and class.
pub fn engagement_badge(status: EngagementStatus, lang: crate::i18n::Lang) -> (String, String) {
    (
        status.label(lang).to_owned(),
        format!("badge engagement-{}", status.code()),
    )
}

/// `/consultations/engagements/:id`.
#[component]
pub fn EngagementPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let engagement = Resource::new(id, get_engagement);
    let done = move || {
        query.with(|q| {
            if q.get("form_error").is_some() {
                None
            } else if q.get("started").is_some() {
                Some(lang.pick(
                    "伴走支援を始めました。",
                    "The accompanying support has started.",
                ))
            } else if q.get("changed").is_some() {
                Some(lang.pick(
                    "伴走支援を更新しました。",
                    "The accompanying support is updated.",
                ))
            } else if q.get("posted").is_some() {
                Some(lang.pick("投稿しました。", "Your post is published."))
            } else {
                None
            }
        })
    };
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(engagement.await, move |v| view! {
                    {done().map(|m| view! { <div class="notice success" role="status"><p>{m}</p></div> })}
                    <Engagement view=v/>
                })
            })}
        </Suspense>
    }
}

#[component]
fn Engagement(view: EngagementView) -> impl IntoView {
    let lang = use_lang();
    let v = view;
    let s = &v.summary;
    let (badge, class) = engagement_badge(s.status, lang);
    let key = s.key.clone();
    let next = v.may_book_next.then(|| {
        let href = format!(
            "/consultations?topic={}&advisor={}&engagement={}",
            v.topic_code, v.advisor, key
        );
        view! { <p><A href=href>{lang.pick("次回の相談を申し込む", "Book the next session")}</A></p> }
    });
    let manage = v.may_manage.then(|| {
        view! {
            <h2>{lang.pick("状況の変更", "Change the status")}</h2>
            <form method="post" action="/api/change_engagement" class="inline-form">
                <input type="hidden" name="id" value=key.clone()/>
                <input type="hidden" name="version" value=v.version.clone()/>
                <label for="engagement-status">{lang.pick("状況", "Status")}</label>
                <select id="engagement-status" name="status">
                    {EngagementStatus::ALL.into_iter().map(|st| view! {
                        <option value=st.code() selected=st == s.status>{st.label(lang)}</option>
                    }).collect_view()}
                </select>
                <button type="submit">{lang.pick("変更する", "Change")}</button>
            </form>
        }
    });
    view! {
        <Title text=s.title.clone()/>
        <h1>{s.title.clone()}</h1>
        <p><span class=class>{badge}</span>" "{lang.pick("伴走支援", "Accompanying support")}</p>
        <dl class="facts">
            <dt>{lang.pick("団体", "Municipality")}</dt><dd>{lang.pick(&s.organisation_name.0, &s.organisation_name.1).to_owned()}</dd>
            <dt>{lang.pick("担当", "Contact")}</dt><dd>{lang.pick(&v.requester_name.0, &v.requester_name.1).to_owned()}</dd>
            <dt>{lang.pick("アドバイザー", "Advisor")}</dt><dd>{lang.pick(&s.advisor_name.0, &s.advisor_name.1).to_owned()}</dd>
            <dt>{lang.pick("相談分野", "Topic")}</dt><dd>{lang.pick(&v.topic.0, &v.topic.1).to_owned()}</dd>
        </dl>
        <h2>{lang.pick("目標", "Goal")}</h2>
        <div class="markdown" inner_html=v.goal_html.clone()></div>
        <h2>{lang.pick("相談の記録", "Sessions")}</h2>
        <ol class="schedule">
            {v.sessions.clone().into_iter().map(|b| {
                let (badge, class) = status_badge(b.status, lang);
                view! {
                    <li>
                        <span>{session_text(b.start, b.end, lang)}</span>" "
                        <span class=class>{badge}</span>" "
                        <A href=booking_href(&b.key)>{b.subject.clone()}</A>
                    </li>
                }
            }).collect_view()}
        </ol>
        {next}
        {manage}
        <h2>{lang.pick("やりとり", "Discussion")}</h2>
        <Thread id=key.clone() posts=v.posts.clone() action="/api/post_engagement_comment"
            label=("投稿（Markdown）", "Post (Markdown)")/>
        <p><A href="/consultations/bookings">{lang.pick("相談一覧へ", "All consultations")}</A></p>
    }
}
