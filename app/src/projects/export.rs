//! The projects CSV (ssr): one line per project the caller may see, for spreadsheets (UTF-8
//! with BOM, CRLF, formula-like cells neutralized; [`crate::csv_output`]).

use super::model::Project;
use crate::i18n::Lang;
use crate::state::Catalog;

/// The header, in Japanese (the council's spreadsheets are Japanese).
pub const HEADER: [&str; 16] = [
    "事業ID",
    "種類",
    "件名",
    "主担当",
    "状況",
    "募集開始",
    "募集締切",
    "参加団体数",
    "参加団体",
    "タグ",
    "関連業務",
    "共通経費（円）",
    "按分方法",
    "契約先",
    "契約金額（円）",
    "作成日時",
];

/// Writes `projects` with their participants (`participants(project key)` gives the
/// participating organisations' keys) as CSV bytes. Instants are written in Japan time
/// (`2026-12-03 17:00 JST`), amounts as whole yen without separators.
pub fn to_csv(
    projects: &[Project],
    catalog: &Catalog,
    participants: impl Fn(&str) -> Vec<String>,
) -> Vec<u8> {
    let name = |key: &str| {
        catalog
            .organisation(key)
            .map_or_else(|| key.to_owned(), |o| o.name_ja.clone())
    };
    let system = |code: &str| {
        catalog
            .systems
            .iter()
            .find(|s| s.code == code)
            .map_or_else(|| code.to_owned(), |s| s.name_ja.clone())
    };
    let jst = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| crate::ids::Timestamp(t).jst())
            .unwrap_or_default()
    };
    let mut w = crate::csv_output::writer();
    // Writing to a Vec cannot fail.
    let _ = w.write_record(HEADER);
    for p in projects {
        let members = participants(p.id.as_str());
        let record = [
            p.id.to_string(),
            p.kind.label(Lang::Ja).to_owned(),
            p.title.clone(),
            name(&p.lead),
            p.status.label(Lang::Ja).to_owned(),
            jst(p.window.map(|w| w.opens_at)),
            jst(p.window.map(|w| w.closes_at)),
            members.len().to_string(),
            members
                .iter()
                .map(|m| name(m))
                .collect::<Vec<_>>()
                .join("、"),
            p.tags.join("、"),
            p.systems
                .iter()
                .map(|s| system(s))
                .collect::<Vec<_>>()
                .join("、"),
            p.cost.base_cost_yen.to_string(),
            p.cost.split.label(Lang::Ja).to_owned(),
            p.supplier.clone().unwrap_or_default(),
            p.amount_yen.map(|a| a.to_string()).unwrap_or_default(),
            p.created_at.jst(),
        ];
        let _ = w.write_record(record.iter().map(|c| crate::csv_output::neutralize(c)));
    }
    w.into_inner().unwrap_or_default()
}
