//! A meeting as a calendar event (RFC 5545, built with the `icalendar` crate): one VEVENT whose
//! UID is stable per meeting (`meeting-<key>@kyodo`), whose SEQUENCE rises with each agenda
//! change, METHOD:PUBLISH, DTSTART/DTEND in UTC, the place as LOCATION and the 公開 agenda
//! items in the DESCRIPTION (never a 非公開 one: a calendar file travels beyond the workspace). One VERSION and one PRODID.

use super::repo::MeetingRow;
use icalendar::{Calendar, Component, Event, EventLike};

/// The calendar of meeting `m` with `agenda` (the 公開 items' lines); `page` is the
/// meeting page's absolute address.
pub fn meeting(m: &MeetingRow, agenda: &[String], page: &str) -> String {
    let mut description = agenda.join("\n");
    if !m.online_url.is_empty() {
        description.push_str(&format!("\n{}", m.online_url));
    }
    description.push_str(&format!("\n{page}"));
    let mut event = Event::new();
    event
        .uid(&format!("meeting-{}@kyodo", m.key))
        .sequence(m.sequence)
        .summary(&m.title)
        .description(description.trim_start())
        .starts(m.starts_at)
        .ends(m.ends_at)
        .url(page);
    if !m.place.is_empty() {
        event.location(&m.place);
    }
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Kyodo//Council//JA"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"));
    calendar.push(event.done());
    calendar.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_is_one_event_in_utc_with_its_visible_agenda() {
        let at = |h| {
            chrono::DateTime::parse_from_rfc3339(&format!("2026-12-03T{h:02}:00:00+09:00"))
                .unwrap()
                .to_utc()
        };
        let m = MeetingRow {
            key: "m1".into(),
            workspace: "council".into(),
            title: "第3回 協議会".into(),
            starts_at: at(14),
            ends_at: at(16),
            place: "都庁第一本庁舎".into(),
            online_url: "https://example.jp/meet".into(),
            summary_draft: String::new(),
            summary: None,
            published_at: None,
            sequence: 2,
        };
        let ics = meeting(
            &m,
            &["1. 標準化の進捗".into()],
            "https://kyodo.example/council/meetings/m1",
        );
        let unfolded = ics.replace("\r\n ", "");
        for line in [
            "UID:meeting-m1@kyodo",
            "SEQUENCE:2",
            "DTSTART:20261203T050000Z",
            "DTEND:20261203T070000Z",
            "METHOD:PUBLISH",
            "LOCATION:都庁第一本庁舎",
        ] {
            assert!(unfolded.contains(line), "{line} in {unfolded}");
        }
        assert!(unfolded.contains("1. 標準化の進捗"));
        assert_eq!(unfolded.matches("PRODID").count(), 1);
        assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 1);
    }
}
