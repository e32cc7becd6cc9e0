//! The state every request shares (ssr only, layer 2): [`AppState`] and the reference
//! [`Catalog`]. Built once at start-up by `setup`; server functions reach it through
//! `auth::request`.

use crate::config::OidcProvider;
use crate::db::Db;
use crate::orgs::model::{OrgKind, Organisation};
use crate::standardization::model::StandardSystem;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Reference data held in memory (it changes only at start-up).
#[derive(Debug, Clone)]
pub struct Catalog {
    /// All 64 organisations, by lg code (GovTech Tokyo last).
    pub organisations: Vec<Organisation>,
    /// The 20 standard systems in number order.
    pub systems: Vec<StandardSystem>,
}

impl Catalog {
    /// The organisation with this key (lg code or `govtech_tokyo`).
    pub fn organisation(&self, key: &str) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.key == key)
    }

    /// The 62 municipalities in code order.
    pub fn municipalities(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations.iter().filter(|o| o.kind.is_municipal())
    }

    /// The municipalities of `kind` (all 62 when `None`), in code order.
    pub fn municipalities_of(&self, kind: Option<OrgKind>) -> Vec<Organisation> {
        self.municipalities()
            .filter(|o| kind.is_none_or(|k| o.kind == k))
            .cloned()
            .collect()
    }
}

/// Everything a request needs; provided to server functions as context.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// Leptos settings (site root, address).
    pub leptos_options: LeptosOptions,
    /// The database, shared: the state is cloned for every request and every server function,
    /// and cloning a SurrealDB handle itself opens a new database session (surrealdb 3:
    /// `Surreal::clone` copies the session and its drop closes it), so the handle is cloned
    /// only where a task needs a session of its own.
    pub db: Arc<Db>,
    /// Reference data.
    pub catalog: Arc<Catalog>,
    /// Whether demo sign-in is on.
    pub demo: bool,
    /// OpenID Connect providers.
    pub oidc: Arc<Vec<OidcProvider>>,
    /// Public base URL (no trailing slash), for redirect URIs.
    pub public_url: String,
    /// The OCDS `ocid` prefix ([`crate::config::Config::ocds_prefix`]).
    #[from_ref(skip)]
    pub ocds_prefix: String,
    /// One progress import at a time in this process, from the check of the file through the
    /// write (bounds the memory that concurrent uploads take; correctness across servers comes
    /// from the version checks inside the write).
    pub import_lock: Arc<tokio::sync::Mutex<()>>,
    /// Read caches kept current by change counters in the database ([`crate::db::counter`]).
    #[from_ref(skip)]
    pub caches: crate::db::counter::Caches,
}
