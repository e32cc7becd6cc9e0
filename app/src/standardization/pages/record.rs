//! The record page (one municipality × system: steps, fields, notes, history and the edit
//! form) and the step thread page.

use super::super::model::{
    ExtensionReason, FieldChange, GovCloud, HistoryEntry, Phase, ProgressField, Step, StepStatus,
    step_field,
};
use super::super::server::{RecordView, ThreadView, get_record, get_step_thread};
use crate::attachments::pages::AttachmentsSection;
use crate::i18n::{Lang, format_date, use_lang};
use crate::ui::TextArea;
use crate::ui::{ScrollRegion, loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

pub use super::super::views::{record_href, thread_href};

fn date_text(lang: Lang, d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| format_date(lang, &d))
        .unwrap_or_else(|| "—".into())
}

/// `/standardization/records/:lg/:system`: the record, its edit form (for those who may edit),
/// step threads and history. `?saved=1` after a save.
#[component]
pub fn RecordPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        params.with(|p| {
            (
                p.get("lg").unwrap_or_default(),
                p.get("system").unwrap_or_default(),
            )
        })
    };
    let record = Resource::new(key, |(lg, system)| get_record(lg, system));
    // After a refused save the error comes back on the same address: then it was not saved.
    let saved = move || query.with(|q| q.get("saved").is_some() && q.get("form_error").is_none());
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(record.await, move |r| view! {
                    {saved().then(|| view! {
                        <div class="notice success" role="status"><p>{lang.pick("保存しました。", "Saved.")}</p></div>
                    })}
                    <Record record=r attached=query.with(|q| q.get("attached").is_some() && q.get("form_error").is_none())/>
                })
            })}
        </Suspense>
    }
}

#[component]
fn Record(record: RecordView, attached: bool) -> impl IntoView {
    let lang = use_lang();
    let RecordView {
        organisation,
        system,
        progress: p,
        reported,
        steps,
        comment_counts,
        history,
        notes_html,
        may_edit,
        may_comment,
        attachments,
        may_attach,
        subject,
    } = record;
    let lg = organisation.key.clone();
    let title = format!("{} · {}", organisation.name(lang), system.name(lang));
    let comments_of = move |no: u8| {
        comment_counts
            .iter()
            .find(|(n, _)| *n == no)
            .map_or(0, |(_, c)| *c)
    };
    let extension = p.special_migration_support.then(|| {
        let reason = p.extension_reason.map(|r| r.label(lang)).unwrap_or("—");
        let text = p
            .extension_reason_text
            .clone()
            .map(|t| format!("（{t}）"))
            .unwrap_or_default();
        format!(
            "{reason}{text} · {} {}",
            lang.pick("移行目標日", "target"),
            date_text(lang, p.extension_target_date)
        )
    });
    let transitional = p.transitional_functions.clone().map(|f| {
        format!(
            "{f} · {} {}",
            lang.pick("期限", "by"),
            date_text(lang, p.transitional_until)
        )
    });
    let step_rows: Vec<(Step, StepStatus, u32)> = steps
        .iter()
        .map(|s| (s.clone(), p.step(s.no), comments_of(s.no)))
        .collect();
    let orphaned: Vec<u8> = (steps.len() + 1..=p.steps.len())
        .filter(|i| p.steps[i - 1] != StepStatus::NotStarted)
        .map(|i| i as u8)
        .collect();
    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb">
            <A href="/standardization">{lang.pick("標準化の進捗", "Standardization")}</A>" › "
            <A href=format!("/orgs/{lg}")>{organisation.name(lang).to_owned()}</A>
        </p>
        <h1>{title}</h1>
        {(!reported).then(|| view! { <p class="notice">{lang.pick("まだ報告がありません。", "Nothing has been reported yet.")}</p> })}
        {p.is_demo.then(|| view! { <p class="notice demo">{lang.pick("デモデータ（自動生成した架空の進捗）です。", "Demo data (generated, fictitious progress).")}</p> })}
        <dl class="facts">
            <dt>{lang.pick("進捗状況", "Status")}</dt>
            <dd data-testid="record-status">{p.status.label(lang)}</dd>
            <dt>{lang.pick("進捗率", "Progress")}</dt>
            <dd data-testid="record-percent">{match lang {
                Lang::Ja => format!("{}%（対象{}手順のうち完了{}、作業中{}）", p.percent_text(), p.steps_applicable, p.steps_done, p.steps_in_progress),
                Lang::En => format!("{}% ({} of {} applicable steps done, {} in progress)", p.percent_text(), p.steps_done, p.steps_applicable, p.steps_in_progress),
            }}</dd>
            <dt>{lang.pick("本番稼働予定日", "Planned go-live")}</dt>
            <dd>{date_text(lang, p.planned_go_live)}</dd>
            <dt>{lang.pick("本番稼働日", "Go-live")}</dt>
            <dd>{date_text(lang, p.actual_go_live)}</dd>
            <dt>{lang.pick("特定移行支援システム", "Extension case")}</dt>
            <dd data-testid="record-extension">{extension.unwrap_or_else(|| lang.pick("該当しない", "No").to_owned())}</dd>
            <dt>{lang.pick("経過措置", "Transitional measure")}</dt>
            <dd>{transitional.unwrap_or_else(|| lang.pick("なし", "None").to_owned())}</dd>
            <dt>{lang.pick("ガバメントクラウド", "Government Cloud")}</dt>
            <dd>{p.gov_cloud.map(|g| g.label(lang)).unwrap_or("—")}</dd>
            <dt>{lang.pick("ベンダ・製品", "Vendor and product")}</dt>
            <dd>{format!("{} / {}", p.vendor.clone().unwrap_or_else(|| "—".into()), p.product.clone().unwrap_or_else(|| "—".into()))}</dd>
        </dl>
        {(!notes_html.is_empty()).then(|| view! {
            <h2>{lang.pick("備考", "Notes")}</h2>
            <div class="markdown" inner_html=notes_html/>
        })}
        {(!orphaned.is_empty()).then(|| view! {
            <p class="notice">{match lang {
                Lang::Ja => format!("現在の手順テンプレートにない手順（{}）の状況が保存されています（進捗率には含めません）。", orphaned.iter().map(u8::to_string).collect::<Vec<_>>().join("、")),
                Lang::En => format!("Statuses are stored for steps the current template no longer has ({}); they are not counted.", orphaned.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")),
            }}</p>
        })}
        {if may_edit {
            view! { <EditForm lg=lg.clone() system=system.code.clone() progress=p.clone() steps=step_rows.clone()/> }.into_any()
        } else {
            view! { <StepList lg=lg.clone() system=system.code.clone() steps=step_rows.clone()/> }.into_any()
        }}
        {(!may_edit && may_comment).then(|| view! {
            <p class="muted">{lang.pick("各手順の「相談」から質問やコメントを書き込めます。", "Use “Advice” on a step to ask or comment.")}</p>
        })}
        <AttachmentsSection subject=subject back=record_href(&lg, &system.code) items=attachments may_attach attached/>
        <History entries=history steps=steps/>
    }
}

/// The step statuses read-only, by phase, with links to the threads.
#[component]
fn StepList(lg: String, system: String, steps: Vec<(Step, StepStatus, u32)>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2>{lang.pick("手順の状況", "Steps")}</h2>
        <PhaseSteps lg system steps editable=false/>
    }
}

/// The steps grouped by phase, one table per phase with a link to each step's thread: a
/// `<select name="steps[i]">` per step inside a fieldset when `editable` (the edit form), the
/// status as text under a heading otherwise.
#[component]
fn PhaseSteps(
    lg: String,
    system: String,
    steps: Vec<(Step, StepStatus, u32)>,
    editable: bool,
) -> impl IntoView {
    let lang = use_lang();
    Phase::ALL
        .into_iter()
        .map(|phase| {
            let rows: Vec<_> = steps.iter().filter(|(s, _, _)| s.phase == phase).cloned().collect();
            let (lg, system) = (lg.clone(), system.clone());
            (!rows.is_empty()).then(|| {
                let table = view! {
                    <ScrollRegion label=phase.label(lang)>
                        <table class="steps">
                            <thead><tr>
                                <th scope="col">{lang.pick("番号", "No.")}</th>
                                <th scope="col">{lang.pick("手順", "Step")}</th>
                                <th scope="col">{lang.pick("状況", "Status")}</th>
                                <th scope="col">{lang.pick("相談", "Advice")}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(s, status, comments)| {
                                    let class = format!("step step-{}", status.code());
                                    let (name, cell) = if editable {
                                        let id = format!("step-{}", s.no);
                                        (
                                            view! { <label for=id.clone()>{s.name(lang).to_owned()}</label> }.into_any(),
                                            view! {
                                                <select id=id name=format!("steps[{}]", s.no - 1)>
                                                    {StepStatus::ALL.into_iter().map(|x| view! {
                                                        <option value=x.code() selected=x == status>{x.label(lang)}</option>
                                                    }).collect_view()}
                                                </select>
                                            }.into_any(),
                                        )
                                    } else {
                                        (s.name(lang).to_owned().into_any(), status.label(lang).into_any())
                                    };
                                    view! {
                                        <tr data-step=s.no>
                                            <td>{s.no}</td>
                                            <th scope="row">{name}</th>
                                            <td class=class>{cell}</td>
                                            <td><ThreadLink lg=lg.clone() system=system.clone() step=s.no comments=comments/></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </ScrollRegion>
                };
                if editable {
                    view! { <fieldset class="phase"><legend>{phase.label(lang)}</legend>{table}</fieldset> }.into_any()
                } else {
                    view! { <h3>{phase.label(lang)}</h3>{table} }.into_any()
                }
            })
        })
        .collect_view()
}

#[component]
fn ThreadLink(lg: String, system: String, step: u8, comments: u32) -> impl IntoView {
    let lang = use_lang();
    let text = match (lang, comments) {
        (Lang::Ja, 0) => format!("手順{step}の相談"),
        (Lang::Ja, n) => format!("手順{step}の相談（{n}件）"),
        (Lang::En, 0) => format!("Advice on step {step}"),
        (Lang::En, n) => format!("Advice on step {step} ({n})"),
    };
    view! { <A href=thread_href(&lg, &system, step)>{text}</A> }
}

/// The edit form: a plain POST to `/api/save_record` (works without JavaScript).
#[component]
fn EditForm(
    lg: String,
    system: String,
    progress: super::super::model::Progress,
    steps: Vec<(Step, StepStatus, u32)>,
) -> impl IntoView {
    let lang = use_lang();
    let p = progress;
    let iso = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <form method="post" action="/api/save_record" class="record-form">
            <input type="hidden" name="lg_code" value=lg.clone()/>
            <input type="hidden" name="system" value=system.clone()/>
            <input type="hidden" name="version" value=p.version()/>
            <h2>{lang.pick("手順の状況", "Steps")}</h2>
            <p class="muted">{lang.pick(
                "各手順の状況を選び、最後に「保存する」を押してください。対象外の手順は進捗率に含めません。",
                "Choose each step's status, then press “Save”. Steps marked not applicable are not counted.",
            )}</p>
            <PhaseSteps lg=lg.clone() system=system.clone() steps editable=true/>
            <fieldset>
                <legend>{lang.pick("稼働日", "Go-live dates")}</legend>
                <label for="planned_go_live">{lang.pick("本番稼働予定日", "Planned go-live")}</label>
                <input id="planned_go_live" type="date" name="planned_go_live" value=iso(p.planned_go_live)/>
                <label for="actual_go_live">{lang.pick("本番稼働日", "Go-live")}</label>
                <input id="actual_go_live" type="date" name="actual_go_live" value=iso(p.actual_go_live)/>
            </fieldset>
            <fieldset>
                <legend>{lang.pick("システム", "System")}</legend>
                <label for="gov_cloud">{lang.pick("ガバメントクラウド", "Government Cloud")}</label>
                <select id="gov_cloud" name="gov_cloud">
                    <option value="" selected=p.gov_cloud.is_none()>{lang.pick("未定", "Not decided")}</option>
                    {GovCloud::ALL.into_iter().map(|g| view! {
                        <option value=g.code() selected=p.gov_cloud == Some(g)>{g.label(lang)}</option>
                    }).collect_view()}
                </select>
                <label for="vendor">{lang.pick("ベンダ", "Vendor")}</label>
                <input id="vendor" type="text" name="vendor" maxlength="200" value=p.vendor.clone().unwrap_or_default()/>
                <label for="product">{lang.pick("製品", "Product")}</label>
                <input id="product" type="text" name="product" maxlength="200" value=p.product.clone().unwrap_or_default()/>
            </fieldset>
            <fieldset>
                <legend>{lang.pick("特定移行支援システム", "Extension case (特定移行支援システム)")}</legend>
                <div class="checkbox">
                    <input id="special_migration_support" type="checkbox" name="special_migration_support" value="on" checked=p.special_migration_support/>
                    <label for="special_migration_support">{lang.pick("特定移行支援システムに該当する", "This system is an extension case")}</label>
                </div>
                <label for="extension_reason">{lang.pick("事由", "Reason")}</label>
                <select id="extension_reason" name="extension_reason">
                    <option value="" selected=p.extension_reason.is_none()>{lang.pick("選択してください", "Choose")}</option>
                    {ExtensionReason::ALL.into_iter().map(|r| view! {
                        <option value=r.code() selected=p.extension_reason == Some(r)>{r.label(lang)}</option>
                    }).collect_view()}
                </select>
                <label for="extension_reason_text">{lang.pick("事由の詳細（「その他」は必須）", "Reason in detail (required for “Other”)")}</label>
                <input id="extension_reason_text" type="text" name="extension_reason_text" maxlength="2000" value=p.extension_reason_text.clone().unwrap_or_default()/>
                <label for="extension_target_date">{lang.pick("移行目標日（2031-03-31まで）", "Target date (by 2031-03-31)")}</label>
                <input id="extension_target_date" type="date" name="extension_target_date" max="2031-03-31" value=iso(p.extension_target_date)/>
            </fieldset>
            <fieldset>
                <legend>{lang.pick("経過措置", "Transitional measure (経過措置)")}</legend>
                <label for="transitional_functions">{lang.pick("移行後に実装する機能", "Functions implemented after migration")}</label>
                <input id="transitional_functions" type="text" name="transitional_functions" maxlength="2000" value=p.transitional_functions.clone().unwrap_or_default()/>
                <label for="transitional_until">{lang.pick("実装期限", "Implemented by")}</label>
                <input id="transitional_until" type="date" name="transitional_until" value=iso(p.transitional_until)/>
            </fieldset>
            <label for="notes">{lang.pick("備考（Markdown）", "Notes (Markdown)")}</label>
            <TextArea id="notes" name="notes" maxlength=20000 value=p.notes.clone().unwrap_or_default()/>
            <p><button type="submit">{lang.pick("保存する", "Save")}</button></p>
        </form>
    }
}

/// The display name of a history field.
fn field_label(field: &str, steps: &[Step], lang: Lang) -> String {
    if let Some(no) = step_field(field) {
        let name = steps
            .iter()
            .find(|s| s.no == no)
            .map(|s| s.name(lang).to_owned());
        return match lang {
            Lang::Ja => format!(
                "手順{no}{}",
                name.map(|n| format!("（{n}）")).unwrap_or_default()
            ),
            Lang::En => format!(
                "Step {no}{}",
                name.map(|n| format!(" ({n})")).unwrap_or_default()
            ),
        };
    }
    ProgressField::from_code(field).map_or_else(|| field.to_owned(), |f| f.label(lang).to_owned())
}

/// The display text of a non-blank history value (codes become labels; the history list
/// shows a blank value as "—" itself).
fn value_label(change: &FieldChange, value: &str, lang: Lang) -> String {
    let f = change.field.as_str();
    let label = if step_field(f).is_some() {
        StepStatus::parse(value).map(|s| s.label(lang))
    } else {
        ProgressField::from_code(f).and_then(|field| field.value_label(value, lang))
    };
    label
        .map(str::to_owned)
        .unwrap_or_else(|| value.chars().take(200).collect())
}

#[component]
fn History(entries: Vec<HistoryEntry>, steps: Vec<Step>) -> impl IntoView {
    use crate::history::pages::{HistoryList, HistoryWording};
    use std::sync::Arc;
    let lang = use_lang();
    let wording = HistoryWording {
        source: Arc::new(move |source: &str| {
            match source {
                "import" => lang.pick("CSV取込", "CSV import"),
                "template" => lang.pick("手順テンプレート変更", "Template change"),
                _ => lang.pick("画面で編集", "Edited"),
            }
            .to_owned()
        }),
        field: Arc::new(move |field: &str| field_label(field, &steps, lang)),
        value: Arc::new(move |(change, value): &(FieldChange, String)| {
            value_label(change, value, lang)
        }),
    };
    view! {
        <h2>{lang.pick("変更履歴", "History")}</h2>
        <HistoryList entries wording empty=lang.pick("まだ変更はありません。", "No changes yet.")/>
    }
}

/// `/standardization/records/:lg/:system/steps/:no`: a step's advice thread and the comment
/// form (a plain POST to `/api/post_step_comment`). `?posted=1` after a post.
#[component]
pub fn StepThreadPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        params.with(|p| {
            (
                p.get("lg").unwrap_or_default(),
                p.get("system").unwrap_or_default(),
                p.get("no").and_then(|n| n.parse::<u8>().ok()).unwrap_or(0),
            )
        })
    };
    let thread = Resource::new(key, |(lg, system, no)| get_step_thread(lg, system, no));
    // After a refused post the error comes back on the same address: then nothing was posted.
    let flag =
        move |name: &str| query.with(|q| q.get(name).is_some() && q.get("form_error").is_none());
    let wanted = move |name: &str| query.with(|q| q.get(name)).unwrap_or_default();
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(thread.await, move |t| {
                    let state = ThreadState {
                        posted: flag("posted"),
                        edited: flag("edited"),
                        reply_to: wanted("reply_to"),
                        edit: wanted("edit"),
                    };
                    view! { <Thread thread=t state/> }
                })
            })}
        </Suspense>
    }
}

/// What the thread page's address asks for: confirmations after a post or an edit, and the
/// comment the form answers (`?reply_to=<id>`) or edits (`?edit=<id>`, own comments only).
#[derive(Clone, Default)]
struct ThreadState {
    posted: bool,
    edited: bool,
    reply_to: String,
    edit: String,
}

/// A thread; the confirmation of a comment just posted or edited shows below the comments,
/// where the browser lands (`#comment-<id>`). Each comment offers a reply, and its author an
/// edit; an edited comment shows its earlier versions.
#[component]
fn Thread(thread: ThreadView, state: ThreadState) -> impl IntoView {
    let lang = use_lang();
    let ThreadView {
        organisation,
        system,
        step,
        status,
        comments,
        may_comment,
        user_id,
    } = thread;
    let lg = organisation.key.clone();
    let here = format!(
        "/standardization/records/{lg}/{}/steps/{}",
        system.code, step.no
    );
    let title = match lang {
        Lang::Ja => format!("手順{}「{}」の相談", step.no, step.name_ja),
        Lang::En => format!("Advice on step {}: {}", step.no, step.name_en),
    };
    let author_of = |id: &str| {
        comments
            .iter()
            .find(|c| c.id == id)
            .map(|c| lang.pick(&c.author_name_ja, &c.author_name_en).to_owned())
    };
    let replying = author_of(&state.reply_to).map(|name| (state.reply_to.clone(), name));
    let editing = comments
        .iter()
        .find(|c| c.id == state.edit && c.author_id == user_id)
        .map(|c| (c.id.to_string(), c.body.clone()));
    let items = comments
        .iter()
        .map(|c| {
            let answered = c
                .reply_to
                .as_ref()
                .and_then(|r| author_of(r.as_str()).map(|name| (r.to_string(), name)));
            let own = may_comment && c.author_id == user_id;
            let revisions = c.revisions.clone();
            view! {
                <li id=format!("comment-{}", c.id)>
                    <p class="comment-head">
                        <strong>{lang.pick(&c.author_name_ja, &c.author_name_en).to_owned()}</strong>
                        " · "{lang.pick(&c.author_org_ja, &c.author_org_en).to_owned()}
                        " · "<time datetime=c.at.rfc3339()>{c.at.jst()}</time>
                        {c.edited_at.map(|at| view! {
                            " · "<span class="muted">{lang.pick("編集済み ", "edited ")}<time datetime=at.rfc3339()>{at.jst()}</time></span>
                        })}
                    </p>
                    {answered.map(|(id, name)| view! {
                        <p class="reply-to muted">
                            {lang.pick("返信先: ", "In reply to ")}<a href=format!("#comment-{id}")>{name}</a>
                        </p>
                    })}
                    <div class="markdown" inner_html=c.body_html.clone()/>
                    {(!revisions.is_empty()).then(|| view! {
                        <details class="revisions">
                            <summary>{match lang {
                                Lang::Ja => format!("以前の版（{}件）", revisions.len()),
                                Lang::En => format!("Earlier versions ({})", revisions.len()),
                            }}</summary>
                            <ol>
                                {revisions.into_iter().map(|r| view! {
                                    <li>
                                        <p class="muted"><time datetime=r.at.rfc3339()>{r.at.jst()}</time></p>
                                        <pre class="revision">{r.body}</pre>
                                    </li>
                                }).collect_view()}
                            </ol>
                        </details>
                    })}
                    {may_comment.then(|| view! {
                        <p class="comment-actions">
                            <a href=format!("?reply_to={}#comment-form", c.id)>{lang.pick("返信する", "Reply")}</a>
                            {own.then(|| view! {
                                " · "<a href=format!("?edit={}#comment-form", c.id)>{lang.pick("編集する", "Edit")}</a>
                            })}
                        </p>
                    })}
                </li>
            }
        })
        .collect_view();
    let form = may_comment.then(|| match editing {
        Some((id, body)) => view! {
            <form method="post" action="/api/edit_post" class="comment-form" id="comment-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="back" value=here.clone()/>
                <label for="body">{lang.pick("コメントを編集（Markdown）", "Edit your comment (Markdown)")}</label>
                <TextArea id="body" name="body" maxlength=10000 required=true value=body/>
                <p>
                    <button type="submit">{lang.pick("更新する", "Update")}</button>" "
                    <a href=here.clone()>{lang.pick("やめる", "Cancel")}</a>
                </p>
            </form>
        }.into_any(),
        None => view! {
            <form method="post" action="/api/post_step_comment" class="comment-form" id="comment-form">
                <input type="hidden" name="lg_code" value=lg.clone()/>
                <input type="hidden" name="system" value=system.code.clone()/>
                <input type="hidden" name="step" value=step.no/>
                {replying.map(|(id, name)| view! {
                    <input type="hidden" name="reply_to" value=id/>
                    <p class="reply-to">
                        {match lang {
                            Lang::Ja => format!("{name}さんのコメントへの返信 "),
                            Lang::En => format!("Replying to {name} "),
                        }}
                        "("<a href=here.clone()>{lang.pick("返信をやめる", "cancel the reply")}</a>")"
                    </p>
                })}
                <label for="body">{lang.pick("コメント（Markdown）", "Comment (Markdown)")}</label>
                <TextArea id="body" name="body" maxlength=10000 required=true/>
                <p><button type="submit">{lang.pick("投稿する", "Post")}</button></p>
            </form>
        }.into_any(),
    });
    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb">
            <A href=record_href(&lg, &system.code)>{format!("{} · {}", organisation.name(lang), system.name(lang))}</A>
        </p>
        <h1>{title}</h1>
        <p>{lang.pick("フェーズ: ", "Phase: ")}{step.phase.label(lang)}" · "{lang.pick("状況: ", "Status: ")}{status.label(lang)}</p>
        <p>
            <A href=format!("/consultations?topic=standardization&record={lg}_{}&step={}", system.code, step.no)>
                {lang.pick("この手順についてアドバイザーに相談する", "Ask an advisor about this step")}
            </A>
        </p>
        {if comments.is_empty() {
            view! { <p class="muted">{lang.pick("まだコメントはありません。", "No comments yet.")}</p> }.into_any()
        } else {
            view! { <ol class="comments">{items}</ol> }.into_any()
        }}
        {state.posted.then(|| view! {
            <div class="notice success" role="status"><p>{lang.pick("コメントを投稿しました。", "Your comment was posted.")}</p></div>
        })}
        {state.edited.then(|| view! {
            <div class="notice success" role="status"><p>{lang.pick("コメントを更新しました。", "Your comment was updated.")}</p></div>
        })}
        {form}
    }
}
