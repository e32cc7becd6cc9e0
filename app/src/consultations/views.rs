//! What the consultations' server functions send to the pages. Instants are UTC (shown in
//! JST by the pages).

use super::model::{BookingStatus, ConsultationKind, Topic};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An advisor as the booking page shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisorCard {
    /// The advisor's key.
    pub key: String,
    /// Name (Japanese).
    pub name_ja: String,
    /// Name (English).
    pub name_en: String,
    /// Topic labels (Japanese, English).
    pub topics: Vec<(String, String)>,
    /// Languages (`ja`, `en`, …).
    pub languages: Vec<String>,
    /// The bio, rendered and sanitized.
    pub bio_html: String,
    /// Takes no new bookings.
    pub paused: bool,
}

/// A free slot: the session's start and end (UTC) and how many advisors with the topic are
/// free then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotOffer {
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// End (UTC).
    pub end: DateTime<Utc>,
    /// Advisors free for it.
    pub advisors: u32,
}

/// `/consultations`: the topics, the advisors of the chosen topic and their merged free slots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsultationsView {
    /// Every topic.
    pub topics: Vec<Topic>,
    /// The chosen topic's code (blank: none chosen yet).
    pub topic: String,
    /// The chosen advisor's key (blank: round robin).
    pub advisor: String,
    /// Advisors with the topic (every advisor when none is chosen).
    pub advisors: Vec<AdvisorCard>,
    /// Free slots in time order (at most [`MAX_SLOTS`]).
    pub slots: Vec<SlotOffer>,
    /// Whether the caller may book.
    pub may_book: bool,
    /// Whether the caller is an advisor (the page links to their profile).
    pub is_advisor: bool,
    /// A fresh one-time key for the booking form (the booking's key: sending the form twice
    /// books once).
    pub request_key: String,
}

/// At most this many slots are offered on the page at once.
pub const MAX_SLOTS: usize = 80;

/// A booking as its page and lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingView {
    /// Its key.
    pub key: String,
    /// The advisor's name (Japanese, English).
    pub advisor_name: (String, String),
    /// The requester's name (Japanese, English).
    pub requester_name: (String, String),
    /// The requester's organisation key.
    pub organisation: String,
    /// Spot consultation or accompanying support.
    pub kind: ConsultationKind,
    /// The topic's label (Japanese, English).
    pub topic: (String, String),
    /// Subject.
    pub subject: String,
    /// The description, rendered and sanitized.
    pub description_html: String,
    /// A linked standardization record (its page's path) and step.
    pub record: Option<(String, Option<u32>)>,
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// End (UTC).
    pub end: DateTime<Utc>,
    /// Where it stands.
    pub status: BookingStatus,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// The version a change is checked against.
    pub version: String,
    /// Cancel and reschedule close this many hours before the session.
    pub notice_hours: u32,
    /// Whether the caller may cancel it.
    pub may_cancel: bool,
    /// Whether the caller may confirm it and record its outcome.
    pub may_give: bool,
    /// The advisor's summary (Markdown rendered, sanitized) and follow-ups, once completed.
    pub outcome: Option<(String, String)>,
    /// The requester's rating (1–5) and comment.
    pub rating: Option<(u8, String)>,
    /// Whether the caller may rate it now (its requester, completed, not yet rated).
    pub may_rate: bool,
    /// Whether the caller may move it now (either side, live, before the notice window).
    pub may_reschedule: bool,
    /// The advisor's free slots to move it to (only when asked for, see `get_booking`; at most
    /// [`MAX_SLOTS`]).
    pub reschedule_slots: Vec<SlotOffer>,
    /// The 伴走 case (engagement key) it is a session of.
    pub engagement: Option<String>,
    /// Whether the caller may start a 伴走 case from it (its advisor or the secretariat, not
    /// cancelled, not yet part of a case).
    pub may_start_engagement: bool,
}

/// `/consultations/bookings`: the caller's bookings (as requester, as advisor, their
/// municipality's for a CIO, all for the secretariat).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingsView {
    /// Newest session first.
    pub bookings: Vec<BookingView>,
    /// When the caller's private calendar feed was made (UTC), if they have one.
    pub calendar_feed_made: Option<DateTime<Utc>>,
    /// The feed's address, only right after it was made (its token is stored hashed and can
    /// never be shown again).
    pub new_calendar_feed: Option<String>,
    /// Whether the caller may see GovTech Tokyo's overview of all consultations.
    pub may_read_overview: bool,
    /// Whether the caller gives consultations (the page links to their week).
    pub is_advisor: bool,
    /// The 伴走 cases the caller takes part in (as for bookings), newest first.
    pub engagements: Vec<EngagementSummary>,
}

/// A 伴走 case in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementSummary {
    /// Its key.
    pub key: String,
    /// Title.
    pub title: String,
    /// Where it stands.
    pub status: super::model::EngagementStatus,
    /// The advisor's name (Japanese, English).
    pub advisor_name: (String, String),
    /// The municipality's name (Japanese, English).
    pub organisation_name: (String, String),
}

/// `/consultations/engagements/:id`: a 伴走 case with its sessions and thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementView {
    /// The case as listed.
    pub summary: EngagementSummary,
    /// The municipal contact's name (Japanese, English).
    pub requester_name: (String, String),
    /// The topic's label (Japanese, English).
    pub topic: (String, String),
    /// The topic's code (for booking the next session).
    pub topic_code: String,
    /// The advisor's key (for booking the next session).
    pub advisor: String,
    /// The goal, rendered and sanitized.
    pub goal_html: String,
    /// The version a change is checked against.
    pub version: String,
    /// Its sessions in time order.
    pub sessions: Vec<BookingView>,
    /// Its thread, oldest first.
    pub posts: Vec<crate::threads::model::Post>,
    /// Whether the caller may change its status (its advisor or the secretariat).
    pub may_manage: bool,
    /// Whether the caller may book its next session (municipal staff of its municipality,
    /// while it is active).
    pub may_book_next: bool,
}

/// `/consultations/profile`: an advisor's profile and hours as the form shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisorProfileView {
    /// Every topic.
    pub topics: Vec<Topic>,
    /// The advisor's topic codes.
    pub chosen: Vec<String>,
    /// Languages, comma-separated (`ja, en`).
    pub languages: String,
    /// Markdown bio.
    pub bio: String,
    /// Takes no new bookings.
    pub paused: bool,
    /// Requests are confirmed at once.
    pub auto_confirm: bool,
    /// Cancel and reschedule close this many hours before a session.
    pub notice_hours: u32,
    /// IANA time zone of the hours (`Asia/Tokyo`).
    pub time_zone: String,
    /// Weekly hours, a line each (`月 10:00-12:00`).
    pub weekly: String,
    /// Date overrides, a line each (`2026-12-24 休`).
    pub overrides: String,
    /// Slot length (minutes).
    pub slot_minutes: u32,
    /// Free minutes before each booking.
    pub buffer_before_minutes: u32,
    /// Free minutes after each booking.
    pub buffer_after_minutes: u32,
    /// Minimum notice (hours).
    pub minimum_notice_hours: u32,
    /// How far ahead bookings open (days).
    pub horizon_days: u32,
    /// Bookings per JST day at most (`None`: no cap).
    pub daily_cap: Option<u32>,
}

/// One JST day of an advisor's schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleDay {
    /// The day (JST).
    pub date: chrono::NaiveDate,
    /// Its bookings in time order (every status; cancelled ones shown struck through).
    pub bookings: Vec<BookingView>,
}

/// `/consultations/schedule`: an advisor's day or week (JST), with the days around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleView {
    /// The advisor's key.
    pub advisor: String,
    /// The advisor's name (Japanese, English).
    pub advisor_name: (String, String),
    /// 1 (a day) or 7 (a week starting on Monday).
    pub days: u32,
    /// The days shown, in order.
    pub schedule: Vec<ScheduleDay>,
    /// The first day of the period before and after (for the links).
    pub previous: chrono::NaiveDate,
    /// See `previous`.
    pub next: chrono::NaiveDate,
}

/// `/consultations/overview`: GovTech Tokyo's overview of every consultation (counts only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewView {
    /// All bookings.
    pub total: super::model::Tally,
    /// By topic (key: topic code), with the topic's label (Japanese, English).
    pub by_topic: Vec<(super::model::Tally, (String, String))>,
    /// By municipality (key: lg code), with its name (Japanese, English).
    pub by_municipality: Vec<(super::model::Tally, (String, String))>,
    /// By month of the session (key: `YYYY-MM`, JST), newest first.
    pub by_month: Vec<super::model::Tally>,
}
