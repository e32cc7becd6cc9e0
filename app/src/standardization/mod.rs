//! Standardization tracking: each municipality's progress migrating the 20 standard systems
//! (標準化対象20業務) to standard-compliant systems on the Government Cloud.
//!
//! - `model`: progress, steps, the matrix, history, comments and import reports (shared).
//! - `dashboard`: the council dashboard's rates, extension cases and overdue list (shared).
//! - `template` (ssr): the step template file.
//! - `import` (ssr): decoding and validating the CSV municipalities send.
//! - `export` (ssr): the CSV export.
//! - `demo` (ssr): the deterministic demo data generator.
//! - `repo` (ssr): database access; `server`: server functions; `pages`: UI.

pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod import;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod server;
#[cfg(feature = "ssr")]
pub mod template;
pub mod views;
