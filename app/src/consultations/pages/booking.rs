//! `/consultations/bookings` (the caller's bookings) and `/consultations/bookings/:id` (one
//! booking with its cancel and advisor forms).

use super::super::model::BookingStatus;
use super::super::server::{get_booking, list_bookings};
use super::super::views::BookingView;
use super::engagement::{engagement_badge, engagement_href};
use super::{SlotChoices, booking_href, session_text, status_badge};
use crate::i18n::use_lang;
use crate::ui::{TextArea, loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/consultations/bookings`: the caller's bookings, newest session first.
#[component]
pub fn BookingsPage() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| list_bookings());
    view! {
        <Title text=lang.pick("相談一覧", "Consultations")/>
        <h1>{lang.pick("相談一覧", "Consultations")}</h1>
        <p><A href="/consultations">{lang.pick("相談を申し込む", "Book a consultation")}</A></p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(list.await, move |v| {
                    let links = view! {
                        {v.is_advisor.then(|| view! {
                            <p><A href="/consultations/schedule">{lang.pick("自分の予定（週・日）", "My schedule (week, day)")}</A></p>
                        })}
                        {v.may_read_overview.then(|| view! {
                            <p><A href="/consultations/overview">{lang.pick("相談の実績（分野・団体・月別）", "Consultations overview (by topic, municipality, month)")}</A></p>
                        })}
                    };
                    let engagements = (!v.engagements.is_empty()).then(|| view! {
                        <h2>{lang.pick("伴走支援", "Accompanying support")}</h2>
                        <ul class="schedule">
                            {v.engagements.clone().into_iter().map(|e| {
                                let (badge, class) = engagement_badge(e.status, lang);
                                view! {
                                    <li>
                                        <span class=class>{badge}</span>" "
                                        <A href=engagement_href(&e.key)>{e.title.clone()}</A>" — "
                                        {lang.pick(&e.organisation_name.0, &e.organisation_name.1).to_owned()}" / "
                                        {lang.pick(&e.advisor_name.0, &e.advisor_name.1).to_owned()}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    });
                    let feed = view! { {engagements} <CalendarFeed made=v.calendar_feed_made new_url=v.new_calendar_feed.clone()/> };
                    if v.bookings.is_empty() {
                        return view! { {links} <p>{lang.pick("相談はまだありません。", "No consultations yet.")}</p> {feed} }.into_any();
                    }
                    view! {
                        {links}
                        <div class="table-scroll">
                        <table>
                            <thead><tr>
                                <th scope="col">{lang.pick("日時（JST）", "Time (JST)")}</th>
                                <th scope="col">{lang.pick("件名", "Subject")}</th>
                                <th scope="col">{lang.pick("アドバイザー", "Advisor")}</th>
                                <th scope="col">{lang.pick("申込者", "Requested by")}</th>
                                <th scope="col">{lang.pick("状況", "Status")}</th>
                            </tr></thead>
                            <tbody>
                                {v.bookings.into_iter().map(|b| {
                                    let (badge, class) = status_badge(b.status, lang);
                                    view! {
                                        <tr>
                                            <td>{session_text(b.start, b.end, lang)}</td>
                                            <td><A href=booking_href(&b.key)>{b.subject.clone()}</A></td>
                                            <td>{lang.pick(&b.advisor_name.0, &b.advisor_name.1).to_owned()}</td>
                                            <td>{lang.pick(&b.requester_name.0, &b.requester_name.1).to_owned()}</td>
                                            <td><span class=class>{badge}</span></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                        {feed}
                    }.into_any()
                })
            })}
        </Suspense>
    }
}

/// The caller's private calendar feed: make one (or a new one, which stops the old address),
/// stop it; its address is shown once, right after it was made.
#[component]
fn CalendarFeed(
    made: Option<chrono::DateTime<chrono::Utc>>,
    new_url: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let state = match (&new_url, made) {
        (Some(url), _) => view! {
            <div class="notice success" role="status">
                <p>{lang.pick(
                    "購読用アドレスを発行しました。この画面を離れると二度と表示されません。カレンダーアプリの「URLで購読」に貼り付けてください。",
                    "Your feed address is ready. It is shown only now: paste it into your calendar app's “subscribe by URL”.",
                )}</p>
                <label for="feed-url">{lang.pick("購読用アドレス", "Feed address")}</label>
                <input id="feed-url" type="text" readonly value=url.clone()/>
            </div>
        }.into_any(),
        (None, Some(at)) => view! {
            <p>{lang.pick("購読用アドレスは発行済みです（発行: ", "You have a feed address (made ")}{crate::i18n::fmt_jst(at, lang)}{lang.pick("）。", ").")}</p>
        }.into_any(),
        (None, None) => view! {
            <p>{lang.pick("購読用アドレスはまだありません。", "You have no feed address yet.")}</p>
        }.into_any(),
    };
    let has_feed = new_url.is_some() || made.is_some();
    view! {
        <h2 id="calendar">{lang.pick("カレンダーで購読", "Calendar subscription")}</h2>
        <p>{lang.pick(
            "自分の相談を、カレンダーアプリで購読できます。アドレスを知っている人は誰でも予定を見られるため、共有しないでください。",
            "Subscribe to your consultations from a calendar app. Anyone with the address can see them: do not share it.",
        )}</p>
        {state}
        <form method="post" action="/api/create_calendar_feed" class="inline-form">
            <button type="submit">{if has_feed {
                lang.pick("新しいアドレスを発行（古いアドレスは無効になります）", "Make a new address (the old one stops working)")
            } else {
                lang.pick("購読用アドレスを発行", "Make a feed address")
            }}</button>
        </form>
        {has_feed.then(|| view! {
            <form method="post" action="/api/revoke_calendar_feed" class="inline-form">
                <button type="submit" class="secondary">{lang.pick("購読を停止", "Stop the feed")}</button>
            </form>
        })}
    }
}

/// `/consultations/bookings/:id`.
#[component]
pub fn BookingPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let reschedule = move || query.with(|q| q.get("reschedule").is_some());
    let booking = Resource::new(
        move || (id(), reschedule()),
        |(id, reschedule)| get_booking(id, reschedule),
    );
    let done = move || {
        query.with(|q| {
            if q.get("form_error").is_some() {
                return None;
            }
            if q.get("booked").is_some() {
                Some(lang.pick("相談を申し込みました。", "Your consultation is booked."))
            } else if q.get("changed").is_some() {
                Some(lang.pick("相談を更新しました。", "The consultation is updated."))
            } else {
                None
            }
        })
    };
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(booking.await, move |v| view! {
                    {done().map(|m| view! { <div class="notice success" role="status"><p>{m}</p></div> })}
                    <Booking view=v/>
                })
            })}
        </Suspense>
    }
}

#[component]
fn Booking(view: BookingView) -> impl IntoView {
    let lang = use_lang();
    let b = view;
    let (badge, class) = status_badge(b.status, lang);
    let live = b.status.holds_time();
    let key = b.key.clone();
    let version = b.version.clone();
    let give = b.may_give.then(|| match b.status {
        BookingStatus::Requested => view! {
            <form method="post" action="/api/give_booking" class="inline-form">
                <input type="hidden" name="id" value=key.clone()/>
                <input type="hidden" name="version" value=version.clone()/>
                <input type="hidden" name="change" value="confirm"/>
                <button type="submit">{lang.pick("確定する", "Confirm")}</button>
            </form>
        }
        .into_any(),
        BookingStatus::Confirmed => view! {
            <h2>{lang.pick("相談の記録", "Record the session")}</h2>
            <form method="post" action="/api/give_booking" class="record-form">
                <input type="hidden" name="id" value=key.clone()/>
                <input type="hidden" name="version" value=version.clone()/>
                <input type="hidden" name="change" value="complete"/>
                <label for="summary">{lang.pick("概要（Markdown）", "Summary (Markdown)")}</label>
                <TextArea id="summary" name="summary" maxlength=10000 value=String::new()/>
                <label for="follow_ups">{lang.pick("今後の対応", "Follow-ups")}</label>
                <TextArea id="follow_ups" name="follow_ups" maxlength=10000 value=String::new()/>
                <p><button type="submit">{lang.pick("実施済みとして記録", "Record as held")}</button></p>
            </form>
            <form method="post" action="/api/give_booking" class="inline-form">
                <input type="hidden" name="id" value=key.clone()/>
                <input type="hidden" name="version" value=version.clone()/>
                <input type="hidden" name="change" value="no_show"/>
                <button type="submit" class="secondary">{lang.pick("欠席として記録", "Record a no-show")}</button>
            </form>
        }
        .into_any(),
        _ => ().into_any(),
    });
    let outcome = b.outcome.clone().map(|(summary_html, follow_ups)| {
        view! {
            <h2>{lang.pick("相談の記録", "Session record")}</h2>
            <div class="markdown" inner_html=summary_html></div>
            {(!follow_ups.is_empty()).then(|| view! {
                <h3>{lang.pick("今後の対応", "Follow-ups")}</h3>
                <p class="pre-line">{follow_ups}</p>
            })}
        }
    });
    let rating = b.rating.clone().map(|(stars, comment)| view! {
        <p>{lang.pick("評価: ", "Rating: ")}{format!("{stars} / 5")}{(!comment.is_empty()).then(|| format!(" — {comment}"))}</p>
    });
    let rate = b.may_rate.then(|| view! {
        <h2>{lang.pick("この相談を評価する", "Rate this consultation")}</h2>
        <form method="post" action="/api/rate_booking" class="record-form">
            <input type="hidden" name="id" value=b.key.clone()/>
            <fieldset>
                <legend>{lang.pick("評価（1〜5）", "Rating (1–5)")}</legend>
                {(1..=5).map(|n| {
                    let id = format!("rating-{n}");
                    view! {
                        <span class="rating-option">
                            <input type="radio" name="rating" id=id.clone() value=n required=true/>
                            <label for=id>{n}</label>
                        </span>
                    }
                }).collect_view()}
            </fieldset>
            <label for="comment">{lang.pick("コメント（任意）", "Comment (optional)")}</label>
            <TextArea id="comment" name="comment" maxlength=10000 value=String::new()/>
            <p><button type="submit">{lang.pick("評価を送る", "Send the rating")}</button></p>
        </form>
    });
    let move_to = b.may_reschedule.then(|| {
        let form = if b.reschedule_slots.is_empty() {
            view! {
                <p><a href=format!("{}?reschedule=1#reschedule", booking_href(&b.key))>
                    {lang.pick("変更できる日時を表示", "Show the times it can move to")}
                </a></p>
            }
            .into_any()
        } else {
            view! {
                <form method="post" action="/api/reschedule_booking" class="record-form">
                    <input type="hidden" name="id" value=b.key.clone()/>
                    <input type="hidden" name="version" value=b.version.clone()/>
                    <SlotChoices slots=b.reschedule_slots.clone() counts=false/>
                    <p><button type="submit">{lang.pick("日時を変更する", "Move the consultation")}</button></p>
                </form>
            }
            .into_any()
        };
        view! {
            <h2 id="reschedule">{lang.pick("日時の変更", "Reschedule")}</h2>
            {form}
        }
    });
    let engagement = match (&b.engagement, b.may_start_engagement) {
        (Some(e), _) => Some(view! {
            <p>{lang.pick("この相談は伴走支援の一部です: ", "This session is part of an accompanying support: ")}
                <A href=engagement_href(e)>{lang.pick("伴走支援のページへ", "Open the support case")}</A></p>
        }.into_any()),
        (None, true) => Some(view! {
            <h2>{lang.pick("伴走支援にする", "Turn into accompanying support")}</h2>
            <p>{lang.pick(
                "複数回の相談で継続して支援する場合は、目標を決めて伴走支援を始めます。この相談が初回になります。",
                "To support the municipality over several sessions, start an accompanying support case with a goal; this consultation becomes its first session.",
            )}</p>
            <form method="post" action="/api/start_engagement" class="record-form">
                <input type="hidden" name="id" value=b.key.clone()/>
                <input type="hidden" name="version" value=b.version.clone()/>
                <label for="title">{lang.pick("伴走支援の名前", "Name of the support")}</label>
                <input id="title" name="title" required maxlength="200" value=b.subject.clone()/>
                <label for="goal">{lang.pick("目標（Markdown）", "Goal (Markdown)")}</label>
                <TextArea id="goal" name="goal" maxlength=10000 required=true value=String::new()/>
                <p><button type="submit">{lang.pick("伴走支援を始める", "Start accompanying support")}</button></p>
            </form>
        }.into_any()),
        (None, false) => None,
    };
    let cancel = (b.may_cancel && live).then(|| view! {
        <h2>{lang.pick("取消", "Cancel")}</h2>
        <p>{match lang {
            crate::i18n::Lang::Ja => format!("開始{}時間前まで取り消せます。", b.notice_hours),
            crate::i18n::Lang::En => format!("It can be cancelled until {} hours before it starts.", b.notice_hours),
        }}</p>
        <form method="post" action="/api/cancel_booking" class="record-form">
            <input type="hidden" name="id" value=b.key.clone()/>
            <input type="hidden" name="version" value=b.version.clone()/>
            <label for="reason">{lang.pick("取消の理由", "Reason for cancelling")}</label>
            <TextArea id="reason" name="reason" maxlength=10000 value=String::new()/>
            <p><button type="submit" class="secondary">{lang.pick("相談を取り消す", "Cancel the consultation")}</button></p>
        </form>
    });
    view! {
        <Title text=b.subject.clone()/>
        <h1>{b.subject.clone()}</h1>
        <p><span class=class>{badge}</span>" "{b.kind.label(lang)}</p>
        <dl class="facts">
            <dt>{lang.pick("日時（JST）", "Time (JST)")}</dt><dd>{session_text(b.start, b.end, lang)}</dd>
            <dt>{lang.pick("相談分野", "Topic")}</dt><dd>{lang.pick(&b.topic.0, &b.topic.1).to_owned()}</dd>
            <dt>{lang.pick("アドバイザー", "Advisor")}</dt><dd>{lang.pick(&b.advisor_name.0, &b.advisor_name.1).to_owned()}</dd>
            <dt>{lang.pick("申込者", "Requested by")}</dt><dd>{lang.pick(&b.requester_name.0, &b.requester_name.1).to_owned()}</dd>
            {b.record.clone().map(|(record, step)| view! {
                <dt>{lang.pick("関連する移行記録", "Linked migration record")}</dt>
                <dd>{record_link(&record, step, lang)}</dd>
            })}
            {b.cancel_reason.clone().map(|r| view! {
                <dt>{lang.pick("取消理由", "Reason for cancelling")}</dt><dd>{r}</dd>
            })}
        </dl>
        <p>
            <a href=format!("{}/invite.ics", booking_href(&b.key)) download rel="external">
                {lang.pick("カレンダーに追加（.ics）", "Add to calendar (.ics)")}
            </a>
        </p>
        <h2>{lang.pick("相談内容", "Description")}</h2>
        <div class="markdown" inner_html=b.description_html.clone()></div>
        {outcome}
        {rating}
        {give}
        {rate}
        {engagement}
        {move_to}
        {cancel}
        <p><A href="/consultations/bookings">{lang.pick("相談一覧へ", "All consultations")}</A></p>
    }
}

/// A linked record (`<lg code>_<system>`) as a link to its page (and step thread).
fn record_link(record: &str, step: Option<u32>, lang: crate::i18n::Lang) -> impl IntoView + use<> {
    let (lg, system) = record.split_once('_').unwrap_or((record, ""));
    let href = match step {
        Some(n) => format!("/standardization/records/{lg}/{system}/steps/{n}"),
        None => format!("/standardization/records/{lg}/{system}"),
    };
    let text = match step {
        Some(n) => format!("{record} · {}{n}", lang.pick("手順", "step ")),
        None => record.to_owned(),
    };
    view! { <A href=href>{text}</A> }
}
