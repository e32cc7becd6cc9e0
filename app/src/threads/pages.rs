//! A thread as a room's page shows it: the posts (author, organisation, JST time, the post it
//! answers, an answered badge) and the form to post or reply, a plain POST to the room's own
//! server function (which checks the caller and notifies) — so it works without JavaScript.

use super::model::Post;
use crate::i18n::{Lang, use_lang};
use crate::ids::PostId;
use crate::ui::TextArea;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The thread of the subject the room's forms name by `id`, posting to `action` (fields `id`,
/// `body`, `reply_to`); `label` is the body field's label (Japanese, English). `?reply_to=<post>`
/// answers a post. Posts in `markable` get a button posting to `mark_action` (fields `id`,
/// `post`, `answered` = `1`/`0`) that marks the question answered or open again.
#[component]
pub fn Thread(
    id: String,
    posts: Vec<Post>,
    action: &'static str,
    label: (&'static str, &'static str),
    #[prop(optional)] markable: Vec<PostId>,
    #[prop(optional)] mark_action: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let reply_to = query
        .with_untracked(|q| q.get("reply_to"))
        .unwrap_or_default();
    let author_of = |post: &str| {
        posts
            .iter()
            .find(|c| c.id == post)
            .map(|c| lang.pick(&c.author_name_ja, &c.author_name_en).to_owned())
    };
    let replying = author_of(&reply_to);
    let items = posts
        .iter()
        .map(|c| {
            let answered = c.reply_to.as_ref().and_then(|r| author_of(r.as_str()).map(|n| (r.to_string(), n)));
            let mark = mark_action.filter(|_| markable.contains(&c.id)).map(|action| {
                let answered = c.answered_at.is_some();
                view! {
                    <form method="post" action=action class="inline-form">
                        <input type="hidden" name="id" value=id.clone()/>
                        <input type="hidden" name="post" value=c.id.to_string()/>
                        <input type="hidden" name="answered" value=if answered { "0" } else { "1" }/>
                        <button type="submit" class="secondary">{if answered {
                            lang.pick("未回答に戻す", "Mark as open")
                        } else {
                            lang.pick("回答済みにする", "Mark as answered")
                        }}</button>
                    </form>
                }
            });
            view! {
                <li id=format!("comment-{}", c.id)>
                    <p class="comment-head">
                        <strong>{lang.pick(&c.author_name_ja, &c.author_name_en).to_owned()}</strong>
                        " · "{lang.pick(&c.author_org_ja, &c.author_org_en).to_owned()}
                        " · "<time datetime=c.at.rfc3339()>{c.at.jst()}</time>
                    </p>
                    {answered.map(|(post, name)| view! {
                        <p class="reply-to muted">{lang.pick("返信先: ", "In reply to ")}<a href=format!("#comment-{post}")>{name}</a></p>
                    })}
                    {(c.reply_to.is_none() && c.answered_at.is_some()).then(|| view! {
                        <p><span class="badge answered">{lang.pick("回答済み", "Answered")}</span></p>
                    })}
                    <div class="markdown" inner_html=c.body_html.clone()/>
                    <p class="comment-actions"><a href=format!("?reply_to={}#comment-form", c.id)>{lang.pick("返信する", "Reply")}</a></p>
                    {mark}
                </li>
            }
        })
        .collect_view();
    view! {
        {if posts.is_empty() {
            view! { <p class="muted">{lang.pick("まだ投稿はありません。", "No posts yet.")}</p> }.into_any()
        } else {
            view! { <ol class="comments">{items}</ol> }.into_any()
        }}
        <form method="post" action=action class="comment-form" id="comment-form">
            <input type="hidden" name="id" value=id/>
            {replying.clone().map(|name| view! {
                <input type="hidden" name="reply_to" value=reply_to.clone()/>
                <p class="muted">{match lang {
                    Lang::Ja => format!("{name}さんへの返信"),
                    Lang::En => format!("Replying to {name}"),
                }}</p>
            })}
            <label for="body">{lang.pick(label.0, label.1)}</label>
            <TextArea id="body" name="body" maxlength=10000 required=true value=String::new()/>
            <p><button type="submit">{lang.pick("投稿する", "Post")}</button></p>
        </form>
    }
}
