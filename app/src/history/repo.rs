//! History in the database (ssr only): SurrealQL only, no user-facing text.

use super::model::HistoryEntry;
use crate::db::{Db, DbError, rows};

/// The statement that writes one history entry inside a room's write transaction. Each
/// argument is a SurrealQL expression from the room's own query (never user input; values
/// come in bound parameters): `subject` a string (`string::concat('migration_progress:',
/// $p.key)`), `actor` an optional `app_user` record, `source` a string, `changes` an array of
/// `{ field, before, after }`.
pub fn create_entry(subject: &str, actor: &str, source: &str, changes: &str) -> String {
    format!(
        "CREATE history CONTENT {{ subject: {subject}, actor: {actor}, source: {source}, changes: {changes} }};"
    )
}

/// The history of one subject, newest first (at most 200 entries).
pub async fn entries(db: &Db, subject: &str) -> Result<Vec<HistoryEntry>, DbError> {
    let mut response = db
        .query(
            "SELECT <string> at AS at, actor.name_ja AS actor_name_ja, actor.name_en AS actor_name_en,
                source, changes, at AS sort_at
             FROM history WHERE subject = $subject ORDER BY sort_at DESC LIMIT 200",
        )
        .bind(("subject", subject.to_owned()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_entry_statement_names_its_expressions() {
        assert_eq!(
            super::create_entry("$s", "$actor", "'form'", "$changes"),
            "CREATE history CONTENT { subject: $s, actor: $actor, source: 'form', changes: $changes };"
        );
    }
}
