//! Reading one data line's cells into a [`ProgressLine`], with every problem of its cells.

use super::super::model::{
    ExtensionReason, GovCloud, ImportIssue, ImportIssueKind, ProgressField, ProgressStatus,
    StepCounts, StepStatus,
};
use super::columns::Column;
use super::line::{Field, ProgressLine};
use super::{MAX_QUOTED, Reference, issue, resolve_system};
use crate::csv_input::{normalize, parse_date, parse_flag};
use crate::orgs::model::LgCode;
use std::collections::HashMap;

/// Reads one data line, pushing each problem it finds.
pub(super) struct RowReader<'a> {
    /// The line's cells.
    pub(super) record: &'a csv::StringRecord,
    /// Column index per known column, and the header text as written.
    pub(super) columns: &'a HashMap<Column, (usize, String)>,
    /// Spreadsheet line (header = 1).
    pub(super) line: usize,
    /// Where problems go.
    pub(super) errors: &'a mut Vec<ImportIssue>,
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
    fn text(&self, f: ProgressField) -> Field<String> {
        let Some((i, _)) = self.columns.get(&Column::Field(f)) else {
            return Field::Keep;
        };
        // NFC only, which is canonically equivalent: a macOS file's decomposed か + ゛ is
        // stored as が, the same text as the form saves.
        let nfc = crate::text::nfc(self.record.get(*i).unwrap_or(""));
        let v = nfc.trim();
        let v = crate::csv_output::unneutralize(v);
        // Control characters and line ends as the form stores them (notes keep their lines).
        let cleaned = if f == ProgressField::Notes {
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
        f: ProgressField,
        parse: impl Fn(&str) -> Option<T>,
        bad: impl Fn(String) -> ImportIssueKind,
    ) -> Result<Field<T>, ()> {
        let c = Column::Field(f);
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

    pub(super) fn read(
        &mut self,
        reference: &Reference,
        may_write: &impl Fn(&LgCode) -> bool,
    ) -> Option<ProgressLine> {
        use ProgressField as F;
        let errors_before = self.errors.len();
        let lg_code = self.lg_code(reference, may_write);
        let system = self.required(Column::System).and_then(|v| {
            let found = resolve_system(&v, &reference.systems).map(|s| s.code.clone());
            if found.is_none() {
                self.fail(Column::System, ImportIssueKind::UnknownSystem { value: v });
            }
            found
        });
        let status = self.required(Column::STATUS).and_then(|v| {
            let found = ProgressStatus::parse(&v);
            if found.is_none() {
                self.fail(Column::STATUS, ImportIssueKind::InvalidStatus { value: v });
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
        let planned_go_live = self.field(F::PlannedGoLive, parse_date, |value| {
            ImportIssueKind::InvalidDate { value }
        });
        let actual_go_live = self.field(F::ActualGoLive, parse_date, |value| {
            ImportIssueKind::InvalidDate { value }
        });
        let special = self.field(F::SpecialMigrationSupport, parse_flag, |value| {
            ImportIssueKind::InvalidFlag { value }
        });
        let reason = self.field(F::ExtensionReason, ExtensionReason::parse, |value| {
            ImportIssueKind::InvalidReason { value }
        });
        let target = self.field(F::ExtensionTargetDate, parse_date, |value| {
            ImportIssueKind::InvalidDate { value }
        });
        let gov_cloud = self.field(F::GovCloud, GovCloud::parse, |value| {
            ImportIssueKind::InvalidGovCloud { value }
        });
        let vendor = self.text(F::Vendor);
        let product = self.text(F::Product);
        let reason_text = self.text(F::ExtensionReasonText);
        let transitional_functions = self.text(F::TransitionalFunctions);
        let notes = self.text(F::Notes);
        let transitional_until = self.field(F::TransitionalUntil, parse_date, |value| {
            ImportIssueKind::InvalidDate { value }
        });
        let steps = self.steps(reference.step_count);
        if let (Some(status), Ok(steps)) = (status, &steps)
            && steps.len() == reference.step_count
        {
            let by_no: Vec<StepStatus> = steps.iter().map(|(_, s)| *s).collect();
            let derived = StepCounts::of(&by_no, reference.step_count).status();
            if derived != status {
                let value = self.cell(Column::STATUS).unwrap_or_default();
                self.fail(
                    Column::STATUS,
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
                let value = self.cell(Column::STATUS).unwrap_or_default();
                self.fail(
                    Column::STATUS,
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
