//! Replacing the step template: the plan (pure, [`plan_template_change`]) and what it did.

use super::progress::Progress;
use super::steps::{ProgressStatus, Step, StepStatus};
use crate::history::model::FieldChange;
use serde::Deserialize;
use serde::Serialize;

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

/// A record as a template replacement rewrites it.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRecordUpdate {
    /// The record with its derived counts for the new template.
    pub after: Progress,
    /// The version read ([`Progress::version`]): the write is refused if it changed since.
    pub version: String,
    /// The history lines (empty when the derived values stay the same).
    pub changes: Vec<FieldChange>,
}

/// What a template replacement will write: its summary and every record (each record is
/// written with its version checked, even unchanged, so that a save computed for the old
/// template conflicts with the replacement).
#[derive(Debug, Clone, PartialEq)]
pub struct TemplatePlan {
    /// The summary shown to the administrator.
    pub change: TemplateChange,
    /// One update per record, in the order given.
    pub updates: Vec<TemplateRecordUpdate>,
}

/// Plans replacing template `old` by `new` over `records`: step statuses stay mapped by number
/// (statuses past the new end are kept but no longer counted) and each record's derived status
/// and counts are recomputed for `new.len()` steps.
pub fn plan_template_change(old: &[Step], new: &[Step], records: &[Progress]) -> TemplatePlan {
    let removed = old
        .iter()
        .filter(|s| usize::from(s.no) > new.len())
        .map(|s| RemovedStep {
            step: s.clone(),
            records: records
                .iter()
                .filter(|p| p.step(s.no) != StepStatus::NotStarted)
                .count() as u32,
        })
        .collect();
    let renamed = new
        .iter()
        .filter(|s| old.iter().any(|o| o.no == s.no && o != *s))
        .map(|s| s.no)
        .collect();
    let updates: Vec<TemplateRecordUpdate> = records
        .iter()
        .map(|before| {
            let mut after = before.clone();
            after.derive(new.len());
            TemplateRecordUpdate {
                changes: before.diff(&after),
                version: before.version(),
                after,
            }
        })
        .collect();
    let live_without_date = records
        .iter()
        .zip(&updates)
        .filter(|(before, u)| {
            u.after.status == ProgressStatus::Live
                && before.status != ProgressStatus::Live
                && u.after.actual_go_live.is_none()
        })
        .count();
    TemplatePlan {
        change: TemplateChange {
            old_len: old.len(),
            new_len: new.len(),
            removed,
            renamed,
            recomputed: updates.iter().filter(|u| !u.changes.is_empty()).count(),
            live_without_date,
        },
        updates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::model::LgCode;

    fn template(len: u8) -> Vec<Step> {
        (1..=len)
            .map(|no| Step {
                no,
                name_ja: format!("手順{no}"),
                name_en: format!("Step {no}"),
                phase: crate::standardization::model::Phase::Planning,
            })
            .collect()
    }

    #[test]
    fn a_shorter_template_recomputes_counts_and_reports_removed_steps() {
        let mut done_39 =
            Progress::empty(LgCode::parse("131016").unwrap(), "resident_registry", 40);
        for no in 1..=39 {
            done_39.set_step(no, StepStatus::Done);
        }
        done_39.set_step(40, StepStatus::InProgress);
        done_39.derive(40);
        let untouched = Progress::empty(LgCode::parse("131024").unwrap(), "resident_registry", 40);
        let mut renamed = template(39);
        renamed[0].name_ja = "計画".into();

        let plan = plan_template_change(&template(40), &renamed, &[done_39.clone(), untouched]);

        assert_eq!(plan.change.old_len, 40);
        assert_eq!(plan.change.new_len, 39);
        assert_eq!(plan.change.removed.len(), 1);
        assert_eq!(plan.change.removed[0].step.no, 40);
        assert_eq!(plan.change.removed[0].records, 1);
        assert_eq!(plan.change.renamed, vec![1]);
        // 39 of 39 done: live now, without a go-live date.
        assert_eq!(plan.updates[0].after.status, ProgressStatus::Live);
        assert_eq!(plan.change.live_without_date, 1);
        assert_eq!(plan.change.recomputed, 1);
        assert!(plan.updates[1].changes.is_empty());
        assert_eq!(plan.updates[0].version, done_39.version());
        // Step 40's status is kept, no longer counted.
        assert_eq!(plan.updates[0].after.step(40), StepStatus::InProgress);
    }
}
