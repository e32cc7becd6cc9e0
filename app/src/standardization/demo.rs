//! Deterministic demo data: plausible progress for every municipality × system, marked
//! `is_demo` so that it is never mistaken for a municipality's report. The same input always
//! gives the same output (FNV-1a hash of lg code and system), so a demo looks the same on
//! every machine and restarts change nothing.

use super::model::{
    ExtensionReason, GovCloud, Progress, ProgressStatus, StandardSystem, TOTAL_STEPS,
};
use crate::orgs::model::Organisation;
use chrono::NaiveDate;

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Demo progress for every municipality (organisations of a municipal kind) × system.
pub fn generate(organisations: &[Organisation], systems: &[StandardSystem]) -> Vec<Progress> {
    let clouds = [
        GovCloud::Aws,
        GovCloud::Aws,
        GovCloud::Aws,
        GovCloud::GoogleCloud,
        GovCloud::Azure,
        GovCloud::Oci,
        GovCloud::Sakura,
    ];
    let vendors = ["ベンダA", "ベンダB", "ベンダC", "ベンダD"];
    let mut out = Vec::new();
    for org in organisations.iter().filter(|o| o.kind.is_municipal()) {
        let Some(lg_code) = org.lg_code.clone() else {
            continue;
        };
        // One provider and vendor per municipality, as most municipalities choose one.
        let org_hash = fnv1a(lg_code.as_str());
        let gov_cloud = clouds[(org_hash % clouds.len() as u64) as usize];
        let vendor = vendors[((org_hash >> 8) % vendors.len() as u64) as usize];
        for system in systems {
            let h = fnv1a(&format!("{lg_code}/{}", system.code));
            let roll = h % 100;
            let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
            let (status, steps_done, planned, actual, extension) = match roll {
                0..=54 => {
                    let day = date(2026, 1 + (h >> 16) as u32 % 3, 1 + (h >> 24) as u32 % 28);
                    (ProgressStatus::Live, TOTAL_STEPS, day, day, None)
                }
                55..=84 => {
                    let steps = 8 + ((h >> 16) % 31) as u8;
                    (
                        ProgressStatus::InProgress,
                        steps,
                        date(2026, 4 + (h >> 24) as u32 % 9, 1),
                        None,
                        None,
                    )
                }
                85..=95 => {
                    let reason = ExtensionReason::ALL[((h >> 16) % 5) as usize];
                    let steps = 2 + ((h >> 20) % 20) as u8;
                    let target = date(2027 + ((h >> 24) % 4) as i32, 1 + (h >> 28) as u32 % 12, 1);
                    (
                        ProgressStatus::InProgress,
                        steps,
                        target,
                        None,
                        Some((reason, target)),
                    )
                }
                _ => (ProgressStatus::NotStarted, 0, None, None, None),
            };
            out.push(Progress {
                lg_code: lg_code.clone(),
                system: system.code.clone(),
                status,
                steps_done,
                planned_go_live: planned,
                actual_go_live: actual,
                special_migration_support: extension.is_some(),
                extension_reason: extension.map(|(r, _)| r),
                extension_target_date: extension.and_then(|(_, d)| d),
                gov_cloud: Some(gov_cloud),
                vendor: Some(vendor.to_owned()),
                is_demo: true,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::reference::{
        LOCAL_GOVERNMENTS_CSV, STANDARD_SYSTEMS_CSV, parse_organisations, parse_systems,
    };
    use crate::standardization::model::latest_extension_date;

    #[test]
    fn fills_every_cell_deterministically_and_plausibly() {
        let orgs = parse_organisations(LOCAL_GOVERNMENTS_CSV).unwrap();
        let systems = parse_systems(STANDARD_SYSTEMS_CSV).unwrap();
        let a = generate(&orgs, &systems);
        assert_eq!(a.len(), 62 * 20);
        assert_eq!(a, generate(&orgs, &systems));
        for p in &a {
            assert!(p.is_demo);
            assert!(p.steps_done <= TOTAL_STEPS);
            assert_eq!(p.status == ProgressStatus::Live, p.actual_go_live.is_some());
            assert!(
                p.extension_target_date
                    .is_none_or(|d| d <= latest_extension_date())
            );
        }
        for status in ProgressStatus::ALL {
            assert!(a.iter().any(|p| p.status == status), "{status:?} missing");
        }
        assert!(a.iter().any(|p| p.special_migration_support));
    }
}
