//! The audit entry every room writes: who changed what (each field before → after), how and
//! when.

use serde::{Deserialize, Serialize};

/// One changed field in a history entry (display text; empty = no value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Stable field name (`vendor`, `step_12`, …).
    pub field: String,
    /// Value before.
    pub before: String,
    /// Value after.
    pub after: String,
}

/// One change of a subject (a progress record, a project, …), as its page shows it, newest
/// first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// When (UTC).
    pub at: crate::ids::Timestamp,
    /// Who (Japanese name); `None` for the system (demo data, template changes).
    pub actor_name_ja: Option<String>,
    /// Who (English name).
    pub actor_name_en: Option<String>,
    /// How: the room's source code (standardization: `form`, `import` or `template`).
    pub source: String,
    /// Each changed field.
    pub changes: Vec<FieldChange>,
}
