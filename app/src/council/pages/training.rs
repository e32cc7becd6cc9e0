//! `/council/trainings/:id`: a training session — details, seats and the waiting list,
//! registering and cancelling, and (for managers) who registered.

use super::super::model::RegistrationStatus;
use super::super::server::get_training;
use super::super::views::TrainingView;
use super::{BackLink, FlagNotice, Flags, time_of};
use crate::i18n::{Lang, use_lang};
use crate::ui::{ScrollRegion, loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const FLAGS: Flags = &[
    (
        "created",
        "研修を登録しました。",
        "The training session is announced.",
    ),
    (
        "registered",
        "参加を申し込みました。",
        "You are registered.",
    ),
    (
        "cancelled",
        "申込を取り消しました。",
        "Your registration is cancelled.",
    ),
];

/// `/council/trainings/:id`.
#[component]
pub fn TrainingPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let training = Resource::new(id, get_training);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(training.await, |v| view! {
                    <FlagNotice flags=FLAGS/>
                    <Training view=v/>
                })
            })}
        </Suspense>
    }
}

/// The caller's registration: registered, or their place on the waiting list.
fn status_text(status: RegistrationStatus, place: Option<u32>, lang: Lang) -> String {
    match (status, place, lang) {
        (RegistrationStatus::Waiting, Some(n), Lang::Ja) => {
            format!("{}（{n}番目）", status.label(lang))
        }
        (RegistrationStatus::Waiting, Some(n), Lang::En) => {
            format!("{} (number {n})", status.label(lang))
        }
        _ => status.label(lang).to_owned(),
    }
}

#[component]
fn Training(view: TrainingView) -> impl IntoView {
    let lang = use_lang();
    let TrainingView {
        key,
        workspace,
        title,
        body_html,
        starts_at,
        deadline,
        capacity,
        registered,
        waiting,
        mine,
        my_place,
        may_register,
        registrations,
    } = view;
    let left = capacity.saturating_sub(registered);
    let seats = match lang {
        Lang::Ja => format!("{registered}/{capacity}（残り{left}席）"),
        Lang::En => format!("{registered}/{capacity} ({left} left)"),
    };
    let waiting = match lang {
        Lang::Ja => format!("{waiting}人"),
        Lang::En => waiting.to_string(),
    };
    let register = may_register.then(|| {
        view! {
            <form method="post" action="/api/register_training" class="inline-form">
                <input type="hidden" name="training" value=key.clone()/>
                <button type="submit">{if left == 0 {
                    lang.pick("キャンセル待ちに登録する", "Join the waiting list")
                } else {
                    lang.pick("参加を申し込む", "Register")
                }}</button>
            </form>
        }
    });
    let cancel = mine.is_some().then(|| {
        view! {
            <form method="post" action="/api/cancel_registration" class="inline-form">
                <input type="hidden" name="training" value=key.clone()/>
                <button type="submit" class="secondary">{lang.pick("申込を取り消す", "Cancel my registration")}</button>
            </form>
        }
    });
    view! {
        <Title text=title.clone()/>
        <BackLink workspace/>
        <h1>{title}</h1>
        <dl class="facts">
            <dt>{lang.pick("日時", "Starts")}</dt><dd>{time_of(starts_at)}</dd>
            <dt>{lang.pick("申込締切", "Registration closes")}</dt><dd>{time_of(deadline)}</dd>
            <dt>{lang.pick("参加登録/定員", "Registered/seats")}</dt><dd>{seats}</dd>
            <dt>{lang.pick("キャンセル待ち", "Waiting list")}</dt><dd>{waiting}</dd>
            {mine.map(|m| view! {
                <dt>{lang.pick("あなたの申込", "Your registration")}</dt><dd>{status_text(m, my_place, lang)}</dd>
            })}
        </dl>
        <div class="markdown" inner_html=body_html></div>
        <div class="button-row">{register}{cancel}</div>
        <Registrations rows=registrations/>
    }
}

/// The managers' list of registrations, in order.
#[component]
fn Registrations(rows: Vec<(String, String, RegistrationStatus)>) -> impl IntoView {
    let lang = use_lang();
    (!rows.is_empty()).then(|| {
        view! {
            <h2>{lang.pick("申込者", "Registrations")}</h2>
            <ScrollRegion label=lang.pick("申込者", "Registrations")>
                <table>
                    <thead><tr>
                        <th scope="col">{lang.pick("順", "No.")}</th>
                        <th scope="col">{lang.pick("名前", "Name")}</th>
                        <th scope="col">{lang.pick("状況", "Status")}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().enumerate().map(|(i, (ja, en, status))| view! {
                            <tr>
                                <td>{i + 1}</td>
                                <td>{lang.pick(&ja, &en).to_owned()}</td>
                                <td>{status.label(lang)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </ScrollRegion>
        }
    })
}
