//! Standardization domain types, shared by server and browser.
//!
//! Source of the rules: デジタル庁「地方公共団体情報システムの標準化に関する法律」and its 基本方針;
//! the 40-step migration procedure (移行手順書), each step worth 2.5 %; the FY2025 target
//! (2026-03-31) and the 特定移行支援システム extension to about the end of FY2030 (2031-03-31).

use crate::i18n::Lang;
use crate::orgs::model::{LgCode, Organisation};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

/// Progress of one municipality × standard system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Municipality.
    pub lg_code: LgCode,
    /// Standard system code, e.g. `resident_registry`.
    pub system: String,
    /// 進捗状況.
    pub status: ProgressStatus,
    /// 完了ステップ数, 0–40.
    pub steps_done: u8,
    /// 本番稼働予定日 (date, JST).
    pub planned_go_live: Option<NaiveDate>,
    /// 本番稼働日 (date, JST).
    pub actual_go_live: Option<NaiveDate>,
    /// 特定移行支援システム flag.
    pub special_migration_support: bool,
    /// 事由 of the extension, only with the flag.
    pub extension_reason: Option<ExtensionReason>,
    /// 移行目標日 of the extension, not after 2031-03-31.
    pub extension_target_date: Option<NaiveDate>,
    /// ガバメントクラウド provider.
    pub gov_cloud: Option<GovCloud>,
    /// ベンダ (vendor) name.
    pub vendor: Option<String>,
    /// Generated demo data rather than a municipality's report.
    pub is_demo: bool,
}

impl Progress {
    /// 進捗率 in percent (steps done × 2.5), 0.0–100.0.
    pub fn percent(&self) -> f32 {
        f32::from(self.steps_done) * 2.5
    }

    /// The short text shown in a matrix cell: status, and the percentage when in progress.
    pub fn cell_text(&self, lang: Lang) -> String {
        match self.status {
            ProgressStatus::InProgress => {
                format!(
                    "{} {}%",
                    self.status.label(lang),
                    format_percent(self.percent())
                )
            }
            other => other.label(lang).to_owned(),
        }
    }

    /// The fields that differ from `other`, by stable field name, for change reports.
    pub fn changed_fields(&self, other: &Progress) -> Vec<&'static str> {
        let mut out = Vec::new();
        macro_rules! cmp {
            ($($f:ident),*) => {$(if self.$f != other.$f { out.push(stringify!($f)); })*};
        }
        cmp!(
            status,
            steps_done,
            planned_go_live,
            actual_go_live,
            special_migration_support,
            extension_reason,
            extension_target_date,
            gov_cloud,
            vendor,
            is_demo
        );
        out
    }
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
        format!(
            "{}%",
            format_percent((self.share(count) * 10.0).round() / 10.0)
        )
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
    /// 本番稼働日 missing while status is 移行完了.
    LiveWithoutDate,
    /// Not a yes/no value.
    InvalidFlag { value: String },
    /// Not a known extension reason.
    InvalidReason { value: String },
    /// Extension fields given without the 特定移行支援 flag.
    ExtensionWithoutFlag,
    /// Extension target date after 2031-03-31.
    ExtensionTooLate { value: String },
    /// Not a known Government Cloud provider.
    InvalidGovCloud { value: String },
    /// The same municipality × system appears on an earlier line.
    DuplicateRow { first_line: usize },
    /// The importing user may not write this municipality's rows.
    NotYourMunicipality { value: String },
    /// An unknown column (a warning: the column is ignored).
    UnknownColumn,
    /// More data lines than one import accepts.
    TooManyRows { max: usize },
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
            other => other,
        }
    }

    /// Whether this is only a warning (the import can still go ahead).
    pub fn is_warning(&self) -> bool {
        matches!(self, ImportIssueKind::UnknownColumn)
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
                    "移行完了の行には本番稼働日が必要です。",
                    "A live system needs its go-live date (本番稼働日).",
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
                    "事由・移行目標日は特定移行支援の行にだけ記入できます。",
                    "Reason and target date are only for 特定移行支援 (extension) rows.",
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
            K::TooManyRows { max } => {
                if ja {
                    format!("1回に取り込めるのは{max}行までです。ファイルを分けてください。")
                } else {
                    format!("At most {max} lines can be imported at once: please split the file.")
                }
            }
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
    /// Errors (when any, nothing was written).
    pub errors: Vec<ImportIssue>,
    /// Warnings (unknown columns).
    pub warnings: Vec<ImportIssue>,
    /// When it ran (RFC 3339, UTC).
    pub created_at: String,
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

    #[test]
    fn percent_formatting() {
        assert_eq!(format_percent(32.5), "32.5");
        assert_eq!(format_percent(50.0), "50");
    }
}
