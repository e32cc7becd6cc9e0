//! 伴走支援 (accompanying support, issue #11 item 7): a case of several sessions between one
//! advisor and one municipality, with a goal and a status: 支援中 (active) → 完了 (completed:
//! the goal was reached) or 中止 (closed early). New sessions are booked only while it is active.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// Where a 伴走 case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngagementStatus {
    /// 支援中: sessions go on.
    Active,
    /// 完了: the goal was reached.
    Completed,
    /// 中止: ended before the goal.
    Closed,
}

impl EngagementStatus {
    /// Every status.
    pub const ALL: [EngagementStatus; 3] = [
        EngagementStatus::Active,
        EngagementStatus::Completed,
        EngagementStatus::Closed,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            EngagementStatus::Active => "active",
            EngagementStatus::Completed => "completed",
            EngagementStatus::Closed => "closed",
        }
    }

    /// The status of a stored code; `None` for anything else.
    pub fn from_code(code: &str) -> Option<EngagementStatus> {
        EngagementStatus::ALL
            .into_iter()
            .find(|s| s.code() == code.trim())
    }

    /// The label shown.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            EngagementStatus::Active => lang.pick("支援中", "Active"),
            EngagementStatus::Completed => lang.pick("完了", "Completed"),
            EngagementStatus::Closed => lang.pick("中止", "Closed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_nothing_else_reads() {
        for s in EngagementStatus::ALL {
            assert_eq!(EngagementStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(EngagementStatus::from_code("open"), None);
        assert_eq!(EngagementStatus::Active.label(Lang::Ja), "支援中");
    }
}
