//! Attachments: a progress record's files, with type and size limits, access by the subject's
//! rules, and downloads that a browser never runs.

use crate::common::TestApp;
use crate::standardization::record;
use http::{StatusCode, header};

const TOSHIMA: &str = "131164";
const HACHIOJI: &str = "132012";
const SYSTEM: &str = "resident_registry";

/// A tiny valid-looking PDF (its magic number is what counts).
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

fn subject(lg_code: &str) -> String {
    format!("migration_progress:{lg_code}_{SYSTEM}")
}

fn page(lg_code: &str) -> String {
    format!("/standardization/records/{lg_code}/{SYSTEM}")
}

async fn attach(
    app: &TestApp,
    cookie: &str,
    lg_code: &str,
    name: &str,
    bytes: &[u8],
) -> crate::common::Reply {
    let subject = subject(lg_code);
    let back = page(lg_code);
    app.upload_form(
        "/attachments/upload",
        cookie,
        &[("subject", subject.as_str()), ("back", back.as_str())],
        name,
        bytes,
    )
    .await
}

async fn listed(app: &TestApp, cookie: &str, lg_code: &str) -> Vec<serde_json::Value> {
    record(app, cookie, lg_code, SYSTEM).await["attachments"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn a_writer_attaches_a_file_and_every_member_downloads_it_as_a_file() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let advisor = app.sign_in("govtech_advisor").await;
    let reply = attach(&app, &cio, TOSHIMA, "移行計画書（案）.pdf", PDF).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(
        reply.location.as_deref(),
        Some(format!("{}?attached=1#attachments", page(TOSHIMA)).as_str())
    );
    let items = listed(&app, &advisor, TOSHIMA).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["name"], "移行計画書（案）.pdf");
    assert_eq!(items[0]["size_bytes"], PDF.len());
    assert_eq!(
        record(&app, &advisor, TOSHIMA, SYSTEM).await["may_attach"],
        false
    );
    assert_eq!(
        record(&app, &cio, TOSHIMA, SYSTEM).await["may_attach"],
        true
    );

    let id = items[0]["id"].as_str().unwrap();
    let download = app.get(&format!("/attachments/{id}"), Some(&advisor)).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.bytes, PDF, "the bytes as uploaded");
    let h = |name: header::HeaderName| {
        download
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(h(header::CONTENT_TYPE), "application/pdf");
    let disposition = h(header::CONTENT_DISPOSITION);
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename*=UTF-8''%E7%A7%BB%E8%A1%8C"),
        "{disposition}"
    );
    assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(h(header::CONTENT_SECURITY_POLICY), "sandbox");

    // Signed out: 401; an unknown or malformed key: 404.
    assert_eq!(
        app.get(&format!("/attachments/{id}"), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    for other in ["0000", "..%2Fetc"] {
        assert_eq!(
            app.get(&format!("/attachments/{other}"), Some(&advisor))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn files_of_other_kinds_too_large_or_for_another_municipality_are_refused() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let city = app.sign_in("city_staff").await;
    let cases: [(&str, &str, Vec<u8>, &str); 5] = [
        (
            "HTML named .pdf",
            "x.pdf",
            b"<html><script>alert(1)</script>".to_vec(),
            "file",
        ),
        ("a PDF named .png", "x.png", PDF.to_vec(), "file"),
        ("an executable", "x.exe", b"MZ\x90\x00".to_vec(), "file"),
        ("empty", "x.txt", Vec::new(), "file"),
        (
            "over 4 MiB",
            "x.txt",
            vec![b'a'; 4 * 1024 * 1024 + 1],
            "file",
        ),
    ];
    for (what, name, bytes, _) in &cases {
        let reply = attach(&app, &cio, TOSHIMA, name, bytes).await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{what}: {}",
            reply.body
        );
        let location = reply.location.unwrap_or_default();
        assert!(
            location.starts_with(&format!("{}?form_error=", page(TOSHIMA))),
            "{what}: {location}"
        );
    }
    // Hachioji's staff may not attach to Toshima's record, nor to a subject no room claims.
    let reply = attach(&app, &city, TOSHIMA, "x.pdf", PDF).await;
    assert!(
        reply.location.unwrap_or_default().contains("form_error="),
        "other municipality"
    );
    let reply = app
        .upload_form(
            "/attachments/upload",
            &city,
            &[("subject", "project:1"), ("back", "/")],
            "x.pdf",
            PDF,
        )
        .await;
    assert!(
        reply.location.unwrap_or_default().contains("form_error="),
        "unclaimed subject"
    );
    // A return address off the site is refused outright.
    let reply = app
        .upload_form(
            "/attachments/upload",
            &city,
            &[("subject", &subject(HACHIOJI)), ("back", "//evil.example/")],
            "x.pdf",
            PDF,
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        listed(&app, &cio, TOSHIMA).await.is_empty(),
        "nothing was stored"
    );
    assert!(
        listed(&app, &cio, HACHIOJI).await.is_empty(),
        "nothing was stored"
    );
    // Signed out: to the sign-in page.
    let reply = app
        .upload_form(
            "/attachments/upload",
            "",
            &[("subject", &subject(TOSHIMA)), ("back", "/")],
            "x.pdf",
            PDF,
        )
        .await;
    assert_eq!(reply.location.as_deref(), Some("/login"));
}

#[tokio::test]
async fn any_municipality_s_cio_attaches_to_its_own_records_only() {
    use app::auth::model::Role;
    use app::standardization::server::RecordView;
    let app = TestApp::new().await;
    // 千代田区's CIO and a GovTech advisor: users no demo persona stands for.
    let chiyoda = app.user(Role::Cio, "131016").await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let view = |cookie: String, lg: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/get_record",
                &crate::common::form(&[("lg_code", lg), ("system", SYSTEM)]),
                Some(&cookie),
            )
            .await
            .decode::<RecordView>()
        }
    };
    assert!(view(chiyoda.cookie.clone(), "131016").await.may_attach);
    assert!(!view(chiyoda.cookie.clone(), TOSHIMA).await.may_attach);
    assert!(!view(advisor.cookie.clone(), "131016").await.may_attach);
    let reply = attach(
        &app,
        &chiyoda.cookie,
        "131016",
        "議事録.txt",
        "会議の記録".as_bytes(),
    )
    .await;
    assert!(
        reply
            .location
            .unwrap_or_default()
            .ends_with("attached=1#attachments")
    );
    let reply = attach(&app, &chiyoda.cookie, TOSHIMA, "議事録.txt", b"x").await;
    assert!(reply.location.unwrap_or_default().contains("form_error="));
    let stored = view(advisor.cookie.clone(), "131016").await.attachments;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].name, "議事録.txt");
    assert_eq!(stored[0].uploader_name_ja, format!("cio 131016"));
    assert!(view(advisor.cookie, TOSHIMA).await.attachments.is_empty());
}

#[tokio::test]
async fn only_records_of_the_catalog_take_files_and_each_takes_at_most_fifty() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let officer = app.sign_in("tokyo_officer").await;
    for (who, subject) in [
        (&cio, "migration_progress:131164_nonexistent"),
        (&cio, "migration_progress:131164"),
        (&officer, "migration_progress:011002_resident_registry"),
        (&officer, "migration_progress:130001_resident_registry"),
    ] {
        let reply = app
            .upload_form(
                "/attachments/upload",
                who,
                &[("subject", subject), ("back", "/")],
                "x.txt",
                b"x",
            )
            .await;
        let location = reply.location.unwrap_or_default();
        assert!(
            location.starts_with("/?form_error="),
            "{subject}: {location}"
        );
    }
    let stored: Option<i64> = app
        .state
        .db
        .query("RETURN count(SELECT VALUE id FROM attachment)")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(stored, Some(0), "nothing stored for unknown records");

    for i in 0..app::attachments::model::MAX_PER_SUBJECT {
        let reply = attach(&app, &cio, TOSHIMA, &format!("{i}.txt"), b"x").await;
        assert!(
            reply.location.unwrap_or_default().contains("attached=1"),
            "{i}"
        );
    }
    let reply = attach(&app, &cio, TOSHIMA, "one-more.txt", b"x").await;
    assert!(reply.location.unwrap_or_default().contains("form_error="));
    assert_eq!(
        listed(&app, &cio, TOSHIMA).await.len(),
        app::attachments::model::MAX_PER_SUBJECT
    );
}
