//! Integration tests through Kyodo's HTTP surface (server functions and routes) on an
//! in-memory database: each test builds its own app, so tests run in parallel.

use crate::common::{TestApp, config, form};
use app::setup::{init_state, router};
use axum::body::Body;
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use tower::ServiceExt;

const CP932: &[u8] = include_bytes!("fixtures/progress_cp932.csv");
const UTF8_BOM: &[u8] = include_bytes!("fixtures/progress_utf8_bom.csv");
const ERRORS: &[u8] = include_bytes!("fixtures/progress_errors.csv");

#[tokio::test]
async fn reference_and_demo_data_fill_the_matrix() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("govtech_advisor").await;
    let matrix = app
        .post("/api/get_matrix", "kind=", Some(&cookie))
        .await
        .json();
    assert_eq!(matrix["systems"].as_array().unwrap().len(), 20);
    assert_eq!(matrix["rows"].as_array().unwrap().len(), 62);
    let towns = app
        .post("/api/get_matrix", "kind=town", Some(&cookie))
        .await
        .json();
    assert_eq!(towns["rows"].as_array().unwrap().len(), 5);
    let orgs = app
        .post("/api/list_organisations", "kind=&q=", Some(&cookie))
        .await
        .json();
    assert_eq!(orgs.as_array().unwrap().len(), 64);
    let found = app
        .post(
            "/api/list_organisations",
            "q=%E3%81%A8%E3%81%97%E3%81%BE",
            Some(&cookie),
        )
        .await
        .json();
    assert_eq!(found[0]["name_ja"], "豊島区");
}

/// The `name_ja` of every organisation `list_organisations` finds for `q`.
async fn found(app: &TestApp, cookie: &str, q: &str) -> Vec<String> {
    let reply = app
        .post("/api/list_organisations", &form(&[("q", q)]), Some(cookie))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{q}: {}", reply.body);
    reply
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name_ja"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn organisation_search_folds_katakana_width_and_case() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("city_staff").await;
    for q in [
        "チヨダ",
        "ﾁﾖﾀﾞ",
        "ちよだ",
        "千代田",
        "ＣＨＩＹＯＤＡ",
        "chiyoda",
        "１３１０１６",
    ] {
        assert_eq!(found(&app, &cookie, q).await, vec!["千代田区"], "{q}");
    }
    assert_eq!(found(&app, &cookie, "アオガシマ").await, vec!["青ヶ島村"]);
    assert_eq!(found(&app, &cookie, "青ケ島").await, vec!["青ヶ島村"]);
    assert_eq!(found(&app, &cookie, "桧原").await, vec!["檜原村"]);
    assert_eq!(found(&app, &cookie, "ハチジョウ").await, vec!["八丈町"]);
    assert!(found(&app, &cookie, "オオサカ").await.is_empty());
}

#[tokio::test]
async fn signed_out_callers_are_refused_everywhere() {
    let app = TestApp::new().await;
    for (path, body) in [
        ("/api/get_matrix", "kind="),
        ("/api/list_organisations", ""),
        ("/api/get_home", ""),
        ("/api/get_organisation", "key=131016"),
        ("/api/get_import_run", "id=x"),
    ] {
        let reply = app.post(path, body, None).await;
        assert!(
            !reply.status.is_success(),
            "{path} answered {}",
            reply.status
        );
        assert!(
            reply.body.contains("unauthenticated"),
            "{path}: {}",
            reply.body
        );
    }
    let before = app.snapshot().await;
    let reply = app.upload("kyodo_session=nope", "x.csv", CP932).await;
    assert_eq!(reply.location.as_deref(), Some("/login"));
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn mixed_encoding_file_imports_completely() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("tokyo_officer").await;
    let report = app.import(&cookie, CP932).await;
    assert_eq!(report["applied"], true, "{report}");
    assert_eq!(report["encoding"], "Shift_JIS");
    assert_eq!(report["rows"], 3);
    assert_eq!(
        app.cell("132012", "family_register_annex").await,
        Some(("in_progress".into(), 20))
    );
    assert_eq!(
        app.cell("132047", "child_and_childcare_support").await,
        Some(("in_progress".into(), 25))
    );
    assert_eq!(
        app.cell("133612", "national_health_insurance").await,
        Some(("not_started".into(), 0))
    );
}

#[tokio::test]
async fn utf8_bom_sample_imports_completely() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("admin").await;
    let report = app.import(&cookie, UTF8_BOM).await;
    assert_eq!(report["applied"], true, "{report}");
    assert_eq!(report["rows"], 4);
    assert_eq!(
        app.cell("131164", "resident_registry").await,
        Some(("live".into(), 40))
    );
    assert_eq!(
        app.cell("131016", "resident_registry").await,
        Some(("in_progress".into(), 28))
    );
    let all = app::standardization::repo::all_progress(&app.state.db)
        .await
        .unwrap();
    let chiyoda = all
        .iter()
        .find(|p| p.lg_code.as_str() == "131016" && p.system == "resident_registry")
        .unwrap();
    assert!(chiyoda.special_migration_support);
    assert_eq!(
        chiyoda.extension_target_date.unwrap().to_string(),
        "2028-01-04"
    );
    assert!(!chiyoda.is_demo);
}

#[tokio::test]
async fn a_file_with_bad_lines_writes_nothing_and_reports_each_line() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("tokyo_officer").await;
    let before = app.snapshot().await;
    let report = app.import(&cookie, ERRORS).await;
    assert_eq!(report["applied"], false);
    let lines: Vec<u64> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![3, 4, 5]);
    assert_eq!(app.snapshot().await, before, "nothing may be written");
}

#[tokio::test]
async fn a_second_import_changes_one_cell() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("ward_cio").await;
    let first = "団体コード,業務,進捗状況,完了ステップ数,ベンダ\n131164,1,作業中,10,ベンダA\n131164,2,作業中,12,ベンダA\n131164,3,未着手,0,ベンダA\n";
    let report = app.import(&cookie, first.as_bytes()).await;
    assert_eq!(report["applied"], true, "{report}");
    let second = first.replace("131164,2,作業中,12", "131164,2,作業中,14");
    let report = app.import(&cookie, second.as_bytes()).await;
    assert_eq!(report["changes"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["unchanged"], 2);
    assert_eq!(report["changes"][0]["system"], "electoral_roll");
    assert_eq!(report["changes"][0]["fields"], serde_json::json!(["steps"]));
    assert_eq!(
        app.cell("131164", "electoral_roll").await,
        Some(("in_progress".into(), 14))
    );
}

#[tokio::test]
async fn municipal_staff_import_only_their_own_rows() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("ward_cio").await;
    let before = app.snapshot().await;
    let csv = "団体コード,業務,進捗状況,完了ステップ数\n131164,1,作業中,13\n131016,1,作業中,13\n";
    let report = app.import(&cookie, csv.as_bytes()).await;
    assert_eq!(report["applied"], false);
    assert_eq!(report["errors"][0]["line"], 3);
    assert_eq!(report["errors"][0]["kind"]["code"], "not_your_municipality");
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn advisors_may_not_import_and_others_may_not_read_a_run() {
    let app = TestApp::new().await;
    let advisor = app.sign_in("govtech_advisor").await;
    let reply = app.upload(&advisor, "x.csv", CP932).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let ward = app.sign_in("ward_cio").await;
    let upload = app
        .upload(
            &ward,
            "x.csv",
            "団体コード,業務,進捗状況\n131164,1,未着手\n".as_bytes(),
        )
        .await;
    let id = upload
        .location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let city = app.sign_in("city_staff").await;
    let reply = app
        .post("/api/get_import_run", &format!("id={id}"), Some(&city))
        .await;
    assert!(reply.body.contains("not_found"), "{}", reply.body);
    let officer = app.sign_in("tokyo_officer").await;
    let reply = app
        .post("/api/get_import_run", &format!("id={id}"), Some(&officer))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn export_is_excel_ready_and_neutralizes_formulas() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("tokyo_officer").await;
    let csv = "lg_code,system,status,steps_done,vendor\n131016,1,in_progress,3,=HYPERLINK(\"http://x\")\n";
    assert_eq!(app.import(&cookie, csv.as_bytes()).await["applied"], true);
    let reply = app
        .send(
            Request::get("/standardization/export.csv")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.starts_with('\u{feff}'));
    assert_eq!(reply.body.lines().count(), 1 + 62 * 20);
    assert!(
        reply.body.contains("'=HYPERLINK"),
        "formula not neutralized"
    );
    let anonymous = app
        .send(
            Request::get("/standardization/export.csv")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn demo_sign_in_refuses_unknown_personas_and_is_off_without_demo_mode() {
    let app = TestApp::new().await;
    let reply = app.post("/api/demo_sign_in", "persona=root", None).await;
    assert!(reply.body.contains("invalid"), "{}", reply.body);
    let off = TestApp::with("mem://", false).await;
    let reply = off.post("/api/demo_sign_in", "persona=admin", None).await;
    assert!(reply.body.contains("demo_disabled"), "{}", reply.body);
}

#[tokio::test]
async fn sign_in_issues_a_new_session_and_sign_out_ends_it() {
    let app = TestApp::new().await;
    let first = app.sign_in("city_staff").await;
    let second = app
        .post("/api/demo_sign_in", "persona=city_staff", Some(&first))
        .await
        .cookie
        .unwrap();
    assert_ne!(first, second, "the session id must change at sign-in");
    let me = app
        .post("/api/current_user", "", Some(&second))
        .await
        .json();
    assert_eq!(me["organisation"]["name_ja"], "八王子市");
    let old = app.post("/api/current_user", "", Some(&first)).await;
    assert_eq!(
        old.body, "null",
        "the old session id must no longer sign in"
    );
    app.post("/api/sign_out", "", Some(&second)).await;
    let after = app.post("/api/current_user", "", Some(&second)).await;
    assert_eq!(after.body, "null");
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = TestApp::new().await;
    let request = Request::post("/api/demo_sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from("persona=admin"))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.cookie.is_none());
}

#[tokio::test]
async fn restart_on_the_same_data_folder_keeps_everything_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("surrealkv://{}", dir.path().join("db").display());
    let (before, cookie_count) = {
        let app = TestApp::with(&url, true).await;
        let cookie = app.sign_in("tokyo_officer").await;
        assert_eq!(app.import(&cookie, CP932).await["applied"], true);
        let snapshot = app.snapshot().await;
        (snapshot, app.state.catalog.organisations.len())
    };
    // The first instance's engine releases the folder lock once its last handle is gone.
    let options = LeptosOptions::builder().output_name("kyodo").build();
    let mut state = None;
    for _ in 0..100 {
        match init_state(&config(&url, true), options.clone()).await {
            Ok(s) => {
                state = Some(s);
                break;
            }
            Err(e) if format!("{e:#}").contains("locked") => {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await
            }
            Err(e) => panic!("restart failed: {e:#}"),
        }
    }
    let state = state.expect("the data folder stayed locked after the first instance stopped");
    let app = TestApp {
        router: router(state.clone(), &config(&url, true)),
        state,
    };
    assert_eq!(
        app.snapshot().await,
        before,
        "restart must neither lose nor duplicate data"
    );
    assert_eq!(app.state.catalog.organisations.len(), cookie_count);
    assert_eq!(
        app::standardization::repo::all_progress(&app.state.db)
            .await
            .unwrap()
            .len(),
        62 * 20
    );
}

#[tokio::test]
async fn a_malformed_server_function_call_gets_a_clear_error() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("admin").await;
    let reply = app.post("/api/get_organisation", "", Some(&cookie)).await;
    assert!(
        reply.status.is_client_error() || reply.status.is_server_error(),
        "{}",
        reply.status
    );
    assert!(
        reply.body.contains("\"code\":\"request\""),
        "{}",
        reply.body
    );
    let unknown = app
        .post("/api/get_matrix", "kind=county", Some(&cookie))
        .await;
    assert!(
        unknown.body.contains("\"field\":\"kind\""),
        "{}",
        unknown.body
    );
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_a_script_nonce() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("ward_cio").await;
    for path in [
        "/",
        "/login",
        "/orgs",
        "/orgs/131164",
        "/standardization",
        "/standardization/import",
        "/no-such-page",
    ] {
        let reply = app
            .send(
                Request::get(path)
                    .header(header::COOKIE, &cookie)
                    .header(header::ACCEPT, "text/html")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        let expected = if path == "/no-such-page" {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        assert_eq!(reply.status, expected, "{path}");
        let response = app
            .router
            .clone()
            .oneshot(
                Request::get(path)
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let headers = response.headers();
        let csp = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap_or_else(|| panic!("{path}: no CSP"))
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(
            headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            headers.get(header::X_FRAME_OPTIONS).unwrap(),
            "DENY",
            "{path}"
        );
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .expect("nonce in CSP");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let html = String::from_utf8_lossy(&body);
        let scripts: Vec<&str> = html
            .split("<script")
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or(""))
            .collect();
        assert!(!scripts.is_empty(), "{path}: no scripts");
        for tag in scripts {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: script without the CSP nonce: <script{tag}>"
            );
        }
    }
}

#[tokio::test]
async fn accounts_are_managed_by_admins_and_own_org_cios_only() {
    let app = TestApp::new().await;
    let admin = app.sign_in("admin").await;
    let all = app.post("/api/list_users", "", Some(&admin)).await.json();
    assert_eq!(all.as_array().unwrap().len(), 6, "{all}");
    let cio = app.sign_in("ward_cio").await;
    let own = app.post("/api/list_users", "", Some(&cio)).await.json();
    let orgs: Vec<&str> = own
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["organisation"]["key"].as_str().unwrap())
        .collect();
    assert_eq!(orgs, vec!["131164"]);
    let staff = app.sign_in("city_staff").await;
    assert!(
        app.post("/api/list_users", "", Some(&staff))
            .await
            .body
            .contains("forbidden")
    );
    // A CIO may not manage another organisation's account, nor grant a central role.
    let reply = app
        .post(
            "/api/set_user_access",
            "user_id=demo_city_staff&status=disabled&role=staff",
            Some(&cio),
        )
        .await;
    assert!(reply.body.contains("forbidden"), "{}", reply.body);
    let reply = app
        .post(
            "/api/set_user_access",
            "user_id=demo_admin&status=active&role=admin",
            Some(&staff),
        )
        .await;
    assert!(reply.body.contains("forbidden"), "{}", reply.body);
    // Nobody changes their own account.
    let reply = app
        .post(
            "/api/set_user_access",
            "user_id=demo_admin&status=disabled&role=admin",
            Some(&admin),
        )
        .await;
    assert!(
        reply.body.contains("\"field\":\"user_id\""),
        "{}",
        reply.body
    );
    let reply = app
        .post(
            "/api/set_user_access",
            "user_id=demo_city_staff&status=gone&role=staff",
            Some(&admin),
        )
        .await;
    assert!(
        reply.body.contains("\"field\":\"status\""),
        "{}",
        reply.body
    );
    // Disabling an account ends its sessions.
    let me = app.post("/api/current_user", "", Some(&staff)).await.json();
    assert_eq!(me["id"], "demo_city_staff");
    let reply = app
        .post(
            "/api/set_user_access",
            "user_id=demo_city_staff&status=disabled&role=staff",
            Some(&admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        app.post("/api/current_user", "", Some(&staff)).await.body,
        "null"
    );
    assert!(
        app.post("/api/get_matrix", "kind=", Some(&staff))
            .await
            .body
            .contains("unauthenticated")
    );
}

#[tokio::test]
async fn an_oidc_callback_without_a_sign_in_in_progress_is_refused_and_creates_nothing() {
    let app = TestApp::new().await;
    let reply = app
        .send(
            Request::get("/auth/oidc/callback?code=abc&state=xyz")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.location.as_deref(),
        Some("/login?oidc_error=no_sign_in_in_progress")
    );
    let reply = app
        .send(
            Request::get("/auth/oidc/nope/start")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        reply.location.as_deref(),
        Some("/login?oidc_error=unknown_provider")
    );
    let admin = app.sign_in("admin").await;
    assert_eq!(
        app.post("/api/list_users", "", Some(&admin))
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        6
    );
}

#[tokio::test]
async fn sign_in_attempts_and_posts_are_rate_limited() {
    let mut c = config("mem://", true);
    c.rate_limits = app::auth::rate_limit::RateLimits {
        sign_in_per_minute: 3,
        posts_per_second: 2,
    };
    let app = TestApp::with_config(c).await;
    for _ in 0..3 {
        app.sign_in("admin").await;
    }
    let reply = app.post("/api/demo_sign_in", "persona=admin", None).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.body.contains("Too many requests"));
    // Posts per session: a burst of 5 × 2 passes, then 429.
    let cookie = "kyodo_session=someone";
    let statuses: Vec<StatusCode> = post_eleven_times(&app, cookie).await;
    assert!(
        statuses[..10]
            .iter()
            .all(|s| *s != StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
}

async fn post_eleven_times(app: &TestApp, cookie: &str) -> Vec<StatusCode> {
    let mut out = Vec::new();
    for _ in 0..11 {
        out.push(app.post("/api/current_user", "", Some(cookie)).await.status);
    }
    out
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_the_user() {
    let app = TestApp::new().await;
    let laptop = app.sign_in("town_staff").await;
    let phone = app.sign_in("town_staff").await;
    let other = app.sign_in("city_staff").await;
    assert_ne!(laptop, phone);
    app.post("/api/sign_out_everywhere", "", Some(&laptop))
        .await;
    assert_eq!(
        app.post("/api/current_user", "", Some(&laptop)).await.body,
        "null"
    );
    assert_eq!(
        app.post("/api/current_user", "", Some(&phone)).await.body,
        "null"
    );
    let still = app.post("/api/current_user", "", Some(&other)).await.json();
    assert_eq!(
        still["id"], "demo_city_staff",
        "other users keep their sessions"
    );
}

#[tokio::test]
async fn concurrent_requests_of_one_session_all_succeed() {
    let app = TestApp::new().await;
    let cookie = app.sign_in("ward_cio").await;
    let calls = (0..20).map(|_| app.post("/api/get_home", "", Some(&cookie)));
    let replies = futures::future::join_all(calls).await;
    for reply in replies {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
}

#[tokio::test]
async fn server_function_errors_carry_their_http_status_and_no_internal_detail() {
    let app = TestApp::new().await;
    let staff = app.sign_in("city_staff").await;
    assert_eq!(
        app.post("/api/list_users", "", Some(&staff)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post("/api/get_matrix", "", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.post("/api/get_organisation", "key=999999", Some(&staff))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post("/api/get_import_run", "id=%20", Some(&staff))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let bad = app
        .post("/api/set_user_access", "status=active", Some(&staff))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.body, r#"{"code":"request"}"#,
        "no parser detail in the answer"
    );
}

/// The policy's endpoint table lists exactly the endpoints the router serves: a server
/// function or route added without a rule fails here, and so does a rule left for an endpoint
/// that is gone.
#[test]
fn the_endpoint_table_lists_exactly_the_served_endpoints() {
    let served = app::setup::endpoints();
    let mut listed: Vec<String> = app::policy::SERVER_FUNCTIONS
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    listed.sort();
    let missing: Vec<&String> = served.iter().filter(|e| !listed.contains(e)).collect();
    let stale: Vec<&String> = listed.iter().filter(|e| !served.contains(e)).collect();
    assert!(missing.is_empty(), "served without a rule: {missing:?}");
    assert!(stale.is_empty(), "a rule for no endpoint: {stale:?}");
    let mut unique = listed.clone();
    unique.dedup();
    assert_eq!(unique, listed, "an endpoint listed twice");
    assert!(served.len() > 30, "{served:?}");
}
