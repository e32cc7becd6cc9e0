//! Progress export as CSV in the import format (Japanese headers), UTF-8 with BOM so that
//! Excel opens it, with formula-like cells neutralized (OWASP "CSV injection": a leading
//! `=`, `+`, `-`, `@`, tab or CR gets a `'` prefix).

use super::model::{Progress, StandardSystem};
use crate::orgs::model::Organisation;
use std::collections::HashMap;

/// Header of the export, in the import format's Japanese names.
pub const HEADER: [&str; 14] = [
    "団体コード",
    "団体名",
    "業務",
    "進捗状況",
    "完了ステップ数",
    "進捗率",
    "本番稼働予定日",
    "本番稼働日",
    "特定移行支援",
    "事由",
    "移行目標日",
    "ガバメントクラウド",
    "ベンダ",
    "デモデータ",
];

/// Prefixes `'` to a cell that a spreadsheet would read as a formula.
pub fn neutralize(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// Writes the cells as CSV bytes (BOM + CRLF lines), ordered by lg code and system number.
pub fn to_csv(
    progress: &[Progress],
    organisations: &[Organisation],
    systems: &[StandardSystem],
) -> Vec<u8> {
    let names: HashMap<&str, &str> = organisations
        .iter()
        .filter_map(|o| o.lg_code.as_ref().map(|c| (c.as_str(), o.name_ja.as_str())))
        .collect();
    let system_of: HashMap<&str, &StandardSystem> =
        systems.iter().map(|s| (s.code.as_str(), s)).collect();
    let mut sorted: Vec<&Progress> = progress.iter().collect();
    sorted.sort_by_key(|p| {
        (
            p.lg_code.clone(),
            system_of.get(p.system.as_str()).map_or(0, |s| s.no),
        )
    });
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    let date = |d: &Option<chrono::NaiveDate>| {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(HEADER);
    for p in sorted {
        let system_name = system_of
            .get(p.system.as_str())
            .map_or(p.system.as_str(), |s| s.name_ja.as_str());
        let record = [
            p.lg_code.to_string(),
            names
                .get(p.lg_code.as_str())
                .copied()
                .unwrap_or("")
                .to_owned(),
            system_name.to_owned(),
            p.status.label_ja().to_owned(),
            p.steps_done.to_string(),
            super::model::format_percent(p.percent()),
            date(&p.planned_go_live),
            date(&p.actual_go_live),
            if p.special_migration_support {
                "○"
            } else {
                "×"
            }
            .to_owned(),
            p.extension_reason
                .map(|r| r.label_ja())
                .unwrap_or("")
                .to_owned(),
            date(&p.extension_target_date),
            p.gov_cloud.map(|g| g.label_csv()).unwrap_or("").to_owned(),
            p.vendor.clone().unwrap_or_default(),
            if p.is_demo { "1" } else { "0" }.to_owned(),
        ];
        let _ = writer.write_record(record.iter().map(|c| neutralize(c)));
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralized() {
        assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralize("+81"), "'+81");
        assert_eq!(neutralize("@SUM"), "'@SUM");
        assert_eq!(neutralize("ベンダA"), "ベンダA");
    }
}
