//! History: the audit entries the rooms write, and the schema upgrade that moved a data
//! folder's progress history (written before the shared history existed) into it.

use crate::common::TestApp;
use crate::standardization::{RecordForm, record, save_ok};
use serde_json::Value;

const TOSHIMA: &str = "131164";
const SYSTEM: &str = "resident_registry";

/// The record page's history entries.
async fn entries(app: &TestApp, cookie: &str) -> Value {
    record(app, cookie, TOSHIMA, SYSTEM).await["history"].clone()
}

/// Turns every tracker history entry back into the `progress_history` row the version-3 code
/// wrote (other rooms' entries, e.g. the demo consultation's, did not exist then and go) and
/// marks the data folder as version 3.
const AS_VERSION_3: &str = "BEGIN TRANSACTION;
    FOR $h IN (SELECT * FROM history WHERE string::starts_with(subject, 'migration_progress:')) {
        CREATE progress_history CONTENT {
            cell: string::slice($h.subject, string::len('migration_progress:')),
            actor: $h.actor, source: $h.source, changes: $h.changes, at: $h.at
        };
    };
    DELETE history;
    UPSERT schema_meta:current SET version = 3;
    COMMIT TRANSACTION;";

#[tokio::test]
async fn the_upgrade_keeps_every_history_entry_with_its_actor_source_and_changes() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    for (vendor, notes) in [("ベンダA", "初回"), ("ベンダB", "変更\n2行目")] {
        let form = RecordForm::new(TOSHIMA, SYSTEM)
            .set("vendor", vendor)
            .set("notes", notes);
        save_ok(&app, &officer, &form).await;
    }
    let before = entries(&app, &officer).await;
    let list = before.as_array().unwrap();
    assert!(list.len() >= 2, "{before}");
    assert_eq!(list[0]["source"], "form");
    assert!(list[0]["actor_name_ja"].is_string(), "{before}");

    let db = &app.state.db;
    db.query(AS_VERSION_3).await.unwrap().check().unwrap();
    assert_eq!(entries(&app, &officer).await, Value::Array(vec![]));
    assert_eq!(app::db::migrate(db).await.unwrap(), app::db::SCHEMA_VERSION);
    assert_eq!(
        entries(&app, &officer).await,
        before,
        "every entry back, unchanged"
    );
    let left: Option<i64> = db
        .query("RETURN count(SELECT VALUE id FROM progress_history)")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(left, Some(0), "the old table is emptied");
}
