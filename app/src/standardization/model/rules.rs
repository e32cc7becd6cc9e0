//! The rules of a progress record ([`Progress::check`], one set for the edit form and the
//! import) and how two versions of a record differ (change reports and history lines).

use super::deadlines::latest_extension_date;
use super::field::ProgressField;
use super::issues::ImportIssueKind;
use super::progress::{ExtensionReason, Progress, text_limits};
use super::steps::ProgressStatus;
use crate::history::model::FieldChange;

/// A rule of [`Progress::check`] that a record breaks: the field it names and what is wrong
/// (the same [`ImportIssueKind`] the import reports, so that both paths say the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    /// The field the rule names.
    pub field: ProgressField,
    /// What is wrong.
    pub kind: ImportIssueKind,
}

impl Progress {
    /// The rules every record obeys when the edit form or an import writes it; all of them are
    /// errors, returned in this order (the form reports the first, the import every one):
    ///
    /// - free texts no longer than [`text_limits`] (ベンダ, 製品, 事由詳細, 経過措置機能, 備考):
    ///   [`ImportIssueKind::TooLong`];
    /// - 特定移行支援 needs its 事由 ([`ImportIssueKind::ExtensionNeedsReason`]), 事由 その他
    ///   needs its 事由詳細 ([`ImportIssueKind::OtherReasonNeedsText`]), and a 移行目標日
    ///   ([`ImportIssueKind::ExtensionNeedsTargetDate`]) no later than 2031-03-31, the end of
    ///   FY2030 ([`ImportIssueKind::ExtensionTooLate`]; DOMAIN.md, IMPORT_FORMAT.md);
    /// - 移行完了 needs its 本番稼働日 ([`ImportIssueKind::LiveWithoutDate`]; IMPORT_FORMAT.md:
    ///   "required when status is 移行完了"), also for a record a step-template change made live;
    /// - a 経過措置期限 needs the functions it covers, 経過措置機能
    ///   ([`ImportIssueKind::TransitionalNeedsFunctions`]; DOMAIN.md: 経過措置 is a filing of the
    ///   functions implemented after migration).
    ///
    /// Pure: it reads only the record (no stored value, template or date).
    pub fn check(&self) -> Result<(), Vec<FieldIssue>> {
        use {ImportIssueKind as K, ProgressField as F};
        let mut out = Vec::new();
        let mut push = |field, kind| out.push(FieldIssue { field, kind });
        let blank = |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
        for (field, text, max) in [
            (F::Vendor, &self.vendor, text_limits::VENDOR),
            (F::Product, &self.product, text_limits::PRODUCT),
            (
                F::ExtensionReasonText,
                &self.extension_reason_text,
                text_limits::EXTENSION_REASON_TEXT,
            ),
            (
                F::TransitionalFunctions,
                &self.transitional_functions,
                text_limits::TRANSITIONAL_FUNCTIONS,
            ),
            (F::Notes, &self.notes, text_limits::NOTES),
        ] {
            let length = text.as_deref().map_or(0, |t| t.chars().count());
            if length > max {
                push(field, K::TooLong { max, length });
            }
        }
        if self.special_migration_support {
            match self.extension_reason {
                None => push(F::ExtensionReason, K::ExtensionNeedsReason),
                Some(ExtensionReason::Other) if blank(&self.extension_reason_text) => {
                    push(F::ExtensionReasonText, K::OtherReasonNeedsText)
                }
                Some(_) => {}
            }
            if self.extension_target_date.is_none() {
                push(F::ExtensionTargetDate, K::ExtensionNeedsTargetDate);
            }
        }
        if let Some(d) = self.extension_target_date
            && d > latest_extension_date()
        {
            push(
                F::ExtensionTargetDate,
                K::ExtensionTooLate {
                    value: d.to_string(),
                },
            );
        }
        if self.status == ProgressStatus::Live && self.actual_go_live.is_none() {
            push(F::ActualGoLive, K::LiveWithoutDate);
        }
        if self.transitional_until.is_some() && blank(&self.transitional_functions) {
            push(F::TransitionalFunctions, K::TransitionalNeedsFunctions);
        }
        if out.is_empty() { Ok(()) } else { Err(out) }
    }

    /// The fields that differ from `other`, by stable field name, for change reports: the
    /// [`ProgressField`] codes in their order with `steps` after `status`, then `is_demo`.
    pub fn changed_fields(&self, other: &Progress) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = ProgressField::ALL
            .into_iter()
            .filter(|f| f.value_code(self) != f.value_code(other))
            .map(ProgressField::code)
            .collect();
        if self.steps != other.steps {
            // After 進捗状況, which the steps decide.
            let at = usize::from(out.first() == Some(&"status"));
            out.insert(at, "steps");
        }
        if self.is_demo != other.is_demo {
            out.push("is_demo");
        }
        out
    }

    /// One history line per changed field: (field, before, after) as kept by
    /// [`ProgressField::value_code`]; steps are listed one per changed step (`step_12`), first.
    pub fn diff(&self, after: &Progress) -> Vec<FieldChange> {
        let len = self.steps.len().max(after.steps.len());
        let steps = (1..=len).map(|i| {
            let no = i as u8;
            (
                format!("step_{no}"),
                self.step(no).code().to_owned(),
                after.step(no).code().to_owned(),
            )
        });
        let fields = ProgressField::ALL
            .into_iter()
            .map(|f| (f.code().to_owned(), f.value_code(self), f.value_code(after)));
        steps
            .chain(fields)
            .filter(|(_, before, after)| before != after)
            .map(|(field, before, after)| FieldChange {
                field,
                before,
                after,
            })
            .collect()
    }
}
