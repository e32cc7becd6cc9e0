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
    let system = param("system");
    let list = Resource::new(
        move || (kind(), status(), tag(), system(), text()),
        |(k, s, t, y, q)| list_projects(k, s, t, y, q),
    );
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
                    <p aria-live="polite">{match lang {
                        Lang::Ja => format!("{}件", v.items.len()),
                        Lang::En => format!("{} projects", v.items.len()),
                    }}" · "<a href="/projects/export.csv" download rel="external">{lang.pick("すべての協働事業をCSVでダウンロード", "Download every project as CSV")}</a></p>
                    {if v.items.is_empty() {
                        view! { <p class="muted">{lang.pick("該当する協働事業はありません。", "No joint projects match.")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="project-list">
                                {v.items.into_iter().map(|p| {
                                    let (badge, class) = status_badge(p.status, lang);
                                    view! {
                                        <li class="project-card">
                                            <h2><A href=project_href(p.id.as_str())>{p.title.clone()}</A></h2>
                                            <p class="project-meta">
                                                <span class=class>{badge}</span>" "
                                                {p.kind.label(lang)}" · "{lang.pick(&p.lead_name_ja, &p.lead_name_en).to_owned()}
                                                {p.joined.then(|| view! { " · "<strong>{lang.pick("参加中", "Joined")}</strong> })}
                                            </p>
                                            {p.window.filter(|_| p.days_left.is_some()).map(|w| view! {
                                                <p class="deadline">{window_text(w, p.days_left, lang)}</p>
                                            })}
                                            <p>{p.summary.clone()}</p>
                                            <p class="muted">{match lang {
                                                Lang::Ja => format!("参加団体 {}", p.participants),
                                                Lang::En => format!("{} participating", p.participants),
                                            }}{(!p.tags.is_empty()).then(|| format!(" · {}", p.tags.join(", ")))}</p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                })
            })}
        </Suspense>
    }
}
