//! Identity and access: users and roles, server-side sessions, the demo sign-in, OpenID
//! Connect sign-in ([`oidc`]), account management, and how a request finds its caller
//! ([`request`]). Who may do what is decided in [`crate::policy`].

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

/// The room's plain routes: the OpenID Connect redirect to the provider and its callback.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::http::Routes {
    crate::http::Routes::new()
        .get("/auth/oidc/{provider}/start", oidc::start)
        .get("/auth/oidc/callback", oidc::callback)
        .get("/admin/backup", server::download_backup)
}
