//! Deterministic demo data: plausible progress for every municipality × system, marked
//! `is_demo` so that it is never mistaken for a municipality's report. The same input always
//! gives the same output (FNV-1a hash of lg code and system), so a demo looks the same on
//! every machine and restarts change nothing.

use super::model::{ExtensionReason, GovCloud, Progress, StandardSystem, StepStatus};
use crate::orgs::model::Organisation;
use chrono::NaiveDate;

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Demo progress for every municipality (organisations of a municipal kind) × system, with
/// a status for each of the `template_len` steps: live systems have every step done (the RFI
/// steps 11–13 are sometimes 対象外), systems in progress have their first steps done and the
/// next one or two in progress. Every record obeys the record rules ([`Progress::check`]):
/// an extension with reason その他 has its 事由詳細.
pub fn generate(
    organisations: &[Organisation],
    systems: &[StandardSystem],
    template_len: usize,
) -> Vec<Progress> {
    let len = template_len.min(u8::MAX as usize) as u8;
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
            let (done, planned, actual, extension) = match roll {
                0..=54 => {
                    let day = date(2026, 1 + (h >> 16) as u32 % 3, 1 + (h >> 24) as u32 % 28);
                    (len, day, day, None)
                }
                55..=84 => {
                    let steps = (8 + ((h >> 16) % 31) as u8).min(len.saturating_sub(1));
                    (steps, date(2026, 4 + (h >> 24) as u32 % 9, 1), None, None)
                }
                85..=95 => {
                    let reason = ExtensionReason::ALL[((h >> 16) % 5) as usize];
                    let steps = (2 + ((h >> 20) % 20) as u8).min(len.saturating_sub(1));
                    let target = date(2027 + ((h >> 24) % 4) as i32, 1 + (h >> 28) as u32 % 12, 1);
                    (steps, target, None, Some((reason, target)))
                }
                _ => (0, None, None, None),
            };
            let mut p = Progress::empty(lg_code.clone(), &system.code, template_len);
            for no in 1..=done {
                p.set_step(no, StepStatus::Done);
            }
            if done > 0 && done < len {
                p.set_step(done + 1, StepStatus::InProgress);
                if (h >> 40).is_multiple_of(3) && done + 2 <= len {
                    p.set_step(done + 2, StepStatus::InProgress);
                }
            }
            if (h >> 44).is_multiple_of(4) && done > 13 {
                for no in 11..=13 {
                    p.set_step(no, StepStatus::NotApplicable);
                }
            }
            p.derive(template_len);
            p.planned_go_live = planned;
            p.actual_go_live = actual;
            p.special_migration_support = extension.is_some();
            p.extension_reason = extension.map(|(r, _)| r);
            p.extension_target_date = extension.and_then(|(_, d)| d);
            if p.extension_reason == Some(ExtensionReason::Other) {
                p.extension_reason_text = Some("庁内調整中（デモデータ）".into());
            }
            p.gov_cloud = Some(gov_cloud);
            p.vendor = Some(vendor.to_owned());
            p.is_demo = true;
            out.push(p);
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
    use crate::standardization::model::{ProgressStatus, latest_extension_date};

    #[test]
    fn fills_every_cell_deterministically_and_plausibly() {
        let orgs = parse_organisations(LOCAL_GOVERNMENTS_CSV).unwrap();
        let systems = parse_systems(STANDARD_SYSTEMS_CSV).unwrap();
        let a = generate(&orgs, &systems, 40);
        assert_eq!(a.len(), 62 * 20);
        assert_eq!(a, generate(&orgs, &systems, 40));
        for p in &a {
            assert!(p.is_demo);
            assert!(p.steps_done <= p.steps_applicable);
            let mut again = p.clone();
            again.derive(40);
            assert_eq!(&again, p, "derived fields are consistent");
            assert_eq!(p.status == ProgressStatus::Live, p.actual_go_live.is_some());
            assert!(
                p.extension_target_date
                    .is_none_or(|d| d <= latest_extension_date())
            );
            assert_eq!(
                p.check(),
                Ok(()),
                "{} {}: demo data obeys the record rules",
                p.lg_code,
                p.system
            );
        }
        for status in ProgressStatus::ALL {
            assert!(a.iter().any(|p| p.status == status), "{status:?} missing");
        }
        assert!(a.iter().any(|p| p.special_migration_support));
    }
}
