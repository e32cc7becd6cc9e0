//! The heatmap: municipalities × systems, per-system summaries and percentages.

use super::progress::{GovCloud, Progress};
use super::steps::{ProgressStatus, cell_text, percent_done, percent_text};
use super::system::StandardSystem;
use crate::i18n::Lang;
use crate::orgs::model::Organisation;
use serde::Deserialize;
use serde::Serialize;

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

/// What a matrix cell shows of a progress record: the counts behind its percentage and its
/// two flags. The record itself (steps, dates, vendor) is on the record's page, so the heatmap
/// holds its 1,240 cells in a few dozen bytes each.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MatrixCell {
    /// 進捗状況.
    pub status: ProgressStatus,
    /// 完了ステップ数 among the template's steps.
    pub steps_done: u8,
    /// Steps of the template that apply (not 対象外).
    pub steps_applicable: u8,
    /// 特定移行支援システム flag.
    pub special_migration_support: bool,
    /// ガバメントクラウド provider (what the matrix's provider filter selects by).
    pub gov_cloud: Option<GovCloud>,
    /// Generated demo data (never a municipality's report).
    pub is_demo: bool,
}

impl MatrixCell {
    /// 進捗率 in percent: done ÷ applicable steps × 100, 0.0–100.0 (0 when no step applies).
    pub fn percent(&self) -> f32 {
        percent_done(self.steps_done, self.steps_applicable)
    }

    /// The short text shown in a matrix cell: status, and the percentage when in progress.
    pub fn cell_text(&self, lang: Lang) -> String {
        cell_text(self.status, self.steps_done, self.steps_applicable, lang)
    }
}

impl From<&Progress> for MatrixCell {
    fn from(p: &Progress) -> MatrixCell {
        MatrixCell {
            status: p.status,
            steps_done: p.steps_done,
            steps_applicable: p.steps_applicable,
            special_migration_support: p.special_migration_support,
            gov_cloud: p.gov_cloud,
            is_demo: p.is_demo,
        }
    }
}

/// One municipality's row in the matrix: its cells in the order of [`Matrix::systems`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixRow {
    /// The municipality.
    pub organisation: Organisation,
    /// One entry per system; `None` when nothing was reported.
    pub cells: Vec<Option<MatrixCell>>,
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
        let sum: f32 = row.cells.iter().flatten().map(MatrixCell::percent).sum();
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
                let cells: Vec<Option<MatrixCell>> = systems
                    .iter()
                    .zip(summary.iter_mut())
                    .map(|(s, sum)| {
                        let cell = by_cell
                            .get(&(code.as_str(), s.code.as_str()))
                            .map(|p| MatrixCell::from(*p));
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
