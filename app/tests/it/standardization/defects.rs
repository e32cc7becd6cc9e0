//! Regression tests of the defects found by trying the tracker as a new user and as an attacker
//! (issue #8): stored text in raw-text elements, lost updates between multi-record writes and
//! form saves, unbounded and oversized input, notices from the URL, demo mode off loopback,
//! the rate limiter's key, bounded "mark all read", caching of signed-in pages, the export's
//! quote escape, and the session store's writes.

use super::{HACHIOJI, RecordForm, SYSTEM, TOSHIMA, comment, download, record, save, save_ok};
use crate::common::{TestApp, form};
use app::auth::model::Persona;
use app::standardization::model::{CellChange, ImportReport, Progress, Step};
use app::standardization::repo;
use http::{Request, StatusCode, header};
use serde_json::Value;

/// Text that ends a `<textarea>` and plants markup when written unescaped.
const BREAKOUT: &str = "</textarea><h1>x</h1><textarea>";

fn record_path(lg: &str) -> String {
    format!("/standardization/records/{lg}/{SYSTEM}")
}

/// The record page as a browser parses it.
async fn record_page(app: &TestApp, cookie: &str, lg: &str) -> scraper::Html {
    let reply = app.get(&record_path(lg), Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    scraper::Html::parse_document(&reply.body)
}

fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

/// The page has no markup planted by the breakout string, and each free-text control holds
/// exactly the stored text.
fn assert_text_stays_text(doc: &scraper::Html, expected: &[(&str, &str)]) {
    // The notes are also shown rendered (sanitized Markdown, where a heading is allowed):
    // an `<h1>x</h1>` anywhere else was planted by text escaping its control.
    let in_rendered_notes = |h: &scraper::ElementRef| {
        h.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| e.classes().any(|c| c == "markdown"))
        })
    };
    let planted: Vec<String> = select(doc, "h1")
        .iter()
        .filter(|h| h.text().collect::<String>() == "x" && !in_rendered_notes(h))
        .map(|h| h.html())
        .collect();
    assert!(
        planted.is_empty(),
        "markup escaped the textarea: {planted:?}"
    );
    assert!(
        select(doc, "form")
            .iter()
            .all(|f| f.value().attr("action") != Some("/api/set_user_access")),
        "a form was planted"
    );
    assert_eq!(
        select(doc, "textarea").len(),
        1,
        "one textarea (notes) on the record page"
    );
    for (id, value) in expected {
        let control = select(doc, &format!("#{id}"));
        assert_eq!(control.len(), 1, "#{id}");
        let shown = match control[0].value().name() {
            "textarea" => control[0].text().collect::<String>(),
            _ => control[0]
                .value()
                .attr("value")
                .unwrap_or_default()
                .to_owned(),
        };
        assert_eq!(&shown, value, "#{id} must show the stored text exactly");
    }
}

#[tokio::test]
async fn stored_text_stays_text_in_the_edit_form_from_the_form_and_the_import() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let texts = [
        ("vendor", format!("V{BREAKOUT}")),
        ("product", format!("P{BREAKOUT}&amp;")),
        ("extension_reason_text", format!("R{BREAKOUT}")),
        ("transitional_functions", format!("T{BREAKOUT}")),
        (
            "notes",
            format!("{BREAKOUT}\nA&amp;B &lt;b&gt; <script>alert(1)</script>"),
        ),
    ];
    let mut saved = RecordForm::new(TOSHIMA, SYSTEM)
        .set("special_migration_support", "on")
        .set("extension_reason", "other")
        .set("extension_target_date", "2030-03-31")
        .set("transitional_until", "2030-03-31");
    for (field, value) in &texts {
        saved = saved.set(field, value);
    }
    save_ok(&app, &officer, &saved).await;
    let doc = record_page(&app, &officer, TOSHIMA).await;
    let expected: Vec<(&str, &str)> = texts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_text_stays_text(&doc, &expected);

    // Saving the form again as the browser shows it changes nothing (no decoding on the way).
    let before = app.full_snapshot().await;
    let version = record(&app, &officer, TOSHIMA, SYSTEM).await["progress"]["updated_at"]
        .as_str()
        .unwrap()
        .to_owned();
    save_ok(&app, &officer, &saved.clone().set("version", &version)).await;
    assert_eq!(
        app.full_snapshot().await,
        before,
        "a round trip through the form must not change the text"
    );

    // The same through the import's free-text columns.
    let csv = format!(
        "団体コード,業務,進捗状況,ベンダ,製品,備考\r\n{HACHIOJI},{SYSTEM},作業中,\"V{b}\",\"P{b}\",\"{b} A&amp;B\"\r\n",
        b = BREAKOUT
    );
    let report = app.import(&officer, csv.as_bytes()).await;
    assert_eq!(report["applied"], true, "{}", report["errors"]);
    let doc = record_page(&app, &officer, HACHIOJI).await;
    let vendor = format!("V{BREAKOUT}");
    let product = format!("P{BREAKOUT}");
    let notes = format!("{BREAKOUT} A&amp;B");
    assert_text_stays_text(
        &doc,
        &[
            ("vendor", &vendor),
            ("product", &product),
            ("notes", &notes),
        ],
    );
}

/// The stored record of Toshima's resident registry.
async fn stored(app: &TestApp) -> Progress {
    let lg = app::orgs::model::LgCode::parse(TOSHIMA).unwrap();
    repo::record(&app.state.db, &lg, SYSTEM)
        .await
        .unwrap()
        .unwrap()
}

fn report_changing(before: &Progress, after: Progress) -> ImportReport {
    ImportReport {
        id: "0123456789abcdef01234567".into(),
        file_name: "vendors.csv".into(),
        encoding: "UTF-8".into(),
        applied: true,
        rows: 1,
        changes: vec![CellChange {
            line: 2,
            lg_code: before.lg_code.clone(),
            lg_name_ja: "豊島区".into(),
            lg_name_en: "Toshima".into(),
            system: SYSTEM.into(),
            system_name_ja: "住民基本台帳".into(),
            system_name_en: "Resident registry".into(),
            before: Some(before.clone()),
            after,
            fields: vec!["vendor".into()],
        }],
        unchanged: 0,
        errors: Vec::new(),
        errors_omitted: 0,
        warnings: Vec::new(),
        warnings_omitted: 0,
        created_at: app::ids::Timestamp::parse("2026-11-30T00:00:00Z").unwrap(),
    }
}

#[tokio::test]
async fn an_import_computed_before_a_form_save_is_refused_and_keeps_the_save() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let actor = Persona::find("tokyo_officer").unwrap().user_id();
    // The import reads the record, …
    let read_by_import = stored(&app).await;
    // … another user saves notes on it, …
    let version = read_by_import.version();
    save_ok(
        &app,
        &officer,
        &RecordForm::new(TOSHIMA, SYSTEM)
            .set("notes", "会議で確認済み")
            .set("version", &version),
    )
    .await;
    let after_save = app.full_snapshot().await;
    // … then the import writes what it computed from its earlier read: refused, nothing written.
    let mut vendor_only = read_by_import.clone();
    vendor_only.vendor = Some("ベンダI".into());
    let report = report_changing(&read_by_import, vendor_only);
    let outcome = repo::apply_import(&app.state.db, &actor.as_str().into(), &report, 40)
        .await
        .unwrap();
    assert_eq!(outcome, repo::ImportWrite::ChangedMeanwhile);
    assert_eq!(
        app.full_snapshot().await,
        after_save,
        "the notes must survive"
    );
    assert_eq!(stored(&app).await.notes.as_deref(), Some("会議で確認済み"));

    // A record that was never saved has a version too: an import that read "no record" is
    // refused once a first editor saved it.
    app.state
        .db
        .query("DELETE migration_progress WHERE id = type::record('migration_progress', $k)")
        .bind(("k", format!("{TOSHIMA}_{SYSTEM}")))
        .await
        .unwrap()
        .check()
        .unwrap();
    let empty = Progress::empty(read_by_import.lg_code.clone(), SYSTEM, 40);
    let mut imported = empty.clone();
    imported.vendor = Some("ベンダI".into());
    let mut report = report_changing(&empty, imported);
    report.changes[0].before = None;
    save_ok(
        &app,
        &officer,
        &RecordForm::new(TOSHIMA, SYSTEM)
            .set("notes", "最初の保存")
            .set("version", "new"),
    )
    .await;
    let outcome = repo::apply_import(&app.state.db, &actor.as_str().into(), &report, 40)
        .await
        .unwrap();
    assert_eq!(outcome, repo::ImportWrite::ChangedMeanwhile);
    assert_eq!(stored(&app).await.notes.as_deref(), Some("最初の保存"));
}

#[tokio::test]
async fn two_first_editors_of_a_record_cannot_overwrite_each_other() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let officer = app.sign_in("tokyo_officer").await;
    app.state
        .db
        .query("DELETE type::record('migration_progress', $k)")
        .bind(("k", format!("{TOSHIMA}_{SYSTEM}")))
        .await
        .unwrap()
        .check()
        .unwrap();
    let opened = record(&app, &cio, TOSHIMA, SYSTEM).await;
    assert_eq!(opened["reported"], false);
    // Both opened the empty record; the form carries its version "new".
    let first = RecordForm::new(TOSHIMA, SYSTEM)
        .set("vendor", "ベンダC")
        .set("version", "new");
    let second = RecordForm::new(TOSHIMA, SYSTEM)
        .set("vendor", "ベンダT")
        .set("version", "new");
    save_ok(&app, &cio, &first).await;
    let reply = save(&app, &officer, &second).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(
        reply.body.contains("\"field\":\"version\""),
        "{}",
        reply.body
    );
    assert_eq!(stored(&app).await.vendor.as_deref(), Some("ベンダC"));
}

#[tokio::test]
async fn imports_racing_form_saves_never_revert_a_save_nor_fail_with_a_server_error() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let cio = app.sign_in("ward_cio").await;
    for round in 0..6 {
        let version = record(&app, &cio, TOSHIMA, SYSTEM).await["progress"]["updated_at"]
            .as_str()
            .unwrap()
            .to_owned();
        let notes = format!("保存{round}");
        let csv = format!(
            "団体コード,業務,進捗状況,ベンダ\r\n{TOSHIMA},{SYSTEM},作業中,ベンダ{round}\r\n"
        );
        let saving = RecordForm::new(TOSHIMA, SYSTEM)
            .steps(1, 3, "done")
            .steps(4, 4, "in_progress")
            .set("vendor", "ベンダS")
            .set("notes", &notes)
            .set("version", &version);
        let (upload, saved) = tokio::join!(
            app.upload(&officer, "vendors.csv", csv.as_bytes()),
            save(&app, &cio, &saving)
        );
        let report = app.report_of(&officer, upload).await;
        assert!(
            saved.status.is_success()
                || saved.status.is_redirection()
                || saved.status == StatusCode::BAD_REQUEST,
            "{} {}",
            saved.status,
            saved.body
        );
        let now = stored(&app).await;
        if saved.status != StatusCode::BAD_REQUEST {
            assert_eq!(
                now.notes.as_deref(),
                Some(notes.as_str()),
                "round {round}: the save was reverted"
            );
        }
        if report["applied"] == true {
            assert_eq!(
                now.vendor.as_deref(),
                Some(format!("ベンダ{round}").as_str())
            );
        } else {
            assert_eq!(
                report["errors"][0]["kind"]["code"], "changed_meanwhile",
                "{report}"
            );
        }
    }
}

fn template(n: u8) -> Vec<Step> {
    let phases = ["planning", "procurement", "migration", "go_live"];
    (1..=n)
        .map(|no| {
            serde_json::from_value(serde_json::json!({
                "no": no,
                "phase": phases[usize::from(no - 1) * 4 / usize::from(n)],
                "name_ja": format!("手順{no}"),
                "name_en": format!("Step {no}"),
            }))
            .unwrap()
        })
        .collect()
}

#[tokio::test]
async fn a_save_computed_for_the_old_template_is_refused_and_races_leave_counts_right() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let before = stored(&app).await;
    repo::replace_template(&app.state.db, &template(41), None)
        .await
        .unwrap();
    // A save whose counts were derived for 40 steps lands after the template changed.
    let mut after = before.clone();
    after.vendor = Some("ベンダZ".into());
    after.derive(40);
    let changes = before.diff(&after);
    let refused = repo::save_record(
        &app.state.db,
        &Persona::find("tokyo_officer").unwrap().user_id().into(),
        &after,
        &changes,
        None,
        40,
    )
    .await;
    assert!(
        matches!(&refused, Err(app::db::DbError::Conflict)),
        "{refused:?}"
    );

    // Saves racing template replacements: whatever wins, every record's stored counts agree
    // with its steps under the template in force.
    for (round, len) in [39u8, 42, 40].into_iter().enumerate() {
        let saves = (0..4).map(|i| {
            let form = RecordForm::new(TOSHIMA, SYSTEM)
                .steps(1, 10 + i + round, "done")
                .set("vendor", &format!("ベンダ{round}-{i}"));
            let (app, officer) = (&app, &officer);
            async move { save(app, officer, &form).await }
        });
        let steps = template(len);
        let replace = repo::replace_template(&app.state.db, &steps, None);
        let (replaced, replies) = tokio::join!(replace, futures::future::join_all(saves));
        replaced.unwrap();
        for reply in replies {
            assert!(
                reply.status.is_success() || reply.status == StatusCode::BAD_REQUEST,
                "{} {}",
                reply.status,
                reply.body
            );
        }
        let n = repo::steps(&app.state.db).await.unwrap().len();
        assert_eq!(n, usize::from(len));
        for p in repo::all_records(&app.state.db).await.unwrap() {
            let mut derived = p.clone();
            derived.derive(n);
            assert_eq!(
                (
                    p.status,
                    p.steps_done,
                    p.steps_in_progress,
                    p.steps_applicable
                ),
                (
                    derived.status,
                    derived.steps_done,
                    derived.steps_in_progress,
                    derived.steps_applicable
                ),
                "{} {} out of step with a {n}-step template",
                p.lg_code,
                p.system
            );
        }
    }
}

#[tokio::test]
async fn an_import_report_stays_small_whatever_the_file_holds() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    // A header with 50,000 unknown columns, one of them 10,000 characters long.
    let mut header = String::from("団体コード,業務,進捗状況,");
    header.push_str(&"x".repeat(10_000));
    for i in 0..50_000 {
        header.push_str(&format!(",c{i}"));
    }
    let csv = format!("{header}\r\n{TOSHIMA},{SYSTEM},作業中\r\n");
    assert!(csv.len() < 5 * 1024 * 1024);
    let report = app.import(&officer, csv.as_bytes()).await;
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 100);
    assert_eq!(report["warnings_omitted"], 50_001 - 100);
    assert!(warnings[0]["column"].as_str().unwrap().chars().count() <= 61);
    assert!(
        report.to_string().len() < 20_000,
        "report of {} bytes",
        report.to_string().len()
    );

    // A 4 MB vendor cell is refused with the form's limit, and so is each long free text.
    let csv = format!(
        "団体コード,業務,進捗状況,ベンダ,備考\r\n{TOSHIMA},{SYSTEM},作業中,{},{}\r\n",
        "V".repeat(4_000_000),
        "N".repeat(20_001)
    );
    let before = app.full_snapshot().await;
    let report = app.import(&officer, csv.as_bytes()).await;
    assert_eq!(report["applied"], false);
    let kinds: Vec<(&str, u64)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["column"].as_str().unwrap(),
                e["kind"]["max"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(kinds, [("ベンダ", 200), ("備考", 20_000)]);
    assert!(report.to_string().len() < 10_000);
    assert_eq!(app.full_snapshot().await, before);

    // A file with thousands of bad lines lists the first 100 errors and counts the rest.
    let mut csv = String::from("団体コード,業務,進捗状況\r\n");
    for _ in 0..3_000 {
        csv.push_str("999999,x,y\r\n");
    }
    let report = app.import(&officer, csv.as_bytes()).await;
    assert_eq!(report["errors"].as_array().unwrap().len(), 100);
    assert!(report["errors_omitted"].as_u64().unwrap() >= 2_900);
}

#[tokio::test]
async fn a_second_column_of_the_same_meaning_is_reported() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let csv =
        format!("団体コード,業務,進捗状況,lg_code\r\n{TOSHIMA},{SYSTEM},作業中,{HACHIOJI}\r\n");
    let report = app.import(&officer, csv.as_bytes()).await;
    assert_eq!(report["applied"], true, "{}", report["errors"]);
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["kind"]["code"], "duplicate_column");
    assert_eq!(warnings[0]["kind"]["position"], 4);
}

#[tokio::test]
async fn oversized_bodies_get_413_with_the_limit_and_huge_values_a_short_400() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let big = vec![b'a'; 6 * 1024 * 1024];
    let reply = app.upload(&officer, "big.csv", &big).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("5 MiB"), "{}", reply.body);

    let body = format!("persona={}", "a".repeat(6 * 1024 * 1024));
    let reply = app.post("/api/demo_sign_in", &body, None).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.json()["code"], "too_large");
    assert_eq!(reply.json()["limit_bytes"], 5 * 1024 * 1024);

    for n in [60_000, 70_000] {
        let reply = app
            .post(
                "/api/demo_sign_in",
                &format!("persona={}", "a".repeat(n)),
                None,
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{n}: {}",
            &reply.body[..reply.body.len().min(200)]
        );
        assert!(
            reply.body.len() < 1_000,
            "{n} characters echoed: {} bytes",
            reply.body.len()
        );
        let reply = app
            .post(
                "/api/set_language",
                &format!("lang={}", "b".repeat(n)),
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert!(reply.body.len() < 1_000);
    }
    // The edit form's long notes: a clear 400 naming the field, not the text.
    let reply = save(
        &app,
        &officer,
        &RecordForm::new(TOSHIMA, SYSTEM).set("notes", &"n".repeat(70_000)),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("\"field\":\"notes\""));
    assert!(reply.body.len() < 1_000);
}

/// A plain-form POST as a browser without JavaScript sends it.
async fn browser_post(
    app: &TestApp,
    path: &str,
    body: &str,
    cookie: Option<&str>,
    referer: &str,
) -> crate::common::Reply {
    let mut r = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, referer);
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    app.send(r.body(axum::body::Body::from(body.to_owned())).unwrap())
        .await
}

#[tokio::test]
async fn notices_come_only_from_kyodo_not_from_the_url() {
    use leptos::server_fn::error::ServerFnUrlError;
    let app = TestApp::new().await;
    let forged = app::error::AppError::Rejected {
        field: "x".into(),
        ja: "https://evil.example/ で再度サインインしてください".into(),
        en: "Sign in again at https://evil.example/".into(),
    };
    let url = ServerFnUrlError::new("/api/demo_sign_in", forged)
        .to_url("http://127.0.0.1:3000/login")
        .unwrap();
    let page = app
        .get(&format!("/login?{}", url.query().unwrap()), None)
        .await;
    assert!(
        !page.body.contains("evil.example"),
        "a notice from the URL was shown"
    );
    let page = app
        .get("/login?form_error=0123456789abcdef01234567", None)
        .await;
    assert!(
        !page.body.contains("role=\"alert\""),
        "a made-up id shows nothing"
    );

    // A real failure of a plain form comes back to the page by an id in the session.
    let officer = app.sign_in("tokyo_officer").await;
    let reply = browser_post(
        &app,
        "/api/save_record",
        &RecordForm::new(TOSHIMA, SYSTEM)
            .set("notes", &"n".repeat(20_001))
            .encode(),
        Some(&officer),
        &format!("http://127.0.0.1:3000{}", record_path(TOSHIMA)),
    )
    .await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let location = reply.location.unwrap();
    assert!(!location.contains("__err"), "{location}");
    let id = location.rsplit_once("form_error=").unwrap().1.to_owned();
    let target = location.trim_start_matches("http://127.0.0.1:3000");
    let page = app.get(target, Some(&officer)).await;
    assert!(
        page.body.contains("20000文字以内"),
        "the kept error is shown"
    );
    // Another session does not see it.
    let other = app.sign_in("tokyo_officer").await;
    let page = app.get(target, Some(&other)).await;
    assert!(!page.body.contains("20000文字以内"));
    let none = app
        .post("/api/get_form_error", &format!("id={id}"), Some(&other))
        .await;
    assert_eq!(none.body, "null");
}

#[tokio::test]
async fn demo_mode_answers_only_loopback_names_and_origins_follow_the_public_url() {
    let app = TestApp::new().await;
    let post = |host: &'static str, origin: &'static str| {
        Request::post("/api/demo_sign_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, host)
            .header(header::ORIGIN, origin)
            .body(axum::body::Body::from("persona=admin"))
            .unwrap()
    };
    // DNS rebinding: another name that resolves to 127.0.0.1, with a matching Origin.
    let reply = app
        .send(post("rebind.example:3000", "http://rebind.example:3000"))
        .await;
    assert_eq!(reply.status, StatusCode::MISDIRECTED_REQUEST);
    assert!(reply.cookie.is_none());
    let page = app
        .send(
            Request::get("/login")
                .header(header::HOST, "rebind.example:3000")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::MISDIRECTED_REQUEST);
    // Origin is compared with the public URL (http://127.0.0.1:3000), not with Host.
    let reply = app
        .send(post("127.0.0.1:3000", "http://127.0.0.1:3001"))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .send(post("localhost:3000", "http://localhost:3000"))
        .await;
    assert!(
        reply.status.is_redirection() || reply.status.is_success(),
        "{}",
        reply.status
    );
    assert!(reply.cookie.is_some());
}

#[tokio::test]
async fn the_rate_limit_keys_on_the_resolved_session_not_on_cookies() {
    let mut config = crate::common::config("mem://", true);
    config.rate_limits = app::auth::rate_limit::RateLimits {
        sign_in_per_minute: 1000,
        posts_per_second: 1,
    };
    let app = TestApp::with_config(config).await;
    let real = app.sign_in("tokyo_officer").await;
    // A bogus session cookie first, the real one last.
    let cookies = format!("kyodo_session=bogus{}; {real}", 1);
    let mut limited = 0;
    for _ in 0..12 {
        let reply = app.post("/api/get_home", "", Some(&cookies)).await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
        }
    }
    assert!(
        limited > 0,
        "a signed-in caller with two cookies was never limited"
    );
    // Anonymous POSTs with a made-up cookie each time are limited by address.
    let mut limited = 0;
    for i in 0..12 {
        let reply = app
            .post(
                "/api/current_user",
                "",
                Some(&format!("kyodo_session=made-up-{i}")),
            )
            .await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
        }
    }
    assert!(limited > 0, "made-up cookies escaped the limit");
}

#[tokio::test]
async fn mark_all_read_leaves_a_notification_that_arrived_later_unread() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let advisor = app.sign_in("govtech_advisor").await;
    assert!(
        comment(&app, &cio, TOSHIMA, 5, "質問です")
            .await
            .status
            .is_success()
    );
    let shown = app
        .post("/api/list_notifications", "", Some(&advisor))
        .await
        .json();
    let up_to = shown[0]["at"].as_str().unwrap().to_owned();
    // A second question arrives after the page was rendered.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert!(
        comment(&app, &cio, TOSHIMA, 6, "もう一つ")
            .await
            .status
            .is_success()
    );
    let reply = app
        .post(
            "/api/mark_notifications_read",
            &form(&[("up_to", up_to.as_str())]),
            Some(&advisor),
        )
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    let unread = app
        .post("/api/count_unread_notifications", "", Some(&advisor))
        .await
        .json();
    assert_eq!(unread, 1, "only the notification shown is marked read");
    // Without a bound nothing is marked.
    let reply = app
        .post("/api/mark_notifications_read", "", Some(&advisor))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn signed_in_answers_are_never_stored_and_build_files_revalidate() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    for path in [
        "/",
        &record_path(TOSHIMA),
        "/standardization/export.csv",
        "/orgs",
    ] {
        let value = cache_control_of(&app, path, &officer).await;
        assert_eq!(value.as_deref(), Some("no-store"), "{path}");
    }
    let reply = app.post("/api/get_home", "", Some(&officer)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        app::auth::headers::cache_control_for("/api/get_home"),
        "no-store"
    );
    assert_eq!(
        app::auth::headers::cache_control_for("/pkg/kyodo.wasm"),
        "public, no-cache"
    );
    assert_eq!(
        app::auth::headers::cache_control_for("/pkg/kyodo.hV3ECd9Kt_Ep-wJ9c8WhmA.wasm"),
        "public, max-age=31536000, immutable"
    );
    for not_hashed in [
        "/pkg/kyodo.css",
        "/pkg/kyodo.short.css",
        "/pkg/.hV3ECd9Kt_Ep-wJ9c8WhmA.js",
        "/pkg/a.hV3ECd9Kt_Ep+wJ9c8WhmA.js",
    ] {
        assert_eq!(
            app::auth::headers::cache_control_for(not_hashed),
            "public, no-cache",
            "{not_hashed}"
        );
    }
}

/// `Cache-Control` of a GET with a cookie (requires 200).
async fn cache_control_of(app: &TestApp, path: &str, cookie: &str) -> Option<String> {
    use tower::ServiceExt;
    let response = app
        .router
        .clone()
        .oneshot(
            Request::get(path)
                .header(header::COOKIE, cookie)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response
        .headers()
        .get(header::CACHE_CONTROL)
        .map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn text_starting_with_a_quote_survives_export_and_reimport() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    save_ok(
        &app,
        &officer,
        &RecordForm::new(TOSHIMA, SYSTEM)
            .set("vendor", "'=2+5")
            .set("product", "'引用"),
    )
    .await;
    // The header and the saved record's line of the export (a form save already marked it
    // reported), imported again: nothing changes.
    let export = download(&app, &officer, "export.csv").await;
    let mut lines = export.lines();
    let header = lines.next().unwrap();
    let line = lines
        .find(|l| l.starts_with(TOSHIMA) && l.contains("''=2+5"))
        .expect("the record's line, its vendor exported as ''=2+5");
    let report = app
        .import(&officer, format!("{header}\r\n{line}\r\n").as_bytes())
        .await;
    assert_eq!(report["applied"], true, "{}", report["errors"]);
    assert_eq!(report["changes"], serde_json::json!([]));
    assert_eq!(report["unchanged"], 1);
    let now = stored(&app).await;
    assert_eq!(now.vendor.as_deref(), Some("'=2+5"));
    assert_eq!(now.product.as_deref(), Some("'引用"));
}

#[tokio::test]
async fn a_session_deleted_meanwhile_is_not_brought_back_by_a_late_save() {
    use tower_sessions::SessionStore;
    use tower_sessions::session::{Id, Record};
    let app = TestApp::new().await;
    let store = app::auth::session::SurrealSessionStore::new(app::db::Db::clone(&app.state.db));
    let mut data = std::collections::HashMap::new();
    data.insert("user_id".to_owned(), Value::String("demo_admin".into()));
    let mut rec = Record {
        id: Id::default(),
        data,
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    store.create(&mut rec).await.unwrap();
    assert!(store.load(&rec.id).await.unwrap().is_some());
    // "Sign out everywhere" deletes it while a request of that session is still running …
    app::auth::session::SurrealSessionStore::delete_user_sessions(
        &app.state.db,
        &"demo_admin".into(),
    )
    .await
    .unwrap();
    // … which then saves the session it loaded before.
    store.save(&rec).await.unwrap();
    assert!(
        store.load(&rec.id).await.unwrap().is_none(),
        "the deleted session came back"
    );
}

#[tokio::test]
async fn titles_hold_text_not_markup() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let planted = "</title><meta http-equiv=\"refresh\" content=\"1;url=/login?PWNED=1\">";
    let mut steps = repo::steps(&app.state.db).await.unwrap();
    steps[4].name_ja = planted.into();
    steps[4].name_en = planted.into();
    repo::replace_template(&app.state.db, &steps, None)
        .await
        .unwrap();
    let reply = app
        .get(&format!("{}/steps/5", record_path(TOSHIMA)), Some(&officer))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let doc = scraper::Html::parse_document(&reply.body);
    assert!(
        select(&doc, "meta[http-equiv]").is_empty(),
        "markup escaped the title"
    );
    let title = select(&doc, "title")[0].text().collect::<String>();
    assert!(title.contains(planted), "{title}");
}

#[tokio::test]
async fn free_text_is_stored_as_a_browser_posts_it_back() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    save_ok(
        &app,
        &officer,
        &RecordForm::new(TOSHIMA, SYSTEM)
            .set("notes", "a\r\nb\rc\u{0}d")
            .set("vendor", "v\u{0}x\r\ny")
            .set("product", "p\rq"),
    )
    .await;
    let now = stored(&app).await;
    assert_eq!(now.notes.as_deref(), Some("a\nb\ncd"));
    assert_eq!(now.vendor.as_deref(), Some("vx y"));
    assert_eq!(now.product.as_deref(), Some("p q"));
    // The import stores the same text for the same cells.
    let csv = format!(
        "団体コード,業務,進捗状況,ベンダ,製品,備考\r\n{HACHIOJI},{SYSTEM},作業中,\"v\u{0}x\r\ny\",\"p\rq\",\"a\r\nb\rc\u{0}d\"\r\n"
    );
    let report = app.import(&officer, csv.as_bytes()).await;
    assert_eq!(report["applied"], true, "{}", report["errors"]);
    let lg = app::orgs::model::LgCode::parse(HACHIOJI).unwrap();
    let imported = repo::record(&app.state.db, &lg, SYSTEM)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (imported.notes, imported.vendor, imported.product),
        (now.notes, now.vendor, now.product)
    );
}

#[tokio::test]
async fn date_fields_quote_a_short_prefix_and_reports_keep_short_texts() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    for field in ["planned_go_live", "actual_go_live", "transitional_until"] {
        let reply = save(
            &app,
            &officer,
            &RecordForm::new(TOSHIMA, SYSTEM).set(field, &"1".repeat(40_000)),
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{field}");
        assert!(
            reply.body.len() < 1_000,
            "{field}: {} bytes",
            reply.body.len()
        );
    }
    // An applied import's stored report keeps the page's facts, not every record's notes.
    let notes = "長い備考。".repeat(4_000);
    let csv = format!("団体コード,業務,進捗状況,備考\r\n{TOSHIMA},{SYSTEM},作業中,{notes}\r\n");
    let report = app.import(&officer, csv.as_bytes()).await;
    assert_eq!(report["applied"], true, "{}", report["errors"]);
    let after = &report["changes"][0]["after"];
    assert_eq!(after["notes"].as_str().unwrap().chars().count(), 101);
    assert_eq!(after["steps"], serde_json::json!([]));
    assert_eq!(stored(&app).await.notes.as_deref(), Some(notes.as_str()));
}

/// Every progress write bumps one change counter, so simultaneous saves of different records
/// race for it: each must still land (run again inside the server), none may be told that
/// someone else changed its record, and the heatmap every server reads must show them all.
#[tokio::test]
async fn simultaneous_saves_of_different_records_all_land_and_show_at_once() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    // Warm this server's copy of all records first.
    let before = app::standardization::server::all_progress(&app.state)
        .await
        .unwrap();
    assert!(
        before
            .iter()
            .all(|p| p.vendor.as_deref() != Some("同時保存ベンダ"))
    );
    let codes: Vec<String> = app
        .state
        .catalog
        .municipalities()
        .take(20)
        .map(|o| o.key.clone())
        .collect();
    let saves = codes.iter().map(|lg| {
        let (app, officer) = (&app, officer.clone());
        async move {
            let form = RecordForm::new(lg, SYSTEM).set("vendor", "同時保存ベンダ");
            save(app, &officer, &form).await.status
        }
    });
    let statuses = futures::future::join_all(saves).await;
    assert!(
        statuses
            .iter()
            .all(|s| s.is_success() || s.is_redirection()),
        "{statuses:?}"
    );
    for lg in &codes {
        assert_eq!(
            record(&app, &officer, lg, SYSTEM).await["progress"]["vendor"],
            "同時保存ベンダ",
            "{lg}"
        );
    }
    let after = app::standardization::server::all_progress(&app.state)
        .await
        .unwrap();
    let saved = after
        .iter()
        .filter(|p| p.system == SYSTEM && p.vendor.as_deref() == Some("同時保存ベンダ"))
        .count();
    assert_eq!(saved, codes.len(), "the cached records followed the saves");
}
