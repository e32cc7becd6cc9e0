//! Server-side sessions: a tower-sessions store in SurrealDB.
//!
//! The cookie (`kyodo_session`, HttpOnly, SameSite=Lax, Secure over https) holds only the
//! session id; the record (`session:<id>`) holds the user key. Expired records are never
//! loaded and are removed by [`SurrealSessionStore::delete_expired`] at start-up.

use crate::db::{Db, first};
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "kyodo_session";

/// Idle timeout of a session: 8 hours (a working day).
pub const SESSION_IDLE_HOURS: i64 = 8;

/// Absolute lifetime of a sign-in, however active: 12 hours, then sign in again.
pub const SESSION_ABSOLUTE_HOURS: i64 = 12;
/// Session key holding the signed-in user's record key.
pub const USER_KEY: &str = "user_id";
/// Session key holding the 10-minute period of the last request; writing it when it changes
/// moves the inactivity expiry without saving the session on every request.
pub const SEEN_KEY: &str = "seen_period";

/// Session key holding the sign-in time (Unix seconds, UTC), for the absolute timeout.
pub const SIGNED_IN_AT_KEY: &str = "signed_in_at";

/// Starts a signed-in session for `user_id`, whatever the sign-in method: a new session id
/// (no fixation), the user's key and the sign-in time for the absolute timeout.
pub async fn begin(
    session: &tower_sessions::Session,
    user_id: String,
) -> Result<(), tower_sessions::session::Error> {
    session.cycle_id().await?;
    session.insert(USER_KEY, user_id).await?;
    session
        .insert(
            SIGNED_IN_AT_KEY,
            time::OffsetDateTime::now_utc().unix_timestamp(),
        )
        .await
}

/// tower-sessions store backed by the `session` table.
#[derive(Clone)]
pub struct SurrealSessionStore {
    db: Db,
}

impl std::fmt::Debug for SurrealSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SurrealSessionStore")
    }
}

impl SurrealSessionStore {
    /// A store on `db` (schema already applied).
    pub fn new(db: Db) -> Self {
        SurrealSessionStore { db }
    }

    /// Deletes every session of a user ("sign out everywhere", disabled accounts).
    pub async fn delete_user_sessions(db: &Db, user_id: &crate::ids::UserId) -> anyhow::Result<()> {
        db.query("DELETE session WHERE user_id = $user")
            .bind(("user", user_id.to_string()))
            .await?
            .check()?;
        Ok(())
    }

    /// Removes expired sessions; returns nothing on success.
    pub async fn delete_expired(&self) -> anyhow::Result<()> {
        self.db
            .query("DELETE session WHERE expires_at < $now")
            .bind(("now", time::OffsetDateTime::now_utc().unix_timestamp()))
            .await?
            .check()?;
        Ok(())
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

/// Writes a session record: `CREATE` for a new session (never over an existing record),
/// `UPDATE` for a known one, which writes nothing when the record was deleted meanwhile
/// ("sign out everywhere", a disabled account), so that a request still in flight cannot bring
/// a deleted session back.
const CREATE_SESSION: &str =
    "CREATE type::record('session', $id) CONTENT { data: $data, expires_at: $exp, user_id: $user }";
const UPDATE_SESSION: &str =
    "UPDATE type::record('session', $id) CONTENT { data: $data, expires_at: $exp, user_id: $user }";

impl SurrealSessionStore {
    /// Runs [`CREATE_SESSION`] or [`UPDATE_SESSION`] for `record`. Requests of one session can
    /// save it at the same moment; SurrealDB then refuses one of the transactions (write
    /// conflict): an update is tried again a few times before giving up. A create is not
    /// retried (the caller picks a new id when the id is taken).
    async fn write(&self, query: &'static str, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let user = record
            .data
            .get(USER_KEY)
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        let mut attempt = 0;
        loop {
            let result = self
                .db
                .query(query)
                .bind(("id", record.id.to_string()))
                .bind(("data", data.clone()))
                .bind(("user", user.clone()))
                .bind(("exp", record.expiry_date.unix_timestamp()))
                .await
                .and_then(|r| r.check());
            match result {
                Ok(_) => return Ok(()),
                Err(e) if query == UPDATE_SESSION && attempt < 5 => {
                    attempt += 1;
                    tracing::debug!(error = %e, attempt, "session save retried");
                    tokio::time::sleep(std::time::Duration::from_millis(5 * attempt)).await;
                }
                Err(e) => return Err(backend(e)),
            }
        }
    }
}

#[async_trait]
impl SessionStore for SurrealSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh id is 128 random bits; still, never overwrite an existing record: CREATE
        // fails on a taken id, and a new id is drawn.
        let mut attempt = 0;
        loop {
            match self.write(CREATE_SESSION, record).await {
                Err(_) if attempt < 3 => {
                    attempt += 1;
                    record.id = Id::default();
                }
                other => return other,
            }
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.write(UPDATE_SESSION, record).await
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let data: Option<String> = first(
            self.db
                .query("SELECT VALUE data FROM ONLY type::record('session', $id) WHERE expires_at > $now")
                .bind(("id", id.to_string()))
                .bind(("now", time::OffsetDateTime::now_utc().unix_timestamp()))
                .await
                .map_err(backend)?
                .check()
                .map_err(backend)?,
        )
        .map_err(backend)?;
        data.map(|d| {
            serde_json::from_str(&d).map_err(|e| session_store::Error::Decode(e.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.db
            .query("DELETE type::record('session', $id)")
            .bind(("id", id.to_string()))
            .await
            .map_err(backend)?
            .check()
            .map_err(backend)?;
        Ok(())
    }
}
