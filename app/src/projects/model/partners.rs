//! The partner finder: from the standardization records, municipalities that could join a
//! project, each with its reasons (source: issue #10 item 6).
//!
//! A project names related standard systems. For each such system, the records of the
//! project's reference municipalities (its participants, and its lead when a municipality)
//! are compared with every other municipality's record of the same system; a municipality is
//! suggested when it shares the vendor (ベンダ, compared after trimming, case-insensitively),
//! the Government Cloud provider (ガバメントクラウド; "none" is no reason), or the fiscal year
//! (年度, April–March) of the planned go-live. Municipalities already taking part, and records
//! already live, are left out (a live system is no longer procured).

use crate::i18n::{Lang, fiscal_year};
use crate::standardization::model::{GovCloud, Progress, ProgressStatus};
use serde::{Deserialize, Serialize};

/// Why a municipality is suggested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PartnerReason {
    /// The same vendor for the same system.
    SameVendor {
        /// The system's code.
        system: String,
        /// The vendor as the suggested municipality wrote it.
        vendor: String,
    },
    /// The same Government Cloud provider for the same system.
    SameCloud {
        /// The system's code.
        system: String,
        /// The provider.
        cloud: GovCloud,
    },
    /// Go-live planned in the same fiscal year for the same system.
    SameFiscalYear {
        /// The system's code.
        system: String,
        /// The fiscal year (2026 = FY2026, April 2026 – March 2027).
        year: i32,
    },
}

impl PartnerReason {
    /// The reason as a sentence, with the system's name from `system_name`.
    pub fn text(&self, lang: Lang, system_name: impl Fn(&str) -> String) -> String {
        match (self, lang) {
            (PartnerReason::SameVendor { system, vendor }, Lang::Ja) => {
                format!("{}：同じベンダ（{vendor}）", system_name(system))
            }
            (PartnerReason::SameVendor { system, vendor }, Lang::En) => {
                format!("{}: same vendor ({vendor})", system_name(system))
            }
            (PartnerReason::SameCloud { system, cloud }, _) => match lang {
                Lang::Ja => format!(
                    "{}：同じガバメントクラウド（{}）",
                    system_name(system),
                    cloud.label(lang)
                ),
                Lang::En => format!(
                    "{}: same Government Cloud ({})",
                    system_name(system),
                    cloud.label(lang)
                ),
            },
            (PartnerReason::SameFiscalYear { system, year }, Lang::Ja) => {
                format!("{}：本番稼働予定が同じ{year}年度", system_name(system))
            }
            (PartnerReason::SameFiscalYear { system, year }, Lang::En) => {
                format!(
                    "{}: go-live planned in the same FY{year}",
                    system_name(system)
                )
            }
        }
    }
}

/// A suggested municipality and every reason found, in system order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerSuggestion {
    /// The municipality's key (its lg code).
    pub org_key: String,
    /// Why.
    pub reasons: Vec<PartnerReason>,
}

/// Suggests municipalities for a project with related `systems`, compared with the records of
/// the `reference` municipalities (participants, and a municipal lead), leaving out
/// `taking_part`; `records` are every stored progress record. Sorted by number of reasons
/// (most first), then by code.
pub fn suggest_partners(
    systems: &[String],
    reference: &[String],
    taking_part: &[String],
    records: &[Progress],
) -> Vec<PartnerSuggestion> {
    let vendor_key = |v: &Option<String>| {
        v.as_deref()
            .map(|v| v.trim().to_lowercase())
            .filter(|v| !v.is_empty())
    };
    let mut out: Vec<PartnerSuggestion> = Vec::new();
    for system in systems {
        let of_system = || records.iter().filter(|r| r.system == *system);
        let known: Vec<&Progress> = of_system()
            .filter(|r| reference.iter().any(|k| k == r.lg_code.as_str()))
            .collect();
        for candidate in of_system() {
            let key = candidate.lg_code.as_str();
            if candidate.status == ProgressStatus::Live
                || taking_part.iter().any(|k| k == key)
                || reference.iter().any(|k| k == key)
            {
                continue;
            }
            let mut reasons = Vec::new();
            if let Some(v) = vendor_key(&candidate.vendor)
                && known
                    .iter()
                    .any(|k| vendor_key(&k.vendor).as_ref() == Some(&v))
            {
                reasons.push(PartnerReason::SameVendor {
                    system: system.clone(),
                    vendor: candidate
                        .vendor
                        .clone()
                        .unwrap_or_default()
                        .trim()
                        .to_owned(),
                });
            }
            if let Some(cloud) = candidate.gov_cloud.filter(|c| *c != GovCloud::None)
                && known.iter().any(|k| k.gov_cloud == Some(cloud))
            {
                reasons.push(PartnerReason::SameCloud {
                    system: system.clone(),
                    cloud,
                });
            }
            if let Some(year) = candidate.planned_go_live.as_ref().map(fiscal_year)
                && known
                    .iter()
                    .any(|k| k.planned_go_live.as_ref().map(fiscal_year) == Some(year))
            {
                reasons.push(PartnerReason::SameFiscalYear {
                    system: system.clone(),
                    year,
                });
            }
            if reasons.is_empty() {
                continue;
            }
            match out.iter_mut().find(|s| s.org_key == key) {
                Some(s) => s.reasons.extend(reasons),
                None => out.push(PartnerSuggestion {
                    org_key: key.to_owned(),
                    reasons,
                }),
            }
        }
    }
    out.sort_by(|a, b| {
        b.reasons
            .len()
            .cmp(&a.reasons.len())
            .then_with(|| a.org_key.cmp(&b.org_key))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::model::LgCode;
    use chrono::NaiveDate;

    fn record(
        lg: &str,
        vendor: Option<&str>,
        cloud: Option<GovCloud>,
        planned: Option<(i32, u32)>,
    ) -> Progress {
        let mut p = Progress::empty(LgCode::parse(lg).unwrap(), "resident_registry", 40);
        p.vendor = vendor.map(str::to_owned);
        p.gov_cloud = cloud;
        p.planned_go_live = planned.and_then(|(y, m)| NaiveDate::from_ymd_opt(y, m, 1));
        p
    }

    #[test]
    fn municipalities_sharing_a_vendor_cloud_or_fiscal_year_are_suggested_with_reasons() {
        let records = vec![
            record(
                "131164",
                Some("ベンダA"),
                Some(GovCloud::Aws),
                Some((2026, 10)),
            ),
            // Same vendor written differently, same cloud, planned in FY2026 (Feb 2027).
            record(
                "131016",
                Some(" ベンダa "),
                Some(GovCloud::Aws),
                Some((2027, 2)),
            ),
            // Only the fiscal year.
            record(
                "132012",
                Some("ベンダB"),
                Some(GovCloud::Azure),
                Some((2026, 4)),
            ),
            // Nothing in common, "none" is no reason.
            record(
                "133035",
                Some("ベンダC"),
                Some(GovCloud::None),
                Some((2028, 4)),
            ),
        ];
        let systems = vec!["resident_registry".to_owned()];
        let found = suggest_partners(&systems, &["131164".into()], &[], &records);
        let keys: Vec<&str> = found.iter().map(|s| s.org_key.as_str()).collect();
        assert_eq!(keys, ["131016", "132012"]);
        assert_eq!(found[0].reasons.len(), 3);
        assert_eq!(
            found[1].reasons,
            vec![PartnerReason::SameFiscalYear {
                system: "resident_registry".into(),
                year: 2026
            }]
        );
        let text = found[0].reasons[0].text(Lang::Ja, |_| "住民基本台帳".into());
        assert_eq!(text, "住民基本台帳：同じベンダ（ベンダa）");
        // Those taking part and live records are left out.
        let found = suggest_partners(&systems, &["131164".into()], &["131016".into()], &records);
        assert_eq!(found.len(), 1);
        let mut live = records.clone();
        live[2].status = ProgressStatus::Live;
        assert_eq!(
            suggest_partners(&systems, &["131164".into()], &["131016".into()], &live),
            vec![]
        );
        // Without reference municipalities there is nothing to compare.
        assert!(suggest_partners(&systems, &[], &[], &records).is_empty());
    }
}
