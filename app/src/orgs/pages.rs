//! The organisation list page and the facts section of an organisation's page.

use super::model::{OrgKind, Organisation};
use super::server::list_organisations;
use crate::i18n::use_lang;
use crate::ui::{ScrollRegion, loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// `/orgs`: the 64 organisations, filtered by kind and searched by name, kana, English name
/// or code (a GET form, so filters are links and work without JavaScript).
#[component]
pub fn OrgsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let kind = move || query.with(|q| q.get("kind")).unwrap_or_default();
    let text = move || query.with(|q| q.get("q")).unwrap_or_default();
    let orgs = Resource::new(
        move || (kind(), text()),
        |(k, q)| list_organisations(Some(k), Some(q)),
    );
    view! {
        <Title text=lang.pick("団体", "Organisations")/>
        <h1>{lang.pick("団体", "Organisations")}</h1>
        <form method="get" action="/orgs" class="filters" role="search">
            <label>
                {lang.pick("種別", "Kind")}
                <select name="kind">
                    <option value="" selected=move || kind().is_empty()>{lang.pick("すべて", "All")}</option>
                    {OrgKind::ALL.into_iter().map(|k| view! {
                        <option value=k.code() selected=move || kind() == k.code()>{k.label(lang)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {lang.pick("名称・よみ・コード", "Name, kana or code")}
                <input type="search" name="q" value=text/>
            </label>
            <button type="submit">{lang.pick("絞り込む", "Filter")}</button>
        </form>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(orgs.await, |orgs| view! {
                    <p aria-live="polite">{match lang {
                        crate::i18n::Lang::Ja => format!("{}件", orgs.len()),
                        crate::i18n::Lang::En => format!("{} organisations", orgs.len()),
                    }}</p>
                    <ScrollRegion label=lang.pick("団体一覧", "Organisation list")>
                        <table>
                            <thead><tr>
                                <th scope="col">{lang.pick("団体コード", "Code")}</th>
                                <th scope="col">{lang.pick("名称", "Name")}</th>
                                <th scope="col">{lang.pick("よみ", "Kana")}</th>
                                <th scope="col">{lang.pick("英語名", "English name")}</th>
                                <th scope="col">{lang.pick("種別", "Kind")}</th>
                            </tr></thead>
                            <tbody>
                                {orgs.into_iter().map(|o| view! {
                                    <tr>
                                        <td>{o.lg_code.as_ref().map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</td>
                                        <td><A href=format!("/orgs/{}", o.key)>{o.name_ja.clone()}</A></td>
                                        <td>{o.name_kana.clone()}</td>
                                        <td lang="en">{o.name_en.clone()}</td>
                                        <td>{o.kind.label(lang)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </ScrollRegion>
                })
            })}
        </Suspense>
    }
}

/// An organisation's facts (code, kana, English name, kind, district), for the shell's
/// organisation page.
#[component]
pub fn OrgFacts(organisation: Organisation) -> impl IntoView {
    let lang = use_lang();
    let o = organisation;
    view! {
        <dl class="facts">
            <dt>{lang.pick("団体コード", "Local government code")}</dt>
            <dd>{o.lg_code.as_ref().map(|c| c.to_string()).unwrap_or_else(|| lang.pick("なし", "None").into())}</dd>
            <dt>{lang.pick("よみ", "Kana")}</dt><dd>{o.name_kana.clone()}</dd>
            <dt>{lang.pick("英語名", "English name")}</dt><dd lang="en">{o.name_en.clone()}</dd>
            <dt>{lang.pick("種別", "Kind")}</dt><dd>{o.kind.label(lang)}</dd>
            {o.district_ja.clone().map(|d| view! { <dt>{lang.pick("郡・支庁", "District")}</dt><dd>{d}</dd> })}
        </dl>
    }
}
