//! History (layer 3): one audit entry shape — subject, actor, source, each field before →
//! after, instant — that every room writes in the same transaction as its change
//! ([`repo::create_entry`]) and reads back for its pages ([`repo::entries`]).

pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
