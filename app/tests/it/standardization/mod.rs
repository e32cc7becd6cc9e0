//! Integration tests of the standardization tracker (issue #3) through its HTTP surface:
//! per-step progress and its percentage, history, permissions, extensions, step threads and
//! notifications, the step template, the dashboard, the matrix and the downloads.
//!
//! Expected numbers are computed by the tests from what they set or from the stored step
//! lists read straight from SurrealDB, never copied from the application's own answers.

use crate::common::{Reply, TestApp, form};
use app::auth::model::Persona;
use app::orgs::model::OrgKind;
use http::StatusCode;
use serde_json::Value;
use std::collections::HashMap;

/// 豊島区: the ward CIO's own municipality.
const TOSHIMA: &str = "131164";
/// 八王子市: the city staff's own municipality.
const HACHIOJI: &str = "132012";
/// The system most tests work on.
const SYSTEM: &str = "resident_registry";
/// Steps in the shipped template.
const STEPS: usize = 40;

/// Every demo persona.
const PERSONAS: [&str; 6] = [
    "ward_cio",
    "city_staff",
    "town_staff",
    "govtech_advisor",
    "tokyo_officer",
    "admin",
];

/// A `save_record` form stating the whole record: every step and every field explicit
/// (a blank field clears the stored value), so a test knows the record it leaves behind.
#[derive(Clone)]
pub(crate) struct RecordForm {
    lg_code: String,
    system: String,
    steps: Vec<&'static str>,
    fields: Vec<(&'static str, String)>,
}

impl RecordForm {
    /// Every step 未着手, on AWS with ベンダX, planned for 2026-10-01, no extension.
    pub(crate) fn new(lg_code: &str, system: &str) -> RecordForm {
        RecordForm {
            lg_code: lg_code.into(),
            system: system.into(),
            steps: vec!["not_started"; STEPS],
            fields: [
                ("planned_go_live", "2026-10-01"),
                ("actual_go_live", ""),
                ("gov_cloud", "aws"),
                ("vendor", "ベンダX"),
                ("product", "住記パッケージ"),
                ("extension_reason", ""),
                ("extension_reason_text", ""),
                ("extension_target_date", ""),
                ("transitional_functions", ""),
                ("transitional_until", ""),
                ("notes", ""),
            ]
            .map(|(k, v)| (k, v.to_owned()))
            .to_vec(),
        }
    }

    /// Sets steps `from..=to` (1-based) to `status`.
    fn steps(mut self, from: usize, to: usize, status: &'static str) -> RecordForm {
        for no in from..=to {
            self.steps[no - 1] = status;
        }
        self
    }

    /// Sets (or adds) a named field.
    pub(crate) fn set(mut self, field: &'static str, value: &str) -> RecordForm {
        match self.fields.iter_mut().find(|(k, _)| *k == field) {
            Some(slot) => slot.1 = value.to_owned(),
            None => self.fields.push((field, value.to_owned())),
        }
        self
    }

    /// The form body as a browser encodes it (`steps%5B0%5D=…`).
    fn encode(&self) -> String {
        let mut pairs: Vec<(String, String)> = vec![
            ("lg_code".into(), self.lg_code.clone()),
            ("system".into(), self.system.clone()),
        ];
        pairs.extend(
            self.steps
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("steps[{i}]"), (*s).to_owned())),
        );
        pairs.extend(
            self.fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone())),
        );
        form(&pairs)
    }
}

async fn save(app: &TestApp, cookie: &str, record: &RecordForm) -> Reply {
    app.post("/api/save_record", &record.encode(), Some(cookie))
        .await
}

/// Saves and requires success.
pub(crate) async fn save_ok(app: &TestApp, cookie: &str, record: &RecordForm) {
    let reply = save(app, cookie, record).await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "save refused: {} {}",
        reply.status,
        reply.body
    );
}

/// `get_record` as JSON (requires 200).
pub(crate) async fn record(app: &TestApp, cookie: &str, lg_code: &str, system: &str) -> Value {
    let reply = app
        .post(
            "/api/get_record",
            &form(&[("lg_code", lg_code), ("system", system)]),
            Some(cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// The field a 400 `rejected` answer names.
fn rejected_field(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let error = reply.json();
    assert_eq!(error["code"], "rejected", "{error}");
    error["field"].as_str().unwrap_or_default().to_owned()
}

/// The status of each of the first `n` steps of a stored record (missing = not_started).
fn statuses(progress: &Value, n: usize) -> Vec<String> {
    let steps = progress["steps"].as_array().cloned().unwrap_or_default();
    (0..n)
        .map(|i| {
            steps
                .get(i)
                .and_then(Value::as_str)
                .unwrap_or("not_started")
                .to_owned()
        })
        .collect()
}

/// (field, before, after) of each change of a history entry.
fn changes(entry: &Value) -> Vec<(String, String, String)> {
    entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap().to_owned(),
                c["before"].as_str().unwrap().to_owned(),
                c["after"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn change(field: &str, before: &str, after: &str) -> (String, String, String) {
    (field.into(), before.into(), after.into())
}

fn persona_name(key: &str) -> &'static str {
    Persona::find(key).unwrap().name_ja
}

async fn unread(app: &TestApp, cookie: &str) -> u64 {
    let reply = app
        .post("/api/count_unread_notifications", "", Some(cookie))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json().as_u64().unwrap()
}

pub(crate) async fn comment(
    app: &TestApp,
    cookie: &str,
    lg_code: &str,
    step: u8,
    body: &str,
) -> Reply {
    app.post(
        "/api/post_step_comment",
        &form(&[
            ("lg_code", lg_code),
            ("system", SYSTEM),
            ("step", &step.to_string()),
            ("body", body),
        ]),
        Some(cookie),
    )
    .await
}

pub(crate) async fn thread(app: &TestApp, cookie: &str, lg_code: &str, step: u8) -> Value {
    let reply = app
        .post(
            "/api/get_step_thread",
            &form(&[
                ("lg_code", lg_code),
                ("system", SYSTEM),
                ("step", &step.to_string()),
            ]),
            Some(cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// A download's body (requires 200) without the UTF-8 BOM.
async fn download(app: &TestApp, cookie: &str, file: &str) -> String {
    let reply = app
        .get(&format!("/standardization/{file}"), Some(cookie))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{file}: {}", reply.body);
    reply.body.trim_start_matches('\u{feff}').to_owned()
}

/// CSV text as rows of header → cell maps.
fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// Step counts of a set of records, counted by the test.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Tally {
    records: u64,
    done: u64,
    in_progress: u64,
    not_started: u64,
}

impl Tally {
    /// 完了率, 作業率, 未着手率 in percent of the applicable steps.
    fn rates(&self) -> [f64; 3] {
        let n = (self.done + self.in_progress + self.not_started) as f64;
        if n == 0.0 {
            return [0.0; 3];
        }
        [self.done, self.in_progress, self.not_started].map(|c| c as f64 * 100.0 / n)
    }

    fn of_json(rates: &Value) -> Tally {
        let c = &rates["counts"];
        Tally {
            records: rates["records"].as_u64().unwrap(),
            done: c["done"].as_u64().unwrap(),
            in_progress: c["in_progress"].as_u64().unwrap(),
            not_started: c["not_started"].as_u64().unwrap(),
        }
    }
}

/// A stored record's step list and provider, read straight from SurrealDB.
#[derive(Debug, serde::Deserialize)]
struct StoredSteps {
    lg_code: String,
    system: String,
    /// Statuses as stored (trailing 未着手 may be missing).
    steps: Vec<String>,
    gov_cloud: Option<String>,
}

/// Every stored record's step list, read straight from SurrealDB (not through the app's
/// repository or its derived counts).
async fn stored_steps(app: &TestApp) -> Vec<StoredSteps> {
    let mut response = app
        .state
        .db
        .query(
            "SELECT record::id(organisation) AS lg_code, record::id(standard_system) AS system,
                steps, gov_cloud FROM migration_progress",
        )
        .await
        .unwrap();
    app::db::rows(&mut response, 0).unwrap()
}

/// The dashboard's counts per system computed directly from the stored step lists: over the
/// first `template_len` steps, a missing entry is 未着手 and 対象外 is left out; a
/// municipality without a record counts every step 未着手, except with a cloud filter, which
/// counts only the records on that provider.
async fn direct_tallies(
    app: &TestApp,
    template_len: usize,
    kind: Option<OrgKind>,
    cloud: Option<&str>,
) -> Vec<(String, Tally)> {
    let stored = stored_steps(app).await;
    let by_cell: HashMap<(&str, &str), &StoredSteps> = stored
        .iter()
        .map(|r| ((r.lg_code.as_str(), r.system.as_str()), r))
        .collect();
    let catalog = &app.state.catalog;
    let municipalities: Vec<String> = catalog
        .municipalities()
        .filter(|o| kind.is_none_or(|k| o.kind == k))
        .map(|o| o.lg_code.as_ref().unwrap().as_str().to_owned())
        .collect();
    catalog
        .systems
        .iter()
        .map(|system| {
            let mut t = Tally::default();
            for lg in &municipalities {
                let cell = by_cell.get(&(lg.as_str(), system.code.as_str()));
                if cloud.is_some() && cell.and_then(|r| r.gov_cloud.as_deref()) != cloud {
                    continue;
                }
                t.records += 1;
                for i in 0..template_len {
                    let status = cell
                        .and_then(|r| r.steps.get(i))
                        .map_or("not_started", String::as_str);
                    match status {
                        "done" => t.done += 1,
                        "in_progress" => t.in_progress += 1,
                        "not_started" => t.not_started += 1,
                        "not_applicable" => {}
                        other => panic!("unexpected step status {other}"),
                    }
                }
            }
            (system.code.clone(), t)
        })
        .collect()
}

/// Checks `/api/get_dashboard` with `query` against [`direct_tallies`].
async fn assert_dashboard_matches(
    app: &TestApp,
    cookie: &str,
    query: &str,
    template_len: usize,
    kind: Option<OrgKind>,
    cloud: Option<&str>,
) {
    let reply = app.post("/api/get_dashboard", query, Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let dashboard = reply.json();
    let rates = dashboard["rates"].as_array().unwrap();
    let expected = direct_tallies(app, template_len, kind, cloud).await;
    assert_eq!(rates.len(), expected.len());
    let mut total = Tally::default();
    for (rate, (system, want)) in rates.iter().zip(&expected) {
        assert_eq!(rate["system"], system.as_str());
        let got = Tally::of_json(rate);
        assert_eq!(got, *want, "{query}: counts of {system}");
        for (g, w) in got.rates().iter().zip(want.rates()) {
            assert!((g - w).abs() < 1e-3, "{query}: {system} rate {g} vs {w}");
        }
        total.records += want.records;
        total.done += want.done;
        total.in_progress += want.in_progress;
        total.not_started += want.not_started;
    }
    assert_eq!(Tally::of_json(&dashboard["total"]), total, "{query}: total");
}

// --- a. Percentage rules -----------------------------------------------------------------

#[tokio::test]
async fn not_applicable_steps_leave_the_percentage_and_live_needs_its_go_live_date() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    // 10 done, 3 not applicable (11–13), 1 in progress, the rest not started.
    let partly = RecordForm::new(TOSHIMA, SYSTEM)
        .steps(1, 10, "done")
        .steps(11, 13, "not_applicable")
        .steps(14, 14, "in_progress");
    save_ok(&app, &cio, &partly).await;
    let view = record(&app, &cio, TOSHIMA, SYSTEM).await;
    let p = &view["progress"];
    assert_eq!(view["reported"], true);
    assert_eq!(p["steps_done"], 10);
    assert_eq!(p["steps_in_progress"], 1);
    assert_eq!(p["steps_applicable"], STEPS - 3);
    assert_eq!(p["status"], "in_progress");
    assert_eq!(statuses(p, STEPS), partly.steps);

    // The percentage the council sees (export column 進捗率) is done ÷ applicable.
    let officer = app.sign_in("tokyo_officer").await;
    let export = download(&app, &officer, "export.csv").await;
    let row = csv_rows(&export)
        .into_iter()
        .find(|r| r["団体コード"] == TOSHIMA && r["業務"] == "住民基本台帳")
        .expect("Toshima's resident registry row");
    let percent: f64 = row["進捗率"].parse().unwrap();
    let expected = 10.0 * 100.0 / (STEPS - 3) as f64;
    assert!(
        (percent - expected).abs() <= 0.05,
        "進捗率 {percent} should be 10 ÷ 37 = {expected:.2} %"
    );
    assert_eq!(row["完了ステップ数"], "10");

    // Every applicable step done without 本番稼働日: refused, nothing written.
    let before = app.full_snapshot().await;
    let all_done = RecordForm::new(TOSHIMA, SYSTEM)
        .steps(1, STEPS, "done")
        .steps(11, 13, "not_applicable");
    let reply = save(&app, &cio, &all_done).await;
    assert_eq!(rejected_field(&reply), "actual_go_live");
    assert_eq!(app.full_snapshot().await, before, "nothing may be written");

    // With the date it is live at 100 %.
    save_ok(&app, &cio, &all_done.set("actual_go_live", "2026-02-02")).await;
    let p = record(&app, &cio, TOSHIMA, SYSTEM).await["progress"].clone();
    assert_eq!(p["status"], "live");
    assert_eq!(p["steps_done"], STEPS - 3);
    assert_eq!(p["steps_applicable"], STEPS - 3);
    assert_eq!(p["actual_go_live"], "2026-02-02");

    // Every step 対象外: nothing applies, so the record is not live.
    let none_apply = RecordForm::new(TOSHIMA, SYSTEM).steps(1, STEPS, "not_applicable");
    save_ok(&app, &cio, &none_apply).await;
    let p = record(&app, &cio, TOSHIMA, SYSTEM).await["progress"].clone();
    assert_eq!(p["steps_applicable"], 0);
    assert_ne!(p["status"], "live");

    // An unknown step status names its field.
    let reply = save(
        &app,
        &cio,
        &RecordForm::new(TOSHIMA, SYSTEM).steps(5, 5, "finished"),
    )
    .await;
    assert_eq!(rejected_field(&reply), "steps[4]");
}

// --- b. History ----------------------------------------------------------------------------

#[tokio::test]
async fn a_form_save_records_who_and_exactly_what_changed_once() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let baseline = RecordForm::new(TOSHIMA, SYSTEM);
    save_ok(&app, &cio, &baseline).await;
    let history = record(&app, &cio, TOSHIMA, SYSTEM).await["history"].clone();
    let entries = history.as_array().unwrap().len();

    let changed = baseline
        .clone()
        .steps(3, 3, "done")
        .set("vendor", "ベンダY");
    save_ok(&app, &cio, &changed).await;
    let view = record(&app, &cio, TOSHIMA, SYSTEM).await;
    let history = view["history"].as_array().unwrap();
    assert_eq!(history.len(), entries + 1, "one entry per save");
    let newest = &history[0];
    assert_eq!(newest["actor_name_ja"], persona_name("ward_cio"));
    assert_eq!(newest["source"], "form");
    assert!(!newest["at"].as_str().unwrap().is_empty());
    assert_eq!(
        changes(newest),
        vec![
            change("step_3", "not_started", "done"),
            change("status", "not_started", "in_progress"),
            change("vendor", "ベンダX", "ベンダY"),
        ]
    );

    // The same form again changes nothing and adds no entry.
    save_ok(&app, &cio, &changed).await;
    let again = record(&app, &cio, TOSHIMA, SYSTEM).await;
    assert_eq!(again["history"], view["history"]);
    assert_eq!(again["progress"], view["progress"]);
}

#[tokio::test]
async fn an_import_records_its_changes_with_source_import() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    save_ok(&app, &cio, &RecordForm::new(TOSHIMA, SYSTEM)).await;

    // The current format: one column per step.
    let header: String = (1..=STEPS).map(|n| format!(",手順{n}")).collect();
    let cells: String = (1..=STEPS)
        .map(|n| match n {
            1 | 2 => ",完了",
            3 => ",作業中",
            4 => ",対象外",
            _ => ",未着手",
        })
        .collect();
    let csv = format!("団体コード,業務,進捗状況{header}\n{TOSHIMA},1,作業中{cells}\n");
    let report = app.import(&cio, csv.as_bytes()).await;
    assert_eq!(report["applied"], true, "{report}");
    let view = record(&app, &cio, TOSHIMA, SYSTEM).await;
    let newest = &view["history"][0];
    assert_eq!(newest["source"], "import");
    assert_eq!(newest["actor_name_ja"], persona_name("ward_cio"));
    assert_eq!(
        changes(newest),
        vec![
            change("step_1", "not_started", "done"),
            change("step_2", "not_started", "done"),
            change("step_3", "not_started", "in_progress"),
            change("step_4", "not_started", "not_applicable"),
            change("status", "not_started", "in_progress"),
        ]
    );
    assert_eq!(view["progress"]["steps_applicable"], STEPS - 1);

    // The older format (完了ステップ数) on a demo record: the history lists each step that
    // changed, before and after as stored.
    let before = record(&app, &cio, TOSHIMA, "electoral_roll").await;
    let entries = before["history"].as_array().unwrap().len();
    let legacy = format!("団体コード,業務,進捗状況,完了ステップ数\n{TOSHIMA},2,作業中,12\n");
    let report = app.import(&cio, legacy.as_bytes()).await;
    assert_eq!(report["applied"], true, "{report}");
    let after = record(&app, &cio, TOSHIMA, "electoral_roll").await;
    let history = after["history"].as_array().unwrap();
    assert_eq!(history.len(), entries + 1);
    assert_eq!(history[0]["source"], "import");
    let (old, new) = (
        statuses(&before["progress"], STEPS),
        statuses(&after["progress"], STEPS),
    );
    assert_eq!(new[..12], vec!["done".to_owned(); 12][..]);
    let expected: Vec<(String, String, String)> = (0..STEPS)
        .filter(|i| old[*i] != new[*i])
        .map(|i| change(&format!("step_{}", i + 1), &old[i], &new[i]))
        .collect();
    let steps_logged: Vec<(String, String, String)> = changes(&history[0])
        .into_iter()
        .filter(|(f, _, _)| f.starts_with("step_"))
        .collect();
    assert_eq!(steps_logged, expected);
}

// --- c. Permissions ------------------------------------------------------------------------

#[tokio::test]
async fn only_the_municipality_tokyo_and_admins_may_save_a_record() {
    let app = TestApp::new().await;
    let mut n = 0;
    for (persona, allowed) in [
        ("city_staff", false),
        ("town_staff", false),
        ("govtech_advisor", false),
        ("ward_cio", true),
        ("tokyo_officer", true),
        ("admin", true),
    ] {
        let cookie = app.sign_in(persona).await;
        n += 1;
        // A different vendor each time, so that every allowed save is a change.
        let attempt = RecordForm::new(TOSHIMA, SYSTEM)
            .steps(1, n, "done")
            .set("vendor", &format!("ベンダ{persona}"));
        let before = app.full_snapshot().await;
        let history = record(&app, &cookie, TOSHIMA, SYSTEM).await["history"].clone();
        let reply = save(&app, &cookie, &attempt).await;
        let view = record(&app, &cookie, TOSHIMA, SYSTEM).await;
        assert_eq!(view["may_edit"], allowed, "{persona}: may_edit");
        if allowed {
            assert!(
                reply.status.is_success() || reply.status.is_redirection(),
                "{persona}: {} {}",
                reply.status,
                reply.body
            );
            assert_eq!(view["progress"]["vendor"], format!("ベンダ{persona}"));
            assert_eq!(view["history"][0]["actor_name_ja"], persona_name(persona));
        } else {
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "{persona}: {}",
                reply.body
            );
            assert_eq!(reply.json()["code"], "forbidden");
            assert_eq!(
                app.full_snapshot().await,
                before,
                "{persona}: nothing written"
            );
            assert_eq!(view["history"], history, "{persona}: no history");
        }
    }
    // Their own municipality is theirs to write.
    let city = app.sign_in("city_staff").await;
    save_ok(
        &app,
        &city,
        &RecordForm::new(HACHIOJI, SYSTEM).steps(1, 2, "done"),
    )
    .await;
    assert_eq!(
        record(&app, &city, HACHIOJI, SYSTEM).await["progress"]["steps_done"],
        2
    );
}

#[tokio::test]
async fn advisors_comment_anywhere_and_municipal_staff_only_on_their_own_records() {
    let app = TestApp::new().await;
    for (persona, lg_code, allowed) in [
        ("govtech_advisor", TOSHIMA, true),
        ("govtech_advisor", HACHIOJI, true),
        ("ward_cio", TOSHIMA, true),
        ("ward_cio", HACHIOJI, false),
        ("city_staff", TOSHIMA, false),
        ("city_staff", HACHIOJI, true),
        ("town_staff", TOSHIMA, false),
        ("tokyo_officer", TOSHIMA, true),
        ("admin", HACHIOJI, true),
    ] {
        let cookie = app.sign_in(persona).await;
        let before = thread(&app, &cookie, lg_code, 7).await;
        let count = before["comments"].as_array().unwrap().len();
        assert_eq!(before["may_comment"], allowed, "{persona} on {lg_code}");
        assert_eq!(
            record(&app, &cookie, lg_code, SYSTEM).await["may_comment"],
            allowed,
            "{persona} on {lg_code}"
        );
        let reply = comment(&app, &cookie, lg_code, 7, &format!("{persona} より")).await;
        let after = thread(&app, &cookie, lg_code, 7).await;
        let comments = after["comments"].as_array().unwrap();
        if allowed {
            assert!(
                reply.status.is_success() || reply.status.is_redirection(),
                "{persona} on {lg_code}: {} {}",
                reply.status,
                reply.body
            );
            assert_eq!(comments.len(), count + 1);
            assert_eq!(comments[count]["author_name_ja"], persona_name(persona));
        } else {
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "{persona} on {lg_code}: {}",
                reply.body
            );
            assert_eq!(
                comments.len(),
                count,
                "{persona} on {lg_code}: nothing written"
            );
        }
    }
}

#[tokio::test]
async fn every_tracker_endpoint_refuses_signed_out_callers() {
    let app = TestApp::new().await;
    let before = app.full_snapshot().await;
    let save_form = RecordForm::new(TOSHIMA, SYSTEM)
        .steps(1, 5, "done")
        .encode();
    let record_key = form(&[("lg_code", TOSHIMA), ("system", SYSTEM)]);
    let step = format!("{record_key}&step=5");
    let body = format!("{step}&body=hello");
    for (path, body) in [
        ("/api/get_record", record_key.as_str()),
        ("/api/save_record", save_form.as_str()),
        ("/api/get_step_thread", step.as_str()),
        ("/api/post_step_comment", body.as_str()),
        ("/api/list_notifications", ""),
        ("/api/mark_notifications_read", ""),
        ("/api/get_dashboard", ""),
        ("/api/get_matrix", ""),
        ("/api/get_heatmap", ""),
        ("/api/get_step_template", ""),
    ] {
        for cookie in [None, Some("kyodo_session=forged")] {
            let reply = app.post(path, body, cookie).await;
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "{path}: {}",
                reply.body
            );
            assert_eq!(reply.json()["code"], "unauthenticated", "{path}");
        }
    }
    // The unread badge is public by rule: 0 for a visitor.
    let reply = app.post("/api/count_unread_notifications", "", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), 0);
    for file in ["export.csv", "export.json", "summary.csv", "summary.json"] {
        let reply = app.get(&format!("/standardization/{file}"), None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{file}");
    }
    let reply = app
        .upload_to(
            "/standardization/steps/upload",
            "kyodo_session=forged",
            "steps.csv",
            b"no,phase,name_ja,name_en\n1,planning,a,A\n",
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location.as_deref(), Some("/login"));
    assert_eq!(app.full_snapshot().await, before);
    let steps = app::standardization::repo::steps(&app.state.db)
        .await
        .unwrap();
    assert_eq!(steps.len(), STEPS, "the template is untouched");
}

#[tokio::test]
async fn every_signed_in_user_reads_the_tracker() {
    let app = TestApp::new().await;
    let record_key = form(&[("lg_code", HACHIOJI), ("system", SYSTEM)]);
    let step = format!("{record_key}&step=1");
    for persona in PERSONAS {
        let cookie = app.sign_in(persona).await;
        for (path, body) in [
            ("/api/get_record", record_key.as_str()),
            ("/api/get_step_thread", step.as_str()),
            ("/api/list_notifications", ""),
            ("/api/count_unread_notifications", ""),
            (
                "/api/mark_notifications_read",
                "up_to=2026-01-01T00%3A00%3A00Z",
            ),
            ("/api/get_dashboard", ""),
            ("/api/get_matrix", ""),
            ("/api/get_heatmap", ""),
            ("/api/get_step_template", ""),
        ] {
            let reply = app.post(path, body, Some(&cookie)).await;
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "{persona} {path}: {}",
                reply.body
            );
        }
        for file in ["export.csv", "export.json", "summary.csv", "summary.json"] {
            download(&app, &cookie, file).await;
        }
        let template = app
            .post("/api/get_step_template", "", Some(&cookie))
            .await
            .json();
        assert_eq!(template["may_replace"], persona == "admin", "{persona}");
    }
    let admin = app.sign_in("admin").await;
    let unknown = app
        .post(
            "/api/get_record",
            &form(&[("lg_code", "130001"), ("system", SYSTEM)]),
            Some(&admin),
        )
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::NOT_FOUND,
        "Tokyo itself has no records"
    );
    let unknown = app
        .post(
            "/api/get_step_thread",
            &form(&[("lg_code", TOSHIMA), ("system", SYSTEM), ("step", "41")]),
            Some(&admin),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "no step 41");
}

#[tokio::test]
async fn only_administrators_replace_the_step_template() {
    let app = TestApp::new().await;
    let file = first_steps(38);
    let before = app.full_snapshot().await;
    for persona in ["ward_cio", "city_staff", "govtech_advisor", "tokyo_officer"] {
        let cookie = app.sign_in(persona).await;
        let reply = app
            .upload_to(
                "/standardization/steps/upload",
                &cookie,
                "steps.csv",
                file.as_bytes(),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{persona}: {}",
            reply.body
        );
        let template = app
            .post("/api/get_step_template", "", Some(&cookie))
            .await
            .json();
        assert_eq!(
            template["steps"].as_array().unwrap().len(),
            STEPS,
            "{persona}"
        );
        assert_eq!(template["outcome"], Value::Null);
    }
    assert_eq!(app.full_snapshot().await, before);
    let admin = app.sign_in("admin").await;
    let reply = app
        .upload_to(
            "/standardization/steps/upload",
            &admin,
            "steps.csv",
            file.as_bytes(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location.as_deref(), Some("/admin/steps"));
}

// --- d. Extensions (特定移行支援) ------------------------------------------------------------

#[tokio::test]
async fn an_extension_needs_a_reason_and_a_target_no_later_than_the_end_of_fy2030() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let base = RecordForm::new(TOSHIMA, SYSTEM).steps(1, 4, "done");
    save_ok(&app, &cio, &base).await;
    let before = app.full_snapshot().await;
    let extended = base
        .clone()
        .set("special_migration_support", "on")
        .set("extension_reason", "mainframe")
        .set("extension_target_date", "2031-03-31");

    let too_late = extended.clone().set("extension_target_date", "2031-04-01");
    let reply = save(&app, &cio, &too_late).await;
    assert_eq!(rejected_field(&reply), "extension_target_date");
    let error = reply.json();
    for lang in ["ja", "en"] {
        assert!(
            error[lang].as_str().unwrap().contains("2031-03-31"),
            "{lang} message should name the limit: {error}"
        );
    }
    let too_late_wareki = extended
        .clone()
        .set("extension_target_date", "令和13年4月1日");
    assert_eq!(
        rejected_field(&save(&app, &cio, &too_late_wareki).await),
        "extension_target_date"
    );
    let other_without_text = extended.clone().set("extension_reason", "other");
    assert_eq!(
        rejected_field(&save(&app, &cio, &other_without_text).await),
        "extension_reason_text"
    );
    let no_reason = extended.clone().set("extension_reason", "");
    assert_eq!(
        rejected_field(&save(&app, &cio, &no_reason).await),
        "extension_reason"
    );
    let unknown_reason = extended.clone().set("extension_reason", "budget");
    assert_eq!(
        rejected_field(&save(&app, &cio, &unknown_reason).await),
        "extension_reason"
    );
    let no_target = extended.clone().set("extension_target_date", "");
    assert_eq!(
        rejected_field(&save(&app, &cio, &no_target).await),
        "extension_target_date"
    );
    assert_eq!(app.full_snapshot().await, before, "no refused save writes");

    save_ok(&app, &cio, &extended).await;
    let p = record(&app, &cio, TOSHIMA, SYSTEM).await["progress"].clone();
    assert_eq!(p["special_migration_support"], true);
    assert_eq!(p["extension_reason"], "mainframe");
    assert_eq!(p["extension_target_date"], "2031-03-31");

    let other = extended
        .clone()
        .set("extension_reason", "other")
        .set("extension_reason_text", "庁舎移転と重なるため")
        .set("extension_target_date", "令和12年10月1日");
    save_ok(&app, &cio, &other).await;
    let p = record(&app, &cio, TOSHIMA, SYSTEM).await["progress"].clone();
    assert_eq!(p["extension_reason"], "other");
    assert_eq!(p["extension_reason_text"], "庁舎移転と重なるため");
    assert_eq!(p["extension_target_date"], "2030-10-01");

    // Unticking the flag clears the reason, its text and the target date.
    save_ok(
        &app,
        &cio,
        &base
            .clone()
            .set("extension_reason", "other")
            .set("extension_reason_text", "x")
            .set("extension_target_date", "2030-01-01"),
    )
    .await;
    let p = record(&app, &cio, TOSHIMA, SYSTEM).await["progress"].clone();
    assert_eq!(p["special_migration_support"], false);
    for field in [
        "extension_reason",
        "extension_reason_text",
        "extension_target_date",
    ] {
        assert_eq!(p[field], Value::Null, "{field}");
    }
}

// --- e. Step threads and notifications ------------------------------------------------------

#[tokio::test]
async fn a_question_notifies_the_advisors_and_a_reply_the_thread() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let advisor = app.sign_in("govtech_advisor").await;
    let officer = app.sign_in("tokyo_officer").await;
    let city = app.sign_in("city_staff").await;

    let question = "手順5の**要件定義**について質問です。";
    let reply = comment(&app, &cio, TOSHIMA, 5, question).await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    assert_eq!(unread(&app, &advisor).await, 1);
    assert_eq!(
        unread(&app, &cio).await,
        0,
        "never notified of one's own comment"
    );
    assert_eq!(unread(&app, &officer).await, 0);
    assert_eq!(unread(&app, &city).await, 0);
    let list = app
        .post("/api/list_notifications", "", Some(&advisor))
        .await
        .json();
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["kind"], "step_comment");
    assert_eq!(
        items[0]["link"],
        format!("/standardization/records/{TOSHIMA}/{SYSTEM}/steps/5")
    );
    let text_ja = items[0]["text_ja"].as_str().unwrap();
    assert!(
        text_ja.starts_with(&format!("{}さんが豊島区・", persona_name("ward_cio")))
            && text_ja.ends_with("の手順5にコメントしました"),
        "{text_ja}"
    );
    assert!(
        items[0]["text_en"]
            .as_str()
            .unwrap()
            .contains(" commented on step 5 of Toshima"),
        "{}",
        items[0]["text_en"]
    );
    assert_eq!(items[0]["read"], false);
    assert!(
        question.starts_with(items[0]["excerpt"].as_str().unwrap()),
        "{}",
        items[0]["excerpt"]
    );

    let answer = "RFI の結果を先にご確認ください。";
    let reply = comment(&app, &advisor, TOSHIMA, 5, answer).await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    assert_eq!(unread(&app, &cio).await, 1, "the asker is a participant");
    assert_eq!(
        unread(&app, &advisor).await,
        1,
        "not notified of one's own reply"
    );
    let list = app
        .post("/api/list_notifications", "", Some(&cio))
        .await
        .json();
    let text_ja = list[0]["text_ja"].as_str().unwrap();
    assert!(
        text_ja.starts_with(&format!("{}さんが", persona_name("govtech_advisor")))
            && text_ja.contains("の手順5に"),
        "{text_ja}"
    );

    let view = thread(&app, &officer, TOSHIMA, 5).await;
    let bodies: Vec<&str> = view["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, vec![question, answer], "oldest first");
    let counts = record(&app, &officer, TOSHIMA, SYSTEM).await["comment_counts"].clone();
    assert_eq!(counts, serde_json::json!([[5, 2]]));

    // A follow-up question reaches the advisor (and the participants) again; a long
    // Japanese body is cut to an excerpt of 80 characters and an ellipsis.
    let follow_up = format!(
        "追加で確認です。{}",
        "移行計画の前提条件について。".repeat(10)
    );
    let reply = comment(&app, &cio, TOSHIMA, 5, &follow_up).await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    assert_eq!(unread(&app, &advisor).await, 2);
    assert_eq!(unread(&app, &cio).await, 1);
    let list = app
        .post("/api/list_notifications", "", Some(&advisor))
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let excerpt = list.json()[0]["excerpt"].as_str().unwrap().to_owned();
    let shown = excerpt
        .strip_suffix('…')
        .unwrap_or_else(|| panic!("a cut excerpt ends in …: {excerpt}"));
    assert_eq!(shown.chars().count(), 80, "{excerpt}");
    assert!(follow_up.starts_with(shown), "{excerpt}");

    let newest = list.json()[0]["at"].as_str().unwrap().to_owned();
    let reply = app
        .post(
            "/api/mark_notifications_read",
            &form(&[("up_to", newest.as_str())]),
            Some(&advisor),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(unread(&app, &advisor).await, 0);
    assert_eq!(
        unread(&app, &cio).await,
        1,
        "only the caller's own are marked"
    );
    let list = app
        .post("/api/list_notifications", "", Some(&advisor))
        .await
        .json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(
        list.as_array().unwrap().iter().all(|n| n["read"] == true),
        "{list}"
    );
}

#[tokio::test]
async fn comments_and_notes_are_sanitized_and_an_empty_comment_is_refused() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let advisor = app.sign_in("govtech_advisor").await;
    let hostile = "**要確認** <script>alert(1)</script> [手順書](javascript:alert(1)) <img src=x onerror=alert(1)>";
    let reply = comment(&app, &cio, TOSHIMA, 5, hostile).await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    let view = thread(&app, &cio, TOSHIMA, 5).await;
    let html = view["comments"][0]["body_html"].as_str().unwrap();
    assert!(html.contains("<strong>要確認</strong>"), "{html}");
    for bad in ["<script", "javascript:", "onerror"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    assert_eq!(
        view["comments"][0]["body"], hostile,
        "the source is kept as written"
    );

    save_ok(
        &app,
        &cio,
        &RecordForm::new(TOSHIMA, SYSTEM).set("notes", hostile),
    )
    .await;
    let html = record(&app, &cio, TOSHIMA, SYSTEM).await["notes_html"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(html.contains("<strong>要確認</strong>"), "{html}");
    for bad in ["<script", "javascript:", "onerror"] {
        assert!(!html.contains(bad), "{bad} in notes {html}");
    }

    let notified = unread(&app, &advisor).await;
    for blank in ["", "   \n  "] {
        let reply = comment(&app, &cio, TOSHIMA, 6, blank).await;
        assert_eq!(rejected_field(&reply), "body", "{blank:?}");
    }
    let too_long = "あ".repeat(10_001);
    assert_eq!(
        rejected_field(&comment(&app, &cio, TOSHIMA, 6, &too_long).await),
        "body"
    );
    assert_eq!(
        thread(&app, &cio, TOSHIMA, 6).await["comments"],
        serde_json::json!([]),
        "nothing stored"
    );
    assert_eq!(unread(&app, &advisor).await, notified, "nobody notified");
}

// --- f. Replacing the step template -------------------------------------------------------

/// The shipped template's first `n` steps, as a template file.
fn first_steps(n: usize) -> String {
    app::standardization::template::DEFAULT_STEPS_CSV
        .lines()
        .take(n + 1)
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Records with a status other than 未着手 on step `no`, counted from the stored lists.
async fn records_touching(app: &TestApp, no: usize) -> u64 {
    stored_steps(app)
        .await
        .iter()
        .filter(|r| r.steps.get(no - 1).is_some_and(|s| s != "not_started"))
        .count() as u64
}

/// Every stored record without `updated_at` (which any write moves), in key order.
async fn records_without_write_times(app: &TestApp) -> Vec<Value> {
    let mut all: Vec<Value> = app::standardization::repo::all_records(&app.state.db)
        .await
        .unwrap()
        .iter()
        .map(|p| {
            let mut v = serde_json::to_value(p).unwrap();
            v.as_object_mut().unwrap().remove("updated_at");
            v
        })
        .collect();
    all.sort_by_key(|v| format!("{}_{}", v["lg_code"], v["system"]));
    all
}

async fn template_view(app: &TestApp, cookie: &str) -> Value {
    let reply = app.post("/api/get_step_template", "", Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

#[tokio::test]
async fn a_shorter_template_keeps_every_step_status_and_recounts() {
    let app = TestApp::new().await;
    let admin = app.sign_in("admin").await;
    let mine = RecordForm::new(TOSHIMA, SYSTEM)
        .steps(1, 10, "done")
        .steps(11, 13, "not_applicable")
        .steps(14, 37, "done")
        .steps(38, 38, "in_progress")
        .steps(39, 39, "done")
        .steps(40, 40, "not_applicable");
    save_ok(&app, &admin, &mine).await;
    let before = records_without_write_times(&app).await;
    let count = |from: usize, to: usize, status: &str| {
        mine.steps[from - 1..to]
            .iter()
            .filter(|s| **s == status)
            .count()
    };
    let expected_removed = [
        (39, records_touching(&app, 39).await),
        (40, records_touching(&app, 40).await),
    ];

    let reply = app
        .upload_to(
            "/standardization/steps/upload",
            &admin,
            "38.csv",
            first_steps(38).as_bytes(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location.as_deref(), Some("/admin/steps"));
    let view = template_view(&app, &admin).await;
    assert_eq!(view["steps"].as_array().unwrap().len(), 38);
    let applied = &view["outcome"]["Applied"];
    assert_eq!(applied["old_len"], 40, "{view}");
    assert_eq!(applied["new_len"], 38);
    assert_eq!(applied["renamed"], serde_json::json!([]));
    let removed: Vec<(u64, u64)> = applied["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["step"]["no"].as_u64().unwrap(),
                r["records"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(removed, expected_removed);
    assert_eq!(
        template_view(&app, &admin).await["outcome"],
        Value::Null,
        "the outcome is shown once"
    );

    let view = record(&app, &admin, TOSHIMA, SYSTEM).await;
    let p = &view["progress"];
    assert_eq!(view["steps"].as_array().unwrap().len(), 38);
    assert_eq!(statuses(p, 38), mine.steps[..38], "steps 1–38 unchanged");
    assert_eq!(p["steps_done"], count(1, 38, "done"));
    assert_eq!(p["steps_in_progress"], count(1, 38, "in_progress"));
    assert_eq!(p["steps_applicable"], 38 - count(1, 38, "not_applicable"));
    // Every record's stored counts follow the new length.
    assert_dashboard_matches(&app, &admin, "", 38, None, None).await;
    // A form made for the old template is refused, not half-applied.
    let stale = save(&app, &admin, &mine.clone().steps(1, 1, "in_progress")).await;
    assert_eq!(rejected_field(&stale), "steps");
    assert_eq!(
        statuses(&record(&app, &admin, TOSHIMA, SYSTEM).await["progress"], 38),
        mine.steps[..38]
    );

    // Back to the 40 steps: the counts, and everything else, are as before.
    let reply = app
        .upload_to(
            "/standardization/steps/upload",
            &admin,
            "40.csv",
            app::standardization::template::DEFAULT_STEPS_CSV.as_bytes(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let view = template_view(&app, &admin).await;
    assert_eq!(view["steps"].as_array().unwrap().len(), STEPS);
    assert_eq!(
        view["outcome"]["Applied"]["removed"],
        serde_json::json!([]),
        "{view}"
    );
    let p = record(&app, &admin, TOSHIMA, SYSTEM).await["progress"].clone();
    assert_eq!(statuses(&p, STEPS), mine.steps, "steps 39 and 40 were kept");
    assert_eq!(p["steps_done"], count(1, 40, "done"));
    assert_eq!(
        p["steps_applicable"],
        STEPS - count(1, 40, "not_applicable")
    );
    assert_eq!(records_without_write_times(&app).await, before);
}

#[tokio::test]
async fn an_invalid_template_changes_nothing_and_names_each_line() {
    let app = TestApp::new().await;
    let admin = app.sign_in("admin").await;
    let before = app.full_snapshot().await;
    let steps_before = app::standardization::repo::steps(&app.state.db)
        .await
        .unwrap();
    let file = "no,phase,name_ja,name_en\n\
                1,planning,体制,Team\n\
                2,deployment,調査,Survey\n\
                4,migration,移行,Migrate\n";
    let reply = app
        .upload_to(
            "/standardization/steps/upload",
            &admin,
            "bad.csv",
            file.as_bytes(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let view = template_view(&app, &admin).await;
    let errors = view["outcome"]["Refused"].as_array().expect("refused");
    let got: Vec<(u64, &str, &str)> = errors
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["column"].as_str().unwrap_or(""),
                e["kind"]["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![(3, "phase", "invalid_phase"), (4, "no", "step_number")]
    );
    assert_eq!(view["steps"].as_array().unwrap().len(), STEPS);
    assert_eq!(
        app::standardization::repo::steps(&app.state.db)
            .await
            .unwrap(),
        steps_before
    );
    assert_eq!(app.full_snapshot().await, before);

    // The same through the function the command line uses.
    let outcome = app::standardization::server::replace_steps(&app.state.db, file.as_bytes(), None)
        .await
        .unwrap();
    assert!(matches!(
        outcome,
        app::standardization::server::TemplateOutcome::Refused(ref e) if e.len() == 2
    ));
    assert_eq!(app.full_snapshot().await, before);
}

// --- g. Dashboard ---------------------------------------------------------------------------

#[tokio::test]
async fn dashboard_rates_equal_a_count_of_the_stored_steps() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("govtech_advisor").await;
    assert_dashboard_matches(&app, &cookie, "", STEPS, None, None).await;
    assert_dashboard_matches(&app, &cookie, "cloud=aws", STEPS, None, Some("aws")).await;
    assert_dashboard_matches(&app, &cookie, "cloud=sakura", STEPS, None, Some("sakura")).await;
    assert_dashboard_matches(&app, &cookie, "kind=town", STEPS, Some(OrgKind::Town), None).await;
    assert_dashboard_matches(
        &app,
        &cookie,
        "kind=special_ward&cloud=aws",
        STEPS,
        Some(OrgKind::SpecialWard),
        Some("aws"),
    )
    .await;
    // The AWS filter really filters: it counts fewer records than all.
    let all = direct_tallies(&app, STEPS, None, None).await;
    let aws = direct_tallies(&app, STEPS, None, Some("aws")).await;
    let records = |t: &[(String, Tally)]| t.iter().map(|(_, t)| t.records).sum::<u64>();
    assert!(records(&aws) > 0 && records(&aws) < records(&all));

    // The published summary has the same rates (rounded to 0.1 point).
    let summary = download(&app, &cookie, "summary.csv").await;
    let rows = csv_rows(&summary);
    assert_eq!(rows.len(), 21, "20 systems and the total");
    for (row, (system, t)) in rows.iter().zip(&all) {
        let [done, working, not_started] = t.rates();
        for (column, want) in [
            ("完了率", done),
            ("作業率", working),
            ("未着手率", not_started),
        ] {
            let got: f64 = row[column].parse().unwrap();
            assert!(
                (got - want).abs() <= 0.05 + 1e-9,
                "{system} {column}: {got} vs {want}"
            );
        }
        assert_eq!(row["団体数"], t.records.to_string());
    }

    // A save moves the dashboard by exactly that record's change.
    let officer = app.sign_in("tokyo_officer").await;
    let resident = |t: &[(String, Tally)]| t.iter().find(|(s, _)| s == SYSTEM).unwrap().1;
    let old = stored_steps(&app)
        .await
        .into_iter()
        .find(|r| r.lg_code == TOSHIMA && r.system == SYSTEM)
        .unwrap()
        .steps;
    let old_done = old.iter().take(STEPS).filter(|s| *s == "done").count() as u64;
    save_ok(
        &app,
        &officer,
        &RecordForm::new(TOSHIMA, SYSTEM)
            .steps(1, 5, "done")
            .steps(6, 6, "in_progress")
            .set("gov_cloud", "azure"),
    )
    .await;
    let now = direct_tallies(&app, STEPS, None, None).await;
    assert_eq!(resident(&now).done + old_done, resident(&all).done + 5);
    assert_dashboard_matches(&app, &cookie, "", STEPS, None, None).await;
    assert_dashboard_matches(&app, &cookie, "cloud=azure", STEPS, None, Some("azure")).await;
    assert_dashboard_matches(&app, &cookie, "cloud=aws", STEPS, None, Some("aws")).await;

    let unknown = app
        .post("/api/get_dashboard", "cloud=ibm", Some(&cookie))
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.json()["field"], "cloud");
}

// --- h. Matrix ------------------------------------------------------------------------------

/// Mean progress of a matrix row in percent: done ÷ applicable per cell, unreported = 0.
fn row_mean(row: &Value) -> f64 {
    let cells = row["cells"].as_array().unwrap();
    let sum: f64 = cells
        .iter()
        .filter(|c| !c.is_null())
        .map(|c| {
            let applicable = c["steps_applicable"].as_f64().unwrap();
            if applicable == 0.0 {
                0.0
            } else {
                c["steps_done"].as_f64().unwrap() * 100.0 / applicable
            }
        })
        .sum();
    sum / cells.len() as f64
}

async fn matrix(app: &TestApp, cookie: &str, query: &str) -> Value {
    let reply = app.post("/api/get_matrix", query, Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply.json()
}

fn codes(matrix: &Value) -> Vec<String> {
    matrix["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["organisation"]["key"].as_str().unwrap().to_owned())
        .collect()
}

/// The heatmap cell of `lg_code` × `system` in a page or fragment: from its `data-cell` to the
/// end of its `<td>`.
fn heatmap_cell(html: &str, lg_code: &str, system: &str) -> String {
    let start = html
        .find(&format!(r#"data-cell="{lg_code}-{system}""#))
        .unwrap_or_else(|| panic!("no cell {lg_code}-{system}"));
    let end = start + html[start..].find("</td>").expect("cell end");
    html[start..end].to_owned()
}

#[tokio::test]
async fn the_heatmap_and_dashboard_are_made_once_per_change_and_show_a_save_made_through_another_server()
 {
    let app = TestApp::new().await;
    let other = app.second_server();
    let cio = app.sign_in("ward_cio").await;
    save_ok(&app, &cio, &RecordForm::new(TOSHIMA, SYSTEM)).await;

    // The other server renders the table and keeps it: the same bytes twice.
    let first = other.get("/standardization", Some(&cio)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(heatmap_cell(&first.body, TOSHIMA, SYSTEM).contains("未着手"));
    let fragment = |reply: &Reply| reply.json()["table_html"].as_str().unwrap().to_owned();
    let kept = fragment(&other.post("/api/get_heatmap", "", Some(&cio)).await);
    assert_eq!(
        kept,
        fragment(&other.post("/api/get_heatmap", "", Some(&cio)).await)
    );
    // The page holds the table once (nothing is serialized for hydration).
    assert_eq!(
        first.body.matches("data-cell=").count(),
        62 * 20,
        "62 rows of 20 cells, not sent twice"
    );

    let dashboard = other
        .post("/api/get_dashboard", "", Some(&cio))
        .await
        .json();
    assert_eq!(
        dashboard,
        other
            .post("/api/get_dashboard", "", Some(&cio))
            .await
            .json()
    );

    // A save through the first server is on the other server's next page, in both languages.
    save_ok(
        &app,
        &cio,
        &RecordForm::new(TOSHIMA, SYSTEM).steps(1, 10, "done"),
    )
    .await;
    let after = other.get("/standardization", Some(&cio)).await;
    assert!(
        heatmap_cell(&after.body, TOSHIMA, SYSTEM).contains("作業中 25%"),
        "{}",
        heatmap_cell(&after.body, TOSHIMA, SYSTEM)
    );
    let english = other
        .get("/standardization", Some(&format!("{cio}; kyodo_lang=en")))
        .await;
    assert!(heatmap_cell(&english.body, TOSHIMA, SYSTEM).contains("In progress 25%"));
    assert_ne!(
        dashboard,
        other
            .post("/api/get_dashboard", "", Some(&cio))
            .await
            .json(),
        "the other server's dashboard counts the save"
    );
    assert_ne!(
        kept,
        fragment(&other.post("/api/get_heatmap", "", Some(&cio)).await)
    );

    // Filters and order are checked as the matrix's are.
    let refused = other
        .post("/api/get_heatmap", "sort=alphabetical", Some(&cio))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.json()["field"], "sort");
    let towns = other
        .post("/api/get_heatmap", "kind=town", Some(&cio))
        .await
        .json();
    assert_eq!(towns["count"], 5);
    assert!(!towns["table_html"].as_str().unwrap().contains(TOSHIMA));
}

#[tokio::test]
async fn the_matrix_sorts_by_mean_progress_and_filters_by_provider() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("tokyo_officer").await;
    let by_code = matrix(&app, &cookie, "sort=code").await;
    let mut sorted_codes = codes(&by_code);
    sorted_codes.sort();
    assert_eq!(codes(&by_code), sorted_codes, "default order is by code");

    for (query, descending) in [("sort=progress_desc", true), ("sort=progress_asc", false)] {
        let m = matrix(&app, &cookie, query).await;
        let rows = m["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 62);
        let mut same = codes(&m);
        same.sort();
        assert_eq!(same, sorted_codes, "{query}: the same rows");
        let means: Vec<f64> = rows.iter().map(row_mean).collect();
        assert!(
            means.first() != means.last(),
            "the demo data has different means"
        );
        for (i, pair) in means.windows(2).enumerate() {
            let ordered = if descending {
                pair[0] >= pair[1] - 1e-4
            } else {
                pair[0] <= pair[1] + 1e-4
            };
            assert!(ordered, "{query}: row {i} {} then {}", pair[0], pair[1]);
            if (pair[0] - pair[1]).abs() < 1e-9 {
                let keys = codes(&m);
                assert!(keys[i] < keys[i + 1], "{query}: ties keep code order");
            }
        }
    }

    let aws = matrix(&app, &cookie, "cloud=aws").await;
    let cells: Vec<&Value> = aws["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap())
        .filter(|c| !c.is_null())
        .collect();
    let stored_aws = stored_steps(&app)
        .await
        .iter()
        .filter(|r| r.gov_cloud.as_deref() == Some("aws"))
        .count();
    assert!(stored_aws > 0);
    assert_eq!(cells.len(), stored_aws);
    assert!(cells.iter().all(|c| c["gov_cloud"] == "aws"));

    let sorted_aws = matrix(&app, &cookie, "cloud=aws&sort=progress_desc&kind=city").await;
    for row in sorted_aws["rows"].as_array().unwrap() {
        assert_eq!(row["organisation"]["kind"], "city");
        assert!(
            row["cells"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c.is_null() || c["gov_cloud"] == "aws")
        );
    }

    for (query, field) in [
        ("sort=alphabetical", "sort"),
        ("cloud=ibm", "cloud"),
        ("kind=prefecture", "kind"),
    ] {
        let reply = app.post("/api/get_matrix", query, Some(&cookie)).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            reply.body
        );
        assert_eq!(reply.json()["field"], field, "{query}");
    }
}

// --- i. Downloads ---------------------------------------------------------------------------

#[tokio::test]
async fn the_export_reimports_without_changes() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let first = download(&app, &officer, "export.csv").await;
    assert_eq!(first.lines().count(), 1 + 62 * 20);

    // Importing marks the demo records as reported (is_demo), and changes nothing else.
    let report = app.import(&officer, first.as_bytes()).await;
    let errors: Vec<&Value> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .take(5)
        .collect();
    assert_eq!(report["applied"], true, "first errors: {errors:?}");
    let changes = report["changes"].as_array().unwrap();
    let other: Vec<String> = changes
        .iter()
        .filter(|c| c["fields"] != serde_json::json!(["is_demo"]))
        .take(5)
        .map(|c| format!("{} {} {}", c["lg_code"], c["system"], c["fields"]))
        .collect();
    assert!(
        other.is_empty(),
        "fields other than is_demo changed: {other:?}"
    );
    assert_eq!(changes.len(), 62 * 20);

    // Now the file is the data: a second round trip changes nothing at all.
    let after_first = app.full_snapshot().await;
    let second = download(&app, &officer, "export.csv").await;
    let report = app.import(&officer, second.as_bytes()).await;
    assert_eq!(report["applied"], true, "{}", report["errors"]);
    assert_eq!(report["changes"], serde_json::json!([]));
    assert_eq!(report["unchanged"], 62 * 20);
    assert_eq!(app.full_snapshot().await, after_first);
}

#[tokio::test]
async fn the_export_round_trips_free_text_dates_and_every_step_status() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let saved = RecordForm::new(TOSHIMA, SYSTEM)
        .steps(1, 8, "done")
        .steps(9, 9, "in_progress")
        .steps(11, 13, "not_applicable")
        .set("vendor", "ベンダA, 共同企業体")
        .set("product", "\"標準\"パッケージ")
        .set("special_migration_support", "on")
        .set("extension_reason", "other")
        .set(
            "extension_reason_text",
            "データ移行の検証（約6か月）に\n時間を要するため",
        )
        .set("extension_target_date", "2029-03-31")
        .set("transitional_functions", "宛名連携")
        .set("transitional_until", "2030-03-31")
        .set("notes", "- 第1段階: 住記\n- 第2段階: 税\n\n**要確認**");
    save_ok(&app, &officer, &saved).await;
    let before = record(&app, &officer, TOSHIMA, SYSTEM).await["progress"].clone();

    // The header and the saved record's line (a spreadsheet row may span lines).
    let export = download(&app, &officer, "export.csv").await;
    let mut reader = csv::Reader::from_reader(export.as_bytes());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(reader.headers().unwrap()).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        if &row[0] == TOSHIMA && &row[2] == "住民基本台帳" {
            writer.write_record(&row).unwrap();
        }
    }
    let file = writer.into_inner().unwrap();
    let report = app.import(&officer, &file).await;
    assert_eq!(report["applied"], true, "{}", report["errors"]);
    assert_eq!(report["rows"], 1);
    let differences: Vec<String> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["lg_code"] == TOSHIMA && c["system"] == SYSTEM)
        .flat_map(|c| {
            c["fields"].as_array().unwrap().iter().map(|f| {
                let f = f.as_str().unwrap();
                format!("{f}: {} → {}", c["before"][f], c["after"][f])
            })
        })
        .collect();
    assert!(
        differences.is_empty(),
        "the saved record changed on re-import: {differences:#?}"
    );
    let after = record(&app, &officer, TOSHIMA, SYSTEM).await["progress"].clone();
    assert_eq!(after, before);
}

#[tokio::test]
async fn the_summary_and_json_downloads_carry_the_dashboard_and_every_record() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("city_staff").await;
    let summary: Value =
        serde_json::from_str(&download(&app, &cookie, "summary.json").await).unwrap();
    let rates = summary["rates"].as_array().unwrap();
    assert_eq!(rates.len(), 20);
    let expected = direct_tallies(&app, STEPS, None, None).await;
    for (rate, (system, want)) in rates.iter().zip(&expected) {
        assert_eq!(rate["system"], system.as_str());
        assert_eq!(Tally::of_json(rate), *want, "{system}");
    }
    let dashboard = app
        .post("/api/get_dashboard", "", Some(&cookie))
        .await
        .json();
    assert_eq!(summary["rates"], dashboard["rates"]);
    assert_eq!(summary["total"], dashboard["total"]);

    let export: Value =
        serde_json::from_str(&download(&app, &cookie, "export.json").await).unwrap();
    assert_eq!(export["steps"].as_array().unwrap().len(), STEPS);
    let records = export["records"].as_array().unwrap();
    assert_eq!(records.len(), 62 * 20);
    let stored = stored_steps(&app).await;
    for r in records {
        let (lg, system) = (
            r["lg_code"].as_str().unwrap(),
            r["system"].as_str().unwrap(),
        );
        let steps = &stored
            .iter()
            .find(|s| s.lg_code == lg && s.system == system)
            .unwrap()
            .steps;
        assert_eq!(
            statuses(r, STEPS),
            statuses(&serde_json::json!({ "steps": steps }), STEPS)
        );
    }
}

#[tokio::test]
async fn a_save_over_a_newer_change_is_refused_and_writes_nothing() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let officer = app.sign_in("tokyo_officer").await;
    let opened = record(&app, &cio, TOSHIMA, SYSTEM).await;
    let version = opened["progress"]["updated_at"]
        .as_str()
        .expect("a stored record carries its version")
        .to_owned();

    // The Tokyo officer saves first, from the same version.
    let officer_form = RecordForm::new(TOSHIMA, SYSTEM)
        .set("vendor", "ベンダT")
        .set("version", &version);
    save_ok(&app, &officer, &officer_form).await;
    let after_officer = record(&app, &cio, TOSHIMA, SYSTEM).await;

    // The CIO's form still carries the old version: refused, nothing written.
    let stale = RecordForm::new(TOSHIMA, SYSTEM)
        .set("vendor", "ベンダC")
        .set("version", &version);
    let reply = save(&app, &cio, &stale).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(rejected_field(&reply), "version");
    let now = record(&app, &cio, TOSHIMA, SYSTEM).await;
    assert_eq!(now["progress"], after_officer["progress"]);
    assert_eq!(now["history"], after_officer["history"]);

    // Reloaded (the new version), the same change goes through.
    let fresh = now["progress"]["updated_at"].as_str().unwrap().to_owned();
    save_ok(&app, &cio, &stale.set("version", &fresh)).await;
    let saved = record(&app, &cio, TOSHIMA, SYSTEM).await;
    assert_eq!(saved["progress"]["vendor"], "ベンダC");
}

#[tokio::test]
async fn simultaneous_saves_of_one_record_never_fail_with_a_server_error() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let version = record(&app, &cio, TOSHIMA, SYSTEM).await["progress"]["updated_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let saves = (0..12).map(|i| {
        let form = RecordForm::new(TOSHIMA, SYSTEM)
            .set("vendor", &format!("ベンダ{i}"))
            .set("version", if i % 2 == 0 { &version } else { "" });
        let (app, cio) = (&app, &cio);
        async move { save(app, cio, &form).await }
    });
    let replies = futures::future::join_all(saves).await;
    let mut saved = 0;
    for reply in &replies {
        match reply.status {
            StatusCode::OK => saved += 1,
            StatusCode::BAD_REQUEST => {
                assert_eq!(rejected_field(reply), "version", "{}", reply.body)
            }
            other => panic!("{other}: {}", reply.body),
        }
    }
    assert!(saved >= 1);
    let view = record(&app, &cio, TOSHIMA, SYSTEM).await;
    let form_entries = view["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["source"] == "form")
        .count();
    assert_eq!(form_entries, saved, "one history entry per successful save");
}

#[tokio::test]
async fn an_import_checks_the_merged_record() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let cio = app.sign_in("ward_cio").await;
    // A live record with its go-live date.
    let live = RecordForm::new(TOSHIMA, SYSTEM)
        .steps(1, STEPS, "done")
        .set("actual_go_live", "2026-01-05");
    save_ok(&app, &cio, &live).await;
    // 移行完了 without the date column: the stored date counts.
    let report = app
        .import(
            &officer,
            "団体コード,業務,進捗状況\n131164,1,移行完了\n".as_bytes(),
        )
        .await;
    assert_eq!(report["applied"], true, "{report}");
    // One step column contradicting the status of the merged steps: refused, nothing written.
    let before = app.full_snapshot().await;
    let report = app
        .import(
            &officer,
            "団体コード,業務,進捗状況,手順5\n131164,1,移行完了,未着手\n".as_bytes(),
        )
        .await;
    assert_eq!(report["applied"], false, "{report}");
    assert_eq!(
        report["errors"][0]["kind"]["code"], "status_mismatch",
        "{report}"
    );
    assert_eq!(report["errors"][0]["line"], 2);
    assert_eq!(app.full_snapshot().await, before);
}

#[tokio::test]
async fn blank_comments_and_huge_filters_get_clear_errors() {
    let app = TestApp::new().await;
    let advisor = app.sign_in("govtech_advisor").await;
    for body in ["<!-- -->", "<script></script>", "\u{200b}\u{200b}"] {
        let reply = comment(&app, &advisor, TOSHIMA, 3, body).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body:?}: {}",
            reply.body
        );
    }
    assert_eq!(unread(&app, &app.sign_in("ward_cio").await).await, 0);
    let huge = "x".repeat(70_000);
    for (endpoint, field) in [
        ("get_matrix", "kind"),
        ("get_matrix", "sort"),
        ("get_dashboard", "cloud"),
    ] {
        let reply = app
            .post(
                &format!("/api/{endpoint}"),
                &form(&[(field, huge.as_str())]),
                Some(&advisor),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{endpoint} {field}");
        assert!(
            reply.body.len() < 500,
            "the value is not echoed whole: {} bytes",
            reply.body.len()
        );
    }
}

// --- Japanese text as people type it (issue #8, item 10) ----------------------------------

/// 青ヶ島村, whose ヶ is often typed ケ.
const AOGASHIMA: &str = "134023";
/// 檜原村, often typed with the simpler 桧.
const HINOHARA: &str = "133078";

#[tokio::test]
async fn an_import_accepts_the_ways_people_write_a_municipality_name() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let header = "団体コード,団体名,業務,進捗状況,完了ステップ数";
    let csv = format!("{header}\n{AOGASHIMA},青ケ島村,1,作業中,7\n{HINOHARA},桧原村,1,作業中,9\n");
    let report = app.import(&officer, csv.as_bytes()).await;
    assert_eq!(report["applied"], true, "{report}");
    assert_eq!(report["errors"], serde_json::json!([]), "{report}");
    assert_eq!(
        app.cell(AOGASHIMA, SYSTEM).await,
        Some(("in_progress".into(), 7))
    );
    assert_eq!(
        app.cell(HINOHARA, SYSTEM).await,
        Some(("in_progress".into(), 9))
    );

    // A real mismatch is still refused, naming the expected municipality; nothing is written.
    let before = app.snapshot().await;
    let csv = format!("{header}\n{AOGASHIMA},八丈町,1,作業中,12\n");
    let report = app.import(&officer, csv.as_bytes()).await;
    assert_eq!(report["applied"], false, "{report}");
    let error = &report["errors"][0];
    assert_eq!(error["line"], 2, "{report}");
    assert_eq!(error["column"], "団体名", "{report}");
    assert_eq!(error["kind"]["code"], "name_mismatch", "{report}");
    assert_eq!(error["kind"]["expected"], "青ヶ島村", "{report}");
    assert_eq!(app.snapshot().await, before, "nothing may be written");
}

/// The newest notification's excerpt for `cookie`.
async fn newest_excerpt(app: &TestApp, cookie: &str) -> String {
    let list = app.post("/api/list_notifications", "", Some(cookie)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.json()[0]["excerpt"].as_str().unwrap().to_owned()
}

/// Posts `body` on step 3 of 豊島区's record as the ward CIO (a question: the advisors are
/// notified) and requires success.
async fn ask(app: &TestApp, cio: &str, body: &str) {
    let reply = comment(app, cio, TOSHIMA, 3, body).await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn comments_are_stored_nfc_and_excerpts_never_split_a_character() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let advisor = app.sign_in("govtech_advisor").await;

    // 79 characters, then a family emoji (seven code points joined by ZWJ, one character):
    // the 80th character is shown whole and the rest is marked cut.
    let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
    let start = "あ".repeat(79);
    ask(&app, &cio, &format!("{start}{family}の続きです。")).await;
    assert_eq!(
        newest_excerpt(&app, &advisor).await,
        format!("{start}{family}…")
    );

    // 80 characters in 81 code points (か with a combining semi-voiced mark, which has no
    // composed form): nothing is cut, so the mark stays and no ellipsis is added.
    let whole = format!("{}か\u{309A}", "い".repeat(79));
    ask(&app, &cio, &whole).await;
    assert_eq!(newest_excerpt(&app, &advisor).await, whole);

    // Decomposed kana (か + U+3099, as macOS input sends them) are stored composed (NFC).
    ask(&app, &cio, "か\u{3099}いと\u{3099}の件").await;
    assert_eq!(newest_excerpt(&app, &advisor).await, "がいどの件");
    let view = thread(&app, &advisor, TOSHIMA, 3).await;
    let comments = view["comments"].as_array().unwrap();
    assert_eq!(comments.last().unwrap()["body"], "がいどの件");
}
mod defects;
mod rules;
