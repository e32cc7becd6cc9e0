//! Threads in the database (ssr only): SurrealQL only, no user-facing text.

use super::model::Post;
use crate::db::{Db, DbError, first, rows};
use serde::Deserialize;

/// A post to store.
pub struct NewPost<'a> {
    /// Its key (random, chosen by the caller so that the redirect can point at it).
    pub id: &'a str,
    /// The thread's subject (`migration_progress:<key>:<step>`).
    pub subject: &'a str,
    /// Author's user key.
    pub author_id: &'a crate::ids::UserId,
    /// Markdown source, checked ([`super::model::check_body`]).
    pub body: &'a str,
    /// The post it answers, in the same thread (checked by the caller).
    pub reply_to: Option<&'a crate::ids::PostId>,
}

/// A thread's posts, oldest first, each with its earlier versions (bodies not yet rendered).
pub async fn posts(db: &Db, subject: &str) -> Result<Vec<Post>, DbError> {
    let mut response = db
        .query(
            "SELECT record::id(id) AS id, record::id(author) AS author_id,
                author.name_ja AS author_name_ja, author.name_en AS author_name_en,
                author.organisation.name_ja AS author_org_ja,
                author.organisation.name_en AS author_org_en, <string> at AS at, body,
                IF reply_to = NONE { NONE } ELSE { record::id(reply_to) } AS reply_to,
                IF edited_at = NONE { NONE } ELSE { <string> edited_at } AS edited_at,
                IF answered_at = NONE { NONE } ELSE { <string> answered_at } AS answered_at,
                (SELECT body, <string> at AS at, at AS sort_at FROM post_revision
                    WHERE post = $parent.id ORDER BY sort_at) AS revisions,
                at AS sort_at
             FROM post WHERE subject = $subject ORDER BY sort_at",
        )
        .bind(("subject", subject.to_owned()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

#[derive(Deserialize)]
struct CountRow {
    subject: String,
    n: u32,
}

/// Posts per thread among the subjects that start with `prefix`: (subject, count), threads
/// without posts left out.
pub async fn counts(db: &Db, prefix: &str) -> Result<Vec<(String, u32)>, DbError> {
    let mut response = db
        .query(
            "SELECT subject, count() AS n FROM post
             WHERE string::starts_with(subject, $prefix) GROUP BY subject",
        )
        .bind(("prefix", prefix.to_owned()))
        .await?
        .check()?;
    let counts: Vec<CountRow> = rows(&mut response, 0)?;
    Ok(counts.into_iter().map(|c| (c.subject, c.n)).collect())
}

/// Everyone who wrote in a thread (user keys, each once).
pub async fn participants(db: &Db, subject: &str) -> Result<Vec<String>, DbError> {
    let mut response = db
        .query("SELECT VALUE record::id(author) FROM post WHERE subject = $subject")
        .bind(("subject", subject.to_owned()))
        .await?
        .check()?;
    let mut ids: Vec<String> = response.take(0)?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// A post's thread subject and author key; `None` when there is no such post.
pub async fn post_owner(
    db: &Db,
    id: &crate::ids::PostId,
) -> Result<Option<(String, crate::ids::UserId)>, DbError> {
    #[derive(Deserialize)]
    struct Owner {
        subject: String,
        author_id: crate::ids::UserId,
    }
    let owner: Option<Owner> = first(
        db.query(
            "SELECT subject, record::id(author) AS author_id FROM ONLY type::record('post', $id)",
        )
        .bind(("id", id.to_string()))
        .await?
        .check()?,
    )?;
    Ok(owner.map(|o| (o.subject, o.author_id)))
}

/// Marks question `id` of thread `subject` answered (`answered`) or open again, recording who
/// and when. Returns `false` (nothing written) when `id` is not a post of `subject` or is a
/// reply (only questions are marked).
pub async fn mark_answered(
    db: &Db,
    subject: &str,
    id: &crate::ids::PostId,
    answered: bool,
    actor: &crate::ids::UserId,
) -> Result<bool, DbError> {
    let mut response = db
        .query(
            "UPDATE type::record('post', $id) SET
                answered_at = IF $answered { time::now() } ELSE { NONE },
                answered_by = IF $answered { type::record('app_user', $actor) } ELSE { NONE }
             WHERE subject = $subject AND reply_to = NONE RETURN VALUE record::id(id)",
        )
        .bind(("id", id.to_string()))
        .bind(("subject", subject.to_owned()))
        .bind(("answered", answered))
        .bind(("actor", actor.to_string()))
        .await?
        .check()?;
    let updated: Vec<String> = response.take(0)?;
    Ok(!updated.is_empty())
}

/// Adds a post and its notice to each recipient in one transaction
/// ([`crate::notifications::repo::CREATE_NOTICES`]).
pub async fn add_post(
    db: &Db,
    post: NewPost<'_>,
    notice: &crate::notifications::model::Notice,
    recipients: &[crate::ids::UserId],
) -> Result<(), DbError> {
    use crate::notifications::repo::{CREATE_NOTICES, notice_bindings};
    let (notice, recipients) = notice_bindings(notice, recipients);
    db.query(format!(
        "BEGIN TRANSACTION;
         {CREATE_POST}
         {CREATE_NOTICES}
         COMMIT TRANSACTION;"
    ))
    .bind(("id", post.id.to_owned()))
    .bind(("subject", post.subject.to_owned()))
    .bind(("author", post.author_id.to_string()))
    .bind(("body", post.body.to_owned()))
    .bind(("reply_to", post.reply_to.map(crate::ids::PostId::to_string)))
    .bind(notice)
    .bind(recipients)
    .await?
    .check()?;
    Ok(())
}

/// The statement that creates a post inside a room's transaction, from the bindings `$id`,
/// `$subject`, `$author` (user key), `$body` and `$reply_to` (a post key or NONE).
pub const CREATE_POST: &str = "CREATE type::record('post', $id) CONTENT {
    subject: $subject, author: type::record('app_user', $author), body: $body,
    reply_to: IF $reply_to = NONE { NONE } ELSE { type::record('post', $reply_to) }
};";

/// Replaces a post's body, keeping the version it replaces (with the instant it was written)
/// in one transaction. The caller has checked that the editor is the author. Returns `false`
/// when another edit of the same post was committed meanwhile (nothing written: edit again).
pub async fn edit_post(db: &Db, id: &crate::ids::PostId, body: &str) -> Result<bool, DbError> {
    let response = db
        .query(
            "BEGIN TRANSACTION;
             LET $p = type::record('post', $id);
             CREATE post_revision CONTENT { post: $p, body: $p.body, at: $p.edited_at ?? $p.at };
             UPDATE $p SET body = $body, edited_at = time::now();
             COMMIT TRANSACTION;",
        )
        .bind(("id", id.to_string()))
        .bind(("body", body.to_owned()))
        .await?;
    match crate::db::transaction_outcome(response) {
        Ok(()) => Ok(true),
        Err(DbError::Conflict | DbError::LostRace) => Ok(false),
        Err(e) => Err(e),
    }
}
