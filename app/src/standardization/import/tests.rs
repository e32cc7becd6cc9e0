//! Tests of reading and merging progress files.

use super::super::model::*;
use super::*;
use crate::orgs::model::OrgKind;
use chrono::NaiveDate;

fn reference() -> Reference {
    let municipalities = include_str!("../../../data/tokyo_local_governments.csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[4] != "prefecture")
        .map(|f| {
            let org = Organisation {
                key: f[0].into(),
                lg_code: Some(LgCode::parse(f[0]).unwrap()),
                name_ja: f[1].into(),
                name_kana: f[2].into(),
                name_en: f[3].into(),
                kind: OrgKind::parse(f[4]).unwrap(),
                district_ja: None,
            };
            (f[0].to_owned(), org)
        })
        .collect();
    let systems = include_str!("../../../data/standard_systems.csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .map(|f| StandardSystem {
            no: f[0].parse().unwrap(),
            code: f[1].into(),
            name_ja: f[2].into(),
            name_en: f[3].into(),
            ministry_ja: f[4].into(),
        })
        .collect();
    Reference {
        municipalities,
        systems,
        step_count: 40,
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn systems_by_number_code_name_and_variant() {
    let r = reference();
    assert_eq!(
        resolve_system("1", &r.systems).unwrap().code,
        "resident_registry"
    );
    assert_eq!(
        resolve_system("住民記録", &r.systems).unwrap().code,
        "resident_registry"
    );
    assert_eq!(
        resolve_system("戸籍附票", &r.systems).unwrap().code,
        "family_register_annex"
    );
    assert_eq!(
        resolve_system("子ども子育て支援", &r.systems).unwrap().code,
        "child_and_childcare_support"
    );
    assert_eq!(
        resolve_system("Family register", &r.systems).unwrap().code,
        "family_register"
    );
    assert!(resolve_system("21", &r.systems).is_none());
    assert!(resolve_system("存在しない業務", &r.systems).is_none());
}

#[test]
fn decode_utf8_bom_and_cp932() {
    let (t, e) = decode("\u{feff}団体コード".as_bytes()).unwrap();
    assert_eq!((t.as_str(), e), ("団体コード", "UTF-8 (BOM)"));
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("団体コード,①");
    let (t, e) = decode(&sjis).unwrap();
    assert_eq!((t.as_str(), e), ("団体コード,①", "Shift_JIS"));
    assert_eq!(decode(&[0x82, 0xff, 0xff]), Err(ImportIssueKind::Encoding));
}

#[test]
fn sample_utf8_bom_parses_completely() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/it/fixtures/progress_utf8_bom.csv"
    ))
    .unwrap();
    let parsed = parse(&bytes, &reference(), |_| true);
    assert_eq!(parsed.errors, vec![]);
    assert_eq!(parsed.rows, 4);
    let chiyoda = &parsed.lines[2];
    assert_eq!(chiyoda.lg_code.as_str(), "131016");
    assert_eq!(chiyoda.system, "resident_registry");
    assert_eq!(chiyoda.steps_done, Some(28));
    assert_eq!(chiyoda.planned_go_live, Field::Set(d(2026, 1, 5)));
    assert_eq!(
        chiyoda.extension_reason,
        Field::Set(ExtensionReason::VendorCapacity)
    );
    assert_eq!(chiyoda.extension_target_date, Field::Set(d(2028, 1, 4)));
    assert_eq!(chiyoda.gov_cloud, Field::Set(GovCloud::GoogleCloud));
}

#[test]
fn sample_cp932_parses_completely() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/it/fixtures/progress_cp932.csv"
    ))
    .unwrap();
    let parsed = parse(&bytes, &reference(), |_| true);
    assert_eq!(parsed.errors, vec![]);
    assert_eq!(parsed.encoding, "Shift_JIS");
    let first = &parsed.lines[0];
    assert_eq!(first.lg_code.as_str(), "132012");
    assert_eq!(first.system, "family_register_annex");
    assert_eq!(first.steps_done, Some(20));
    assert_eq!(first.planned_go_live, Field::Set(d(2026, 3, 31)));
    assert_eq!(first.vendor, Field::Keep);
    assert_eq!(parsed.lines[1].steps_done, Some(25));
    assert_eq!(parsed.lines[2].gov_cloud, Field::Set(GovCloud::None));
}

#[test]
fn sample_with_errors_reports_three_lines() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/it/fixtures/progress_errors.csv"
    ))
    .unwrap();
    let parsed = parse(&bytes, &reference(), |_| true);
    let lines: Vec<usize> = parsed.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 4, 5]);
    assert!(matches!(
        parsed.errors[0].kind,
        ImportIssueKind::InvalidLgCode { .. }
    ));
    assert_eq!(parsed.errors[0].column.as_deref(), Some("団体コード"));
    assert!(matches!(
        parsed.errors[1].kind,
        ImportIssueKind::UnknownSystem { .. }
    ));
    assert!(matches!(
        parsed.errors[2].kind,
        ImportIssueKind::OutOfRange { .. }
    ));
    assert_eq!(parsed.errors[2].column.as_deref(), Some("完了ステップ数"));
}

#[test]
fn rules_across_columns() {
    let csv = "lg_code,system,status,steps_done,percent,actual_go_live,special_migration_support,extension_target_date\n\
               131016,1,live,40,,,,\n\
               131024,1,in_progress,10,50,,,\n\
               131032,1,in_progress,10,,,×,2029-01-01\n\
               131041,1,in_progress,10,,,○,2031-04-01\n\
               131059,1,in_progress,10,,,,\n\
               131059,住民基本台帳,in_progress,10,,,,\n";
    // The cells: 進捗率 against 完了ステップ数, and a repeated municipality × system.
    let parsed = parse(csv.as_bytes(), &reference(), |_| true);
    let kinds: Vec<(usize, ImportIssueKind)> = parsed
        .errors
        .into_iter()
        .map(|e| (e.line, e.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                3,
                ImportIssueKind::PercentMismatch {
                    percent: "50".into(),
                    steps: "10".into()
                }
            ),
            (7, ImportIssueKind::DuplicateRow { first_line: 6 }),
        ]
    );
    // The record rules, on each valid line merged (nothing stored), by Japanese column.
    assert_eq!(
        merged_rules(csv, None),
        vec![
            (2, "本番稼働日", ImportIssueKind::LiveWithoutDate),
            (4, "移行目標日", ImportIssueKind::ExtensionWithoutFlag),
            (5, "事由", ImportIssueKind::ExtensionNeedsReason),
            (
                5,
                "移行目標日",
                ImportIssueKind::ExtensionTooLate {
                    value: "2031-04-01".into()
                }
            ),
        ]
    );
}

/// The record-rule issues of every valid line of `csv`, each merged over `before`:
/// (line, column, kind).
fn merged_rules(
    csv: &str,
    before: Option<&Progress>,
) -> Vec<(usize, &'static str, ImportIssueKind)> {
    let parsed = parse(csv.as_bytes(), &reference(), |_| true);
    parsed
        .lines
        .iter()
        .flat_map(|line| line.merged_issues(&line.apply(before, 40), 40))
        .map(|i| {
            let column = i
                .column
                .as_deref()
                .and_then(ProgressField::from_csv_header)
                .map_or("?", ProgressField::csv_header);
            (i.line, column, i.kind)
        })
        .collect()
}

#[test]
fn the_record_rules_of_the_form_apply_to_each_merged_line() {
    use ImportIssueKind as K;
    let head = "団体コード,業務,進捗状況,特定移行支援,事由,事由詳細,移行目標日,経過措置機能,経過措置期限,ベンダ\n";
    let cases: [(&str, Vec<(&str, ImportIssueKind)>); 9] = [
        (
            "作業中,○,,,2030-01-01,,,",
            vec![("事由", K::ExtensionNeedsReason)],
        ),
        (
            "作業中,○,独自開発,,,,,",
            vec![("移行目標日", K::ExtensionNeedsTargetDate)],
        ),
        (
            "作業中,○,その他,,2030-01-01,,,",
            vec![("事由詳細", K::OtherReasonNeedsText)],
        ),
        ("作業中,○,その他,庁舎移転,2030-01-01,,,", vec![]),
        (
            "作業中,,,,,,2030-03-31,",
            vec![("経過措置機能", K::TransitionalNeedsFunctions)],
        ),
        ("作業中,,,,,宛名連携,2030-03-31,", vec![]),
        (
            "作業中,×,,庁舎移転,,,,",
            vec![("事由詳細", K::ExtensionWithoutFlag)],
        ),
        (
            &format!("作業中,,,,,,,{}", "ベ".repeat(201)),
            vec![(
                "ベンダ",
                K::TooLong {
                    max: 200,
                    length: 201,
                },
            )],
        ),
        (&format!("作業中,,,,,,,{}", "ベ".repeat(200)), vec![]),
    ];
    for (cells, expected) in cases {
        let csv = format!("{head}131016,1,{cells}\n");
        let expected: Vec<(usize, &str, ImportIssueKind)> =
            expected.into_iter().map(|(c, k)| (2, c, k)).collect();
        assert_eq!(merged_rules(&csv, None), expected, "{cells}");
    }
}

#[test]
fn the_stored_flag_counts_when_the_file_has_no_flag_column() {
    let mut flagged = Progress::empty(LgCode::parse("131016").unwrap(), "resident_registry", 40);
    flagged.special_migration_support = true;
    flagged.extension_reason = Some(ExtensionReason::Mainframe);
    flagged.extension_target_date = Some(d(2030, 1, 1));
    let csv = "団体コード,業務,進捗状況,事由\n131016,1,未着手,独自開発\n";
    assert_eq!(merged_rules(csv, Some(&flagged)), vec![]);
    let line = &parse(csv.as_bytes(), &reference(), |_| true).lines[0];
    let after = line.apply(Some(&flagged), 40);
    assert_eq!(after.extension_reason, Some(ExtensionReason::CustomBuilt));
    assert_eq!(after.extension_target_date, Some(d(2030, 1, 1)));

    // Over a record without the flag, the same line contradicts the stored record.
    let plain = Progress::empty(LgCode::parse("131016").unwrap(), "resident_registry", 40);
    assert_eq!(
        merged_rules(csv, Some(&plain)),
        vec![(2, "事由", ImportIssueKind::ExtensionWithoutFlag)]
    );
}

#[test]
fn a_live_record_without_its_date_needs_it_even_when_it_was_live_before() {
    // A step-template change made it live without a date: the next line must bring it.
    let mut live = Progress::empty(LgCode::parse("131016").unwrap(), "resident_registry", 40);
    live.steps = vec![StepStatus::Done; 40];
    live.derive(40);
    let csv = "団体コード,業務,進捗状況,ベンダ\n131016,1,移行完了,ベンダZ\n";
    assert_eq!(
        merged_rules(csv, Some(&live)),
        vec![(2, "本番稼働日", ImportIssueKind::LiveWithoutDate)]
    );
    let csv = "団体コード,業務,進捗状況,本番稼働日\n131016,1,移行完了,2026-01-05\n";
    assert_eq!(merged_rules(csv, Some(&live)), vec![]);
}

#[test]
fn missing_required_column_and_unknown_column() {
    let parsed = parse(
        "団体コード,状況メモ\n131016,x\n".as_bytes(),
        &reference(),
        |_| true,
    );
    assert_eq!(parsed.errors.len(), 2);
    assert!(parsed.errors.iter().all(|e| e.line == 1));
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.warnings[0].column.as_deref(), Some("状況メモ"));
}

#[test]
fn other_municipalities_rows_refused_by_policy() {
    let csv = "団体コード,業務,進捗状況\n131164,1,未着手\n131016,1,未着手\n";
    let parsed = parse(csv.as_bytes(), &reference(), |c| c.as_str() == "131164");
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].line, 3);
    assert!(matches!(
        parsed.errors[0].kind,
        ImportIssueKind::NotYourMunicipality { .. }
    ));
}

#[test]
fn municipality_names_compare_as_people_type_them() {
    let csv = "団体コード,団体名,業務,進捗状況\n\
               134023,青ケ島村,1,未着手\n\
               134023,青ヵ島村,2,未着手\n\
               133078,桧原村,1,未着手\n\
               131130,澁谷区,1,未着手\n\
               134023,Aogashima,3,未着手\n";
    let parsed = parse(csv.as_bytes(), &reference(), |_| true);
    assert_eq!(parsed.errors, vec![], "every line names its municipality");
    assert_eq!(parsed.lines.len(), 5);

    let csv = "団体コード,団体名,業務,進捗状況\n134023,八丈町,1,未着手\n";
    let parsed = parse(csv.as_bytes(), &reference(), |_| true);
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    assert_eq!(parsed.errors[0].line, 2);
    assert_eq!(
        parsed.errors[0].kind,
        ImportIssueKind::NameMismatch {
            expected: "青ヶ島村".into(),
            value: "八丈町".into()
        }
    );
}

#[test]
fn free_text_is_stored_nfc_and_otherwise_as_written() {
    // ベンダ with a combining dakuten (U+3099), as macOS writes file text, and full-width
    // letters that NFKC would change.
    let csv = "団体コード,業務,進捗状況,ベンダ\n131016,1,未着手,ヘ\u{3099}ンタ\u{3099}ＡＢＣ\n";
    let parsed = parse(csv.as_bytes(), &reference(), |_| true);
    assert_eq!(parsed.errors, vec![]);
    assert_eq!(
        parsed.lines[0].vendor,
        Field::Set("ベンダＡＢＣ".to_owned())
    );
}

#[test]
fn an_unclosed_quote_is_an_error_not_a_swallowed_line() {
    let csv =
        "団体コード,業務,進捗状況,ベンダ\n131016,1,作業中,\"unterminated\n131016,2,作業中,x\n";
    let parsed = parse(csv.as_bytes(), &reference(), |_| true);
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    assert_eq!(parsed.errors[0].line, 2);
    assert!(matches!(
        parsed.errors[0].kind,
        ImportIssueKind::Syntax { .. }
    ));
}

#[test]
fn large_files_are_bounded_and_parse_in_linear_time() {
    let mut csv = String::from("団体コード,業務,進捗状況\n");
    for _ in 0..(MAX_ROWS + 10) {
        csv.push_str(",,\n");
    }
    let parsed = parse(csv.as_bytes(), &reference(), |_| true);
    assert!(
        parsed
            .errors
            .iter()
            .any(|e| matches!(e.kind, ImportIssueKind::TooManyRows { .. }))
    );
    let long = format!(
        "団体コード,業務,進捗状況\n{},1,作業中\n",
        "9".repeat(10_000)
    );
    let parsed = parse(long.as_bytes(), &reference(), |_| true);
    let ImportIssueKind::InvalidLgCode { value } = &parsed.errors[0].kind else {
        panic!("{:?}", parsed.errors)
    };
    assert!(
        value.chars().count() <= MAX_QUOTED + 1,
        "quoted values are shortened"
    );
}

#[test]
fn blank_lines_count_as_rows() {
    let csv = "団体コード,業務,進捗状況\r\n131016,1,作業中\r\n\r\n131016,99,作業中\r\n";
    let parsed = parse(csv.as_bytes(), &reference(), |_| true);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].line, 4);
}

#[test]
fn quoted_fields_with_commas_and_line_breaks_keep_line_numbers() {
    let csv =
        "団体コード,業務,進捗状況,ベンダ\n131016,1,作業中,\"A社, B社\nJV\"\n131016,99,作業中,\n";
    let parsed = parse(csv.as_bytes(), &reference(), |_| true);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].line, 3);
}

#[test]
fn apply_keeps_absent_columns_and_clears_blank_ones() {
    let r = reference();
    let before = parse(
        "lg_code,system,status,steps_done,vendor,gov_cloud\n131016,1,in_progress,12,ベンダA,AWS\n"
            .as_bytes(),
        &r,
        |_| true,
    )
    .lines[0]
        .apply(None, 40);
    assert_eq!(before.vendor.as_deref(), Some("ベンダA"));
    let next = parse(
        "lg_code,system,status,gov_cloud\n131016,1,in_progress,\n".as_bytes(),
        &r,
        |_| true,
    )
    .lines[0]
        .apply(Some(&before), 40);
    assert_eq!(next.vendor.as_deref(), Some("ベンダA"));
    assert_eq!(next.steps_done, 12);
    assert_eq!(next.gov_cloud, None);
    let live = parse(
        "lg_code,system,status,actual_go_live\n131016,1,移行完了,R8.1.5\n".as_bytes(),
        &r,
        |_| true,
    )
    .lines[0]
        .apply(Some(&before), 40);
    assert_eq!(live.steps_done, 40);
    assert_eq!(live.actual_go_live, Some(d(2026, 1, 5)));
}

#[test]
fn step_columns_set_steps_and_the_status_must_agree() {
    let r = reference();
    let header: String = (1..=40).map(|n| format!(",手順{n}")).collect();
    let all_done: String = (1..=40).map(|_| ",完了").collect();
    let csv = format!(
        "団体コード,業務,進捗状況,本番稼働日{header}\n131016,1,移行完了,2026-01-05{all_done}\n"
    );
    let parsed = parse(csv.as_bytes(), &r, |_| true);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let p = parsed.lines[0].apply(None, 40);
    assert_eq!(
        (p.status, p.steps_done, p.steps_applicable),
        (ProgressStatus::Live, 40, 40)
    );

    // The same steps with 作業中 contradict each other: the status column is named.
    let wrong = csv.replace("移行完了", "作業中");
    let parsed = parse(wrong.as_bytes(), &r, |_| true);
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    assert_eq!(parsed.errors[0].column.as_deref(), Some("進捗状況"));
    assert!(matches!(
        parsed.errors[0].kind,
        ImportIssueKind::StatusMismatch { .. }
    ));
}

#[test]
fn partial_step_columns_keep_other_steps_and_bad_values_are_named() {
    let r = reference();
    let csv = "lg_code,system,status,step_2,step_3\n131016,1,作業中,対象外,作業中\n";
    let parsed = parse(csv.as_bytes(), &r, |_| true);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let mut before = Progress::empty(LgCode::parse("131016").unwrap(), "resident_registry", 40);
    before.set_step(1, StepStatus::Done);
    before.derive(40);
    let p = parsed.lines[0].apply(Some(&before), 40);
    assert_eq!(
        p.step(1),
        StepStatus::Done,
        "a step without a column keeps its value"
    );
    assert_eq!(p.step(2), StepStatus::NotApplicable);
    assert_eq!(p.step(3), StepStatus::InProgress);
    assert_eq!((p.steps_done, p.steps_applicable), (1, 39));

    let bad = "lg_code,system,status,step_2,手順41\n131016,1,作業中,済み,完了\n";
    let parsed = parse(bad.as_bytes(), &r, |_| true);
    let got: Vec<(usize, Option<&str>)> = parsed
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![(1, Some("手順41"))],
        "an unknown step column stops the file"
    );
    let bad = "lg_code,system,status,step_2\n131016,1,作業中,済み\n";
    let parsed = parse(bad.as_bytes(), &r, |_| true);
    assert_eq!(parsed.errors[0].line, 2);
    assert_eq!(parsed.errors[0].column.as_deref(), Some("step_2"));
    assert!(matches!(
        parsed.errors[0].kind,
        ImportIssueKind::InvalidStepStatus { .. }
    ));
}

#[test]
fn legacy_counts_must_match_the_status() {
    let r = reference();
    let csv = "lg_code,system,status,steps_done\n131016,1,未着手,5\n131016,2,移行完了,30\n";
    let parsed = parse(csv.as_bytes(), &r, |_| true);
    let mut lines: Vec<usize> = parsed
        .errors
        .iter()
        .filter(|e| matches!(e.kind, ImportIssueKind::StatusMismatch { .. }))
        .map(|e| e.line)
        .collect();
    lines.dedup();
    assert_eq!(lines, vec![2, 3], "{:?}", parsed.errors);
}

#[test]
fn the_plan_lists_changes_unchanged_lines_and_rule_breaks() {
    let reference = reference();
    let csv = "団体コード,業務,進捗状況,ベンダ\n131016,住民基本台帳,作業中,ベンダA\n131024,住民基本台帳,未着手,\n";
    let parsed = parse(csv.as_bytes(), &reference, |_| true);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let mut stored = Progress::empty(LgCode::parse("131024").unwrap(), "resident_registry", 40);
    stored.derive(40);
    let plan = super::plan(&parsed.lines, &[stored], &reference, 40, false);
    assert_eq!(plan.unchanged, 1);
    assert!(plan.errors.is_empty());
    assert_eq!(plan.changes.len(), 1);
    assert_eq!(plan.changes[0].line, 2);
    assert_eq!(plan.changes[0].lg_name_ja, "千代田区");
    assert_eq!(plan.changes[0].fields, vec!["status".to_owned()]);
    assert_eq!(plan.changes[0].after.vendor.as_deref(), Some("ベンダA"));

    // A refused file plans no change, but its rule breaks are still listed.
    let live = "団体コード,業務,進捗状況\n131016,住民基本台帳,移行完了\n";
    let parsed = parse(live.as_bytes(), &reference, |_| true);
    let plan = super::plan(&parsed.lines, &[], &reference, 40, false);
    assert!(plan.changes.is_empty());
    assert_eq!(plan.errors.len(), 1);
    assert_eq!(plan.errors[0].kind, ImportIssueKind::LiveWithoutDate);
    let plan = super::plan(&parsed.lines[..0], &[], &reference, 40, true);
    assert_eq!(plan, ImportPlan::default());
}
