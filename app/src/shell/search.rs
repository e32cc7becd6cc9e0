//! `/search`: one search box across the council's topics, posts, meetings and proposals, the
//! joint projects and their threads, and the tracker's notes and step comments — only what the
//! caller may read, ranked by relevance, with the matched text highlighted, 20 per page.

use crate::error::AppError;
use crate::i18n::{Lang, use_lang};
use crate::search::model::{Hit, PAGE_SIZE, QUERY_MAX_CHARS, QUERY_MIN_CHARS};
use crate::ui::{loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchView {
    /// The query as searched (cleaned); empty when none was given.
    pub query: String,
    /// This page's hits.
    pub hits: Vec<Hit>,
    /// Hits in all.
    pub total: usize,
    /// This page (from 0).
    pub page: usize,
    /// The query was too short or too long to search.
    pub refused: bool,
}

/// Searches what the caller may read (POST `/api/search`: `q` 2–100 characters, `page` from 0,
/// blank = 0): the council ([`crate::council::server::search_hits`]), joint projects
/// ([`crate::projects::server::search_hits`]) and the tracker
/// ([`crate::standardization::server::search_hits`]), merged by score. A blank query gives no
/// hits; a too short or too long one `refused`, as is one without two letters or digits in a
/// row.
#[server(prefix = "/api", endpoint = "search")]
pub async fn search(
    #[server(default)] q: String,
    #[server(default)] page: String,
) -> Result<SearchView, AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let page = page.trim().parse::<usize>().unwrap_or(0).min(10_000);
    let empty = |query: String, refused| SearchView {
        query,
        hits: Vec::new(),
        total: 0,
        page,
        refused,
    };
    if q.trim().is_empty() {
        return Ok(empty(String::new(), false));
    }
    let searchable = crate::search::model::clean_query(&q)
        .filter(|q| !crate::search::model::grams(q).is_empty());
    let Some(query) = searchable else {
        return Ok(empty(
            q.trim().chars().take(QUERY_MAX_CHARS).collect(),
            true,
        ));
    };
    let mut hits = crate::council::server::search_hits(&state, &user, &query).await?;
    hits.extend(crate::projects::server::search_hits(&state, &user, &query).await?);
    hits.extend(crate::standardization::server::search_hits(&state, &user, &query).await?);
    let (hits, total) = crate::search::model::page(hits, page);
    Ok(SearchView {
        query,
        hits,
        total,
        page,
        refused: false,
    })
}

/// What a hit is, in `lang`.
fn kind_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "topic" => lang.pick("協議会の話題", "Council topic"),
        "post" => lang.pick("協議会の投稿", "Council post"),
        "meeting" => lang.pick("会議", "Meeting"),
        "agenda_item" => lang.pick("議題", "Agenda item"),
        "proposal" => lang.pick("提案", "Proposal"),
        "project" => lang.pick("協働事業", "Joint project"),
        "project_post" => lang.pick("協働事業の質問・投稿", "Joint project post"),
        "record_note" => lang.pick("移行状況のメモ", "Tracker note"),
        "step_comment" => lang.pick("手順へのコメント", "Step comment"),
        _ => lang.pick("その他", "Other"),
    }
}

/// `/search?q=…&page=…`.
#[component]
pub fn SearchPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let args = move || {
        query.with(|q| {
            (
                q.get("q").unwrap_or_default(),
                q.get("page").unwrap_or_default(),
            )
        })
    };
    let results = Resource::new(args, |(q, page)| search(q, page));
    view! {
        <Title text=lang.pick("検索", "Search")/>
        <h1>{lang.pick("検索", "Search")}</h1>
        <form method="get" action="/search" role="search" class="inline-form">
            <label for="search-q">{lang.pick("キーワード", "Keywords")}</label>
            <input id="search-q" type="search" name="q" minlength=QUERY_MIN_CHARS maxlength=QUERY_MAX_CHARS
                value=move || args().0 required/>
            <button type="submit">{lang.pick("検索する", "Search")}</button>
        </form>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(results.await, move |v| view! { <Results view=v/> })
            })}
        </Suspense>
    }
}

#[component]
fn Results(view: SearchView) -> impl IntoView {
    let lang = use_lang();
    if view.refused {
        return view! {
            <p class="notice" role="status">{match lang {
                Lang::Ja => format!("{QUERY_MIN_CHARS}〜{QUERY_MAX_CHARS}文字で入力してください。"),
                Lang::En => format!("Enter {QUERY_MIN_CHARS} to {QUERY_MAX_CHARS} characters."),
            }}</p>
        }
        .into_any();
    }
    if view.query.is_empty() {
        return ().into_any();
    }
    let count = match lang {
        Lang::Ja => format!("「{}」の検索結果: {}件", view.query, view.total),
        Lang::En => format!("{} results for “{}”", view.total, view.query),
    };
    let pages = view.total.div_ceil(PAGE_SIZE);
    let href = |page: usize| format!("/search?q={}&page={page}", url_escape(&view.query));
    let prev = (view.page > 0).then(|| href(view.page - 1));
    let next = (view.page + 1 < pages).then(|| href(view.page + 1));
    view! {
        <p role="status">{count}</p>
        <ol class="search-results">
            {view.hits.into_iter().map(|h| view! {
                <li>
                    <p class="project-meta">
                        <span class="badge">{kind_label(&h.kind, lang)}</span>" "
                        {lang.pick(&h.place.0, &h.place.1).to_owned()}
                        {h.at.map(|at| view! { " · "<time datetime=at.rfc3339()>{at.jst()}</time> })}
                    </p>
                    <p><a href=h.link>{h.title}</a></p>
                    <p class="snippet" inner_html=h.snippet_html></p>
                </li>
            }).collect_view()}
        </ol>
        <nav class="pager" aria-label=lang.pick("検索結果のページ", "Result pages")>
            {prev.map(|p| view! { <a href=p rel="prev">{lang.pick("前へ", "Previous")}</a> })}
            {(pages > 1).then(|| match lang {
                Lang::Ja => format!(" {}/{}ページ ", view.page + 1, pages),
                Lang::En => format!(" Page {} of {} ", view.page + 1, pages),
            })}
            {next.map(|n| view! { <a href=n rel="next">{lang.pick("次へ", "Next")}</a> })}
        </nav>
    }
    .into_any()
}

/// `text` percent-encoded for a query string.
fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
