//! An advisor's availability and the free slots it offers (issue #11, item 2).
//!
//! Hours are set in the advisor's own time zone (Asia/Tokyo by default; another one, e.g.
//! Europe/Berlin while abroad, follows that zone's daylight-saving changes), as weekly hours
//! plus date overrides (extra hours, days off). Slots are offered as UTC instants and shown
//! in JST. A slot is not offered:
//! - when it starts on a Japanese public holiday (its JST date; the `jpholiday` crate computes
//!   the holidays from the 国民の祝日に関する法律 rules, 振替休日 and 国民の休日 included; when
//!   the law changes, the crate's new release is taken with `cargo update -p jpholiday`);
//! - earlier than the minimum notice from now, or beyond the booking horizon;
//! - when it or its buffers overlap a booking's (each booking keeps `buffer_before` free
//!   minutes before it and `buffer_after` after it);
//! - on a JST day that already has the daily cap of bookings.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Japan Standard Time, in which slots are shown and holidays and daily caps are counted.
pub const JST: Tz = chrono_tz::Asia::Tokyo;

/// Hours on one weekday, in the advisor's time zone: from `start` to `end`; an `end` at or
/// before `start` ends on the next day (e.g. 22:00–01:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyHours {
    /// The weekday the hours start on.
    pub weekday: Weekday,
    /// Start (local time of the advisor's zone).
    pub start: NaiveTime,
    /// End (local time; at or before `start`: the next day).
    pub end: NaiveTime,
}

/// A change to one date's hours, in the advisor's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateOverride {
    /// Hours on `date` besides the weekly ones.
    Extra {
        /// The date.
        date: NaiveDate,
        /// Start (local time).
        start: NaiveTime,
        /// End (local time; at or before `start`: the next day).
        end: NaiveTime,
    },
    /// No hours at all on `date` (the weekly ones and any extra hours are off).
    DayOff {
        /// The date.
        date: NaiveDate,
    },
}

/// How an advisor takes bookings. Durations in minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Availability {
    /// The zone the hours are set in (IANA name, e.g. `Asia/Tokyo`, `Europe/Berlin`).
    pub time_zone: Tz,
    /// Weekly hours.
    pub weekly: Vec<WeeklyHours>,
    /// Date overrides.
    pub overrides: Vec<DateOverride>,
    /// Length of a slot (minutes, e.g. 60).
    pub slot_minutes: u32,
    /// Free minutes kept before each booking.
    pub buffer_before_minutes: u32,
    /// Free minutes kept after each booking.
    pub buffer_after_minutes: u32,
    /// A slot starts at least this many minutes after now.
    pub minimum_notice_minutes: u32,
    /// Slots are offered up to this many days ahead.
    pub horizon_days: u32,
    /// At most this many bookings on one JST day (`None`: no cap).
    pub daily_cap: Option<u32>,
}

/// A time span `[start, end)` in UTC: a slot, or a booking that holds time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// End (UTC), after `start`.
    pub end: DateTime<Utc>,
}

impl Span {
    /// Whether the two spans share any instant.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The span widened by `before` minutes before and `after` minutes after.
    pub fn widened(&self, before: u32, after: u32) -> Span {
        Span {
            start: self.start - Duration::minutes(i64::from(before)),
            end: self.end + Duration::minutes(i64::from(after)),
        }
    }
}

/// Whether `date` is a Japanese public holiday (国民の祝日, 振替休日 or 国民の休日).
pub fn is_japanese_holiday(date: NaiveDate) -> bool {
    jpholiday::jpholiday::JPHoliday::new().is_holiday(&date)
}

/// The UTC instant of local time `at` in `zone`. In a daylight-saving gap (a local time that
/// does not exist) the first instant after the gap; in an overlap the earlier instant.
fn instant(zone: Tz, at: NaiveDateTime) -> DateTime<Utc> {
    let mut probe = at;
    loop {
        if let Some(t) = zone.from_local_datetime(&probe).earliest() {
            return t.with_timezone(&Utc);
        }
        // Gaps are at most a few hours long; step over them a minute at a time.
        probe += Duration::minutes(1);
    }
}

impl Availability {
    /// Kyodo's usual settings with `weekly` hours in JST: 60-minute slots, 10 minutes free
    /// after each, 24 hours' notice, 30 days ahead, at most 4 a day (a new advisor's
    /// starting point, and the demo advisors').
    pub fn usual(weekly: Vec<WeeklyHours>) -> Availability {
        Availability {
            time_zone: JST,
            weekly,
            overrides: Vec::new(),
            slot_minutes: 60,
            buffer_before_minutes: 0,
            buffer_after_minutes: 10,
            minimum_notice_minutes: 24 * 60,
            horizon_days: 30,
            daily_cap: Some(4),
        }
    }

    /// The spans of working time on local `date` of the advisor's zone, in UTC.
    fn hours_on(&self, date: NaiveDate) -> Vec<Span> {
        let day_off = self
            .overrides
            .iter()
            .any(|o| matches!(o, DateOverride::DayOff { date: d } if *d == date));
        if day_off {
            return Vec::new();
        }
        let weekly = self
            .weekly
            .iter()
            .filter(|h| h.weekday == date.weekday())
            .map(|h| (h.start, h.end));
        let extra = self.overrides.iter().filter_map(|o| match o {
            DateOverride::Extra {
                date: d,
                start,
                end,
            } if *d == date => Some((*start, *end)),
            _ => None,
        });
        weekly
            .chain(extra)
            .map(|(start, end)| {
                let end_day = if end <= start {
                    date.succ_opt().unwrap_or(date)
                } else {
                    date
                };
                Span {
                    start: instant(self.time_zone, date.and_time(start)),
                    end: instant(self.time_zone, end_day.and_time(end)),
                }
            })
            .filter(|s| s.start < s.end)
            .collect()
    }

    /// The free slots at `now` (UTC), given the advisor's `bookings` (the spans they hold),
    /// in time order, each once.
    pub fn free_slots(&self, bookings: &[Span], now: DateTime<Utc>) -> Vec<Span> {
        if self.slot_minutes == 0 {
            return Vec::new();
        }
        let earliest = now + Duration::minutes(i64::from(self.minimum_notice_minutes));
        let latest = now + Duration::days(i64::from(self.horizon_days));
        let length = Duration::minutes(i64::from(self.slot_minutes));
        let (before, after) = (self.buffer_before_minutes, self.buffer_after_minutes);
        let held: Vec<Span> = bookings.iter().map(|b| b.widened(before, after)).collect();
        let bookings_on = |day: NaiveDate| {
            bookings
                .iter()
                .filter(|b| b.start.with_timezone(&JST).date_naive() == day)
                .count()
        };
        let calendar = jpholiday::jpholiday::JPHoliday::new();
        let mut holidays = std::collections::HashMap::new();
        // Every local date whose hours could reach into [now, latest], one day either side.
        let first = now
            .with_timezone(&self.time_zone)
            .date_naive()
            .pred_opt()
            .unwrap_or(NaiveDate::MIN);
        let days = i64::from(self.horizon_days) + 2;
        let mut slots: Vec<Span> = (0..=days)
            .filter_map(|n| first.checked_add_signed(Duration::days(n)))
            .flat_map(|date| self.hours_on(date))
            .flat_map(|window| {
                let mut starts = Vec::new();
                let mut start = window.start;
                while start + length <= window.end {
                    starts.push(Span {
                        start,
                        end: start + length,
                    });
                    start += length;
                }
                starts
            })
            .filter(|s| s.start >= earliest && s.start <= latest)
            .filter(|s| {
                let day = s.start.with_timezone(&JST).date_naive();
                !*holidays
                    .entry(day)
                    .or_insert_with(|| calendar.is_holiday(&day))
            })
            .filter(|s| {
                self.daily_cap.is_none_or(|cap| {
                    bookings_on(s.start.with_timezone(&JST).date_naive()) < cap as usize
                })
            })
            .filter(|s| {
                let wanted = s.widened(before, after);
                !held.iter().any(|h| h.overlaps(&wanted))
            })
            .collect();
        slots.sort();
        slots.dedup();
        slots
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    /// An instant given in JST.
    fn jst(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        JST.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn weekdays(start: NaiveTime, end: NaiveTime) -> Vec<WeeklyHours> {
        [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ]
        .into_iter()
        .map(|weekday| WeeklyHours {
            weekday,
            start,
            end,
        })
        .collect()
    }

    fn advisor() -> Availability {
        Availability {
            time_zone: JST,
            weekly: weekdays(t(10, 0), t(12, 0)),
            overrides: Vec::new(),
            slot_minutes: 60,
            buffer_before_minutes: 0,
            buffer_after_minutes: 0,
            minimum_notice_minutes: 0,
            horizon_days: 30,
            daily_cap: None,
        }
    }

    /// The slots' starts on JST date `day`, as "HH:MM".
    fn starts_on(slots: &[Span], y: i32, mo: u32, d: u32) -> Vec<String> {
        let day = NaiveDate::from_ymd_opt(y, mo, d).unwrap();
        slots
            .iter()
            .map(|s| s.start.with_timezone(&JST))
            .filter(|s| s.date_naive() == day)
            .map(|s| s.format("%H:%M").to_string())
            .collect()
    }

    #[test]
    fn weekly_hours_give_slots_of_the_slot_length_on_working_days() {
        // Monday 2026-12-07 09:00 JST.
        let slots = advisor().free_slots(&[], jst(2026, 12, 7, 9, 0));
        assert_eq!(starts_on(&slots, 2026, 12, 7), ["10:00", "11:00"]);
        assert!(starts_on(&slots, 2026, 12, 12).is_empty(), "Saturday");
        assert!(
            slots.windows(2).all(|w| w[0].start < w[1].start),
            "in order, once"
        );
        assert!(
            slots
                .iter()
                .all(|s| s.end - s.start == Duration::minutes(60))
        );
    }

    #[test]
    fn public_holidays_are_off_including_substitute_holidays() {
        // 2026-05-06 (Wednesday) is a 振替休日 for 憲法記念日 on Sunday 2026-05-03.
        assert!(is_japanese_holiday(
            NaiveDate::from_ymd_opt(2026, 5, 6).unwrap()
        ));
        assert!(!is_japanese_holiday(
            NaiveDate::from_ymd_opt(2026, 5, 7).unwrap()
        ));
        let slots = advisor().free_slots(&[], jst(2026, 5, 1, 9, 0));
        assert!(starts_on(&slots, 2026, 5, 4).is_empty(), "みどりの日");
        assert!(starts_on(&slots, 2026, 5, 5).is_empty(), "こどもの日");
        assert!(starts_on(&slots, 2026, 5, 6).is_empty(), "振替休日");
        assert_eq!(starts_on(&slots, 2026, 5, 7), ["10:00", "11:00"]);
    }

    #[test]
    fn minimum_notice_and_horizon_bound_the_offer() {
        let mut a = advisor();
        a.minimum_notice_minutes = 90;
        a.horizon_days = 2;
        // Monday 09:00: 10:00 is only 60 minutes away, 11:00 is 120.
        let slots = a.free_slots(&[], jst(2026, 12, 7, 9, 0));
        assert_eq!(starts_on(&slots, 2026, 12, 7), ["11:00"]);
        assert_eq!(starts_on(&slots, 2026, 12, 8), ["10:00", "11:00"]);
        assert_eq!(
            starts_on(&slots, 2026, 12, 9),
            Vec::<String>::new(),
            "beyond two days"
        );
    }

    #[test]
    fn bookings_and_their_buffers_block_slots() {
        let mut a = advisor();
        a.weekly = weekdays(t(9, 0), t(13, 0));
        a.buffer_after_minutes = 15;
        let booked = Span {
            start: jst(2026, 12, 7, 10, 0),
            end: jst(2026, 12, 7, 11, 0),
        };
        let slots = a.free_slots(&[booked], jst(2026, 12, 7, 8, 0));
        // 09:00–10:00 would end where the booking starts, but needs 15 minutes after it;
        // 11:00 starts right after the booking, which needs 15 minutes after it too.
        assert_eq!(starts_on(&slots, 2026, 12, 7), ["12:00"]);
        a.buffer_after_minutes = 0;
        let slots = a.free_slots(&[booked], jst(2026, 12, 7, 8, 0));
        assert_eq!(starts_on(&slots, 2026, 12, 7), ["09:00", "11:00", "12:00"]);
    }

    #[test]
    fn overrides_add_hours_and_take_days_off() {
        let mut a = advisor();
        a.overrides = vec![
            DateOverride::DayOff {
                date: NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
            },
            DateOverride::Extra {
                date: NaiveDate::from_ymd_opt(2026, 12, 12).unwrap(),
                start: t(14, 0),
                end: t(15, 0),
            },
        ];
        let slots = a.free_slots(&[], jst(2026, 12, 7, 9, 0));
        assert!(starts_on(&slots, 2026, 12, 8).is_empty(), "day off");
        assert_eq!(
            starts_on(&slots, 2026, 12, 12),
            ["14:00"],
            "extra hours on a Saturday"
        );
    }

    #[test]
    fn a_daily_cap_closes_the_day() {
        let mut a = advisor();
        a.weekly = weekdays(t(9, 0), t(17, 0));
        a.daily_cap = Some(2);
        let booked = [
            Span {
                start: jst(2026, 12, 7, 9, 0),
                end: jst(2026, 12, 7, 10, 0),
            },
            Span {
                start: jst(2026, 12, 7, 13, 0),
                end: jst(2026, 12, 7, 14, 0),
            },
        ];
        let slots = a.free_slots(&booked, jst(2026, 12, 7, 8, 0));
        assert!(starts_on(&slots, 2026, 12, 7).is_empty());
        assert_eq!(starts_on(&slots, 2026, 12, 8).len(), 8);
    }

    #[test]
    fn hours_across_midnight_give_a_slot_across_midnight_jst() {
        let mut a = advisor();
        a.weekly = vec![WeeklyHours {
            weekday: Weekday::Mon,
            start: t(23, 30),
            end: t(1, 30),
        }];
        let slots = a.free_slots(&[], jst(2026, 12, 7, 9, 0));
        assert_eq!(starts_on(&slots, 2026, 12, 7), ["23:30"]);
        assert_eq!(starts_on(&slots, 2026, 12, 8), ["00:30"]);
        let across = slots
            .iter()
            .find(|s| s.start == jst(2026, 12, 7, 23, 30))
            .unwrap();
        assert_eq!(across.end, jst(2026, 12, 8, 0, 30));
    }

    #[test]
    fn hours_set_in_berlin_follow_its_daylight_saving_changes() {
        // 09:00–10:00 in Berlin every day. CET (+01:00) is 17:00 JST; CEST (+02:00) 16:00 JST.
        let mut a = advisor();
        a.time_zone = chrono_tz::Europe::Berlin;
        a.weekly = [Weekday::Sat, Weekday::Sun, Weekday::Mon]
            .into_iter()
            .map(|weekday| WeeklyHours {
                weekday,
                start: t(9, 0),
                end: t(10, 0),
            })
            .collect();
        // Last Sunday of March 2026 (the 29th): clocks go forward at 02:00.
        let spring = a.free_slots(&[], jst(2026, 3, 27, 0, 0));
        assert_eq!(
            starts_on(&spring, 2026, 3, 28),
            ["17:00"],
            "Saturday, still CET"
        );
        assert_eq!(starts_on(&spring, 2026, 3, 29), ["16:00"], "Sunday, CEST");
        assert_eq!(starts_on(&spring, 2026, 3, 30), ["16:00"]);
        // Last Sunday of October 2026 (the 25th): clocks go back at 03:00.
        let autumn = a.free_slots(&[], jst(2026, 10, 23, 0, 0));
        assert_eq!(
            starts_on(&autumn, 2026, 10, 24),
            ["16:00"],
            "Saturday, still CEST"
        );
        assert_eq!(starts_on(&autumn, 2026, 10, 25), ["17:00"], "Sunday, CET");
    }

    #[test]
    fn hours_inside_a_daylight_saving_gap_start_after_it() {
        let mut a = advisor();
        a.time_zone = chrono_tz::Europe::Berlin;
        // 02:00–04:00 on 2026-03-29 in Berlin: 02:00–03:00 does not exist; 03:00 CEST is
        // 01:00 UTC, 10:00 JST; the hours end at 04:00 CEST, 11:00 JST.
        a.weekly = vec![WeeklyHours {
            weekday: Weekday::Sun,
            start: t(2, 0),
            end: t(4, 0),
        }];
        let slots = a.free_slots(&[], jst(2026, 3, 27, 0, 0));
        assert_eq!(starts_on(&slots, 2026, 3, 29), ["10:00"]);
    }
}
