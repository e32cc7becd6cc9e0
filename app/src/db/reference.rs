//! Reference data: Tokyo's local governments and the 20 standard systems.
//!
//! Sources (public data, copied into `app/data/`): `tokyo_local_governments.csv`
//! (総務省 全国地方公共団体コード; 東京都 and its 62 municipalities) and `standard_systems.csv`
//! (デジタル庁, 標準化対象20業務). GovTech Tokyo is added as an organisation without a code.
//! Files are validated completely before anything is written; loading is idempotent.

use super::Db;
use crate::orgs::model::{GOVTECH_KEY, LgCode, OrgKind, Organisation};
use crate::standardization::model::StandardSystem;
use anyhow::{Context, bail};
use serde::Deserialize;

/// The shipped local government list.
pub const LOCAL_GOVERNMENTS_CSV: &str = include_str!("../../data/tokyo_local_governments.csv");
/// The shipped standard system list.
pub const STANDARD_SYSTEMS_CSV: &str = include_str!("../../data/standard_systems.csv");

#[derive(Deserialize)]
struct LgRow {
    lg_code: String,
    name_ja: String,
    name_kana: String,
    name_en: String,
    kind: String,
    district_ja: Option<String>,
}

#[derive(Deserialize)]
struct SystemRow {
    no: u8,
    code: String,
    name_ja: String,
    name_en: String,
    competent_ministry_ja: String,
}

/// Parses and validates the local government list (header + 63 rows: 東京都 and the
/// 23 wards, 26 cities, 5 towns and 8 villages) and adds GovTech Tokyo.
///
/// Errors name the file line: an invalid code or check digit, an unknown kind, a blank name,
/// a duplicate code, or counts that differ from Tokyo's.
pub fn parse_organisations(csv_text: &str) -> anyhow::Result<Vec<Organisation>> {
    let mut out = Vec::new();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    for (i, row) in reader.deserialize::<LgRow>().enumerate() {
        let line = i + 2;
        let row = row
            .with_context(|| format!("tokyo_local_governments.csv line {line}: unreadable row"))?;
        let lg_code = LgCode::parse(&row.lg_code).with_context(|| {
            format!(
                "tokyo_local_governments.csv line {line}: lg_code {:?}",
                row.lg_code
            )
        })?;
        let Some(kind) = OrgKind::parse(&row.kind).filter(|k| *k != OrgKind::Govtech) else {
            bail!(
                "tokyo_local_governments.csv line {line}: unknown kind {:?}",
                row.kind
            );
        };
        if row.name_ja.trim().is_empty() || row.name_en.trim().is_empty() {
            bail!("tokyo_local_governments.csv line {line}: name_ja and name_en are required");
        }
        if out
            .iter()
            .any(|o: &Organisation| o.lg_code.as_ref() == Some(&lg_code))
        {
            bail!("tokyo_local_governments.csv line {line}: duplicate lg_code {lg_code}");
        }
        out.push(Organisation {
            key: lg_code.to_string(),
            lg_code: Some(lg_code),
            name_ja: row.name_ja,
            name_kana: row.name_kana,
            name_en: row.name_en,
            kind,
            district_ja: row.district_ja.filter(|d| !d.trim().is_empty()),
        });
    }
    for (kind, expected) in [
        (OrgKind::Prefecture, 1),
        (OrgKind::SpecialWard, 23),
        (OrgKind::City, 26),
        (OrgKind::Town, 5),
        (OrgKind::Village, 8),
    ] {
        let n = out.iter().filter(|o| o.kind == kind).count();
        if n != expected {
            bail!(
                "tokyo_local_governments.csv: expected {expected} rows of kind {}, found {n}",
                kind.code()
            );
        }
    }
    out.push(Organisation {
        key: GOVTECH_KEY.into(),
        lg_code: None,
        name_ja: "一般財団法人GovTech東京".into(),
        name_kana: "がぶてっくとうきょう".into(),
        name_en: "GovTech Tokyo".into(),
        kind: OrgKind::Govtech,
        district_ja: None,
    });
    Ok(out)
}

/// Parses and validates the standard system list: exactly 20 rows numbered 1–20 with unique
/// codes. Errors name the line.
pub fn parse_systems(csv_text: &str) -> anyhow::Result<Vec<StandardSystem>> {
    let mut out: Vec<StandardSystem> = Vec::new();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    for (i, row) in reader.deserialize::<SystemRow>().enumerate() {
        let line = i + 2;
        let row =
            row.with_context(|| format!("standard_systems.csv line {line}: unreadable row"))?;
        if usize::from(row.no) != i + 1 {
            bail!(
                "standard_systems.csv line {line}: expected no {}, found {}",
                i + 1,
                row.no
            );
        }
        if row.code.is_empty()
            || !row
                .code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_')
        {
            bail!(
                "standard_systems.csv line {line}: code {:?} must be lower_snake_case",
                row.code
            );
        }
        if out.iter().any(|s| s.code == row.code) {
            bail!(
                "standard_systems.csv line {line}: duplicate code {}",
                row.code
            );
        }
        out.push(StandardSystem {
            no: row.no,
            code: row.code,
            name_ja: row.name_ja,
            name_en: row.name_en,
            ministry_ja: row.competent_ministry_ja,
        });
    }
    if out.len() != 20 {
        bail!(
            "standard_systems.csv: expected 20 systems, found {}",
            out.len()
        );
    }
    Ok(out)
}

/// Validates both files, then writes them in one transaction (UPSERT: a second run changes
/// nothing). Returns (organisations, systems) counts.
pub async fn load(
    db: &Db,
    organisations_csv: &str,
    systems_csv: &str,
) -> anyhow::Result<(usize, usize)> {
    let organisations = parse_organisations(organisations_csv)?;
    let systems = parse_systems(systems_csv)?;
    let orgs: Vec<serde_json::Value> = organisations.iter().map(super::to_value).collect();
    let syss: Vec<serde_json::Value> = systems.iter().map(super::to_value).collect();
    db.query(
        "BEGIN TRANSACTION;
         FOR $o IN $orgs {
            UPSERT type::record('organisation', $o.key) CONTENT {
                lg_code: $o.lg_code, name_ja: $o.name_ja, name_kana: $o.name_kana,
                name_en: $o.name_en, kind: $o.kind, district_ja: $o.district_ja
            };
         };
         FOR $s IN $systems {
            UPSERT type::record('standard_system', $s.code) CONTENT {
                no: $s.no, code: $s.code, name_ja: $s.name_ja, name_en: $s.name_en, ministry_ja: $s.ministry_ja
            };
         };
         COMMIT TRANSACTION;",
    )
    .bind(("orgs", orgs))
    .bind(("systems", syss))
    .await?
    .check()
    .context("writing reference data")?;
    Ok((organisations.len(), systems.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_are_valid() {
        let orgs = parse_organisations(LOCAL_GOVERNMENTS_CSV).unwrap();
        assert_eq!(orgs.len(), 64);
        assert_eq!(orgs.iter().filter(|o| o.kind.is_municipal()).count(), 62);
        assert_eq!(parse_systems(STANDARD_SYSTEMS_CSV).unwrap().len(), 20);
    }

    #[test]
    fn a_bad_check_digit_names_the_line() {
        let bad = LOCAL_GOVERNMENTS_CSV.replace("131164,豊島区", "131165,豊島区");
        let err = format!("{:#}", parse_organisations(&bad).unwrap_err());
        assert!(err.contains("line 18"), "{err}");
        assert!(err.contains("131165"), "{err}");
    }

    #[test]
    fn a_missing_row_is_refused() {
        let short: String = LOCAL_GOVERNMENTS_CSV
            .lines()
            .filter(|l| !l.starts_with("133035"))
            .map(|l| format!("{l}\n"))
            .collect();
        let err = parse_organisations(&short).unwrap_err().to_string();
        assert!(err.contains("town"), "{err}");
    }
}
