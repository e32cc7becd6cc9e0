//! The consultations room's pages: booking (`/consultations`), the caller's bookings
//! (`/consultations/bookings`), one booking (`/consultations/bookings/:id`) and an advisor's
//! settings (`/consultations/profile`). Every action is
//! a plain form posting to a server function, so each page works without JavaScript.

mod book;
mod booking;
mod profile;

pub use book::ConsultationsPage;
pub use booking::{BookingPage, BookingsPage};
pub use profile::AdvisorProfilePage;

use super::model::BookingStatus;
use crate::i18n::{Lang, fmt_jst};
use chrono::{DateTime, Utc};

/// A booking's address.
pub fn booking_href(key: &str) -> String {
    format!("/consultations/bookings/{key}")
}

/// A status as a badge's text and class (`status-confirmed`, …).
fn status_badge(status: BookingStatus, lang: Lang) -> (String, String) {
    (
        status.label(lang).to_owned(),
        format!("badge status-{}", status.code()),
    )
}

/// "2026年12月7日 10:00–11:00" / "7 Dec 2026 10:00 JST – 11:00".
fn session_text(start: DateTime<Utc>, end: DateTime<Utc>, lang: Lang) -> String {
    let end_local = end.with_timezone(&crate::i18n::jst()).format("%H:%M");
    format!("{}–{end_local}", fmt_jst(start, lang))
}
