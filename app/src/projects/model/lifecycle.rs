//! Lifecycle of a joint project: its statuses, the participation window, and which status
//! changes are allowed (`check_transition`).
//!
//! Path: 下書き → 参加募集 → 参加確定 → 調達 → 契約 → 運用 → 終了, or 中止 (with a reason)
//! from any status that is not final. Instants are `DateTime<Utc>` and shown in JST (+09:00;
//! Japan has no daylight saving time).

use super::cost::{MAX_YEN, fmt_yen};
use crate::i18n::Lang;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Participating municipalities needed before participation can be confirmed (参加確定):
/// a joint project needs at least two.
pub const MIN_PARTICIPANTS: usize = 2;
/// Longest supplier name (契約先), in characters.
pub const MAX_SUPPLIER_CHARS: usize = 200;
/// Longest cancellation reason (中止理由), in characters.
pub const MAX_REASON_CHARS: usize = 2000;

/// Status of a joint project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    /// 下書き: only the lead sees and edits it (default for a new project).
    #[default]
    Draft,
    /// 参加募集: call for participation; municipalities join while the window is open.
    Open,
    /// 参加確定: participants are fixed; the window has ended.
    Confirmed,
    /// 調達: procurement (tender) under way.
    Tendering,
    /// 契約: contract awarded to a supplier for an amount.
    Awarded,
    /// 運用: the service is running.
    Operating,
    /// 終了: finished normally. Final and read-only.
    Closed,
    /// 中止: stopped early, with a reason. Final and read-only.
    Cancelled,
}

impl ProjectStatus {
    /// Every status, in lifecycle order (Cancelled last).
    pub const ALL: [ProjectStatus; 8] = [
        ProjectStatus::Draft,
        ProjectStatus::Open,
        ProjectStatus::Confirmed,
        ProjectStatus::Tendering,
        ProjectStatus::Awarded,
        ProjectStatus::Operating,
        ProjectStatus::Closed,
        ProjectStatus::Cancelled,
    ];

    /// Stable snake_case code (database value, form value, serde name).
    pub fn code(self) -> &'static str {
        match self {
            ProjectStatus::Draft => "draft",
            ProjectStatus::Open => "open",
            ProjectStatus::Confirmed => "confirmed",
            ProjectStatus::Tendering => "tendering",
            ProjectStatus::Awarded => "awarded",
            ProjectStatus::Operating => "operating",
            ProjectStatus::Closed => "closed",
            ProjectStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a `code()`; `None` for anything else.
    pub fn from_code(code: &str) -> Option<ProjectStatus> {
        ProjectStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Display label: 参加募集 / "Open for participation", ….
    pub fn label(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            ProjectStatus::Draft => ("下書き", "Draft"),
            ProjectStatus::Open => ("参加募集", "Open for participation"),
            ProjectStatus::Confirmed => ("参加確定", "Participation confirmed"),
            ProjectStatus::Tendering => ("調達", "Tendering"),
            ProjectStatus::Awarded => ("契約", "Contract awarded"),
            ProjectStatus::Operating => ("運用", "In operation"),
            ProjectStatus::Closed => ("終了", "Closed"),
            ProjectStatus::Cancelled => ("中止", "Cancelled"),
        };
        lang.pick(ja, en)
    }

    /// The next status on the normal path; `None` for Closed and Cancelled.
    pub fn next(self) -> Option<ProjectStatus> {
        match self {
            ProjectStatus::Draft => Some(ProjectStatus::Open),
            ProjectStatus::Open => Some(ProjectStatus::Confirmed),
            ProjectStatus::Confirmed => Some(ProjectStatus::Tendering),
            ProjectStatus::Tendering => Some(ProjectStatus::Awarded),
            ProjectStatus::Awarded => Some(ProjectStatus::Operating),
            ProjectStatus::Operating => Some(ProjectStatus::Closed),
            ProjectStatus::Closed | ProjectStatus::Cancelled => None,
        }
    }

    /// Final statuses (Closed, Cancelled): nothing about the project may change any more.
    pub fn is_read_only(self) -> bool {
        matches!(self, ProjectStatus::Closed | ProjectStatus::Cancelled)
    }

    /// Whether the lifecycle allows `self → to`: to `next()` or to Cancelled, never out of a
    /// read-only status. Data and participant rules are checked by [`check_transition`].
    pub fn can_move_to(self, to: ProjectStatus) -> bool {
        !self.is_read_only() && (self.next() == Some(to) || to == ProjectStatus::Cancelled)
    }
}

pub use crate::i18n::{fmt_jst, jst};

/// The call-for-participation window (募集期間): half-open `[opens_at, closes_at)`, judged by
/// server time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Window {
    /// 募集開始: first instant at which municipalities may join.
    pub opens_at: DateTime<Utc>,
    /// 募集締切: first instant at which joining is refused.
    pub closes_at: DateTime<Utc>,
}

impl Window {
    /// Whether `opens_at <= now < closes_at`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.opens_at <= now && now < self.closes_at
    }

    /// Whole JST calendar days from `now`'s JST date to `closes_at`'s JST date: 0 on the
    /// closing day itself, 1 the day before, …; never negative (0 once closed).
    pub fn days_left(&self, now: DateTime<Utc>) -> i64 {
        let today = now.with_timezone(&jst()).date_naive();
        let closing_day = self.closes_at.with_timezone(&jst()).date_naive();
        (closing_day - today).num_days().max(0)
    }

    /// The window as it stands after the lead confirms participation at `now`: confirming
    /// ends the call, so `closes_at` becomes `min(closes_at, now)` (and `opens_at` is pulled
    /// back to `now` if it had not started yet, keeping `opens_at <= closes_at`).
    pub fn ended_at(self, now: DateTime<Utc>) -> Window {
        Window {
            opens_at: self.opens_at.min(now),
            closes_at: self.closes_at.min(now),
        }
    }
}

/// A requested status change, named after the status it leads to and carrying that status's
/// data. Serialized with a `"to"` tag holding the target status code, e.g.
/// `{"to":"awarded","supplier":"…","amount_yen":1200000}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Transition {
    /// Draft → Open, with the participation window (`opens_at < closes_at`, `closes_at` in the
    /// future; `opens_at` may lie in the past or the future).
    Open {
        /// The window to open.
        window: Window,
    },
    /// Open → Confirmed: fixes the participants and ends the window early if still running
    /// (store [`Window::ended_at`]).
    Confirmed,
    /// Confirmed → Tendering.
    Tendering,
    /// Tendering → Awarded, with the contract.
    Awarded {
        /// 契約先: non-blank, at most [`MAX_SUPPLIER_CHARS`] characters (trimmed).
        supplier: String,
        /// 契約金額 in whole yen: 1 ..= [`MAX_YEN`].
        amount_yen: i64,
    },
    /// Awarded → Operating.
    Operating,
    /// Operating → Closed.
    Closed,
    /// Any non-final status → Cancelled, with the reason.
    Cancelled {
        /// 中止理由: non-blank, at most [`MAX_REASON_CHARS`] characters (trimmed).
        reason: String,
    },
}

impl Transition {
    /// The status this transition leads to.
    pub fn to(&self) -> ProjectStatus {
        match self {
            Transition::Open { .. } => ProjectStatus::Open,
            Transition::Confirmed => ProjectStatus::Confirmed,
            Transition::Tendering => ProjectStatus::Tendering,
            Transition::Awarded { .. } => ProjectStatus::Awarded,
            Transition::Operating => ProjectStatus::Operating,
            Transition::Closed => ProjectStatus::Closed,
            Transition::Cancelled { .. } => ProjectStatus::Cancelled,
        }
    }
}

/// Why a status change was refused. `message(lang)` is the text for people; `field()` names
/// the form field to mark, if any. `Display` is the English message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum TransitionError {
    /// The project is Closed or Cancelled; nothing may change.
    ReadOnly {
        /// The current (final) status.
        status: ProjectStatus,
    },
    /// `to` is neither `from.next()` nor Cancelled.
    NotAllowed {
        /// Current status.
        from: ProjectStatus,
        /// Requested status.
        to: ProjectStatus,
    },
    /// Fewer than [`MIN_PARTICIPANTS`] municipalities take part (Open → Confirmed).
    TooFewParticipants {
        /// How many take part now.
        count: usize,
    },
    /// `closes_at <= opens_at` (field `closes_at`).
    WindowOrder {
        /// Requested opening instant.
        opens_at: DateTime<Utc>,
        /// Requested closing instant.
        closes_at: DateTime<Utc>,
    },
    /// `closes_at` is not in the future when opening (field `closes_at`).
    WindowInPast {
        /// Requested closing instant.
        closes_at: DateTime<Utc>,
    },
    /// Supplier is empty or whitespace (field `supplier`).
    SupplierBlank,
    /// Supplier longer than [`MAX_SUPPLIER_CHARS`] (field `supplier`).
    SupplierTooLong {
        /// Characters given (trimmed).
        length: usize,
    },
    /// Contract amount outside 1 ..= [`MAX_YEN`] yen (field `amount_yen`).
    AmountOutOfRange {
        /// Amount given, in yen.
        amount_yen: i64,
    },
    /// Cancellation reason is empty or whitespace (field `reason`).
    ReasonBlank,
    /// Reason longer than [`MAX_REASON_CHARS`] (field `reason`).
    ReasonTooLong {
        /// Characters given (trimmed).
        length: usize,
    },
}

impl TransitionError {
    /// The request field at fault (`closes_at`, `supplier`, `amount_yen`, `reason`), if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            TransitionError::ReadOnly { .. }
            | TransitionError::NotAllowed { .. }
            | TransitionError::TooFewParticipants { .. } => None,
            TransitionError::WindowOrder { .. } | TransitionError::WindowInPast { .. } => {
                Some("closes_at")
            }
            TransitionError::SupplierBlank | TransitionError::SupplierTooLong { .. } => {
                Some("supplier")
            }
            TransitionError::AmountOutOfRange { .. } => Some("amount_yen"),
            TransitionError::ReasonBlank | TransitionError::ReasonTooLong { .. } => Some("reason"),
        }
    }

    /// The message shown to people, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            TransitionError::ReadOnly { status } => {
                let s = status.label(lang);
                if ja {
                    format!("この事業は「{s}」のため、これ以上変更できません。")
                } else {
                    format!("This project is “{s}” and can no longer be changed.")
                }
            }
            TransitionError::NotAllowed { from, to } => {
                let (f, t) = (from.label(lang), to.label(lang));
                let next = from.next().map_or("", |n| n.label(lang));
                if ja {
                    format!(
                        "「{f}」から「{t}」へは進められません。次に進めるのは「{next}」、または中止です。"
                    )
                } else {
                    format!(
                        "A project cannot move from “{f}” to “{t}”. The next step is “{next}”, or cancelling."
                    )
                }
            }
            TransitionError::TooFewParticipants { count } => {
                if ja {
                    format!(
                        "参加確定には{MIN_PARTICIPANTS}団体以上の参加が必要です（現在{count}団体）。"
                    )
                } else {
                    format!(
                        "At least {MIN_PARTICIPANTS} municipalities must take part before participation is confirmed (now {count})."
                    )
                }
            }
            TransitionError::WindowOrder {
                opens_at,
                closes_at,
            } => {
                let (o, c) = (fmt_jst(*opens_at, lang), fmt_jst(*closes_at, lang));
                if ja {
                    format!("募集締切（{c}）は募集開始（{o}）より後の日時にしてください。")
                } else {
                    format!("The closing time ({c}) must be after the opening time ({o}).")
                }
            }
            TransitionError::WindowInPast { closes_at } => {
                let c = fmt_jst(*closes_at, lang);
                if ja {
                    format!("募集締切（{c}）が過ぎています。これから先の日時を指定してください。")
                } else {
                    format!(
                        "The closing time ({c}) has already passed; choose a time in the future."
                    )
                }
            }
            TransitionError::SupplierBlank => lang
                .pick("契約先を入力してください。", "Enter the supplier.")
                .to_owned(),
            TransitionError::SupplierTooLong { length } => {
                if ja {
                    format!(
                        "契約先は{MAX_SUPPLIER_CHARS}文字以内で入力してください（現在{length}文字）。"
                    )
                } else {
                    format!(
                        "The supplier must be at most {MAX_SUPPLIER_CHARS} characters (now {length})."
                    )
                }
            }
            TransitionError::AmountOutOfRange { amount_yen } => {
                let (max, got) = (fmt_yen(MAX_YEN, lang), fmt_yen(*amount_yen, lang));
                if ja {
                    format!("契約金額は1円以上{max}以下で入力してください（入力値：{got}）。")
                } else {
                    format!("The contract amount must be between ¥1 and {max} (got {got}).")
                }
            }
            TransitionError::ReasonBlank => lang
                .pick(
                    "中止の理由を入力してください。",
                    "Enter the reason for cancelling.",
                )
                .to_owned(),
            TransitionError::ReasonTooLong { length } => {
                if ja {
                    format!(
                        "中止の理由は{MAX_REASON_CHARS}文字以内で入力してください（現在{length}文字）。"
                    )
                } else {
                    format!(
                        "The reason must be at most {MAX_REASON_CHARS} characters (now {length})."
                    )
                }
            }
        }
    }
}

/// Checks a status change requested at server time `now` for a project in `current` status
/// with `participants` participating municipalities.
///
/// Rules, in the order checked:
/// 1. Closed and Cancelled refuse everything (`ReadOnly`).
/// 2. Only `current.next()` or Cancelled (`NotAllowed`).
/// 3. Confirmed needs at least [`MIN_PARTICIPANTS`] participants (`TooFewParticipants`). It
///    is allowed at any time while Open: the lead may close the call early, and confirming
///    ends the window ([`Window::ended_at`]).
/// 4. The transition's data: Open needs `opens_at < closes_at` and `now < closes_at`;
///    Awarded needs a supplier (non-blank, ≤ 200 chars) and 1 ..= 10^13 yen; Cancelled needs
///    a reason (non-blank, ≤ 2000 chars).
pub fn check_transition(
    current: ProjectStatus,
    transition: &Transition,
    participants: usize,
    now: DateTime<Utc>,
) -> Result<(), TransitionError> {
    let to = transition.to();
    if current.is_read_only() {
        return Err(TransitionError::ReadOnly { status: current });
    }
    if !current.can_move_to(to) {
        return Err(TransitionError::NotAllowed { from: current, to });
    }
    match transition {
        Transition::Open { window } => {
            if window.closes_at <= window.opens_at {
                return Err(TransitionError::WindowOrder {
                    opens_at: window.opens_at,
                    closes_at: window.closes_at,
                });
            }
            if window.closes_at <= now {
                return Err(TransitionError::WindowInPast {
                    closes_at: window.closes_at,
                });
            }
        }
        Transition::Confirmed if participants < MIN_PARTICIPANTS => {
            return Err(TransitionError::TooFewParticipants {
                count: participants,
            });
        }
        Transition::Awarded {
            supplier,
            amount_yen,
        } => {
            let length = supplier.trim().chars().count();
            if crate::text::is_blank(supplier) {
                return Err(TransitionError::SupplierBlank);
            }
            if length > MAX_SUPPLIER_CHARS {
                return Err(TransitionError::SupplierTooLong { length });
            }
            if !(1..=MAX_YEN).contains(amount_yen) {
                return Err(TransitionError::AmountOutOfRange {
                    amount_yen: *amount_yen,
                });
            }
        }
        Transition::Cancelled { reason } => {
            let length = reason.trim().chars().count();
            if crate::text::is_blank(reason) {
                return Err(TransitionError::ReasonBlank);
            }
            if length > MAX_REASON_CHARS {
                return Err(TransitionError::ReasonTooLong { length });
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use ProjectStatus as S;
    use chrono::TimeZone;

    /// A JST wall-clock instant.
    pub(in super::super) fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        jst()
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    /// 2026-11-01 09:00 to 2026-12-03 17:00 JST.
    pub(in super::super) fn window() -> Window {
        Window {
            opens_at: at(2026, 11, 1, 9, 0),
            closes_at: at(2026, 12, 3, 17, 0),
        }
    }

    fn award(supplier: &str, amount_yen: i64) -> Transition {
        Transition::Awarded {
            supplier: supplier.into(),
            amount_yen,
        }
    }

    fn cancel(reason: &str) -> Transition {
        Transition::Cancelled {
            reason: reason.into(),
        }
    }

    #[test]
    fn codes_labels_and_serde() {
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
        assert_eq!(S::from_code("canceled"), None);
        assert_eq!(S::Open.label(Lang::Ja), "参加募集");
        assert_eq!(S::Confirmed.label(Lang::Ja), "参加確定");
        assert_eq!(S::Cancelled.label(Lang::En), "Cancelled");
        assert_eq!(S::default(), S::Draft);
    }

    #[test]
    fn next_walks_the_normal_path() {
        let mut path = vec![S::Draft];
        while let Some(n) = path.last().unwrap().next() {
            path.push(n);
        }
        assert_eq!(
            path,
            [
                S::Draft,
                S::Open,
                S::Confirmed,
                S::Tendering,
                S::Awarded,
                S::Operating,
                S::Closed
            ]
        );
        assert_eq!(S::Cancelled.next(), None);
        let read_only: Vec<_> = S::ALL.into_iter().filter(|s| s.is_read_only()).collect();
        assert_eq!(read_only, [S::Closed, S::Cancelled]);
    }

    #[test]
    fn can_move_only_forward_one_step_or_to_cancelled() {
        for from in S::ALL {
            for to in S::ALL {
                let expected =
                    !from.is_read_only() && (from.next() == Some(to) || to == S::Cancelled);
                assert_eq!(from.can_move_to(to), expected, "{from:?} → {to:?}");
            }
        }
        assert!(S::Operating.can_move_to(S::Cancelled));
        assert!(!S::Open.can_move_to(S::Tendering));
        assert!(!S::Confirmed.can_move_to(S::Open));
    }

    #[test]
    fn read_only_statuses_refuse_everything() {
        let now = at(2026, 11, 10, 12, 0);
        for status in [S::Closed, S::Cancelled] {
            for t in [Transition::Confirmed, Transition::Closed, cancel("重複")] {
                assert_eq!(
                    check_transition(status, &t, 5, now),
                    Err(TransitionError::ReadOnly { status })
                );
            }
        }
    }

    #[test]
    fn skipping_steps_is_refused() {
        let now = at(2026, 11, 10, 12, 0);
        let err = check_transition(S::Open, &award("A社", 100), 3, now).unwrap_err();
        assert_eq!(
            err,
            TransitionError::NotAllowed {
                from: S::Open,
                to: S::Awarded
            }
        );
        assert_eq!(err.field(), None);
        assert_eq!(
            err.message(Lang::Ja),
            "「参加募集」から「契約」へは進められません。次に進めるのは「参加確定」、または中止です。"
        );
        assert_eq!(
            check_transition(S::Draft, &Transition::Confirmed, 3, now),
            Err(TransitionError::NotAllowed {
                from: S::Draft,
                to: S::Confirmed
            })
        );
    }

    #[test]
    fn opening_needs_an_ordered_future_window() {
        let now = at(2026, 11, 10, 12, 0);
        let open = |w: Window| Transition::Open { window: w };
        assert_eq!(check_transition(S::Draft, &open(window()), 0, now), Ok(()));
        // Opening in the future (scheduled call) is fine.
        let later = Window {
            opens_at: at(2026, 11, 20, 9, 0),
            ..window()
        };
        assert_eq!(check_transition(S::Draft, &open(later), 0, now), Ok(()));

        let reversed = Window {
            opens_at: window().closes_at,
            closes_at: window().opens_at,
        };
        let err = check_transition(S::Draft, &open(reversed), 0, now).unwrap_err();
        assert_eq!(err.field(), Some("closes_at"));
        assert_eq!(
            err.message(Lang::Ja),
            "募集締切（2026年11月1日 09:00）は募集開始（2026年12月3日 17:00）より後の日時にしてください。"
        );

        let past = Window {
            opens_at: at(2026, 10, 1, 9, 0),
            closes_at: at(2026, 11, 10, 12, 0),
        };
        let err = check_transition(S::Draft, &open(past), 0, now).unwrap_err();
        assert_eq!(
            err,
            TransitionError::WindowInPast {
                closes_at: past.closes_at
            }
        );
        assert_eq!(
            err.message(Lang::En),
            "The closing time (10 Nov 2026 12:00 JST) has already passed; choose a time in the future."
        );
    }

    #[test]
    fn confirming_needs_two_participants_and_may_end_the_call_early() {
        let now = at(2026, 11, 10, 12, 0);
        let err = check_transition(S::Open, &Transition::Confirmed, 1, now).unwrap_err();
        assert_eq!(err, TransitionError::TooFewParticipants { count: 1 });
        assert_eq!(
            err.message(Lang::Ja),
            "参加確定には2団体以上の参加が必要です（現在1団体）。"
        );
        // While the window is still open: allowed, and the window ends now.
        assert!(window().is_open(now));
        assert_eq!(
            check_transition(S::Open, &Transition::Confirmed, 2, now),
            Ok(())
        );
        let ended = window().ended_at(now);
        assert_eq!(
            ended,
            Window {
                opens_at: window().opens_at,
                closes_at: now
            }
        );
        assert!(!ended.is_open(now));
        // After the window closed: allowed, window unchanged.
        let after = at(2026, 12, 4, 9, 0);
        assert_eq!(
            check_transition(S::Open, &Transition::Confirmed, 2, after),
            Ok(())
        );
        assert_eq!(window().ended_at(after), window());
        // Before it opened: the ended window stays well-ordered.
        let before = at(2026, 10, 1, 0, 0);
        let early = window().ended_at(before);
        assert_eq!((early.opens_at, early.closes_at), (before, before));
    }

    #[test]
    fn awarding_needs_supplier_and_positive_amount() {
        let now = at(2027, 2, 1, 10, 0);
        assert_eq!(
            check_transition(S::Tendering, &award("株式会社テスト", 12_000_000), 3, now),
            Ok(())
        );
        assert_eq!(
            check_transition(S::Tendering, &award(" \u{3000} ", 1), 3, now),
            Err(TransitionError::SupplierBlank)
        );
        let long = "あ".repeat(201);
        let err = check_transition(S::Tendering, &award(&long, 1), 3, now).unwrap_err();
        assert_eq!(err, TransitionError::SupplierTooLong { length: 201 });
        assert_eq!(err.field(), Some("supplier"));
        assert_eq!(
            check_transition(S::Tendering, &award(&"あ".repeat(200), 1), 3, now),
            Ok(())
        );
        for bad in [0, -5, MAX_YEN + 1] {
            let err = check_transition(S::Tendering, &award("A社", bad), 3, now).unwrap_err();
            assert_eq!(err, TransitionError::AmountOutOfRange { amount_yen: bad });
            assert_eq!(err.field(), Some("amount_yen"));
        }
        assert_eq!(
            TransitionError::AmountOutOfRange { amount_yen: 0 }.message(Lang::Ja),
            "契約金額は1円以上10,000,000,000,000円以下で入力してください（入力値：0円）。"
        );
        assert_eq!(
            check_transition(S::Tendering, &award("A社", MAX_YEN), 3, now),
            Ok(())
        );
    }

    #[test]
    fn cancelling_needs_a_reason_from_any_non_final_status() {
        let now = at(2027, 2, 1, 10, 0);
        for status in S::ALL.into_iter().filter(|s| !s.is_read_only()) {
            assert_eq!(
                check_transition(status, &cancel("予算不成立のため"), 0, now),
                Ok(())
            );
            let err = check_transition(status, &cancel("  "), 0, now).unwrap_err();
            assert_eq!(err, TransitionError::ReasonBlank);
            assert_eq!(err.field(), Some("reason"));
        }
        let err = check_transition(S::Open, &cancel(&"x".repeat(2001)), 0, now).unwrap_err();
        assert_eq!(err, TransitionError::ReasonTooLong { length: 2001 });
        assert_eq!(
            err.to_string(),
            "The reason must be at most 2000 characters (now 2001)."
        );
    }

    #[test]
    fn transition_serde_uses_a_to_tag() {
        let t = award("A社", 1_200_000);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"to":"awarded","supplier":"A社","amount_yen":1200000}"#
        );
        assert_eq!(serde_json::from_str::<Transition>(&json).unwrap(), t);
        assert_eq!(
            serde_json::from_str::<Transition>(r#"{"to":"confirmed"}"#)
                .unwrap()
                .to(),
            S::Confirmed
        );
    }

    #[test]
    fn window_is_half_open() {
        let w = window();
        assert!(!w.is_open(w.opens_at - chrono::Duration::seconds(1)));
        assert!(w.is_open(w.opens_at));
        assert!(w.is_open(w.closes_at - chrono::Duration::seconds(1)));
        assert!(!w.is_open(w.closes_at));
    }

    #[test]
    fn days_left_counts_jst_calendar_days() {
        let w = window(); // closes 2026-12-03 17:00 JST
        assert_eq!(w.days_left(at(2026, 12, 3, 16, 59)), 0);
        assert_eq!(w.days_left(at(2026, 12, 2, 23, 59)), 1);
        // 2026-12-02 00:30 JST is still 12-01 in UTC; JST dates give 1 day, not 2.
        assert_eq!(w.days_left(at(2026, 12, 2, 0, 30)), 1);
        assert_eq!(w.days_left(at(2026, 11, 1, 9, 0)), 32);
        assert_eq!(w.days_left(at(2026, 12, 10, 9, 0)), 0);
    }

    #[test]
    fn fmt_jst_uses_plus_nine() {
        let utc = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap();
        assert_eq!(fmt_jst(utc, Lang::Ja), "2026年12月3日 17:00");
        assert_eq!(fmt_jst(utc, Lang::En), "3 Dec 2026 17:00 JST");
        // Crossing midnight: 2026-12-31 15:30 UTC is New Year's Day in Japan.
        let nye = Utc.with_ymd_and_hms(2026, 12, 31, 15, 30, 0).unwrap();
        assert_eq!(fmt_jst(nye, Lang::Ja), "2027年1月1日 00:30");
    }
}
