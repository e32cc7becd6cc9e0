//! The import plan: every valid line merged over the stored record, checked against the
//! record's rules, and the changes it would write (pure; the server writes the plan in one
//! transaction).

use super::super::model::{CellChange, ImportIssue, Progress};
use super::{ProgressLine, Reference};
use std::collections::HashMap;

/// What a checked file would do to the stored records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportPlan {
    /// One change per line that changes its record, in the file's order.
    pub changes: Vec<CellChange>,
    /// Lines that change nothing.
    pub unchanged: usize,
    /// Each line's breaks of the record rules ([`ProgressLine::merged_issues`]).
    pub errors: Vec<ImportIssue>,
}

/// Merges each line over its stored record (`stored`: every record) for a template of
/// `template_len` steps. Every line is checked, so that a report lists all of a file's problems
/// at once; once any line is refused (or `refused` says the file already is), changes are no
/// longer computed, since nothing will be written.
pub fn plan(
    lines: &[ProgressLine],
    stored: &[Progress],
    reference: &Reference,
    template_len: usize,
    refused: bool,
) -> ImportPlan {
    let stored: HashMap<(&str, &str), &Progress> = stored
        .iter()
        .map(|p| ((p.lg_code.as_str(), p.system.as_str()), p))
        .collect();
    let mut out = ImportPlan::default();
    for line in lines {
        let before = stored
            .get(&(line.lg_code.as_str(), line.system.as_str()))
            .copied();
        let after = line.apply(before, template_len);
        let issues = line.merged_issues(&after, template_len);
        if !issues.is_empty() || refused || !out.errors.is_empty() {
            out.errors.extend(issues);
            continue;
        }
        let fields: Vec<String> = match before {
            Some(b) => after
                .changed_fields(b)
                .into_iter()
                .map(String::from)
                .collect(),
            None => vec!["status".into()],
        };
        if fields.is_empty() {
            out.unchanged += 1;
            continue;
        }
        // A line's municipality and system were found in the reference when it was read.
        let (Some(org), Some(system)) = (
            reference.municipalities.get(line.lg_code.as_str()),
            reference.systems.iter().find(|s| s.code == line.system),
        ) else {
            continue;
        };
        out.changes.push(CellChange {
            line: line.line,
            lg_code: line.lg_code.clone(),
            lg_name_ja: org.name_ja.clone(),
            lg_name_en: org.name_en.clone(),
            system: system.code.clone(),
            system_name_ja: system.name_ja.clone(),
            system_name_en: system.name_en.clone(),
            before: before.cloned(),
            after,
            fields,
        });
    }
    out
}
