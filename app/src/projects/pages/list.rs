//! `/projects`: the joint projects the caller may see, open calls first.

use super::super::model::{ProjectKind, ProjectStatus};
use super::super::server::list_projects;
use super::{project_href, status_badge, window_text};
use crate::i18n::{Lang, use_lang};
use crate::ui::{loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// `/projects`: filters by kind, status and tag and a title search (a GET form: filters are
/// links and work without JavaScript); each project with its lead, status, days left and
/// participant count.
#[component]
pub fn ProjectsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let param = move |name: &'static str| move || query.with(|q| q.get(name)).unwrap_or_default();
    let (kind, status, tag, text) = (param("kind"), param("status"), param("tag"), param("q"));
    let (system, page) = (param("system"), param("page"));
    let list = Resource::new(
        move || (kind(), status(), tag(), system(), text(), page()),
        |(k, s, t, y, q, n)| list_projects(k, s, t, y, q, n),
    );
    // The same filters on another page (a link, so paging works without JavaScript).
    let page_href = move |n: u32| {
        let pairs = [
            ("kind", kind()),
            ("status", status()),
            ("tag", tag()),
            ("system", system()),
            ("q", text()),
        ];
        let mut query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                )
            })
            .collect();
        if n > 0 {
            query.push(format!("page={n}"));
        }
        if query.is_empty() {
            "/projects".to_owned()
        } else {
            format!("/projects?{}", query.join("&"))
        }
    };
    view! {
        <Title text=lang.pick("協働事業", "Joint projects")/>
        <h1>{lang.pick("協働事業", "Joint projects")}</h1>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(list.await, move |v| view! {
                    {v.may_create.then(|| view! {
                        <p><A href="/projects/new">{lang.pick("協働事業を登録する", "Post a joint project")}</A></p>
                    })}
                    <form method="get" action="/projects" class="filters" role="search">
                        <label>
                            {lang.pick("種類", "Kind")}
                            <select name="kind">
                                <option value="" selected=kind().is_empty()>{lang.pick("すべて", "All")}</option>
                                {ProjectKind::ALL.into_iter().map(|k| view! {
                                    <option value=k.code() selected=kind() == k.code()>{k.label(lang)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label>
                            {lang.pick("状況", "Status")}
                            <select name="status">
                                <option value="" selected=status().is_empty()>{lang.pick("すべて", "All")}</option>
                                {ProjectStatus::ALL.into_iter().map(|s| view! {
                                    <option value=s.code() selected=status() == s.code()>{s.label(lang)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label>
                            {lang.pick("タグ", "Tag")}
                            <select name="tag">
                                <option value="" selected=tag().is_empty()>{lang.pick("すべて", "All")}</option>
                                {v.tags.iter().map(|t| view! {
                                    <option value=t.clone() selected=tag() == *t>{t.clone()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label>
                            {lang.pick("関連業務", "Standard system")}
                            <select name="system">
                                <option value="" selected=system().is_empty()>{lang.pick("すべて", "All")}</option>
                                {v.systems.iter().map(|(code, ja, en)| view! {
                                    <option value=code.clone() selected=system() == *code>{lang.pick(ja, en).to_owned()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label>
                            {lang.pick("件名", "Title")}
                            <input type="search" name="q" value=text()/>
                        </label>
                        <button type="submit">{lang.pick("絞り込む", "Filter")}</button>
                    </form>
                    <p aria-live="polite">{count_text(v.page, v.items.len(), v.more, lang)}" · "<a href="/projects/export.csv" download rel="external">{lang.pick("すべての協働事業をCSVでダウンロード", "Download every project as CSV")}</a></p>
                    {if v.items.is_empty() {
                        view! { <p class="muted">{lang.pick("該当する協働事業はありません。", "No joint projects match.")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="project-list">
                                {v.items.into_iter().map(|p| {
                                    let (badge, class) = status_badge(p.card.status, lang);
                                    view! {
                                        <li class="project-card">
                                            <h2><A href=project_href(p.card.id.as_str())>{p.card.title.clone()}</A></h2>
                                            <p class="project-meta">
                                                <span class=class>{badge}</span>" "
                                                {p.card.kind.label(lang)}" · "{lang.pick(&p.lead_name_ja, &p.lead_name_en).to_owned()}
                                                {p.joined.then(|| view! { " · "<strong>{lang.pick("参加中", "Joined")}</strong> })}
                                            </p>
                                            {p.card.window.filter(|_| p.days_left.is_some()).map(|w| view! {
                                                <p class="deadline">{window_text(w, p.days_left, lang)}</p>
                                            })}
                                            <p>{p.card.summary.clone()}</p>
                                            <p class="muted">{match lang {
                                                Lang::Ja => format!("参加団体 {}", p.participants),
                                                Lang::En => format!("{} participating", p.participants),
                                            }}{(!p.card.tags.is_empty()).then(|| format!(" · {}", p.card.tags.join(", ")))}</p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {(v.page > 0 || v.more).then(|| view! {
                        <nav class="pager" aria-label=lang.pick("ページ", "Pages")>
                            {(v.page > 0).then(|| view! {
                                <A href=page_href(v.page - 1) attr:rel="prev">{lang.pick("← 前のページ", "← Previous page")}</A>
                            })}
                            " "
                            {v.more.then(|| view! {
                                <A href=page_href(v.page + 1) attr:rel="next">{lang.pick("次のページ →", "Next page →")}</A>
                            })}
                        </nav>
                    })}
                })
            })}
        </Suspense>
    }
}

/// "N件" for a single page; "31–60件目" once the list has several pages.
fn count_text(page: u32, shown: usize, more: bool, lang: Lang) -> String {
    if (page == 0 && !more) || shown == 0 {
        return match lang {
            Lang::Ja => format!("{shown}件"),
            Lang::En => format!("{shown} projects"),
        };
    }
    let first = page as usize * super::super::model::PAGE_SIZE + 1;
    let last = first + shown.saturating_sub(1);
    match lang {
        Lang::Ja => format!("{first}–{last}件目"),
        Lang::En => format!("Projects {first}–{last}"),
    }
}
