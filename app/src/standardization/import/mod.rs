//! Decoding and validating the progress CSV that municipalities send
//! (format: `docs/IMPORT_FORMAT.md`, shared with the council).
//!
//! The whole file is checked before anything is written: [`parse`] returns every problem of its
//! cells with its spreadsheet line (header = 1) and column, and [`ProgressLine::merged_issues`]
//! those of each record once merged over the stored one (the edit form's rules,
//! [`super::model::Progress::check`]). Real files come from Excel: UTF-8 with or
//! without BOM and Shift_JIS/CP932 are accepted; every field is NFKC-normalized (full-width
//! digits, letters and spaces) and trimmed; dates may be ISO or 和暦.
//!
//! One concept per file: `columns` (the header), `row` (reading one line's cells), `line` (a
//! line's values and how they merge over the stored record), `plan` (what the checked lines
//! would change); this file reads the whole file.

mod columns;
mod line;
mod plan;
mod row;
#[cfg(test)]
mod tests;

pub use line::{Field, ProgressLine};
pub use plan::{ImportPlan, plan};

use columns::Column;
use row::RowReader;

use super::model::{ImportIssue, ImportIssueKind, MAX_REPORTED_ISSUES, StandardSystem};
use crate::csv_input::{LineCounter, normalize};
use crate::orgs::model::{LgCode, Organisation};
use std::collections::HashMap;

/// Reference data the import checks against.
#[derive(Debug, Clone)]
pub struct Reference {
    /// The 62 municipalities by lg code.
    pub municipalities: HashMap<String, Organisation>,
    /// The 20 standard systems in number order.
    pub systems: Vec<StandardSystem>,
    /// Number of steps in the current step template (step columns `手順1`…`手順N`).
    pub step_count: usize,
}

impl Reference {
    /// The reference for a template of `step_count` steps, from the catalog.
    pub fn new(catalog: &crate::state::Catalog, step_count: usize) -> Reference {
        Reference {
            municipalities: catalog
                .municipalities()
                .filter_map(|o| o.lg_code.as_ref().map(|c| (c.to_string(), o.clone())))
                .collect(),
            systems: catalog.systems.clone(),
            step_count,
        }
    }
}

/// Decodes file bytes ([`crate::csv_input::decode`]); [`ImportIssueKind::Encoding`] when the
/// bytes are neither UTF-8 nor Shift_JIS/CP932.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), ImportIssueKind> {
    crate::csv_input::decode(bytes).map_err(|_| ImportIssueKind::Encoding)
}

/// Common variants of system names seen in municipal files, mapped to the official name.
const SYSTEM_ALIASES: [(&str, &str); 6] = [
    ("住民記録", "住民基本台帳"),
    ("戸籍附票", "戸籍の附票"),
    ("子ども子育て支援", "子ども・子育て支援"),
    ("子ども・子育て", "子ども・子育て支援"),
    ("選挙人名簿", "選挙人名簿管理"),
    ("住民基本台帳システム", "住民基本台帳"),
];

/// Finds a system by number (1–20), code, Japanese or English name, or a known variant.
pub fn resolve_system<'a>(s: &str, systems: &'a [StandardSystem]) -> Option<&'a StandardSystem> {
    let s = s.trim();
    if let Ok(no) = s.parse::<u8>() {
        return systems.iter().find(|x| x.no == no);
    }
    let official = SYSTEM_ALIASES
        .iter()
        .find(|(alias, _)| *alias == s)
        .map_or(s, |(_, name)| *name);
    let lower = official.to_lowercase();
    systems
        .iter()
        .find(|x| x.code == lower || x.name_ja == official || x.name_en.to_lowercase() == lower)
}

/// The result of checking a whole file.
#[derive(Debug, Clone, Default)]
pub struct ParsedFile {
    /// Detected encoding.
    pub encoding: &'static str,
    /// Valid lines (only meaningful when `errors` is empty).
    pub lines: Vec<ProgressLine>,
    /// Number of data lines read.
    pub rows: usize,
    /// Every error found; when any, nothing may be written.
    pub errors: Vec<ImportIssue>,
    /// Warnings (ignored columns): the first [`MAX_REPORTED_ISSUES`].
    pub warnings: Vec<ImportIssue>,
    /// Warnings beyond those in `warnings`.
    pub warnings_omitted: usize,
}

/// Checks a whole progress file.
///
/// `may_write` says whether the importing user may write a municipality's rows (the policy
/// decides; lines for other municipalities are errors). Every problem of the cells is collected
/// with its line and column; the caller writes nothing unless `errors` is empty, and checks each
/// line's merged record with [`ProgressLine::merged_issues`].
pub fn parse(
    bytes: &[u8],
    reference: &Reference,
    may_write: impl Fn(&LgCode) -> bool,
) -> ParsedFile {
    let mut out = ParsedFile::default();
    let text = match decode(bytes) {
        Ok((text, encoding)) => {
            out.encoding = encoding;
            text
        }
        Err(kind) => {
            out.errors.push(ImportIssue {
                line: 0,
                column: None,
                kind,
            });
            return out;
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            out.errors.push(issue(
                1,
                None,
                ImportIssueKind::Syntax {
                    detail: e.to_string(),
                },
            ));
            return out;
        }
        None => {
            out.errors.push(issue(0, None, ImportIssueKind::Empty));
            return out;
        }
    };
    // Column index per known column, and the header text as written (for messages).
    let mut columns: HashMap<Column, (usize, String)> = HashMap::new();
    for (i, raw) in header.iter().enumerate() {
        let h = normalize(raw);
        match Column::from_header(&h) {
            Some(Ok(Column::Step(n))) if usize::from(n) > reference.step_count => {
                out.errors.push(issue(
                    1,
                    Some(h.clone()),
                    ImportIssueKind::UnknownStep { value: h },
                ));
            }
            Some(Err(())) => {
                out.errors.push(issue(
                    1,
                    Some(h.clone()),
                    ImportIssueKind::UnknownStep { value: h },
                ));
            }
            Some(Ok(c)) => match columns.entry(c) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert((i, h));
                }
                // A second column of the same meaning is ignored, and said so: which of two
                // 団体コード columns counts must not be a silent guess.
                std::collections::hash_map::Entry::Occupied(_) => {
                    if out.warnings.len() >= MAX_REPORTED_ISSUES {
                        out.warnings_omitted += 1;
                    } else {
                        out.warnings.push(issue(
                            1,
                            Some(h),
                            ImportIssueKind::DuplicateColumn { position: i + 1 },
                        ));
                    }
                }
            },
            None if h.is_empty() => {}
            None if out.warnings.len() >= MAX_REPORTED_ISSUES => out.warnings_omitted += 1,
            None => out
                .warnings
                .push(issue(1, Some(h), ImportIssueKind::UnknownColumn)),
        }
    }
    let missing: Vec<Column> = Column::REQUIRED
        .into_iter()
        .filter(|c| !columns.contains_key(c))
        .collect();
    for c in &missing {
        out.errors.push(issue(
            1,
            Some(c.japanese()),
            ImportIssueKind::MissingColumn {
                column: c.japanese(),
            },
        ));
    }
    if !out.errors.is_empty() {
        return out;
    }

    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    // Spreadsheet rows: the physical start line of a record, minus the line breaks inside
    // earlier quoted fields (a spreadsheet shows such a record as one row). Blank lines count.
    let mut breaks_inside_fields = 0usize;
    let mut line_counter = LineCounter::default();
    let mut last_record_line: Option<usize> = None;
    for (index, record) in records.enumerate() {
        if index >= MAX_ROWS {
            out.errors.push(issue(
                index + 2,
                None,
                ImportIssueKind::TooManyRows { max: MAX_ROWS },
            ));
            break;
        }
        let start = match &record {
            Ok(r) => r.position().map(|p| p.byte() as usize),
            Err(e) => e.position().map(|p| p.byte() as usize),
        };
        let physical = start.map(|byte| line_counter.line_of(&text, byte));
        let line = physical.map_or(index + 2, |l| l - breaks_inside_fields);
        last_record_line = Some(line);
        let record = match record {
            Ok(r) => {
                breaks_inside_fields += r.iter().map(|f| f.matches('\n').count()).sum::<usize>();
                r
            }
            Err(e) => {
                out.errors.push(issue(
                    line,
                    None,
                    ImportIssueKind::Syntax {
                        detail: e.to_string(),
                    },
                ));
                continue;
            }
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        out.rows += 1;
        let mut row = RowReader {
            record: &record,
            columns: &columns,
            line,
            errors: &mut out.errors,
        };
        if let Some(parsed) = row.read(reference, &may_write) {
            let key = (parsed.lg_code.as_str().to_owned(), parsed.system.clone());
            if let Some(first_line) = seen.get(&key) {
                let column = columns.get(&Column::System).map(|(_, h)| h.clone());
                out.errors.push(issue(
                    line,
                    column,
                    ImportIssueKind::DuplicateRow {
                        first_line: *first_line,
                    },
                ));
            } else {
                seen.insert(key, line);
                out.lines.push(parsed);
            }
        }
    }
    // A quote left open swallows every later line into one cell: with RFC 4180's doubled
    // quotes, an odd number of `"` in the file means one is never closed.
    if text.bytes().filter(|b| *b == b'"').count() % 2 == 1 {
        let line = last_record_line.unwrap_or(1);
        out.errors.push(issue(
            line,
            None,
            ImportIssueKind::Syntax {
                detail: "unclosed quote (\")".into(),
            },
        ));
    }
    if out.rows == 0 && out.errors.is_empty() {
        out.errors.push(issue(0, None, ImportIssueKind::Empty));
    }
    out
}

/// Most data lines accepted in one file: 62 municipalities × 20 systems is 1,240, so this
/// leaves room for repeated reports while bounding the work one upload can cause.
pub const MAX_ROWS: usize = 5_000;

/// Longest cell value quoted back in an error message (characters).
const MAX_QUOTED: usize = 60;

/// An issue at `line`; the column's header text is shortened to [`MAX_QUOTED`] characters
/// (a header cell can be as long as the file).
fn issue(line: usize, column: Option<String>, kind: ImportIssueKind) -> ImportIssue {
    let column = column.map(|h| {
        if h.chars().count() > MAX_QUOTED {
            h.chars()
                .take(MAX_QUOTED)
                .chain(std::iter::once('…'))
                .collect()
        } else {
            h
        }
    });
    ImportIssue { line, column, kind }
}

/// Keeps the first [`MAX_REPORTED_ISSUES`] issues and returns how many were dropped.
pub fn cap_issues(issues: &mut Vec<ImportIssue>) -> usize {
    let omitted = issues.len().saturating_sub(MAX_REPORTED_ISSUES);
    issues.truncate(MAX_REPORTED_ISSUES);
    omitted
}
