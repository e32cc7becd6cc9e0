//! Council workspaces (issue #12): the 都・区市町村CIO協議会 and its working groups
//! (部会・ワーキンググループ) — members (people or whole organisations) with roles, topics on
//! the shared threads with @mentions, meetings with 公開 / 非公開 agenda items, minutes and the
//! 議事要旨 (public summary), proposals and votes, 研修会 with seats and a waiting list.
//!
//! - `model`: roles, visibility, the summary compiler, vote outcomes, mentions (pure).
//! - `views`: what the server functions send to the pages.
//! - `ics` (ssr): a meeting as a calendar event. `demo` (ssr): the council and two groups.
//! - `repo` (ssr): database access; `server`: server functions; `pages`: UI.
//!
//! Owns the tables `workspace`, `workspace_member`, `join_request`, `council_topic`, `meeting`,
//! `agenda_item`, `attendance`, `proposal`, `vote`, `training` and `registration`. Thread
//! posts and notices use subjects `council:<workspace>:…`.

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod ics;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod server;
pub mod views;

/// The room's plain routes besides its server functions: a meeting's calendar event, the
/// published 議事要旨 as Markdown, a meeting's and an agenda item's documents and a topic's attachments (upload, a
/// multipart form, and download); every page is a Leptos route and every form posts to a
/// server function.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::http::Routes {
    crate::http::Routes::new()
        .get("/council/meetings/{id}/meeting.ics", server::meeting_ics)
        .get(
            "/council/meetings/{id}/summary.md",
            server::summary_markdown,
        )
        .post("/council/meetings/{id}/documents", server::upload_document)
        .get(
            "/council/meetings/{id}/documents/{file}",
            server::download_document,
        )
        .post(
            "/council/items/{id}/documents",
            server::upload_item_document,
        )
        .get(
            "/council/items/{id}/documents/{file}",
            server::download_item_document,
        )
        .post("/council/topics/{id}/files", server::upload_topic_file)
        .get(
            "/council/topics/{id}/files/{file}",
            server::download_topic_file,
        )
}
