//! GovTech Tokyo's overview of consultations (issue #11, item 8): bookings counted by topic,
//! municipality and month (JST), with how many were held, cancelled or missed, the average
//! rating (1–5) and the average lead time from request to session (hours).

use super::BookingStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One booking as the overview counts it (no subject, description or names).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OverviewItem {
    /// Topic code.
    pub topic: String,
    /// The requester's organisation key (lg code).
    pub organisation: String,
    /// `spot_consultation` or `accompanying_support`.
    pub kind: String,
    /// Status code.
    pub status: String,
    /// Session start (UTC).
    pub start: DateTime<Utc>,
    /// When it was requested (UTC).
    pub created_at: DateTime<Utc>,
    /// The requester's rating, 1–5.
    pub rating: Option<u8>,
}

impl OverviewItem {
    /// Hours from the request to the session (never negative).
    pub fn lead_hours(&self) -> f64 {
        ((self.start - self.created_at).num_minutes().max(0) as f64) / 60.0
    }

    /// The session's month in JST (`2026-12`).
    pub fn month(&self) -> String {
        self.start
            .with_timezone(&crate::i18n::jst())
            .format("%Y-%m")
            .to_string()
    }
}

/// Counts of one group (a topic, a municipality, a month, or all).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// The group's key (topic code, organisation key, `YYYY-MM`; blank for all).
    pub key: String,
    /// Bookings made.
    pub bookings: u32,
    /// Sessions held (completed).
    pub held: u32,
    /// Cancelled by either side.
    pub cancelled: u32,
    /// The municipal side did not come.
    pub no_show: u32,
    /// How many were rated.
    pub ratings: u32,
    /// The average rating (1–5) of the rated ones.
    pub average_rating: Option<f64>,
    /// The average hours from request to session.
    pub average_lead_hours: Option<f64>,
}

/// The tally of `items`, under `key`.
pub fn tally<'a>(key: &str, items: impl IntoIterator<Item = &'a OverviewItem>) -> Tally {
    let mut t = Tally {
        key: key.to_owned(),
        ..Tally::default()
    };
    let (mut rating_sum, mut lead_sum) = (0u32, 0f64);
    for item in items {
        t.bookings += 1;
        match BookingStatus::from_code(&item.status) {
            Some(BookingStatus::Completed) => t.held += 1,
            Some(BookingStatus::Cancelled) => t.cancelled += 1,
            Some(BookingStatus::NoShow) => t.no_show += 1,
            _ => {}
        }
        if let Some(r) = item.rating {
            t.ratings += 1;
            rating_sum += u32::from(r);
        }
        lead_sum += item.lead_hours();
    }
    t.average_rating = (t.ratings > 0).then(|| f64::from(rating_sum) / f64::from(t.ratings));
    t.average_lead_hours = (t.bookings > 0).then(|| lead_sum / f64::from(t.bookings));
    t
}

/// `items` grouped by `group` (each group's tally, in key order).
pub fn tally_by(items: &[OverviewItem], group: impl Fn(&OverviewItem) -> String) -> Vec<Tally> {
    let mut groups: BTreeMap<String, Vec<&OverviewItem>> = BTreeMap::new();
    for item in items {
        groups.entry(group(item)).or_default().push(item);
    }
    groups
        .into_iter()
        .map(|(key, members)| tally(&key, members))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn item(topic: &str, org: &str, status: &str, day: u32, rating: Option<u8>) -> OverviewItem {
        OverviewItem {
            topic: topic.into(),
            organisation: org.into(),
            kind: "spot_consultation".into(),
            status: status.into(),
            // 10:00 JST on `day`, requested 48 hours before.
            start: Utc.with_ymd_and_hms(2026, 12, day, 1, 0, 0).unwrap(),
            created_at: Utc.with_ymd_and_hms(2026, 12, day - 2, 1, 0, 0).unwrap(),
            rating,
        }
    }

    #[test]
    fn groups_count_statuses_average_ratings_and_lead_times() {
        let items = vec![
            item("security", "131164", "completed", 10, Some(5)),
            item("security", "132012", "completed", 11, Some(2)),
            item("security", "131164", "cancelled", 12, None),
            item("ai", "131164", "no_show", 14, None),
            item("ai", "131164", "confirmed", 15, None),
        ];
        let by_topic = tally_by(&items, |i| i.topic.clone());
        assert_eq!(
            by_topic.iter().map(|t| t.key.as_str()).collect::<Vec<_>>(),
            ["ai", "security"]
        );
        let security = &by_topic[1];
        assert_eq!(
            (
                security.bookings,
                security.held,
                security.cancelled,
                security.ratings
            ),
            (3, 2, 1, 2)
        );
        assert_eq!(security.average_rating, Some(3.5));
        assert_eq!(security.average_lead_hours, Some(48.0));
        let ai = &by_topic[0];
        assert_eq!((ai.no_show, ai.average_rating), (1, None));
        let by_org = tally_by(&items, |i| i.organisation.clone());
        assert_eq!(by_org[0].key, "131164");
        assert_eq!(by_org[0].bookings, 4);
        let all = tally("", &items);
        assert_eq!((all.bookings, all.held), (5, 2));
    }

    #[test]
    fn a_session_at_midnight_jst_counts_in_its_jst_month() {
        let mut i = item("ai", "131164", "confirmed", 10, None);
        // 2026-11-30 15:30 UTC is 2026-12-01 00:30 JST.
        i.start = Utc.with_ymd_and_hms(2026, 11, 30, 15, 30, 0).unwrap();
        i.created_at = i.start - chrono::Duration::hours(3);
        assert_eq!(i.month(), "2026-12");
        assert_eq!(i.lead_hours(), 3.0);
    }
}
