//! `/consultations`: pick a topic, see the advisors and their merged free slots (JST), book one.

use super::super::model::ConsultationKind;
use super::super::server::get_consultations;
use super::super::views::ConsultationsView;
use super::SlotChoices;
use crate::i18n::use_lang;
use crate::ui::{TextArea, loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// `/consultations?topic=…&advisor=…&record=…&step=…`: a GET form chooses the topic (and
/// optionally an advisor); the booking form lists the free slots as radio buttons and posts to
/// `book_consultation`. `record` and `step` (from "Ask an advisor about this step") are carried
/// into the booking.
#[component]
pub fn ConsultationsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let param = move |name: &'static str| move || query.with(|q| q.get(name)).unwrap_or_default();
    let (topic, advisor) = (param("topic"), param("advisor"));
    let data = Resource::new(
        move || (topic(), advisor()),
        |(t, a)| get_consultations(t, a),
    );
    view! {
        <Title text=lang.pick("相談（人材シェアリング）", "Consultations (talent sharing)")/>
        <h1>{lang.pick("相談（人材シェアリング）", "Consultations (talent sharing)")}</h1>
        <p>
            {lang.pick(
                "GovTech東京のアドバイザーにスポット相談・伴走サポートを申し込めます。時刻はすべて日本時間（JST）です。",
                "Book a spot consultation or accompanying support with a GovTech Tokyo advisor. All times are Japan time (JST).",
            )}
            " "<A href="/consultations/bookings">{lang.pick("自分の相談一覧", "My consultations")}</A>
        </p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let record = query.with_untracked(|q| q.get("record")).unwrap_or_default();
                let step = query.with_untracked(|q| q.get("step")).unwrap_or_default();
                let engagement = query.with_untracked(|q| q.get("engagement")).unwrap_or_default();
                render(data.await, move |v| view! { <Booking view=v record=record step=step engagement=engagement/> })
            })}
        </Suspense>
    }
}

#[component]
fn Booking(
    view: ConsultationsView,
    record: String,
    step: String,
    engagement: String,
) -> impl IntoView {
    let lang = use_lang();
    let ConsultationsView {
        topics,
        topic,
        advisor,
        advisors,
        slots,
        may_book,
        is_advisor,
        request_key,
    } = view;
    let topic_label = topics
        .iter()
        .find(|t| t.code == topic)
        .map(|t| t.label(lang).to_owned())
        .unwrap_or_default();
    let chooser = view! {
        <form method="get" action="/consultations" class="filters" role="search">
            <label>
                {lang.pick("相談分野", "Topic")}
                <select name="topic">
                    <option value="" selected=topic.is_empty()>{lang.pick("選んでください", "Choose")}</option>
                    {topics.iter().map(|t| view! {
                        <option value=t.code.clone() selected=t.code == topic>{t.label(lang).to_owned()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {lang.pick("アドバイザー", "Advisor")}
                <select name="advisor">
                    <option value="" selected=advisor.is_empty()>{lang.pick("指定しない（自動で割当）", "Any (assigned in turn)")}</option>
                    {advisors.iter().map(|a| view! {
                        <option value=a.key.clone() selected=a.key == advisor>{lang.pick(&a.name_ja, &a.name_en).to_owned()}</option>
                    }).collect_view()}
                </select>
            </label>
            {(!record.is_empty()).then(|| view! {
                <input type="hidden" name="record" value=record.clone()/>
                <input type="hidden" name="step" value=step.clone()/>
            })}
            {(!engagement.is_empty()).then(|| view! {
                <input type="hidden" name="engagement" value=engagement.clone()/>
            })}
            <button type="submit">{lang.pick("空き枠を表示", "Show free slots")}</button>
        </form>
    };
    let cards = view! {
        <h2>{lang.pick("アドバイザー", "Advisors")}</h2>
        <ul class="cards">
            {advisors.iter().map(|a| view! {
                <li class="card">
                    <h3>{lang.pick(&a.name_ja, &a.name_en).to_owned()}
                        {a.paused.then(|| view! { " "<span class="badge">{lang.pick("受付停止中", "Not taking bookings")}</span> })}
                    </h3>
                    <p>{a.topics.iter().map(|(ja, en)| lang.pick(ja, en).to_owned()).collect::<Vec<_>>().join(" · ")}</p>
                    <p>{lang.pick("対応言語: ", "Languages: ")}{a.languages.join(", ")}</p>
                    <div class="markdown" inner_html=a.bio_html.clone()></div>
                </li>
            }).collect_view()}
        </ul>
    };
    let form = if topic.is_empty() {
        view! { <p>{lang.pick("相談分野を選ぶと空き枠が表示されます。", "Choose a topic to see the free slots.")}</p> }.into_any()
    } else if !may_book {
        view! { <p>{lang.pick("相談を申し込めるのは区市町村の職員です。", "Consultations are booked by municipal staff.")}</p> }.into_any()
    } else if slots.is_empty() {
        view! { <p>{lang.pick("この分野の空き枠は今はありません。", "There are no free slots for this topic now.")}</p> }.into_any()
    } else {
        view! {
            <h2>{format!("{}{}", topic_label, lang.pick(" の空き枠", ": free slots"))}</h2>
            <form method="post" action="/api/book_consultation" class="record-form">
                <input type="hidden" name="request_key" value=request_key.clone()/>
                <input type="hidden" name="topic" value=topic.clone()/>
                <input type="hidden" name="advisor" value=advisor.clone()/>
                <input type="hidden" name="record" value=record.clone()/>
                <input type="hidden" name="step" value=step.clone()/>
                <input type="hidden" name="engagement" value=engagement.clone()/>
                {(!engagement.is_empty()).then(|| view! {
                    <p class="notice">{lang.pick("伴走支援の次回の相談として申し込みます。", "This books the next session of an accompanying support case.")}</p>
                })}
                <SlotChoices slots=slots.clone() counts=true/>
                <fieldset>
                    <legend>{lang.pick("相談の種類", "Kind")}</legend>
                    {ConsultationKind::ALL.into_iter().map(|k| {
                        let id = format!("kind-{}", k.code());
                        view! {
                            <div>
                                <input type="radio" name="kind" id=id.clone() value=k.code()
                                    checked=k == ConsultationKind::SpotConsultation/>
                                <label for=id>{k.label(lang)}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                {(!record.is_empty()).then(|| view! {
                    <p>{lang.pick("関連する移行記録: ", "Linked migration record: ")}{record.clone()}
                        {(!step.is_empty()).then(|| format!(" · {}{}", lang.pick("手順", "step "), step))}</p>
                })}
                <label for="subject">{lang.pick("件名", "Subject")}</label>
                <input id="subject" name="subject" required maxlength="200"/>
                <label for="description">{lang.pick("相談内容（Markdown）", "What you would like to discuss (Markdown)")}</label>
                <TextArea id="description" name="description" maxlength=10000 value=String::new()/>
                <p><button type="submit">{lang.pick("申し込む", "Book")}</button></p>
            </form>
        }.into_any()
    };
    let settings = is_advisor.then(|| view! {
        <p><A href="/consultations/profile">{lang.pick("自分の相談受付の設定（受付時間・分野・受付停止）", "My consultation settings (hours, topics, pausing)")}</A></p>
    });
    view! { {settings} {chooser} {form} {cards} }
}
