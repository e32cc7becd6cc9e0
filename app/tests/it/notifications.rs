//! The inbox: notices written by the rooms, and the schema upgrade that moved the step
//! comments' notifications of a data folder written before the inbox existed into it.

use crate::common::{TestApp, form};
use crate::standardization::comment;
use serde_json::Value;

const TOSHIMA: &str = "131164";

/// The caller's inbox without the notices' keys (an upgrade gives new ones).
async fn inbox(app: &TestApp, cookie: &str) -> Vec<Value> {
    let reply = app.post("/api/list_notifications", "", Some(cookie)).await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let mut items = reply.json().as_array().unwrap().clone();
    for item in &mut items {
        item.as_object_mut().unwrap().remove("id");
    }
    items
}

/// Turns the data back into what the version-2 code wrote: every post into its
/// `step_comment` row, every notice into its `notification` row (recipient, comment, cell,
/// step, read, instant), and marks the data folder as version 2 (upgrades 3 to 5 then run).
const AS_VERSION_2: &str = "BEGIN TRANSACTION;
    -- Version 2 had the tracker only: other rooms' posts and notices (the demo council's) go.
    DELETE post WHERE !string::starts_with(subject, 'migration_progress:');
    DELETE notice WHERE !string::starts_with(subject, 'migration_progress:');
    FOR $p IN (SELECT * FROM post) {
        LET $parts = string::split($p.subject, ':');
        CREATE type::record('step_comment', record::id($p.id)) CONTENT {
            cell: $parts[1], step_no: <int> $parts[2], author: $p.author, body: $p.body, at: $p.at
        };
    };
    DELETE post;
    FOR $n IN (SELECT * FROM notice) {
        LET $parts = string::split($n.subject, ':');
        LET $cell = $parts[1];
        LET $step = <int> $parts[2];
        LET $c = (SELECT VALUE id FROM step_comment
            WHERE cell = $cell AND step_no = $step AND string::slice(body, 0, 1001) = $n.excerpt
            LIMIT 1)[0];
        CREATE notification CONTENT {
            recipient: $n.recipient, comment: $c, cell: $cell, step_no: $step, read: $n.read, at: $n.at
        };
    };
    DELETE notice;
    UPSERT schema_meta:current SET version = 2;
    COMMIT TRANSACTION;";

#[tokio::test]
async fn the_upgrade_keeps_every_notification_with_its_text_link_excerpt_and_read_state() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let advisor = app.sign_in("govtech_advisor").await;
    let long = "長い質問です。".repeat(40);
    for (who, step, body) in [
        (&cio, 5, "住基の移行手順について質問です"),
        (&cio, 6, long.as_str()),
        (&advisor, 5, "**回答**します"),
    ] {
        assert!(
            comment(&app, who, TOSHIMA, step, body)
                .await
                .status
                .is_success()
        );
    }
    // The advisor has read the first question only.
    let first = inbox(&app, &advisor).await;
    let oldest_at = first.last().unwrap()["at"].as_str().unwrap().to_owned();
    let reply = app
        .post(
            "/api/mark_notifications_read",
            &form(&[("up_to", oldest_at.as_str())]),
            Some(&advisor),
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let before = (inbox(&app, &advisor).await, inbox(&app, &cio).await);
    assert_eq!(before.0.len(), 2, "{:?}", before.0);
    assert_eq!(before.1.len(), 1, "{:?}", before.1);
    assert_eq!(
        before
            .0
            .iter()
            .map(|n| n["read"] == true)
            .collect::<Vec<_>>(),
        [false, true],
        "newest first, the oldest read"
    );

    let db = &app.state.db;
    db.query(AS_VERSION_2).await.unwrap().check().unwrap();
    assert!(
        inbox(&app, &advisor).await.is_empty(),
        "the inbox was emptied"
    );
    assert_eq!(app::db::migrate(db).await.unwrap(), app::db::SCHEMA_VERSION);

    let after = (inbox(&app, &advisor).await, inbox(&app, &cio).await);
    assert_eq!(
        after, before,
        "every notice back, same text, link, excerpt and read state"
    );
    let left: Option<i64> = db
        .query("RETURN count(SELECT VALUE id FROM notification)")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(left, Some(0), "the old table is emptied");
    // A second start does not run the upgrade again.
    assert_eq!(app::db::migrate(db).await.unwrap(), app::db::SCHEMA_VERSION);
    assert_eq!(inbox(&app, &advisor).await, before.0);
}
