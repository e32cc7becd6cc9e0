//! `/council/meetings/:id`: a meeting — time, place, agenda items (公開・非公開) with their
//! minutes, attendance, and the 議事要旨 (public summary) the managers compile and publish.

use super::super::model::AttendanceStatus;
use super::super::server::get_meeting;
use super::super::views::{AgendaItemView, AttendanceRow, MeetingView};
use super::{BackLink, FlagNotice, Flags, RowTextArea, meeting_href, span_text, time_of};
use crate::attachments::pages::AttachmentsSection;
use crate::i18n::{Lang, use_lang};
use crate::ids::Timestamp;
use crate::ui::{ScrollRegion, TextArea, loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

const FLAGS: Flags = &[
    (
        "created",
        "会議を登録しました。",
        "The meeting is scheduled.",
    ),
    (
        "agenda",
        "議題を追加しました。",
        "The agenda item is added.",
    ),
    (
        "minutes",
        "議事録を保存しました。",
        "The minutes are saved.",
    ),
    (
        "attendance",
        "出欠を登録しました。",
        "Your attendance is saved.",
    ),
    (
        "compiled",
        "公開の議題から議事要旨の下書きを作成しました。",
        "The summary draft is compiled from the public items.",
    ),
    (
        "saved",
        "議事要旨の下書きを保存しました。",
        "The summary draft is saved.",
    ),
    (
        "published",
        "議事要旨を公開しました。",
        "The summary is published.",
    ),
    (
        "withdrawn",
        "議事要旨の公開を取り下げました。",
        "The summary is no longer public.",
    ),
];

/// `/council/meetings/:id`.
#[component]
pub fn MeetingPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let meeting = Resource::new(id, get_meeting);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(meeting.await, |v| view! {
                    <FlagNotice flags=FLAGS/>
                    <Meeting view=v/>
                })
            })}
        </Suspense>
    }
}

#[component]
fn Meeting(view: MeetingView) -> impl IntoView {
    let lang = use_lang();
    let MeetingView {
        key,
        workspace,
        title,
        starts_at,
        ends_at,
        place,
        online_url,
        items,
        attendance,
        my_attendance,
        summary_draft,
        summary_html,
        published_at,
        may_attend,
        may_manage,
        documents,
    } = view;
    let query = use_query_map();
    let attached = query.with_untracked(|q| q.get("attached").is_some());
    let online = (!online_url.is_empty()).then(|| {
        view! {
            <dt>{lang.pick("オンライン", "Online")}</dt>
            <dd><a href=online_url.clone() rel="external noopener noreferrer">{online_url.clone()}</a></dd>
        }
    });
    let place = if place.is_empty() {
        "—".to_owned()
    } else {
        place
    };
    view! {
        <Title text=title.clone()/>
        <BackLink workspace/>
        <h1>{title}</h1>
        <dl class="facts">
            <dt>{lang.pick("日時", "Time")}</dt><dd>{span_text(starts_at, ends_at)}</dd>
            <dt>{lang.pick("場所", "Place")}</dt><dd>{place}</dd>
            {online}
        </dl>
        <p>
            <a href=format!("{}/meeting.ics", meeting_href(&key)) download rel="external">
                {lang.pick("カレンダーに追加（.ics）", "Add to calendar (.ics)")}
            </a>
        </p>
        <h2>{lang.pick("議題", "Agenda")}</h2>
        <Agenda meeting=key.clone() items may_manage/>
        {may_manage.then(|| view! { <AddItem meeting=key.clone()/> })}
        <AttachmentsSection
            subject=key.clone()
            back=meeting_href(&key)
            upload_to=format!("{}/documents", meeting_href(&key))
            download_base=format!("{}/documents", meeting_href(&key))
            heading=Some(("会議資料", "Meeting documents"))
            items=documents
            may_attach=may_manage
            attached/>
        <Attendance meeting=key.clone() rows=attendance mine=my_attendance may_attend/>
        <Summary meeting=key html=summary_html published_at draft=summary_draft may_manage/>
    }
}

/// The agenda items in order, each with its badge, description and minutes (and, for
/// managers, the minutes form).
#[component]
fn Agenda(meeting: String, items: Vec<AgendaItemView>, may_manage: bool) -> impl IntoView {
    let lang = use_lang();
    if items.is_empty() {
        return view! { <p class="muted">{lang.pick("議題はまだありません。", "No agenda items yet.")}</p> }
            .into_any();
    }
    view! {
        <ol class="agenda">
            {items.into_iter().map(|item| view! { <AgendaItem meeting=meeting.clone() item may_manage/> }).collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn AgendaItem(meeting: String, item: AgendaItemView, may_manage: bool) -> impl IntoView {
    let lang = use_lang();
    let (badge, class) = if item.public {
        (lang.pick("公開", "Public"), "badge item-public")
    } else {
        (lang.pick("非公開", "Closed"), "badge item-closed")
    };
    let minutes_id = format!("minutes-{}", item.key);
    let minutes_label = match lang {
        Lang::Ja => format!("議事録: {}（Markdown）", item.title),
        Lang::En => format!("Minutes: {} (Markdown)", item.title),
    };
    let minutes = (!item.minutes_html.trim().is_empty()).then(|| {
        view! {
            <h4>{lang.pick("議事録", "Minutes")}</h4>
            <div class="markdown" inner_html=item.minutes_html.clone()></div>
        }
    });
    let form = may_manage.then(|| {
        view! {
            <form method="post" action="/api/save_minutes" class="record-form">
                <input type="hidden" name="item" value=item.key.clone()/>
                <label for=minutes_id.clone()>{minutes_label}</label>
                <RowTextArea id=minutes_id name="minutes" maxlength=20000 value=item.minutes.clone()/>
                <p><button type="submit">{lang.pick("議事録を保存", "Save the minutes")}</button></p>
            </form>
        }
    });
    view! {
        <li id=format!("item-{}", item.key)>
            <h3>{format!("{}. {}", item.position, item.title)}" "<span class=class>{badge}</span></h3>
            <div class="markdown" inner_html=item.body_html.clone()></div>
            {minutes}
            {form}
            <AttachmentsSection
                id=format!("item-docs-{}", item.key)
                level=4
                subject=item.key.clone()
                back=meeting_href(&meeting)
                upload_to=format!("/council/items/{}/documents", item.key)
                download_base=format!("/council/items/{}/documents", item.key)
                heading=Some(("資料", "Documents"))
                items=item.documents.clone()
                may_attach=may_manage
                attached=false/>
        </li>
    }
}

/// The managers' form that adds an agenda item (非公開 unless ticked).
#[component]
fn AddItem(meeting: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h3>{lang.pick("議題を追加", "Add an agenda item")}</h3>
        <form method="post" action="/api/add_agenda_item" class="record-form">
            <input type="hidden" name="meeting" value=meeting/>
            <label for="agenda-title">{lang.pick("議題", "Title")}</label>
            <input id="agenda-title" type="text" name="title" maxlength="200" required/>
            <label for="agenda-body">{lang.pick("説明（Markdown）", "Description (Markdown)")}</label>
            <TextArea id="agenda-body" name="body" maxlength=10000/>
            <div class="checkbox">
                <input id="agenda-public" type="checkbox" name="public" value="1"/>
                <label for="agenda-public">{lang.pick("公開する（議事要旨に載せる）", "Public (goes into the summary)")}</label>
            </div>
            <p class="muted">{lang.pick(
                "非公開の議題はメンバーにだけ表示され、議事要旨には載りません。",
                "Closed items are shown to members only and never go into the summary.",
            )}</p>
            <p><button type="submit">{lang.pick("追加する", "Add")}</button></p>
        </form>
    }
}

/// Who attends (members only) and the caller's own answer.
#[component]
fn Attendance(
    meeting: String,
    rows: Vec<AttendanceRow>,
    mine: Option<AttendanceStatus>,
    may_attend: bool,
) -> impl IntoView {
    let lang = use_lang();
    if rows.is_empty() && !may_attend {
        return ().into_any();
    }
    let table = if rows.is_empty() {
        view! { <p class="muted">{lang.pick("まだ回答はありません。", "No answers yet.")}</p> }
            .into_any()
    } else {
        view! {
            <ScrollRegion label=lang.pick("出欠", "Attendance")>
                <table>
                    <thead><tr>
                        <th scope="col">{lang.pick("名前", "Name")}</th>
                        <th scope="col">{lang.pick("出欠", "Answer")}</th>
                        <th scope="col">{lang.pick("代理出席者", "Deputy")}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>
                                <td>{lang.pick(&r.name_ja, &r.name_en).to_owned()}</td>
                                <td>{r.status.label(lang)}</td>
                                <td>{r.deputy.clone().unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </ScrollRegion>
        }
        .into_any()
    };
    let form = may_attend.then(|| {
        view! {
            <form method="post" action="/api/set_attendance" class="record-form">
                <input type="hidden" name="meeting" value=meeting.clone()/>
                <label for="attendance-status">{lang.pick("あなたの出欠", "Your answer")}</label>
                <select id="attendance-status" name="status">
                    {AttendanceStatus::ALL.iter().copied().map(|s| view! {
                        <option value=s.code() selected={mine == Some(s)}>{s.label(lang)}</option>
                    }).collect_view()}
                </select>
                <label for="attendance-deputy">{lang.pick("代理出席者の氏名（代理出席のとき）", "Deputy's name (when a deputy attends)")}</label>
                <input id="attendance-deputy" type="text" name="deputy" maxlength="100"/>
                <p><button type="submit">{lang.pick("出欠を送る", "Send")}</button></p>
            </form>
        }
    });
    view! {
        <h2>{lang.pick("出欠", "Attendance")}</h2>
        {mine.map(|m| view! { <p>{lang.pick("あなたの回答: ", "Your answer: ")}<strong>{m.label(lang)}</strong></p> })}
        {table}
        {form}
    }
    .into_any()
}

/// The 議事要旨: the published text with its public page, and for managers the draft
/// (compiled from the public items, edited, saved or published).
#[component]
fn Summary(
    meeting: String,
    html: Option<String>,
    published_at: Option<Timestamp>,
    draft: String,
    may_manage: bool,
) -> impl IntoView {
    let lang = use_lang();
    if html.is_none() && !may_manage {
        return ().into_any();
    }
    let public_href = format!("{}/summary", meeting_href(&meeting));
    let published = match html {
        Some(html) => view! {
            <p>
                {lang.pick("公開済み", "Published")}
                {published_at.map(|at| view! { " "{time_of(at)} })}
                " · "<A href=public_href>{lang.pick("公開ページを開く", "Open the public page")}</A>
            </p>
            <div class="markdown" inner_html=html></div>
        }
        .into_any(),
        None => view! { <p class="muted">{lang.pick("議事要旨はまだ公開されていません。", "The summary is not published yet.")}</p> }
            .into_any(),
    };
    let withdraw = (may_manage && published_at.is_some()).then(|| {
        view! {
            <form method="post" action="/api/withdraw_summary" class="inline-form">
                <input type="hidden" name="meeting" value=meeting.clone()/>
                <button type="submit" class="secondary">{lang.pick("公開を取り下げる", "Withdraw from the public")}</button>
            </form>
        }
    });
    let manage = may_manage.then(|| {
        view! {
            <h3>{lang.pick("下書き", "Draft")}</h3>
            <form method="post" action="/api/compile_summary" class="inline-form">
                <input type="hidden" name="meeting" value=meeting.clone()/>
                <button type="submit" class="secondary">{lang.pick("公開の議題から下書きを作成", "Compile from the public items")}</button>
            </form>
            <p class="muted">{lang.pick(
                "作成すると今の下書きは置き換えられます。非公開の議題は含まれません。",
                "Compiling replaces the current draft. Closed items are never included.",
            )}</p>
            <form method="post" action="/api/save_summary" class="record-form">
                <input type="hidden" name="meeting" value=meeting.clone()/>
                <label for="summary-draft">{lang.pick("議事要旨（Markdown）", "Summary (Markdown)")}</label>
                <TextArea id="summary-draft" name="draft" rows=12 maxlength=50000 value=draft/>
                <p class="button-row">
                    <button type="submit" name="publish" value="">{lang.pick("下書きを保存", "Save the draft")}</button>
                    <button type="submit" name="publish" value="1">{lang.pick("公開する", "Publish")}</button>
                </p>
            </form>
        }
    });
    view! {
        <section id="summary">
            <h2>{lang.pick("議事要旨", "Summary (議事要旨)")}</h2>
            {published}
            {withdraw}
            {manage}
        </section>
    }
    .into_any()
}
