//! What replacing the step template did.

use super::steps::Step;
use serde::Deserialize;
use serde::Serialize;

/// A step of the old template that the new one no longer has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemovedStep {
    /// The old step.
    pub step: Step,
    /// Records with a status other than 未着手 on it (kept, no longer counted).
    pub records: u32,
}

/// What replacing the step template did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateChange {
    /// Steps before.
    pub old_len: usize,
    /// Steps after.
    pub new_len: usize,
    /// Old steps past the new template's end.
    pub removed: Vec<RemovedStep>,
    /// Steps whose name or phase changed (same number).
    pub renamed: Vec<u8>,
    /// Records whose derived status or counts were recomputed.
    pub recomputed: usize,
    /// Records that became 移行完了 through the change without a 本番稼働日 (to be completed).
    pub live_without_date: usize,
}
