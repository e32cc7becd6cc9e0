//! `/projects/:id`: one project — facts, participants and their estimated shares, what the
//! caller may do (join, change, withdraw; move the project), and its timeline.

use super::super::model::{ProjectStatus, fmt_jst, fmt_yen};
use super::super::server::get_project;
use super::super::views::ProjectPageView;
use super::{status_badge, window_text};
use crate::attachments::pages::AttachmentsSection;
use crate::history::model::{FieldChange, HistoryEntry};
use crate::i18n::{Lang, use_lang};
use crate::threads::pages::Thread;
use crate::ui::{ScrollRegion, TextArea, loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The sentence shown after a successful action (`?created=1`, `?joined=1`, …), unless the
/// same address carries a refused form's error.
fn done_message(flag: &str, lang: Lang) -> &'static str {
    match flag {
        "created" => lang.pick("下書きとして登録しました。", "Saved as a draft."),
        "joined" => lang.pick("参加を申し込みました。", "Your organisation has joined."),
        "changed" => lang.pick("参加内容を変更しました。", "Participation changed."),
        "withdrawn" => lang.pick("参加を取り下げました。", "Participation withdrawn."),
        "posted" => lang.pick("投稿しました。", "Posted."),
        "answered" => lang.pick(
            "質問を回答済みにしました。",
            "The question is marked answered.",
        ),
        "reopened" => lang.pick("質問を未回答に戻しました。", "The question is open again."),
        _ => lang.pick("状況を更新しました。", "Status updated."),
    }
}

/// `/projects/:id`.
#[component]
pub fn ProjectPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let project = Resource::new(id, get_project);
    let done = move || {
        query.with(|q| {
            if q.get("form_error").is_some() {
                return None;
            }
            [
                "created",
                "joined",
                "changed",
                "withdrawn",
                "moved",
                "posted",
                "answered",
                "reopened",
            ]
            .into_iter()
            .find(|f| q.get(f).is_some())
        })
    };
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(project.await, move |v| view! {
                    {done().map(|flag| view! {
                        <div class="notice success" role="status"><p>{done_message(flag, lang)}</p></div>
                    })}
                    <Project view=v/>
                })
            })}
        </Suspense>
    }
}

#[component]
fn Project(view: ProjectPageView) -> impl IntoView {
    let lang = use_lang();
    let ProjectPageView {
        project: p,
        description_html,
        lead,
        systems,
        participants,
        shares,
        one_more,
        history,
        posts,
        markable,
        documents,
        may_attach,
        own,
        may_manage,
        may_join,
        window_open,
        days_left,
        now: _,
    } = view;
    let (badge, class) = status_badge(p.status, lang);
    let query = use_query_map();
    let attached = move || query.with_untracked(|q| q.get("attached").is_some());
    let unit = if p.unit.is_empty() {
        lang.pick("件", "units").to_owned()
    } else {
        p.unit.clone()
    };
    // Saturating: an absurd plan (the largest unit price × the largest quantity) must not panic.
    let total_yen = shares
        .iter()
        .fold(0i64, |sum, s| sum.saturating_add(s.total_yen));
    let table_unit = unit.clone();
    view! {
        <Title text=p.title.clone()/>
        <h1>{p.title.clone()}</h1>
        <p class="project-meta"><span class=class>{badge}</span>" "{p.kind.label(lang)}" · "{lead.name(lang).to_owned()}</p>
        {p.window.map(|w| view! { <p class="deadline">{window_text(w, days_left, lang)}</p> })}
        <dl class="facts">
            <dt>{lang.pick("主担当", "Lead")}</dt><dd>{lead.name(lang).to_owned()}</dd>
            <dt>{lang.pick("問い合わせ先", "Contact")}</dt><dd>{if p.contact.is_empty() { "—".to_owned() } else { p.contact.clone() }}</dd>
            <dt>{lang.pick("公開範囲", "Visible to")}</dt><dd>{p.visibility.label(lang)}</dd>
            <dt>{lang.pick("タグ", "Tags")}</dt><dd>{if p.tags.is_empty() { "—".to_owned() } else { p.tags.join(", ") }}</dd>
            <dt>{lang.pick("関連する標準化対象業務", "Related standard systems")}</dt>
            <dd>{if systems.is_empty() { "—".to_owned() } else {
                systems.iter().map(|(_, ja, en)| lang.pick(ja, en).to_owned()).collect::<Vec<_>>().join(", ")
            }}</dd>
            {p.supplier.clone().map(|s| view! {
                <dt>{lang.pick("契約", "Contract")}</dt>
                <dd>{s}" · "{p.amount_yen.map(|a| fmt_yen(a, lang)).unwrap_or_default()}</dd>
            })}
            {p.cancel_reason.clone().map(|r| view! {
                <dt>{lang.pick("中止理由", "Reason for cancelling")}</dt><dd>{r}</dd>
            })}
        </dl>
        <p>{p.summary.clone()}</p>
        <div class="markdown" inner_html=description_html/>
        <p class="downloads">
            {lang.pick("オープンデータ（OCDS 1.1）: ", "Open data (OCDS 1.1): ")}
            <a href=format!("/projects/{}/ocds.json", p.id) download rel="external">{lang.pick("リリースパッケージ", "release package")}</a>" · "
            <a href=format!("/projects/{}/ocds-record.json", p.id) download rel="external">{lang.pick("レコードパッケージ", "record package")}</a>
        </p>
        <AttachmentsSection
            subject=crate::policy::project_subject(p.id.as_str())
            back=super::project_href(p.id.as_str())
            upload_to=format!("/projects/{}/documents", p.id)
            download_base=format!("/projects/{}/documents", p.id)
            heading=Some(("資料", "Documents"))
            items=documents
            may_attach
            attached=attached()/>

        <h2>{lang.pick("参加団体と負担額（見込み）", "Participants and estimated shares")}</h2>
        <p class="muted">{match lang {
            Lang::Ja => format!(
                "共通経費 {}を{}で按分{}。1円未満は最大剰余法で配分し（同順位は団体コード順）、合計は必ず一致します。",
                fmt_yen(p.cost.base_cost_yen, lang), p.cost.split.label(lang),
                p.cost.unit_prices.first().map(|t| format!("、利用料は単価 {}", fmt_yen(t.unit_price_yen, lang))).unwrap_or_default(),
            ),
            Lang::En => format!(
                "Shared cost {} split {}{}. Leftover yen go by largest remainder (ties by local government code), so shares always add up to the total.",
                fmt_yen(p.cost.base_cost_yen, lang), p.cost.split.label(lang).to_lowercase(),
                p.cost.unit_prices.first().map(|t| format!(", usage at {} per unit", fmt_yen(t.unit_price_yen, lang))).unwrap_or_default(),
            ),
        }}</p>
        {if participants.is_empty() {
            view! { <p class="muted">{lang.pick("まだ参加団体はありません。", "No municipality has joined yet.")}</p> }.into_any()
        } else {
            view! {
                <ScrollRegion label=lang.pick("参加団体", "Participants")>
                    <table>
                        <thead><tr>
                            <th scope="col">{lang.pick("団体", "Municipality")}</th>
                            <th scope="col">{lang.pick("数量", "Quantity")}</th>
                            <th scope="col">{lang.pick("負担額（見込み）", "Estimated share")}</th>
                            <th scope="col">{lang.pick("単独調達との差", "Saving vs. buying alone")}</th>
                            <th scope="col">{lang.pick("備考", "Note")}</th>
                        </tr></thead>
                        <tbody>
                            {participants.iter().zip(shares.iter()).map(|(m, s)| view! {
                                <tr>
                                    <td>{lang.pick(&m.name_ja, &m.name_en).to_owned()}</td>
                                    <td>{format!("{} {}", m.quantity, table_unit)}</td>
                                    <td>{fmt_yen(s.total_yen, lang)}</td>
                                    <td>{s.saving_yen.map(|v| fmt_yen(v, lang)).unwrap_or_else(|| "—".into())}</td>
                                    <td>{m.note.clone().unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot><tr>
                            <th scope="row">{lang.pick("合計", "Total")}</th>
                            <td>{participants.iter().map(|m| u64::from(m.quantity)).sum::<u64>()}</td>
                            <td>{fmt_yen(total_yen, lang)}</td>
                            <td></td><td></td>
                        </tr></tfoot>
                    </table>
                </ScrollRegion>
            }.into_any()
        }}
        {one_more.map(|o| view! {
            <p class="muted">{match lang {
                Lang::Ja => format!("もう1団体（平均的な数量）が参加すると、1団体あたりの負担額は約{}になります。", fmt_yen(o.newcomer.total_yen, lang)),
                Lang::En => format!("If one more municipality joins (with an average quantity), a share becomes about {}.", fmt_yen(o.newcomer.total_yen, lang)),
            }}</p>
        })}

        {may_join.then(|| view! { <JoinForms id=p.id.to_string() own=own.clone() open=window_open unit=unit.clone()/> })}
        {(may_manage && !p.status.is_read_only()).then(|| view! { <ManageForms id=p.id.to_string() version=p.version.clone() status=p.status/> })}

        <h2>{lang.pick("質問・お知らせ", "Questions and announcements")}</h2>
        <Thread id=p.id.to_string() posts=posts action="/api/post_project_comment"
            label=("質問・お知らせ（Markdown）", "Question or announcement (Markdown)")
            markable=markable mark_action="/api/mark_project_question"/>

        <h2>{lang.pick("経過", "Timeline")}</h2>
        <Timeline entries=history/>
    }
}

/// Join, change and withdraw (plain POSTs to the server functions).
#[component]
fn JoinForms(
    id: String,
    own: Option<super::super::model::Participation>,
    open: bool,
    unit: String,
) -> impl IntoView {
    let lang = use_lang();
    if !open {
        return view! {
            <p class="muted">{match own {
                Some(_) => lang.pick("参加中です。参加内容は募集期間中のみ変更できます。", "Your organisation takes part. Participation can be changed only while the call is open."),
                None => lang.pick("参加は募集期間中のみ申し込めます。", "Joining is possible only while the call is open."),
            }}</p>
        }
        .into_any();
    }
    let (action, button, quantity, note) = match &own {
        Some(o) => (
            "/api/change_participation",
            lang.pick("参加内容を変更", "Change participation"),
            o.quantity.to_string(),
            o.note.clone().unwrap_or_default(),
        ),
        None => (
            "/api/join_project",
            lang.pick("参加する（手上げ）", "Join"),
            "1".to_owned(),
            String::new(),
        ),
    };
    view! {
        <h2>{lang.pick("参加（手上げ）", "Join")}</h2>
        <form method="post" action=action class="record-form">
            <input type="hidden" name="id" value=id.clone()/>
            <label for="quantity">{format!("{}（{unit}）", lang.pick("見込み数量", "Estimated quantity"))}</label>
            <input id="quantity" type="number" name="quantity" min="1" max="1000000" required value=quantity/>
            <label for="note">{lang.pick("備考", "Note")}</label>
            <TextArea id="note" name="note" maxlength=2000 value=note/>
            <p><button type="submit">{button}</button></p>
        </form>
        {own.is_some().then(|| view! {
            <form method="post" action="/api/withdraw_project">
                <input type="hidden" name="id" value=id.clone()/>
                <p><button type="submit" class="secondary">{lang.pick("参加を取り下げる", "Withdraw")}</button></p>
            </form>
        })}
    }
    .into_any()
}

/// The lead's forms: the next status (with its data) and cancelling with a reason.
#[component]
fn ManageForms(id: String, version: String, status: ProjectStatus) -> impl IntoView {
    let lang = use_lang();
    let next = status.next();
    view! {
        <h2>{lang.pick("事業の進行（主担当）", "Move the project (lead)")}</h2>
        {next.map(|to| view! {
            <form method="post" action="/api/move_project" class="record-form">
                <input type="hidden" name="id" value=id.clone()/>
                <input type="hidden" name="version" value=version.clone()/>
                <input type="hidden" name="to" value=to.code()/>
                {(to == ProjectStatus::Open).then(|| view! {
                    <label for="opens_at">{lang.pick("募集開始（日本時間）", "Call opens (Japan time)")}</label>
                    <input id="opens_at" type="datetime-local" name="opens_at" required/>
                    <label for="closes_at">{lang.pick("募集締切（日本時間）", "Call closes (Japan time)")}</label>
                    <input id="closes_at" type="datetime-local" name="closes_at" required/>
                })}
                {(to == ProjectStatus::Awarded).then(|| view! {
                    <label for="supplier">{lang.pick("契約先", "Supplier")}</label>
                    <input id="supplier" type="text" name="supplier" maxlength="200" required/>
                    <label for="amount_yen">{lang.pick("契約金額（円）", "Contract amount (yen)")}</label>
                    <input id="amount_yen" type="text" inputmode="numeric" name="amount_yen" required/>
                })}
                <p><button type="submit">{match lang {
                    Lang::Ja => format!("「{}」にする", to.label(lang)),
                    Lang::En => format!("Move to “{}”", to.label(lang)),
                }}</button></p>
            </form>
        })}
        <details>
            <summary>{lang.pick("事業を中止する", "Cancel the project")}</summary>
            <form method="post" action="/api/move_project" class="record-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version/>
                <input type="hidden" name="to" value="cancelled"/>
                <label for="reason">{lang.pick("中止理由", "Reason")}</label>
                <TextArea id="reason" name="reason" maxlength=2000 required=true value=String::new()/>
                <p><button type="submit" class="secondary">{lang.pick("中止する", "Cancel project")}</button></p>
            </form>
        </details>
    }
}

/// A history value as shown: status labels, instants in JST, yen.
fn change_text(change: &FieldChange, value: &str, lang: Lang) -> String {
    match change.field.as_str() {
        "status" => ProjectStatus::from_code(value)
            .map_or_else(|| value.to_owned(), |s| s.label(lang).to_owned()),
        "opens_at" | "closes_at" => crate::ids::Timestamp::parse(value)
            .map_or_else(|| value.to_owned(), |t| fmt_jst(t.0, lang)),
        "amount_yen" => value
            .parse()
            .map_or_else(|_| value.to_owned(), |a| fmt_yen(a, lang)),
        _ => value.chars().take(200).collect(),
    }
}

/// A history field's label.
fn field_label(field: &str, lang: Lang) -> &'static str {
    match field {
        "status" => lang.pick("状況", "Status"),
        "opens_at" => lang.pick("募集開始", "Call opens"),
        "closes_at" => lang.pick("募集締切", "Call closes"),
        "supplier" => lang.pick("契約先", "Supplier"),
        "amount_yen" => lang.pick("契約金額", "Contract amount"),
        "cancel_reason" => lang.pick("中止理由", "Reason for cancelling"),
        "participant" => lang.pick("参加団体", "Participant"),
        _ => lang.pick("項目", "Field"),
    }
}

/// The project's timeline (its history), worded for projects.
#[component]
fn Timeline(entries: Vec<HistoryEntry>) -> impl IntoView {
    use crate::history::pages::{HistoryList, HistoryWording};
    use std::sync::Arc;
    let lang = use_lang();
    let wording = HistoryWording {
        source: Arc::new(move |source: &str| {
            match source {
                "create" => lang.pick("登録", "Created"),
                "join" => lang.pick("参加", "Joined"),
                "withdraw" => lang.pick("参加取り下げ", "Withdrew"),
                _ => lang.pick("状況の変更", "Status change"),
            }
            .to_owned()
        }),
        field: Arc::new(move |field: &str| field_label(field, lang).to_owned()),
        value: Arc::new(move |(change, value): &(FieldChange, String)| {
            change_text(change, value, lang)
        }),
    };
    view! { <HistoryList entries wording empty=lang.pick("まだ経過はありません。", "Nothing yet.")/> }
}
