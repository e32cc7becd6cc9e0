//! Demo projects (ssr only, demo mode): a few joint projects of every kind and status for a
//! first look, or many (`KYODO_DEMO_PROJECTS`, e.g. 10,000 for the benchmark), made the same
//! way every time from their number.

use crate::orgs::model::Organisation;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// One demo project as the database takes it (datetimes RFC 3339, UTC; money in yen).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoProject {
    /// Key (24 hex digits, from its number).
    pub id: String,
    /// Kind code.
    pub kind: &'static str,
    /// Title (Japanese).
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Description (Markdown).
    pub description: String,
    /// Lead organisation key.
    pub lead: String,
    /// Contact.
    pub contact: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Related standard system codes.
    pub systems: Vec<String>,
    /// `council` or `invited`.
    pub visibility: &'static str,
    /// Invited organisation keys.
    pub invited: Vec<String>,
    /// Status code.
    pub status: &'static str,
    /// Window opening instant.
    pub opens_at: Option<String>,
    /// Window closing instant.
    pub closes_at: Option<String>,
    /// Unit of quantity.
    pub unit: &'static str,
    /// Base cost, yen.
    pub base_cost_yen: i64,
    /// Unit price, yen per unit.
    pub unit_price_yen: i64,
    /// Price for one municipality buying alone, yen.
    pub single_buyer_base_yen: i64,
    /// Supplier, once awarded.
    pub supplier: Option<String>,
    /// Contract amount, yen, once awarded.
    pub amount_yen: Option<i64>,
    /// Creation instant.
    pub created_at: String,
    /// Whether participation was confirmed.
    pub confirmed: bool,
    /// Participants: (organisation key, quantity).
    pub members: Vec<DemoMember>,
}

/// A demo participation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoMember {
    /// Organisation key (lg code).
    pub org: String,
    /// Quantity, in the project's unit.
    pub quantity: u32,
}

/// A demo theme: kind code, title, tags, unit and the related system's number (from 0).
struct Theme(
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    Option<usize>,
);

const THEMES: [Theme; 8] = [
    Theme(
        "joint_procurement",
        "生成AI利用環境の共同調達",
        &["AI", "共同調達"],
        "ライセンス",
        None,
    ),
    Theme(
        "joint_procurement",
        "住民記録システム標準準拠パッケージの共同調達",
        &["標準化"],
        "団体",
        Some(0),
    ),
    Theme(
        "shared_operation",
        "電子申請サービスの共同運営",
        &["手続デジタル化"],
        "団体",
        None,
    ),
    Theme(
        "municipal_proposal",
        "書かない窓口システムの共同開発",
        &["窓口DX"],
        "窓口",
        None,
    ),
    Theme(
        "talent_sharing",
        "情報セキュリティ監査の人材シェアリング",
        &["セキュリティ"],
        "人日",
        None,
    ),
    Theme(
        "joint_procurement",
        "ガバメントクラウド接続回線の共同調達",
        &["ガバメントクラウド", "標準化"],
        "回線",
        Some(1),
    ),
    Theme(
        "shared_operation",
        "公共施設予約システムの共同利用",
        &["施設予約"],
        "団体",
        None,
    ),
    Theme(
        "joint_procurement",
        "RPAライセンスの共同調達",
        &["RPA", "共同調達"],
        "ライセンス",
        None,
    ),
];

/// Statuses in turn (参加募集 most often, as a council would see it).
const STATUSES: [&str; 10] = [
    "open",
    "open",
    "open",
    "draft",
    "confirmed",
    "tendering",
    "awarded",
    "operating",
    "closed",
    "cancelled",
];

/// `count` demo projects at `now`: themes and statuses in turn, led by GovTech Tokyo (a
/// 区市町村提案 by a municipality), every seventh for three invited municipalities, open calls
/// closing 1–30 days ahead, two to four participants (never the lead; for an invited project,
/// invited municipalities) once past 下書き. `municipalities` are
/// the 62 in code order (nothing is made without them).
pub fn generate(
    count: usize,
    municipalities: &[Organisation],
    systems: &[String],
    now: DateTime<Utc>,
) -> Vec<DemoProject> {
    if municipalities.is_empty() {
        return Vec::new();
    }
    let rfc = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let org = |n: usize| municipalities[n % municipalities.len()].key.clone();
    (0..count)
        .map(|i| {
            let Theme(kind, theme, tags, unit, system) = THEMES[i % THEMES.len()];
            let round = i / THEMES.len();
            let status = STATUSES[(i / 3 + i) % STATUSES.len()];
            let title = if round == 0 { theme.to_owned() } else { format!("{theme}（第{}期）", round + 1) };
            let window = (status != "draft").then(|| {
                let opens = now - Duration::days(1 + (i % 10) as i64);
                let closes = if status == "open" {
                    now + Duration::days(1 + (i % 30) as i64)
                } else {
                    opens + Duration::days(14)
                };
                (rfc(opens), rfc(closes))
            });
            let lead = if kind == "municipal_proposal" { org(i) } else { "govtech_tokyo".to_owned() };
            let invited: Vec<String> = if i % 7 == 6 { (0..4).map(|k| org(i + 1 + k * 5)).collect() } else { Vec::new() };
            // Participants are never the lead, and only invited municipalities join a project
            // for invited organisations.
            let candidates: Vec<String> = if invited.is_empty() {
                (0..4).map(|k| org(i * 7 + 1 + k * 13)).filter(|o| *o != lead).collect()
            } else {
                invited.clone()
            };
            let members: Vec<DemoMember> = if status == "draft" {
                Vec::new()
            } else {
                candidates
                    .iter()
                    .take(2 + i % 3)
                    .enumerate()
                    .map(|(k, org)| DemoMember {
                        org: org.clone(),
                        quantity: 1 + ((i + k) % 50) as u32,
                    })
                    .collect()
            };
            let awarded = matches!(status, "awarded" | "operating" | "closed");
            DemoProject {
                id: format!("{:024x}", 0xde40_0000_u64 + i as u64),
                kind,
                title,
                summary: format!("{theme}について、参加団体を募ります。"),
                description: format!("## 概要\n\n{theme}を都内の区市町村で共同して進めます。\n\n- 費用は参加団体で按分します\n- 質問はこのページのスレッドへ"),
                lead,
                contact: "協働推進担当 kyodo@example.jp".to_owned(),
                tags: tags.iter().map(|t| (*t).to_owned()).collect(),
                systems: system.and_then(|n| systems.get(n)).cloned().into_iter().collect(),
                visibility: if invited.is_empty() { "council" } else { "invited" },
                invited,
                status,
                opens_at: window.as_ref().map(|w| w.0.clone()),
                closes_at: window.map(|w| w.1),
                unit,
                base_cost_yen: 1_000_000 * (1 + (i % 20) as i64),
                unit_price_yen: 1_000 * (1 + (i % 9) as i64),
                single_buyer_base_yen: 900_000 * (1 + (i % 20) as i64),
                supplier: awarded.then(|| "株式会社サンプル".to_owned()),
                amount_yen: awarded.then(|| 5_000_000 + (i % 100) as i64 * 10_000),
                created_at: rfc(now - Duration::minutes(i as i64)),
                confirmed: !matches!(status, "draft" | "open"),
                members,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::model::OrgKind;

    fn municipalities() -> Vec<Organisation> {
        (0..62)
            .map(|n| Organisation {
                key: format!("13{n:04}"),
                lg_code: None,
                name_ja: String::new(),
                name_kana: String::new(),
                name_en: String::new(),
                kind: OrgKind::SpecialWard,
                district_ja: None,
            })
            .collect()
    }

    #[test]
    fn demo_projects_are_valid_and_the_same_every_time() {
        let now = chrono::Utc::now();
        let orgs = municipalities();
        let a = generate(100, &orgs, &["resident_registry".into()], now);
        assert_eq!(a, generate(100, &orgs, &["resident_registry".into()], now));
        let mut ids: Vec<&str> = a.iter().map(|p| p.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 100, "keys are unique");
        for p in &a {
            assert!(crate::ids::ProjectId::parse(&p.id).is_some());
            let mut members: Vec<&str> = p.members.iter().map(|m| m.org.as_str()).collect();
            members.sort();
            members.dedup();
            assert_eq!(members.len(), p.members.len(), "a municipality joins once");
            if p.confirmed {
                assert!(p.members.len() >= 2, "参加確定 needs two participants");
            }
            assert!(
                p.members.iter().all(|m| m.org != p.lead),
                "the lead does not join"
            );
            if p.visibility == "invited" {
                assert!(
                    p.members.iter().all(|m| p.invited.contains(&m.org)),
                    "only the invited join"
                );
            }
            assert_eq!(p.status == "draft", p.opens_at.is_none());
        }
        assert!(a.iter().any(|p| p.visibility == "invited"));
        assert!(a.iter().any(|p| p.status == "open"));
    }
}
