//! Identifiers and instants (layer 0, imports nothing from the crate).
//!
//! Each kind of record key has its own type, so that a post key cannot be passed where a user
//! key is meant; on the wire and in the database each is the plain key string (serde
//! `transparent`). [`Timestamp`] is a UTC instant, shown in Japan time.

use serde::{Deserialize, Serialize};

/// Defines a record-key newtype: `transparent` serde, `Display`, `as_str`, and `From<String>`.
macro_rules! record_key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The key as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// A key sent by a client (a form field, a path segment): trimmed, 1–64 ASCII
            /// letters, digits or `_`; `None` otherwise (a key the database cannot hold, which
            /// the caller answers as not found).
            pub fn parse(text: &str) -> Option<Self> {
                let key = text.trim();
                let valid = (1..=64).contains(&key.len())
                    && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
                valid.then(|| $name(key.to_owned()))
            }
        }

        impl From<String> for $name {
            fn from(key: String) -> Self {
                $name(key)
            }
        }

        impl From<&str> for $name {
            fn from(key: &str) -> Self {
                $name(key.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }
    };
}

record_key!(
    /// An account's key in `app_user` (a demo persona's key, or `oidc_…` for a signed-in
    /// identity).
    UserId
);
record_key!(
    /// A post's key in `post` (24 hex digits; the page anchors it as `#comment-<id>`).
    PostId
);
record_key!(
    /// A stored file's key in `attachment` (24 hex digits; downloaded at `/attachments/<id>`).
    AttachmentId
);
record_key!(
    /// A notice's key in `notice`.
    NoticeId
);
record_key!(
    /// A joint project's key in `project` (24 hex digits; its page at `/projects/<id>`).
    ProjectId
);

/// `bytes` as lowercase hex digits, two per byte (keys, SHA-256 digests).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh random record key: 96 random bits as 24 lowercase hex digits (import runs, posts,
/// attachments, kept form errors). Unguessable, so a key in a URL reveals nothing about others.
#[cfg(feature = "ssr")]
pub fn random_key() -> String {
    use rand::Rng;
    let bytes: [u8; 12] = rand::rng().random();
    hex(&bytes)
}

/// An instant in UTC, as the database keeps it; serialized as RFC 3339 and shown in Japan time
/// ([`Timestamp::jst`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub chrono::DateTime<chrono::Utc>);

impl Timestamp {
    /// Now (the server's clock).
    pub fn now() -> Timestamp {
        Timestamp(chrono::Utc::now())
    }

    /// Parses RFC 3339 (any offset); `None` otherwise.
    pub fn parse(text: &str) -> Option<Timestamp> {
        chrono::DateTime::parse_from_rfc3339(text.trim())
            .ok()
            .map(|t| Timestamp(t.with_timezone(&chrono::Utc)))
    }

    /// RFC 3339 in UTC with the stored precision: `2026-11-30T06:05:00.123456Z` (for
    /// `<time datetime>`, links and the database).
    pub fn rfc3339(self) -> String {
        self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }

    /// Japan time to the minute: `2026-11-30 15:05 JST` (Japan has no daylight-saving time).
    pub fn jst(self) -> String {
        let jst = chrono::FixedOffset::east_opt(9 * 3600).expect("valid offset");
        format!(
            "{} JST",
            self.0.with_timezone(&jst).format("%Y-%m-%d %H:%M")
        )
    }
}

impl std::fmt::Display for Timestamp {
    /// [`Timestamp::rfc3339`].
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_plain_strings_on_the_wire() {
        let id = UserId::from("tokyo_officer");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"tokyo_officer\"");
        let back: PostId = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(back.as_str(), "abc");
        assert!(id == *"tokyo_officer");
        assert_eq!(PostId::parse(" a1b2 "), Some(PostId::from("a1b2")));
        assert_eq!(PostId::parse(""), None);
        assert_eq!(PostId::parse("a:b"), None);
        assert_eq!(PostId::parse(&"a".repeat(65)), None);
    }

    #[test]
    fn instants_read_any_offset_and_show_in_japan_time() {
        let t = Timestamp::parse("2026-11-30T06:05:00.5+00:00").unwrap();
        assert_eq!(t, Timestamp::parse("2026-11-30T15:05:00.5+09:00").unwrap());
        assert_eq!(t.jst(), "2026-11-30 15:05 JST");
        assert_eq!(t.rfc3339(), "2026-11-30T06:05:00.500Z");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), t);
        // The database's form (nanoseconds, `Z`).
        assert!(Timestamp::parse("2026-11-30T06:05:00.123456789Z").is_some());
        assert_eq!(Timestamp::parse("yesterday"), None);
        // Before midnight UTC is the next day in Japan.
        let late = Timestamp::parse("2026-12-31T15:00:00Z").unwrap();
        assert_eq!(late.jst(), "2027-01-01 00:00 JST");
    }
}
