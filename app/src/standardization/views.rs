//! What standardization's server functions send to pages (wire types).

use super::model::{Progress, StandardSystem, SystemSummary};
use crate::auth::model::CurrentUser;
use crate::orgs::model::Organisation;
use serde::{Deserialize, Serialize};

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
