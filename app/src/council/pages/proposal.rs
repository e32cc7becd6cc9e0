//! `/council/proposals/:id`: a proposal — its terms, the counts (unless hidden until closing),
//! the outcome once closed, the ballots (unless anonymous), voting (also as a deputy) and
//! closing early.

use super::super::model::{CONSENT_OPTIONS, ProposalKind};
use super::super::server::get_proposal;
use super::super::views::{Candidate, ProposalView, VoteRow};
use super::{BackLink, FlagNotice, Flags, names, time_of};
use crate::i18n::{Lang, use_lang};
use crate::ui::{ScrollRegion, loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const FLAGS: Flags = &[
    ("created", "議案を作成しました。", "The proposal is open."),
    ("voted", "投票しました。", "Your vote is cast."),
    (
        "closed",
        "議案を締め切りました。",
        "The proposal is closed.",
    ),
];

/// `/council/proposals/:id`.
#[component]
pub fn ProposalPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let proposal = Resource::new(id, get_proposal);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(proposal.await, |v| view! {
                    <FlagNotice flags=FLAGS/>
                    <Proposal view=v/>
                })
            })}
        </Suspense>
    }
}

/// Option `i` as shown: a consent option in `lang`, a poll's option as written.
fn option_label(kind: ProposalKind, options: &[String], i: usize, lang: Lang) -> String {
    match (kind, CONSENT_OPTIONS.get(i)) {
        (ProposalKind::Consent, Some((ja, en))) => lang.pick(ja, en).to_owned(),
        _ => options.get(i).cloned().unwrap_or_default(),
    }
}

#[component]
fn Proposal(view: ProposalView) -> impl IntoView {
    let lang = use_lang();
    let ProposalView {
        key,
        workspace,
        title,
        body_html,
        kind,
        options,
        closes_at,
        quorum,
        anonymous,
        hide_results,
        vote_per,
        closed,
        outcome,
        counts,
        votes,
        ballots,
        my_vote,
        may_vote,
        deputy_for,
        may_manage,
    } = view;
    let labels: Vec<String> = (0..options.len())
        .map(|i| option_label(kind, &options, i, lang))
        .collect();
    let (badge, class) = if closed {
        (lang.pick("締切済み", "Closed"), "badge status-closed")
    } else {
        (lang.pick("受付中", "Open"), "badge status-open")
    };
    let quorum = match (quorum.filter(|q| *q > 0), lang) {
        (Some(q), Lang::Ja) => format!("{q}票"),
        (Some(q), Lang::En) => format!("{q} votes"),
        (None, _) => lang.pick("なし", "None").to_owned(),
    };
    let yes_no = |flag: bool| {
        if flag {
            lang.pick("はい", "Yes")
        } else {
            lang.pick("いいえ", "No")
        }
    };
    let mine = my_vote.and_then(|i| labels.get(i).cloned());
    let outcome = outcome.map(|o| o.text(&options, lang));
    let close = (may_manage && !closed).then(|| {
        view! {
            <h2>{lang.pick("締切", "Closing")}</h2>
            <form method="post" action="/api/close_proposal" class="inline-form">
                <input type="hidden" name="proposal" value=key.clone()/>
                <button type="submit" class="secondary">{lang.pick("今すぐ締め切る", "Close it now")}</button>
            </form>
        }
    });
    let vote = may_vote.then(|| {
        view! { <VoteForm proposal=key.clone() labels=labels.clone() my_vote deputy_for/> }
    });
    view! {
        <Title text=title.clone()/>
        <BackLink workspace/>
        <h1>{title}</h1>
        <p><span class=class>{badge}</span>" "{kind.label(lang)}</p>
        <dl class="facts">
            <dt>{lang.pick("締切", "Closes")}</dt><dd>{time_of(closes_at)}</dd>
            <dt>{lang.pick("定足数", "Quorum")}</dt><dd>{quorum}</dd>
            <dt>{lang.pick("投票の単位", "Votes count")}</dt><dd>{vote_per.label(lang)}</dd>
            <dt>{lang.pick("無記名投票", "Anonymous")}</dt><dd>{yes_no(anonymous)}</dd>
            <dt>{lang.pick("途中経過", "Results before closing")}</dt>
            <dd>{if hide_results { lang.pick("締切まで非表示", "Hidden until closing") } else { lang.pick("表示", "Shown") }}</dd>
            <dt>{lang.pick("投票数", "Votes cast")}</dt><dd>{votes}</dd>
            {mine.map(|m| view! { <dt>{lang.pick("あなたの投票", "Your vote")}</dt><dd>{m}</dd> })}
        </dl>
        <div class="markdown" inner_html=body_html></div>
        <h2>{lang.pick("結果", "Results")}</h2>
        {outcome.map(|text| view! { <p class="deadline">{lang.pick("結果: ", "Outcome: ")}{text}</p> })}
        <Counts labels=labels.clone() counts/>
        <Ballots labels ballots=ballots.unwrap_or_default()/>
        {vote}
        {close}
    }
}

/// The votes per option, or a note that they show after closing.
#[component]
fn Counts(labels: Vec<String>, counts: Option<Vec<u32>>) -> impl IntoView {
    let lang = use_lang();
    let Some(counts) = counts else {
        return view! {
            <p class="muted">{lang.pick("結果は締切後に公開されます。", "Results are shown after closing.")}</p>
        }
        .into_any();
    };
    view! {
        <table class="compact">
            <thead><tr>
                <th scope="col">{lang.pick("選択肢", "Option")}</th>
                <th scope="col">{lang.pick("票数", "Votes")}</th>
            </tr></thead>
            <tbody>
                {labels.into_iter().enumerate().map(|(i, label)| view! {
                    <tr>
                        <th scope="row">{label}</th>
                        <td>{counts.get(i).copied().unwrap_or(0)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Who voted how (not for an anonymous proposal, nor while the results are hidden).
#[component]
fn Ballots(labels: Vec<String>, ballots: Vec<VoteRow>) -> impl IntoView {
    let lang = use_lang();
    (!ballots.is_empty()).then(|| {
        view! {
            <h3>{lang.pick("投票の内訳", "Ballots")}</h3>
            <ScrollRegion label=lang.pick("投票の内訳", "Ballots")>
                <table>
                    <thead><tr>
                        <th scope="col">{lang.pick("投票者", "Voter")}</th>
                        <th scope="col">{lang.pick("選択", "Choice")}</th>
                        <th scope="col">{lang.pick("代理投票者", "Cast by deputy")}</th>
                    </tr></thead>
                    <tbody>
                        {ballots.into_iter().map(|b| view! {
                            <tr>
                                <td>{names(lang, &b.voter)}</td>
                                <td>{labels.get(b.option).cloned().unwrap_or_default()}</td>
                                <td>{b.deputy.as_ref().map(|d| names(lang, d)).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </ScrollRegion>
        }
    })
}

/// The vote: one radio button per option (the current vote checked) and, for someone who may
/// vote for colleagues, whom the vote is for.
#[component]
fn VoteForm(
    proposal: String,
    labels: Vec<String>,
    my_vote: Option<usize>,
    deputy_for: Vec<Candidate>,
) -> impl IntoView {
    let lang = use_lang();
    let on_behalf = if deputy_for.is_empty() {
        view! { <input type="hidden" name="deputy_for" value=""/> }.into_any()
    } else {
        view! {
            <label for="vote-deputy_for">{lang.pick("誰の票として投票するか", "Vote for")}</label>
            <select id="vote-deputy_for" name="deputy_for">
                <option value="">{lang.pick("本人として", "Myself")}</option>
                {deputy_for.into_iter().map(|c| view! {
                    <option value=c.key.clone()>{match lang {
                        Lang::Ja => format!("{}（代理）", c.name_ja),
                        Lang::En => format!("{} (as deputy)", c.name_en),
                    }}</option>
                }).collect_view()}
            </select>
        }
        .into_any()
    };
    view! {
        <h2>{lang.pick("投票", "Vote")}</h2>
        <form method="post" action="/api/cast_vote" class="record-form">
            <input type="hidden" name="proposal" value=proposal/>
            <fieldset>
                <legend>{lang.pick("選択肢", "Options")}</legend>
                {labels.into_iter().enumerate().map(|(i, label)| {
                    let id = format!("vote-option-{i}");
                    view! {
                        <div class="checkbox">
                            <input type="radio" name="option" id=id.clone() value=i.to_string()
                                checked={my_vote == Some(i)} required=true/>
                            <label for=id>{label}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            {on_behalf}
            <p><button type="submit">{if my_vote.is_some() {
                lang.pick("投票を変更する", "Change my vote")
            } else {
                lang.pick("投票する", "Vote")
            }}</button></p>
        </form>
    }
}
