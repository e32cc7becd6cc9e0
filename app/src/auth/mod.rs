//! Identity and access: users and roles, server-side sessions, the demo sign-in and the
//! one policy module that every server function and route consults.
//!
//! The sign-in method is replaceable (demo personas now, OIDC later); sessions
//! ([`session`]), users ([`repo`]) and roles ([`model::Role`]) stay.

pub mod flash;
#[cfg(feature = "ssr")]
pub mod headers;
pub mod model;
#[cfg(feature = "ssr")]
pub mod oidc;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod request;
pub mod server;
#[cfg(feature = "ssr")]
pub mod session;
