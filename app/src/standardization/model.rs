//! Standardization domain types, shared by server and browser.
//!
//! Source of the rules: デジタル庁「地方公共団体情報システムの標準化に関する法律」and its 基本方針;
//! the 40-step migration procedure (移行手順書), each step worth 2.5 %; the FY2025 target
//! (2026-03-31) and the 特定移行支援システム extension to about the end of FY2030 (2031-03-31).

use crate::i18n::Lang;
use crate::orgs::model::{LgCode, Organisation};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::history::model::{FieldChange, HistoryEntry};

/// Number of steps in the national migration procedure (移行手順書); each is 2.5 %.
pub const TOTAL_STEPS: u8 = 40;

/// Latest allowed extension target date for 特定移行支援システム: end of FY2030.
pub fn latest_extension_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2031, 3, 31).expect("valid date")
}

/// The national migration target: end of FY2025.
pub fn national_target_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 31).expect("valid date")
}

/// One of the 20 standard systems (`standard_systems.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandardSystem {
    /// 1–20, as municipalities number them.
    pub no: u8,
    /// Stable code, e.g. `resident_registry`.
    pub code: String,
    /// e.g. 住民基本台帳.
    pub name_ja: String,
    /// e.g. Resident registry.
    pub name_en: String,
    /// 所管府省, e.g. 総務省.
    pub ministry_ja: String,
}

impl StandardSystem {
    /// The name in the chosen language.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_ja, &self.name_en)
    }
}

/// 進捗状況 of one municipality × system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressStatus {
    /// 未着手.
    NotStarted,
    /// 作業中.
    InProgress,
    /// 移行完了 (live on the standard-compliant system).
    Live,
}

impl ProgressStatus {
    /// All statuses in order.
    pub const ALL: [ProgressStatus; 3] = [
        ProgressStatus::NotStarted,
        ProgressStatus::InProgress,
        ProgressStatus::Live,
    ];

    /// Stable code used in CSV and the database.
    pub fn code(self) -> &'static str {
        match self {
            ProgressStatus::NotStarted => "not_started",
            ProgressStatus::InProgress => "in_progress",
            ProgressStatus::Live => "live",
        }
    }

    /// Japanese label as in the CSV format.
    pub fn label_ja(self) -> &'static str {
        match self {
            ProgressStatus::NotStarted => "未着手",
            ProgressStatus::InProgress => "作業中",
            ProgressStatus::Live => "移行完了",
        }
    }

    /// Display label.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ProgressStatus::NotStarted => lang.pick("未着手", "Not started"),
            ProgressStatus::InProgress => lang.pick("作業中", "In progress"),
            ProgressStatus::Live => lang.pick("移行完了", "Live"),
        }
    }

    /// Parses a code or a Japanese label.
    pub fn parse(s: &str) -> Option<ProgressStatus> {
        let s = s.trim();
        ProgressStatus::ALL
            .into_iter()
            .find(|p| p.code() == s || p.label_ja() == s)
    }
}

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

/// 作業状況 of one step of the migration procedure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// 未着手.
    #[default]
    NotStarted,
    /// 作業中.
    InProgress,
    /// 完了.
    Done,
    /// 対象外 (excluded from the percentage).
    NotApplicable,
}

impl StepStatus {
    /// All statuses in form order.
    pub const ALL: [StepStatus; 4] = [
        StepStatus::NotStarted,
        StepStatus::InProgress,
        StepStatus::Done,
        StepStatus::NotApplicable,
    ];

    /// Stable code used in forms, CSV and the database.
    pub fn code(self) -> &'static str {
        match self {
            StepStatus::NotStarted => "not_started",
            StepStatus::InProgress => "in_progress",
            StepStatus::Done => "done",
            StepStatus::NotApplicable => "not_applicable",
        }
    }

    /// Japanese label (CSV cells use it).
    pub fn label_ja(self) -> &'static str {
        match self {
            StepStatus::NotStarted => "未着手",
            StepStatus::InProgress => "作業中",
            StepStatus::Done => "完了",
            StepStatus::NotApplicable => "対象外",
        }
    }

    /// Display label.
    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.label_ja(),
            Lang::En => match self {
                StepStatus::NotStarted => "Not started",
                StepStatus::InProgress => "In progress",
                StepStatus::Done => "Done",
                StepStatus::NotApplicable => "Not applicable",
            },
        }
    }

    /// Parses a code, a Japanese or English label, or a blank (未着手).
    pub fn parse(s: &str) -> Option<StepStatus> {
        let s = s.trim();
        if s.is_empty() {
            return Some(StepStatus::NotStarted);
        }
        let lower = s.to_lowercase();
        StepStatus::ALL.into_iter().find(|x| {
            x.code() == lower || x.label_ja() == s || x.label(Lang::En).to_lowercase() == lower
        })
    }
}

/// フェーズ of the migration procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// 計画立案.
    Planning,
    /// システム選定・調達.
    Procurement,
    /// 移行.
    Migration,
    /// 稼働.
    GoLive,
}

impl Phase {
    /// All phases in order.
    pub const ALL: [Phase; 4] = [
        Phase::Planning,
        Phase::Procurement,
        Phase::Migration,
        Phase::GoLive,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Phase::Planning => "planning",
            Phase::Procurement => "procurement",
            Phase::Migration => "migration",
            Phase::GoLive => "go_live",
        }
    }

    /// Display label.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Phase::Planning => lang.pick("計画立案", "Planning"),
            Phase::Procurement => lang.pick("システム選定・調達", "Selection and procurement"),
            Phase::Migration => lang.pick("移行", "Migration"),
            Phase::GoLive => lang.pick("稼働", "Go-live"),
        }
    }

    /// Parses a code or the Japanese or English label.
    pub fn parse(s: &str) -> Option<Phase> {
        let s = s.trim();
        let lower = s.to_lowercase();
        Phase::ALL.into_iter().find(|p| {
            p.code() == lower || p.label(Lang::Ja) == s || p.label(Lang::En).to_lowercase() == lower
        })
    }
}

/// One step of the step template (移行手順書の作業項目).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Step number, 1–N without gaps; progress is mapped to steps by this number.
    pub no: u8,
    /// Phase.
    pub phase: Phase,
    /// Name in Japanese, e.g. 推進体制の立ち上げ.
    pub name_ja: String,
    /// Name in English.
    pub name_en: String,
}

impl Step {
    /// The name in the chosen language.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_ja, &self.name_en)
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

/// Counts of step statuses among the first `template_len` steps of a record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepCounts {
    /// 完了.
    pub done: u32,
    /// 作業中.
    pub in_progress: u32,
    /// 未着手 (including never-set steps).
    pub not_started: u32,
    /// 対象外.
    pub not_applicable: u32,
}

impl StepCounts {
    /// Counts `steps` over a template of `template_len` steps.
    pub fn of(steps: &[StepStatus], template_len: usize) -> StepCounts {
        let mut c = StepCounts::default();
        for i in 0..template_len {
            match steps.get(i).copied().unwrap_or_default() {
                StepStatus::Done => c.done += 1,
                StepStatus::InProgress => c.in_progress += 1,
                StepStatus::NotStarted => c.not_started += 1,
                StepStatus::NotApplicable => c.not_applicable += 1,
            }
        }
        c
    }

    /// Adds another record's counts.
    pub fn add(&mut self, other: StepCounts) {
        self.done += other.done;
        self.in_progress += other.in_progress;
        self.not_started += other.not_started;
        self.not_applicable += other.not_applicable;
    }

    /// The record's status these counts give: every applicable step done = 移行完了, any step
    /// done or in progress = 作業中, else 未着手.
    pub fn status(&self) -> ProgressStatus {
        if self.applicable() > 0 && self.done == self.applicable() {
            ProgressStatus::Live
        } else if self.done + self.in_progress > 0 {
            ProgressStatus::InProgress
        } else {
            ProgressStatus::NotStarted
        }
    }

    /// Steps that apply (all but 対象外).
    pub fn applicable(&self) -> u32 {
        self.done + self.in_progress + self.not_started
    }

    /// `count` as a percentage of the applicable steps, 0 when none apply.
    pub fn rate(&self, count: u32) -> f32 {
        let n = self.applicable();
        if n == 0 {
            0.0
        } else {
            count as f32 * 100.0 / n as f32
        }
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

/// A percentage rounded to 0.1 point, as text without `%`: `54.8`, `50` (lists, dashboard,
/// exports).
pub fn percent_text(p: f32) -> String {
    format_percent((p * 10.0).round() / 10.0)
}

/// Formats a percentage without a trailing `.0`: `32.5`, `50`.
pub fn format_percent(p: f32) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}")
    }
}

/// Share of municipalities per status for one system (summary row of the matrix), in percent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SystemSummary {
    /// Standard system code.
    pub system: String,
    /// Municipalities counted (those shown by the filter).
    pub total: u32,
    /// Live.
    pub live: u32,
    /// In progress.
    pub in_progress: u32,
    /// Not started (including cells with no report).
    pub not_started: u32,
    /// 特定移行支援 cases.
    pub extension: u32,
}

impl SystemSummary {
    /// `count` as a percentage of `total`, 0 when empty.
    pub fn share(&self, count: u32) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            count as f32 * 100.0 / self.total as f32
        }
    }

    /// [`Self::share`] as display text rounded to 0.1 point: `54.8%`, `50%`.
    pub fn share_text(&self, count: u32) -> String {
        format!("{}%", percent_text(self.share(count)))
    }
}

/// One municipality's row in the matrix: its cells in the order of [`Matrix::systems`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixRow {
    /// The municipality.
    pub organisation: Organisation,
    /// One entry per system; `None` when nothing was reported.
    pub cells: Vec<Option<Progress>>,
}

/// The standardization matrix: municipalities × 20 systems, with a summary per system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    /// The 20 systems, in number order.
    pub systems: Vec<StandardSystem>,
    /// Municipalities in code order (after the filter).
    pub rows: Vec<MatrixRow>,
    /// One summary per system, same order as `systems`.
    pub summary: Vec<SystemSummary>,
}

impl Matrix {
    /// Sorts rows by average progress (mean of the cells' percentages, unreported = 0),
    /// highest first when `descending`; ties keep code order.
    pub fn sort_by_progress(&mut self, descending: bool) {
        self.rows.sort_by(|a, b| {
            let (x, y) = (Matrix::row_percent(a), Matrix::row_percent(b));
            let order = x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
            if descending { order.reverse() } else { order }
        });
    }

    /// The average progress of a row in percent (unreported cells count 0).
    pub fn row_percent(row: &MatrixRow) -> f32 {
        let sum: f32 = row.cells.iter().flatten().map(Progress::percent).sum();
        sum / row.cells.len().max(1) as f32
    }

    /// Builds rows and summaries from reference data and stored progress.
    pub fn build(
        systems: Vec<StandardSystem>,
        municipalities: Vec<Organisation>,
        progress: &[Progress],
    ) -> Matrix {
        use std::collections::HashMap;
        let by_cell: HashMap<(&str, &str), &Progress> = progress
            .iter()
            .map(|p| ((p.lg_code.as_str(), p.system.as_str()), p))
            .collect();
        let mut summary: Vec<SystemSummary> = systems
            .iter()
            .map(|s| SystemSummary {
                system: s.code.clone(),
                ..Default::default()
            })
            .collect();
        let rows = municipalities
            .into_iter()
            .map(|org| {
                let code = org
                    .lg_code
                    .as_ref()
                    .map(|c| c.as_str().to_owned())
                    .unwrap_or_default();
                let cells: Vec<Option<Progress>> = systems
                    .iter()
                    .zip(summary.iter_mut())
                    .map(|(s, sum)| {
                        let cell = by_cell
                            .get(&(code.as_str(), s.code.as_str()))
                            .copied()
                            .cloned();
                        sum.total += 1;
                        match cell.as_ref().map(|c| c.status) {
                            Some(ProgressStatus::Live) => sum.live += 1,
                            Some(ProgressStatus::InProgress) => sum.in_progress += 1,
                            _ => sum.not_started += 1,
                        }
                        if cell.as_ref().is_some_and(|c| c.special_migration_support) {
                            sum.extension += 1;
                        }
                        cell
                    })
                    .collect();
                MatrixRow {
                    organisation: org,
                    cells,
                }
            })
            .collect();
        Matrix {
            systems,
            rows,
            summary,
        }
    }
}

/// Where an import problem is: the spreadsheet line (header = 1) and the column header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportIssue {
    /// Line as a spreadsheet shows it (header = line 1); 0 for the file as a whole.
    pub line: usize,
    /// Column header as written in the file, when the problem is in one column.
    pub column: Option<String>,
    /// What is wrong.
    pub kind: ImportIssueKind,
}

/// What is wrong with an import line or the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ImportIssueKind {
    /// The file is empty or has no header line.
    Empty,
    /// Not UTF-8 and not Shift_JIS/CP932.
    Encoding,
    /// A CSV syntax problem (unbalanced quote, …).
    Syntax { detail: String },
    /// A required column is missing from the header.
    MissingColumn { column: String },
    /// A required value is blank.
    Required,
    /// Not a valid local government code (format or check digit).
    InvalidLgCode { value: String },
    /// A valid code that is not a Tokyo municipality.
    UnknownMunicipality { value: String },
    /// 団体名 does not match the code's name (shifted rows).
    NameMismatch { expected: String, value: String },
    /// Not one of the 20 systems.
    UnknownSystem { value: String },
    /// Not a known status.
    InvalidStatus { value: String },
    /// Not an integer within the range.
    OutOfRange {
        value: String,
        min: String,
        max: String,
    },
    /// 進捗率 and 完了ステップ数 disagree by more than 2.5 points.
    PercentMismatch { percent: String, steps: String },
    /// Not a date in a known format.
    InvalidDate { value: String },
    /// 本番稼働日 missing on a 移行完了 record (IMPORT_FORMAT.md: required when status is 移行完了).
    LiveWithoutDate,
    /// Not a yes/no value.
    InvalidFlag { value: String },
    /// Not a known extension reason.
    InvalidReason { value: String },
    /// 事由, 事由詳細 or 移行目標日 given in a file for a record without the 特定移行支援 flag.
    ExtensionWithoutFlag,
    /// Extension target date after 2031-03-31.
    ExtensionTooLate { value: String },
    /// A 特定移行支援 record without its 事由 (see [`Progress::check`]).
    ExtensionNeedsReason,
    /// 事由 その他 without its 事由詳細 (see [`Progress::check`]).
    OtherReasonNeedsText,
    /// A 特定移行支援 record without its 移行目標日 (see [`Progress::check`]).
    ExtensionNeedsTargetDate,
    /// A 経過措置期限 without the functions it covers, 経過措置機能 (see [`Progress::check`]).
    TransitionalNeedsFunctions,
    /// Not a known Government Cloud provider.
    InvalidGovCloud { value: String },
    /// The same municipality × system appears on an earlier line.
    DuplicateRow { first_line: usize },
    /// The importing user may not write this municipality's rows.
    NotYourMunicipality { value: String },
    /// An unknown column (a warning: the column is ignored).
    UnknownColumn,
    /// A second column with the same meaning as an earlier one, at 1-based `position` (a
    /// warning: only the first is read).
    DuplicateColumn { position: usize },
    /// More data lines than one import accepts.
    TooManyRows { max: usize },
    /// Step template: the number is not the next one.
    StepNumber { value: String, expected: String },
    /// Step template: not a known phase.
    InvalidPhase { value: String },
    /// Not a known step status.
    InvalidStepStatus { value: String },
    /// A step column for a step the template does not have.
    UnknownStep { value: String },
    /// 進捗状況 given in the file disagrees with the one the steps give.
    StatusMismatch { value: String, derived: String },
    /// A free text longer than its limit, `max` characters ([`text_limits`]), on either path.
    TooLong { max: usize, length: usize },
    /// A record the file changes was written by someone else while the import was checked:
    /// nothing was written; importing the file again compares it with the new values.
    ChangedMeanwhile,
}

impl ImportIssueKind {
    /// The same problem with quoted cell values shortened to `max` characters (plus `…`), so
    /// that a huge cell is not echoed back or stored whole.
    pub fn truncated(self, max: usize) -> ImportIssueKind {
        let cut = |v: String| {
            if v.chars().count() > max {
                v.chars().take(max).chain(std::iter::once('…')).collect()
            } else {
                v
            }
        };
        use ImportIssueKind as K;
        match self {
            K::InvalidLgCode { value } => K::InvalidLgCode { value: cut(value) },
            K::UnknownMunicipality { value } => K::UnknownMunicipality { value: cut(value) },
            K::NameMismatch { expected, value } => K::NameMismatch {
                expected,
                value: cut(value),
            },
            K::UnknownSystem { value } => K::UnknownSystem { value: cut(value) },
            K::InvalidStatus { value } => K::InvalidStatus { value: cut(value) },
            K::OutOfRange { value, min, max: m } => K::OutOfRange {
                value: cut(value),
                min,
                max: m,
            },
            K::PercentMismatch { percent, steps } => K::PercentMismatch {
                percent: cut(percent),
                steps,
            },
            K::InvalidDate { value } => K::InvalidDate { value: cut(value) },
            K::InvalidFlag { value } => K::InvalidFlag { value: cut(value) },
            K::InvalidReason { value } => K::InvalidReason { value: cut(value) },
            K::ExtensionTooLate { value } => K::ExtensionTooLate { value: cut(value) },
            K::InvalidGovCloud { value } => K::InvalidGovCloud { value: cut(value) },
            K::NotYourMunicipality { value } => K::NotYourMunicipality { value: cut(value) },
            K::Syntax { detail } => K::Syntax {
                detail: cut(detail),
            },
            K::StepNumber { value, expected } => K::StepNumber {
                value: cut(value),
                expected,
            },
            K::InvalidPhase { value } => K::InvalidPhase { value: cut(value) },
            K::InvalidStepStatus { value } => K::InvalidStepStatus { value: cut(value) },
            K::StatusMismatch { value, derived } => K::StatusMismatch {
                value: cut(value),
                derived,
            },
            other => other,
        }
    }

    /// Whether this is only a warning (the import can still go ahead).
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            ImportIssueKind::UnknownColumn | ImportIssueKind::DuplicateColumn { .. }
        )
    }

    /// What the user reads.
    pub fn message(&self, lang: Lang) -> String {
        use ImportIssueKind as K;
        let ja = matches!(lang, Lang::Ja);
        match self {
            K::Empty => lang
                .pick(
                    "ファイルが空か、見出し行がありません。",
                    "The file is empty or has no header line.",
                )
                .into(),
            K::Encoding => lang
                .pick(
                    "文字コードを判別できません（UTF-8 または Shift_JIS で保存してください）。",
                    "Unknown text encoding (save as UTF-8 or Shift_JIS).",
                )
                .into(),
            K::Syntax { detail } => {
                if ja {
                    format!("CSVの形式が正しくありません（{detail}）。")
                } else {
                    format!("Malformed CSV ({detail}).")
                }
            }
            K::MissingColumn { column } => {
                if ja {
                    format!("必須の列「{column}」がありません。")
                } else {
                    format!("Required column “{column}” is missing.")
                }
            }
            K::Required => lang.pick("値が必要です。", "A value is required.").into(),
            K::InvalidLgCode { value } => {
                if ja {
                    format!("「{value}」は正しい団体コードではありません（6桁、検査数字付き）。")
                } else {
                    format!(
                        "“{value}” is not a valid local government code (6 digits with check digit)."
                    )
                }
            }
            K::UnknownMunicipality { value } => {
                if ja {
                    format!("団体コード「{value}」は都内の区市町村ではありません。")
                } else {
                    format!("Code “{value}” is not a Tokyo municipality.")
                }
            }
            K::NameMismatch { expected, value } => {
                if ja {
                    format!("団体名「{value}」が団体コードの名称「{expected}」と一致しません。")
                } else {
                    format!("Name “{value}” does not match the code's name “{expected}”.")
                }
            }
            K::UnknownSystem { value } => {
                if ja {
                    format!("「{value}」は標準化対象の20業務にありません。")
                } else {
                    format!("“{value}” is not one of the 20 standard systems.")
                }
            }
            K::InvalidStatus { value } => {
                if ja {
                    format!(
                        "進捗状況「{value}」は 未着手・作業中・移行完了 のいずれかにしてください。"
                    )
                } else {
                    format!(
                        "Status “{value}” must be not_started, in_progress or live (未着手/作業中/移行完了)."
                    )
                }
            }
            K::OutOfRange { value, min, max } => {
                if ja {
                    format!("「{value}」は{min}から{max}の範囲の数値にしてください。")
                } else {
                    format!("“{value}” must be a number from {min} to {max}.")
                }
            }
            K::PercentMismatch { percent, steps } => {
                if ja {
                    format!(
                        "進捗率 {percent}% と完了ステップ数 {steps} が一致しません（1ステップ = 2.5%）。"
                    )
                } else {
                    format!(
                        "Percent {percent}% does not match {steps} steps done (one step = 2.5%)."
                    )
                }
            }
            K::InvalidDate { value } => {
                if ja {
                    format!(
                        "「{value}」は日付として読めません（例: 2026-01-05、令和8年1月5日、R8.1.5）。"
                    )
                } else {
                    format!("“{value}” is not a date (e.g. 2026-01-05, 令和8年1月5日, R8.1.5).")
                }
            }
            K::LiveWithoutDate => lang
                .pick(
                    "移行完了の記録には本番稼働日が必要です。",
                    "A live record (移行完了) needs its go-live date (本番稼働日).",
                )
                .into(),
            K::InvalidFlag { value } => {
                if ja {
                    format!("「{value}」は ○/× などの有無として読めません。")
                } else {
                    format!("“{value}” is not a yes/no value.")
                }
            }
            K::InvalidReason { value } => {
                if ja {
                    format!(
                        "事由「{value}」は メインフレーム・独自開発・標準準拠製品なし・ベンダリソース不足・その他 のいずれかにしてください。"
                    )
                } else {
                    format!(
                        "Reason “{value}” must be mainframe, custom_built, no_compliant_product, vendor_capacity or other."
                    )
                }
            }
            K::ExtensionWithoutFlag => lang
                .pick(
                    "事由・事由詳細・移行目標日は特定移行支援の行にだけ記入できます。",
                    "Reason, its detail and target date are only for 特定移行支援 (extension) rows.",
                )
                .into(),
            K::ExtensionNeedsReason => lang
                .pick(
                    "特定移行支援の記録には事由（メインフレーム・独自開発・標準準拠製品なし・ベンダリソース不足・その他）が必要です。",
                    "An extension case (特定移行支援) needs its reason: mainframe, custom_built, no_compliant_product, vendor_capacity or other.",
                )
                .into(),
            K::OtherReasonNeedsText => lang
                .pick(
                    "事由が「その他」のときは事由詳細を記入してください。",
                    "Reason “other” (その他) needs its detail (事由詳細).",
                )
                .into(),
            K::ExtensionNeedsTargetDate => lang
                .pick(
                    "特定移行支援の記録には移行目標日（2031-03-31まで）が必要です。",
                    "An extension case (特定移行支援) needs its target date (移行目標日), no later than 2031-03-31.",
                )
                .into(),
            K::TransitionalNeedsFunctions => lang
                .pick(
                    "経過措置期限を記入したときは、移行後に実装する機能（経過措置機能）も記入してください。",
                    "A transitional deadline (経過措置期限) needs the functions it covers (経過措置機能).",
                )
                .into(),
            K::ExtensionTooLate { value } => {
                if ja {
                    format!("移行目標日「{value}」は2031-03-31（令和12年度末）より後にできません。")
                } else {
                    format!("Target date “{value}” may not be after 2031-03-31 (end of FY2030).")
                }
            }
            K::InvalidGovCloud { value } => {
                if ja {
                    format!(
                        "ガバメントクラウド「{value}」は AWS・Google Cloud・Azure・OCI・さくらのクラウド・なし のいずれかにしてください。"
                    )
                } else {
                    format!(
                        "Government Cloud “{value}” must be AWS, Google Cloud, Azure, OCI, さくらのクラウド or なし."
                    )
                }
            }
            K::DuplicateRow { first_line } => {
                if ja {
                    format!("同じ団体・業務の行が{first_line}行目にもあります。")
                } else {
                    format!("The same municipality and system are already on line {first_line}.")
                }
            }
            K::NotYourMunicipality { value } => {
                if ja {
                    format!(
                        "団体コード「{value}」の行を取り込む権限がありません（自団体の行のみ取り込めます）。"
                    )
                } else {
                    format!(
                        "You may not import rows for code “{value}” (only your own municipality's rows)."
                    )
                }
            }
            K::UnknownColumn => lang
                .pick("不明な列のため無視しました。", "Unknown column: ignored.")
                .into(),
            K::DuplicateColumn { position } => {
                if ja {
                    format!(
                        "同じ意味の列が前にもあるため、{position}列目は無視しました（最初の列を読みます）。"
                    )
                } else {
                    format!(
                        "Column {position} repeats an earlier column: it is ignored (the first one is read)."
                    )
                }
            }
            K::StepNumber { value, expected } => {
                if ja {
                    format!("番号「{value}」は{expected}にしてください（1から順に、欠番なし）。")
                } else {
                    format!("Number “{value}” should be {expected} (numbered from 1 without gaps).")
                }
            }
            K::InvalidPhase { value } => {
                if ja {
                    format!(
                        "フェーズ「{value}」は 計画立案・システム選定・調達・移行・稼働 のいずれかにしてください。"
                    )
                } else {
                    format!("Phase “{value}” must be planning, procurement, migration or go_live.")
                }
            }
            K::InvalidStepStatus { value } => {
                if ja {
                    format!(
                        "手順の状況「{value}」は 未着手・作業中・完了・対象外 のいずれかにしてください。"
                    )
                } else {
                    format!(
                        "Step status “{value}” must be not_started, in_progress, done or not_applicable (未着手/作業中/完了/対象外)."
                    )
                }
            }
            K::UnknownStep { value } => {
                if ja {
                    format!("手順「{value}」は現在の手順テンプレートにありません。")
                } else {
                    format!("Step “{value}” is not in the current step template.")
                }
            }
            K::StatusMismatch { value, derived } => {
                if ja {
                    format!(
                        "進捗状況「{value}」が各手順の状況から求めた「{derived}」と一致しません。"
                    )
                } else {
                    format!(
                        "Status “{value}” does not match “{derived}”, which the step statuses give."
                    )
                }
            }
            K::TooManyRows { max } => {
                if ja {
                    format!("1回に取り込めるのは{max}行までです。ファイルを分けてください。")
                } else {
                    format!("At most {max} lines can be imported at once: please split the file.")
                }
            }
            K::TooLong { max, length } => {
                if ja {
                    format!("{max}文字以内にしてください（{length}文字あります）。")
                } else {
                    format!("At most {max} characters ({length} given).")
                }
            }
            K::ChangedMeanwhile => lang
                .pick(
                    "取込の確認中に、他の利用者がこのファイルの記録を更新しました。何も書き込んでいません。もう一度取り込んでください。",
                    "Someone else changed a record of this file while the import was being checked. Nothing was written: import the file again.",
                )
                .into(),
        }
    }
}

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
    /// When it ran (RFC 3339, UTC).
    pub created_at: String,
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

/// A step of the old template that the new one no longer has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemovedStep {
    /// The old step.
    pub step: Step,
    /// Records with a status other than 未着手 on it (kept, no longer counted).
    pub records: u32,
}

/// What replacing the step template did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateChange {
    /// Steps before.
    pub old_len: usize,
    /// Steps after.
    pub new_len: usize,
    /// Old steps past the new template's end.
    pub removed: Vec<RemovedStep>,
    /// Steps whose name or phase changed (same number).
    pub renamed: Vec<u8>,
    /// Records whose derived status or counts were recomputed.
    pub recomputed: usize,
    /// Records that became 移行完了 through the change without a 本番稼働日 (to be completed).
    pub live_without_date: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn issue(field: RecordField, kind: ImportIssueKind) -> FieldIssue {
        FieldIssue { field, kind }
    }

    #[test]
    fn check_names_each_broken_rule() {
        use {ImportIssueKind as K, RecordField as F};
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
        use RecordField as F;
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
