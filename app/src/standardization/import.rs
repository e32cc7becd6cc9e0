//! Decoding and validating the progress CSV that municipalities send
//! (format: `docs/IMPORT_FORMAT.md`, shared with the council).
//!
//! The whole file is checked before anything is written: [`parse`] returns every problem of its
//! cells with its spreadsheet line (header = 1) and column, and [`ProgressLine::merged_issues`]
//! those of each record once merged over the stored one (the edit form's rules,
//! [`Progress::check`]). Real files come from Excel: UTF-8 with or
//! without BOM and Shift_JIS/CP932 are accepted; every field is NFKC-normalized (full-width
//! digits, letters and spaces) and trimmed; dates may be ISO or 和暦.

use super::model::{
    ExtensionReason, GovCloud, ImportIssue, ImportIssueKind, MAX_REPORTED_ISSUES, Progress,
    ProgressStatus, RecordField, StandardSystem, StepCounts, StepStatus,
};
use crate::csv_input::{LineCounter, normalize, parse_date, parse_flag};
use crate::orgs::model::{LgCode, Organisation};
use chrono::NaiveDate;
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

/// A column of the import format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    LgCode,
    LgName,
    System,
    Status,
    StepsDone,
    Percent,
    PlannedGoLive,
    ActualGoLive,
    SpecialMigrationSupport,
    Reason,
    ExtensionTargetDate,
    GovCloud,
    Vendor,
    Product,
    ReasonText,
    TransitionalFunctions,
    TransitionalUntil,
    Notes,
    /// `手順N` / `step_N`: the status of step N.
    Step(u8),
}

impl Column {
    const ALL: [(Column, &'static str, &'static str); 18] = [
        (Column::LgCode, "団体コード", "lg_code"),
        (Column::LgName, "団体名", "lg_name"),
        (Column::System, "業務", "system"),
        (Column::Status, "進捗状況", "status"),
        (Column::StepsDone, "完了ステップ数", "steps_done"),
        (Column::Percent, "進捗率", "percent"),
        (Column::PlannedGoLive, "本番稼働予定日", "planned_go_live"),
        (Column::ActualGoLive, "本番稼働日", "actual_go_live"),
        (
            Column::SpecialMigrationSupport,
            "特定移行支援",
            "special_migration_support",
        ),
        (Column::Reason, "事由", "reason"),
        (
            Column::ExtensionTargetDate,
            "移行目標日",
            "extension_target_date",
        ),
        (Column::GovCloud, "ガバメントクラウド", "gov_cloud"),
        (Column::Vendor, "ベンダ", "vendor"),
        (Column::Product, "製品", "product"),
        (Column::ReasonText, "事由詳細", "extension_reason_text"),
        (
            Column::TransitionalFunctions,
            "経過措置機能",
            "transitional_functions",
        ),
        (
            Column::TransitionalUntil,
            "経過措置期限",
            "transitional_until",
        ),
        (Column::Notes, "備考", "notes"),
    ];
    const REQUIRED: [Column; 3] = [Column::LgCode, Column::System, Column::Status];

    /// The column a header names; step headers (`手順12`, `step_12`) give `Step(12)` for any
    /// number (the caller checks it against the template). `Err` for a step header whose
    /// number is not 1–255.
    fn from_header(h: &str) -> Option<Result<Column, ()>> {
        let lower = h.to_lowercase();
        let step_no = lower
            .strip_prefix("手順")
            .or_else(|| lower.strip_prefix("step_"))
            .or_else(|| lower.strip_prefix("step "));
        if let Some(n) = step_no {
            return Some(
                n.trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .map(Column::Step)
                    .ok_or(()),
            );
        }
        Column::ALL
            .iter()
            .find(|(_, ja, en)| *ja == h || *en == lower)
            .map(|(c, _, _)| Ok(*c))
    }

    fn japanese(self) -> String {
        match self {
            Column::Step(n) => format!("手順{n}"),
            other => Column::ALL
                .iter()
                .find(|(c, _, _)| *c == other)
                .map_or(String::new(), |(_, ja, _)| (*ja).to_owned()),
        }
    }
}

/// An optional column's value: absent from the file (keep what is stored), blank (clear) or set.
#[derive(Debug, Clone, PartialEq)]
pub enum Field<T> {
    /// The file has no such column: the stored value is kept.
    Keep,
    /// The cell is blank: the stored value is cleared.
    Clear,
    /// A new value.
    Set(T),
}

impl<T: Clone> Field<T> {
    fn resolve(&self, before: Option<T>) -> Option<T> {
        match self {
            Field::Keep => before,
            Field::Clear => None,
            Field::Set(v) => Some(v.clone()),
        }
    }
}

/// One valid line of the file: the values it sets for one municipality × system.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressLine {
    /// Spreadsheet line (header = 1).
    pub line: usize,
    /// Municipality.
    pub lg_code: LgCode,
    /// Standard system code.
    pub system: String,
    /// 進捗状況.
    pub status: ProgressStatus,
    /// 完了ステップ数 (from steps or percent); `None`: derived from the status.
    pub steps_done: Option<u8>,
    /// 本番稼働予定日.
    pub planned_go_live: Field<NaiveDate>,
    /// 本番稼働日.
    pub actual_go_live: Field<NaiveDate>,
    /// 特定移行支援; `Keep` when the column is absent.
    pub special_migration_support: Field<bool>,
    /// 事由.
    pub extension_reason: Field<ExtensionReason>,
    /// 移行目標日.
    pub extension_target_date: Field<NaiveDate>,
    /// ガバメントクラウド.
    pub gov_cloud: Field<GovCloud>,
    /// ベンダ.
    pub vendor: Field<String>,
    /// 製品.
    pub product: Field<String>,
    /// 事由詳細.
    pub extension_reason_text: Field<String>,
    /// 経過措置機能.
    pub transitional_functions: Field<String>,
    /// 経過措置期限.
    pub transitional_until: Field<NaiveDate>,
    /// 備考 (Markdown).
    pub notes: Field<String>,
    /// Step statuses the file gives (step number, status); other steps keep their value.
    pub steps: Vec<(u8, StepStatus)>,
}

impl ProgressLine {
    /// The progress after applying this line over the stored value (`None`: no report yet),
    /// for a template of `template_len` steps.
    ///
    /// With step columns, the given steps are set and the rest keep their stored status.
    /// Without them (the older format), the steps follow 進捗状況 and 完了ステップ数: the stored
    /// steps are kept when they already say the same; otherwise steps 1–n are 完了 and, when
    /// 作業中, step n + 1 is 作業中 (移行完了 = every step, 未着手 = none, 作業中 without a count =
    /// the stored count). Without the 特定移行支援 flag, 事由, 事由詳細 and 移行目標日 are cleared
    /// ([`Progress::clear_extension_unless_flagged`]).
    pub fn apply(&self, before: Option<&Progress>, template_len: usize) -> Progress {
        let mut p = before
            .cloned()
            .unwrap_or_else(|| Progress::empty(self.lg_code.clone(), &self.system, template_len));
        if !self.steps.is_empty() {
            for (no, status) in &self.steps {
                p.set_step(*no, *status);
            }
        } else {
            let keep = before.is_some_and(|b| {
                b.status == self.status && self.steps_done.is_none_or(|n| n == b.steps_done)
            });
            if !keep {
                let n = template_len.min(u8::MAX as usize) as u8;
                let done = match self.status {
                    ProgressStatus::Live => n,
                    ProgressStatus::NotStarted => 0,
                    ProgressStatus::InProgress => self
                        .steps_done
                        .unwrap_or_else(|| before.map_or(0, |b| b.steps_done)),
                };
                p.steps = vec![StepStatus::Done; usize::from(done)];
                if self.status == ProgressStatus::InProgress && done < n {
                    p.steps.push(StepStatus::InProgress);
                }
            }
        }
        p.derive(template_len);
        p.special_migration_support = self
            .special_migration_support
            .resolve(before.map(|b| b.special_migration_support))
            .unwrap_or(false);
        p.extension_reason = self
            .extension_reason
            .resolve(before.and_then(|b| b.extension_reason));
        p.extension_reason_text = self
            .extension_reason_text
            .resolve(before.and_then(|b| b.extension_reason_text.clone()));
        p.extension_target_date = self
            .extension_target_date
            .resolve(before.and_then(|b| b.extension_target_date));
        p.clear_extension_unless_flagged();
        p.planned_go_live = self
            .planned_go_live
            .resolve(before.and_then(|b| b.planned_go_live));
        p.actual_go_live = self
            .actual_go_live
            .resolve(before.and_then(|b| b.actual_go_live));
        p.gov_cloud = self.gov_cloud.resolve(before.and_then(|b| b.gov_cloud));
        p.vendor = self.vendor.resolve(before.and_then(|b| b.vendor.clone()));
        p.product = self.product.resolve(before.and_then(|b| b.product.clone()));
        p.transitional_functions = self
            .transitional_functions
            .resolve(before.and_then(|b| b.transitional_functions.clone()));
        p.transitional_until = self
            .transitional_until
            .resolve(before.and_then(|b| b.transitional_until));
        p.notes = self.notes.resolve(before.and_then(|b| b.notes.clone()));
        p.is_demo = false;
        p.updated_at = None;
        p
    }
}

impl ProgressLine {
    /// The rules checked on the merged record `after` (this line applied over the stored one by
    /// [`ProgressLine::apply`]) for a template of `template_len` steps, each issue on this line
    /// and named by its Japanese column header:
    ///
    /// - 事由, 事由詳細 or 移行目標日 given for a record that is not 特定移行支援 once merged (the
    ///   line contradicts itself, or the stored flag): [`ImportIssueKind::ExtensionWithoutFlag`],
    ///   once, at the first of those columns;
    /// - with only some step columns, 進捗状況 must match the merged steps;
    /// - every rule of [`Progress::check`], the edit form's rules too (so that what one path
    ///   refuses the other refuses), in its order.
    pub fn merged_issues(&self, after: &Progress, template_len: usize) -> Vec<ImportIssue> {
        let mut out = Vec::new();
        if !after.special_migration_support {
            let given = [
                (
                    Column::Reason,
                    matches!(self.extension_reason, Field::Set(_)),
                ),
                (
                    Column::ReasonText,
                    matches!(self.extension_reason_text, Field::Set(_)),
                ),
                (
                    Column::ExtensionTargetDate,
                    matches!(self.extension_target_date, Field::Set(_)),
                ),
            ];
            if let Some((c, _)) = given.into_iter().find(|(_, set)| *set) {
                out.push(issue(
                    self.line,
                    Some(c.japanese()),
                    ImportIssueKind::ExtensionWithoutFlag,
                ));
            }
        }
        if !self.steps.is_empty() && self.steps.len() < template_len && after.status != self.status
        {
            out.push(issue(
                self.line,
                Some(Column::Status.japanese()),
                ImportIssueKind::StatusMismatch {
                    value: self.status.label_ja().to_owned(),
                    derived: after.status.label_ja().to_owned(),
                },
            ));
        }
        if let Err(issues) = after.check() {
            out.extend(issues.into_iter().map(|i| {
                issue(
                    self.line,
                    Some(column_of(i.field).japanese()),
                    i.kind.truncated(MAX_QUOTED),
                )
            }));
        }
        out
    }
}

/// The import column of a record field a rule names.
fn column_of(field: RecordField) -> Column {
    match field {
        RecordField::ActualGoLive => Column::ActualGoLive,
        RecordField::ExtensionReason => Column::Reason,
        RecordField::ExtensionReasonText => Column::ReasonText,
        RecordField::ExtensionTargetDate => Column::ExtensionTargetDate,
        RecordField::TransitionalFunctions => Column::TransitionalFunctions,
        RecordField::Vendor => Column::Vendor,
        RecordField::Product => Column::Product,
        RecordField::Notes => Column::Notes,
    }
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

/// Reads one data line, pushing each problem it finds.
struct RowReader<'a> {
    record: &'a csv::StringRecord,
    columns: &'a HashMap<Column, (usize, String)>,
    line: usize,
    errors: &'a mut Vec<ImportIssue>,
}

impl RowReader<'_> {
    /// The normalized cell of a column; `None` when the file has no such column.
    fn cell(&self, c: Column) -> Option<String> {
        self.columns
            .get(&c)
            .map(|(i, _)| normalize(self.record.get(*i).unwrap_or("")))
    }

    /// A free-text cell as written (trimmed and NFC, not NFKC-normalized: notes and names keep
    /// their full-width characters), with the `'` that the export puts before formula-like text (or
    /// before text that itself starts with `'`) removed. `Keep` when the file has no such
    /// column, `Clear` when blank. Its length is a rule of the record ([`Progress::check`]),
    /// checked once merged.
    fn text(&self, c: Column) -> Field<String> {
        let Some((i, _)) = self.columns.get(&c) else {
            return Field::Keep;
        };
        // NFC only, which is canonically equivalent: a macOS file's decomposed か + ゛ is
        // stored as が, the same text as the form saves.
        let nfc = crate::text::nfc(self.record.get(*i).unwrap_or(""));
        let v = nfc.trim();
        let v = crate::csv_output::unneutralize(v);
        // Control characters and line ends as the form stores them (notes keep their lines).
        let cleaned = if c == Column::Notes {
            crate::text::clean_multiline(v)
        } else {
            crate::text::clean_line(v)
        };
        let v = cleaned.trim();
        if v.is_empty() {
            Field::Clear
        } else {
            Field::Set(v.to_owned())
        }
    }

    fn fail(&mut self, c: Column, kind: ImportIssueKind) {
        let kind = kind.truncated(MAX_QUOTED);
        let column = self.columns.get(&c).map(|(_, h)| h.clone());
        self.errors.push(issue(self.line, column, kind));
    }

    /// A required cell; records [`ImportIssueKind::Required`] when blank.
    fn required(&mut self, c: Column) -> Option<String> {
        let v = self.cell(c).unwrap_or_default();
        if v.is_empty() {
            self.fail(c, ImportIssueKind::Required);
            None
        } else {
            Some(v)
        }
    }

    /// An optional cell parsed with `parse`; `Err(())` after recording `bad(value)`.
    fn field<T>(
        &mut self,
        c: Column,
        parse: impl Fn(&str) -> Option<T>,
        bad: impl Fn(String) -> ImportIssueKind,
    ) -> Result<Field<T>, ()> {
        match self.cell(c) {
            None => Ok(Field::Keep),
            Some(v) if v.is_empty() => Ok(Field::Clear),
            Some(v) => match parse(&v) {
                Some(x) => Ok(Field::Set(x)),
                None => {
                    self.fail(c, bad(v));
                    Err(())
                }
            },
        }
    }

    fn read(
        &mut self,
        reference: &Reference,
        may_write: &impl Fn(&LgCode) -> bool,
    ) -> Option<ProgressLine> {
        let errors_before = self.errors.len();
        let lg_code = self.lg_code(reference, may_write);
        let system = self.required(Column::System).and_then(|v| {
            let found = resolve_system(&v, &reference.systems).map(|s| s.code.clone());
            if found.is_none() {
                self.fail(Column::System, ImportIssueKind::UnknownSystem { value: v });
            }
            found
        });
        let status = self.required(Column::Status).and_then(|v| {
            let found = ProgressStatus::parse(&v);
            if found.is_none() {
                self.fail(Column::Status, ImportIssueKind::InvalidStatus { value: v });
            }
            found
        });
        // With step columns, 完了ステップ数 and 進捗率 are recomputed from the steps (the export
        // writes them for reading; 進捗率 there is done ÷ applicable, 対象外 excluded).
        let has_step_columns = self.columns.keys().any(|c| matches!(c, Column::Step(_)));
        let steps_done = if has_step_columns {
            Ok(None)
        } else {
            self.steps_done(reference.step_count)
        };
        let planned_go_live = self.field(Column::PlannedGoLive, parse_date, |value| {
            ImportIssueKind::InvalidDate { value }
        });
        let actual_go_live = self.field(Column::ActualGoLive, parse_date, |value| {
            ImportIssueKind::InvalidDate { value }
        });
        let special = self.field(Column::SpecialMigrationSupport, parse_flag, |value| {
            ImportIssueKind::InvalidFlag { value }
        });
        let reason = self.field(Column::Reason, ExtensionReason::parse, |value| {
            ImportIssueKind::InvalidReason { value }
        });
        let target = self.field(Column::ExtensionTargetDate, parse_date, |value| {
            ImportIssueKind::InvalidDate { value }
        });
        let gov_cloud = self.field(Column::GovCloud, GovCloud::parse, |value| {
            ImportIssueKind::InvalidGovCloud { value }
        });
        let vendor = self.text(Column::Vendor);
        let product = self.text(Column::Product);
        let reason_text = self.text(Column::ReasonText);
        let transitional_functions = self.text(Column::TransitionalFunctions);
        let notes = self.text(Column::Notes);
        let transitional_until = self.field(Column::TransitionalUntil, parse_date, |value| {
            ImportIssueKind::InvalidDate { value }
        });
        let steps = self.steps(reference.step_count);
        if let (Some(status), Ok(steps)) = (status, &steps)
            && steps.len() == reference.step_count
        {
            let by_no: Vec<StepStatus> = steps.iter().map(|(_, s)| *s).collect();
            let derived = StepCounts::of(&by_no, reference.step_count).status();
            if derived != status {
                let value = self.cell(Column::Status).unwrap_or_default();
                self.fail(
                    Column::Status,
                    ImportIssueKind::StatusMismatch {
                        value,
                        derived: derived.label_ja().to_owned(),
                    },
                );
            }
        } else if let (Some(status), Ok(given), Ok([])) = (status, &steps_done, steps.as_deref()) {
            let n = reference.step_count as u8;
            let given = *given;
            let consistent = match (status, given) {
                (ProgressStatus::Live, Some(k)) => k == n,
                (ProgressStatus::NotStarted, Some(k)) => k == 0,
                (ProgressStatus::InProgress, Some(k)) => k < n,
                (_, None) => true,
            };
            if !consistent {
                let value = self.cell(Column::Status).unwrap_or_default();
                self.fail(
                    Column::Status,
                    ImportIssueKind::StatusMismatch {
                        value,
                        derived: format!("{}/{n}", given.unwrap_or(0)),
                    },
                );
            }
        }

        // The rules across columns are the record's rules, checked on the merged record
        // (`ProgressLine::merged_issues`), the same ones as the edit form's.
        if self.errors.len() > errors_before {
            return None;
        }
        Some(ProgressLine {
            line: self.line,
            lg_code: lg_code?,
            system: system?,
            status: status?,
            steps_done: steps_done.ok()?,
            planned_go_live: planned_go_live.ok()?,
            actual_go_live: actual_go_live.ok()?,
            special_migration_support: special.ok()?,
            extension_reason: reason.ok()?,
            extension_target_date: target.ok()?,
            gov_cloud: gov_cloud.ok()?,
            vendor,
            product,
            extension_reason_text: reason_text,
            transitional_functions,
            transitional_until: transitional_until.ok()?,
            notes,
            steps: steps.ok()?,
        })
    }

    fn lg_code(
        &mut self,
        reference: &Reference,
        may_write: &impl Fn(&LgCode) -> bool,
    ) -> Option<LgCode> {
        let raw = self.required(Column::LgCode)?;
        let Ok(code) = LgCode::parse(&raw) else {
            self.fail(
                Column::LgCode,
                ImportIssueKind::InvalidLgCode { value: raw },
            );
            return None;
        };
        let Some(org) = reference.municipalities.get(code.as_str()) else {
            self.fail(
                Column::LgCode,
                ImportIssueKind::UnknownMunicipality { value: raw },
            );
            return None;
        };
        // The name as people type it: 青ケ島村 for 青ヶ島村, 桧原村 for 檜原村 (see `text`).
        if let Some(name) = self.cell(Column::LgName).filter(|n| !n.is_empty())
            && !crate::text::same_place_name(&name, &org.name_ja)
            && name.to_lowercase() != org.name_en.to_lowercase()
        {
            let expected = org.name_ja.clone();
            self.fail(
                Column::LgName,
                ImportIssueKind::NameMismatch {
                    expected,
                    value: name,
                },
            );
            return None;
        }
        if !may_write(&code) {
            self.fail(
                Column::LgCode,
                ImportIssueKind::NotYourMunicipality {
                    value: code.to_string(),
                },
            );
            return None;
        }
        Some(code)
    }

    /// The step columns of this line: (number, status) for each step column in the file.
    fn steps(&mut self, step_count: usize) -> Result<Vec<(u8, StepStatus)>, ()> {
        let mut step_columns: Vec<Column> = self
            .columns
            .keys()
            .copied()
            .filter(|c| matches!(c, Column::Step(n) if usize::from(*n) <= step_count))
            .collect();
        step_columns.sort_by_key(|c| match c {
            Column::Step(n) => *n,
            _ => 0,
        });
        let mut out = Vec::new();
        let mut failed = false;
        for c in step_columns {
            let Column::Step(no) = c else { continue };
            let v = self.cell(c).unwrap_or_default();
            match StepStatus::parse(&v) {
                Some(s) => out.push((no, s)),
                None => {
                    self.fail(c, ImportIssueKind::InvalidStepStatus { value: v });
                    failed = true;
                }
            }
        }
        if failed { Err(()) } else { Ok(out) }
    }

    /// 完了ステップ数 and/or 進捗率 → steps; `Ok(None)` when neither is given.
    fn steps_done(&mut self, step_count: usize) -> Result<Option<u8>, ()> {
        let max = step_count.min(u8::MAX as usize) as u8;
        let per_step = 100.0 / f32::from(max.max(1));
        let steps = match self.cell(Column::StepsDone).filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => match v.parse::<u8>().ok().filter(|n| *n <= max) {
                Some(n) => Some(n),
                None => {
                    let kind = ImportIssueKind::OutOfRange {
                        value: v,
                        min: "0".into(),
                        max: max.to_string(),
                    };
                    self.fail(Column::StepsDone, kind);
                    return Err(());
                }
            },
        };
        let percent = match self.cell(Column::Percent).filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => match v
                .trim_end_matches('%')
                .trim()
                .parse::<f32>()
                .ok()
                .filter(|p| (0.0..=100.0).contains(p))
            {
                Some(p) => Some((p, v)),
                None => {
                    let kind = ImportIssueKind::OutOfRange {
                        value: v,
                        min: "0".into(),
                        max: "100".into(),
                    };
                    self.fail(Column::Percent, kind);
                    return Err(());
                }
            },
        };
        match (steps, percent) {
            (Some(n), Some((p, raw))) if (f32::from(n) * per_step - p).abs() > per_step => {
                let kind = ImportIssueKind::PercentMismatch {
                    percent: raw.trim_end_matches('%').to_owned(),
                    steps: n.to_string(),
                };
                self.fail(Column::Percent, kind);
                Err(())
            }
            (Some(n), _) => Ok(Some(n)),
            (None, Some((p, _))) => Ok(Some((p / per_step).round() as u8)),
            (None, None) => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::model::OrgKind;

    fn reference() -> Reference {
        let municipalities = include_str!("../../data/tokyo_local_governments.csv")
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|f| f[4] != "prefecture")
            .map(|f| {
                let org = Organisation {
                    key: f[0].into(),
                    lg_code: Some(LgCode::parse(f[0]).unwrap()),
                    name_ja: f[1].into(),
                    name_kana: f[2].into(),
                    name_en: f[3].into(),
                    kind: OrgKind::parse(f[4]).unwrap(),
                    district_ja: None,
                };
                (f[0].to_owned(), org)
            })
            .collect();
        let systems = include_str!("../../data/standard_systems.csv")
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .map(|f| StandardSystem {
                no: f[0].parse().unwrap(),
                code: f[1].into(),
                name_ja: f[2].into(),
                name_en: f[3].into(),
                ministry_ja: f[4].into(),
            })
            .collect();
        Reference {
            municipalities,
            systems,
            step_count: 40,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn systems_by_number_code_name_and_variant() {
        let r = reference();
        assert_eq!(
            resolve_system("1", &r.systems).unwrap().code,
            "resident_registry"
        );
        assert_eq!(
            resolve_system("住民記録", &r.systems).unwrap().code,
            "resident_registry"
        );
        assert_eq!(
            resolve_system("戸籍附票", &r.systems).unwrap().code,
            "family_register_annex"
        );
        assert_eq!(
            resolve_system("子ども子育て支援", &r.systems).unwrap().code,
            "child_and_childcare_support"
        );
        assert_eq!(
            resolve_system("Family register", &r.systems).unwrap().code,
            "family_register"
        );
        assert!(resolve_system("21", &r.systems).is_none());
        assert!(resolve_system("存在しない業務", &r.systems).is_none());
    }

    #[test]
    fn decode_utf8_bom_and_cp932() {
        let (t, e) = decode("\u{feff}団体コード".as_bytes()).unwrap();
        assert_eq!((t.as_str(), e), ("団体コード", "UTF-8 (BOM)"));
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("団体コード,①");
        let (t, e) = decode(&sjis).unwrap();
        assert_eq!((t.as_str(), e), ("団体コード,①", "Shift_JIS"));
        assert_eq!(decode(&[0x82, 0xff, 0xff]), Err(ImportIssueKind::Encoding));
    }

    #[test]
    fn sample_utf8_bom_parses_completely() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/it/fixtures/progress_utf8_bom.csv"
        ))
        .unwrap();
        let parsed = parse(&bytes, &reference(), |_| true);
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(parsed.rows, 4);
        let chiyoda = &parsed.lines[2];
        assert_eq!(chiyoda.lg_code.as_str(), "131016");
        assert_eq!(chiyoda.system, "resident_registry");
        assert_eq!(chiyoda.steps_done, Some(28));
        assert_eq!(chiyoda.planned_go_live, Field::Set(d(2026, 1, 5)));
        assert_eq!(
            chiyoda.extension_reason,
            Field::Set(ExtensionReason::VendorCapacity)
        );
        assert_eq!(chiyoda.extension_target_date, Field::Set(d(2028, 1, 4)));
        assert_eq!(chiyoda.gov_cloud, Field::Set(GovCloud::GoogleCloud));
    }

    #[test]
    fn sample_cp932_parses_completely() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/it/fixtures/progress_cp932.csv"
        ))
        .unwrap();
        let parsed = parse(&bytes, &reference(), |_| true);
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(parsed.encoding, "Shift_JIS");
        let first = &parsed.lines[0];
        assert_eq!(first.lg_code.as_str(), "132012");
        assert_eq!(first.system, "family_register_annex");
        assert_eq!(first.steps_done, Some(20));
        assert_eq!(first.planned_go_live, Field::Set(d(2026, 3, 31)));
        assert_eq!(first.vendor, Field::Keep);
        assert_eq!(parsed.lines[1].steps_done, Some(25));
        assert_eq!(parsed.lines[2].gov_cloud, Field::Set(GovCloud::None));
    }

    #[test]
    fn sample_with_errors_reports_three_lines() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/it/fixtures/progress_errors.csv"
        ))
        .unwrap();
        let parsed = parse(&bytes, &reference(), |_| true);
        let lines: Vec<usize> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5]);
        assert!(matches!(
            parsed.errors[0].kind,
            ImportIssueKind::InvalidLgCode { .. }
        ));
        assert_eq!(parsed.errors[0].column.as_deref(), Some("団体コード"));
        assert!(matches!(
            parsed.errors[1].kind,
            ImportIssueKind::UnknownSystem { .. }
        ));
        assert!(matches!(
            parsed.errors[2].kind,
            ImportIssueKind::OutOfRange { .. }
        ));
        assert_eq!(parsed.errors[2].column.as_deref(), Some("完了ステップ数"));
    }

    #[test]
    fn rules_across_columns() {
        let csv = "lg_code,system,status,steps_done,percent,actual_go_live,special_migration_support,extension_target_date\n\
                   131016,1,live,40,,,,\n\
                   131024,1,in_progress,10,50,,,\n\
                   131032,1,in_progress,10,,,×,2029-01-01\n\
                   131041,1,in_progress,10,,,○,2031-04-01\n\
                   131059,1,in_progress,10,,,,\n\
                   131059,住民基本台帳,in_progress,10,,,,\n";
        // The cells: 進捗率 against 完了ステップ数, and a repeated municipality × system.
        let parsed = parse(csv.as_bytes(), &reference(), |_| true);
        let kinds: Vec<(usize, ImportIssueKind)> = parsed
            .errors
            .into_iter()
            .map(|e| (e.line, e.kind))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (
                    3,
                    ImportIssueKind::PercentMismatch {
                        percent: "50".into(),
                        steps: "10".into()
                    }
                ),
                (7, ImportIssueKind::DuplicateRow { first_line: 6 }),
            ]
        );
        // The record rules, on each valid line merged (nothing stored), by Japanese column.
        assert_eq!(
            merged_rules(csv, None),
            vec![
                (2, "本番稼働日", ImportIssueKind::LiveWithoutDate),
                (4, "移行目標日", ImportIssueKind::ExtensionWithoutFlag),
                (5, "事由", ImportIssueKind::ExtensionNeedsReason),
                (
                    5,
                    "移行目標日",
                    ImportIssueKind::ExtensionTooLate {
                        value: "2031-04-01".into()
                    }
                ),
            ]
        );
    }

    /// The record-rule issues of every valid line of `csv`, each merged over `before`:
    /// (line, column, kind).
    fn merged_rules(
        csv: &str,
        before: Option<&Progress>,
    ) -> Vec<(usize, &'static str, ImportIssueKind)> {
        let parsed = parse(csv.as_bytes(), &reference(), |_| true);
        parsed
            .lines
            .iter()
            .flat_map(|line| line.merged_issues(&line.apply(before, 40), 40))
            .map(|i| {
                let column = Column::ALL
                    .iter()
                    .find(|(_, ja, _)| Some(*ja) == i.column.as_deref())
                    .map_or("?", |(_, ja, _)| *ja);
                (i.line, column, i.kind)
            })
            .collect()
    }

    #[test]
    fn the_record_rules_of_the_form_apply_to_each_merged_line() {
        use ImportIssueKind as K;
        let head = "団体コード,業務,進捗状況,特定移行支援,事由,事由詳細,移行目標日,経過措置機能,経過措置期限,ベンダ\n";
        let cases: [(&str, Vec<(&str, ImportIssueKind)>); 9] = [
            (
                "作業中,○,,,2030-01-01,,,",
                vec![("事由", K::ExtensionNeedsReason)],
            ),
            (
                "作業中,○,独自開発,,,,,",
                vec![("移行目標日", K::ExtensionNeedsTargetDate)],
            ),
            (
                "作業中,○,その他,,2030-01-01,,,",
                vec![("事由詳細", K::OtherReasonNeedsText)],
            ),
            ("作業中,○,その他,庁舎移転,2030-01-01,,,", vec![]),
            (
                "作業中,,,,,,2030-03-31,",
                vec![("経過措置機能", K::TransitionalNeedsFunctions)],
            ),
            ("作業中,,,,,宛名連携,2030-03-31,", vec![]),
            (
                "作業中,×,,庁舎移転,,,,",
                vec![("事由詳細", K::ExtensionWithoutFlag)],
            ),
            (
                &format!("作業中,,,,,,,{}", "ベ".repeat(201)),
                vec![(
                    "ベンダ",
                    K::TooLong {
                        max: 200,
                        length: 201,
                    },
                )],
            ),
            (&format!("作業中,,,,,,,{}", "ベ".repeat(200)), vec![]),
        ];
        for (cells, expected) in cases {
            let csv = format!("{head}131016,1,{cells}\n");
            let expected: Vec<(usize, &str, ImportIssueKind)> =
                expected.into_iter().map(|(c, k)| (2, c, k)).collect();
            assert_eq!(merged_rules(&csv, None), expected, "{cells}");
        }
    }

    #[test]
    fn the_stored_flag_counts_when_the_file_has_no_flag_column() {
        let mut flagged =
            Progress::empty(LgCode::parse("131016").unwrap(), "resident_registry", 40);
        flagged.special_migration_support = true;
        flagged.extension_reason = Some(ExtensionReason::Mainframe);
        flagged.extension_target_date = Some(d(2030, 1, 1));
        let csv = "団体コード,業務,進捗状況,事由\n131016,1,未着手,独自開発\n";
        assert_eq!(merged_rules(csv, Some(&flagged)), vec![]);
        let line = &parse(csv.as_bytes(), &reference(), |_| true).lines[0];
        let after = line.apply(Some(&flagged), 40);
        assert_eq!(after.extension_reason, Some(ExtensionReason::CustomBuilt));
        assert_eq!(after.extension_target_date, Some(d(2030, 1, 1)));

        // Over a record without the flag, the same line contradicts the stored record.
        let plain = Progress::empty(LgCode::parse("131016").unwrap(), "resident_registry", 40);
        assert_eq!(
            merged_rules(csv, Some(&plain)),
            vec![(2, "事由", ImportIssueKind::ExtensionWithoutFlag)]
        );
    }

    #[test]
    fn a_live_record_without_its_date_needs_it_even_when_it_was_live_before() {
        // A step-template change made it live without a date: the next line must bring it.
        let mut live = Progress::empty(LgCode::parse("131016").unwrap(), "resident_registry", 40);
        live.steps = vec![StepStatus::Done; 40];
        live.derive(40);
        let csv = "団体コード,業務,進捗状況,ベンダ\n131016,1,移行完了,ベンダZ\n";
        assert_eq!(
            merged_rules(csv, Some(&live)),
            vec![(2, "本番稼働日", ImportIssueKind::LiveWithoutDate)]
        );
        let csv = "団体コード,業務,進捗状況,本番稼働日\n131016,1,移行完了,2026-01-05\n";
        assert_eq!(merged_rules(csv, Some(&live)), vec![]);
    }

    #[test]
    fn missing_required_column_and_unknown_column() {
        let parsed = parse(
            "団体コード,状況メモ\n131016,x\n".as_bytes(),
            &reference(),
            |_| true,
        );
        assert_eq!(parsed.errors.len(), 2);
        assert!(parsed.errors.iter().all(|e| e.line == 1));
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(parsed.warnings[0].column.as_deref(), Some("状況メモ"));
    }

    #[test]
    fn other_municipalities_rows_refused_by_policy() {
        let csv = "団体コード,業務,進捗状況\n131164,1,未着手\n131016,1,未着手\n";
        let parsed = parse(csv.as_bytes(), &reference(), |c| c.as_str() == "131164");
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 3);
        assert!(matches!(
            parsed.errors[0].kind,
            ImportIssueKind::NotYourMunicipality { .. }
        ));
    }

    #[test]
    fn municipality_names_compare_as_people_type_them() {
        let csv = "団体コード,団体名,業務,進捗状況\n\
                   134023,青ケ島村,1,未着手\n\
                   134023,青ヵ島村,2,未着手\n\
                   133078,桧原村,1,未着手\n\
                   131130,澁谷区,1,未着手\n\
                   134023,Aogashima,3,未着手\n";
        let parsed = parse(csv.as_bytes(), &reference(), |_| true);
        assert_eq!(parsed.errors, vec![], "every line names its municipality");
        assert_eq!(parsed.lines.len(), 5);

        let csv = "団体コード,団体名,業務,進捗状況\n134023,八丈町,1,未着手\n";
        let parsed = parse(csv.as_bytes(), &reference(), |_| true);
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
        assert_eq!(parsed.errors[0].line, 2);
        assert_eq!(
            parsed.errors[0].kind,
            ImportIssueKind::NameMismatch {
                expected: "青ヶ島村".into(),
                value: "八丈町".into()
            }
        );
    }

    #[test]
    fn free_text_is_stored_nfc_and_otherwise_as_written() {
        // ベンダ with a combining dakuten (U+3099), as macOS writes file text, and full-width
        // letters that NFKC would change.
        let csv = "団体コード,業務,進捗状況,ベンダ\n131016,1,未着手,ヘ\u{3099}ンタ\u{3099}ＡＢＣ\n";
        let parsed = parse(csv.as_bytes(), &reference(), |_| true);
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(
            parsed.lines[0].vendor,
            Field::Set("ベンダＡＢＣ".to_owned())
        );
    }

    #[test]
    fn an_unclosed_quote_is_an_error_not_a_swallowed_line() {
        let csv =
            "団体コード,業務,進捗状況,ベンダ\n131016,1,作業中,\"unterminated\n131016,2,作業中,x\n";
        let parsed = parse(csv.as_bytes(), &reference(), |_| true);
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
        assert_eq!(parsed.errors[0].line, 2);
        assert!(matches!(
            parsed.errors[0].kind,
            ImportIssueKind::Syntax { .. }
        ));
    }

    #[test]
    fn large_files_are_bounded_and_parse_in_linear_time() {
        let mut csv = String::from("団体コード,業務,進捗状況\n");
        for _ in 0..(MAX_ROWS + 10) {
            csv.push_str(",,\n");
        }
        let parsed = parse(csv.as_bytes(), &reference(), |_| true);
        assert!(
            parsed
                .errors
                .iter()
                .any(|e| matches!(e.kind, ImportIssueKind::TooManyRows { .. }))
        );
        let long = format!(
            "団体コード,業務,進捗状況\n{},1,作業中\n",
            "9".repeat(10_000)
        );
        let parsed = parse(long.as_bytes(), &reference(), |_| true);
        let ImportIssueKind::InvalidLgCode { value } = &parsed.errors[0].kind else {
            panic!("{:?}", parsed.errors)
        };
        assert!(
            value.chars().count() <= MAX_QUOTED + 1,
            "quoted values are shortened"
        );
    }

    #[test]
    fn blank_lines_count_as_rows() {
        let csv = "団体コード,業務,進捗状況\r\n131016,1,作業中\r\n\r\n131016,99,作業中\r\n";
        let parsed = parse(csv.as_bytes(), &reference(), |_| true);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 4);
    }

    #[test]
    fn quoted_fields_with_commas_and_line_breaks_keep_line_numbers() {
        let csv = "団体コード,業務,進捗状況,ベンダ\n131016,1,作業中,\"A社, B社\nJV\"\n131016,99,作業中,\n";
        let parsed = parse(csv.as_bytes(), &reference(), |_| true);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 3);
    }

    #[test]
    fn apply_keeps_absent_columns_and_clears_blank_ones() {
        let r = reference();
        let before = parse("lg_code,system,status,steps_done,vendor,gov_cloud\n131016,1,in_progress,12,ベンダA,AWS\n".as_bytes(), &r, |_| true)
            .lines[0]
            .apply(None, 40);
        assert_eq!(before.vendor.as_deref(), Some("ベンダA"));
        let next = parse(
            "lg_code,system,status,gov_cloud\n131016,1,in_progress,\n".as_bytes(),
            &r,
            |_| true,
        )
        .lines[0]
            .apply(Some(&before), 40);
        assert_eq!(next.vendor.as_deref(), Some("ベンダA"));
        assert_eq!(next.steps_done, 12);
        assert_eq!(next.gov_cloud, None);
        let live = parse(
            "lg_code,system,status,actual_go_live\n131016,1,移行完了,R8.1.5\n".as_bytes(),
            &r,
            |_| true,
        )
        .lines[0]
            .apply(Some(&before), 40);
        assert_eq!(live.steps_done, 40);
        assert_eq!(live.actual_go_live, Some(d(2026, 1, 5)));
    }

    #[test]
    fn step_columns_set_steps_and_the_status_must_agree() {
        let r = reference();
        let header: String = (1..=40).map(|n| format!(",手順{n}")).collect();
        let all_done: String = (1..=40).map(|_| ",完了").collect();
        let csv = format!(
            "団体コード,業務,進捗状況,本番稼働日{header}\n131016,1,移行完了,2026-01-05{all_done}\n"
        );
        let parsed = parse(csv.as_bytes(), &r, |_| true);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let p = parsed.lines[0].apply(None, 40);
        assert_eq!(
            (p.status, p.steps_done, p.steps_applicable),
            (ProgressStatus::Live, 40, 40)
        );

        // The same steps with 作業中 contradict each other: the status column is named.
        let wrong = csv.replace("移行完了", "作業中");
        let parsed = parse(wrong.as_bytes(), &r, |_| true);
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
        assert_eq!(parsed.errors[0].column.as_deref(), Some("進捗状況"));
        assert!(matches!(
            parsed.errors[0].kind,
            ImportIssueKind::StatusMismatch { .. }
        ));
    }

    #[test]
    fn partial_step_columns_keep_other_steps_and_bad_values_are_named() {
        let r = reference();
        let csv = "lg_code,system,status,step_2,step_3\n131016,1,作業中,対象外,作業中\n";
        let parsed = parse(csv.as_bytes(), &r, |_| true);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let mut before = Progress::empty(LgCode::parse("131016").unwrap(), "resident_registry", 40);
        before.set_step(1, StepStatus::Done);
        before.derive(40);
        let p = parsed.lines[0].apply(Some(&before), 40);
        assert_eq!(
            p.step(1),
            StepStatus::Done,
            "a step without a column keeps its value"
        );
        assert_eq!(p.step(2), StepStatus::NotApplicable);
        assert_eq!(p.step(3), StepStatus::InProgress);
        assert_eq!((p.steps_done, p.steps_applicable), (1, 39));

        let bad = "lg_code,system,status,step_2,手順41\n131016,1,作業中,済み,完了\n";
        let parsed = parse(bad.as_bytes(), &r, |_| true);
        let got: Vec<(usize, Option<&str>)> = parsed
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![(1, Some("手順41"))],
            "an unknown step column stops the file"
        );
        let bad = "lg_code,system,status,step_2\n131016,1,作業中,済み\n";
        let parsed = parse(bad.as_bytes(), &r, |_| true);
        assert_eq!(parsed.errors[0].line, 2);
        assert_eq!(parsed.errors[0].column.as_deref(), Some("step_2"));
        assert!(matches!(
            parsed.errors[0].kind,
            ImportIssueKind::InvalidStepStatus { .. }
        ));
    }

    #[test]
    fn legacy_counts_must_match_the_status() {
        let r = reference();
        let csv = "lg_code,system,status,steps_done\n131016,1,未着手,5\n131016,2,移行完了,30\n";
        let parsed = parse(csv.as_bytes(), &r, |_| true);
        let mut lines: Vec<usize> = parsed
            .errors
            .iter()
            .filter(|e| matches!(e.kind, ImportIssueKind::StatusMismatch { .. }))
            .map(|e| e.line)
            .collect();
        lines.dedup();
        assert_eq!(lines, vec![2, 3], "{:?}", parsed.errors);
    }
}
