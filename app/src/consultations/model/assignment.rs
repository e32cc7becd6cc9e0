//! Which advisor takes a booking when the municipal user does not pick one (issue #11,
//! item 3): among the advisors with the topic who are free for the slot, round robin — the
//! least recently booked first (never booked comes first), then the fewest bookings this
//! month (JST), then the advisor key, so that the choice is the same on every server.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What the round robin knows about one candidate advisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// The advisor's user key.
    pub advisor: String,
    /// When the advisor was last booked (the booking's creation, UTC); `None`: never.
    pub last_booked_at: Option<DateTime<Utc>>,
    /// Bookings the advisor holds this month (JST).
    pub bookings_this_month: u32,
}

/// The candidates in the order the round robin tries them.
pub fn round_robin(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        (a.last_booked_at, a.bookings_this_month, &a.advisor).cmp(&(
            b.last_booked_at,
            b.bookings_this_month,
            &b.advisor,
        ))
    });
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn c(advisor: &str, last: Option<u32>, month: u32) -> Candidate {
        Candidate {
            advisor: advisor.into(),
            last_booked_at: last.map(|d| Utc.with_ymd_and_hms(2026, 12, d, 0, 0, 0).unwrap()),
            bookings_this_month: month,
        }
    }

    fn order(candidates: Vec<Candidate>) -> Vec<String> {
        round_robin(candidates)
            .into_iter()
            .map(|c| c.advisor)
            .collect()
    }

    #[test]
    fn the_least_recently_booked_goes_first_never_booked_before_all() {
        let got = order(vec![
            c("a", Some(5), 1),
            c("b", Some(2), 9),
            c("c", None, 0),
        ]);
        assert_eq!(got, ["c", "b", "a"]);
    }

    #[test]
    fn ties_go_to_fewer_bookings_this_month_then_the_key() {
        let got = order(vec![
            c("z", Some(3), 4),
            c("y", Some(3), 2),
            c("x", Some(3), 2),
        ]);
        assert_eq!(got, ["x", "y", "z"]);
    }
}
