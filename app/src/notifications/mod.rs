//! Notifications (layer 3): one inbox per user with a generic notice (kind, subject, link,
//! text in Japanese and English, excerpt) that any room writes inside its own transaction
//! ([`repo::CREATE_NOTICES`]); the header's unread count and the `/notifications` page read it
//! without knowing which room wrote what. `digest` mails each person one summary a day.

#[cfg(feature = "ssr")]
pub mod digest;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod server;
