//! A booking's lifecycle (issue #11, item 5): 申込 (requested) → 確定 (confirmed, by the
//! advisor or automatically) → 完了 (completed), or 取消 (cancelled, by either side, with a
//! reason) / 欠席 (no-show). Cancelling and rescheduling a confirmed session close a notice
//! window before it (e.g. 24 hours); a request not yet confirmed may be declined or withdrawn
//! until it starts, and confirmed only before it starts; completing and no-show come after its
//! start.

use crate::i18n::Lang;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// 申込: asked for, waiting for the advisor.
    Requested,
    /// 確定: the session will take place.
    Confirmed,
    /// 完了: it took place.
    Completed,
    /// 取消: cancelled by either side.
    Cancelled,
    /// 欠席: the municipal side did not come.
    NoShow,
}

impl BookingStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [BookingStatus; 5] = [
        BookingStatus::Requested,
        BookingStatus::Confirmed,
        BookingStatus::Completed,
        BookingStatus::Cancelled,
        BookingStatus::NoShow,
    ];

    /// The stored code (`requested`, …).
    pub fn code(self) -> &'static str {
        match self {
            BookingStatus::Requested => "requested",
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::Completed => "completed",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::NoShow => "no_show",
        }
    }

    /// The status of a stored code; `None` for anything else.
    pub fn from_code(code: &str) -> Option<BookingStatus> {
        BookingStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The label shown.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            BookingStatus::Requested => lang.pick("申込中", "Requested"),
            BookingStatus::Confirmed => lang.pick("確定", "Confirmed"),
            BookingStatus::Completed => lang.pick("完了", "Completed"),
            BookingStatus::Cancelled => lang.pick("取消", "Cancelled"),
            BookingStatus::NoShow => lang.pick("欠席", "No-show"),
        }
    }

    /// Whether the booking still holds the advisor's time (申込 and 確定).
    pub fn holds_time(self) -> bool {
        matches!(self, BookingStatus::Requested | BookingStatus::Confirmed)
    }
}

/// A change asked of a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingChange {
    /// The advisor confirms a request.
    Confirm,
    /// Either side cancels (a reason is required by the form).
    Cancel,
    /// Either side moves it to another slot.
    Reschedule,
    /// The advisor records that it took place.
    Complete,
    /// The advisor records that the municipal side did not come.
    NoShow,
}

/// Why a change is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BookingRuleError {
    /// The booking's status does not allow the change (e.g. completing a cancelled one).
    #[error("not allowed from {0:?}")]
    NotNow(BookingStatus),
    /// Cancelling or rescheduling within the notice window before the session.
    #[error("inside the notice window of {notice_hours} hours")]
    InsideNotice {
        /// The window, in hours.
        notice_hours: u32,
    },
    /// Completing or no-show before the session started.
    #[error("the session has not started")]
    NotStarted,
    /// Confirming (or withdrawing) a request whose time has come.
    #[error("the session time has passed")]
    Started,
}

impl BookingRuleError {
    /// The message shown, in `lang`.
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (BookingRuleError::NotNow(s), Lang::Ja) => {
                format!(
                    "この相談は「{}」のため、この操作はできません。",
                    s.label(lang)
                )
            }
            (BookingRuleError::NotNow(s), Lang::En) => {
                format!(
                    "This consultation is {}; that is no longer possible.",
                    s.label(lang).to_lowercase()
                )
            }
            (BookingRuleError::InsideNotice { notice_hours }, Lang::Ja) => format!(
                "開始{notice_hours}時間前を過ぎたため、取消・日時変更はできません。相談員に直接ご連絡ください。"
            ),
            (BookingRuleError::InsideNotice { notice_hours }, Lang::En) => format!(
                "Less than {notice_hours} hours before the session, it can no longer be cancelled or moved. Please contact the advisor directly."
            ),
            (BookingRuleError::NotStarted, Lang::Ja) => {
                "相談の開始前には記録できません。".to_owned()
            }
            (BookingRuleError::NotStarted, Lang::En) => {
                "This can be recorded only once the session has started.".to_owned()
            }
            (BookingRuleError::Started, Lang::Ja) => {
                "開始時刻を過ぎた申込は確定できません。".to_owned()
            }
            (BookingRuleError::Started, Lang::En) => {
                "A request whose start time has passed can no longer be confirmed.".to_owned()
            }
        }
    }
}

/// Checks `change` of a booking in `status` that starts at `start`, at `now`, with a notice
/// window of `notice_hours`; returns the status after it (a reschedule keeps the status).
pub fn check_change(
    status: BookingStatus,
    change: BookingChange,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    notice_hours: u32,
) -> Result<BookingStatus, BookingRuleError> {
    use BookingChange as C;
    use BookingStatus as S;
    let after = match (change, status) {
        (C::Confirm, S::Requested) => S::Confirmed,
        (C::Cancel, S::Requested | S::Confirmed) => S::Cancelled,
        (C::Reschedule, S::Requested | S::Confirmed) => status,
        (C::Complete, S::Confirmed) => S::Completed,
        (C::NoShow, S::Confirmed) => S::NoShow,
        _ => return Err(BookingRuleError::NotNow(status)),
    };
    let inside_notice = now + Duration::hours(i64::from(notice_hours)) > start;
    match change {
        // A request not yet confirmed may be declined (advisor) or withdrawn (requester) until
        // the session starts; the notice window protects confirmed sessions only.
        C::Cancel if status == S::Requested && now < start => Ok(after),
        C::Cancel | C::Reschedule if inside_notice => {
            Err(BookingRuleError::InsideNotice { notice_hours })
        }
        C::Confirm if now >= start => Err(BookingRuleError::Started),
        C::Complete | C::NoShow if now < start => Err(BookingRuleError::NotStarted),
        _ => Ok(after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BookingChange as C;
    use BookingStatus as S;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
    }

    #[test]
    fn the_lifecycle_moves_only_forward() {
        let start = at(10, 1);
        assert_eq!(
            check_change(S::Requested, C::Confirm, start, at(1, 0), 24),
            Ok(S::Confirmed)
        );
        assert_eq!(
            check_change(S::Confirmed, C::Complete, start, at(10, 2), 24),
            Ok(S::Completed)
        );
        assert_eq!(
            check_change(S::Confirmed, C::NoShow, start, at(10, 2), 24),
            Ok(S::NoShow)
        );
        assert_eq!(
            check_change(S::Requested, C::Reschedule, start, at(1, 0), 24),
            Ok(S::Requested)
        );
        for done in [S::Completed, S::Cancelled, S::NoShow] {
            for change in [C::Confirm, C::Cancel, C::Reschedule, C::Complete, C::NoShow] {
                assert_eq!(
                    check_change(done, change, start, at(1, 0), 24),
                    Err(BookingRuleError::NotNow(done))
                );
            }
        }
        assert_eq!(
            check_change(S::Requested, C::Complete, start, at(10, 2), 24),
            Err(BookingRuleError::NotNow(S::Requested))
        );
    }

    #[test]
    fn cancelling_closes_at_the_notice_window_and_recording_opens_at_the_start() {
        let start = at(10, 1);
        assert_eq!(
            check_change(S::Confirmed, C::Cancel, start, at(9, 1), 24),
            Ok(S::Cancelled),
            "exactly 24 h before"
        );
        assert_eq!(
            check_change(S::Confirmed, C::Cancel, start, at(9, 2), 24),
            Err(BookingRuleError::InsideNotice { notice_hours: 24 })
        );
        assert_eq!(
            check_change(S::Requested, C::Reschedule, start, at(10, 0), 24),
            Err(BookingRuleError::InsideNotice { notice_hours: 24 })
        );
        assert_eq!(
            check_change(S::Confirmed, C::Complete, start, at(10, 0), 24),
            Err(BookingRuleError::NotStarted)
        );
        let message = BookingRuleError::InsideNotice { notice_hours: 24 }.message(Lang::Ja);
        assert!(message.contains("24時間前"), "{message}");
    }

    #[test]
    fn a_request_may_be_declined_until_it_starts_and_confirmed_only_before() {
        let start = at(10, 1);
        assert_eq!(
            check_change(S::Requested, C::Cancel, start, at(10, 0), 24),
            Ok(S::Cancelled)
        );
        assert_eq!(
            check_change(S::Requested, C::Cancel, start, at(10, 1), 24),
            Err(BookingRuleError::InsideNotice { notice_hours: 24 })
        );
        assert_eq!(
            check_change(S::Requested, C::Confirm, start, at(10, 2), 24),
            Err(BookingRuleError::Started)
        );
        assert!(
            BookingRuleError::Started
                .message(Lang::En)
                .contains("confirmed")
        );
    }

    #[test]
    fn codes_round_trip() {
        for s in BookingStatus::ALL {
            assert_eq!(BookingStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(BookingStatus::from_code("done"), None);
        assert!(
            S::Requested.holds_time() && S::Confirmed.holds_time() && !S::Cancelled.holds_time()
        );
    }
}
