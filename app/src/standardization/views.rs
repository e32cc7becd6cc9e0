//! What standardization's server functions send to pages (wire types).

use super::model::{Progress, StandardSystem, SystemSummary};
use crate::auth::model::CurrentUser;
use crate::orgs::model::Organisation;
use serde::{Deserialize, Serialize};

/// The record page's address.
pub fn record_href(lg_code: &str, system: &str) -> String {
    format!("/standardization/records/{lg_code}/{system}")
}

/// A step thread's address.
pub fn thread_href(lg_code: &str, system: &str, step: u8) -> String {
    format!("/standardization/records/{lg_code}/{system}/steps/{step}")
}

/// The heatmap as the page shows it: the table rendered by the server
/// (`heatmap::table_html`), the number of municipalities shown and whether demo data is among
/// them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatmapView {
    /// Municipalities shown (after the filter).
    pub count: usize,
    /// Whether any shown cell is generated demo data.
    pub demo: bool,
    /// `<table class="matrix">…</table>`, escaped by the renderer.
    pub table_html: String,
}

/// An organisation with its standardization row (empty for Tokyo and GovTech Tokyo).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgDetail {
    /// The organisation.
    pub organisation: Organisation,
    /// The 20 systems in number order.
    pub systems: Vec<StandardSystem>,
    /// One cell per system (same order); `None` when not reported. Empty for non-municipal.
    pub progress: Vec<Option<Progress>>,
}

/// What the home page shows: the user's own organisation's 20 systems when it is a
/// municipality, and the council-wide summary per system for everyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Home {
    /// The signed-in user.
    pub user: CurrentUser,
    /// Own municipality's row; `None` for Tokyo and GovTech Tokyo users.
    pub own: Option<OrgDetail>,
    /// The systems and, per system, the share of the 62 municipalities by status.
    pub systems: Vec<StandardSystem>,
    /// Summary per system (same order as `systems`).
    pub summary: Vec<SystemSummary>,
}
