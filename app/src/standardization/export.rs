//! Downloads: every record in the import format (CSV and JSON) and the council summary (CSV
//! and JSON). CSV is UTF-8 with BOM so that Excel opens it, with formula-like cells
//! neutralized (OWASP "CSV injection": a leading `=`, `+`, `-`, `@`, tab or CR gets a `'`).

use super::dashboard::Dashboard;
use super::model::{Progress, ProgressField, StandardSystem, Step};
use crate::error::AppError;
use crate::orgs::model::Organisation;
use std::collections::HashMap;

/// The export's columns before the reported fields.
const KEY_COLUMNS: [&str; 3] = ["団体コード", "団体名", "業務"];

/// The derived columns written after 進捗状況.
const DERIVED_COLUMNS: [&str; 2] = ["完了ステップ数", "進捗率"];

/// The columns written after the reported fields (ignored by the import).
const TRAILING_COLUMNS: [&str; 2] = ["デモデータ", "対象手順数"];

/// Header of the record export before the step columns, in the import format's Japanese names:
/// 団体コード, 団体名, 業務, then every [`ProgressField`] in order with 完了ステップ数 and 進捗率
/// after 進捗状況, then デモデータ and 対象手順数.
pub fn header() -> Vec<&'static str> {
    let mut fields = ProgressField::ALL
        .into_iter()
        .map(ProgressField::csv_header);
    KEY_COLUMNS
        .into_iter()
        .chain(fields.next())
        .chain(DERIVED_COLUMNS)
        .chain(fields)
        .chain(TRAILING_COLUMNS)
        .collect()
}

fn sorted<'a>(progress: &'a [Progress], systems: &[StandardSystem]) -> Vec<&'a Progress> {
    let no: HashMap<&str, u8> = systems.iter().map(|s| (s.code.as_str(), s.no)).collect();
    let mut sorted: Vec<&Progress> = progress.iter().collect();
    sorted.sort_by_key(|p| (p.lg_code.clone(), no.get(p.system.as_str()).copied()));
    sorted
}

/// Writes the records as CSV bytes (BOM + CRLF lines), ordered by lg code and system number,
/// with one column `手順N` per template step (`template_len` steps). Re-importing the file
/// gives the same records.
pub fn to_csv(
    progress: &[Progress],
    organisations: &[Organisation],
    systems: &[StandardSystem],
    template_len: usize,
) -> Vec<u8> {
    let names: HashMap<&str, &str> = organisations
        .iter()
        .filter_map(|o| o.lg_code.as_ref().map(|c| (c.as_str(), o.name_ja.as_str())))
        .collect();
    let system_name: HashMap<&str, &str> = systems
        .iter()
        .map(|s| (s.code.as_str(), s.name_ja.as_str()))
        .collect();
    let mut w = crate::csv_output::writer();
    let header: Vec<String> = header()
        .into_iter()
        .map(str::to_owned)
        .chain((1..=template_len).map(|n| format!("手順{n}")))
        .collect();
    // Writing to a Vec cannot fail.
    let _ = w.write_record(&header);
    for p in sorted(progress, systems) {
        let mut record = vec![
            p.lg_code.to_string(),
            names
                .get(p.lg_code.as_str())
                .copied()
                .unwrap_or("")
                .to_owned(),
            system_name
                .get(p.system.as_str())
                .copied()
                .unwrap_or(p.system.as_str())
                .to_owned(),
        ];
        let mut fields = ProgressField::ALL.into_iter().map(|f| f.csv_value(p));
        record.extend(fields.next());
        record.extend([p.steps_done.to_string(), p.percent_text()]);
        record.extend(fields);
        record.extend([
            if p.is_demo { "1" } else { "0" }.to_owned(),
            p.steps_applicable.to_string(),
        ]);
        record.extend((1..=template_len).map(|n| p.step(n as u8).label_ja().to_owned()));
        let _ = w.write_record(record.iter().map(|c| crate::csv_output::neutralize(c)));
    }
    w.into_inner().unwrap_or_default()
}

/// The records and the step template as JSON: `{ "steps": [...], "records": [...] }`, each
/// record with every field (`steps` = status per step number − 1).
pub fn to_json(progress: &[Progress], steps: &[Step]) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec_pretty(&serde_json::json!({ "steps": steps, "records": progress }))
        .map_err(AppError::internal)
}

/// The council summary as CSV: one line per system and a total line, with 完了率 / 作業率 /
/// 未着手率 (percent of applicable steps, 0.1 point), live and extension counts.
pub fn summary_csv(dashboard: &Dashboard) -> Vec<u8> {
    let mut w = crate::csv_output::writer();
    let _ = w.write_record([
        "番号",
        "業務",
        "団体数",
        "完了率",
        "作業率",
        "未着手率",
        "移行完了",
        "特定移行支援",
    ]);
    let pct = super::model::percent_text;
    let rows = dashboard
        .systems
        .iter()
        .map(|s| (s.no.to_string(), s.name_ja.clone()))
        .zip(dashboard.rates.iter())
        .chain(std::iter::once((
            (String::new(), "合計".to_owned()),
            &dashboard.total,
        )));
    for ((no, name), r) in rows {
        let (done, working, not_started) = r.rates();
        let _ = w.write_record([
            no,
            name,
            r.records.to_string(),
            pct(done),
            pct(working),
            pct(not_started),
            r.live.to_string(),
            r.extension.to_string(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {

    #[test]
    fn formula_like_cells_are_neutralized() {
        assert_eq!(
            crate::csv_output::neutralize("=HYPERLINK(\"x\")"),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(crate::csv_output::neutralize("+81"), "'+81");
        assert_eq!(crate::csv_output::neutralize("@SUM"), "'@SUM");
        assert_eq!(crate::csv_output::neutralize("ベンダA"), "ベンダA");
        assert_eq!(crate::csv_output::neutralize("'=2+5"), "''=2+5");
        assert_eq!(crate::csv_output::neutralize("'quoted"), "''quoted");
    }
}
