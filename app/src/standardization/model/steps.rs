//! The migration steps: the step template's steps and phases, a step's status, and what a record's steps add up to (counts and the record's status).

use crate::i18n::Lang;
use serde::Deserialize;
use serde::Serialize;

/// Number of steps in the national migration procedure (移行手順書); each is 2.5 %.
pub const TOTAL_STEPS: u8 = 40;

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

/// 進捗率 in percent: `done` ÷ `applicable` steps × 100, 0.0–100.0 (0 when no step applies).
pub fn percent_done(done: u8, applicable: u8) -> f32 {
    if applicable == 0 {
        0.0
    } else {
        f32::from(done) * 100.0 / f32::from(applicable)
    }
}

/// The short text of a matrix cell: the status, and the percentage when in progress
/// (`作業中 25%`, `In progress 25%`).
pub fn cell_text(status: ProgressStatus, done: u8, applicable: u8, lang: Lang) -> String {
    match status {
        ProgressStatus::InProgress => format!(
            "{} {}%",
            status.label(lang),
            percent_text(percent_done(done, applicable))
        ),
        other => other.label(lang).to_owned(),
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
