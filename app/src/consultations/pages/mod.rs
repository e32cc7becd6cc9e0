//! The consultations room's pages: booking (`/consultations`), the caller's bookings
//! (`/consultations/bookings`), one booking (`/consultations/bookings/:id`) and an advisor's
//! settings (`/consultations/profile`), an advisor's day and week (`/consultations/schedule`)
//! GovTech Tokyo's overview (`/consultations/overview`) and a 伴走 case
//! (`/consultations/engagements/:id`). Every action is
//! a plain form posting to a server function, so each page works without JavaScript.

mod book;
mod booking;
mod engagement;
mod profile;
mod schedule;

pub use book::ConsultationsPage;
pub use booking::{BookingPage, BookingsPage};
pub use engagement::EngagementPage;
pub use profile::AdvisorProfilePage;
pub use schedule::{OverviewPage, SchedulePage};

use super::model::BookingStatus;
use super::views::SlotOffer;
use crate::i18n::{Lang, fmt_jst};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

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

/// The free slots as radio buttons named `start` (value `start/end`, RFC 3339), labelled in
/// JST; with `counts`, each label says how many advisors are free then.
#[component]
fn SlotChoices(slots: Vec<SlotOffer>, counts: bool) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    view! {
        <fieldset class="slots">
            <legend>{lang.pick("日時（日本時間）", "Time (JST)")}</legend>
            {slots.into_iter().enumerate().map(|(i, s)| {
                let id = format!("slot-{i}");
                let session = session_text(s.start, s.end, lang);
                let label = match (counts, lang) {
                    (false, _) => session,
                    (true, Lang::Ja) => format!("{session}（{}名）", s.advisors),
                    (true, Lang::En) => format!("{session} ({} free)", s.advisors),
                };
                view! {
                    <div class="slot">
                        <input type="radio" name="start" id=id.clone() value=format!("{}/{}", s.start.to_rfc3339(), s.end.to_rfc3339()) required=true/>
                        <label for=id>{label}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}
