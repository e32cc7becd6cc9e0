//! The notice: what a room tells a user, and how the inbox shows it.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// Grapheme clusters (user-perceived characters) of a notice's excerpt shown in the inbox.
pub const EXCERPT_CLUSTERS: usize = 80;

/// Code points of the excerpt a room stores with a notice: 80 clusters fit in 1,000 unless
/// they average more than 12 code points each; one more tells that the text goes on.
pub const EXCERPT_STORED: usize = 1_001;

/// A notice a room writes for its recipients (the same for each of them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    /// What happened, a stable code per room: `step_comment`.
    pub kind: String,
    /// The room's key of what it is about: `migration_progress:131164_1:5` (record and step).
    pub subject: String,
    /// Where to look, a path in Kyodo: `/standardization/records/131164/1/steps/5`.
    pub link: String,
    /// The sentence in Japanese: `山田 太郎さんが豊島区・住民基本台帳の手順5にコメントしました`.
    pub text_ja: String,
    /// The sentence in English: `Taro Yamada commented on step 5 of Toshima · Resident registry`.
    pub text_en: String,
    /// The start of the text that caused it (the comment), at most [`EXCERPT_STORED`] code
    /// points; empty when there is none.
    pub excerpt: String,
    /// The group the daily digest files it under (a council workspace); `None`: "other".
    #[serde(default)]
    pub group: Option<NoticeGroup>,
}

/// A heading of the daily digest: a council workspace's key and names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NoticeGroup {
    /// Stable key (the workspace's).
    pub key: String,
    /// Name (Japanese).
    pub ja: String,
    /// Name (English).
    pub en: String,
}

impl Notice {
    /// A notice with `excerpt` cut to the [`EXCERPT_STORED`] code points that are stored.
    pub fn new(
        kind: &str,
        subject: String,
        link: String,
        (text_ja, text_en): (String, String),
        excerpt: &str,
    ) -> Notice {
        Notice {
            kind: kind.to_owned(),
            subject,
            link,
            text_ja,
            text_en,
            excerpt: excerpt.chars().take(EXCERPT_STORED).collect(),
            group: None,
        }
    }

    /// This notice filed under `group` in the daily digest.
    pub fn in_group(mut self, group: NoticeGroup) -> Notice {
        self.group = Some(group);
        self
    }
}

/// One notice in the inbox (newest first), as `/api/list_notifications` sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxItem {
    /// Notice key.
    pub id: crate::ids::NoticeId,
    /// What happened ([`Notice::kind`]).
    pub kind: String,
    /// What it is about ([`Notice::subject`]).
    pub subject: String,
    /// Where to look ([`Notice::link`]).
    pub link: String,
    /// The sentence in Japanese.
    pub text_ja: String,
    /// The sentence in English.
    pub text_en: String,
    /// The cause's start: at most [`EXCERPT_CLUSTERS`] grapheme clusters, ending in `…` when cut.
    pub excerpt: String,
    /// When (UTC).
    pub at: crate::ids::Timestamp,
    /// Already seen.
    pub read: bool,
}

impl InboxItem {
    /// The sentence in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.text_ja, &self.text_en)
    }
}
