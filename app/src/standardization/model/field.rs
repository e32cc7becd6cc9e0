//! [`ProgressField`]: the one list of a progress record's reported fields, with each field's
//! form and history name, its labels, its CSV header (`IMPORT_FORMAT.md`) and its value as the
//! history, the export and the record page show it. The import's columns, the export's header,
//! change detection and the history's labels all read this list, so a field added here appears
//! in all four.

use super::progress::{ExtensionReason, GovCloud, Progress};
use super::steps::ProgressStatus;
use crate::i18n::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A reported field of a progress record (the step statuses aside, which are numbered).
///
/// The serde form is [`ProgressField::code`] (`"actual_go_live"`), the edit form's field name
/// and the name kept in history entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressField {
    /// 進捗状況 (derived from the steps, but reported and kept in history).
    Status,
    /// 本番稼働予定日.
    PlannedGoLive,
    /// 本番稼働日.
    ActualGoLive,
    /// 特定移行支援.
    SpecialMigrationSupport,
    /// 事由 (of a 特定移行支援 case).
    ExtensionReason,
    /// 事由詳細.
    ExtensionReasonText,
    /// 移行目標日.
    ExtensionTargetDate,
    /// 経過措置機能.
    TransitionalFunctions,
    /// 経過措置期限.
    TransitionalUntil,
    /// ガバメントクラウド.
    GovCloud,
    /// ベンダ.
    Vendor,
    /// 製品.
    Product,
    /// 備考 (Markdown).
    Notes,
}

impl ProgressField {
    /// Every field, in the export's column order (`IMPORT_FORMAT.md`).
    pub const ALL: [ProgressField; 13] = [
        ProgressField::Status,
        ProgressField::PlannedGoLive,
        ProgressField::ActualGoLive,
        ProgressField::SpecialMigrationSupport,
        ProgressField::ExtensionReason,
        ProgressField::ExtensionReasonText,
        ProgressField::ExtensionTargetDate,
        ProgressField::TransitionalFunctions,
        ProgressField::TransitionalUntil,
        ProgressField::GovCloud,
        ProgressField::Vendor,
        ProgressField::Product,
        ProgressField::Notes,
    ];

    /// The form's and the history's field name: `status`, `planned_go_live`, …, `notes`.
    pub fn code(self) -> &'static str {
        self.names().0
    }

    /// The Japanese CSV header of the import and export (`IMPORT_FORMAT.md`): `進捗状況`, ….
    pub fn csv_header(self) -> &'static str {
        self.names().1
    }

    /// The English CSV header the import also accepts: the code, except `reason` for 事由.
    pub fn csv_name(self) -> &'static str {
        match self {
            ProgressField::ExtensionReason => "reason",
            other => other.code(),
        }
    }

    /// (code, CSV header, Japanese label, English label): the one table of names.
    fn names(self) -> (&'static str, &'static str, &'static str, &'static str) {
        use ProgressField as F;
        match self {
            F::Status => ("status", "進捗状況", "進捗状況", "Status"),
            F::PlannedGoLive => (
                "planned_go_live",
                "本番稼働予定日",
                "本番稼働予定日",
                "Planned go-live",
            ),
            F::ActualGoLive => ("actual_go_live", "本番稼働日", "本番稼働日", "Go-live"),
            F::SpecialMigrationSupport => (
                "special_migration_support",
                "特定移行支援",
                "特定移行支援",
                "Extension case",
            ),
            F::ExtensionReason => ("extension_reason", "事由", "事由", "Reason"),
            F::ExtensionReasonText => (
                "extension_reason_text",
                "事由詳細",
                "事由の詳細",
                "Reason in detail",
            ),
            F::ExtensionTargetDate => (
                "extension_target_date",
                "移行目標日",
                "移行目標日",
                "Target date",
            ),
            F::TransitionalFunctions => (
                "transitional_functions",
                "経過措置機能",
                "経過措置の機能",
                "Transitional functions",
            ),
            F::TransitionalUntil => (
                "transitional_until",
                "経過措置期限",
                "経過措置の期限",
                "Transitional by",
            ),
            F::GovCloud => (
                "gov_cloud",
                "ガバメントクラウド",
                "ガバメントクラウド",
                "Government Cloud",
            ),
            F::Vendor => ("vendor", "ベンダ", "ベンダ", "Vendor"),
            F::Product => ("product", "製品", "製品", "Product"),
            F::Notes => ("notes", "備考", "備考", "Notes"),
        }
    }

    /// The field a code names (`"vendor"` → `Vendor`); `None` for anything else (a step is
    /// `step_N`, see [`step_field`]).
    pub fn from_code(code: &str) -> Option<ProgressField> {
        ProgressField::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The field a CSV header names: the Japanese header, or the English name in any case.
    pub fn from_csv_header(header: &str) -> Option<ProgressField> {
        let lower = header.to_lowercase();
        ProgressField::ALL
            .into_iter()
            .find(|f| f.csv_header() == header || f.csv_name() == lower || f.code() == lower)
    }

    /// Display label, as the record page and its history name the field.
    pub fn label(self, lang: Lang) -> &'static str {
        let (_, _, ja, en) = self.names();
        lang.pick(ja, en)
    }

    /// The field's value in `p` as the history keeps it: codes for the choices (`live`,
    /// `mainframe`, `aws`), ISO dates, `true`/`false`, text as written; empty when unset.
    pub fn value_code(self, p: &Progress) -> String {
        use ProgressField as F;
        match self {
            F::Status => p.status.code().to_owned(),
            F::SpecialMigrationSupport => p.special_migration_support.to_string(),
            F::ExtensionReason => p.extension_reason.map(|r| r.code()).unwrap_or("").into(),
            F::GovCloud => p.gov_cloud.map(|g| g.code()).unwrap_or("").into(),
            _ => self.plain_value(p),
        }
    }

    /// The field's value in `p` as the CSV export writes it (and the import reads back):
    /// Japanese labels for the choices, `○`/`×` for the flag, ISO dates, text as written.
    pub fn csv_value(self, p: &Progress) -> String {
        use ProgressField as F;
        match self {
            F::Status => p.status.label_ja().to_owned(),
            F::SpecialMigrationSupport => if p.special_migration_support {
                "○"
            } else {
                "×"
            }
            .to_owned(),
            F::ExtensionReason => p
                .extension_reason
                .map(|r| r.label_ja())
                .unwrap_or("")
                .into(),
            F::GovCloud => p.gov_cloud.map(|g| g.label_csv()).unwrap_or("").into(),
            _ => self.plain_value(p),
        }
    }

    /// Dates and texts, written the same way everywhere.
    fn plain_value(self, p: &Progress) -> String {
        use ProgressField as F;
        let date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        let text = |s: &Option<String>| s.clone();
        match self {
            F::PlannedGoLive => date(p.planned_go_live),
            F::ActualGoLive => date(p.actual_go_live),
            F::ExtensionTargetDate => date(p.extension_target_date),
            F::TransitionalUntil => date(p.transitional_until),
            F::ExtensionReasonText => text(&p.extension_reason_text),
            F::TransitionalFunctions => text(&p.transitional_functions),
            F::Vendor => text(&p.vendor),
            F::Product => text(&p.product),
            F::Notes => text(&p.notes),
            F::Status | F::SpecialMigrationSupport | F::ExtensionReason | F::GovCloud => None,
        }
        .unwrap_or_default()
    }

    /// The display text of a value kept by [`ProgressField::value_code`]: labels for the
    /// choices and the flag; `None` for dates and texts, which show as written.
    pub fn value_label(self, value: &str, lang: Lang) -> Option<&'static str> {
        use ProgressField as F;
        match self {
            F::Status => ProgressStatus::parse(value).map(|s| s.label(lang)),
            F::ExtensionReason => ExtensionReason::parse(value).map(|r| r.label(lang)),
            F::GovCloud => GovCloud::parse(value).map(|g| g.label(lang)),
            F::SpecialMigrationSupport => Some(if value == "true" {
                lang.pick("該当", "Yes")
            } else {
                lang.pick("非該当", "No")
            }),
            _ => None,
        }
    }
}

/// The step number a history field names (`step_12` → 12).
pub fn step_field(field: &str) -> Option<u8> {
    field.strip_prefix("step_").and_then(|n| n.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::model::LgCode;

    #[test]
    fn every_name_finds_its_field() {
        for f in ProgressField::ALL {
            assert_eq!(ProgressField::from_code(f.code()), Some(f));
            assert_eq!(ProgressField::from_csv_header(f.csv_header()), Some(f));
            assert_eq!(
                ProgressField::from_csv_header(&f.csv_name().to_uppercase()),
                Some(f)
            );
            let json = serde_json::to_value(f).unwrap();
            assert_eq!(json, serde_json::Value::from(f.code()));
        }
        assert_eq!(
            ProgressField::from_csv_header("reason"),
            Some(ProgressField::ExtensionReason)
        );
        assert_eq!(ProgressField::from_csv_header("団体コード"), None);
        assert_eq!(step_field("step_12"), Some(12));
        assert_eq!(step_field("steps"), None);
    }

    #[test]
    fn values_are_written_for_history_and_csv() {
        let mut p = Progress::empty(LgCode::parse("131164").unwrap(), "resident_registry", 40);
        p.special_migration_support = true;
        p.extension_reason = Some(ExtensionReason::Mainframe);
        p.gov_cloud = Some(GovCloud::Aws);
        p.planned_go_live = NaiveDate::from_ymd_opt(2027, 1, 4);
        use ProgressField as F;
        assert_eq!(F::ExtensionReason.value_code(&p), "mainframe");
        assert_eq!(F::ExtensionReason.csv_value(&p), "メインフレーム");
        assert_eq!(F::SpecialMigrationSupport.value_code(&p), "true");
        assert_eq!(F::SpecialMigrationSupport.csv_value(&p), "○");
        assert_eq!(F::PlannedGoLive.csv_value(&p), "2027-01-04");
        assert_eq!(F::Vendor.csv_value(&p), "");
        assert_eq!(
            F::ExtensionReason.value_label("mainframe", Lang::En),
            Some("Mainframe")
        );
        assert_eq!(F::Vendor.value_label("ベンダA", Lang::Ja), None);
    }
}
