//! Posts and their rules.

use serde::{Deserialize, Serialize};

/// Longest post body, in characters (Unicode scalar values, after NFC).
pub const BODY_MAX_CHARS: usize = 10_000;

/// One post of a thread, oldest first in its thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// Post key (the page anchors it as `#comment-<id>`).
    pub id: crate::ids::PostId,
    /// Author's user key.
    pub author_id: crate::ids::UserId,
    /// Author (Japanese name).
    pub author_name_ja: String,
    /// Author (English name).
    pub author_name_en: String,
    /// Author's organisation (Japanese).
    pub author_org_ja: String,
    /// Author's organisation (English).
    pub author_org_en: String,
    /// When it was posted (UTC).
    pub at: crate::ids::Timestamp,
    /// The Markdown source (the latest version).
    pub body: String,
    /// The body rendered and sanitized (filled in by the server).
    #[serde(default)]
    pub body_html: String,
    /// The post this one answers (same thread), if any.
    #[serde(default)]
    pub reply_to: Option<crate::ids::PostId>,
    /// When it was last edited (UTC); `None` when never.
    #[serde(default)]
    pub edited_at: Option<crate::ids::Timestamp>,
    /// Earlier versions, oldest first.
    #[serde(default)]
    pub revisions: Vec<Revision>,
    /// When a question (a post answering none) was marked answered (UTC); `None` while open.
    #[serde(default)]
    pub answered_at: Option<crate::ids::Timestamp>,
}

/// An earlier version of an edited post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// The Markdown source of that version.
    pub body: String,
    /// When that version was written (UTC).
    pub at: crate::ids::Timestamp,
}

/// Why a post body is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyProblem {
    /// Nothing shows once rendered (only spaces, zero-width characters or removed markup).
    Blank,
    /// Longer than [`BODY_MAX_CHARS`]; `length` is its length.
    TooLong { length: usize },
}

/// Checks a post body (already NFC and cleaned): at most [`BODY_MAX_CHARS`] long, and
/// showing some text once rendered (`blank` tells, from the Markdown renderer; the caller
/// renders only a body within the limit).
pub fn check_body(body: &str, blank: bool) -> Result<(), BodyProblem> {
    let length = body.chars().count();
    if length > BODY_MAX_CHARS {
        Err(BodyProblem::TooLong { length })
    } else if blank {
        Err(BodyProblem::Blank)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_shows_text_and_fits() {
        assert_eq!(check_body("質問です", false), Ok(()));
        assert_eq!(check_body("", true), Err(BodyProblem::Blank));
        let long = "あ".repeat(BODY_MAX_CHARS + 1);
        assert_eq!(
            check_body(&long, false),
            Err(BodyProblem::TooLong {
                length: BODY_MAX_CHARS + 1
            })
        );
        assert_eq!(check_body(&"あ".repeat(BODY_MAX_CHARS), false), Ok(()));
    }
}
