//! Standardization domain types, shared by server and browser, one concept per file.
//!
//! Source of the rules: デジタル庁「地方公共団体情報システムの標準化に関する法律」and its 基本方針;
//! the 40-step migration procedure (移行手順書), each step worth 2.5 %; the FY2025 target
//! (2026-03-31) and the 特定移行支援システム extension to about the end of FY2030 (2031-03-31).

mod deadlines;
mod field;
mod import_report;
mod issues;
mod matrix;
mod progress;
mod rules;
mod steps;
mod system;
mod template_change;

pub use crate::history::model::{FieldChange, HistoryEntry};
pub use deadlines::*;
pub use field::*;
pub use import_report::*;
pub use issues::*;
pub use matrix::*;
pub use progress::*;
pub use rules::*;
pub use steps::*;
pub use system::*;
pub use template_change::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::orgs::model::LgCode;
    use chrono::NaiveDate;

    #[test]
    fn enums_parse_codes_and_labels() {
        assert_eq!(
            ProgressStatus::parse("移行完了"),
            Some(ProgressStatus::Live)
        );
        assert_eq!(
            ProgressStatus::parse("in_progress"),
            Some(ProgressStatus::InProgress)
        );
        assert_eq!(ProgressStatus::parse("done"), None);
        assert_eq!(
            ExtensionReason::parse("ベンダリソース不足"),
            Some(ExtensionReason::VendorCapacity)
        );
        assert_eq!(GovCloud::parse("Google Cloud"), Some(GovCloud::GoogleCloud));
        assert_eq!(GovCloud::parse("aws"), Some(GovCloud::Aws));
        assert_eq!(GovCloud::parse("なし"), Some(GovCloud::None));
        assert_eq!(GovCloud::parse("IBM"), None);
    }

    fn record() -> Progress {
        Progress::empty(LgCode::parse("131164").unwrap(), "resident_registry", 40)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn issue(field: ProgressField, kind: ImportIssueKind) -> FieldIssue {
        FieldIssue { field, kind }
    }

    #[test]
    fn check_names_each_broken_rule() {
        use {ImportIssueKind as K, ProgressField as F};
        let extension = |p: &mut Progress| {
            p.special_migration_support = true;
            p.extension_reason = Some(ExtensionReason::Mainframe);
            p.extension_target_date = Some(latest_extension_date());
        };
        let too_long = |max: usize| K::TooLong {
            max,
            length: max + 1,
        };
        type Case = (&'static str, fn(&mut Progress), Option<FieldIssue>);
        let cases: Vec<Case> = vec![
            ("nothing reported", |_| {}, None),
            ("vendor 200", |p| p.vendor = Some("ベ".repeat(200)), None),
            (
                "vendor 201",
                |p| p.vendor = Some("ベ".repeat(201)),
                Some(issue(F::Vendor, too_long(200))),
            ),
            ("product 200", |p| p.product = Some("製".repeat(200)), None),
            (
                "product 201",
                |p| p.product = Some("製".repeat(201)),
                Some(issue(F::Product, too_long(200))),
            ),
            (
                "reason text 2,000",
                |p| p.extension_reason_text = Some("x".repeat(2_000)),
                None,
            ),
            (
                "reason text 2,001",
                |p| p.extension_reason_text = Some("x".repeat(2_001)),
                Some(issue(F::ExtensionReasonText, too_long(2_000))),
            ),
            (
                "transitional functions 2,001",
                |p| {
                    p.transitional_functions = Some("x".repeat(2_001));
                },
                Some(issue(F::TransitionalFunctions, too_long(2_000))),
            ),
            ("notes 20,000", |p| p.notes = Some("n".repeat(20_000)), None),
            (
                "notes 20,001",
                |p| p.notes = Some("n".repeat(20_001)),
                Some(issue(F::Notes, too_long(20_000))),
            ),
            (
                "an extension with reason and target",
                |p| {
                    p.special_migration_support = true;
                    p.extension_reason = Some(ExtensionReason::Mainframe);
                    p.extension_target_date = Some(latest_extension_date());
                },
                None,
            ),
            (
                "an extension without reason",
                |p| {
                    p.special_migration_support = true;
                    p.extension_target_date = Some(latest_extension_date());
                },
                Some(issue(F::ExtensionReason, K::ExtensionNeedsReason)),
            ),
            (
                "その他 without text",
                |p| {
                    p.special_migration_support = true;
                    p.extension_reason = Some(ExtensionReason::Other);
                    p.extension_reason_text = Some("  ".into());
                    p.extension_target_date = Some(latest_extension_date());
                },
                Some(issue(F::ExtensionReasonText, K::OtherReasonNeedsText)),
            ),
            (
                "その他 with text",
                |p| {
                    p.special_migration_support = true;
                    p.extension_reason = Some(ExtensionReason::Other);
                    p.extension_reason_text = Some("庁舎移転と重なるため".into());
                    p.extension_target_date = Some(latest_extension_date());
                },
                None,
            ),
            (
                "an extension without target",
                |p| {
                    p.special_migration_support = true;
                    p.extension_reason = Some(ExtensionReason::CustomBuilt);
                },
                Some(issue(F::ExtensionTargetDate, K::ExtensionNeedsTargetDate)),
            ),
            (
                "a target after 2031-03-31",
                |p| {
                    p.special_migration_support = true;
                    p.extension_reason = Some(ExtensionReason::CustomBuilt);
                    p.extension_target_date = Some(date(2031, 4, 1));
                },
                Some(issue(
                    F::ExtensionTargetDate,
                    K::ExtensionTooLate {
                        value: "2031-04-01".into(),
                    },
                )),
            ),
            (
                "live without go-live date",
                |p| {
                    p.steps = vec![StepStatus::Done; 40];
                    p.derive(40);
                },
                Some(issue(F::ActualGoLive, K::LiveWithoutDate)),
            ),
            (
                "live with go-live date",
                |p| {
                    p.steps = vec![StepStatus::Done; 40];
                    p.derive(40);
                    p.actual_go_live = Some(date(2026, 2, 2));
                },
                None,
            ),
            (
                "a transitional deadline alone",
                |p| p.transitional_until = Some(date(2030, 3, 31)),
                Some(issue(
                    F::TransitionalFunctions,
                    K::TransitionalNeedsFunctions,
                )),
            ),
            (
                "a transitional deadline with its functions",
                |p| {
                    p.transitional_until = Some(date(2030, 3, 31));
                    p.transitional_functions = Some("宛名連携".into());
                },
                None,
            ),
            (
                "functions without a deadline",
                |p| p.transitional_functions = Some("宛名連携".into()),
                None,
            ),
        ];
        for (name, mutate, expected) in cases {
            let mut p = record();
            mutate(&mut p);
            assert_eq!(
                p.check(),
                expected.map_or(Ok(()), |i| Err(vec![i])),
                "{name}"
            );
        }

        // Several rules broken at once: every one, lengths first, in the order of `check`.
        let mut p = record();
        extension(&mut p);
        p.steps = vec![StepStatus::Done; 40];
        p.derive(40);
        p.notes = Some("n".repeat(20_001));
        p.vendor = Some("v".repeat(201));
        p.extension_reason = None;
        p.extension_target_date = Some(date(2032, 1, 1));
        p.transitional_until = Some(date(2030, 3, 31));
        assert_eq!(
            p.check(),
            Err(vec![
                issue(F::Vendor, too_long(200)),
                issue(F::Notes, too_long(20_000)),
                issue(F::ExtensionReason, K::ExtensionNeedsReason),
                issue(
                    F::ExtensionTargetDate,
                    K::ExtensionTooLate {
                        value: "2032-01-01".into()
                    }
                ),
                issue(F::ActualGoLive, K::LiveWithoutDate),
                issue(F::TransitionalFunctions, K::TransitionalNeedsFunctions),
            ])
        );
    }

    #[test]
    fn without_the_flag_the_extension_fields_are_cleared_and_not_checked() {
        let mut p = record();
        p.extension_reason = Some(ExtensionReason::Other);
        p.extension_reason_text = Some("x".repeat(2_001));
        p.extension_target_date = Some(date(2032, 1, 1));
        p.clear_extension_unless_flagged();
        assert_eq!(
            (
                p.extension_reason,
                p.extension_reason_text.clone(),
                p.extension_target_date
            ),
            (None, None, None)
        );
        assert_eq!(p.check(), Ok(()));

        let mut flagged = record();
        flagged.special_migration_support = true;
        flagged.extension_reason = Some(ExtensionReason::Other);
        flagged.extension_reason_text = Some("庁舎移転".into());
        flagged.extension_target_date = Some(date(2030, 1, 1));
        let kept = flagged.clone();
        flagged.clear_extension_unless_flagged();
        assert_eq!(flagged, kept, "a flagged record keeps its extension");
    }

    #[test]
    fn every_record_field_has_a_code_and_labels() {
        use ProgressField as F;
        let all = [
            F::ActualGoLive,
            F::ExtensionReason,
            F::ExtensionReasonText,
            F::ExtensionTargetDate,
            F::TransitionalFunctions,
            F::Vendor,
            F::Product,
            F::Notes,
        ];
        for f in all {
            let code = serde_json::to_value(f).unwrap();
            assert_eq!(code, f.code(), "the serde name is the form's field name");
            assert!(!f.label(Lang::Ja).is_empty() && !f.label(Lang::En).is_empty());
        }
        for (kind, code) in [
            (
                ImportIssueKind::ExtensionNeedsReason,
                "extension_needs_reason",
            ),
            (
                ImportIssueKind::OtherReasonNeedsText,
                "other_reason_needs_text",
            ),
            (
                ImportIssueKind::ExtensionNeedsTargetDate,
                "extension_needs_target_date",
            ),
            (
                ImportIssueKind::TransitionalNeedsFunctions,
                "transitional_needs_functions",
            ),
        ] {
            assert!(!kind.is_warning());
            let json = serde_json::to_value(&kind).unwrap();
            assert_eq!(json["code"], code);
            let back: ImportIssueKind = serde_json::from_value(json).unwrap();
            assert_eq!(back, kind);
            assert_ne!(kind.message(Lang::Ja), kind.message(Lang::En));
        }
    }

    #[test]
    fn percent_formatting() {
        assert_eq!(format_percent(32.5), "32.5");
        assert_eq!(format_percent(50.0), "50");
    }
}
