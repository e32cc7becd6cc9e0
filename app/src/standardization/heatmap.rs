//! The heatmap's table as HTML, rendered on the server once per filter, language and change of
//! the progress (ssr only; the page shows it as it came, see `pages::MatrixPage`).
//!
//! 62 rows × 20 linked cells make the largest page of the tracker. Rendering them on every
//! request cost more than everything else the page does. So the server renders the table to a
//! string, keeps it until the next progress write on any server bumps the progress counter
//! (`server::get_heatmap`), and the page puts it in place with `inner_html`.

use super::model::{Matrix, MatrixCell, MatrixRow, ProgressStatus, format_percent};
use super::views::record_href;
use crate::i18n::Lang;
use leptos::prelude::*;

/// CSS class of a heatmap cell by % done, in six bands (0, 1–24, 25–49, 50–74, 75–99, 100);
/// the cell's text gives the value, so colour is never the only cue.
pub fn heat_class(cell: Option<&MatrixCell>) -> &'static str {
    match cell.map(MatrixCell::percent) {
        None => "cell heat-none",
        Some(x) if x >= 100.0 => "cell heat-5",
        Some(x) if x >= 75.0 => "cell heat-4",
        Some(x) if x >= 50.0 => "cell heat-3",
        Some(x) if x >= 25.0 => "cell heat-2",
        Some(x) if x > 0.0 => "cell heat-1",
        Some(_) => "cell heat-0",
    }
}

/// The text of a cell (status, percentage when in progress), with the extension marker;
/// 未報告 when nothing was reported.
pub fn cell_content(cell: Option<MatrixCell>, lang: Lang) -> AnyView {
    match cell {
        None => view! { <span class="muted">{lang.pick("未報告", "No report")}</span> }.into_any(),
        Some(c) => {
            let ext = c.special_migration_support.then(|| {
                view! {
                    " "<span class="ext-marker">{lang.pick("特定移行支援", "Ext.")}</span>
                }
            });
            view! { <span>{c.cell_text(lang)}</span>{ext} }.into_any()
        }
    }
}

/// The table (`<table class="matrix">`): header of systems, a row per municipality with its
/// mean and a linked cell per system, and the per-system summary as its footer.
pub fn table_html(matrix: Matrix, lang: Lang) -> String {
    let Matrix {
        systems,
        rows,
        summary,
    } = matrix;
    let header = systems.iter().map(|s| view! {
        <th scope="col" class="sys"><span class="sys-no">{s.no}</span><span class="sys-name">{s.name(lang).to_owned()}</span></th>
    }).collect_view();
    let footer = summary
        .iter()
        .map(|s| {
            view! {
                <td class="summary">
                    <span>{ProgressStatus::Live.label(lang)}" "{s.share_text(s.live)}</span>
                    <span>{ProgressStatus::InProgress.label(lang)}" "{s.share_text(s.in_progress)}</span>
                    <span>{ProgressStatus::NotStarted.label(lang)}" "{s.share_text(s.not_started)}</span>
                </td>
            }
        })
        .collect_view();
    let body = rows.into_iter().map(|row| {
        let code = row.organisation.key.clone();
        let mean = format!("{}%", format_percent(Matrix::row_percent(&row).round()));
        let MatrixRow { organisation, cells } = row;
        let cells = cells.into_iter().zip(systems.iter()).map(|(cell, s)| {
            let class = heat_class(cell.as_ref());
            view! {
                <td class=class data-cell=format!("{code}-{}", s.code)>
                    <a href=record_href(&code, &s.code)>{cell_content(cell, lang)}</a>
                </td>
            }
        }).collect_view();
        view! {
            <tr data-lg-code=code.clone()>
                <th scope="row"><a href=format!("/orgs/{code}")>{organisation.name(lang).to_owned()}</a></th>
                <td class="mean">{mean}</td>
                {cells}
            </tr>
        }
    }).collect_view();
    view! {
        <table class="matrix">
            <thead><tr>
                <th scope="col">{lang.pick("団体", "Municipality")}</th>
                <th scope="col">{lang.pick("平均", "Mean")}</th>
                {header}
            </tr></thead>
            <tbody>{body}</tbody>
            <tfoot><tr><th scope="row">{lang.pick("集計", "Summary")}</th><td></td>{footer}</tr></tfoot>
        </table>
    }
    .to_html()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::model::Organisation;
    use crate::standardization::model::{StandardSystem, SystemSummary};

    #[test]
    fn bands_follow_the_share_of_steps_done() {
        let cell = |done, applicable| MatrixCell {
            status: ProgressStatus::InProgress,
            steps_done: done,
            steps_applicable: applicable,
            special_migration_support: false,
            gov_cloud: None,
            is_demo: false,
        };
        assert_eq!(heat_class(None), "cell heat-none");
        assert_eq!(heat_class(Some(&cell(0, 40))), "cell heat-0");
        assert_eq!(heat_class(Some(&cell(1, 40))), "cell heat-1");
        assert_eq!(heat_class(Some(&cell(10, 40))), "cell heat-2");
        assert_eq!(heat_class(Some(&cell(39, 40))), "cell heat-4");
        assert_eq!(heat_class(Some(&cell(38, 38))), "cell heat-5");
    }

    #[test]
    fn the_table_links_each_cell_and_escapes_names() {
        let system = StandardSystem {
            no: 1,
            code: "resident_registry".into(),
            name_ja: "住民記録".into(),
            name_en: "Resident <registry>".into(),
            ministry_ja: "総務省".into(),
        };
        let org = Organisation {
            key: "131016".into(),
            lg_code: None,
            name_ja: "千代田区".into(),
            name_kana: "ちよだく".into(),
            name_en: "Chiyoda & <co>".into(),
            kind: crate::orgs::model::OrgKind::SpecialWard,
            district_ja: None,
        };
        let matrix = Matrix {
            systems: vec![system],
            rows: vec![MatrixRow {
                organisation: org,
                cells: vec![Some(MatrixCell {
                    status: ProgressStatus::InProgress,
                    steps_done: 10,
                    steps_applicable: 40,
                    special_migration_support: true,
                    gov_cloud: None,
                    is_demo: false,
                })],
            }],
            summary: vec![SystemSummary {
                system: "resident_registry".into(),
                total: 1,
                in_progress: 1,
                ..Default::default()
            }],
        };
        let html = table_html(matrix, Lang::En);
        assert!(
            html.contains(r#"<a href="/standardization/records/131016/resident_registry">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"data-cell="131016-resident_registry""#),
            "{html}"
        );
        assert!(html.contains("Chiyoda &amp; &lt;co&gt;"), "{html}");
        assert!(html.contains("Resident &lt;registry&gt;"), "{html}");
        assert!(html.contains("In progress 25%"), "{html}");
        assert!(html.contains(r#"class="ext-marker""#), "{html}");
    }
}
