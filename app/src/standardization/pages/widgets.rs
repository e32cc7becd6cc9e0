//! Standardization's sections on pages that the shell gathers: the home page and an
//! organisation's page. Each takes the data its page already loaded.

use super::dashboard::Timeline;
use super::{Legend, ProgressTable, SummaryTable};
use crate::i18n::{Lang, use_lang};
use crate::standardization::model::ProgressStatus;
use crate::standardization::views::{Home, OrgDetail};
use leptos::prelude::*;
use leptos_router::components::A;

/// Home: the own municipality's 20 systems (municipal users) and the council-wide summary.
#[component]
pub fn HomeSection(home: Home) -> impl IntoView {
    let lang = use_lang();
    let may_import = crate::policy::may_import(&home.user);
    let own = home.own.clone().map(|d| {
        let live = d
            .progress
            .iter()
            .flatten()
            .filter(|p| p.status == ProgressStatus::Live)
            .count();
        let total = d.systems.len();
        view! {
            <h2>{lang.pick("自団体の20業務", "Our 20 systems")}</h2>
            <p class="lead">{match lang {
                Lang::Ja => format!("{total}業務のうち{live}業務が移行完了です。"),
                Lang::En => format!("{live} of {total} systems are live."),
            }}</p>
            <Legend/>
            <ProgressTable lg_key=d.organisation.key.clone() systems=d.systems progress=d.progress/>
            {may_import.then(|| view! {
                <p><A href="/standardization/import">{lang.pick("進捗を取り込む（CSV）", "Import progress (CSV)")}</A></p>
            })}
        }
    });
    view! {
        {own}
        <h2>{lang.pick("都内62区市町村の状況", "All 62 municipalities")}</h2>
        <SummaryTable systems=home.systems summary=home.summary/>
        <p>
            <A href="/standardization">{lang.pick("進捗ヒートマップを見る", "Open the progress heatmap")}</A>" · "
            <A href="/standardization/dashboard">{lang.pick("協議会ダッシュボードを見る", "Open the council dashboard")}</A>
        </p>
    }
}

/// An organisation's page: its standardization row and timeline (municipalities only).
#[component]
pub fn OrgProgressSection(detail: OrgDetail) -> impl IntoView {
    let lang = use_lang();
    detail.organisation.kind.is_municipal().then(|| {
        view! {
            <h2>{lang.pick("標準化の進捗", "Standardization progress")}</h2>
            <ProgressTable lg_key=detail.organisation.key.clone() systems=detail.systems.clone() progress=detail.progress.clone()/>
            <Timeline systems=detail.systems.clone() progress=detail.progress.clone()/>
        }
    })
}
