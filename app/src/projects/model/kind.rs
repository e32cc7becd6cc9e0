//! What a joint project is (`ProjectKind`) and who may see it (`Visibility`).

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// The four kinds of joint project (協働事業) run through the council.
///
/// Stored and sent as its `code()` (serde uses the same snake_case strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectKind {
    /// 共同調達: several municipalities buy the same goods or services in one procurement
    /// (volume discounts, one tender instead of many).
    JointProcurement,
    /// 人材シェアリング: specialist staff (e.g. a CIO adviser or security expert) shared
    /// between municipalities.
    TalentSharing,
    /// 共同運営: one shared e-service or system operated for all participants.
    SharedOperation,
    /// 区市町村提案: a project proposed by a municipality, either joint development
    /// (共同開発) or shared use (共同利用) of a system it already runs.
    MunicipalProposal,
}

impl ProjectKind {
    /// Every kind, in display order.
    pub const ALL: [ProjectKind; 4] = [
        ProjectKind::JointProcurement,
        ProjectKind::TalentSharing,
        ProjectKind::SharedOperation,
        ProjectKind::MunicipalProposal,
    ];

    /// Stable snake_case code (database value, form value, serde name).
    pub fn code(self) -> &'static str {
        match self {
            ProjectKind::JointProcurement => "joint_procurement",
            ProjectKind::TalentSharing => "talent_sharing",
            ProjectKind::SharedOperation => "shared_operation",
            ProjectKind::MunicipalProposal => "municipal_proposal",
        }
    }

    /// Parses a `code()`; `None` for anything else (labels are not accepted).
    pub fn from_code(code: &str) -> Option<ProjectKind> {
        ProjectKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Display label: 共同調達 / "Joint procurement", ….
    pub fn label(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            ProjectKind::JointProcurement => ("共同調達", "Joint procurement"),
            ProjectKind::TalentSharing => ("人材シェアリング", "Talent sharing"),
            ProjectKind::SharedOperation => ("共同運営", "Shared operation"),
            ProjectKind::MunicipalProposal => ("区市町村提案", "Municipal proposal"),
        };
        lang.pick(ja, en)
    }
}

/// Who can see a project (and therefore join it).
///
/// The invite list itself (organisation ids) is stored next to the project; this enum only
/// says whether it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// 協議会全体: every member organisation of the council (default).
    #[default]
    Council,
    /// 招待した団体のみ: only the lead and the organisations on the invite list.
    Invited,
}

impl Visibility {
    /// Both values, in display order.
    pub const ALL: [Visibility; 2] = [Visibility::Council, Visibility::Invited];

    /// Stable snake_case code (database value, form value, serde name).
    pub fn code(self) -> &'static str {
        match self {
            Visibility::Council => "council",
            Visibility::Invited => "invited",
        }
    }

    /// Parses a `code()`; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.code() == code)
    }

    /// Display label: 協議会全体 / "Whole council", 招待した団体のみ / "Invited organisations only".
    pub fn label(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            Visibility::Council => ("協議会全体", "Whole council"),
            Visibility::Invited => ("招待した団体のみ", "Invited organisations only"),
        };
        lang.pick(ja, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_codes_round_trip_and_match_serde() {
        for kind in ProjectKind::ALL {
            assert_eq!(ProjectKind::from_code(kind.code()), Some(kind));
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.code())
            );
        }
        assert_eq!(ProjectKind::from_code("共同調達"), None);
        assert_eq!(ProjectKind::from_code("Joint_procurement"), None);
    }

    #[test]
    fn kind_labels() {
        assert_eq!(ProjectKind::JointProcurement.label(Lang::Ja), "共同調達");
        assert_eq!(
            ProjectKind::TalentSharing.label(Lang::Ja),
            "人材シェアリング"
        );
        assert_eq!(
            ProjectKind::SharedOperation.label(Lang::En),
            "Shared operation"
        );
        assert_eq!(
            ProjectKind::MunicipalProposal.label(Lang::Ja),
            "区市町村提案"
        );
    }

    #[test]
    fn visibility_codes_labels_and_default() {
        assert_eq!(Visibility::default(), Visibility::Council);
        for v in Visibility::ALL {
            assert_eq!(Visibility::from_code(v.code()), Some(v));
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(serde_json::from_str::<Visibility>(&json).unwrap(), v);
        }
        assert_eq!(Visibility::from_code("public"), None);
        assert_eq!(Visibility::Invited.label(Lang::Ja), "招待した団体のみ");
        assert_eq!(Visibility::Council.label(Lang::En), "Whole council");
    }
}
