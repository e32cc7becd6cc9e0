//! The council dashboard, the municipality timeline (Gantt-like SVG with a table
//! alternative) and the step template page.

use super::super::dashboard::{Dashboard, SystemRates};
use super::super::model::{GovCloud, Overdue, Progress, StandardSystem, percent_text};
use super::super::server::{TemplateOutcome, get_dashboard, get_step_template};
use super::record::record_href;
use crate::i18n::{Lang, format_date, use_lang};
use crate::orgs::model::OrgKind;
use crate::ui::{ScrollRegion, loading, render};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

fn pct(x: f32) -> String {
    format!("{}%", percent_text(x))
}

/// The kind and Government Cloud filters (a GET form: works without JavaScript).
#[component]
pub fn Filters(
    action: &'static str,
    kind: String,
    cloud: String,
    /// Extra controls (e.g. the sort order).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <form method="get" action=action class="filters">
            <label>
                {lang.pick("種別", "Kind")}
                <select name="kind">
                    <option value="" selected=kind.is_empty()>{lang.pick("すべて", "All")}</option>
                    {OrgKind::MUNICIPAL.into_iter().map(|k| view! {
                        <option value=k.code() selected=kind == k.code()>{k.label(lang)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {lang.pick("ガバメントクラウド", "Government Cloud")}
                <select name="cloud">
                    <option value="" selected=cloud.is_empty()>{lang.pick("すべて", "All")}</option>
                    {GovCloud::ALL.into_iter().map(|g| view! {
                        <option value=g.code() selected=cloud == g.code()>{g.label(lang)}</option>
                    }).collect_view()}
                </select>
            </label>
            {children.map(|c| c())}
            <button type="submit">{lang.pick("絞り込む", "Filter")}</button>
        </form>
    }
}

/// A horizontal stacked bar (done / in progress / not started), drawn in SVG so that no
/// inline style is needed (the CSP allows none); hidden from screen readers, who read the
/// numbers in the table.
#[component]
fn RateBar(rates: SystemRates) -> impl IntoView {
    let (done, working, _) = rates.rates();
    view! {
        <svg class="rate-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <rect class="bar-not-started" x="0" y="0" width="100" height="10"/>
            <rect class="bar-done" x="0" y="0" width=format!("{done:.2}") height="10"/>
            <rect class="bar-progress" x=format!("{done:.2}") y="0" width=format!("{working:.2}") height="10"/>
        </svg>
    }
}

/// `/standardization/dashboard`: per system 完了率 / 作業率 / 未着手率, extension cases by
/// reason and overdue municipalities, filtered by kind and Government Cloud.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            (
                q.get("kind").unwrap_or_default(),
                q.get("cloud").unwrap_or_default(),
            )
        })
    };
    let dashboard = Resource::new(filter, |(k, c)| get_dashboard(Some(k), Some(c)));
    view! {
        <Title text=lang.pick("協議会ダッシュボード", "Council dashboard")/>
        <h1>{lang.pick("協議会ダッシュボード（標準化）", "Council dashboard (standardization)")}</h1>
        {move || { let (kind, cloud) = filter(); view! { <Filters action="/standardization/dashboard" kind cloud/> } }}
        <p class="downloads">
            {lang.pick("ダウンロード: ", "Download: ")}
            <a href="/standardization/summary.csv" rel="external" download="kyodo_summary.csv">{lang.pick("集計CSV", "Summary CSV")}</a>" · "
            <a href="/standardization/summary.json" rel="external" download="kyodo_summary.json">{lang.pick("集計JSON", "Summary JSON")}</a>" · "
            <a href="/standardization/export.csv" rel="external" download="kyodo_progress.csv">{lang.pick("全データCSV", "Full data CSV")}</a>" · "
            <a href="/standardization/export.json" rel="external" download="kyodo_progress.json">{lang.pick("全データJSON", "Full data JSON")}</a>
        </p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move { render(dashboard.await, |d| view! { <DashboardView dashboard=d/> }) })}
        </Suspense>
    }
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let lang = use_lang();
    let Dashboard {
        systems,
        municipalities,
        rates,
        total,
        extensions,
        overdue,
        today,
    } = dashboard;
    let (done, working, not_started) = total.rates();
    let names: std::collections::HashMap<String, String> = systems
        .iter()
        .map(|s| (s.code.clone(), s.name(lang).to_owned()))
        .collect();
    view! {
        <p class="lead" data-testid="dashboard-total">{match lang {
            Lang::Ja => format!("{municipalities}団体・{}件の全体: 完了率 {}、作業率 {}、未着手率 {}（対象外の手順を除く）", total.records, pct(done), pct(working), pct(not_started)),
            Lang::En => format!("{municipalities} municipalities, {} records: {} of steps done, {} in progress, {} not started (not-applicable steps excluded)", total.records, pct(done), pct(working), pct(not_started)),
        }}</p>
        <h2>{lang.pick("業務別の進捗（手順ベース）", "Progress by system (share of steps)")}</h2>
        <ScrollRegion label=lang.pick("業務別の進捗", "Progress by system")>
            <table class="rates">
                <thead><tr>
                    <th scope="col">{lang.pick("業務", "System")}</th>
                    <th scope="col">{lang.pick("完了率", "Done")}</th>
                    <th scope="col">{lang.pick("作業率", "In progress")}</th>
                    <th scope="col">{lang.pick("未着手率", "Not started")}</th>
                    <th scope="col">{lang.pick("移行完了", "Live")}</th>
                    <th scope="col">{lang.pick("特定移行支援", "Extension cases")}</th>
                    <th scope="col">{lang.pick("グラフ", "Chart")}</th>
                </tr></thead>
                <tbody>
                    {systems.iter().zip(rates).map(|(s, r)| {
                        let (d, w, n) = r.rates();
                        view! {
                            <tr data-system=s.code.clone()>
                                <th scope="row">{s.no}". "{s.name(lang).to_owned()}</th>
                                <td data-rate="done">{pct(d)}</td>
                                <td data-rate="in_progress">{pct(w)}</td>
                                <td data-rate="not_started">{pct(n)}</td>
                                <td>{format!("{}/{}", r.live, r.records)}</td>
                                <td>{r.extension}</td>
                                <td class="bar-cell"><RateBar rates=r.clone()/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </ScrollRegion>
        <h2>{lang.pick("特定移行支援システムの事由", "Extension cases by reason")}</h2>
        <table class="compact" data-testid="extensions">
            <thead><tr>
                <th scope="col">{lang.pick("事由", "Reason")}</th>
                <th scope="col">{lang.pick("件数", "Cases")}</th>
            </tr></thead>
            <tbody>
                {extensions.into_iter().map(|(reason, n)| view! {
                    <tr data-reason=reason.map(|r| r.code()).unwrap_or("none")>
                        <th scope="row">{reason.map(|r| r.label(lang)).unwrap_or(lang.pick("事由未記入", "No reason given"))}</th>
                        <td>{n}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <h2>{lang.pick("期限を過ぎている団体", "Overdue municipalities")}</h2>
        <p class="muted">{match lang {
            Lang::Ja => format!("{}時点。移行完了していない業務のうち、国の期限（2026-03-31）を過ぎたもの（特定移行支援を除く）と、自団体の予定日・移行目標日を過ぎたもの。", format_date(lang, &today)),
            Lang::En => format!("As of {}. Systems not yet live past the national target (2026-03-31, extension cases excepted) or past their own planned or target date.", format_date(lang, &today)),
        }}</p>
        {if overdue.is_empty() {
            view! { <p>{lang.pick("該当する団体はありません。", "None.")}</p> }.into_any()
        } else {
            view! {
                <ScrollRegion label=lang.pick("期限超過の団体", "Overdue municipalities")>
                    <table data-testid="overdue">
                        <thead><tr>
                            <th scope="col">{lang.pick("団体", "Municipality")}</th>
                            <th scope="col">{lang.pick("業務数", "Systems")}</th>
                            <th scope="col">{lang.pick("業務と理由", "Systems and why")}</th>
                        </tr></thead>
                        <tbody>
                            {overdue.into_iter().map(|row| {
                                let key = row.organisation.key.clone();
                                let n = row.systems.len();
                                let own = row.systems.iter().filter(|(_, w)| *w == Overdue::OwnPlan).count();
                                let items = row.systems.into_iter().map(|(code, why)| {
                                    let name = names.get(&code).cloned().unwrap_or_else(|| code.clone());
                                    view! { <li><A href=record_href(&key, &code)>{name}</A>" ("{why.label(lang)}")"</li> }
                                }).collect_view();
                                view! {
                                    <tr data-lg-code=key.clone()>
                                        <th scope="row"><A href=format!("/orgs/{key}")>{row.organisation.name(lang).to_owned()}</A></th>
                                        <td>{match lang {
                                            Lang::Ja => format!("{n}（うち予定日超過{own}）"),
                                            Lang::En => format!("{n} ({own} past own plan)"),
                                        }}</td>
                                        <td><details><summary>{lang.pick("一覧", "List")}</summary><ul>{items}</ul></details></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </ScrollRegion>
            }.into_any()
        }}
    }
}

/// Timeline bounds: FY2024 start to the end of FY2030 (the extension limit).
fn timeline_bounds() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(2024, 4, 1).expect("valid date"),
        NaiveDate::from_ymd_opt(2031, 3, 31).expect("valid date"),
    )
}

/// A municipality's 20 systems on a time axis (FY2024–FY2030): planned go-live ◇, actual
/// go-live ●, extension target ▲, the slip between planned and actual as a bar, and the
/// national target 2026-03-31 as a line. Server-rendered SVG with a title and description;
/// its text alternative is the organisation page's progress table (same dates, with 年度).
#[component]
pub fn Timeline(systems: Vec<StandardSystem>, progress: Vec<Option<Progress>>) -> impl IntoView {
    let lang = use_lang();
    let (start, end) = timeline_bounds();
    // Names of up to 14 Japanese or 28 Latin characters at 12px (style/main.css) fit in `label_w`.
    let (label_w, chart_w, row_h, top) = (220.0_f64, 560.0_f64, 22.0_f64, 30.0_f64);
    let max_chars = match lang {
        Lang::Ja => 14,
        Lang::En => 28,
    };
    let span = (end - start).num_days() as f64;
    let x = move |d: NaiveDate| {
        let d = d.clamp(start, end);
        label_w + chart_w * (d - start).num_days() as f64 / span
    };
    let height = top + row_h * systems.len() as f64 + 10.0;
    let fy_lines = (2024..=2030)
        .map(|fy| {
            let at = x(NaiveDate::from_ymd_opt(fy, 4, 1).expect("valid date"));
            view! {
                <line class="tl-grid" x1=at y1=top - 6.0 x2=at y2=height - 10.0/>
                <text class="tl-axis" x=at + 3.0 y=top - 10.0>{format!("FY{fy}")}</text>
            }
        })
        .collect_view();
    let deadline = x(super::super::model::national_target_date());
    let rows = systems
        .iter()
        .zip(progress.iter())
        .enumerate()
        .map(|(i, (s, p))| {
            let y = top + row_h * i as f64 + row_h / 2.0;
            let planned = p.as_ref().and_then(|p| p.planned_go_live);
            let actual = p.as_ref().and_then(|p| p.actual_go_live);
            let target = p.as_ref().and_then(|p| p.extension_target_date);
            let slip = planned.zip(actual).map(|(a, b)| {
                let (x1, x2) = (x(a.min(b)), x(a.max(b)));
                view! { <rect class="tl-slip" x=x1 y=y - 3.0 width=(x2 - x1).max(1.0) height="6"/> }
            });
            let full = s.name(lang);
            let name: String = if full.chars().count() > max_chars {
                full.chars().take(max_chars - 1).chain(['…']).collect()
            } else {
                full.to_owned()
            };
            view! {
                <text class="tl-label" x="4" y=y + 4.0>{format!("{}. {name}", s.no)}</text>
                <line class="tl-row" x1=label_w y1=y x2=label_w + chart_w y2=y/>
                {slip}
                {planned.map(|d| { let cx = x(d); view! { <polygon class="tl-planned" points=format!("{cx},{} {},{y} {cx},{} {},{y}", y - 6.0, cx + 6.0, y + 6.0, cx - 6.0)/> } })}
                {actual.map(|d| view! { <circle class="tl-actual" cx=x(d) cy=y r="5"/> })}
                {target.map(|d| { let cx = x(d); view! { <polygon class="tl-target" points=format!("{cx},{} {},{} {},{}", y - 6.0, cx + 6.0, y + 5.0, cx - 6.0, y + 5.0)/> } })}
            }
        })
        .collect_view();
    view! {
        <h2 id="timeline-title">{lang.pick("移行スケジュール", "Migration timeline")}</h2>
        <p id="timeline-desc" class="muted">{lang.pick(
            "◇ 本番稼働予定日、● 本番稼働日、▲ 特定移行支援の移行目標日。縦の赤線は国の期限（2026-03-31）。同じ内容を上の「業務別の進捗」の表に示しています。",
            "◇ planned go-live, ● actual go-live, ▲ extension target date. The red line is the national target (2026-03-31). The “Progress by system” table above gives the same facts.",
        )}</p>
        <ScrollRegion label=lang.pick("移行スケジュールの図", "Migration timeline chart")>
            <svg class="timeline" viewBox=format!("0 0 {} {height}", label_w + chart_w + 10.0) role="img" aria-labelledby="timeline-title timeline-desc">
                {fy_lines}
                <line class="tl-deadline" x1=deadline y1=top - 6.0 x2=deadline y2=height - 10.0/>
                {rows}
            </svg>
        </ScrollRegion>
    }
}

/// `/admin/steps`: the step template by phase; administrators upload a replacement
/// (multipart POST to `/standardization/steps/upload`) and see what changed.
#[component]
pub fn StepTemplatePage() -> impl IntoView {
    use super::super::model::Phase;
    let lang = use_lang();
    let template = Resource::new(|| (), |_| get_step_template());
    view! {
        <Title text=lang.pick("手順テンプレート", "Step template")/>
        <h1>{lang.pick("手順テンプレート（移行手順の作業項目）", "Step template (migration procedure steps)")}</h1>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(template.await, |t| view! {
                    {t.outcome.map(|o| match o {
                        TemplateOutcome::Applied(c) => view! {
                            <div class="notice success" role="status">
                                <p>{match lang {
                                    Lang::Ja => format!("手順テンプレートを置き換えました（{}手順 → {}手順、再計算した記録 {}件）。", c.old_len, c.new_len, c.recomputed),
                                    Lang::En => format!("The step template was replaced ({} → {} steps; {} records recomputed).", c.old_len, c.new_len, c.recomputed),
                                }}</p>
                                {(c.live_without_date > 0).then(|| view! {
                                    <p>{match lang {
                                        Lang::Ja => format!("{}件の記録が、すべての手順が完了となり移行完了になりましたが、本番稼働日が未記入です。各団体に記入を依頼してください。", c.live_without_date),
                                        Lang::En => format!("{} records became live (every step done) without a go-live date: ask the municipalities to enter it.", c.live_without_date),
                                    }}</p>
                                })}
                                {(!c.removed.is_empty()).then(|| view! {
                                    <p>{lang.pick("なくなった手順（状況は保存したまま、進捗率には含めません）:", "Steps that no longer exist (statuses kept, not counted):")}</p>
                                    <ul>{c.removed.into_iter().map(|r| view! {
                                        <li>{match lang {
                                            Lang::Ja => format!("手順{} {}（状況のある記録 {}件）", r.step.no, r.step.name_ja, r.records),
                                            Lang::En => format!("Step {} {} ({} records with a status)", r.step.no, r.step.name_en, r.records),
                                        }}</li>
                                    }).collect_view()}</ul>
                                })}
                            </div>
                        }.into_any(),
                        TemplateOutcome::Refused(errors) => view! {
                            <div class="notice error" role="alert">
                                <p>{lang.pick("ファイルに誤りがあるため、何も変更していません。", "The file has errors: nothing was changed.")}</p>
                                <ul>{errors.into_iter().map(|e| view! {
                                    <li>{match lang {
                                        Lang::Ja => format!("{}行目{}: ", e.line, e.column.clone().map(|c| format!("「{c}」")).unwrap_or_default()),
                                        Lang::En => format!("Line {}{}: ", e.line, e.column.clone().map(|c| format!(" ({c})")).unwrap_or_default()),
                                    }}{e.kind.message(lang)}</li>
                                }).collect_view()}</ul>
                            </div>
                        }.into_any(),
                    })}
                    {t.may_replace.then(|| view! {
                        <form method="post" action="/standardization/steps/upload" enctype="multipart/form-data" class="upload">
                            <label for="file">{lang.pick("新しい手順テンプレート（CSV: no, phase, name_ja, name_en）", "New step template (CSV: no, phase, name_ja, name_en)")}</label>
                            <input id="file" type="file" name="file" accept=".csv,text/csv" required/>
                            <button type="submit">{lang.pick("置き換える", "Replace")}</button>
                        </form>
                        <p class="muted">{lang.pick(
                            "各記録の手順の状況は番号で対応付けます。番号は1から欠番なく付けてください。",
                            "Each record's step statuses are kept by step number. Number the steps from 1 without gaps.",
                        )}</p>
                    })}
                    {Phase::ALL.into_iter().map(|phase| {
                        let rows: Vec<_> = t.steps.iter().filter(|s| s.phase == phase).cloned().collect();
                        view! {
                            <h2>{phase.label(lang)}</h2>
                            <ol class="step-template">
                                {rows.into_iter().map(|s| view! { <li value=s.no>{s.name(lang).to_owned()}</li> }).collect_view()}
                            </ol>
                        }
                    }).collect_view()}
                })
            })}
        </Suspense>
    }
}
