//! One valid line of the file and how it merges over the stored record.

use super::super::model::{
    ExtensionReason, GovCloud, ImportIssue, ImportIssueKind, Progress, ProgressField,
    ProgressStatus, StepStatus,
};
use super::columns::Column;
use super::{MAX_QUOTED, issue};
use crate::orgs::model::LgCode;
use chrono::NaiveDate;

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
                    Column::Field(ProgressField::ExtensionReason),
                    matches!(self.extension_reason, Field::Set(_)),
                ),
                (
                    Column::Field(ProgressField::ExtensionReasonText),
                    matches!(self.extension_reason_text, Field::Set(_)),
                ),
                (
                    Column::Field(ProgressField::ExtensionTargetDate),
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
                Some(Column::STATUS.japanese()),
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
                    Some(Column::Field(i.field).japanese()),
                    i.kind.truncated(MAX_QUOTED),
                )
            }));
        }
        out
    }
}
