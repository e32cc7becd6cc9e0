//! A booking as a calendar invite (RFC 5545, built with the `icalendar` crate): one VEVENT
//! whose UID is stable per booking (`booking-<key>@kyodo`), whose SEQUENCE rises with each
//! change, METHOD:REQUEST while the booking holds its time and METHOD:CANCEL (STATUS:CANCELLED)
//! once it is cancelled or missed. Instants are written in UTC; calendars show them in local
//! time (JST for the council).

use super::model::BookingStatus;
use super::repo::BookingRow;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

/// The invite of booking `b`; `page` is the booking page's absolute address.
pub fn invite(b: &BookingRow, page: &str) -> String {
    let status = BookingStatus::from_code(&b.status).unwrap_or(BookingStatus::Cancelled);
    let (method, event_status) = match status {
        BookingStatus::Requested => ("REQUEST", EventStatus::Tentative),
        BookingStatus::Confirmed | BookingStatus::Completed => ("REQUEST", EventStatus::Confirmed),
        BookingStatus::Cancelled | BookingStatus::NoShow => ("CANCEL", EventStatus::Cancelled),
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
        .done();
    let mut calendar = Calendar::new();
    calendar
        .append_property(("PRODID", "-//Kyodo//Consultations//JA"))
        .append_property(("METHOD", method))
        .push(event);
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
        let cancelled = invite(&row("cancelled", 1), page);
        assert!(cancelled.contains("METHOD:CANCEL"), "{cancelled}");
        assert!(
            cancelled.contains("UID:booking-abc123@kyodo"),
            "{cancelled}"
        );
        assert!(cancelled.contains("SEQUENCE:1"), "{cancelled}");
        assert!(cancelled.contains("STATUS:CANCELLED"), "{cancelled}");
    }
}
