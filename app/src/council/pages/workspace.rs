//! `/council/:id`: a workspace — its description and activity, topics, meetings, proposals,
//! training sessions and members, with the forms its members and managers use.

use super::super::model::{CAPACITY_MAX, ProposalKind, VotePer, WorkspaceRole};
use super::super::server::get_workspace;
use super::super::views::{
    ActivityItem, Candidate, JoinRequestRow, MeetingCard, MemberRow, PEOPLE_FOUND_MAX,
    ProposalCard, TopicCard, TrainingCard, WorkspaceView,
};
use super::{
    CardMeta, FlagNotice, Flags, meeting_href, names, proposal_href, span_text, time_of,
    topic_href, training_href,
};
use crate::i18n::{Lang, use_lang};
use crate::ui::{ScrollRegion, TextArea, loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

const FLAGS: Flags = &[
    ("created", "作成しました。", "The workspace is created."),
    (
        "members",
        "メンバーを更新しました。",
        "Members are updated.",
    ),
    (
        "requested",
        "参加を申請しました。事務局の承認をお待ちください。",
        "Your request to join is sent; the secretariat will answer it.",
    ),
    (
        "closed",
        "この場を終了しました。",
        "The workspace is closed.",
    ),
];

/// `/council/:id`.
#[component]
pub fn WorkspacePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        (
            params.with(|p| p.get("id").unwrap_or_default()),
            query.with(|q| q.get("people").unwrap_or_default()),
        )
    };
    let workspace = Resource::new(id, |(id, people)| get_workspace(id, people));
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(workspace.await, |v| view! {
                    <FlagNotice flags=FLAGS/>
                    <Workspace view=v/>
                })
            })}
        </Suspense>
    }
}

#[component]
fn Workspace(view: WorkspaceView) -> impl IntoView {
    let lang = use_lang();
    let WorkspaceView {
        card,
        description_html,
        members,
        activity,
        topics,
        meetings,
        proposals,
        trainings,
        may_post,
        may_manage,
        may_leave,
        candidates,
        people_query,
        join_requests,
    } = view;
    let key = card.key.clone();
    let name = lang.pick_name(&card.name_ja, &card.name_en).to_owned();
    let closed = card.closed;
    let close = (may_manage && !closed).then(|| {
        view! {
            <h2>{lang.pick("この場を終了する", "Close the workspace")}</h2>
            <p>{lang.pick(
                "終了すると投稿・会議・議案・研修の受付を止め、事務局と座長だけが記録として閲覧できます。",
                "Closing stops posts, meetings, proposals and training sessions; only its chair and secretariat can still read it as an archive.",
            )}</p>
            <form method="post" action="/api/close_workspace" class="inline-form">
                <input type="hidden" name="workspace" value=key.clone()/>
                <button type="submit" class="danger">{lang.pick("この場を終了する", "Close the workspace")}</button>
            </form>
        }
    });
    view! {
        <Title text=name.clone()/>
        <p class="breadcrumb"><A href="/council">{lang.pick("協議会・部会", "Council and working groups")}</A></p>
        <h1>{name}</h1>
        <CardMeta card/>
        {closed.then(|| view! {
            <p class="notice">{lang.pick("この場は終了しています（閲覧のみ）。", "This workspace is closed (read only).")}</p>
        })}
        <div class="markdown" inner_html=description_html></div>

        <h2>{lang.pick("最近の動き", "Recent activity")}</h2>
        <Activity items=activity/>

        <h2>{lang.pick("話題", "Topics")}</h2>
        <Topics workspace=key.clone() topics may_post/>

        <h2>{lang.pick("会議", "Meetings")}</h2>
        <Meetings workspace=key.clone() meetings may_manage/>

        <h2>{lang.pick("議案・投票", "Proposals and votes")}</h2>
        <Proposals workspace=key.clone() proposals may_post/>

        <h2>{lang.pick("研修", "Training sessions")}</h2>
        <Trainings workspace=key.clone() trainings may_manage/>

        <h2>{lang.pick("メンバー", "Members")}</h2>
        <Members workspace=key.clone() members may_manage candidates people_query join_requests/>
        {may_leave.then(|| view! {
            <form method="post" action="/api/leave_workspace" class="inline-form">
                <input type="hidden" name="workspace" value=key.clone()/>
                <button type="submit" class="secondary">{lang.pick("この場から退出する", "Leave the workspace")}</button>
            </form>
        })}
        {close}
    }
}

/// What an activity line is about.
fn activity_kind(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "topic" => lang.pick("話題", "Topic"),
        "post" => lang.pick("投稿", "Post"),
        "meeting" => lang.pick("会議", "Meeting"),
        "proposal" => lang.pick("議案", "Proposal"),
        "training" => lang.pick("研修", "Training"),
        _ => lang.pick("更新", "Update"),
    }
}

/// The latest activity, newest first.
#[component]
fn Activity(items: Vec<ActivityItem>) -> impl IntoView {
    let lang = use_lang();
    if items.is_empty() {
        return view! { <p class="muted">{lang.pick("まだ動きはありません。", "Nothing has happened yet.")}</p> }
            .into_any();
    }
    view! {
        <ul class="schedule">
            {items.into_iter().map(|a| {
                let actor = names(lang, &a.actor);
                view! {
                    <li>
                        {time_of(a.at)}" "
                        <span class="badge">{activity_kind(&a.kind, lang)}</span>" "
                        <A href=a.link.clone()>{a.title.clone()}</A>
                        {(!actor.is_empty()).then(|| format!(" — {actor}"))}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The topics (pinned first) and, for members who post, the form that starts one.
#[component]
fn Topics(workspace: String, topics: Vec<TopicCard>, may_post: bool) -> impl IntoView {
    let lang = use_lang();
    let list = if topics.is_empty() {
        view! { <p class="muted">{lang.pick("話題はまだありません。", "No topics yet.")}</p> }
            .into_any()
    } else {
        view! {
            <ul class="schedule">
                {topics.into_iter().map(|t| view! {
                    <li>
                        {t.pinned.then(|| view! { <span class="badge pinned">{lang.pick("固定", "Pinned")}</span>" " })}
                        <A href=topic_href(&t.key)>{t.title.clone()}</A>" "
                        <span class="muted">
                            {match lang {
                                Lang::Ja => format!("投稿{}件 · 最終 ", t.posts),
                                Lang::En => format!("{} posts · last ", t.posts),
                            }}
                            {time_of(t.last_at)}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {list}
        {may_post.then(|| view! {
            <h3>{lang.pick("新しい話題", "New topic")}</h3>
            <form method="post" action="/api/create_topic" class="record-form">
                <input type="hidden" name="workspace" value=workspace.clone()/>
                <label for="topic-title">{lang.pick("件名", "Title")}</label>
                <input id="topic-title" type="text" name="title" maxlength="200" required/>
                <label for="topic-body">{lang.pick("本文（Markdown）", "Text (Markdown)")}</label>
                <TextArea id="topic-body" name="body" maxlength=10000 required=true/>
                <p><button type="submit">{lang.pick("話題を始める", "Start the topic")}</button></p>
            </form>
        })}
    }
}

/// The meetings (latest first) and, for managers, the form that schedules one.
#[component]
fn Meetings(workspace: String, meetings: Vec<MeetingCard>, may_manage: bool) -> impl IntoView {
    let lang = use_lang();
    let list = if meetings.is_empty() {
        view! { <p class="muted">{lang.pick("会議はまだありません。", "No meetings yet.")}</p> }
            .into_any()
    } else {
        view! {
            <ul class="schedule">
                {meetings.into_iter().map(|m| view! {
                    <li>
                        <span>{span_text(m.starts_at, m.ends_at)}</span>" "
                        <A href=meeting_href(&m.key)>{m.title.clone()}</A>
                        {m.published.then(|| view! {
                            " "<span class="badge item-public">{lang.pick("議事要旨公開", "Summary published")}</span>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {list}
        {may_manage.then(|| view! {
            <h3>{lang.pick("会議を登録", "Schedule a meeting")}</h3>
            <form method="post" action="/api/create_meeting" class="record-form">
                <input type="hidden" name="workspace" value=workspace.clone()/>
                <label for="meeting-title">{lang.pick("会議名", "Title")}</label>
                <input id="meeting-title" type="text" name="title" maxlength="200" required/>
                <label for="meeting-starts_at">{lang.pick("開始（日本時間）", "Starts (Japan time)")}</label>
                <input id="meeting-starts_at" type="datetime-local" name="starts_at" required/>
                <label for="meeting-ends_at">{lang.pick("終了（日本時間）", "Ends (Japan time)")}</label>
                <input id="meeting-ends_at" type="datetime-local" name="ends_at" required/>
                <label for="meeting-place">{lang.pick("場所", "Place")}</label>
                <input id="meeting-place" type="text" name="place" maxlength="200"/>
                <label for="meeting-online_url">{lang.pick("オンライン会議のURL（https://）", "Online meeting link (https://)")}</label>
                <input id="meeting-online_url" type="url" name="online_url" maxlength="500"/>
                <p><button type="submit">{lang.pick("登録する", "Schedule")}</button></p>
            </form>
        })}
    }
}

/// The proposals (open first) and, for members who post, the form that opens one.
#[component]
fn Proposals(workspace: String, proposals: Vec<ProposalCard>, may_post: bool) -> impl IntoView {
    let lang = use_lang();
    let list = if proposals.is_empty() {
        view! { <p class="muted">{lang.pick("議案はまだありません。", "No proposals yet.")}</p> }
            .into_any()
    } else {
        view! {
            <ul class="schedule">
                {proposals.into_iter().map(|p| {
                    let (badge, class) = if p.closed {
                        (lang.pick("締切済み", "Closed"), "badge status-closed")
                    } else {
                        (lang.pick("受付中", "Open"), "badge status-open")
                    };
                    view! {
                        <li>
                            <span class=class>{badge}</span>" "
                            <A href=proposal_href(&p.key)>{p.title.clone()}</A>" "
                            <span class="muted">{lang.pick("締切 ", "closes ")}{time_of(p.closes_at)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {list}
        {may_post.then(|| view! { <NewProposal workspace=workspace.clone()/> })}
    }
}

/// The form that opens a proposal: consent (賛否) or a poll with its options.
#[component]
fn NewProposal(workspace: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h3>{lang.pick("議案を作成", "New proposal")}</h3>
        <form method="post" action="/api/create_proposal" class="record-form">
            <input type="hidden" name="workspace" value=workspace/>
            <label for="proposal-title">{lang.pick("件名", "Title")}</label>
            <input id="proposal-title" type="text" name="title" maxlength="200" required/>
            <label for="proposal-body">{lang.pick("説明（Markdown）", "Description (Markdown)")}</label>
            <TextArea id="proposal-body" name="body" maxlength=10000/>
            <label for="proposal-kind">{lang.pick("決め方", "Kind")}</label>
            <select id="proposal-kind" name="kind">
                {ProposalKind::ALL.iter().copied().map(|k| view! {
                    <option value=k.code() selected={k == ProposalKind::Consent}>{k.label(lang)}</option>
                }).collect_view()}
            </select>
            <label for="proposal-options">{lang.pick("選択肢（選択式の投票のみ、1行に1つ）", "Options (poll only, one per line)")}</label>
            <TextArea id="proposal-options" name="options" maxlength=5000/>
            <label for="proposal-closes_at">{lang.pick("締切（日本時間）", "Closes (Japan time)")}</label>
            <input id="proposal-closes_at" type="datetime-local" name="closes_at" required/>
            <label for="proposal-quorum">{lang.pick("定足数（票数。空欄: なし）", "Quorum (votes; blank: none)")}</label>
            <input id="proposal-quorum" type="number" name="quorum" min="0" step="1"/>
            <div class="checkbox">
                <input id="proposal-anonymous" type="checkbox" name="anonymous" value="1"/>
                <label for="proposal-anonymous">{lang.pick("無記名投票（誰がどう投票したかを表示しない）", "Anonymous (never show who voted how)")}</label>
            </div>
            <div class="checkbox">
                <input id="proposal-hide_results" type="checkbox" name="hide_results" value="1"/>
                <label for="proposal-hide_results">{lang.pick("締切まで途中経過を表示しない", "Hide the results until closing")}</label>
            </div>
            <label for="proposal-vote_per">{lang.pick("投票の単位", "Votes count")}</label>
            <select id="proposal-vote_per" name="vote_per">
                {VotePer::ALL.iter().copied().map(|v| view! {
                    <option value=v.code() selected={v == VotePer::Person}>{v.label(lang)}</option>
                }).collect_view()}
            </select>
            <p><button type="submit">{lang.pick("議案を作成する", "Open the proposal")}</button></p>
        </form>
    }
}

/// The training sessions (latest first) and, for managers, the form that announces one.
#[component]
fn Trainings(workspace: String, trainings: Vec<TrainingCard>, may_manage: bool) -> impl IntoView {
    let lang = use_lang();
    let list = if trainings.is_empty() {
        view! { <p class="muted">{lang.pick("研修はまだありません。", "No training sessions yet.")}</p> }.into_any()
    } else {
        view! {
            <ul class="schedule">
                {trainings.into_iter().map(|t| view! {
                    <li>
                        {time_of(t.starts_at)}" "
                        <A href=training_href(&t.key)>{t.title.clone()}</A>" "
                        <span class="muted">{match lang {
                            Lang::Ja => format!("定員 {}/{}", t.registered, t.capacity),
                            Lang::En => format!("seats {}/{}", t.registered, t.capacity),
                        }}</span>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {list}
        {may_manage.then(|| view! {
            <h3>{lang.pick("研修を登録", "Announce a training session")}</h3>
            <form method="post" action="/api/create_training" class="record-form">
                <input type="hidden" name="workspace" value=workspace.clone()/>
                <label for="training-title">{lang.pick("研修名", "Title")}</label>
                <input id="training-title" type="text" name="title" maxlength="200" required/>
                <label for="training-body">{lang.pick("内容（Markdown）", "Description (Markdown)")}</label>
                <TextArea id="training-body" name="body" maxlength=10000/>
                <label for="training-starts_at">{lang.pick("開始（日本時間）", "Starts (Japan time)")}</label>
                <input id="training-starts_at" type="datetime-local" name="starts_at" required/>
                <label for="training-deadline">{lang.pick("申込締切（日本時間）", "Registration closes (Japan time)")}</label>
                <input id="training-deadline" type="datetime-local" name="deadline" required/>
                <label for="training-capacity">{lang.pick("定員（人）", "Seats")}</label>
                <input id="training-capacity" type="number" name="capacity" min="1" max=CAPACITY_MAX step="1" required/>
                <p><button type="submit">{lang.pick("登録する", "Announce")}</button></p>
            </form>
        })}
    }
}

/// The members with their roles; for managers, removing and adding members and answering
/// requests to join.
#[component]
fn Members(
    workspace: String,
    members: Vec<MemberRow>,
    may_manage: bool,
    candidates: Vec<Candidate>,
    people_query: String,
    join_requests: Vec<JoinRequestRow>,
) -> impl IntoView {
    let lang = use_lang();
    // The table's rows are built inside the scroll region's children, which own what they use.
    let row_workspace = workspace.clone();
    let table = if members.is_empty() {
        view! { <p class="muted">{lang.pick("メンバーはいません。", "No members.")}</p> }.into_any()
    } else {
        view! {
            <ScrollRegion label=lang.pick("メンバー", "Members")>
                <table>
                    <thead><tr>
                        <th scope="col">{lang.pick("名前", "Name")}</th>
                        <th scope="col">{lang.pick("種別", "Kind")}</th>
                        <th scope="col">{lang.pick("役割", "Role")}</th>
                        {may_manage.then(|| view! { <th scope="col">{lang.pick("操作", "Actions")}</th> })}
                    </tr></thead>
                    <tbody>
                        {members.into_iter().map(|m| {
                            let name = lang.pick(&m.name_ja, &m.name_en).to_owned();
                            let remove = may_manage.then(|| view! {
                                <td>
                                    <form method="post" action="/api/remove_member" class="inline-form">
                                        <input type="hidden" name="workspace" value=row_workspace.clone()/>
                                        <input type="hidden" name="member" value=format!("{}:{}", m.kind, m.key)/>
                                        <button type="submit" class="secondary">
                                            {lang.pick("外す", "Remove")}
                                            <span class="visually-hidden">{format!(" {name}")}</span>
                                        </button>
                                    </form>
                                </td>
                            });
                            view! {
                                <tr>
                                    <td>{name}</td>
                                    <td>{member_kind(&m.kind, lang)}</td>
                                    <td>{m.role.label(lang)}</td>
                                    {remove}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </ScrollRegion>
        }
        .into_any()
    };
    view! {
        {table}
        {may_manage.then(|| view! {
            <AddMember workspace=workspace.clone() candidates people_query=people_query.clone()/>
            <JoinRequests workspace=workspace.clone() requests=join_requests/>
        })}
    }
}

/// `user` or `organisation` as a word.
fn member_kind(kind: &str, lang: Lang) -> &'static str {
    if kind == "organisation" {
        lang.pick("団体", "Organisation")
    } else {
        lang.pick("個人", "Person")
    }
}

/// The managers' forms: find people by name (a GET form: the page comes back with the matches,
/// with or without JavaScript), then add a person or an organisation with a role.
#[component]
fn AddMember(workspace: String, candidates: Vec<Candidate>, people_query: String) -> impl IntoView {
    let lang = use_lang();
    let (organisations, people): (Vec<Candidate>, Vec<Candidate>) = candidates
        .into_iter()
        .partition(|c| c.kind == "organisation");
    let found = if people_query.is_empty() {
        lang.pick(
            "個人を追加するときは、名前または所属で探してください。",
            "To add a person, find them by name or organisation.",
        )
        .to_owned()
    } else if people.is_empty() {
        lang.pick(
            &format!("「{people_query}」に当てはまる人はいません。"),
            &format!("Nobody matches “{people_query}”."),
        )
        .to_owned()
    } else {
        lang.pick(
            &format!(
                "「{people_query}」に当てはまる人: {} 人（最大 {}）",
                people.len(),
                PEOPLE_FOUND_MAX
            ),
            &format!(
                "{} matching “{people_query}” (at most {})",
                people.len(),
                PEOPLE_FOUND_MAX
            ),
        )
        .to_owned()
    };
    let options = move |group: Vec<Candidate>| {
        group
            .into_iter()
            .map(|c| {
                view! {
                    <option value=format!("{}:{}", c.kind, c.key)>{lang.pick(&c.name_ja, &c.name_en).to_owned()}</option>
                }
            })
            .collect_view()
    };
    view! {
        <h3 id="add-member">{lang.pick("メンバーを追加", "Add a member")}</h3>
        <form method="get" action=format!("/council/{workspace}#add-member") class="inline-form" role="search">
            <label for="member-search">{lang.pick("人を探す（名前・所属）", "Find a person (name or organisation)")}</label>
            <input id="member-search" type="search" name="people" maxlength="100" value=people_query.clone()/>
            <button type="submit" class="secondary">{lang.pick("探す", "Find")}</button>
        </form>
        <p class="muted">{found}</p>
        <form method="post" action="/api/add_member" class="record-form">
            <input type="hidden" name="workspace" value=workspace/>
            <label for="member-candidate">{lang.pick("人・団体", "Person or organisation")}</label>
            <select id="member-candidate" name="member" required>
                <option value="">{lang.pick("選んでください", "Choose")}</option>
                {(!people.is_empty()).then(|| view! {
                    <optgroup label=lang.pick("個人", "People")>{options(people)}</optgroup>
                })}
                {(!organisations.is_empty()).then(|| view! {
                    <optgroup label=lang.pick("団体（全職員）", "Organisations (all their staff)")>{options(organisations)}</optgroup>
                })}
            </select>
            <label for="member-role">{lang.pick("役割", "Role")}</label>
            <select id="member-role" name="role">
                {WorkspaceRole::ALL.iter().copied().map(|r| view! {
                    <option value=r.code() selected={r == WorkspaceRole::Member}>{r.label(lang)}</option>
                }).collect_view()}
            </select>
            <p><button type="submit">{lang.pick("追加する", "Add")}</button></p>
        </form>
    }
}

/// The managers' list of pending requests to join, each with accept and decline.
#[component]
fn JoinRequests(workspace: String, requests: Vec<JoinRequestRow>) -> impl IntoView {
    let lang = use_lang();
    (!requests.is_empty()).then(|| {
        view! {
            <h3>{lang.pick("参加申請", "Requests to join")}</h3>
            <ul class="schedule">
                {requests.into_iter().map(|r| {
                    let name = lang.pick(&r.name_ja, &r.name_en).to_owned();
                    let answer = |accept: &'static str, class: &'static str, label: &'static str| view! {
                        <form method="post" action="/api/answer_join" class="inline-form">
                            <input type="hidden" name="workspace" value=workspace.clone()/>
                            <input type="hidden" name="user" value=r.user.clone()/>
                            <input type="hidden" name="accept" value=accept/>
                            <button type="submit" class=class>
                                {label}<span class="visually-hidden">{format!(" {name}")}</span>
                            </button>
                        </form>
                    };
                    view! {
                        <li>
                            {name.clone()}" · "{time_of(r.at)}
                            <div class="button-row">
                                {answer("1", "", lang.pick("承認する", "Accept"))}
                                {answer("0", "secondary", lang.pick("断る", "Decline"))}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}
