//! Talent-sharing consultations (人材シェアリング): GovTech Tokyo's advisors offer スポット相談
//! (spot consultations) and 伴走サポート (accompanying support) to municipal staff (issue #11).
//!
//! - `model`: advisors' availability and the free slots it offers (time zones, Japanese public
//!   holidays, buffers, notice, horizon, daily cap), the round robin that assigns an advisor,
//!   a booking's lifecycle rules, the topics (pure).
//! - `views`: what the server functions send to the pages.
//! - `ics` (ssr): a booking as a calendar invite. `demo` (ssr): two demo advisors. `repo` (ssr): database access; `server`: server
//!   functions; `pages`: UI.
//!
//! Owns the tables `advisor`, `booking` and `booking_hold` (the time a live booking holds, in
//! 5-minute blocks under a unique index: two bookings of overlapping time of one advisor never
//! both commit, on one server or several). History subjects use `booking:<key>`.

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

/// The room's plain routes besides its server functions: a booking's calendar invite, a user's
/// private calendar feed and the overview's CSV; every
/// page is a Leptos route and every form posts to a server function.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::http::Routes {
    crate::http::Routes::new()
        .get(
            "/consultations/bookings/{id}/invite.ics",
            server::invite_ics,
        )
        .get(
            "/consultations/feed/{token}/kyodo.ics",
            server::calendar_feed,
        )
        .get("/consultations/overview.csv", server::overview_csv)
}
