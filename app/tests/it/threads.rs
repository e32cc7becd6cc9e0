//! Threads: replies within a thread, edits by the author with earlier versions kept, the
//! subject owner's rules, and the schema upgrade that moved the step comments into threads.

use crate::common::{TestApp, form};
use crate::standardization::{comment, thread};
use http::StatusCode;
use serde_json::Value;

const TOSHIMA: &str = "131164";
const HACHIOJI: &str = "132012";
const SYSTEM: &str = "resident_registry";

fn here(lg_code: &str, step: u8) -> String {
    format!("/standardization/records/{lg_code}/{SYSTEM}/steps/{step}")
}

async fn reply(app: &TestApp, cookie: &str, step: u8, body: &str, to: &str) -> StatusCode {
    app.post(
        "/api/post_step_comment",
        &form(&[
            ("lg_code", TOSHIMA),
            ("system", SYSTEM),
            ("step", &step.to_string()),
            ("body", body),
            ("reply_to", to),
        ]),
        Some(cookie),
    )
    .await
    .status
}

async fn edit(
    app: &TestApp,
    cookie: &str,
    id: &str,
    body: &str,
    back: &str,
) -> (StatusCode, Value) {
    let reply = app
        .post(
            "/api/edit_post",
            &form(&[("id", id), ("body", body), ("back", back)]),
            Some(cookie),
        )
        .await;
    let json = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    (reply.status, json)
}

#[tokio::test]
async fn replies_answer_a_post_of_the_same_thread_and_authors_edit_their_own() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let advisor = app.sign_in("govtech_advisor").await;
    assert!(
        comment(&app, &cio, TOSHIMA, 5, "質問です")
            .await
            .status
            .is_success()
    );
    assert!(
        comment(&app, &cio, TOSHIMA, 6, "別の手順")
            .await
            .status
            .is_success()
    );
    let question = thread(&app, &cio, TOSHIMA, 5).await["comments"][0].clone();
    let other_step = thread(&app, &cio, TOSHIMA, 6).await["comments"][0]["id"].clone();
    let qid = question["id"].as_str().unwrap();

    // A reply names its post; a post of another thread or an unknown one is refused.
    assert!(reply(&app, &advisor, 5, "回答です", qid).await.is_success());
    let posts = thread(&app, &advisor, TOSHIMA, 5).await["comments"].clone();
    assert_eq!(posts[1]["reply_to"], qid, "{posts}");
    assert_eq!(posts[0]["reply_to"], Value::Null);
    for elsewhere in [other_step.as_str().unwrap(), "nope"] {
        assert_eq!(
            reply(&app, &advisor, 5, "迷子", elsewhere).await,
            StatusCode::BAD_REQUEST,
            "{elsewhere}"
        );
    }
    assert_eq!(
        thread(&app, &advisor, TOSHIMA, 5).await["comments"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The author edits; the earlier version is kept; others may not edit.
    let back = here(TOSHIMA, 5);
    let (status, _) = edit(&app, &advisor, qid, "乗っ取り", &back).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = edit(&app, &cio, qid, "  ", &back).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["field"], "body");
    for outside in ["//evil.example", "/\t/evil.example", "/a\r\nLocation: x"] {
        let (status, body) = edit(&app, &cio, qid, "質問です（追記）", outside).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{outside:?} {body}");
        assert_eq!(body["field"], "back");
    }
    for invisible in ["\u{3164}", "\u{2800}", "\u{200e}\u{202e}", "\u{00ad}"] {
        let (status, body) = edit(&app, &cio, qid, invisible, &back).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{invisible:?} {body}");
    }
    let (status, body) = edit(&app, &cio, "nope", "x", &back).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    for text in ["質問です（追記）", "質問です（再追記）"] {
        let (status, body) = edit(&app, &cio, qid, text, &back).await;
        assert!(status.is_success(), "{body}");
    }
    let edited = thread(&app, &advisor, TOSHIMA, 5).await["comments"][0].clone();
    assert_eq!(edited["id"], qid);
    assert_eq!(edited["body"], "質問です（再追記）");
    assert!(edited["edited_at"].is_string(), "{edited}");
    let revisions: Vec<&str> = edited["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["body"].as_str().unwrap())
        .collect();
    assert_eq!(revisions, ["質問です", "質問です（追記）"], "oldest first");
    assert_eq!(
        edited["revisions"][0]["at"], question["at"],
        "the first version's instant"
    );
}

#[tokio::test]
async fn a_user_who_may_not_post_in_a_thread_may_not_edit_there_either() {
    let app = TestApp::new().await;
    let officer = app.sign_in("tokyo_officer").await;
    let city = app.sign_in("city_staff").await;
    assert!(
        comment(&app, &officer, HACHIOJI, 5, "確認です")
            .await
            .status
            .is_success()
    );
    let id = thread(&app, &officer, HACHIOJI, 5).await["comments"][0]["id"].clone();
    let id = id.as_str().unwrap();
    // Hachioji's staff may post in their own thread, but not edit the officer's post.
    let (status, _) = edit(&app, &city, id, "書き換え", &here(HACHIOJI, 5)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Hachioji's CIO (a user no persona stands for) posts there and edits their own post.
    let cio = app.user(app::auth::model::Role::Cio, HACHIOJI).await;
    assert!(
        comment(&app, &cio.cookie, HACHIOJI, 5, "市として確認中")
            .await
            .status
            .is_success()
    );
    let posts = thread(&app, &officer, HACHIOJI, 5).await["comments"].clone();
    assert_eq!(posts[1]["author_id"], cio.id.as_str(), "{posts}");
    let own = posts[1]["id"].as_str().unwrap();
    let (status, body) = edit(
        &app,
        &cio.cookie,
        own,
        "市として確認済み",
        &here(HACHIOJI, 5),
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (status, _) = edit(&app, &cio.cookie, id, "書き換え", &here(HACHIOJI, 5)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not the author");
    // A signed-out caller is asked to sign in.
    let reply = app
        .post(
            "/api/edit_post",
            &form(&[("id", id), ("body", "x"), ("back", "/")]),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

/// Turns every post back into the `step_comment` row the version-4 code wrote and marks the
/// data folder as version 4.
const AS_VERSION_4: &str = "BEGIN TRANSACTION;
    -- Version 4 had the tracker's comments only: other rooms' posts (the demo council's) go.
    DELETE post WHERE !string::starts_with(subject, 'migration_progress:');
    FOR $p IN (SELECT * FROM post) {
        LET $parts = string::split($p.subject, ':');
        CREATE type::record('step_comment', record::id($p.id)) CONTENT {
            cell: $parts[1], step_no: <int> $parts[2], author: $p.author, body: $p.body, at: $p.at
        };
    };
    DELETE post;
    UPSERT schema_meta:current SET version = 4;
    COMMIT TRANSACTION;";

#[tokio::test]
async fn the_upgrade_keeps_every_step_comment_under_its_key() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    let advisor = app.sign_in("govtech_advisor").await;
    for (who, step, body) in [
        (&cio, 5, "質問です"),
        (&advisor, 5, "**回答**"),
        (&cio, 7, "別件"),
    ] {
        assert!(
            comment(&app, who, TOSHIMA, step, body)
                .await
                .status
                .is_success()
        );
    }
    let before = (
        thread(&app, &cio, TOSHIMA, 5).await["comments"].clone(),
        thread(&app, &cio, TOSHIMA, 7).await["comments"].clone(),
    );
    assert_eq!(before.0.as_array().unwrap().len(), 2);
    let db = &app.state.db;
    db.query(AS_VERSION_4).await.unwrap().check().unwrap();
    assert_eq!(
        thread(&app, &cio, TOSHIMA, 5).await["comments"],
        Value::Array(vec![])
    );
    assert_eq!(app::db::migrate(db).await.unwrap(), app::db::SCHEMA_VERSION);
    let after = (
        thread(&app, &cio, TOSHIMA, 5).await["comments"].clone(),
        thread(&app, &cio, TOSHIMA, 7).await["comments"].clone(),
    );
    assert_eq!(after, before, "same keys, authors, bodies and instants");
}

#[tokio::test]
async fn edits_at_the_same_moment_each_succeed_or_are_refused_and_no_version_is_lost() {
    let app = TestApp::new().await;
    let cio = app.sign_in("ward_cio").await;
    assert!(
        comment(&app, &cio, TOSHIMA, 9, "初版")
            .await
            .status
            .is_success()
    );
    let id = thread(&app, &cio, TOSHIMA, 9).await["comments"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let back = here(TOSHIMA, 9);
    let edits = (0..8).map(|i| {
        let (app, cio, id, back) = (&app, &cio, &id, &back);
        async move { edit(app, cio, id, &format!("版{i}"), back).await }
    });
    let results = futures::future::join_all(edits).await;
    let accepted = results.iter().filter(|(s, _)| s.is_success()).count();
    for (status, body) in &results {
        assert!(
            status.is_success() || (*status == StatusCode::BAD_REQUEST && body["field"] == "body"),
            "{status} {body}"
        );
    }
    assert!(accepted >= 1);
    let post = thread(&app, &cio, TOSHIMA, 9).await["comments"][0].clone();
    assert_eq!(
        post["revisions"].as_array().unwrap().len(),
        accepted,
        "one earlier version per accepted edit: {post}"
    );
}
