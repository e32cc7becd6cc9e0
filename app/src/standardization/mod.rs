//! Standardization tracking: each municipality's progress migrating the 20 standard systems
//! (標準化対象20業務) to standard-compliant systems on the Government Cloud.
//!
//! - `model`: progress, steps, the matrix, history, comments and import reports (shared).
//! - `dashboard`: the council dashboard's rates, extension cases and overdue list (shared).
//! - `template` (ssr): the step template file.
//! - `import` (ssr): decoding and validating the CSV municipalities send.
//! - `export` (ssr): the CSV export.
//! - `heatmap`: the heatmap's table rendered to HTML once per change of the progress.
//! - `demo` (ssr): the deterministic demo data generator.
//! - `repo` (ssr): database access; `server`: server functions; `pages`: UI.

pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod export;
pub mod heatmap;
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

/// The room's plain routes (besides its server functions): the two uploads (multipart forms
/// that redirect to their result, so they work without JavaScript) and one handler per
/// download.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::http::Routes {
    crate::http::Routes::new()
        .post("/standardization/import/upload", server::import_upload)
        .post("/standardization/steps/upload", server::steps_upload)
        .get("/standardization/export.csv", server::export_csv)
        .get("/standardization/export.json", server::export_json)
        .get("/standardization/summary.csv", server::summary_csv)
        .get("/standardization/summary.json", server::summary_json)
}
