//! The tenfold volume generator (`app::volume`, issue #13) and the index plans of the queries
//! the pages make over that volume (a step thread's posts, a record's comment counts per step
//! — `threads::repo::counts`, whose `string::starts_with` SurrealDB 3 reads as a range of the
//! index — its history, a person's notices): a query that would read a whole table fails here.

use crate::common::TestApp;
use app::volume::{Volume, add};
use serde_json::Value;

const SMALL: Volume = Volume {
    users: 30,
    comments: 1_500,
    history: 1_200,
    notices: 400,
};

async fn count(app: &TestApp, table: &str) -> u64 {
    let mut reply = app
        .state
        .db
        .query("SELECT VALUE count() FROM type::table($t) GROUP ALL")
        .bind(("t", table.to_owned()))
        .await
        .unwrap();
    let n: Option<u64> = reply.take(0).unwrap();
    n.unwrap_or(0)
}

#[tokio::test]
async fn the_volume_is_added_once_and_reaches_the_pages() {
    let app = TestApp::new().await;
    let before = [
        count(&app, "app_user").await,
        count(&app, "post").await,
        count(&app, "history").await,
        count(&app, "notice").await,
    ];
    assert!(add(&app.state.db, &app.state.catalog, SMALL).await.unwrap());
    let after = [
        count(&app, "app_user").await,
        count(&app, "post").await,
        count(&app, "history").await,
        count(&app, "notice").await,
    ];
    assert_eq!(
        after,
        [
            before[0] + 30,
            before[1] + 1_500,
            before[2] + 1_200,
            before[3] + 400
        ]
    );
    // Once: a second run adds nothing.
    assert!(!add(&app.state.db, &app.state.catalog, SMALL).await.unwrap());
    assert_eq!(count(&app, "post").await, after[1]);

    // The generated rows are the application's own: a persona reads its notices and a
    // record's step threads through the server functions.
    let officer = app.sign_in("tokyo_officer").await;
    let notices = app
        .post("/api/list_notifications", "", Some(&officer))
        .await;
    assert_eq!(notices.status, http::StatusCode::OK, "{}", notices.body);
    assert!(
        notices.body.contains("A new comment in a step thread")
            || notices.body.contains("手順のスレッド")
    );
}

/// The plan SurrealDB chooses for `query` (EXPLAIN), as text.
async fn plan(app: &TestApp, query: &str, bindings: Value) -> String {
    let mut q = app.state.db.query(format!("{query} EXPLAIN"));
    for (k, v) in bindings.as_object().unwrap() {
        q = q.bind((k.clone(), v.clone()));
    }
    let mut reply = q.await.unwrap().check().unwrap();
    let plan: Value = reply
        .take::<Option<Value>>(0)
        .ok()
        .flatten()
        .unwrap_or_else(|| {
            let rows: Vec<Value> = reply.take(0).unwrap();
            Value::Array(rows)
        });
    plan.to_string()
}

#[tokio::test]
async fn the_queries_of_threads_history_and_notices_read_through_their_indexes() {
    let app = TestApp::new().await;
    add(&app.state.db, &app.state.catalog, SMALL).await.unwrap();
    for (query, index) in [
        (
            "SELECT * FROM post WHERE subject = $s ORDER BY at",
            "post_subject",
        ),
        (
            "SELECT subject, count() AS n FROM post WHERE string::starts_with(subject, $from) GROUP BY subject",
            "post_subject",
        ),
        (
            // A workspace's topics with their post counts (council::repo::topics).
            "SELECT subject, count() AS posts, time::max(at) AS last FROM post WHERE string::starts_with(subject, $from) GROUP BY subject",
            "post_subject",
        ),
        (
            // A workspace's people through its member organisations (council::repo::people).
            "SELECT * FROM app_user WHERE organisation IN [organisation:131164, organisation:132012] AND status = 'active'",
            "app_user_organisation",
        ),
        (
            "SELECT * FROM history WHERE subject = $s ORDER BY at DESC",
            "history_subject",
        ),
        (
            "SELECT * FROM notice WHERE recipient = type::record('app_user', 'demo_tokyo_officer') AND read = false",
            "notice_recipient",
        ),
    ] {
        let plan = plan(
            &app,
            query,
            serde_json::json!({
                "s": "migration_progress:131164_resident_registry:1",
                "from": "migration_progress:131164_resident_registry:",
            }),
        )
        .await;
        println!("{query}\n  {plan}");
        assert!(plan.contains(index), "{query}: {plan}");
        assert!(plan.contains("IndexScan"), "{query}: {plan}");
        assert!(
            !plan.contains("TableScan"),
            "{query} reads the whole table: {plan}"
        );
    }
}
