//! The council dashboard: per system, the share of steps done / in progress / not started
//! across the municipalities (完了率 / 作業率 / 未着手率, as the national dashboard of the
//! Digital Agency shows them), extension cases by reason, and overdue municipalities.

use super::model::{
    ExtensionReason, GovCloud, Overdue, Progress, ProgressStatus, StandardSystem, StepCounts,
};
use crate::orgs::model::Organisation;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Rates of one system (or of all systems together).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SystemRates {
    /// Standard system code (empty for the total).
    pub system: String,
    /// Municipality × system records counted.
    pub records: u32,
    /// Step counts over those records (a municipality without a report counts every step of
    /// the template as 未着手).
    pub counts: StepCounts,
    /// Records live (移行完了).
    pub live: u32,
    /// 特定移行支援 cases.
    pub extension: u32,
}

impl SystemRates {
    /// 完了率, 作業率, 未着手率 in percent of the applicable steps.
    pub fn rates(&self) -> (f32, f32, f32) {
        let c = &self.counts;
        (c.rate(c.done), c.rate(c.in_progress), c.rate(c.not_started))
    }

    fn add(&mut self, p: Option<&Progress>, template_len: usize) {
        self.records += 1;
        match p {
            Some(p) => {
                self.counts.add(p.counts());
                self.live += u32::from(p.status == ProgressStatus::Live);
                self.extension += u32::from(p.special_migration_support);
            }
            None => self.counts.not_started += template_len as u32,
        }
    }
}

/// One municipality's overdue systems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueRow {
    /// The municipality.
    pub organisation: Organisation,
    /// (system code, why) for each overdue system, in system order.
    pub systems: Vec<(String, Overdue)>,
}

/// The council dashboard for the municipalities and records a filter selects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The 20 systems in number order.
    pub systems: Vec<StandardSystem>,
    /// Municipalities counted.
    pub municipalities: u32,
    /// One entry per system, same order as `systems`.
    pub rates: Vec<SystemRates>,
    /// All systems together.
    pub total: SystemRates,
    /// 特定移行支援 cases per reason (every reason listed, zero included; no reason given last
    /// as `None`).
    pub extensions: Vec<(Option<ExtensionReason>, u32)>,
    /// Municipalities with at least one overdue system, most overdue first.
    pub overdue: Vec<OverdueRow>,
    /// The day (JST) the overdue rule was applied to.
    pub today: NaiveDate,
}

impl Dashboard {
    /// Builds the dashboard. `municipalities` are those the kind filter keeps; with `cloud`,
    /// only records on that Government Cloud provider count (municipalities without such a
    /// record then add nothing). `template_len` is the number of steps in the template.
    pub fn build(
        systems: Vec<StandardSystem>,
        municipalities: Vec<Organisation>,
        progress: &[Progress],
        cloud: Option<GovCloud>,
        template_len: usize,
        today: NaiveDate,
    ) -> Dashboard {
        use std::collections::HashMap;
        let by_cell: HashMap<(&str, &str), &Progress> = progress
            .iter()
            .map(|p| ((p.lg_code.as_str(), p.system.as_str()), p))
            .collect();
        let mut rates: Vec<SystemRates> = systems
            .iter()
            .map(|s| SystemRates {
                system: s.code.clone(),
                ..Default::default()
            })
            .collect();
        let mut total = SystemRates::default();
        let mut extensions: Vec<(Option<ExtensionReason>, u32)> = ExtensionReason::ALL
            .into_iter()
            .map(|r| (Some(r), 0))
            .chain(std::iter::once((None, 0)))
            .collect();
        let mut overdue = Vec::new();
        for org in &municipalities {
            let code = org.lg_code.as_ref().map(|c| c.as_str()).unwrap_or_default();
            let mut late = Vec::new();
            for (system, rate) in systems.iter().zip(rates.iter_mut()) {
                let cell = by_cell.get(&(code, system.code.as_str())).copied();
                if cloud.is_some() && cell.and_then(|p| p.gov_cloud) != cloud {
                    continue;
                }
                rate.add(cell, template_len);
                total.add(cell, template_len);
                if let Some(p) = cell.filter(|p| p.special_migration_support) {
                    let slot = extensions
                        .iter_mut()
                        .find(|(r, _)| *r == p.extension_reason)
                        .expect("every reason and None are listed");
                    slot.1 += 1;
                }
                let why = match cell {
                    Some(p) => p.overdue(today),
                    None if today > super::model::national_target_date() => {
                        Some(Overdue::NationalTarget)
                    }
                    None => None,
                };
                if let Some(why) = why {
                    late.push((system.code.clone(), why));
                }
            }
            if !late.is_empty() {
                overdue.push(OverdueRow {
                    organisation: org.clone(),
                    systems: late,
                });
            }
        }
        overdue.sort_by_key(|row| std::cmp::Reverse(row.systems.len()));
        Dashboard {
            systems,
            municipalities: municipalities.len() as u32,
            rates,
            total,
            extensions,
            overdue,
            today,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::model::{LgCode, OrgKind};
    use crate::standardization::model::StepStatus;

    fn org(code: &str) -> Organisation {
        Organisation {
            key: code.into(),
            lg_code: Some(LgCode::parse(code).unwrap()),
            name_ja: code.into(),
            name_kana: String::new(),
            name_en: code.into(),
            kind: OrgKind::SpecialWard,
            district_ja: None,
        }
    }

    fn system(code: &str, no: u8) -> StandardSystem {
        StandardSystem {
            no,
            code: code.into(),
            name_ja: code.into(),
            name_en: code.into(),
            ministry_ja: String::new(),
        }
    }

    #[test]
    fn rates_exclude_not_applicable_steps_and_count_missing_reports_as_not_started() {
        let a = org("131016");
        let b = org("131024");
        let mut p = Progress::empty(a.lg_code.clone().unwrap(), "s1", 4);
        p.set_step(1, StepStatus::Done);
        p.set_step(2, StepStatus::InProgress);
        p.set_step(4, StepStatus::NotApplicable);
        p.gov_cloud = Some(GovCloud::Aws);
        p.derive(4);
        assert_eq!(
            (p.steps_done, p.steps_in_progress, p.steps_applicable),
            (1, 1, 3)
        );
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let d = Dashboard::build(
            vec![system("s1", 1)],
            vec![a.clone(), b.clone()],
            std::slice::from_ref(&p),
            None,
            4,
            today,
        );
        // a: 1 done, 1 in progress, 1 not started (of 3); b: nothing reported, 4 not started.
        assert_eq!(d.rates[0].counts.applicable(), 7);
        let (done, working, not_started) = d.rates[0].rates();
        assert!((done - 100.0 / 7.0).abs() < 1e-4);
        assert!((working - 100.0 / 7.0).abs() < 1e-4);
        assert!((not_started - 500.0 / 7.0).abs() < 1e-4);
        assert_eq!(
            d.overdue.len(),
            2,
            "both are past 2026-03-31 without extension"
        );

        let aws = Dashboard::build(
            vec![system("s1", 1)],
            vec![a, b],
            &[p],
            Some(GovCloud::Aws),
            4,
            today,
        );
        assert_eq!(aws.rates[0].records, 1, "only the AWS record counts");
    }

    #[test]
    fn extension_cases_are_not_overdue_before_their_target() {
        let a = org("131016");
        let mut p = Progress::empty(a.lg_code.clone().unwrap(), "s1", 40);
        p.special_migration_support = true;
        p.extension_reason = Some(ExtensionReason::Mainframe);
        p.extension_target_date = NaiveDate::from_ymd_opt(2029, 3, 31);
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(p.overdue(today), None);
        let d = Dashboard::build(vec![system("s1", 1)], vec![a], &[p], None, 40, today);
        assert!(d.overdue.is_empty());
        assert_eq!(d.extensions[0], (Some(ExtensionReason::Mainframe), 1));
    }
}
