//! Joint projects: the lifecycle rules (window by server time, two municipalities for 参加確定,
//! only the lead moves it, read-only once closed), joining once per municipality under
//! concurrency, cost shares that add up, and private projects invisible to the uninvited.

use crate::common::{TestApp, TestUser, form};
use app::auth::model::Role;
use app::projects::model::ProjectStatus;
use app::projects::views::{ProjectListView, ProjectPageView};
use http::StatusCode;
use serde_json::Value;

const TOSHIMA: &str = "131164";
const HACHIOJI: &str = "132012";
const CHIYODA: &str = "131016";

/// A `datetime-local` value (Japan time) `hours` from now.
fn jst_in(hours: i64) -> String {
    let jst = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    (chrono::Utc::now() + chrono::Duration::hours(hours))
        .with_timezone(&jst)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Creates a project with `extra` fields over a valid joint procurement led by GovTech Tokyo;
/// returns its key (found by its unique title).
async fn create(app: &TestApp, who: &TestUser, extra: &[(&str, &str)]) -> String {
    let title = format!("庁内PCの共同調達 {}", app::ids::random_key());
    let mut fields: Vec<(&str, &str)> = vec![
        ("kind", "joint_procurement"),
        ("lead", "govtech_tokyo"),
        ("title", &title),
        ("summary", "端末を共同で調達します"),
        ("tags", "PC、端末"),
        ("systems[0]", "resident_registry"),
        ("visibility", "council"),
        ("unit", "台"),
        ("base_cost_yen", "1,000,001"),
        ("split", "equal"),
    ];
    for (k, v) in extra {
        fields.retain(|(f, _)| f != k);
        fields.push((k, v));
    }
    let reply = app
        .post("/api/create_project", &form(&fields), Some(&who.cookie))
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    let list: ProjectListView = app
        .post(
            "/api/list_projects",
            &form(&[("q", title.as_str())]),
            Some(&who.cookie),
        )
        .await
        .decode();
    assert_eq!(list.items.len(), 1, "{title}");
    list.items[0].card.id.to_string()
}

async fn page(app: &TestApp, who: &TestUser, id: &str) -> (StatusCode, Option<ProjectPageView>) {
    let reply = app
        .post("/api/get_project", &form(&[("id", id)]), Some(&who.cookie))
        .await;
    let view = reply.status.is_success().then(|| reply.decode());
    (reply.status, view)
}

async fn moved(
    app: &TestApp,
    who: &TestUser,
    id: &str,
    to: &str,
    extra: &[(&str, &str)],
) -> (StatusCode, Value) {
    let version = page(app, who, id)
        .await
        .1
        .map(|v| v.project.version)
        .unwrap_or_default();
    let mut fields: Vec<(&str, &str)> = vec![("id", id), ("version", &version), ("to", to)];
    fields.extend_from_slice(extra);
    let reply = app
        .post("/api/move_project", &form(&fields), Some(&who.cookie))
        .await;
    let body = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    (reply.status, body)
}

fn ok(status: StatusCode) -> bool {
    status.is_success() || status.is_redirection()
}

async fn open(app: &TestApp, who: &TestUser, id: &str) {
    let (opens, closes) = (jst_in(-1), jst_in(48));
    let (status, body) = moved(
        app,
        who,
        id,
        "open",
        &[("opens_at", &opens), ("closes_at", &closes)],
    )
    .await;
    assert!(ok(status), "{status} {body}");
}

async fn join(app: &TestApp, who: &TestUser, id: &str, quantity: &str) -> (StatusCode, Value) {
    let reply = app
        .post(
            "/api/join_project",
            &form(&[("id", id), ("quantity", quantity), ("note", "")]),
            Some(&who.cookie),
        )
        .await;
    (
        reply.status,
        serde_json::from_str(&reply.body).unwrap_or(Value::Null),
    )
}

async fn participants(app: &TestApp, id: &str) -> usize {
    let mut r = app
        .state
        .db
        .query(
            "SELECT VALUE id FROM project_participant WHERE project = type::record('project', $id)",
        )
        .bind(("id", id.to_owned()))
        .await
        .unwrap();
    let ids: Vec<Value> = r.take(0).unwrap();
    ids.len()
}

#[tokio::test]
async fn a_project_goes_from_draft_to_closed_with_every_rule_enforced() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let toshima = app.user(Role::Cio, TOSHIMA).await;
    let hachioji = app.user(Role::Staff, HACHIOJI).await;
    let id = create(&app, &advisor, &[]).await;

    // A draft is the lead's: a municipality does not see it at all.
    assert_eq!(page(&app, &toshima, &id).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        join(&app, &toshima, &id, "10").await.0,
        StatusCode::NOT_FOUND
    );

    // A window that closes before it opens, or in the past, is refused with its field.
    let (status, body) = moved(
        &app,
        &advisor,
        &id,
        "open",
        &[("opens_at", &jst_in(5)), ("closes_at", &jst_in(2))],
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("closes_at")),
        "{body}"
    );
    let (status, body) = moved(
        &app,
        &advisor,
        &id,
        "open",
        &[("opens_at", &jst_in(-5)), ("closes_at", &jst_in(-2))],
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("closes_at")),
        "{body}"
    );
    open(&app, &advisor, &id).await;

    // One municipality is not enough to confirm.
    assert!(ok(join(&app, &toshima, &id, "40").await.0));
    let (status, body) = moved(&app, &advisor, &id, "confirmed", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // Joining twice is "already joined", not a second row.
    let (status, body) = join(&app, &toshima, &id, "5").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["en"].as_str().unwrap().contains("already joined"),
        "{body}"
    );
    assert!(ok(join(&app, &hachioji, &id, "20").await.0));
    assert_eq!(participants(&app, &id).await, 2);

    // Shares of ¥1,000,001 split equally: whole yen adding up to the total, the odd yen to the
    // lowest code (largest remainder, ties by code).
    let (_, view) = page(&app, &toshima, &id).await;
    let view = view.unwrap();
    let shares: Vec<i64> = view.shares.iter().map(|s| s.base_share_yen).collect();
    assert_eq!(shares.iter().sum::<i64>(), 1_000_001);
    assert_eq!(view.participants[0].org_key, TOSHIMA);
    assert_eq!(shares, vec![500_001, 500_000]);
    assert_eq!(view.own.as_ref().map(|o| o.quantity), Some(40));
    assert!(view.may_join && !view.may_manage && view.window_open);

    // Only the lead (or the secretariat) moves it.
    assert_eq!(
        moved(&app, &toshima, &id, "confirmed", &[]).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, body) = moved(&app, &advisor, &id, "confirmed", &[]).await;
    assert!(ok(status), "{status} {body}");
    // Confirming ends the call: no more joining or withdrawing.
    let (status, body) = join(&app, &app.user(Role::Cio, CHIYODA).await, &id, "1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let reply = app
        .post(
            "/api/withdraw_project",
            &form(&[("id", id.as_str())]),
            Some(&toshima.cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(participants(&app, &id).await, 2);

    // A stale version is refused.
    let reply = app
        .post(
            "/api/move_project",
            &form(&[
                ("id", id.as_str()),
                ("version", "2000-01-01T00:00:00Z"),
                ("to", "tendering"),
            ]),
            Some(&advisor.cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(ok(moved(&app, &advisor, &id, "tendering", &[]).await.0));
    let (status, body) = moved(
        &app,
        &advisor,
        &id,
        "awarded",
        &[("supplier", " "), ("amount_yen", "12,000,000")],
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("supplier")),
        "{body}"
    );
    let (status, body) = moved(
        &app,
        &advisor,
        &id,
        "awarded",
        &[("supplier", "株式会社テスト"), ("amount_yen", "12,000,000")],
    )
    .await;
    assert!(ok(status), "{status} {body}");
    assert!(ok(moved(&app, &advisor, &id, "operating", &[]).await.0));
    assert!(ok(moved(&app, &advisor, &id, "closed", &[]).await.0));

    // Closed is read-only, even for the secretariat.
    let officer = app.user(Role::TokyoOfficer, "130001").await;
    let (status, body) = moved(&app, &officer, &id, "cancelled", &[("reason", "テスト")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // The timeline keeps every transition with who and when; participants were told.
    let view = page(&app, &toshima, &id).await.1.unwrap();
    assert_eq!(view.project.status, ProjectStatus::Closed);
    assert_eq!(view.project.amount_yen, Some(12_000_000));
    let statuses: Vec<String> = view
        .history
        .iter()
        .flat_map(|e| {
            e.changes
                .iter()
                .filter(|c| c.field == "status")
                .map(|c| c.after.clone())
        })
        .collect();
    assert_eq!(
        statuses,
        [
            "closed",
            "operating",
            "awarded",
            "tendering",
            "confirmed",
            "open"
        ]
    );
    assert!(view.history.iter().all(|e| e.actor_name_ja.is_some()));
    let notices: Value = app
        .post("/api/list_notifications", "", Some(&hachioji.cookie))
        .await
        .json();
    assert_eq!(
        notices
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "project_status")
            .count(),
        5,
        "{notices}"
    );
}

#[tokio::test]
async fn joining_is_refused_once_the_window_has_closed_by_server_time() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let toshima = app.user(Role::Cio, TOSHIMA).await;
    let hachioji = app.user(Role::Cio, HACHIOJI).await;
    let id = create(&app, &advisor, &[]).await;
    open(&app, &advisor, &id).await;
    assert!(ok(join(&app, &toshima, &id, "3").await.0));
    // The window closes (as if time passed): the database's clock decides, not the page.
    app.state
        .db
        .query("UPDATE type::record('project', $id) SET closes_at = time::now() - 1s")
        .bind(("id", id.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let (status, body) = join(&app, &hachioji, &id, "3").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["ja"].as_str().unwrap().contains("締め切"), "{body}");
    let change = app
        .post(
            "/api/change_participation",
            &form(&[("id", id.as_str()), ("quantity", "9")]),
            Some(&toshima.cookie),
        )
        .await;
    assert_eq!(change.status, StatusCode::BAD_REQUEST, "{}", change.body);
    let withdraw = app
        .post(
            "/api/withdraw_project",
            &form(&[("id", id.as_str())]),
            Some(&toshima.cookie),
        )
        .await;
    assert_eq!(
        withdraw.status,
        StatusCode::BAD_REQUEST,
        "{}",
        withdraw.body
    );
    assert_eq!(participants(&app, &id).await, 1);
    // Bad quantities are refused with the field named, before the window.
    let (status, body) = join(&app, &hachioji, &id, "0").await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("quantity"))
    );
}

#[tokio::test]
async fn a_hundred_simultaneous_joins_from_fifty_municipalities_leave_fifty_participants() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let id = create(&app, &advisor, &[]).await;
    open(&app, &advisor, &id).await;
    let municipalities: Vec<String> = app
        .state
        .catalog
        .municipalities()
        .take(50)
        .map(|o| o.key.clone())
        .collect();
    let mut users = Vec::new();
    for org in &municipalities {
        for role in [Role::Cio, Role::Staff] {
            users.push(app.user(role, org).await);
        }
    }
    let joins = users.iter().map(|u| join(&app, u, &id, "2"));
    let outcomes = futures::future::join_all(joins).await;
    let accepted = outcomes.iter().filter(|(s, _)| ok(*s)).count();
    for (status, body) in outcomes.iter().filter(|(s, _)| !ok(*s)) {
        assert_eq!(*status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["en"].as_str().unwrap().contains("already joined"),
            "{body}"
        );
    }
    assert_eq!(accepted, 50);
    assert_eq!(participants(&app, &id).await, 50);

    let withdraw_form = form(&[("id", id.as_str())]);
    let withdrawals = users
        .iter()
        .step_by(2)
        .map(|u| app.post("/api/withdraw_project", &withdraw_form, Some(&u.cookie)));
    let outcomes = futures::future::join_all(withdrawals).await;
    assert!(
        outcomes.iter().all(|r| ok(r.status)),
        "{:?}",
        outcomes.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    assert_eq!(participants(&app, &id).await, 0);
}

#[tokio::test]
async fn a_project_for_invited_organisations_is_invisible_to_the_others() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let toshima = app.user(Role::Staff, TOSHIMA).await;
    let hachioji = app.user(Role::Cio, HACHIOJI).await;
    let id = create(
        &app,
        &advisor,
        &[("visibility", "invited"), ("invited[0]", TOSHIMA)],
    )
    .await;
    open(&app, &advisor, &id).await;
    assert!(ok(join(&app, &toshima, &id, "1").await.0));
    assert!(ok(moved(
        &app,
        &advisor,
        &id,
        "cancelled",
        &[("reason", "予算の都合")]
    )
    .await
    .0));

    // Invited: sees it in the list and on its page.
    let list: ProjectListView = app
        .post("/api/list_projects", "", Some(&toshima.cookie))
        .await
        .decode();
    assert!(list.items.iter().any(|p| p.card.id.as_str() == id));
    assert_eq!(page(&app, &toshima, &id).await.0, StatusCode::OK);
    // Not invited: not in the list, its tags or counts, 404 by direct link, no joining.
    let list: ProjectListView = app
        .post("/api/list_projects", "", Some(&hachioji.cookie))
        .await
        .decode();
    assert!(list.items.iter().all(|p| p.card.id.as_str() != id));
    assert!(list.tags.is_empty(), "{:?}", list.tags);
    assert_eq!(page(&app, &hachioji, &id).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        join(&app, &hachioji, &id, "1").await.0,
        StatusCode::NOT_FOUND
    );
    let notices: Value = app
        .post("/api/list_notifications", "", Some(&hachioji.cookie))
        .await
        .json();
    assert!(notices.as_array().unwrap().is_empty(), "{notices}");
    // Nor in the CSV download, which the invited municipality gets with it (BOM, Japanese).
    let csv = app
        .get("/projects/export.csv", Some(&hachioji.cookie))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(!csv.body.contains(&id), "{}", csv.body);
    let csv = app.get("/projects/export.csv", Some(&toshima.cookie)).await;
    assert!(csv.bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let line = csv
        .body
        .lines()
        .find(|l| l.contains(&id))
        .unwrap_or_default()
        .to_owned();
    assert!(line.contains("中止") && line.contains("豊島区"), "{line}");
    assert_eq!(
        app.get("/projects/export.csv", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    // The invited participant was told of the cancellation, with the reason.
    let notices: Value = app
        .post("/api/list_notifications", "", Some(&toshima.cookie))
        .await
        .json();
    assert_eq!(notices[0]["excerpt"], "予算の都合", "{notices}");
}

#[tokio::test]
async fn creating_a_project_checks_the_role_the_lead_and_each_field() {
    let app = TestApp::new().await;
    let cio = app.user(Role::Cio, TOSHIMA).await;
    let staff = app.user(Role::Staff, TOSHIMA).await;
    let post = |who: &TestUser, fields: Vec<(&'static str, &'static str)>| {
        let cookie = who.cookie.clone();
        let app = &app;
        async move {
            let mut all = vec![
                ("kind", "municipal_proposal"),
                ("lead", TOSHIMA),
                ("title", "共同利用の提案"),
            ];
            for (k, v) in fields {
                all.retain(|(f, _)| *f != k);
                all.push((k, v));
            }
            let reply = app
                .post("/api/create_project", &form(&all), Some(&cookie))
                .await;
            (
                reply.status,
                serde_json::from_str::<Value>(&reply.body).unwrap_or(Value::Null),
            )
        }
    };
    // A CIO proposes for their own municipality only, and only a 区市町村提案.
    assert!(ok(post(&cio, vec![]).await.0));
    assert_eq!(
        post(&cio, vec![("lead", CHIYODA)]).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&cio, vec![("kind", "joint_procurement")]).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(post(&staff, vec![]).await.0, StatusCode::FORBIDDEN);
    // Each bad field is named.
    for (fields, field) in [
        (vec![("title", "  ")], "title"),
        (vec![("kind", "lottery")], "kind"),
        (vec![("base_cost_yen", "-1")], "base_cost_yen"),
        (vec![("systems[0]", "not_a_system")], "systems"),
        (vec![("visibility", "invited")], "invited"),
        (vec![("lead", "nowhere")], "lead"),
    ] {
        let (status, body) = post(&cio, fields).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some(field)),
            "{body}"
        );
    }
    // Markdown is rendered sanitized.
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let id = create(
        &app,
        &advisor,
        &[("description", "**太字** <script>alert(1)</script>")],
    )
    .await;
    let view = page(&app, &advisor, &id).await.1.unwrap();
    assert!(view.description_html.contains("<strong>太字</strong>"));
    assert!(!view.description_html.contains("<script"));
}

#[tokio::test]
async fn questions_on_a_project_notify_its_lead_and_participants_only() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let toshima = app.user(Role::Cio, TOSHIMA).await;
    let hachioji = app.user(Role::Cio, HACHIOJI).await;
    let chiyoda = app.user(Role::Cio, CHIYODA).await;
    let id = create(
        &app,
        &advisor,
        &[
            ("visibility", "invited"),
            ("invited[0]", TOSHIMA),
            ("invited[1]", HACHIOJI),
        ],
    )
    .await;
    open(&app, &advisor, &id).await;
    assert!(ok(join(&app, &toshima, &id, "4").await.0));
    let post = |who: &TestUser, body: &'static str, reply_to: String| {
        let cookie = who.cookie.clone();
        let (app, id) = (&app, id.clone());
        async move {
            app.post(
                "/api/post_project_comment",
                &form(&[
                    ("id", id.as_str()),
                    ("body", body),
                    ("reply_to", reply_to.as_str()),
                ]),
                Some(&cookie),
            )
            .await
        }
    };
    // Invited, not yet joined: may ask. Not invited: the project does not exist for them.
    assert!(ok(post(
        &hachioji,
        "**単価**はいつ決まりますか？",
        String::new()
    )
    .await
    .status));
    assert_eq!(
        post(&chiyoda, "見えますか", String::new()).await.status,
        StatusCode::NOT_FOUND
    );
    let view = page(&app, &advisor, &id).await.1.unwrap();
    assert_eq!(view.posts.len(), 1);
    assert!(view.posts[0].body_html.contains("<strong>単価</strong>"));
    let question = view.posts[0].id.to_string();
    assert!(ok(post(&advisor, "12月中に決まります。", question.clone())
        .await
        .status));
    // A reply to a post of another thread is refused.
    let reply = post(&advisor, "x", "notapost".into()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let kinds = |v: Value| -> usize {
        v.as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "project_comment")
            .count()
    };
    // The lead was told of the question; the asker and the participant of the answer.
    let advisor_inbox = app
        .post("/api/list_notifications", "", Some(&advisor.cookie))
        .await
        .json();
    assert_eq!(kinds(advisor_inbox), 1);
    let asker_inbox = app
        .post("/api/list_notifications", "", Some(&hachioji.cookie))
        .await
        .json();
    assert_eq!(kinds(asker_inbox), 1);
    let participant_inbox = app
        .post("/api/list_notifications", "", Some(&toshima.cookie))
        .await
        .json();
    assert_eq!(kinds(participant_inbox), 2);
    let outsider_inbox = app
        .post("/api/list_notifications", "", Some(&chiyoda.cookie))
        .await
        .json();
    assert_eq!(kinds(outsider_inbox), 0);
    let view = page(&app, &advisor, &id).await.1.unwrap();
    assert_eq!(
        view.posts[1].reply_to.as_ref().map(|p| p.to_string()),
        Some(question)
    );
}

#[tokio::test]
async fn the_partner_finder_suggests_municipalities_from_the_tracker_to_the_lead_only() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let toshima = app.user(Role::Cio, TOSHIMA).await;
    let hachioji = app.user(Role::Cio, HACHIOJI).await;
    // 豊島区 and 八王子市 report the same vendor for 住民基本台帳; 千代田区 another one.
    for (lg, vendor) in [
        (TOSHIMA, "共同ベンダ"),
        (HACHIOJI, "共同ベンダ"),
        (CHIYODA, "別ベンダ"),
    ] {
        app.state
            .db
            .query(
                "BEGIN TRANSACTION;
                 UPSERT change_counter:progress SET value = (value ?? 0) + 1;
                 UPDATE type::record('migration_progress', $key) SET status = 'in_progress',
                    vendor = $vendor, gov_cloud = NONE, planned_go_live = NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("key", format!("{lg}_resident_registry")))
            .bind(("vendor", vendor.to_owned()))
            .await
            .unwrap()
            .check()
            .unwrap();
    }
    let id = create(&app, &advisor, &[]).await;
    open(&app, &advisor, &id).await;
    assert!(ok(join(&app, &toshima, &id, "4").await.0));
    let reply = app
        .post(
            "/api/get_partner_suggestions",
            &form(&[("id", id.as_str())]),
            Some(&advisor.cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let found: Vec<app::shell::projects::SuggestedPartner> = reply.decode();
    let keys: Vec<&str> = found.iter().map(|s| s.org_key.as_str()).collect();
    assert_eq!(keys, [HACHIOJI], "{found:?}");
    assert!(found[0].reasons_ja[0].contains("共同ベンダ"), "{found:?}");
    // Not the lead: no access to the finder.
    let reply = app
        .post(
            "/api/get_partner_suggestions",
            &form(&[("id", id.as_str())]),
            Some(&toshima.cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // 八王子市's home page offers the project, with the reason; 豊島区's lists it as its own.
    let home: app::shell::projects::HomeProjects = app
        .post("/api/get_home_projects", "", Some(&hachioji.cookie))
        .await
        .decode();
    assert_eq!(home.could_join.len(), 1);
    assert_eq!(home.could_join[0].id, id);
    let home: app::shell::projects::HomeProjects = app
        .post("/api/get_home_projects", "", Some(&toshima.cookie))
        .await
        .decode();
    assert_eq!((home.mine.len(), home.could_join.len()), (1, 0));
}

mod ocds {
    //! The OCDS output of a project taken through every stage, validated against the official
    //! OCDS 1.1.5 schemas (`fixtures/ocds/`, draft-04, with the Budget Breakdown extension that
    //! carries the participants' shares).

    use super::*;
    use jsonschema::{Draft, Registry, Resource, Validator};

    const SCHEMA_BASE: &str = "https://standard.open-contracting.org/schema/1__1__5/";

    fn schema(name: &str) -> Value {
        let path = format!(
            "{}/tests/it/fixtures/ocds/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path)
    }

    /// RFC 7386 JSON Merge Patch, as OCDS tooling applies an extension to the core schema.
    fn merge_patch(target: &mut Value, patch: &Value) {
        let Value::Object(patch) = patch else {
            *target = patch.clone();
            return;
        };
        if !target.is_object() {
            *target = serde_json::json!({});
        }
        let target = target.as_object_mut().unwrap();
        for (k, v) in patch {
            if v.is_null() {
                target.remove(k);
            } else {
                merge_patch(target.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }

    fn validator(schema: &Value, registry: Option<&Registry>) -> Validator {
        let mut options = jsonschema::options()
            .with_draft(Draft::Draft4)
            .should_validate_formats(true);
        if let Some(registry) = registry {
            options = options.with_registry(registry);
        }
        options.build(schema).expect("schema compiles")
    }

    fn assert_valid(v: &Validator, instance: &Value, label: &str) {
        let errors: Vec<String> = v
            .iter_errors(instance)
            .map(|e| format!("  {} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{label} is invalid:\n{}\n{instance:#}",
            errors.join("\n")
        );
    }

    #[tokio::test]
    async fn a_project_through_every_stage_is_valid_ocds() {
        let app = TestApp::new().await;
        let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
        let toshima = app.user(Role::Cio, TOSHIMA).await;
        let hachioji = app.user(Role::Staff, HACHIOJI).await;
        let id = create(&app, &advisor, &[]).await;
        open(&app, &advisor, &id).await;
        assert!(ok(join(&app, &toshima, &id, "40").await.0));
        assert!(ok(join(&app, &hachioji, &id, "20").await.0));
        for (to, extra) in [
            ("confirmed", vec![]),
            ("tendering", vec![]),
            (
                "awarded",
                vec![("supplier", "株式会社テスト"), ("amount_yen", "12,000,000")],
            ),
            ("operating", vec![]),
            ("closed", vec![]),
        ] {
            let (status, body) = moved(&app, &advisor, &id, to, &extra).await;
            assert!(ok(status), "{to}: {status} {body}");
        }
        let reply = app
            .get(&format!("/projects/{id}/ocds.json"), Some(&toshima.cookie))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let disposition = reply.headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment; filename=\"ocds_release_package.json\""));
        let package = reply.json();

        let core = schema("release-schema.json");
        let mut extended = core.clone();
        merge_patch(
            &mut extended,
            &schema("budget-breakdown-extension-release-schema.json"),
        );
        let releases = package["releases"].as_array().unwrap();
        let tags: Vec<Value> = releases.iter().map(|r| r["tag"].clone()).collect();
        assert_eq!(
            tags,
            [
                serde_json::json!(["planning"]),
                serde_json::json!(["planningUpdate"]),
                serde_json::json!(["planningUpdate"]),
                serde_json::json!(["tender"]),
                serde_json::json!(["award", "contract"]),
                serde_json::json!(["implementation"]),
                serde_json::json!(["contractTermination"]),
            ]
        );
        for (schema, label) in [(&core, "core"), (&extended, "with budget breakdown")] {
            let v = validator(schema, None);
            for release in releases {
                assert_valid(&v, release, &format!("release {} ({label})", release["id"]));
            }
        }
        let last = releases.last().unwrap();
        assert_eq!(
            last["ocid"],
            format!("{}-{id}", app::config::DEFAULT_OCDS_PREFIX)
        );
        assert_eq!(
            last["awards"][0]["value"],
            serde_json::json!({"amount": 12_000_000, "currency": "JPY"})
        );
        let buyers: Vec<&str> = last["parties"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["roles"].as_array().unwrap().iter().any(|r| r == "buyer"))
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        for name in ["豊島区", "八王子市"] {
            assert!(buyers.contains(&name), "{buyers:?}");
        }

        let resources: Vec<(String, Resource)> = [
            "release-schema.json",
            "versioned-release-validation-schema.json",
        ]
        .into_iter()
        .map(|n| {
            (
                format!("{SCHEMA_BASE}{n}"),
                Resource::from_contents(schema(n)),
            )
        })
        .collect();
        let registry = Registry::new()
            .draft(Draft::Draft4)
            .extend(resources)
            .and_then(|b| b.prepare())
            .expect("registry");
        let v = validator(&schema("release-package-schema.json"), Some(&registry));
        assert_valid(&v, &package, "release package");
        let record = app
            .get(
                &format!("/projects/{id}/ocds-record.json"),
                Some(&toshima.cookie),
            )
            .await
            .json();
        let v = validator(&schema("record-package-schema.json"), Some(&registry));
        assert_valid(&v, &record, "record package");
        assert_eq!(
            record["records"][0]["compiledRelease"]["tag"],
            serde_json::json!(["compiled"])
        );

        // Someone who may not see the project gets no open data of it.
        let private = create(
            &app,
            &advisor,
            &[("visibility", "invited"), ("invited[0]", TOSHIMA)],
        )
        .await;
        let outsider = app.user(Role::Cio, CHIYODA).await;
        let reply = app
            .get(
                &format!("/projects/{private}/ocds.json"),
                Some(&outsider.cookie),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_confirmation_racing_a_withdrawal_never_leaves_fewer_than_two_participants() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let toshima = app.user(Role::Cio, TOSHIMA).await;
    let hachioji = app.user(Role::Cio, HACHIOJI).await;
    for round in 0..12 {
        let id = create(&app, &advisor, &[]).await;
        open(&app, &advisor, &id).await;
        assert!(ok(join(&app, &toshima, &id, "1").await.0));
        assert!(ok(join(&app, &hachioji, &id, "1").await.0));
        let withdraw_form = form(&[("id", id.as_str())]);
        let (confirm, withdraw) = tokio::join!(
            moved(&app, &advisor, &id, "confirmed", &[]),
            app.post(
                "/api/withdraw_project",
                &withdraw_form,
                Some(&hachioji.cookie)
            ),
        );
        assert!(
            !(ok(confirm.0) && ok(withdraw.status)),
            "round {round}: both succeeded"
        );
        for status in [confirm.0, withdraw.status] {
            assert!(!status.is_server_error(), "round {round}: {status}");
        }
        let view = page(&app, &advisor, &id).await.1.unwrap();
        if view.project.status == ProjectStatus::Confirmed {
            assert_eq!(view.participants.len(), 2, "round {round}");
        }
    }
}

#[tokio::test]
async fn crafted_values_are_refused_not_guessed() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let officer = app.user(Role::TokyoOfficer, "130001").await;
    let toshima = app.user(Role::Cio, TOSHIMA).await;
    // An advisor posts for GovTech Tokyo only; the secretariat for anyone.
    let reply = app
        .post(
            "/api/create_project",
            &form(&[
                ("kind", "joint_procurement"),
                ("lead", TOSHIMA),
                ("title", "x"),
            ]),
            Some(&advisor.cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    create(&app, &officer, &[("lead", TOSHIMA)]).await;
    // A visibility that is neither of the two fails closed.
    let reply = app
        .post(
            "/api/create_project",
            &form(&[
                ("kind", "joint_procurement"),
                ("lead", "govtech_tokyo"),
                ("title", "x"),
                ("visibility", "Invited"),
            ]),
            Some(&advisor.cookie),
        )
        .await;
    let body: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    assert_eq!(
        (reply.status, body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("visibility"))
    );
    // Repeated systems are stored once.
    let id = create(
        &app,
        &advisor,
        &[
            ("systems[1]", "resident_registry"),
            ("systems[2]", "resident_registry"),
        ],
    )
    .await;
    let view = page(&app, &advisor, &id).await.1.unwrap();
    assert_eq!(view.project.systems, ["resident_registry"]);
    open(&app, &advisor, &id).await;
    // Quantities: grouped digits, full-width digits; nothing else.
    for bad in ["1,0", ",,,3", "+5", "1.5", "0"] {
        let (status, body) = join(&app, &toshima, &id, bad).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("quantity")),
            "{bad} {body}"
        );
    }
    assert!(ok(join(&app, &toshima, &id, "１,２００").await.0));
    assert_eq!(
        page(&app, &toshima, &id)
            .await
            .1
            .unwrap()
            .own
            .unwrap()
            .quantity,
        1_200
    );
    // A contract amount that is not a number of yen is named as such.
    let hachioji = app.user(Role::Cio, HACHIOJI).await;
    assert!(ok(join(&app, &hachioji, &id, "1").await.0));
    assert!(ok(moved(&app, &advisor, &id, "confirmed", &[]).await.0));
    assert!(ok(moved(&app, &advisor, &id, "tendering", &[]).await.0));
    let (status, body) = moved(
        &app,
        &advisor,
        &id,
        "awarded",
        &[("supplier", "株式会社テスト"), ("amount_yen", "-5")],
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("amount_yen")),
        "{body}"
    );
    // A reason that prints nothing is no reason.
    let (status, body) = moved(
        &app,
        &advisor,
        &id,
        "cancelled",
        &[("reason", "\u{200b}\u{202e}")],
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason")),
        "{body}"
    );
}

/// The list of `who`, page `n` (from 0) with `fields` as filters.
async fn list(app: &TestApp, who: &TestUser, n: u32, fields: &[(&str, &str)]) -> ProjectListView {
    let page = n.to_string();
    let mut fields = fields.to_vec();
    fields.push(("page", page.as_str()));
    app.post("/api/list_projects", &form(&fields), Some(&who.cookie))
        .await
        .decode()
}

#[tokio::test]
async fn the_list_is_paged_and_current_on_every_server() {
    use app::projects::model::PAGE_SIZE;
    let app = TestApp::new().await;
    let other = app.second_server();
    let officer = app.user(Role::TokyoOfficer, "130001").await;
    let hachioji = app.user(Role::Cio, HACHIOJI).await;
    // 65 projects as demo mode stores them: every kind and status, some for invited
    // municipalities only, with participants.
    let municipalities: Vec<_> = app.state.catalog.municipalities().cloned().collect();
    let systems: Vec<String> = app
        .state
        .catalog
        .systems
        .iter()
        .map(|s| s.code.clone())
        .collect();
    let demo = app::projects::demo::generate(65, &municipalities, &systems, chrono::Utc::now());
    let actor = app::ids::UserId::from(officer.id.as_str());
    assert_eq!(
        app::projects::repo::insert_demo(&app.state.db, &demo, &actor)
            .await
            .unwrap(),
        65
    );
    assert_eq!(
        app::projects::repo::insert_demo(&app.state.db, &demo, &actor)
            .await
            .unwrap(),
        0,
        "demo projects are stored into an empty table only"
    );

    // The secretariat sees all 65 over three pages, each once, open calls first.
    let pages = [
        list(&app, &officer, 0, &[]).await,
        list(&app, &officer, 1, &[]).await,
        list(&app, &officer, 2, &[]).await,
    ];
    let sizes: Vec<(usize, bool)> = pages.iter().map(|p| (p.items.len(), p.more)).collect();
    assert_eq!(sizes, [(PAGE_SIZE, true), (PAGE_SIZE, true), (5, false)]);
    let mut keys: Vec<String> = pages
        .iter()
        .flat_map(|p| p.items.iter().map(|i| i.card.id.to_string()))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 65);
    let first = &pages[0].items;
    let open_calls = first.iter().take_while(|i| i.days_left.is_some()).count();
    assert!(
        open_calls > 0
            && first[..open_calls]
                .windows(2)
                .all(|w| w[0].days_left <= w[1].days_left)
    );
    assert!(
        pages
            .iter()
            .flat_map(|p| &p.items)
            .skip(open_calls)
            .all(|i| i.days_left.is_none())
    );
    // Counts come from the participations.
    let counted = demo
        .iter()
        .find(|d| d.id == first[0].card.id.as_str())
        .unwrap();
    assert_eq!(first[0].participants as usize, counted.members.len());

    // A municipality not invited to a project never sees it, on any page or in the tags.
    let mut seen = Vec::new();
    for n in 0..3 {
        seen.extend(list(&app, &hachioji, n, &[]).await.items);
    }
    let hidden: Vec<&app::projects::demo::DemoProject> = demo
        .iter()
        .filter(|d| {
            d.status == "draft"
                || (d.visibility == "invited" && !d.invited.contains(&HACHIOJI.to_owned()))
        })
        .collect();
    assert!(!hidden.is_empty());
    assert!(
        seen.iter()
            .all(|i| !hidden.iter().any(|h| h.id == i.card.id.as_str()))
    );
    assert_eq!(seen.len(), 65 - hidden.len());
    assert!(seen.iter().filter(|i| i.joined).all(|i| {
        demo.iter()
            .any(|d| d.id == i.card.id.as_str() && d.members.iter().any(|m| m.org == HACHIOJI))
    }));

    // A project created through one server is on the other's list at once, and so is its
    // move to 参加募集 (each server's list follows the change counter in the database).
    assert_eq!(list(&other, &officer, 0, &[]).await.items.len(), PAGE_SIZE);
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let id = create(&other, &advisor, &[]).await;
    let drafts = list(&app, &officer, 0, &[("status", "draft")]).await;
    assert!(
        drafts.items.iter().any(|i| i.card.id.as_str() == id),
        "a new draft is listed on the other server"
    );
    open(&app, &advisor, &id).await;
    let open_now = list(&other, &officer, 0, &[("status", "open")]).await;
    let item = open_now
        .items
        .iter()
        .find(|i| i.card.id.as_str() == id)
        .expect("moved on the other server");
    assert_eq!(item.card.status, ProjectStatus::Open);
}

/// A tiny valid-looking PDF (its magic number is what counts).
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

#[tokio::test]
async fn documents_are_added_by_the_lead_and_served_only_to_those_who_may_see_the_project() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let toshima = app.user(Role::Staff, TOSHIMA).await;
    let toshima_cio = app.user(Role::Cio, TOSHIMA).await;
    let hachioji = app.user(Role::Cio, HACHIOJI).await;
    let id = create(
        &app,
        &advisor,
        &[("visibility", "invited"), ("invited[0]", TOSHIMA)],
    )
    .await;
    open(&app, &advisor, &id).await;
    let upload_path = format!("/projects/{id}/documents");
    let back = format!("/projects/{id}");
    let upload = |who: &TestUser, name: &'static str, bytes: &'static [u8]| {
        let (app, path, back, cookie) =
            (&app, upload_path.clone(), back.clone(), who.cookie.clone());
        async move {
            app.upload_form(&path, &cookie, &[("back", back.as_str())], name, bytes)
                .await
        }
    };

    // The lead adds the specification; it goes back to the page with the notice.
    let reply = upload(&advisor, "仕様書（案）.pdf", PDF).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(
        reply.location.as_deref(),
        Some(format!("{back}?attached=1#attachments").as_str())
    );
    let view = page(&app, &toshima, &id).await.1.unwrap();
    assert_eq!(view.documents.len(), 1);
    assert!(
        !view.may_attach,
        "a participant does not add the lead's documents"
    );
    assert!(page(&app, &advisor, &id).await.1.unwrap().may_attach);
    let file = view.documents[0].id.to_string();

    // The invited municipality downloads it as a file; others get nothing, whatever the path.
    let download = app
        .get(
            &format!("/projects/{id}/documents/{file}"),
            Some(&toshima.cookie),
        )
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.bytes, PDF);
    let disposition = download.headers[http::header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(download.headers["x-content-type-options"], "nosniff");
    for (path, who) in [
        (format!("/projects/{id}/documents/{file}"), &hachioji),
        (format!("/attachments/{file}"), &toshima),
        (format!("/attachments/{file}"), &advisor),
    ] {
        assert_eq!(
            app.get(&path, Some(&who.cookie)).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        app.get(&format!("/projects/{id}/documents/{file}"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // Another project's path does not serve this project's file.
    let other = create(&app, &advisor, &[]).await;
    let crossed = app
        .get(
            &format!("/projects/{other}/documents/{file}"),
            Some(&advisor.cookie),
        )
        .await;
    assert_eq!(crossed.status, StatusCode::NOT_FOUND);

    // Refused: a participant's upload, a file that is not what its name says, anything once
    // the project is cancelled; an uninvited caller does not learn that the project exists.
    let refused = upload(&toshima_cio, "参加表明.pdf", PDF).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert!(refused.location.unwrap().contains("form_error"));
    let fake = upload(&advisor, "見積.pdf", b"MZ\x90\x00 not a pdf").await;
    assert!(fake.location.unwrap().contains("form_error"));
    assert_eq!(
        upload(&hachioji, "x.pdf", PDF).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(ok(moved(
        &app,
        &advisor,
        &id,
        "cancelled",
        &[("reason", "予算の都合")]
    )
    .await
    .0));
    let late = upload(&advisor, "追加資料.pdf", PDF).await;
    assert!(late.location.unwrap().contains("form_error"));
    let view = page(&app, &advisor, &id).await.1.unwrap();
    assert_eq!(view.documents.len(), 1, "nothing refused was stored");
    assert!(!view.may_attach);
}

#[tokio::test]
async fn a_question_is_marked_answered_by_the_lead_or_its_author_only() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let toshima = app.user(Role::Staff, TOSHIMA).await;
    let hachioji = app.user(Role::Cio, HACHIOJI).await;
    let id = create(&app, &advisor, &[]).await;
    open(&app, &advisor, &id).await;
    let post = |who: &TestUser, body: &'static str, reply_to: String| {
        let (app, id, cookie) = (&app, id.clone(), who.cookie.clone());
        async move {
            let fields = [
                ("id", id.as_str()),
                ("body", body),
                ("reply_to", reply_to.as_str()),
            ];
            app.post("/api/post_project_comment", &form(&fields), Some(&cookie))
                .await
        }
    };
    assert!(ok(post(&toshima, "納期はいつですか？", String::new())
        .await
        .status));
    let question = page(&app, &toshima, &id).await.1.unwrap().posts[0]
        .id
        .to_string();
    assert!(ok(post(&advisor, "3月末の予定です。", question.clone())
        .await
        .status));
    let reply = page(&app, &toshima, &id).await.1.unwrap().posts[1]
        .id
        .to_string();
    let mark = |who: &TestUser, post: String, answered: &'static str| {
        let (app, id, cookie) = (&app, id.clone(), who.cookie.clone());
        async move {
            let fields = [
                ("id", id.as_str()),
                ("post", post.as_str()),
                ("answered", answered),
            ];
            app.post("/api/mark_project_question", &form(&fields), Some(&cookie))
                .await
                .status
        }
    };
    let answered = |who: &TestUser| {
        let (app, id, who) = (
            &app,
            id.clone(),
            TestUser {
                id: who.id.clone(),
                cookie: who.cookie.clone(),
            },
        );
        async move {
            let view = page(app, &who, &id).await.1.unwrap();
            (view.posts[0].answered_at.is_some(), view.markable.len())
        }
    };
    // Another municipality may read but not mark; the page offers it nothing to mark.
    assert_eq!(
        mark(&hachioji, question.clone(), "1").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(answered(&hachioji).await, (false, 0));
    // The lead marks it answered; a reply is not a question; a crafted key is refused.
    assert!(ok(mark(&advisor, question.clone(), "1").await));
    assert_eq!(
        answered(&toshima).await,
        (true, 1),
        "the author may reopen it"
    );
    assert_eq!(mark(&advisor, reply, "1").await, StatusCode::BAD_REQUEST);
    assert_eq!(
        mark(&advisor, "nope nope".into(), "1").await,
        StatusCode::BAD_REQUEST
    );
    // Its author opens it again.
    assert!(ok(mark(&toshima, question.clone(), "0").await));
    assert_eq!(answered(&advisor).await, (false, 1));
    // A closed or cancelled project is read-only.
    assert!(ok(moved(
        &app,
        &advisor,
        &id,
        "cancelled",
        &[("reason", "中止")]
    )
    .await
    .0));
    assert_eq!(mark(&advisor, question, "1").await, StatusCode::BAD_REQUEST);
    assert_eq!(answered(&advisor).await, (false, 0));
}

/// The search page's answer for `q` as `who`.
async fn search(app: &TestApp, who: &TestUser, q: &str) -> app::shell::search::SearchView {
    let reply = app
        .post(
            "/api/search",
            &form(&[("q", q), ("page", "")]),
            Some(&who.cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.decode()
}

#[tokio::test]
async fn search_finds_a_project_and_its_questions_only_for_those_who_may_see_it() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let toshima = app.user(Role::Staff, TOSHIMA).await;
    let hachioji = app.user(Role::Cio, HACHIOJI).await;
    let id = create(
        &app,
        &advisor,
        &[
            ("visibility", "invited"),
            ("invited[0]", TOSHIMA),
            ("description", "仮想デスクトップ基盤を共同で構築します。"),
        ],
    )
    .await;
    open(&app, &advisor, &id).await;
    let reply = app
        .post(
            "/api/post_project_comment",
            &form(&[
                ("id", id.as_str()),
                ("body", "仮想デスクトップの台数は？"),
                ("reply_to", ""),
            ]),
            Some(&toshima.cookie),
        )
        .await;
    assert!(ok(reply.status), "{}", reply.body);

    let invited = search(&app, &toshima, "仮想デスクトップ").await;
    let kinds: Vec<&str> = invited.hits.iter().map(|h| h.kind.as_str()).collect();
    assert_eq!(invited.total, 2, "{kinds:?}");
    assert!(
        kinds.contains(&"project") && kinds.contains(&"project_post"),
        "{kinds:?}"
    );
    assert!(
        invited
            .hits
            .iter()
            .all(|h| h.link.starts_with(&format!("/projects/{id}")))
    );
    assert_eq!(search(&app, &hachioji, "仮想デスクトップ").await.total, 0);
}

#[tokio::test]
async fn search_finds_the_trackers_step_comments_for_every_signed_in_user() {
    let app = TestApp::new().await;
    let toshima = app.user(Role::Staff, TOSHIMA).await;
    let hachioji = app.user(Role::Cio, HACHIOJI).await;
    let reply = crate::standardization::comment(
        &app,
        &toshima.cookie,
        TOSHIMA,
        5,
        "ベンダ調整の進め方を共有します",
    )
    .await;
    assert!(ok(reply.status), "{}", reply.body);
    let found = search(&app, &hachioji, "ベンダ調整").await;
    assert_eq!(found.total, 1, "{found:?}");
    assert_eq!(found.hits[0].kind, "step_comment");
    assert!(
        found.hits[0]
            .link
            .contains(&format!("/standardization/records/{TOSHIMA}/")),
        "{found:?}"
    );
    assert!(
        found.hits[0]
            .snippet_html
            .contains("<mark>ベンダ調整</mark>"),
        "{found:?}"
    );
}
