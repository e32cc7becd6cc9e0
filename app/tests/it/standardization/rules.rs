//! One rule set for a progress record: the edit form and the import apply the same rules
//! (`Progress::check`) and give the same answer for the same record — the same field (form) and
//! column (import), the same problem, and nothing written when refused.

use super::{
    RecordForm, STEPS, SYSTEM, TOSHIMA, first_steps, record, rejected_field, save, save_ok,
};
use crate::common::TestApp;
use app::i18n::Lang;
use app::standardization::model::{ImportIssueKind, ProgressField, StepCounts, StepStatus};
use http::StatusCode;
use serde_json::Value;

/// The record `form` states, as an import file: the header and one line with every column
/// explicit (団体コード, 業務, 進捗状況, 特定移行支援, 本番稼働予定日, 本番稼働日, 事由, 事由詳細,
/// 移行目標日, 経過措置機能, 経過措置期限, ガバメントクラウド, ベンダ, 製品, 備考, 手順1…手順N).
/// 進捗状況 is the one the steps give; 特定移行支援 is ○ when the form's box is ticked, and the
/// three extension cells are written only then (an unticked box means no extension).
fn as_csv(form: &RecordForm) -> Vec<u8> {
    let field = |name: &str| {
        form.fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let flagged = field("special_migration_support") == "on";
    let extension = |name: &str| if flagged { field(name) } else { String::new() };
    let statuses: Vec<StepStatus> = form
        .steps
        .iter()
        .map(|s| StepStatus::parse(s).expect("a step status code"))
        .collect();
    let status = StepCounts::of(&statuses, statuses.len()).status();
    let mut header: Vec<String> = [
        "団体コード",
        "業務",
        "進捗状況",
        "特定移行支援",
        "本番稼働予定日",
        "本番稼働日",
        "事由",
        "事由詳細",
        "移行目標日",
        "経過措置機能",
        "経過措置期限",
        "ガバメントクラウド",
        "ベンダ",
        "製品",
        "備考",
    ]
    .map(String::from)
    .to_vec();
    header.extend((1..=statuses.len()).map(|n| format!("手順{n}")));
    let mut line = vec![
        form.lg_code.clone(),
        form.system.clone(),
        status.label_ja().to_owned(),
        if flagged { "○" } else { "×" }.to_owned(),
        field("planned_go_live"),
        field("actual_go_live"),
        extension("extension_reason"),
        extension("extension_reason_text"),
        extension("extension_target_date"),
        field("transitional_functions"),
        field("transitional_until"),
        field("gov_cloud"),
        field("vendor"),
        field("product"),
        field("notes"),
    ];
    line.extend(statuses.iter().map(|s| s.label_ja().to_owned()));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    writer.write_record(&line).unwrap();
    writer.into_inner().unwrap()
}

/// What both paths must answer.
enum Answer {
    /// Both write the same record.
    Accepted,
    /// Both refuse: the form's field, the import's column (line 2) and the problem's code.
    Refused {
        field: &'static str,
        column: &'static str,
        code: &'static str,
    },
}

/// The stored record of 豊島区 × 住民基本台帳 without its write time.
async fn stored(app: &TestApp, cookie: &str) -> Value {
    let mut p = record(app, cookie, TOSHIMA, SYSTEM).await["progress"].clone();
    p.as_object_mut().unwrap().remove("updated_at");
    p
}

/// The number of history entries of 豊島区 × 住民基本台帳.
async fn history_len(app: &TestApp, cookie: &str) -> usize {
    record(app, cookie, TOSHIMA, SYSTEM).await["history"]
        .as_array()
        .unwrap()
        .len()
}

/// From the same stored record (a baseline saved first, so demo data does not matter), the
/// form save of `form` and the import of [`as_csv`]`(form)` give `expected`.
///
/// Refused: the form names `field`, its message (in both languages) is the field's label and
/// the import's message for the same problem; the import's report has exactly one error, on
/// line 2 at `column` with `code`; nothing is written by either. Accepted: both store the same
/// record, and the form can post the same record again over the imported one without change.
async fn same_answer(app: &TestApp, cookie: &str, case: &str, form: &RecordForm, expected: Answer) {
    let baseline = RecordForm::new(TOSHIMA, SYSTEM);
    save_ok(app, cookie, &baseline).await;
    match expected {
        Answer::Refused {
            field,
            column,
            code,
        } => {
            let before = app.full_snapshot().await;
            let reply = save(app, cookie, form).await;
            assert_eq!(rejected_field(&reply), field, "{case}: form field");
            let error = reply.json();
            assert_eq!(app.full_snapshot().await, before, "{case}: the form wrote");

            let report = app.import(cookie, &as_csv(form)).await;
            assert_eq!(report["applied"], false, "{case}: {report}");
            let errors = report["errors"].as_array().unwrap();
            assert_eq!(errors.len(), 1, "{case}: {}", report["errors"]);
            let issue = &errors[0];
            assert_eq!(
                (
                    issue["line"].as_u64(),
                    issue["column"].as_str(),
                    issue["kind"]["code"].as_str()
                ),
                (Some(2), Some(column), Some(code)),
                "{case}: import issue {issue}"
            );
            assert_eq!(
                app.full_snapshot().await,
                before,
                "{case}: the import wrote"
            );

            let kind: ImportIssueKind = serde_json::from_value(issue["kind"].clone()).unwrap();
            let field: ProgressField = serde_json::from_value(Value::from(field)).unwrap();
            for (lang, key) in [(Lang::Ja, "ja"), (Lang::En, "en")] {
                let message = error[key].as_str().unwrap();
                assert!(
                    message.starts_with(field.label(lang)) && message.contains(&kind.message(lang)),
                    "{case}: the form's {key} message “{message}” is not the field's label and the import's “{}”",
                    kind.message(lang)
                );
            }
        }
        Answer::Accepted => {
            save_ok(app, cookie, form).await;
            let by_form = stored(app, cookie).await;
            save_ok(app, cookie, &baseline).await;
            let report = app.import(cookie, &as_csv(form)).await;
            assert_eq!(report["applied"], true, "{case}: {}", report["errors"]);
            let by_import = stored(app, cookie).await;
            assert_eq!(
                by_import, by_form,
                "{case}: the two paths stored different records"
            );
            let entries = history_len(app, cookie).await;
            let reply = save(app, cookie, form).await;
            assert!(
                reply.status.is_success() || reply.status.is_redirection(),
                "{case}: the form refuses what the import stored: {}",
                reply.body
            );
            assert_eq!(
                history_len(app, cookie).await,
                entries,
                "{case}: the form changed the imported record"
            );
        }
    }
}

#[tokio::test]
async fn the_form_and_the_import_give_the_same_answer_for_each_record_rule() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let base = RecordForm::new(TOSHIMA, SYSTEM).steps(1, 4, "done");
    let ext = base
        .clone()
        .set("special_migration_support", "on")
        .set("extension_reason", "mainframe")
        .set("extension_target_date", "2031-03-31");
    let other = ext.clone().set("extension_reason", "other");
    let live = base.clone().steps(1, STEPS, "done");
    let transitional = base.clone().set("transitional_until", "2030-03-31");
    let refused = |field, column, code| Answer::Refused {
        field,
        column,
        code,
    };
    let long = |n: usize| "あ".repeat(n);
    let cases: Vec<(&str, RecordForm, Answer)> = vec![
        (
            "L1 vendor 201",
            base.clone().set("vendor", &long(201)),
            refused("vendor", "ベンダ", "too_long"),
        ),
        (
            "L1 vendor 200",
            base.clone().set("vendor", &long(200)),
            Answer::Accepted,
        ),
        (
            "L2 product 201",
            base.clone().set("product", &long(201)),
            refused("product", "製品", "too_long"),
        ),
        (
            "L2 product 200",
            base.clone().set("product", &long(200)),
            Answer::Accepted,
        ),
        (
            "L3 reason text 2,001",
            other.clone().set("extension_reason_text", &long(2_001)),
            refused("extension_reason_text", "事由詳細", "too_long"),
        ),
        (
            "L3 reason text 2,000",
            other.clone().set("extension_reason_text", &long(2_000)),
            Answer::Accepted,
        ),
        (
            "L4 transitional functions 2,001",
            base.clone().set("transitional_functions", &long(2_001)),
            refused("transitional_functions", "経過措置機能", "too_long"),
        ),
        (
            "L4 transitional functions 2,000",
            base.clone().set("transitional_functions", &long(2_000)),
            Answer::Accepted,
        ),
        (
            "L5 notes 20,001",
            base.clone().set("notes", &long(20_001)),
            refused("notes", "備考", "too_long"),
        ),
        (
            "L5 notes 20,000",
            base.clone().set("notes", &long(20_000)),
            Answer::Accepted,
        ),
        (
            "E1 an extension without reason",
            ext.clone().set("extension_reason", ""),
            refused("extension_reason", "事由", "extension_needs_reason"),
        ),
        (
            "E1 an extension with its reason",
            ext.clone(),
            Answer::Accepted,
        ),
        (
            "E2 その他 without its text",
            other.clone(),
            refused(
                "extension_reason_text",
                "事由詳細",
                "other_reason_needs_text",
            ),
        ),
        (
            "E2 その他 with its text",
            other
                .clone()
                .set("extension_reason_text", "庁舎移転と重なるため"),
            Answer::Accepted,
        ),
        (
            "E3 an extension without target date",
            ext.clone().set("extension_target_date", ""),
            refused(
                "extension_target_date",
                "移行目標日",
                "extension_needs_target_date",
            ),
        ),
        (
            "E4 a target date after 2031-03-31",
            ext.clone().set("extension_target_date", "2031-04-01"),
            refused("extension_target_date", "移行目標日", "extension_too_late"),
        ),
        (
            "E4 a 和暦 target date after 2031-03-31",
            ext.clone().set("extension_target_date", "令和13年4月1日"),
            refused("extension_target_date", "移行目標日", "extension_too_late"),
        ),
        (
            "E4 a target date of 2031-03-31",
            ext.clone().set("extension_target_date", "2031-03-31"),
            Answer::Accepted,
        ),
        (
            "G1 移行完了 without 本番稼働日",
            live.clone(),
            refused("actual_go_live", "本番稼働日", "live_without_date"),
        ),
        (
            "G1 移行完了 with 本番稼働日",
            live.clone().set("actual_go_live", "2026-02-02"),
            Answer::Accepted,
        ),
        (
            "T1 経過措置期限 without 経過措置機能",
            transitional.clone(),
            refused(
                "transitional_functions",
                "経過措置機能",
                "transitional_needs_functions",
            ),
        ),
        (
            "T1 経過措置期限 with 経過措置機能",
            transitional
                .clone()
                .set("transitional_functions", "宛名連携"),
            Answer::Accepted,
        ),
    ];
    for (case, form, expected) in cases {
        same_answer(&app, &officer, case, &form, expected).await;
    }
}

#[tokio::test]
async fn flag_off_clears_extension_fields_and_a_file_that_contradicts_itself_is_refused() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let base = RecordForm::new(TOSHIMA, SYSTEM).steps(1, 4, "done");
    save_ok(&app, &officer, &base).await;

    // The form: the box unticked, the fields the browser posts anyway are cleared.
    let unticked = base
        .clone()
        .set("extension_reason", "custom_built")
        .set("extension_reason_text", "x")
        .set("extension_target_date", "2030-01-01");
    save_ok(&app, &officer, &unticked).await;
    let p = stored(&app, &officer).await;
    assert_eq!(p["special_migration_support"], false);
    for field in [
        "extension_reason",
        "extension_reason_text",
        "extension_target_date",
    ] {
        assert_eq!(p[field], Value::Null, "{field}");
    }

    // The import: × with a reason contradicts itself, and so does a reason without the flag
    // column over a record without the flag. Refused, nothing written.
    let before = app.full_snapshot().await;
    for file in [
        format!("団体コード,業務,進捗状況,特定移行支援,事由\n{TOSHIMA},1,作業中,×,独自開発\n"),
        format!("団体コード,業務,進捗状況,事由\n{TOSHIMA},1,作業中,独自開発\n"),
    ] {
        let report = app.import(&officer, file.as_bytes()).await;
        assert_eq!(report["applied"], false, "{report}");
        let errors = report["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{report}");
        assert_eq!(errors[0]["line"], 2);
        assert_eq!(errors[0]["column"], "事由");
        assert_eq!(errors[0]["kind"]["code"], "extension_without_flag");
        assert_eq!(app.full_snapshot().await, before, "nothing written");
    }

    // Over a flagged record, a file without the flag column changes its reason (the stored
    // flag counts), as the form with the box still ticked does.
    let ext = base
        .clone()
        .set("special_migration_support", "on")
        .set("extension_reason", "mainframe")
        .set("extension_target_date", "2030-01-01");
    save_ok(&app, &officer, &ext).await;
    let file = format!("団体コード,業務,進捗状況,事由\n{TOSHIMA},1,作業中,独自開発\n");
    let report = app.import(&officer, file.as_bytes()).await;
    assert_eq!(report["applied"], true, "{}", report["errors"]);
    let by_import = stored(&app, &officer).await;
    assert_eq!(by_import["special_migration_support"], true);
    assert_eq!(by_import["extension_reason"], "custom_built");
    assert_eq!(by_import["extension_target_date"], "2030-01-01");

    save_ok(&app, &officer, &ext).await;
    save_ok(
        &app,
        &officer,
        &ext.clone().set("extension_reason", "custom_built"),
    )
    .await;
    assert_eq!(stored(&app, &officer).await, by_import, "the same record");
}

#[tokio::test]
async fn a_record_a_template_change_made_live_needs_its_date_on_both_paths() {
    let app = TestApp::new().await;
    let admin = app.sign_in("admin").await;
    // Two records with steps 1–38 done; a template of 38 steps makes them 移行完了 without a date.
    let electoral = "electoral_roll";
    let forms = [SYSTEM, electoral].map(|system| {
        RecordForm::new(TOSHIMA, system)
            .steps(1, 38, "done")
            .set("actual_go_live", "")
    });
    for form in &forms {
        save_ok(&app, &admin, form).await;
    }
    let reply = app
        .upload_to(
            "/standardization/steps/upload",
            &admin,
            "38.csv",
            first_steps(38).as_bytes(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    for system in [SYSTEM, electoral] {
        let p = record(&app, &admin, TOSHIMA, system).await["progress"].clone();
        assert_eq!(
            (p["status"].as_str(), &p["actual_go_live"]),
            (Some("live"), &Value::Null),
            "{system}"
        );
    }
    let before = app.full_snapshot().await;

    // The form: any change of such a record needs the date.
    let mut changed = forms[0].clone().set("vendor", "ベンダZ");
    changed.steps.truncate(38);
    assert_eq!(
        rejected_field(&save(&app, &admin, &changed).await),
        "actual_go_live"
    );
    assert_eq!(app.full_snapshot().await, before, "the form wrote");

    // The import: the same, also without a 本番稼働日 column (the record was live before).
    for system_no in [1, 2] {
        let file =
            format!("団体コード,業務,進捗状況,ベンダ\n{TOSHIMA},{system_no},移行完了,ベンダZ\n");
        let report = app.import(&admin, file.as_bytes()).await;
        assert_eq!(report["applied"], false, "{report}");
        let errors = report["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{report}");
        assert_eq!(errors[0]["line"], 2);
        assert_eq!(errors[0]["column"], "本番稼働日");
        assert_eq!(errors[0]["kind"]["code"], "live_without_date");
    }
    assert_eq!(app.full_snapshot().await, before, "the import wrote");

    // With the date, both go through.
    save_ok(
        &app,
        &admin,
        &changed.clone().set("actual_go_live", "2026-01-05"),
    )
    .await;
    let file = format!(
        "団体コード,業務,進捗状況,本番稼働日,ベンダ\n{TOSHIMA},2,移行完了,2026-01-05,ベンダZ\n"
    );
    let report = app.import(&admin, file.as_bytes()).await;
    assert_eq!(report["applied"], true, "{}", report["errors"]);
    for system in [SYSTEM, electoral] {
        let p = record(&app, &admin, TOSHIMA, system).await["progress"].clone();
        assert_eq!(
            (
                p["status"].as_str(),
                p["actual_go_live"].as_str(),
                p["vendor"].as_str()
            ),
            (Some("live"), Some("2026-01-05"), Some("ベンダZ")),
            "{system}"
        );
    }
}
