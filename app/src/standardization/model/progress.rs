//! A progress record (one municipality × standard system): its fields, the extension and Government Cloud values, the rules it obeys (`Progress::check`), and how it changes.

use super::deadlines::national_target_date;
use super::steps::{ProgressStatus, StepCounts, StepStatus, TOTAL_STEPS, percent_text};
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
        super::steps::percent_done(self.steps_done, self.steps_applicable)
    }

    /// [`Self::percent`] rounded to 0.1 point, as text without `%`.
    pub fn percent_text(&self) -> String {
        percent_text(self.percent())
    }

    /// The short text shown in a matrix cell: status, and the percentage when in progress.
    pub fn cell_text(&self, lang: Lang) -> String {
        super::steps::cell_text(self.status, self.steps_done, self.steps_applicable, lang)
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
