//! A municipality's participation in a joint project, and when it may join, change or
//! withdraw (`check_join`, `check_withdraw`).

use super::lifecycle::{ProjectStatus, Window, fmt_jst};
use crate::i18n::Lang;
use chrono::{DateTime, Utc};

/// Smallest quantity a municipality may request.
pub const MIN_QUANTITY: u32 = 1;
/// Largest quantity a municipality may request (licences, devices, staff-hours, …).
pub const MAX_QUANTITY: u32 = 1_000_000;
/// Longest participation note, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// Why joining, changing or withdrawing was refused. `message(lang)` is the text for
/// people; `field()` names the form field to mark, if any. `Display` is the English message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum JoinError {
    /// The project is not Open (参加募集).
    NotOpen {
        /// Current status.
        status: ProjectStatus,
    },
    /// The project is Open but has no window recorded (inconsistent data; refuse).
    NoWindow,
    /// The window has not started yet (server time).
    NotYetOpen {
        /// When it opens.
        opens_at: DateTime<Utc>,
    },
    /// The window has closed (server time).
    WindowClosed {
        /// When it closed.
        closes_at: DateTime<Utc>,
    },
    /// Quantity outside `MIN_QUANTITY ..= MAX_QUANTITY` (field `quantity`).
    QuantityOutOfRange {
        /// Quantity given.
        quantity: u32,
    },
    /// Note longer than [`MAX_NOTE_CHARS`] (field `note`).
    NoteTooLong {
        /// Characters given (trimmed).
        length: usize,
    },
}

impl JoinError {
    /// The request field at fault (`quantity`, `note`), if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            JoinError::QuantityOutOfRange { .. } => Some("quantity"),
            JoinError::NoteTooLong { .. } => Some("note"),
            _ => None,
        }
    }

    /// The message shown to people, in `lang`; instants are shown in JST.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            JoinError::NotOpen { status } => {
                let (open, now) = (ProjectStatus::Open.label(lang), status.label(lang));
                if ja {
                    format!(
                        "参加の申込み・変更・取下げは「{open}」の間だけできます（現在：「{now}」）。"
                    )
                } else {
                    format!(
                        "Participation can only be added, changed or withdrawn while the project is “{open}” (now: “{now}”)."
                    )
                }
            }
            JoinError::NoWindow => lang
                .pick(
                    "募集期間が設定されていません。",
                    "No participation window has been set.",
                )
                .to_owned(),
            JoinError::NotYetOpen { opens_at } => {
                let t = fmt_jst(*opens_at, lang);
                if ja {
                    format!("参加募集は{t}に始まります。")
                } else {
                    format!("The call for participation opens on {t}.")
                }
            }
            JoinError::WindowClosed { closes_at } => {
                let t = fmt_jst(*closes_at, lang);
                if ja {
                    format!("参加募集は{t}に締め切られました。")
                } else {
                    format!("The call for participation closed on {t}.")
                }
            }
            JoinError::QuantityOutOfRange { quantity } => {
                if ja {
                    format!("数量は1以上1,000,000以下で入力してください（入力値：{quantity}）。")
                } else {
                    format!("The quantity must be between 1 and 1,000,000 (got {quantity}).")
                }
            }
            JoinError::NoteTooLong { length } => {
                if ja {
                    format!(
                        "備考は{MAX_NOTE_CHARS}文字以内で入力してください（現在{length}文字）。"
                    )
                } else {
                    format!("The note must be at most {MAX_NOTE_CHARS} characters (now {length}).")
                }
            }
        }
    }
}

/// Checks that participation may be withdrawn (or, via [`check_join`], added or changed) now:
/// the project is Open and `window` is open at server time `now`
/// (`opens_at <= now < closes_at`).
pub fn check_withdraw(
    status: ProjectStatus,
    window: Option<Window>,
    now: DateTime<Utc>,
) -> Result<(), JoinError> {
    if status != ProjectStatus::Open {
        return Err(JoinError::NotOpen { status });
    }
    let window = window.ok_or(JoinError::NoWindow)?;
    if now < window.opens_at {
        return Err(JoinError::NotYetOpen {
            opens_at: window.opens_at,
        });
    }
    if now >= window.closes_at {
        return Err(JoinError::WindowClosed {
            closes_at: window.closes_at,
        });
    }
    Ok(())
}

/// Checks joining or changing a participation at server time `now`: the timing rules of
/// [`check_withdraw`], then `quantity` in `1 ..= 1_000_000` and `note` (trimmed) at most
/// 2000 characters.
pub fn check_join(
    status: ProjectStatus,
    window: Option<Window>,
    now: DateTime<Utc>,
    quantity: u32,
    note: Option<&str>,
) -> Result<(), JoinError> {
    check_withdraw(status, window, now)?;
    if !(MIN_QUANTITY..=MAX_QUANTITY).contains(&quantity) {
        return Err(JoinError::QuantityOutOfRange { quantity });
    }
    let length = note.map_or(0, |n| n.trim().chars().count());
    if length > MAX_NOTE_CHARS {
        return Err(JoinError::NoteTooLong { length });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::lifecycle::tests::{at, window};
    use super::*;

    const OPEN: ProjectStatus = ProjectStatus::Open;

    #[test]
    fn joins_while_open_within_the_window() {
        let now = at(2026, 11, 15, 10, 0);
        assert_eq!(
            check_join(OPEN, Some(window()), now, 120, Some("庁内LAN端末分")),
            Ok(())
        );
        assert_eq!(
            check_join(OPEN, Some(window()), window().opens_at, 1, None),
            Ok(())
        );
        assert_eq!(check_withdraw(OPEN, Some(window()), now), Ok(()));
    }

    #[test]
    fn refused_outside_open_status() {
        let now = at(2026, 11, 15, 10, 0);
        for status in ProjectStatus::ALL.into_iter().filter(|s| *s != OPEN) {
            assert_eq!(
                check_join(status, Some(window()), now, 1, None),
                Err(JoinError::NotOpen { status })
            );
            assert_eq!(
                check_withdraw(status, Some(window()), now),
                Err(JoinError::NotOpen { status })
            );
        }
        assert_eq!(
            JoinError::NotOpen {
                status: ProjectStatus::Confirmed
            }
            .message(Lang::Ja),
            "参加の申込み・変更・取下げは「参加募集」の間だけできます（現在：「参加確定」）。"
        );
        assert_eq!(
            check_join(OPEN, None, now, 1, None),
            Err(JoinError::NoWindow)
        );
    }

    #[test]
    fn refused_outside_the_window_with_the_instant_in_jst() {
        let err = check_join(OPEN, Some(window()), window().closes_at, 1, None).unwrap_err();
        assert_eq!(
            err,
            JoinError::WindowClosed {
                closes_at: window().closes_at
            }
        );
        assert_eq!(
            err.message(Lang::Ja),
            "参加募集は2026年12月3日 17:00に締め切られました。"
        );
        assert_eq!(
            err.message(Lang::En),
            "The call for participation closed on 3 Dec 2026 17:00 JST."
        );
        assert_eq!(err.field(), None);

        let early = at(2026, 10, 31, 23, 59);
        let err = check_withdraw(OPEN, Some(window()), early).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The call for participation opens on 1 Nov 2026 09:00 JST."
        );
    }

    #[test]
    fn quantity_and_note_limits() {
        let now = at(2026, 11, 15, 10, 0);
        let w = Some(window());
        for q in [0, MAX_QUANTITY + 1] {
            let err = check_join(OPEN, w, now, q, None).unwrap_err();
            assert_eq!(err, JoinError::QuantityOutOfRange { quantity: q });
            assert_eq!(err.field(), Some("quantity"));
        }
        assert_eq!(check_join(OPEN, w, now, MAX_QUANTITY, None), Ok(()));
        let note = "備".repeat(2000);
        assert_eq!(check_join(OPEN, w, now, 1, Some(&note)), Ok(()));
        let note = "備".repeat(2001);
        let err = check_join(OPEN, w, now, 1, Some(&note)).unwrap_err();
        assert_eq!(err, JoinError::NoteTooLong { length: 2001 });
        assert_eq!(err.field(), Some("note"));
        // The window is checked before the data.
        assert_eq!(
            check_join(OPEN, w, window().closes_at, 0, None),
            Err(JoinError::WindowClosed {
                closes_at: window().closes_at
            })
        );
    }
}
