//! A booking as a calendar invite (RFC 5545, built with the `icalendar` crate): one VEVENT
//! whose UID is stable per booking (`booking-<key>@kyodo`), whose SEQUENCE rises with each
//! change, METHOD:REQUEST while the booking holds its time and METHOD:CANCEL (STATUS:CANCELLED)
//! once it is cancelled or missed. Instants are written in UTC; calendars show them in local
//! time (JST for the council). The advisor is the ORGANIZER and the requester the ATTENDEE
//! (RFC 5546); Kyodo keeps no e-mail addresses, so each is named (CN) with a
//! `urn:kyodo:user:<key>` address. One VERSION and one PRODID per calendar.

use super::model::BookingStatus;
use super::repo::BookingRow;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

/// Booking `b` as one VEVENT, and whether it still takes place; `page` is the booking page's
/// absolute address.
fn event(b: &BookingRow, page: &str) -> (Event, bool) {
    let status = BookingStatus::from_code(&b.status).unwrap_or(BookingStatus::Cancelled);
    let (live, event_status) = match status {
        BookingStatus::Requested => (true, EventStatus::Tentative),
        BookingStatus::Confirmed | BookingStatus::Completed => (true, EventStatus::Confirmed),
        BookingStatus::Cancelled | BookingStatus::NoShow => (false, EventStatus::Cancelled),
    };
    let description = format!("{} / {}\n{page}", b.advisor_name_ja, b.requester_name_ja);
    let event = Event::new()
        .uid(&format!("booking-{}@kyodo", b.key))
        .sequence(b.sequence)
        .summary(&b.subject)
        .description(&description)
        .starts(b.start)
        .ends(b.end)
        .url(page)
        .status(event_status)
        .append_property(party("ORGANIZER", &b.advisor, &b.advisor_name_ja))
        .append_property(party("ATTENDEE", &b.requester, &b.requester_name_ja))
        .done();
    (event, live)
}

/// An ORGANIZER or ATTENDEE property for user `key` named `name`.
fn party(property: &str, key: &str, name: &str) -> Property {
    let mut p = Property::new(property, format!("urn:kyodo:user:{key}"));
    p.add_parameter("CN", name);
    p
}

/// A calendar with exactly one VERSION, PRODID and CALSCALE, and `method`.
fn calendar(method: &str) -> Calendar {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Kyodo//Consultations//JA"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", method));
    calendar
}

/// The invite of booking `b` (METHOD:REQUEST, or METHOD:CANCEL once it no longer takes place);
/// `page` is the booking page's absolute address.
pub fn invite(b: &BookingRow, page: &str) -> String {
    let (event, live) = event(b, page);
    let mut calendar = calendar(if live { "REQUEST" } else { "CANCEL" });
    calendar.push(event);
    calendar.done().to_string()
}

/// A user's calendar feed (METHOD:PUBLISH): every booking in `bookings` as an event with the
/// same UID and SEQUENCE as its invite, cancelled ones marked STATUS:CANCELLED. `page_of` gives
/// a booking page's absolute address from its key.
pub fn feed(bookings: &[BookingRow], page_of: impl Fn(&str) -> String) -> String {
    let mut calendar = calendar("PUBLISH");
    calendar.name("Kyodo 相談 / consultations");
    for b in bookings {
        calendar.push(event(b, &page_of(&b.key)).0);
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn row(status: &str, sequence: u32) -> BookingRow {
        BookingRow {
            key: "abc123".into(),
            advisor: "a".into(),
            advisor_name_ja: "相談員".into(),
            advisor_name_en: "Advisor".into(),
            requester: "r".into(),
            requester_name_ja: "職員".into(),
            requester_name_en: "Staff".into(),
            organisation: "131164".into(),
            kind: "spot_consultation".into(),
            topic: "security".into(),
            subject: "閉域接続の相談".into(),
            description: String::new(),
            record: None,
            step: None,
            start: Utc.with_ymd_and_hms(2026, 12, 7, 1, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).unwrap(),
            status: status.into(),
            cancel_reason: None,
            version: String::new(),
            sequence,
            notice_hours: 24,
            outcome_summary: None,
            follow_ups: None,
            rating: None,
            rating_comment: None,
            engagement: None,
        }
    }

    #[test]
    fn the_invite_keeps_its_uid_raises_its_sequence_and_cancels() {
        let page = "https://kyodo.example/consultations/bookings/abc123";
        let booked = invite(&row("confirmed", 0), page);
        assert!(booked.contains("METHOD:REQUEST"), "{booked}");
        assert!(booked.contains("UID:booking-abc123@kyodo"), "{booked}");
        assert!(booked.contains("SEQUENCE:0"), "{booked}");
        assert!(booked.contains("DTSTART:20261207T010000Z"), "{booked}");
        assert!(booked.contains("STATUS:CONFIRMED"), "{booked}");
        assert!(booked.contains("\r\n"), "RFC 5545 lines end in CRLF");
        assert_eq!(booked.matches("PRODID:").count(), 1, "{booked}");
        assert_eq!(booked.matches("VERSION:").count(), 1, "{booked}");
        assert!(
            booked.contains("ORGANIZER;CN=相談員:urn:kyodo:user:a"),
            "{booked}"
        );
        assert!(
            booked.contains("ATTENDEE;CN=職員:urn:kyodo:user:r"),
            "{booked}"
        );
        let cancelled = invite(&row("cancelled", 1), page);
        assert!(cancelled.contains("METHOD:CANCEL"), "{cancelled}");
        assert!(
            cancelled.contains("UID:booking-abc123@kyodo"),
            "{cancelled}"
        );
        assert!(cancelled.contains("SEQUENCE:1"), "{cancelled}");
        assert!(cancelled.contains("STATUS:CANCELLED"), "{cancelled}");
    }

    #[test]
    fn the_feed_publishes_every_booking_with_its_invite_uid() {
        let mut second = row("cancelled", 2);
        second.key = "def456".into();
        let feed = feed(&[row("confirmed", 0), second], |k| {
            format!("https://kyodo.example/{k}")
        });
        assert!(feed.contains("METHOD:PUBLISH"), "{feed}");
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 2, "{feed}");
        assert!(feed.contains("UID:booking-abc123@kyodo"), "{feed}");
        assert!(feed.contains("UID:booking-def456@kyodo"), "{feed}");
        assert!(feed.contains("STATUS:CANCELLED"), "{feed}");
        assert!(feed.contains("URL:https://kyodo.example/def456"), "{feed}");
    }
}
