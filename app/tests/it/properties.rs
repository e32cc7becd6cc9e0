//! Property tests of every parser (proptest): the progress CSV import (any bytes, either
//! encoding, any header order, any cell), dates (ISO, 和暦 across the era boundary, full-width
//! digits), local government codes, the step-template file, Markdown and the heatmap's filter
//! query. No input makes one panic or answer 5xx; every refusal names its line (and, for a
//! cell, its column); export → import gives back every generated valid record.
//!
//! `make test` runs each property with proptest's default 256 cases (64 for those that go
//! through the router); a longer run is `PROPTEST_CASES=20000 cargo nextest run -p app
//! --features ssr -E 'test(/properties/)'`.

use crate::common::TestApp;
use app::csv_input::{normalize, parse_date};
use app::orgs::model::{LgCode, LgCodeError};
use app::standardization::export::to_csv;
use app::standardization::import::{Reference, parse};
use app::standardization::model::{
    ExtensionReason, GovCloud, Progress, StepStatus, TOTAL_STEPS, latest_extension_date,
};
use app::state::Catalog;
use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use std::sync::LazyLock;

/// The reference catalog as shipped (62 municipalities, 20 systems).
static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog {
    organisations: app::db::reference::parse_organisations(
        app::db::reference::LOCAL_GOVERNMENTS_CSV,
    )
    .unwrap(),
    systems: app::db::reference::parse_systems(app::db::reference::STANDARD_SYSTEMS_CSV).unwrap(),
});

fn reference() -> Reference {
    Reference::new(&CATALOG, usize::from(TOTAL_STEPS))
}

/// The number of lines of `bytes` as the import counts them (header = 1), or a bound above it.
fn line_bound(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .filter(|b| **b == b'\n' || **b == b'\r')
        .count()
        + 1
}

/// Free text as people type it: Japanese, ASCII, punctuation that CSV quotes, and the
/// characters that start a spreadsheet formula; trimmed, as the import keeps it.
fn free_text(max: usize) -> impl Strategy<Value = Option<String>> {
    proptest::option::of(
        proptest::string::string_regex(&format!(
            "[a-zA-Z0-9ぁ-んァ-ヶ一-龥、。・（）,\"'=+@ -]{{1,{max}}}"
        ))
        .unwrap(),
    )
    .prop_map(|t| t.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()))
}

/// A date the tracker accepts (FY2019 to FY2035).
fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..6000)
        .prop_map(|d| NaiveDate::from_ymd_opt(2019, 4, 1).unwrap() + chrono::Days::new(d as u64))
}

/// A valid progress record of a random municipality × system: any steps, dates and texts,
/// adjusted only where a rule of `Progress::check` demands it.
fn valid_progress() -> impl Strategy<Value = Progress> {
    let steps = proptest::collection::vec(
        proptest::sample::select(StepStatus::ALL.to_vec()),
        usize::from(TOTAL_STEPS),
    );
    let dates = (
        proptest::option::of(date()),
        proptest::option::of(date()),
        proptest::option::of(date()),
        proptest::option::of(date()),
    );
    let texts = (
        free_text(30),
        free_text(30),
        free_text(60),
        free_text(60),
        free_text(200),
    );
    let choices = (
        0..CATALOG.municipalities().count(),
        0..CATALOG.systems.len(),
        any::<bool>(),
        proptest::option::of(proptest::sample::select(ExtensionReason::ALL.to_vec())),
        proptest::option::of(proptest::sample::select(GovCloud::ALL.to_vec())),
    );
    (steps, dates, texts, choices).prop_map(
        |(
            steps,
            (planned, actual, target, until),
            (vendor, product, reason_text, functions, notes),
            (m, s, flagged, reason, cloud),
        )| {
            let org = CATALOG.municipalities().nth(m).unwrap();
            let mut p = Progress::empty(
                org.lg_code.clone().unwrap(),
                &CATALOG.systems[s].code,
                usize::from(TOTAL_STEPS),
            );
            for (i, status) in steps.into_iter().enumerate() {
                p.set_step(i as u8 + 1, status);
            }
            p.derive(usize::from(TOTAL_STEPS));
            p.planned_go_live = planned;
            p.actual_go_live = actual;
            p.gov_cloud = cloud;
            p.vendor = vendor;
            p.product = product;
            p.notes = notes;
            p.transitional_until = until;
            p.transitional_functions = functions;
            if p.transitional_until.is_some() && p.transitional_functions.is_none() {
                p.transitional_functions = Some("経過措置機能".into());
            }
            if p.status == app::standardization::model::ProgressStatus::Live
                && p.actual_go_live.is_none()
            {
                p.actual_go_live = Some(NaiveDate::from_ymd_opt(2025, 4, 1).unwrap());
            }
            if flagged {
                p.special_migration_support = true;
                p.extension_reason = Some(reason.unwrap_or(ExtensionReason::Mainframe));
                p.extension_reason_text = reason_text;
                if p.extension_reason == Some(ExtensionReason::Other)
                    && p.extension_reason_text.is_none()
                {
                    p.extension_reason_text = Some("その他の事由".into());
                }
                p.extension_target_date = Some(
                    target
                        .unwrap_or(latest_extension_date())
                        .min(latest_extension_date()),
                );
            }
            p
        },
    )
}

proptest! {
    /// Any bytes: the import never panics, and every problem names a line of the file.
    #[test]
    fn the_import_reads_any_bytes_and_names_a_line_for_every_problem(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let parsed = parse(&bytes, &reference(), |_| true);
        for issue in parsed.errors.iter().chain(&parsed.warnings) {
            prop_assert!(issue.line <= line_bound(&bytes), "{issue:?}");
        }
    }

    /// Text that looks like a progress file (a real header, then any cells, any header order,
    /// UTF-8 or Shift_JIS): every problem names its line, and each cell problem its column.
    #[test]
    fn the_import_names_the_line_and_column_of_every_bad_cell(
        order in Just((0..8usize).collect::<Vec<_>>()).prop_shuffle(),
        cells in proptest::collection::vec(proptest::collection::vec("[0-9a-zA-Z〇○×令和平成年月日/.,\"=\\- ]{0,12}", 8), 1..12),
        shift_jis in any::<bool>(),
    ) {
        let header = ["団体コード", "業務", "進捗状況", "本番稼働予定日", "本番稼働日", "特定移行支援", "移行目標日", "ガバメントクラウド"];
        let mut text = order.iter().map(|&i| header[i]).collect::<Vec<_>>().join(",") + "\r\n";
        for row in &cells {
            let row: Vec<String> = order.iter().map(|&i| format!("\"{}\"", row[i].replace('"', "\"\""))).collect();
            text += &(row.join(",") + "\r\n");
        }
        let bytes = if shift_jis { encoding_rs::SHIFT_JIS.encode(&text).0.into_owned() } else { text.into_bytes() };
        let parsed = parse(&bytes, &reference(), |_| true);
        prop_assert_eq!(parsed.rows, cells.len());
        for issue in &parsed.errors {
            prop_assert!(issue.line >= 2 && issue.line <= cells.len() + 1, "{:?}", issue);
        }
    }

    /// Export → import gives back every valid record, whatever its texts (quotes, commas,
    /// formula-like starts) and dates.
    #[test]
    fn export_then_import_gives_back_every_valid_record(records in proptest::collection::vec(valid_progress(), 1..6)) {
        let mut records = records;
        records.sort_by(|a, b| (a.lg_code.as_str(), &a.system).cmp(&(b.lg_code.as_str(), &b.system)));
        records.dedup_by(|a, b| a.lg_code == b.lg_code && a.system == b.system);
        for r in &records {
            prop_assert!(r.check().is_ok(), "generated an invalid record: {:?}", r.check());
        }
        let csv = to_csv(&records, &CATALOG.organisations, &CATALOG.systems, usize::from(TOTAL_STEPS));
        let parsed = parse(&csv, &reference(), |_| true);
        prop_assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        prop_assert_eq!(parsed.lines.len(), records.len());
        for line in &parsed.lines {
            let record = records
                .iter()
                .find(|r| r.lg_code == line.lg_code && r.system == line.system)
                .expect("a line of the export is one of the records");
            let mut back = line.apply(None, usize::from(TOTAL_STEPS));
            back.is_demo = record.is_demo;
            back.updated_at = record.updated_at.clone();
            prop_assert_eq!(&back, record);
        }
    }

    /// Every date from 1989 to 2100 reads back from ISO, slashes, full-width digits and its
    /// 和暦 (令和 from 2019-05-01, 平成 to 2019-04-30; the other era's name for it is refused).
    #[test]
    fn dates_read_in_every_accepted_form(days in 0u64..40_000) {
        let d = NaiveDate::from_ymd_opt(1989, 1, 8).unwrap() + chrono::Days::new(days);
        prop_assume!(d.year() <= 2100);
        let (y, m, day) = (d.year(), d.month(), d.day());
        prop_assert_eq!(parse_date(&d.format("%Y-%m-%d").to_string()), Some(d));
        prop_assert_eq!(parse_date(&format!("{y}/{m}/{day}")), Some(d));
        let wide: String = d.format("%Y－%m－%d").to_string().chars().map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
            c => c,
        }).collect();
        prop_assert_eq!(parse_date(&normalize(&wide)), Some(d));
        let reiwa_start = NaiveDate::from_ymd_opt(2019, 5, 1).unwrap();
        let (era, other, base) = if d >= reiwa_start { ("令和", "平成", 2018) } else { ("平成", "令和", 1988) };
        let n = y - base;
        prop_assert_eq!(parse_date(&format!("{era}{n}年{m}月{day}日")), Some(d));
        if n == 1 {
            prop_assert_eq!(parse_date(&format!("{era}元年{m}月{day}日")), Some(d));
        }
        let other_n = y - if other == "令和" { 2018 } else { 1988 };
        if (1..=99).contains(&other_n) {
            prop_assert_eq!(parse_date(&format!("{other}{other_n}年{m}月{day}日")), None);
        }
    }

    /// Any text: a date parser answers, never panics.
    #[test]
    fn any_text_is_a_date_or_refused(text in "\\PC{0,24}") {
        let _ = parse_date(&text);
        let _ = parse_date(&normalize(&text));
    }

    /// Every 5-digit code completes to the 6-digit code with its check digit; that code parses
    /// to itself; any other sixth digit is refused as a check-digit error.
    #[test]
    fn local_government_codes_carry_their_check_digit(five in "[0-9]{5}", wrong in 0u8..10) {
        let code = LgCode::parse(&five).unwrap();
        let six = code.as_str().to_owned();
        prop_assert!(six.starts_with(&five) && six.len() == 6);
        prop_assert_eq!(LgCode::parse(&six), Ok(code.clone()));
        prop_assert_eq!(LgCode::parse(&format!(" {six} ")), Ok(code.clone()));
        let right = six.as_bytes()[5] - b'0';
        if wrong != right {
            prop_assert_eq!(
                LgCode::parse(&format!("{five}{wrong}")),
                Err(LgCodeError::CheckDigit { expected: right })
            );
        }
    }

    /// Any text: a code parses or is refused, never panics.
    #[test]
    fn any_text_is_a_code_or_refused(text in "\\PC{0,10}") {
        let _ = LgCode::parse(&text);
    }

    /// Any bytes as a step-template file: read or refused with lines, never a panic.
    #[test]
    fn the_step_template_reader_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..1500)) {
        if let Err(issues) = app::standardization::template::parse(&bytes) {
            prop_assert!(!issues.is_empty());
            for issue in issues {
                prop_assert!(issue.line <= line_bound(&bytes), "{issue:?}");
            }
        }
    }

    /// Any Markdown, with HTML and links mixed in: the rendering holds no script element, no
    /// event-handler attribute and no `javascript:` address (text that only reads like one,
    /// escaped, is fine).
    #[test]
    fn markdown_never_renders_a_script(text in "(\\PC|<script>|<img src=x onerror=alert(1)>|\\[a\\]\\(javascript:alert\\(1\\)\\)|<a href=\"javascript:x\">|\\n){0,40}") {
        let html = app::markdown::render(&text);
        let document = scraper::Html::parse_fragment(&html);
        for element in document.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            let element = element.value();
            prop_assert!(element.name() != "script", "{html}");
            for (name, value) in element.attrs() {
                prop_assert!(!name.to_lowercase().starts_with("on"), "{html}");
                prop_assert!(!value.trim().to_lowercase().starts_with("javascript:"), "{html}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any filter query on the heatmap (page and server function): an answer or a 400 that
    /// names the field, never a 5xx.
    #[test]
    fn any_heatmap_filter_is_answered_or_refused_by_name(
        kind in "(ward|city|town|village|all|\\PC{0,6})",
        cloud in "(aws|azure|none|\\PC{0,6})",
        sort in "(progress_desc|progress_asc|code|\\PC{0,6})",
    ) {
        // One runtime and one app for every case: the in-memory database lives on the runtime
        // that opened it.
        static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
            tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap()
        });
        RUNTIME.block_on(async {
            static APP: tokio::sync::OnceCell<TestApp> = tokio::sync::OnceCell::const_new();
            let app = APP.get_or_init(|| TestApp::with("mem://", true)).await;
            let cookie = app.sign_in("tokyo_officer").await;
            let form = crate::common::form(&[("kind", kind.as_str()), ("cloud", cloud.as_str()), ("sort", sort.as_str())]);
            let reply = app.post("/api/get_heatmap", &form, Some(&cookie)).await;
            prop_assert!(reply.status.is_success() || reply.status == http::StatusCode::BAD_REQUEST, "{} {}", reply.status, reply.body);
            if reply.status == http::StatusCode::BAD_REQUEST {
                let field = reply.json()["field"].as_str().unwrap_or_default().to_owned();
                prop_assert!(["kind", "cloud", "sort"].contains(&field.as_str()), "{}", reply.body);
            }
            let page = app.get(&format!("/standardization?{form}"), Some(&cookie)).await;
            prop_assert!(page.status.as_u16() < 500, "{} {}", page.status, page.body);
            Ok(())
        })?;
    }
}
