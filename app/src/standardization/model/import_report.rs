//! What an import did: its report, each changed record and the caps on what is stored.

use super::issues::ImportIssue;
use super::progress::Progress;
use crate::orgs::model::LgCode;
use serde::Deserialize;
use serde::Serialize;

/// One changed cell in a successful import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellChange {
    /// Line in the file.
    pub line: usize,
    /// Municipality.
    pub lg_code: LgCode,
    /// 団体名.
    pub lg_name_ja: String,
    /// English name.
    pub lg_name_en: String,
    /// System code.
    pub system: String,
    /// 業務名.
    pub system_name_ja: String,
    /// English system name.
    pub system_name_en: String,
    /// The stored value before (None: no report yet).
    pub before: Option<Progress>,
    /// The new value.
    pub after: Progress,
    /// Stable names of the fields that changed.
    pub fields: Vec<String>,
}

/// How many errors (and, separately, warnings) an import report lists; the rest are counted
/// (`errors_omitted`, `warnings_omitted`), so that a file with a million bad cells gives a
/// report of bounded size.
pub const MAX_REPORTED_ISSUES: usize = 100;

/// The outcome of one import, stored and shown on its result page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Run id (URL key).
    pub id: String,
    /// File name as uploaded.
    pub file_name: String,
    /// Detected encoding: `UTF-8`, `UTF-8 (BOM)` or `Shift_JIS`.
    pub encoding: String,
    /// Whether the file was written (no errors).
    pub applied: bool,
    /// Data lines read.
    pub rows: usize,
    /// Changed cells (empty when not applied).
    pub changes: Vec<CellChange>,
    /// Lines that matched the stored values exactly.
    pub unchanged: usize,
    /// Errors (when any, nothing was written): the first [`MAX_REPORTED_ISSUES`].
    pub errors: Vec<ImportIssue>,
    /// Errors found beyond those listed in `errors`.
    #[serde(default)]
    pub errors_omitted: usize,
    /// Warnings (unknown columns): the first [`MAX_REPORTED_ISSUES`].
    pub warnings: Vec<ImportIssue>,
    /// Warnings found beyond those listed in `warnings`.
    #[serde(default)]
    pub warnings_omitted: usize,
    /// When it ran (UTC).
    pub created_at: crate::ids::Timestamp,
}

impl ImportReport {
    /// The report as stored for its result page: each change keeps the derived status and
    /// counts the page shows, but not the step lists, and free texts are cut to
    /// [`STORED_TEXT_CHARS`] characters, so that a report of 1,240 changed records with long
    /// notes stays small (the full values are in each record's history).
    pub fn for_storage(&self) -> ImportReport {
        let slim = |p: &Progress| {
            let cut = |t: &Option<String>| {
                t.as_ref().map(|t| {
                    if t.chars().nth(STORED_TEXT_CHARS).is_some() {
                        t.chars()
                            .take(STORED_TEXT_CHARS)
                            .chain(std::iter::once('…'))
                            .collect()
                    } else {
                        t.clone()
                    }
                })
            };
            let mut p = p.clone();
            p.steps = Vec::new();
            p.notes = cut(&p.notes);
            p.vendor = cut(&p.vendor);
            p.product = cut(&p.product);
            p.extension_reason_text = cut(&p.extension_reason_text);
            p.transitional_functions = cut(&p.transitional_functions);
            p
        };
        let mut report = self.clone();
        for c in &mut report.changes {
            c.before = c.before.as_ref().map(slim);
            c.after = slim(&c.after);
        }
        report
    }
}

/// Longest free text kept in a stored import report's changes (characters).
pub const STORED_TEXT_CHARS: usize = 100;
