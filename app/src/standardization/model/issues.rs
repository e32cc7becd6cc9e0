//! Problems found in a file or a record, with their messages in both languages (shared by the import, the step template upload and the edit form).

use crate::i18n::Lang;
use serde::Deserialize;
use serde::Serialize;

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
    /// A 特定移行支援 record without its 事由 (see [`Progress::check`](crate::standardization::model::Progress::check)).
    ExtensionNeedsReason,
    /// 事由 その他 without its 事由詳細 (see [`Progress::check`](crate::standardization::model::Progress::check)).
    OtherReasonNeedsText,
    /// A 特定移行支援 record without its 移行目標日 (see [`Progress::check`](crate::standardization::model::Progress::check)).
    ExtensionNeedsTargetDate,
    /// A 経過措置期限 without the functions it covers, 経過措置機能 (see [`Progress::check`](crate::standardization::model::Progress::check)).
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
    /// A free text longer than its limit, `max` characters ([`text_limits`](super::text_limits)), on either path.
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
