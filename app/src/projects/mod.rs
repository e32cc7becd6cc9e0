//! Joint projects (協働事業): GovTech Tokyo, Tokyo and the municipalities post 共同調達,
//! 人材シェアリング, 共同運営 and 区市町村提案 projects; municipalities opt in (手上げ) while the
//! call is open, see their estimated share of the cost (応分負担), and follow the project
//! through tender and contract.
//!
//! - `model`: kinds, the lifecycle and its rules, participation rules, cost sharing (pure).
//! - `views`: what the server functions send to the pages.
//! - `demo` (ssr): demo projects for a first look and the benchmark.
//! - `export` (ssr): the projects CSV; `ocds` (ssr): each project as OCDS 1.1 open data.
//! - `repo` (ssr): database access; `server`: server functions; `pages`: UI.
//!
//! Owns the tables `project` and `project_participant` (and the counter
//! `change_counter:project` that keeps each server's list current); history subjects, thread subjects and
//! notices use `project:<key>`.

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod export;
pub mod model;
#[cfg(feature = "ssr")]
pub mod ocds;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod server;
pub mod views;

/// The room's plain routes besides its server functions: the downloads and the documents'
/// upload (a multipart form); every page is a Leptos route and every other form posts to a
/// server function.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::http::Routes {
    crate::http::Routes::new()
        .get("/projects/export.csv", server::export_csv)
        .post("/projects/{id}/documents", server::upload_document)
        .get("/projects/{id}/documents/{file}", server::download_document)
        .get("/projects/{id}/ocds.json", server::ocds_release_package)
        .get(
            "/projects/{id}/ocds-record.json",
            server::ocds_record_package,
        )
}
