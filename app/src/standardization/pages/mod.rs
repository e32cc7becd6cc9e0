//! Standardization pages: the heatmap matrix, import form and import result; the record and
//! thread pages (`record`); the dashboard, timeline and step template pages
//! (`dashboard`); and the sections the shell places on the home and organisation pages
//! (`widgets`).

pub mod dashboard;
pub mod record;
pub mod widgets;

use super::heatmap::cell_content;
use super::model::{
    ImportReport, MatrixCell, Progress, ProgressStatus, StandardSystem, SystemSummary,
};
use super::server::{get_heatmap, get_import_run};
use crate::error::AppError;
use crate::i18n::{Lang, format_date, use_lang};
use crate::ui::{ErrorView, ScrollRegion, UserResource, loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// CSS class of a cell by status (colour is never the only cue: the text says the status).
fn status_class(p: Option<&Progress>) -> &'static str {
    match p.map(|p| p.status) {
        Some(ProgressStatus::Live) => "cell cell-live",
        Some(ProgressStatus::InProgress) => "cell cell-progress",
        Some(ProgressStatus::NotStarted) => "cell cell-not-started",
        None => "cell cell-none",
    }
}

/// Says that generated demo data is shown (never mistaken for a municipality's report).
#[component]
fn DemoNotice(shown: bool) -> impl IntoView {
    let lang = use_lang();
    shown.then(|| view! {
        <p class="notice demo">{lang.pick(
            "デモデータを含みます：自動生成した架空の進捗です。実際の進捗はCSVの取込でのみ登録されます。",
            "Includes demo data: generated, fictitious progress. Real progress is only entered by CSV import.",
        )}</p>
    })
}

/// The legend for status cells: a pattern swatch and the words, never colour alone.
#[component]
pub(super) fn Legend() -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="legend" aria-label=lang.pick("凡例", "Legend")>
            <li><span class="swatch cell-live" aria-hidden="true"></span>{ProgressStatus::Live.label(lang)}</li>
            <li><span class="swatch cell-progress" aria-hidden="true"></span>{lang.pick("作業中（進捗率）", "In progress (percent done)")}</li>
            <li><span class="swatch cell-not-started" aria-hidden="true"></span>{ProgressStatus::NotStarted.label(lang)}</li>
            <li><span class="ext-marker">{lang.pick("特定移行支援", "Ext.")}</span>{lang.pick("特定移行支援システム（期限延長）", "Extension case (特定移行支援システム)")}</li>
        </ul>
    }
}

/// One organisation's 20 systems as a table (home and organisation pages); the year column is
/// the fiscal year (April–March) of the go-live, actual or else planned. On the organisation
/// page it is also the text alternative of the timeline chart.
#[component]
pub fn ProgressTable(
    /// Organisation key (lg code), for the cells' `data-cell` attribute.
    lg_key: String,
    systems: Vec<StandardSystem>,
    progress: Vec<Option<Progress>>,
) -> impl IntoView {
    let lang = use_lang();
    let date = move |d: Option<chrono::NaiveDate>| {
        d.map(|d| format_date(lang, &d))
            .unwrap_or_else(|| "—".into())
    };
    let fiscal_year = move |p: Option<&Progress>| {
        p.and_then(|p| p.actual_go_live.or(p.planned_go_live))
            .map(|d| crate::i18n::format_fiscal_year(lang, crate::i18n::fiscal_year(&d)))
            .unwrap_or_else(|| "—".into())
    };
    let demo = progress.iter().flatten().any(|p| p.is_demo);
    view! {
        <DemoNotice shown=demo/>
        <ScrollRegion label=lang.pick("業務別の進捗", "Progress by system")>
            <table class="progress-table">
                <thead><tr>
                    <th scope="col">{lang.pick("業務", "System")}</th>
                    <th scope="col">{lang.pick("進捗状況", "Status")}</th>
                    <th scope="col">{lang.pick("本番稼働予定日", "Planned go-live")}</th>
                    <th scope="col">{lang.pick("本番稼働日", "Go-live")}</th>
                    <th scope="col">{lang.pick("年度", "Fiscal year")}</th>
                    <th scope="col">{lang.pick("移行目標日（特定移行支援）", "Extension target")}</th>
                    <th scope="col">{lang.pick("ガバメントクラウド", "Government Cloud")}</th>
                    <th scope="col">{lang.pick("ベンダ", "Vendor")}</th>
                </tr></thead>
                <tbody>
                    {systems.into_iter().zip(progress).map(|(s, p)| {
                        let class = status_class(p.as_ref());
                        let href = record::record_href(&lg_key, &s.code);
                        let label = format!("{}. {}", s.no, s.name(lang));
                        view! {
                            <tr>
                                <th scope="row"><A href=href>{label}</A></th>
                                <td class=class data-cell=format!("{lg_key}-{}", s.code)>{cell_content(p.as_ref().map(MatrixCell::from), lang)}</td>
                                <td>{date(p.as_ref().and_then(|p| p.planned_go_live))}</td>
                                <td>{date(p.as_ref().and_then(|p| p.actual_go_live))}</td>
                                <td>{fiscal_year(p.as_ref())}</td>
                                <td>{date(p.as_ref().and_then(|p| p.extension_target_date))}</td>
                                <td>{p.as_ref().and_then(|p| p.gov_cloud).map(|g| g.label(lang)).unwrap_or("—")}</td>
                                <td class="vendor">{p.as_ref().and_then(|p| p.vendor.clone()).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </ScrollRegion>
    }
}

/// Per-system shares of municipalities by status (home page and the matrix footer).
#[component]
pub(super) fn SummaryTable(
    systems: Vec<StandardSystem>,
    summary: Vec<SystemSummary>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ScrollRegion label=lang.pick("業務別の状況", "Status by system")>
            <table>
                <thead><tr>
                    <th scope="col">{lang.pick("業務", "System")}</th>
                    <th scope="col">{ProgressStatus::Live.label(lang)}</th>
                    <th scope="col">{ProgressStatus::InProgress.label(lang)}</th>
                    <th scope="col">{ProgressStatus::NotStarted.label(lang)}</th>
                    <th scope="col">{lang.pick("特定移行支援", "Extension cases")}</th>
                </tr></thead>
                <tbody>
                    {systems.into_iter().zip(summary).map(|(sys, s)| view! {
                        <tr>
                            <th scope="row">{sys.no}". "{sys.name(lang).to_owned()}</th>
                            <td>{s.share_text(s.live)}</td>
                            <td>{s.share_text(s.in_progress)}</td>
                            <td>{s.share_text(s.not_started)}</td>
                            <td>{s.extension}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </ScrollRegion>
    }
}

/// `/standardization`: the heatmap of 62 municipalities × 20 systems coloured by % done, with
/// filters by kind and Government Cloud, sorting by progress, a legend and a summary row.
#[component]
pub fn MatrixPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            (
                q.get("kind").unwrap_or_default(),
                q.get("cloud").unwrap_or_default(),
                q.get("sort").unwrap_or_default(),
            )
        })
    };
    // The table comes rendered by the server (`get_heatmap`, kept per change and filter) and
    // is placed as it is; the page is not hydrated (only islands are), so it is sent once.
    let heatmap = Resource::new(filter, |(k, c, s)| async move {
        get_heatmap(Some(k), Some(c), Some(s))
            .await
            .map(|h| (h.count, h.demo, h.table_html))
    });
    view! {
        <Title text=lang.pick("標準化の進捗", "Standardization progress")/>
        <h1>{lang.pick("標準化の進捗（62区市町村 × 20業務）", "Standardization progress (62 municipalities × 20 systems)")}</h1>
        <p>
            <A href="/standardization/dashboard">{lang.pick("協議会ダッシュボード", "Council dashboard")}</A>" · "
            <a href="/standardization/export.csv" rel="external" download="kyodo_progress.csv">{lang.pick("CSVで書き出す", "Export as CSV")}</a>" · "
            <a href="/standardization/export.json" rel="external" download="kyodo_progress.json">{lang.pick("JSONで書き出す", "Export as JSON")}</a>
        </p>
        {move || {
            let (kind, cloud, sort) = filter();
            view! {
                <dashboard::Filters action="/standardization" kind cloud>
                    <label>
                        {lang.pick("並び順", "Order")}
                        <select name="sort">
                            <option value="" selected=sort.is_empty()>{lang.pick("団体コード順", "By code")}</option>
                            <option value="progress_desc" selected=sort == "progress_desc">{lang.pick("進捗の高い順", "Most progress first")}</option>
                            <option value="progress_asc" selected=sort == "progress_asc">{lang.pick("進捗の低い順", "Least progress first")}</option>
                        </select>
                    </label>
                </dashboard::Filters>
            }
        }}
        <HeatLegend/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(heatmap.await, |(count, demo, table)| view! {
                    <DemoNotice shown=demo/>
                    <p aria-live="polite">{match lang {
                        Lang::Ja => format!("{count}団体を表示しています。"),
                        Lang::En => format!("Showing {count} municipalities."),
                    }}</p>
                    // ScrollRegion's element, holding the server's table.
                    <div class="table-scroll tall" role="region" tabindex="0"
                        aria-label=lang.pick("進捗ヒートマップ", "Progress heatmap") inner_html=table></div>
                })
            })}
        </Suspense>
    }
}

/// The heatmap legend: a swatch per band with its range, plus the extension marker.
#[component]
fn HeatLegend() -> impl IntoView {
    let lang = use_lang();
    let bands = [
        ("heat-0", "0%"),
        ("heat-1", "1–24%"),
        ("heat-2", "25–49%"),
        ("heat-3", "50–74%"),
        ("heat-4", "75–99%"),
        ("heat-5", "100%"),
    ];
    view! {
        <ul class="legend" aria-label=lang.pick("凡例（完了した手順の割合）", "Legend (share of steps done)")>
            {bands.into_iter().map(|(class, text)| view! {
                <li><span class=format!("swatch {class}") aria-hidden="true"></span>{text}</li>
            }).collect_view()}
            <li><span class="swatch heat-none" aria-hidden="true"></span>{lang.pick("未報告・絞り込み外", "No report or filtered out")}</li>
            <li><span class="ext-marker">{lang.pick("特定移行支援", "Ext.")}</span>{lang.pick("特定移行支援システム（期限延長）", "Extension case (特定移行支援システム)")}</li>
        </ul>
    }
}

/// `/standardization/import`: the upload form (multipart POST to
/// `/standardization/import/upload`), with the format in brief.
#[component]
pub fn ImportPage() -> impl IntoView {
    let lang = use_lang();
    let user = expect_context::<UserResource>();
    view! {
        <Title text=lang.pick("進捗の取込", "Import progress")/>
        <h1>{lang.pick("進捗の取込（CSV）", "Import progress (CSV)")}</h1>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) if crate::policy::may_import(&u) => {
                        let scope = if u.is_municipal() {
                            match lang {
                                Lang::Ja => format!("{}の行のみ取り込めます。", u.organisation.name_ja),
                                Lang::En => format!("You can import rows for {} only.", u.organisation.name_en),
                            }
                        } else {
                            lang.pick("すべての区市町村の行を取り込めます。", "You can import rows for any municipality.").to_owned()
                        };
                        view! {
                            <p>{scope}</p>
                            <form method="post" action="/standardization/import/upload" enctype="multipart/form-data" class="upload">
                                <label for="file">{lang.pick("CSVファイル", "CSV file")}</label>
                                <input id="file" type="file" name="file" accept=".csv,text/csv" required/>
                                <button type="submit">{lang.pick("取り込む", "Import")}</button>
                            </form>
                            <FormatHelp/>
                        }.into_any()
                    }
                    Ok(Some(_)) => view! { <ErrorView error=AppError::Forbidden/> }.into_any(),
                    Ok(None) => view! { <ErrorView error=AppError::Unauthenticated/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FormatHelp() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2>{lang.pick("ファイルの形式", "File format")}</h2>
        <ul>
            <li>{lang.pick(
                "文字コードは UTF-8（BOM有無どちらも可）または Shift_JIS。Excelの「CSV（コンマ区切り）」で保存したファイルをそのまま使えます。",
                "UTF-8 (with or without BOM) or Shift_JIS: files saved from Excel as CSV work as they are.",
            )}</li>
            <li>{lang.pick(
                "必須の列: 団体コード、業務、進捗状況。任意: 団体名、完了ステップ数、進捗率、本番稼働予定日、本番稼働日、特定移行支援、事由、事由詳細、移行目標日、経過措置機能、経過措置期限、ガバメントクラウド、ベンダ、製品、備考、手順1〜手順N（未着手・作業中・完了・対象外）。書き出したCSVはそのまま取り込めます。",
                "Required columns: 団体コード (lg_code), 業務 (system), 進捗状況 (status). Optional: lg_name, steps_done, percent, planned_go_live, actual_go_live, special_migration_support, reason, extension_reason_text, extension_target_date, transitional_functions, transitional_until, gov_cloud, vendor, product, notes, and step_1 … step_N (not_started, in_progress, done, not_applicable). An exported file imports as it is.",
            )}</li>
            <li>{lang.pick(
                "日付は 2026-01-05、2026/1/5、令和8年1月5日、R8.1.5 のいずれでも構いません。",
                "Dates may be 2026-01-05, 2026/1/5, 令和8年1月5日 or R8.1.5.",
            )}</li>
            <li>{lang.pick(
                "ファイル全体を確認してから書き込みます。誤りが1つでもあれば何も書き込まず、行と列を示します。",
                "The whole file is checked first: if anything is wrong, nothing is written and each problem is shown with its line and column.",
            )}</li>
        </ul>
    }
}

/// `/standardization/import/:id`: what an import changed, or why it was refused.
#[component]
pub fn ImportRunPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let report = Resource::new(
        move || params.with(|p| p.get("id")).unwrap_or_default(),
        get_import_run,
    );
    view! {
        <Title text=lang.pick("取込結果", "Import result")/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move { render(report.await, |r| view! { <ImportReportView report=r/> }) })}
        </Suspense>
    }
}

#[component]
fn ImportReportView(report: ImportReport) -> impl IntoView {
    let lang = use_lang();
    let issue_rows = |issues: Vec<super::model::ImportIssue>| {
        issues
            .into_iter()
            .map(|i| {
                view! {
                    <tr>
                        <td>{if i.line == 0 { "—".to_owned() } else { i.line.to_string() }}</td>
                        <td>{i.column.clone().unwrap_or_else(|| "—".into())}</td>
                        <td>{i.kind.message(lang)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let issue_head = move || {
        view! {
            <thead><tr>
                <th scope="col">{lang.pick("行", "Line")}</th>
                <th scope="col">{lang.pick("列", "Column")}</th>
                <th scope="col">{lang.pick("内容", "Problem")}</th>
            </tr></thead>
        }
    };
    let warnings = (!report.warnings.is_empty()).then(|| view! {
        <h2>{lang.pick("注意", "Warnings")}</h2>
        <table class="issues">{issue_head()}<tbody>{issue_rows(report.warnings.clone())}</tbody></table>
    });
    let file = format!("{} ({})", report.file_name, report.encoding);
    if !report.applied {
        let n = report.errors.len();
        return view! {
            <h1>{lang.pick("取り込めませんでした", "Not imported")}</h1>
            <div class="notice error" role="alert">
                <p>{match lang {
                    Lang::Ja => format!("{file} に{n}件の誤りがあります。何も書き込んでいません。直してからもう一度取り込んでください。"),
                    Lang::En => format!("{file} has {n} problem(s). Nothing was written: please fix them and import again."),
                }}</p>
            </div>
            <table class="issues">{issue_head()}<tbody>{issue_rows(report.errors.clone())}</tbody></table>
            {warnings}
            <p><A href="/standardization/import">{lang.pick("取込画面へ戻る", "Back to import")}</A></p>
        }.into_any();
    }
    let changed = report.changes.len();
    let unchanged = report.unchanged;
    if changed == 0 {
        return view! {
            <h1>{lang.pick("取り込みました", "Imported")}</h1>
            <div class="notice success" role="status">
                <p>{match lang {
                    Lang::Ja => format!("{file}: {}行を確認しました。", report.rows),
                    Lang::En => format!("{file}: checked {} rows.", report.rows),
                }}</p>
                <p>{match lang {
                    Lang::Ja => format!("変更はありません。すべての行が登録済みの記録と一致しています（{unchanged}行）。"),
                    Lang::En => format!(
                        "No changes: every line matches the stored records ({unchanged} {}).",
                        if unchanged == 1 { "line" } else { "lines" },
                    ),
                }}</p>
            </div>
            {warnings}
            <p><A href="/standardization">{lang.pick("標準化マトリクスを見る", "Open the standardization matrix")}</A></p>
        }
        .into_any();
    }
    view! {
        <h1>{lang.pick("取り込みました", "Imported")}</h1>
        <div class="notice success" role="status">
            <p>{match lang {
                Lang::Ja => format!("{file}: {}行を確認し、{changed}件を更新しました（変更なし{unchanged}件）。", report.rows),
                Lang::En => format!("{file}: checked {} rows, updated {changed} (unchanged {unchanged}).", report.rows),
            }}</p>
        </div>
        {warnings}
        <ScrollRegion label=lang.pick("変更内容", "Changes")>
            <table>
                <thead><tr>
                    <th scope="col">{lang.pick("行", "Line")}</th>
                    <th scope="col">{lang.pick("団体", "Municipality")}</th>
                    <th scope="col">{lang.pick("業務", "System")}</th>
                    <th scope="col">{lang.pick("変更前", "Before")}</th>
                    <th scope="col">{lang.pick("変更後", "After")}</th>
                </tr></thead>
                <tbody>
                    {report.changes.into_iter().map(|c| view! {
                        <tr>
                            <td>{c.line}</td>
                            <td><A href=format!("/orgs/{}", c.lg_code)>{lang.pick(&c.lg_name_ja, &c.lg_name_en).to_owned()}</A></td>
                            <td>{lang.pick(&c.system_name_ja, &c.system_name_en).to_owned()}</td>
                            <td>{c.before.as_ref().map(|b| b.cell_text(lang)).unwrap_or_else(|| lang.pick("未報告", "No report").into())}</td>
                            <td>{c.after.cell_text(lang)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </ScrollRegion>
        <p><A href="/standardization">{lang.pick("標準化マトリクスを見る", "Open the standardization matrix")}</A></p>
    }.into_any()
}
