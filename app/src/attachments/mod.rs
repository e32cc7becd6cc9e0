//! Attachments (layer 3): files attached to any room's subject, stored in the database with
//! size and type limits ([`model::classify`]: the content must be what the name says, from an
//! allowed list), and served only as downloads (`Content-Disposition: attachment`, `nosniff`,
//! a sandboxing CSP) to callers the subject's owner lets read it ([`crate::policy::may_attach`], [`crate::policy::may_read_attachment`]).

pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod server;

/// The room's routes: the upload form's target and the download.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::http::Routes {
    crate::http::Routes::new()
        .post("/attachments/upload", server::upload)
        .get("/attachments/{id}", server::download)
}
