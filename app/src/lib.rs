//! Kyodo (協働): the shared workspace of Tokyo's CIO council.
//!
//! One folder per capability, each with the same inner shape:
//! `model.rs` (domain types shared by server and browser), `server.rs` (server functions),
//! `repo.rs` (ssr-only database access) and `pages.rs` (components).
//!
//! - [`orgs`]: the 64 organisations (Tokyo, 62 municipalities, GovTech Tokyo).
//! - [`standardization`]: progress of the 20 standard systems, CSV import and export.
//! - [`auth`]: users, roles, sessions, the demo sign-in and the one policy module.
//! - [`shell`]: layout, navigation, routes and error pages.
//! - [`i18n`]: Japanese (default) and English.
//! - [`text`]: Japanese text as typed: folded comparison and search keys, excerpts.
//! - [`error`]: the one application error type.
//! - `setup` and `db` (ssr only): configuration, database, schema, reference data, router.
#![recursion_limit = "256"]

pub mod auth;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod orgs;
pub mod policy;
pub mod shell;
pub mod standardization;
pub mod text;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod setup;
#[cfg(feature = "ssr")]
pub mod state;

pub use shell::{App, shell};

/// Browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
