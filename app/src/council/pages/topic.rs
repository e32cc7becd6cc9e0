//! `/council/topics/:id`: a topic's thread, with replying (members but observers), editing
//! one's own posts and pinning (managers).

use super::super::server::get_topic;
use super::super::views::TopicView;
use super::{BackLink, FlagNotice, Flags, RowTextArea, time_of, topic_href};
use crate::attachments::pages::AttachmentsSection;
use crate::i18n::{Lang, use_lang};
use crate::threads::model::Post;
use crate::threads::pages::Thread;
use crate::ui::{loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const FLAGS: Flags = &[
    ("created", "話題を作成しました。", "The topic is started."),
    ("posted", "投稿しました。", "Your post is published."),
    ("edited", "投稿を編集しました。", "Your post is updated."),
    (
        "pinned",
        "固定の設定を変更しました。",
        "The pin is changed.",
    ),
];

/// `/council/topics/:id`.
#[component]
pub fn TopicPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let topic = Resource::new(id, get_topic);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(topic.await, |v| view! {
                    <FlagNotice flags=FLAGS/>
                    <Topic view=v/>
                })
            })}
        </Suspense>
    }
}

#[component]
fn Topic(view: TopicView) -> impl IntoView {
    let lang = use_lang();
    let TopicView {
        key,
        workspace,
        title,
        pinned,
        posts,
        may_post,
        may_manage,
        editable,
        files,
    } = view;
    let back = topic_href(&key);
    let attached = use_query_map().with_untracked(|q| q.get("attached").is_some());
    let own: Vec<Post> = posts
        .iter()
        .filter(|p| editable.contains(&p.id))
        .cloned()
        .collect();
    let pin = may_manage.then(|| {
        view! {
            <form method="post" action="/api/pin_topic" class="inline-form">
                <input type="hidden" name="id" value=key.clone()/>
                <input type="hidden" name="pinned" value=if pinned { "0" } else { "1" }/>
                <button type="submit" class="secondary">{if pinned {
                    lang.pick("固定を外す", "Unpin")
                } else {
                    lang.pick("一覧の先頭に固定する", "Pin to the top of the list")
                }}</button>
            </form>
        }
    });
    let thread = if may_post {
        view! {
            <Thread id=key.clone() posts action="/api/post_topic_reply"
                label=("返信（Markdown）", "Reply (Markdown)")/>
        }
        .into_any()
    } else {
        view! { <Posts posts/> }.into_any()
    };
    let edits = (!own.is_empty()).then(|| {
        view! {
            <h2>{lang.pick("自分の投稿を編集", "Edit your posts")}</h2>
            {own.into_iter().map(|post| view! { <EditPost post back=back.clone()/> }).collect_view()}
        }
    });
    view! {
        <Title text=title.clone()/>
        <BackLink workspace/>
        <h1>{title}</h1>
        {pinned.then(|| view! { <p><span class="badge pinned">{lang.pick("固定", "Pinned")}</span></p> })}
        {pin}
        <h2>{lang.pick("投稿", "Posts")}</h2>
        {thread}
        {edits}
        <AttachmentsSection
            subject=key.clone()
            back=back.clone()
            upload_to=format!("{}/files", topic_href(&key))
            download_base=format!("{}/files", topic_href(&key))
            items=files
            may_attach=may_post
            attached/>
    }
}

/// The posts, read only (for readers who may not reply).
#[component]
fn Posts(posts: Vec<Post>) -> impl IntoView {
    let lang = use_lang();
    if posts.is_empty() {
        return view! { <p class="muted">{lang.pick("まだ投稿はありません。", "No posts yet.")}</p> }
            .into_any();
    }
    view! {
        <ol class="comments">
            {posts.into_iter().map(|p| view! {
                <li id=format!("comment-{}", p.id)>
                    <p class="comment-head">
                        <strong>{lang.pick(&p.author_name_ja, &p.author_name_en).to_owned()}</strong>
                        " · "{lang.pick(&p.author_org_ja, &p.author_org_en).to_owned()}
                        " · "{time_of(p.at)}
                        {p.edited_at.map(|at| view! {
                            " · "<span class="muted">{lang.pick("編集済み ", "edited ")}{time_of(at)}</span>
                        })}
                    </p>
                    <div class="markdown" inner_html=p.body_html.clone()/>
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// The author's edit form for one of their posts, folded (`details`), returning to `back`.
#[component]
fn EditPost(post: Post, back: String) -> impl IntoView {
    let lang = use_lang();
    let id = format!("edit-{}", post.id);
    let opening: String = post.body.chars().take(40).collect();
    let ellipsis = if post.body.chars().count() > 40 {
        "…"
    } else {
        ""
    };
    let revisions = post.revisions.len();
    let edited = (revisions > 0).then(|| match lang {
        Lang::Ja => format!("（編集済み・以前の版{revisions}件）"),
        Lang::En => format!(" (Edited; {revisions} earlier versions)"),
    });
    view! {
        <details class="edit-post">
            <summary>
                {lang.pick("編集", "Edit")}": "{time_of(post.at)}" "
                <span class="muted">{format!("「{opening}{ellipsis}」")}</span>
                {edited}
            </summary>
            <form method="post" action="/api/edit_council_post" class="record-form">
                <input type="hidden" name="id" value=post.id.to_string()/>
                <input type="hidden" name="back" value=back/>
                <label for=id.clone()>{lang.pick("本文（Markdown）", "Text (Markdown)")}</label>
                <RowTextArea id=id name="body" maxlength=10000 required=true value=post.body.clone()/>
                <p><button type="submit">{lang.pick("更新する", "Update")}</button></p>
            </form>
        </details>
    }
}
