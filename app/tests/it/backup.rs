//! Backup and restore (`app::db::backup`, `kyodo backup` / `kyodo restore`, `/admin/backup`):
//! a store restored from a backup answers the same exports and files as the one backed up.

use crate::common::TestApp;
use app::db::DbConfig;
use app::db::backup::{Existing, backup_to, restore};
use http::StatusCode;

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const RECORD: &str = "/standardization/records/131164/resident_registry";

/// The progress exports (CSV and JSON) and the record's attachments as `who` reads them.
async fn exports(app: &TestApp, who: &str) -> (Vec<u8>, Vec<u8>, Vec<(String, Vec<u8>)>) {
    let csv = app.get("/standardization/export.csv", Some(who)).await;
    let json = app.get("/standardization/export.json", Some(who)).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    let record = crate::standardization::record(app, who, "131164", "resident_registry").await;
    let mut files = Vec::new();
    for item in record["attachments"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        let file = app.get(&format!("/attachments/{id}"), Some(who)).await;
        assert_eq!(file.status, StatusCode::OK);
        files.push((item["name"].as_str().unwrap().to_owned(), file.bytes));
    }
    (csv.bytes, json.bytes, files)
}

#[tokio::test]
async fn a_restored_store_gives_byte_identical_exports_and_files() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let reply = app
        .upload_form(
            "/attachments/upload",
            &cio,
            &[
                ("subject", "migration_progress:131164_resident_registry"),
                ("back", RECORD),
            ],
            "移行計画書.pdf",
            PDF,
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let before = exports(&app, &cio).await;
    assert_eq!(before.2, [("移行計画書.pdf".to_owned(), PDF.to_vec())]);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kyodo.surql");
    backup_to(&app.state.db, &file).await.unwrap();

    let db = app::db::open(&DbConfig::at("mem://")).await.unwrap();
    restore(&db, &file, Existing::Refuse).await.unwrap();
    app::db::migrate(&db).await.unwrap();
    let restored = TestApp::on(db, true).await;
    let cio = restored.sign_in("ward_cio").await;
    let after = exports(&restored, &cio).await;
    assert!(
        before.0 == after.0,
        "the CSV export differs after restoring"
    );
    assert!(
        before.1 == after.1,
        "the JSON export differs after restoring"
    );
    assert_eq!(before.2, after.2, "the attachments differ after restoring");

    // Restoring over the store that now has data is refused unless forced.
    let err = restore(&restored.state.db, &file, Existing::Refuse)
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("not empty"), "{err:#}");
}

#[tokio::test]
async fn only_an_administrator_downloads_a_backup_and_it_restores() {
    let app = TestApp::new().await;
    for persona in ["tokyo_officer", "ward_cio", "govtech_advisor"] {
        let cookie = app.sign_in(persona).await;
        let reply = app.get("/admin/backup", Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{persona}");
    }
    let signed_out = app.get("/admin/backup", None).await;
    assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED);

    let admin = app.sign_in("admin").await;
    let reply = app.get("/admin/backup", Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let disposition = reply.headers[http::header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"kyodo-backup-"),
        "{disposition}"
    );
    assert!(reply.body.contains("DEFINE TABLE"), "SurrealQL");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("downloaded.surql");
    std::fs::write(&file, &reply.bytes).unwrap();
    let db = app::db::open(&DbConfig::at("mem://")).await.unwrap();
    restore(&db, &file, Existing::Refuse).await.unwrap();
    let users: Vec<String> = db
        .query("SELECT VALUE record::id(id) FROM app_user WHERE record::id(id) = 'demo_admin'")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(users, ["demo_admin"]);
}
