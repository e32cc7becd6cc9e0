//! A progress record (one municipality × standard system): its fields, the extension and Government Cloud values, the rules it obeys (`Progress::check`), and how it changes.

use super::deadlines::{latest_extension_date, national_target_date};
use super::issues::ImportIssueKind;
use super::steps::{ProgressStatus, StepCounts, StepStatus, TOTAL_STEPS, percent_text};
use crate::history::model::FieldChange;
use crate::i18n::Lang;
use crate::orgs::model::LgCode;
use chrono::NaiveDate;
use serde::Deserialize;
use serde::Serialize;

/// 事由 of a 特定移行支援システム (reasons recorded nationally).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionReason {
    /// メインフレーム.
    Mainframe,
    /// 独自開発.
    CustomBuilt,
    /// 標準準拠製品なし.
    NoCompliantProduct,
    /// ベンダリソース不足.
    VendorCapacity,
    /// その他.
    Other,
}

impl ExtensionReason {
    /// All reasons.
    pub const ALL: [ExtensionReason; 5] = [
        ExtensionReason::Mainframe,
        ExtensionReason::CustomBuilt,
        ExtensionReason::NoCompliantProduct,
        ExtensionReason::VendorCapacity,
        ExtensionReason::Other,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            ExtensionReason::Mainframe => "mainframe",
            ExtensionReason::CustomBuilt => "custom_built",
            ExtensionReason::NoCompliantProduct => "no_compliant_product",
            ExtensionReason::VendorCapacity => "vendor_capacity",
            ExtensionReason::Other => "other",
        }
    }

    /// Japanese label as in the CSV format.
    pub fn label_ja(self) -> &'static str {
        match self {
            ExtensionReason::Mainframe => "メインフレーム",
            ExtensionReason::CustomBuilt => "独自開発",
            ExtensionReason::NoCompliantProduct => "標準準拠製品なし",
            ExtensionReason::VendorCapacity => "ベンダリソース不足",
            ExtensionReason::Other => "その他",
        }
    }

    /// Display label.
    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.label_ja(),
            Lang::En => match self {
                ExtensionReason::Mainframe => "Mainframe",
                ExtensionReason::CustomBuilt => "Custom-built",
                ExtensionReason::NoCompliantProduct => "No compliant product",
                ExtensionReason::VendorCapacity => "Vendor capacity",
                ExtensionReason::Other => "Other",
            },
        }
    }

    /// Parses a code or a Japanese label.
    pub fn parse(s: &str) -> Option<ExtensionReason> {
        let s = s.trim();
        ExtensionReason::ALL
            .into_iter()
            .find(|r| r.code() == s || r.label_ja() == s)
    }
}

/// ガバメントクラウド provider chosen for the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GovCloud {
    /// Amazon Web Services.
    Aws,
    /// Google Cloud.
    GoogleCloud,
    /// Microsoft Azure.
    Azure,
    /// Oracle Cloud Infrastructure.
    Oci,
    /// さくらのクラウド.
    Sakura,
    /// なし (not on the Government Cloud).
    None,
}

impl GovCloud {
    /// All providers.
    pub const ALL: [GovCloud; 6] = [
        GovCloud::Aws,
        GovCloud::GoogleCloud,
        GovCloud::Azure,
        GovCloud::Oci,
        GovCloud::Sakura,
        GovCloud::None,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            GovCloud::Aws => "aws",
            GovCloud::GoogleCloud => "google_cloud",
            GovCloud::Azure => "azure",
            GovCloud::Oci => "oci",
            GovCloud::Sakura => "sakura",
            GovCloud::None => "none",
        }
    }

    /// The label as written in CSV files (AWS, Google Cloud, Azure, OCI, さくらのクラウド, なし).
    pub fn label_csv(self) -> &'static str {
        match self {
            GovCloud::Aws => "AWS",
            GovCloud::GoogleCloud => "Google Cloud",
            GovCloud::Azure => "Azure",
            GovCloud::Oci => "OCI",
            GovCloud::Sakura => "さくらのクラウド",
            GovCloud::None => "なし",
        }
    }

    /// Display label.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (GovCloud::Sakura, Lang::En) => "Sakura Cloud",
            (GovCloud::None, Lang::En) => "None",
            (GovCloud::Azure, _) => "Microsoft Azure",
            (GovCloud::Oci, _) => "Oracle Cloud Infrastructure",
            _ => self.label_csv(),
        }
    }

    /// Parses a code or a CSV label, case-insensitively for the Latin names.
    pub fn parse(s: &str) -> Option<GovCloud> {
        let s = s.trim();
        let lower = s.to_lowercase();
        GovCloud::ALL.into_iter().find(|g| {
            g.code() == lower
                || g.label_csv().to_lowercase() == lower
                || g.label(Lang::En).to_lowercase() == lower
        })
    }
}

/// Progress of one municipality × standard system.
///
/// `steps` is the source of truth (index = step number − 1; missing entries are 未着手);
/// `status`, `steps_done` and `steps_applicable` are derived from it by [`Progress::derive`]
/// before every write, so that lists and dashboards need not recount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Municipality.
    pub lg_code: LgCode,
    /// Standard system code, e.g. `resident_registry`.
    pub system: String,
    /// 進捗状況 (derived: all applicable steps done = 移行完了).
    pub status: ProgressStatus,
    /// 完了ステップ数 among the template's steps (derived).
    pub steps_done: u8,
    /// 作業中 steps among the template's steps (derived).
    #[serde(default)]
    pub steps_in_progress: u8,
    /// Steps of the template that apply (not 対象外) (derived).
    #[serde(default = "default_applicable")]
    pub steps_applicable: u8,
    /// Status of each step; index = step number − 1.
    #[serde(default)]
    pub steps: Vec<StepStatus>,
    /// 本番稼働予定日 (date, JST).
    pub planned_go_live: Option<NaiveDate>,
    /// 本番稼働日 (date, JST).
    pub actual_go_live: Option<NaiveDate>,
    /// 特定移行支援システム flag.
    pub special_migration_support: bool,
    /// 事由 of the extension, only with the flag.
    pub extension_reason: Option<ExtensionReason>,
    /// Free text for 事由 = その他 (or detail for any reason).
    #[serde(default)]
    pub extension_reason_text: Option<String>,
    /// 移行目標日 of the extension, not after 2031-03-31.
    pub extension_target_date: Option<NaiveDate>,
    /// 経過措置: the functions to be implemented after migration (free text).
    #[serde(default)]
    pub transitional_functions: Option<String>,
    /// 経過措置: by when those functions will be implemented.
    #[serde(default)]
    pub transitional_until: Option<NaiveDate>,
    /// ガバメントクラウド provider.
    pub gov_cloud: Option<GovCloud>,
    /// ベンダ (vendor) name.
    pub vendor: Option<String>,
    /// 製品 (product) name.
    #[serde(default)]
    pub product: Option<String>,
    /// 備考 in Markdown (rendered sanitized).
    #[serde(default)]
    pub notes: Option<String>,
    /// Generated demo data rather than a municipality's report.
    pub is_demo: bool,
    /// When the record was last written (RFC 3339, UTC; set by the database). The edit form
    /// sends it back so that a save over someone else's newer change is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// Longest free texts of a progress record, in characters, enforced by [`Progress::check`]
/// for the edit form and the import alike, so that what one accepts the other accepts too.
pub mod text_limits {
    /// ベンダ.
    pub const VENDOR: usize = 200;
    /// 製品.
    pub const PRODUCT: usize = 200;
    /// 事由詳細.
    pub const EXTENSION_REASON_TEXT: usize = 2_000;
    /// 経過措置機能.
    pub const TRANSITIONAL_FUNCTIONS: usize = 2_000;
    /// 備考 (Markdown).
    pub const NOTES: usize = 20_000;
}

/// The version of a record that was never saved (see [`Progress::version`]).
pub const NEW_RECORD_VERSION: &str = "new";

/// A field of a progress record that a rule of [`Progress::check`] names.
///
/// [`RecordField::code`] is the edit form's field name (and the history's); the import names
/// the same field by its Japanese column header (`IMPORT_FORMAT.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordField {
    /// 本番稼働日.
    ActualGoLive,
    /// 事由 (of a 特定移行支援 case).
    ExtensionReason,
    /// 事由詳細.
    ExtensionReasonText,
    /// 移行目標日.
    ExtensionTargetDate,
    /// 経過措置機能.
    TransitionalFunctions,
    /// ベンダ.
    Vendor,
    /// 製品.
    Product,
    /// 備考.
    Notes,
}

impl RecordField {
    /// The form's (and history's) field name: `actual_go_live`, `extension_reason`, …, `notes`.
    pub fn code(self) -> &'static str {
        match self {
            RecordField::ActualGoLive => "actual_go_live",
            RecordField::ExtensionReason => "extension_reason",
            RecordField::ExtensionReasonText => "extension_reason_text",
            RecordField::ExtensionTargetDate => "extension_target_date",
            RecordField::TransitionalFunctions => "transitional_functions",
            RecordField::Vendor => "vendor",
            RecordField::Product => "product",
            RecordField::Notes => "notes",
        }
    }

    /// Display label, as the record page names the field.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RecordField::ActualGoLive => lang.pick("本番稼働日", "Go-live"),
            RecordField::ExtensionReason => lang.pick("事由", "Reason"),
            RecordField::ExtensionReasonText => lang.pick("事由の詳細", "Reason in detail"),
            RecordField::ExtensionTargetDate => lang.pick("移行目標日", "Target date"),
            RecordField::TransitionalFunctions => {
                lang.pick("経過措置の機能", "Transitional functions")
            }
            RecordField::Vendor => lang.pick("ベンダ", "Vendor"),
            RecordField::Product => lang.pick("製品", "Product"),
            RecordField::Notes => lang.pick("備考", "Notes"),
        }
    }
}

/// A rule of [`Progress::check`] that a record breaks: the field it names and what is wrong
/// (the same [`ImportIssueKind`] the import reports, so that both paths say the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    /// The field the rule names.
    pub field: RecordField,
    /// What is wrong.
    pub kind: ImportIssueKind,
}

fn default_applicable() -> u8 {
    TOTAL_STEPS
}

impl Progress {
    /// An empty record (nothing reported) for a municipality × system.
    pub fn empty(lg_code: LgCode, system: &str, template_len: usize) -> Progress {
        let mut p = Progress {
            lg_code,
            system: system.to_owned(),
            status: ProgressStatus::NotStarted,
            steps_done: 0,
            steps_in_progress: 0,
            steps_applicable: 0,
            steps: Vec::new(),
            planned_go_live: None,
            actual_go_live: None,
            special_migration_support: false,
            extension_reason: None,
            extension_reason_text: None,
            extension_target_date: None,
            transitional_functions: None,
            transitional_until: None,
            gov_cloud: None,
            vendor: None,
            product: None,
            notes: None,
            is_demo: false,
            updated_at: None,
        };
        p.derive(template_len);
        p
    }

    /// The record's version for the optimistic check of a save: its `updated_at`, or
    /// [`NEW_RECORD_VERSION`] for a record never saved, so that two first editors cannot
    /// overwrite each other either.
    pub fn version(&self) -> String {
        self.updated_at
            .clone()
            .unwrap_or_else(|| NEW_RECORD_VERSION.to_owned())
    }

    /// The status of step `no` (1-based); 未着手 when never set.
    pub fn step(&self, no: u8) -> StepStatus {
        usize::from(no)
            .checked_sub(1)
            .and_then(|i| self.steps.get(i).copied())
            .unwrap_or_default()
    }

    /// Sets the status of step `no` (1-based), growing the list as needed.
    pub fn set_step(&mut self, no: u8, status: StepStatus) {
        let Some(i) = usize::from(no).checked_sub(1) else {
            return;
        };
        if self.steps.len() <= i {
            self.steps.resize(i + 1, StepStatus::NotStarted);
        }
        self.steps[i] = status;
    }

    /// Recomputes `status`, `steps_done` and `steps_applicable` from `steps` for a template of
    /// `template_len` steps, and drops trailing 未着手 entries (they are the default).
    /// Entries past the template are kept (a later template may bring them back) but not counted.
    pub fn derive(&mut self, template_len: usize) {
        while self.steps.last() == Some(&StepStatus::NotStarted) {
            self.steps.pop();
        }
        let counts = StepCounts::of(&self.steps, template_len);
        self.steps_done = counts.done as u8;
        self.steps_in_progress = counts.in_progress as u8;
        self.steps_applicable = counts.applicable() as u8;
        self.status = counts.status();
    }

    /// The step counts as stored (derived fields; no need for `steps`).
    pub fn counts(&self) -> StepCounts {
        let applicable = u32::from(self.steps_applicable);
        let done = u32::from(self.steps_done);
        let in_progress = u32::from(self.steps_in_progress);
        StepCounts {
            done,
            in_progress,
            not_started: applicable.saturating_sub(done + in_progress),
            not_applicable: 0,
        }
    }

    /// 進捗率 in percent: done ÷ applicable steps × 100, 0.0–100.0 (0 when no step applies).
    pub fn percent(&self) -> f32 {
        if self.steps_applicable == 0 {
            0.0
        } else {
            f32::from(self.steps_done) * 100.0 / f32::from(self.steps_applicable)
        }
    }

    /// [`Self::percent`] rounded to 0.1 point, as text without `%`.
    pub fn percent_text(&self) -> String {
        percent_text(self.percent())
    }

    /// The short text shown in a matrix cell: status, and the percentage when in progress.
    pub fn cell_text(&self, lang: Lang) -> String {
        match self.status {
            ProgressStatus::InProgress => {
                format!("{} {}%", self.status.label(lang), self.percent_text())
            }
            other => other.label(lang).to_owned(),
        }
    }

    /// Whether the record is late on `today`: not live and past its own planned date, or (no
    /// extension) past the national target 2026-03-31. See [`Overdue`].
    pub fn overdue(&self, today: NaiveDate) -> Option<Overdue> {
        if self.status == ProgressStatus::Live {
            return None;
        }
        let own = if self.special_migration_support {
            self.extension_target_date.or(self.planned_go_live)
        } else {
            self.planned_go_live
        };
        if own.is_some_and(|d| d < today) {
            Some(Overdue::OwnPlan)
        } else if !self.special_migration_support && today > national_target_date() {
            Some(Overdue::NationalTarget)
        } else {
            None
        }
    }

    /// Without 特定移行支援 a record has no 事由, 事由詳細 or 移行目標日: clears them. Both the
    /// edit form (an unticked box) and the import apply it before [`Progress::check`].
    pub fn clear_extension_unless_flagged(&mut self) {
        if !self.special_migration_support {
            self.extension_reason = None;
            self.extension_reason_text = None;
            self.extension_target_date = None;
        }
    }

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
        use {ImportIssueKind as K, RecordField as F};
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

    /// The fields that differ from `other`, by stable field name, for change reports.
    pub fn changed_fields(&self, other: &Progress) -> Vec<&'static str> {
        let mut out = Vec::new();
        macro_rules! cmp {
            ($($f:ident),*) => {$(if self.$f != other.$f { out.push(stringify!($f)); })*};
        }
        cmp!(
            status,
            steps,
            planned_go_live,
            actual_go_live,
            special_migration_support,
            extension_reason,
            extension_reason_text,
            extension_target_date,
            transitional_functions,
            transitional_until,
            gov_cloud,
            vendor,
            product,
            notes,
            is_demo
        );
        out
    }

    /// One history line per changed field: (field, before, after) as display text; steps are
    /// listed one per changed step (`step_12`).
    pub fn diff(&self, after: &Progress) -> Vec<FieldChange> {
        let mut out = Vec::new();
        let fmt_date = |d: &Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let fmt_str = |s: &Option<String>| s.clone().unwrap_or_default();
        let mut push = |field: String, before: String, after: String| {
            if before != after {
                out.push(FieldChange {
                    field,
                    before,
                    after,
                });
            }
        };
        let len = self.steps.len().max(after.steps.len());
        for i in 0..len {
            let no = (i + 1) as u8;
            push(
                format!("step_{no}"),
                self.step(no).code().into(),
                after.step(no).code().into(),
            );
        }
        push(
            "status".into(),
            self.status.code().into(),
            after.status.code().into(),
        );
        push(
            "planned_go_live".into(),
            fmt_date(&self.planned_go_live),
            fmt_date(&after.planned_go_live),
        );
        push(
            "actual_go_live".into(),
            fmt_date(&self.actual_go_live),
            fmt_date(&after.actual_go_live),
        );
        push(
            "special_migration_support".into(),
            self.special_migration_support.to_string(),
            after.special_migration_support.to_string(),
        );
        push(
            "extension_reason".into(),
            self.extension_reason
                .map(|r| r.code().to_owned())
                .unwrap_or_default(),
            after
                .extension_reason
                .map(|r| r.code().to_owned())
                .unwrap_or_default(),
        );
        push(
            "extension_reason_text".into(),
            fmt_str(&self.extension_reason_text),
            fmt_str(&after.extension_reason_text),
        );
        push(
            "extension_target_date".into(),
            fmt_date(&self.extension_target_date),
            fmt_date(&after.extension_target_date),
        );
        push(
            "transitional_functions".into(),
            fmt_str(&self.transitional_functions),
            fmt_str(&after.transitional_functions),
        );
        push(
            "transitional_until".into(),
            fmt_date(&self.transitional_until),
            fmt_date(&after.transitional_until),
        );
        push(
            "gov_cloud".into(),
            self.gov_cloud
                .map(|g| g.code().to_owned())
                .unwrap_or_default(),
            after
                .gov_cloud
                .map(|g| g.code().to_owned())
                .unwrap_or_default(),
        );
        push(
            "vendor".into(),
            fmt_str(&self.vendor),
            fmt_str(&after.vendor),
        );
        push(
            "product".into(),
            fmt_str(&self.product),
            fmt_str(&after.product),
        );
        push("notes".into(), fmt_str(&self.notes), fmt_str(&after.notes));
        out
    }
}

/// Why a record counts as overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Overdue {
    /// Past the municipality's own planned go-live (or extension target) date.
    OwnPlan,
    /// Past the national target 2026-03-31 without an extension.
    NationalTarget,
}

impl Overdue {
    /// Display label.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Overdue::OwnPlan => lang.pick("予定日超過", "Past its planned date"),
            Overdue::NationalTarget => lang.pick(
                "国の期限（2026-03-31）超過",
                "Past the national target (2026-03-31)",
            ),
        }
    }
}
