//! `/consultations/schedule` (an advisor's day or week) and `/consultations/overview` (GovTech
//! Tokyo's counts of every consultation, with its CSV).

use super::super::model::Tally;
use super::super::server::{get_advisor_schedule, get_consultation_overview};
use super::super::views::{OverviewView, ScheduleView};
use super::{booking_href, session_text, status_badge};
use crate::i18n::{Lang, use_lang};
use crate::ui::{loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// `/consultations/schedule?date=YYYY-MM-DD&days=1|7&advisor=…`: the caller's (or, for the
/// secretariat, `advisor`'s) bookings by JST day, a week from Monday or one day, with links to
/// the period before and after.
#[component]
pub fn SchedulePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let args = move || {
        query.with(|q| {
            (
                q.get("advisor").unwrap_or_default(),
                q.get("date").unwrap_or_default(),
                q.get("days").unwrap_or_default(),
            )
        })
    };
    let schedule = Resource::new(args, |(advisor, date, days)| {
        get_advisor_schedule(advisor, date, days)
    });
    view! {
        <Title text=lang.pick("相談の予定", "Consultation schedule")/>
        <h1>{lang.pick("相談の予定", "Consultation schedule")}</h1>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(schedule.await, move |v| view! { <Schedule view=v/> })
            })}
        </Suspense>
    }
}

#[component]
fn Schedule(view: ScheduleView) -> impl IntoView {
    let lang = use_lang();
    let v = view;
    let link = move |date: chrono::NaiveDate, days: u32| {
        format!(
            "/consultations/schedule?advisor={}&date={date}&days={days}",
            v.advisor
        )
    };
    let (period_ja, period_en) = if v.days == 1 {
        ("前の日", "Previous day")
    } else {
        ("前の週", "Previous week")
    };
    let (next_ja, next_en) = if v.days == 1 {
        ("次の日", "Next day")
    } else {
        ("次の週", "Next week")
    };
    let other = if v.days == 1 { 7 } else { 1 };
    let first = v.schedule.first().map(|d| d.date).unwrap_or(v.previous);
    view! {
        <p>{lang.pick(&v.advisor_name.0, &v.advisor_name.1).to_owned()}</p>
        <nav class="pager" aria-label=lang.pick("期間", "Period")>
            <A href=link(v.previous, v.days)>{lang.pick(period_ja, period_en)}</A>" "
            <A href=link(first, other)>{if other == 1 { lang.pick("日表示", "Day view") } else { lang.pick("週表示", "Week view") }}</A>" "
            <A href=link(v.next, v.days)>{lang.pick(next_ja, next_en)}</A>
        </nav>
        {v.schedule.into_iter().map(|day| {
            let heading = match lang {
                Lang::Ja => day.date.format("%Y年%-m月%-d日").to_string() + &format!("（{}）", weekday_ja(day.date)),
                Lang::En => day.date.format("%A %-d %B %Y").to_string(),
            };
            view! {
                <section class="schedule-day">
                    <h2>{heading}</h2>
                    {if day.bookings.is_empty() {
                        view! { <p class="muted">{lang.pick("予定なし", "Nothing booked")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="schedule">
                                {day.bookings.into_iter().map(|b| {
                                    let (badge, class) = status_badge(b.status, lang);
                                    view! {
                                        <li>
                                            <span>{session_text(b.start, b.end, lang)}</span>" "
                                            <span class=class>{badge}</span>" "
                                            <A href=booking_href(&b.key)>{b.subject.clone()}</A>" — "
                                            {lang.pick(&b.requester_name.0, &b.requester_name.1).to_owned()}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }
        }).collect_view()}
    }
}

fn weekday_ja(date: chrono::NaiveDate) -> &'static str {
    use chrono::Datelike;
    ["月", "火", "水", "木", "金", "土", "日"][date.weekday().num_days_from_monday() as usize]
}

/// `/consultations/overview`: every consultation counted by topic, municipality and month, with
/// average ratings and lead times, and the CSV of it.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let lang = use_lang();
    let overview = Resource::new(|| (), |_| get_consultation_overview());
    view! {
        <Title text=lang.pick("相談の実績", "Consultations overview")/>
        <h1>{lang.pick("相談の実績", "Consultations overview")}</h1>
        <p><a href="/consultations/overview.csv" download rel="external">{lang.pick("CSVで出力", "Export as CSV")}</a></p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(overview.await, move |v| view! { <Overview view=v/> })
            })}
        </Suspense>
    }
}

#[component]
fn Overview(view: OverviewView) -> impl IntoView {
    let lang = use_lang();
    let v = view;
    let total = v.total.clone();
    view! {
        <dl class="facts">
            <dt>{lang.pick("相談件数", "Consultations")}</dt><dd>{total.bookings}</dd>
            <dt>{lang.pick("実施済み", "Held")}</dt><dd>{total.held}</dd>
            <dt>{lang.pick("平均評価", "Average rating")}</dt><dd>{rating(&total, lang)}</dd>
            <dt>{lang.pick("申込から相談までの平均", "Average lead time")}</dt><dd>{lead(&total, lang)}</dd>
        </dl>
        <h2>{lang.pick("相談分野別", "By topic")}</h2>
        <TallyTable first=lang.pick("相談分野", "Topic") rows=v.by_topic.into_iter().map(|(t, (ja, en))| (lang.pick(&ja, &en).to_owned(), t)).collect()/>
        <h2>{lang.pick("団体別", "By municipality")}</h2>
        <TallyTable first=lang.pick("団体", "Municipality") rows=v.by_municipality.into_iter().map(|(t, (ja, en))| (lang.pick(&ja, &en).to_owned(), t)).collect()/>
        <h2>{lang.pick("月別（相談日、日本時間）", "By month (of the session, JST)")}</h2>
        <TallyTable first=lang.pick("月", "Month") rows=v.by_month.into_iter().map(|t| (t.key.clone(), t)).collect()/>
    }
}

fn rating(t: &Tally, lang: Lang) -> String {
    match t.average_rating {
        Some(r) => match lang {
            Lang::Ja => format!("{r:.1}（{}件）", t.ratings),
            Lang::En => format!("{r:.1} ({} rated)", t.ratings),
        },
        None => "—".to_owned(),
    }
}

fn lead(t: &Tally, lang: Lang) -> String {
    match t.average_lead_hours {
        Some(h) if h >= 48.0 => match lang {
            Lang::Ja => format!("{:.1}日", h / 24.0),
            Lang::En => format!("{:.1} days", h / 24.0),
        },
        Some(h) => match lang {
            Lang::Ja => format!("{h:.1}時間"),
            Lang::En => format!("{h:.1} hours"),
        },
        None => "—".to_owned(),
    }
}

#[component]
fn TallyTable(first: &'static str, rows: Vec<(String, Tally)>) -> impl IntoView {
    let lang = use_lang();
    if rows.is_empty() {
        return view! { <p>{lang.pick("相談はまだありません。", "No consultations yet.")}</p> }
            .into_any();
    }
    view! {
        <div class="table-scroll">
        <table>
            <thead><tr>
                <th scope="col">{first}</th>
                <th scope="col">{lang.pick("件数", "Booked")}</th>
                <th scope="col">{lang.pick("実施", "Held")}</th>
                <th scope="col">{lang.pick("取消", "Cancelled")}</th>
                <th scope="col">{lang.pick("欠席", "No-show")}</th>
                <th scope="col">{lang.pick("平均評価", "Average rating")}</th>
                <th scope="col">{lang.pick("平均リードタイム", "Average lead time")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|(label, t)| view! {
                    <tr>
                        <th scope="row">{label}</th>
                        <td>{t.bookings}</td>
                        <td>{t.held}</td>
                        <td>{t.cancelled}</td>
                        <td>{t.no_show}</td>
                        <td>{rating(&t, lang)}</td>
                        <td>{lead(&t, lang)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}
