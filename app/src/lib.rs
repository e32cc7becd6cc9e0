//! Kyodo (協働): the shared workspace of Tokyo's CIO council.
//!
//! # The house and its one rule
//!
//! A module imports only from its own layer or a lower one, and no capability imports another
//! capability's `server`, `repo` or `pages`: what two rooms share lives lower down, and pages
//! that gather several rooms (home, an organisation's page) live at the top in [`shell`](mod@shell).
//! `app/tests/it/architecture.rs` reads every `crate::`/`super::` path and fails on a
//! circle or a break of this rule.
//!
//! | layer | modules | holds |
//! | --- | --- | --- |
//! | 0 leaf | [`error`], [`ids`], [`i18n`], `markdown`, [`text`], `csv_input`, `csv_output` | the error type, ids, the two languages, sanitized Markdown, Japanese text, Japanese-spreadsheet reading and safe CSV writing |
//! | 1 kit and models | [`ui`], every `*/model.rs`, `*/views.rs` | components every page uses; domain types and rules; wire types |
//! | 2 core | [`policy`], `db`, `config`, `state` | who may do what (pure, one file per capability, the endpoint table); database; settings; `AppState` and the reference `Catalog` |
//! | 3 shared services | [`auth`], [`orgs`], [`notifications`], [`history`], [`threads`], [`attachments`], [`search`], `http` | sign-in, sessions and the caller of a request; organisations; one inbox and the daily e-mail digest; one audit entry shape; one discussion kind for any subject; stored files with access checks; the search hit and its snippet; room routes, uploads and downloads |
//! | 4 capabilities | [`standardization`], [`projects`], [`consultations`], [`council`] | the rooms, each `mod.rs` with `routes()`, `model`, `views`, `repo`, `server`, `pages/` and its formats |
//! | 5 top | [`shell`](mod@shell), `setup` | the document, header, routes, home and organisation pages; start-up and the router |
//!
//! Data flows page → server function → `auth::request::signed_in()` → `policy::may_*` → a
//! pure rule in the room's `model` → `repo` (one transaction) → a view back to the page.
#![recursion_limit = "256"]

pub mod attachments;
pub mod auth;
pub mod consultations;
pub mod council;
#[cfg(feature = "ssr")]
pub mod csv_input;
#[cfg(feature = "ssr")]
pub mod csv_output;
pub mod error;
pub mod history;
pub mod i18n;
pub mod ids;
pub mod notifications;
pub mod orgs;
pub mod policy;
pub mod projects;
pub mod search;
pub mod shell;
pub mod standardization;
pub mod text;
pub mod threads;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod setup;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod volume;

pub use shell::{App, shell};

/// Browser entry point: hydrates the page's islands ([`ui::Enhancements`]); the rest of the
/// page stays the HTML the server sent.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
