//! The inbox in the database (ssr only): SurrealQL only, no user-facing text.

use super::model::{EXCERPT_CLUSTERS, EXCERPT_STORED, InboxItem};
use crate::db::{Db, DbError, first, rows};

/// The statement a room puts inside its own write transaction to notify: creates one notice
/// per key in `$notice_recipients` (app_user keys) from `$notice` (a
/// [`super::model::Notice`]), so that the cause and its notices are written together or not
/// at all. Bind both with [`notice_bindings`].
pub const CREATE_NOTICES: &str = "FOR $r IN $notice_recipients {
    CREATE notice CONTENT {
        recipient: type::record('app_user', $r), kind: $notice.kind, subject: $notice.subject,
        link: $notice.link, text_ja: $notice.text_ja, text_en: $notice.text_en,
        excerpt: $notice.excerpt, group_key: $notice.group.key, group_ja: $notice.group.ja,
        group_en: $notice.group.en
    };
};";

/// The two bindings of [`CREATE_NOTICES`]: `query.bind(notice).bind(recipients)`.
pub fn notice_bindings(
    notice: &super::model::Notice,
    recipients: &[crate::ids::UserId],
) -> (
    (&'static str, serde_json::Value),
    (&'static str, Vec<String>),
) {
    (
        ("notice", crate::db::to_value(notice)),
        (
            "notice_recipients",
            recipients.iter().map(ToString::to_string).collect(),
        ),
    )
}

/// The binding `$notice_sets` of a room's statement that sends several notices in one write
/// (e.g. "you were mentioned" to some and "a new reply" to others, each person once): each
/// notice with its recipients (user keys), as `[{ notice, recipients }]`.
pub fn notice_sets_binding(
    sets: &[(super::model::Notice, Vec<crate::ids::UserId>)],
) -> (&'static str, serde_json::Value) {
    let sets: Vec<serde_json::Value> = sets
        .iter()
        .map(|(notice, recipients)| {
            serde_json::json!({
                "notice": crate::db::to_value(notice),
                "recipients": recipients.iter().map(ToString::to_string).collect::<Vec<_>>(),
            })
        })
        .collect();
    ("notice_sets", serde_json::Value::Array(sets))
}

/// A user's notices, newest first (at most 100), each excerpt cut to [`EXCERPT_CLUSTERS`]
/// grapheme clusters, ending in `…` when cut.
pub async fn inbox(db: &Db, user_id: &crate::ids::UserId) -> Result<Vec<InboxItem>, DbError> {
    let mut response = db
        .query(
            "SELECT record::id(id) AS id, kind, subject, link, text_ja, text_en, excerpt,
                <string> at AS at, read, at AS sort_at
             FROM notice WHERE recipient = type::record('app_user', $user)
             ORDER BY sort_at DESC LIMIT 100",
        )
        .bind(("user", user_id.to_string()))
        .await?
        .check()?;
    let mut items: Vec<InboxItem> = rows(&mut response, 0)?;
    for item in &mut items {
        let more = item.excerpt.chars().count() >= EXCERPT_STORED;
        item.excerpt = crate::text::excerpt(&item.excerpt, more, EXCERPT_CLUSTERS);
    }
    Ok(items)
}

/// Number of a user's unread notices.
pub async fn unread_count(db: &Db, user_id: &crate::ids::UserId) -> Result<u32, DbError> {
    let n: Option<u32> = first(
        db.query("RETURN count(SELECT VALUE id FROM notice WHERE recipient = type::record('app_user', $user) AND read = false)")
            .bind(("user", user_id.to_string()))
            .await?
            .check()?,
    )?;
    Ok(n.unwrap_or(0))
}

/// Marks a user's notices read up to `up_to` (the newest one the user was shown),
/// so that one arriving after the page was rendered stays unread. Returns how many were
/// marked.
pub async fn mark_read(
    db: &Db,
    user_id: &crate::ids::UserId,
    up_to: crate::ids::Timestamp,
) -> Result<usize, DbError> {
    let mut response = db
        .query(
            "UPDATE notice SET read = true
             WHERE recipient = type::record('app_user', $user) AND read = false
                AND at <= <datetime> $up_to
             RETURN VALUE true;",
        )
        .bind(("user", user_id.to_string()))
        .bind(("up_to", up_to.rfc3339()))
        .await?
        .check()?;
    let marked: Vec<bool> = response.take(0)?;
    Ok(marked.len())
}
