//! Council workspaces' domain types and rules (pure, shared by server and browser).
//!
//! The 都・区市町村CIO協議会 (the council, workspace `council`) and its working groups
//! (部会・ワーキンググループ). Members are people or whole organisations (all their active
//! users), each with a [`WorkspaceRole`]. A meeting's agenda items are 公開 or 非公開; the
//! 議事要旨 (public summary) is compiled from the public items only ([`compile_summary`]).
//! Proposals close at a server instant and are decided by [`decide`]. Instants are UTC, shown
//! in JST. Source: issue #12 and `DOMAIN.md` (CIO council).

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// The council's own workspace key.
pub const COUNCIL_KEY: &str = "council";

/// Longest workspace, topic, meeting, agenda item, proposal or training title (characters).
pub const TITLE_MAX_CHARS: usize = 200;

/// Most options of a custom poll.
pub const POLL_OPTIONS_MAX: usize = 20;

/// Longest capacity of a training session (people).
pub const CAPACITY_MAX: u32 = 10_000;

/// Defines a closed list of stable codes with Japanese and English labels.
macro_rules! coded {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal, $ja:literal, $en:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant,)+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code (stored, and sent by forms).
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The value of a code; `None` for anything else.
            pub fn from_code(code: &str) -> Option<$name> {
                match code.trim() { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The label in `lang`.
            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($ja, $en),)+ }
            }
        }
    };
}

coded! {
    /// A member's role in a workspace, strongest first.
    WorkspaceRole {
        /// 座長: leads the group; manages it like the secretariat.
        Chair = "chair", "座長", "Chair";
        /// 事務局: adds and removes members, schedules meetings, publishes summaries.
        Secretariat = "secretariat", "事務局", "Secretariat";
        /// 構成員: reads, posts, attends and votes.
        Member = "member", "構成員", "Member";
        /// オブザーバー: reads only.
        Observer = "observer", "オブザーバー", "Observer";
    }
}

coded! {
    /// Who may read a workspace.
    WorkspaceVisibility {
        /// 協議会全体: every signed-in user reads it; members post.
        Council = "council", "協議会全体に公開", "Open to the council";
        /// 非公開: its members only.
        Private = "private", "メンバーのみ", "Members only";
    }
}

coded! {
    /// A member's answer for a meeting.
    AttendanceStatus {
        /// 出席.
        Attending = "attending", "出席", "Attending";
        /// 代理出席: a named deputy attends for the member.
        Deputy = "deputy", "代理出席", "Deputy attends";
        /// 欠席.
        Apology = "apology", "欠席", "Apologies";
    }
}

coded! {
    /// How a proposal is decided.
    ProposalKind {
        /// 賛否: 賛成 / 棄権 / 反対 / 異議.
        Consent = "consent", "賛否を問う", "Consent";
        /// A custom poll with several options.
        Poll = "poll", "選択式の投票", "Poll";
    }
}

coded! {
    /// Whose vote counts once.
    VotePer {
        /// One vote per person.
        Person = "person", "1人1票", "One vote per person";
        /// One vote per member organisation (its last cast vote counts).
        Organisation = "organisation", "1団体1票", "One vote per organisation";
    }
}

coded! {
    /// A registration for a training session.
    RegistrationStatus {
        /// 登録済み: holds a seat.
        Registered = "registered", "参加登録済み", "Registered";
        /// キャンセル待ち: moves up when a seat frees.
        Waiting = "waiting", "キャンセル待ち", "On the waiting list";
    }
}

impl WorkspaceRole {
    /// Whether the role manages the workspace (members, meetings, summaries, pins).
    pub fn manages(self) -> bool {
        matches!(self, WorkspaceRole::Chair | WorkspaceRole::Secretariat)
    }

    /// Whether the role posts, attends and votes (everyone but observers).
    pub fn takes_part(self) -> bool {
        self != WorkspaceRole::Observer
    }
}

/// The strongest of several roles (a person may be a member both in person and through their
/// organisation); `None` when there is none.
pub fn strongest(roles: impl IntoIterator<Item = WorkspaceRole>) -> Option<WorkspaceRole> {
    roles.into_iter().min()
}

/// The four options of a consent proposal, in order.
pub const CONSENT_OPTIONS: [(&str, &str); 4] = [
    ("賛成", "Agree"),
    ("棄権", "Abstain"),
    ("反対", "Disagree"),
    ("異議", "Block"),
];

/// A proposal's options as stored: the consent options, or the poll's lines (trimmed, blank
/// lines dropped). Errors: [`OptionsProblem`].
pub fn proposal_options(kind: ProposalKind, lines: &str) -> Result<Vec<String>, OptionsProblem> {
    match kind {
        ProposalKind::Consent => Ok(CONSENT_OPTIONS
            .iter()
            .map(|(ja, _)| (*ja).to_owned())
            .collect()),
        ProposalKind::Poll => {
            let options: Vec<String> = lines
                .lines()
                .map(|l| crate::text::clean_line(l).trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect();
            if options.len() < 2 {
                return Err(OptionsProblem::TooFew);
            }
            if options.len() > POLL_OPTIONS_MAX {
                return Err(OptionsProblem::TooMany);
            }
            if let Some(long) = options
                .iter()
                .position(|o| o.chars().count() > TITLE_MAX_CHARS)
            {
                return Err(OptionsProblem::TooLong { line: long + 1 });
            }
            let mut seen = std::collections::HashSet::new();
            if let Some(twice) = options.iter().position(|o| !seen.insert(o.as_str())) {
                return Err(OptionsProblem::Repeated { line: twice + 1 });
            }
            Ok(options)
        }
    }
}

/// Why a poll's options are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionsProblem {
    /// Fewer than two options.
    TooFew,
    /// More than [`POLL_OPTIONS_MAX`].
    TooMany,
    /// Option `line` (counting non-blank lines from 1) is over [`TITLE_MAX_CHARS`].
    TooLong { line: usize },
    /// Option `line` repeats an earlier one.
    Repeated { line: usize },
}

/// A closed proposal's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Fewer votes than the quorum: no decision.
    NoQuorum,
    /// Consent: more agree than disagree and nobody blocks.
    Agreed,
    /// Consent: blocked (at least one 異議), or not more agree than disagree.
    NotAgreed,
    /// Poll: the option(s) with the most votes (several on a tie; none without votes).
    Chosen { options: Vec<usize> },
}

impl Outcome {
    /// The outcome as a sentence in `lang`; `options` are the proposal's options.
    pub fn text(&self, options: &[String], lang: Lang) -> String {
        match self {
            Outcome::NoQuorum => lang
                .pick("定足数に達しませんでした", "No quorum")
                .to_owned(),
            Outcome::Agreed => lang.pick("可決", "Agreed").to_owned(),
            Outcome::NotAgreed => lang.pick("否決", "Not agreed").to_owned(),
            Outcome::Chosen { options: chosen } if chosen.is_empty() => {
                lang.pick("投票がありませんでした", "No votes").to_owned()
            }
            Outcome::Chosen { options: chosen } => {
                let names: Vec<&str> = chosen
                    .iter()
                    .filter_map(|i| options.get(*i).map(String::as_str))
                    .collect();
                match lang {
                    Lang::Ja => format!("選ばれた選択肢: {}", names.join("、")),
                    Lang::En => format!("Chosen: {}", names.join(", ")),
                }
            }
        }
    }
}

/// The outcome of a proposal of `kind` with `counts[i]` votes for option `i` and an optional
/// quorum (votes needed; `None` or 0: any number). Consent options are in
/// [`CONSENT_OPTIONS`] order (agree, abstain, disagree, block).
pub fn decide(kind: ProposalKind, counts: &[u32], quorum: Option<u32>) -> Outcome {
    let total: u32 = counts.iter().sum();
    if quorum.is_some_and(|q| total < q) {
        return Outcome::NoQuorum;
    }
    let at = |i: usize| counts.get(i).copied().unwrap_or(0);
    match kind {
        ProposalKind::Consent => {
            if at(3) == 0 && at(0) > at(2) {
                Outcome::Agreed
            } else {
                Outcome::NotAgreed
            }
        }
        ProposalKind::Poll => {
            let best = counts.iter().copied().max().unwrap_or(0);
            let options = if best == 0 {
                Vec::new()
            } else {
                (0..counts.len()).filter(|i| counts[*i] == best).collect()
            };
            Outcome::Chosen { options }
        }
    }
}

/// One agenda item as the summary compiler sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaText {
    /// Its title.
    pub title: String,
    /// 公開 (`true`) or 非公開.
    pub public: bool,
    /// Its description (Markdown).
    pub body: String,
    /// Its minutes (Markdown; may be empty).
    pub minutes: String,
}

/// The 議事要旨 draft of a meeting (Markdown): a heading per public item, in agenda order,
/// with its description and minutes. Closed (非公開) items contribute nothing, not even their
/// title or how many there were.
pub fn compile_summary(meeting_title: &str, items: &[AgendaText]) -> String {
    let mut out = format!("# {meeting_title} 議事要旨\n");
    for (n, item) in items.iter().filter(|i| i.public).enumerate() {
        out.push_str(&format!("\n## {}. {}\n", n + 1, item.title));
        for part in [&item.body, &item.minutes] {
            let part = part.trim();
            if !part.is_empty() {
                out.push('\n');
                out.push_str(part);
                out.push('\n');
            }
        }
    }
    out
}

/// A person who can be mentioned: their key and names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mentionable {
    /// User key.
    pub key: String,
    /// Name (Japanese).
    pub name_ja: String,
    /// Name (English).
    pub name_en: String,
}

/// The people `body` mentions: those among `people` whose Japanese or English name follows an
/// `@` (half- or full-width) in it, each once, in `people` order.
pub fn mentioned<'a>(body: &str, people: &'a [Mentionable]) -> Vec<&'a Mentionable> {
    let body = body.replace('＠', "@");
    people
        .iter()
        .filter(|p| {
            [&p.name_ja, &p.name_en]
                .iter()
                .any(|name| !name.trim().is_empty() && body.contains(&format!("@{}", name.trim())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_roles_rank() {
        for role in WorkspaceRole::ALL {
            assert_eq!(WorkspaceRole::from_code(role.code()), Some(*role));
        }
        assert_eq!(WorkspaceRole::from_code("owner"), None);
        assert_eq!(
            strongest([
                WorkspaceRole::Observer,
                WorkspaceRole::Secretariat,
                WorkspaceRole::Member
            ]),
            Some(WorkspaceRole::Secretariat)
        );
        assert_eq!(strongest([]), None);
        assert!(WorkspaceRole::Chair.manages() && !WorkspaceRole::Member.manages());
        assert!(!WorkspaceRole::Observer.takes_part() && WorkspaceRole::Member.takes_part());
    }

    #[test]
    fn consent_needs_more_agree_and_no_block() {
        let d = |c: &[u32], q| decide(ProposalKind::Consent, c, q);
        assert_eq!(d(&[3, 1, 1, 0], None), Outcome::Agreed);
        assert_eq!(d(&[3, 1, 1, 1], None), Outcome::NotAgreed);
        assert_eq!(d(&[2, 0, 2, 0], None), Outcome::NotAgreed);
        assert_eq!(d(&[3, 0, 0, 0], Some(4)), Outcome::NoQuorum);
        assert_eq!(d(&[4, 0, 0, 0], Some(4)), Outcome::Agreed);
        assert_eq!(d(&[], None), Outcome::NotAgreed);
    }

    #[test]
    fn a_poll_chooses_the_most_votes_and_ties_keep_all() {
        let d = |c: &[u32]| decide(ProposalKind::Poll, c, None);
        assert_eq!(d(&[1, 4, 2]), Outcome::Chosen { options: vec![1] });
        assert_eq!(
            d(&[3, 1, 3]),
            Outcome::Chosen {
                options: vec![0, 2]
            }
        );
        assert_eq!(d(&[0, 0]), Outcome::Chosen { options: vec![] });
        let options = vec!["A案".to_owned(), "B案".to_owned()];
        assert_eq!(
            Outcome::Chosen {
                options: vec![0, 1]
            }
            .text(&options, Lang::Ja),
            "選ばれた選択肢: A案、B案"
        );
    }

    #[test]
    fn poll_options_are_checked_by_line() {
        assert_eq!(
            proposal_options(ProposalKind::Poll, "A案\n\n B案 \n"),
            Ok(vec!["A案".to_owned(), "B案".to_owned()])
        );
        assert_eq!(
            proposal_options(ProposalKind::Poll, "A案"),
            Err(OptionsProblem::TooFew)
        );
        assert_eq!(
            proposal_options(ProposalKind::Poll, "A\nB\nA"),
            Err(OptionsProblem::Repeated { line: 3 })
        );
        let many = (0..21)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(
            proposal_options(ProposalKind::Poll, &many),
            Err(OptionsProblem::TooMany)
        );
        assert_eq!(
            proposal_options(ProposalKind::Poll, &format!("A\n{}", "長".repeat(201))),
            Err(OptionsProblem::TooLong { line: 2 })
        );
        assert_eq!(
            proposal_options(ProposalKind::Consent, "").unwrap().len(),
            4
        );
    }

    #[test]
    fn the_summary_holds_public_items_only() {
        let items = vec![
            AgendaText {
                title: "標準化の進捗報告".into(),
                public: true,
                body: "各団体の進捗を共有".into(),
                minutes: "住民記録システムの移行は順調".into(),
            },
            AgendaText {
                title: "人事案件".into(),
                public: false,
                body: "非公開の説明".into(),
                minutes: "非公開の議事録".into(),
            },
            AgendaText {
                title: "共同調達".into(),
                public: true,
                body: String::new(),
                minutes: "次回までに仕様案".into(),
            },
        ];
        let summary = compile_summary("第3回協議会", &items);
        for text in [
            "標準化の進捗報告",
            "各団体の進捗を共有",
            "住民記録システムの移行は順調",
            "## 2. 共同調達",
            "次回までに仕様案",
        ] {
            assert!(summary.contains(text), "{text} in {summary}");
        }
        for text in ["人事案件", "非公開の説明", "非公開の議事録"] {
            assert!(!summary.contains(text), "{text} in {summary}");
        }
    }

    #[test]
    fn mentions_match_names_after_an_at_sign() {
        let people = vec![
            Mentionable {
                key: "a".into(),
                name_ja: "豊島 花子".into(),
                name_en: "Hanako Toshima".into(),
            },
            Mentionable {
                key: "b".into(),
                name_ja: "都庁 桜".into(),
                name_en: "Sakura Tocho".into(),
            },
            Mentionable {
                key: "c".into(),
                name_ja: " ".into(),
                name_en: String::new(),
            },
        ];
        let keys = |body: &str| {
            mentioned(body, &people)
                .iter()
                .map(|p| p.key.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(keys("@豊島 花子 さん、確認をお願いします"), vec!["a"]);
        assert_eq!(keys("＠都庁 桜 and @Hanako Toshima"), vec!["a", "b"]);
        assert_eq!(keys("豊島 花子さん（@なし）"), Vec::<String>::new());
        assert_eq!(keys("@"), Vec::<String>::new());
    }
}
