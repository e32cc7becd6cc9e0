//! Consultations in the database (ssr only): SurrealQL only, no user-facing text.
//!
//! Instants go in as RFC 3339 strings cast with `<datetime>` and come out cast with
//! `<string>`, so that chrono reads them.

use super::model::{Availability, BookingStatus, ConsultationKind, Span};
use crate::db::{Db, DbError, first, rows, transaction_outcome, with_retries};
use crate::history::model::FieldChange;
use crate::ids::UserId;
use crate::notifications::repo::{CREATE_NOTICES, notice_bindings};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

/// Bookings hold an advisor's time in blocks of this many minutes (the unique index on
/// `booking_hold` works on them); slot lengths and buffers are whole multiples of it.
pub const BLOCK_MINUTES: i64 = 5;

/// An advisor's profile as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AdvisorProfile {
    /// The advisor's user key (also the `advisor` record key).
    pub key: String,
    /// Name (Japanese).
    pub name_ja: String,
    /// Name (English).
    pub name_en: String,
    /// Topic codes.
    pub topics: Vec<String>,
    /// Languages the advisor consults in (`ja`, `en`, …).
    pub languages: Vec<String>,
    /// Markdown bio (rendered sanitized).
    pub bio: String,
    /// Takes no new bookings.
    pub paused: bool,
    /// Requests are confirmed at once.
    pub auto_confirm: bool,
    /// Cancel and reschedule close this many hours before a session.
    pub notice_hours: u32,
    /// Hours and slot rules.
    pub availability: Availability,
    /// When the advisor was last booked (UTC; read from the bookings, never stored).
    pub last_booked_at: Option<DateTime<Utc>>,
    /// Whether the advisor's account may give consultations (read, never stored): false once
    /// the account is disabled or no longer holds the advisor role. A profile without an
    /// account (the demo's second advisor) counts as able.
    pub bookable: bool,
}

#[derive(Deserialize)]
struct AdvisorRow {
    key: String,
    name_ja: String,
    name_en: String,
    topics: Vec<String>,
    languages: Vec<String>,
    bio: String,
    paused: bool,
    auto_confirm: bool,
    notice_hours: u32,
    availability: String,
    last_booked_at: Option<DateTime<Utc>>,
    bookable: Option<bool>,
}

const ADVISOR_FIELDS: &str = "meta::id(id) AS key, name_ja, name_en, topics, languages, bio,
    paused, auto_confirm, notice_hours, availability,
    array::max((SELECT VALUE <string> created_at FROM booking WHERE advisor = $parent.id))
        AS last_booked_at,
    (SELECT VALUE status = 'active' AND roles CONTAINS 'govtech_advisor'
        FROM ONLY type::record('app_user', meta::id($parent.id))) AS bookable";

fn profile(row: AdvisorRow) -> Result<AdvisorProfile, DbError> {
    Ok(AdvisorProfile {
        availability: serde_json::from_str(&row.availability)?,
        key: row.key,
        name_ja: row.name_ja,
        name_en: row.name_en,
        topics: row.topics,
        languages: row.languages,
        bio: row.bio,
        paused: row.paused,
        auto_confirm: row.auto_confirm,
        notice_hours: row.notice_hours,
        last_booked_at: row.last_booked_at,
        bookable: row.bookable.unwrap_or(true),
    })
}

/// Every advisor profile, by key.
pub async fn advisors(db: &Db) -> Result<Vec<AdvisorProfile>, DbError> {
    let mut response = db
        .query(format!("SELECT {ADVISOR_FIELDS} FROM advisor ORDER BY key"))
        .await?
        .check()?;
    rows::<AdvisorRow>(&mut response, 0)?
        .into_iter()
        .map(profile)
        .collect()
}

/// The fields of an advisor profile, as bound by [`insert_advisor`] and [`save_advisor`].
const ADVISOR_CONTENT: &str = "{
    name_ja: $name_ja, name_en: $name_en, topics: $topics, languages: $languages, bio: $bio,
    paused: $paused, auto_confirm: $auto_confirm, notice_hours: $notice_hours,
    availability: $availability }";

/// Runs `query` (which names [`ADVISOR_CONTENT`]'s parameters and `$key`) for profile `p`.
async fn advisor_query(
    db: &Db,
    query: String,
    p: &AdvisorProfile,
) -> Result<surrealdb::IndexedResults, DbError> {
    let availability = serde_json::to_string(&p.availability)?;
    with_retries(|| async {
        db.query(query.clone())
            .bind(("key", p.key.clone()))
            .bind(("name_ja", p.name_ja.clone()))
            .bind(("name_en", p.name_en.clone()))
            .bind(("topics", p.topics.clone()))
            .bind(("languages", p.languages.clone()))
            .bind(("bio", p.bio.clone()))
            .bind(("paused", p.paused))
            .bind(("auto_confirm", p.auto_confirm))
            .bind(("notice_hours", i64::from(p.notice_hours)))
            .bind(("availability", availability.clone()))
            .await
            .map_err(DbError::from)
            .and_then(crate::db::checked)
    })
    .await
}

/// Stores `p` as advisor `p.key` unless a profile with that key exists (demo data); whether
/// it was stored.
pub async fn insert_advisor(db: &Db, p: &AdvisorProfile) -> Result<bool, DbError> {
    let query = format!(
        "IF record::exists(type::record('advisor', $key)) {{ false }} ELSE {{
             CREATE type::record('advisor', $key) CONTENT {ADVISOR_CONTENT};
             true
         }};"
    );
    let mut response = advisor_query(db, query, p).await?;
    let stored: Option<bool> = response.take(0)?;
    Ok(stored.unwrap_or(false))
}

/// Creates or replaces advisor `p.key`'s profile (its booking record — last booked — stays).
pub async fn save_advisor(db: &Db, p: &AdvisorProfile) -> Result<(), DbError> {
    let query = format!("UPSERT type::record('advisor', $key) MERGE {ADVISOR_CONTENT};");
    advisor_query(db, query, p).await?;
    Ok(())
}

#[derive(Deserialize)]
struct HeldRow {
    advisor: String,
    live: bool,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    created_at: DateTime<Utc>,
}

/// What the slot offer needs about the bookings of `advisors`: the live ones (requested or
/// confirmed) that end after `from`, and every one made since `month_start` (UTC instant of
/// the first of this month, JST): (advisor, span, created at, whether it holds its time).
pub async fn held(
    db: &Db,
    advisors: &[String],
    from: DateTime<Utc>,
    month_start: DateTime<Utc>,
) -> Result<Vec<(String, Span, DateTime<Utc>, bool)>, DbError> {
    let mut response = db
        .query(
            "SELECT meta::id(advisor) AS advisor, status IN ['requested', 'confirmed'] AS live,
                 <string> start AS start, <string> end AS end,
                 <string> created_at AS created_at
             FROM booking
             WHERE advisor IN $advisors.map(|$a| type::record('advisor', $a))
                 AND (status IN ['requested', 'confirmed'] AND end > <datetime> $from
                      OR created_at >= <datetime> $month)",
        )
        .bind(("advisors", advisors.to_vec()))
        .bind(("from", from.to_rfc3339()))
        .bind(("month", month_start.to_rfc3339()))
        .await?
        .check()?;
    Ok(rows::<HeldRow>(&mut response, 0)?
        .into_iter()
        .map(|r| {
            (
                r.advisor,
                Span {
                    start: r.start,
                    end: r.end,
                },
                r.created_at,
                r.live,
            )
        })
        .collect())
}

/// A booking to store.
#[derive(Debug, Clone)]
pub struct NewBooking {
    /// Its key (random, chosen by the caller so that the redirect can point at it).
    pub key: String,
    /// The advisor's key.
    pub advisor: String,
    /// Who asks.
    pub requester: UserId,
    /// Their organisation's key.
    pub organisation: String,
    /// Spot consultation or accompanying support.
    pub kind: ConsultationKind,
    /// Topic code.
    pub topic: String,
    /// Subject line.
    pub subject: String,
    /// Markdown description.
    pub description: String,
    /// A linked standardization record key and step, if any.
    pub record: Option<(String, Option<u32>)>,
    /// The session.
    pub span: Span,
    /// The advisor's buffers (minutes before, after): the held blocks cover them too.
    pub buffers: (u32, u32),
    /// The advisor's daily cap (bookings per JST day).
    pub daily_cap: Option<u32>,
    /// The JST day of the session, as a UTC span (for the daily cap).
    pub day: Span,
    /// Requested or confirmed (the advisor's setting).
    pub status: BookingStatus,
    /// The notice to the advisor, written in the same transaction.
    pub notice: crate::notifications::model::Notice,
    /// Whether the advisor gets `notice` (not for the demo's seeded session).
    pub notify: bool,
    /// The 伴走 case (engagement key) this booking is a session of; it must be active.
    pub engagement: Option<String>,
    /// The advisor's notice window (hours), kept with the booking.
    pub notice_hours: u32,
}

/// Why a booking was not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookRefusal {
    /// Another booking holds part of this time (the unique index refused a block).
    SlotTaken,
    /// The advisor reached the daily cap on that day.
    DayFull,
    /// The advisor paused bookings.
    Paused,
    /// A booking with this key exists already (the same form sent twice).
    AlreadyBooked,
    /// The booking changed since the caller saw it (a reschedule sent twice, or after a cancel).
    Changed,
    /// The 伴走 case it names is no longer active.
    EngagementEnded,
}

/// Maps a booking transaction's error to the refusal it means, if it is one.
fn refusal(e: &DbError) -> Option<BookRefusal> {
    if e.is_thrown("booking_hold_once") {
        Some(BookRefusal::SlotTaken)
    } else if e.is_thrown("day_full") {
        Some(BookRefusal::DayFull)
    } else if e.is_thrown("advisor_paused") {
        Some(BookRefusal::Paused)
    } else if e.is_thrown("already exists") {
        Some(BookRefusal::AlreadyBooked)
    } else if e.is_thrown("engagement_ended") {
        Some(BookRefusal::EngagementEnded)
    } else if matches!(e, DbError::Conflict) {
        Some(BookRefusal::Changed)
    } else {
        None
    }
}

/// The history entry of booking `$key` by the user whose key is parameter `actor`, from
/// `source` (a SurrealQL string), with the lines in `$changes`.
fn booking_history(actor: &str, source: &str) -> String {
    crate::history::repo::create_entry(
        "string::concat('booking:', $key)",
        &format!("type::record('app_user', {actor})"),
        source,
        "$changes",
    )
}

/// The 5-minute blocks (minutes since the Unix epoch ÷ 5) that a booking of `span` holds with
/// `buffers` (before, after) minutes around it.
pub fn blocks(span: Span, buffers: (u32, u32)) -> Vec<i64> {
    let held = span.widened(buffers.0, buffers.1);
    let first = held.start.timestamp().div_euclid(60 * BLOCK_MINUTES);
    let end = held.end.timestamp();
    let last = (end + 60 * BLOCK_MINUTES - 1).div_euclid(60 * BLOCK_MINUTES);
    (first..last).collect()
}

/// The daily cap's check inside a booking's transaction (advisor `$a` = `$advisor`, booking
/// `$b`, `$cap`, the JST day `$day_start`..`$day_end`): writes the advisor's row for that day, so
/// two bookings of one capped day serialize, then counts the day's other live bookings.
const DAILY_CAP: &str = "IF $cap != NONE {
        UPSERT type::record('advisor_day', [$advisor, $day_start]) SET bookings += 1;
        IF count(SELECT VALUE id FROM booking WHERE advisor = $a AND id != $b
               AND status IN ['requested', 'confirmed']
               AND start >= <datetime> $day_start AND start < <datetime> $day_end) >= $cap
            { THROW 'day_full'; };
    };";

/// Stores a booking and the time it holds in one transaction. Overlapping time is refused by
/// the unique index of `booking_hold`, whatever server the other booking came through. With a
/// daily cap the transaction also writes the advisor's row for that JST day (`advisor_day`), so
/// two bookings of one capped day serialize and the cap counts every committed booking;
/// bookings of different slots share no other row and never wait on each other.
pub async fn book(db: &Db, b: &NewBooking) -> Result<Result<(), BookRefusal>, DbError> {
    let changes = vec![FieldChange {
        field: "booking".into(),
        before: String::new(),
        after: format!(
            "{} – {}",
            b.span.start.to_rfc3339(),
            b.span.end.to_rfc3339()
        ),
    }];
    let history = booking_history("$requester", "'book'");
    let query = format!(
        "BEGIN TRANSACTION;
         LET $a = type::record('advisor', $advisor);
         LET $b = type::record('booking', $key);
         IF (SELECT VALUE paused FROM ONLY $a) != false {{ THROW 'advisor_paused'; }};
         LET $e = IF $engagement = NONE {{ NONE }} ELSE {{ type::record('engagement', $engagement) }};
         IF $e != NONE AND (SELECT VALUE status FROM ONLY $e) != 'active' {{ THROW 'engagement_ended'; }};
         {DAILY_CAP}
         CREATE $b CONTENT {{
             advisor: $a, requester: type::record('app_user', $requester),
             organisation: type::record('organisation', $organisation), kind: $kind,
             topic: $topic, subject: $subject, description: $description,
             record: $record, step: $step, start: <datetime> $start, end: <datetime> $end,
             status: $status, notice_hours: $notice_hours, engagement: $e }};
         FOR $block IN $blocks {{
             CREATE booking_hold CONTENT {{ advisor: $a, block: $block, booking: $b }};
         }};
         {history}
         {CREATE_NOTICES}
         COMMIT TRANSACTION;"
    );
    let blocks = blocks(b.span, b.buffers);
    let advisor = [UserId::from(b.advisor.as_str())];
    let (notice, recipients) = notice_bindings(&b.notice, if b.notify { &advisor } else { &[] });
    let (record, step) = match &b.record {
        Some((r, s)) => (Some(r.clone()), s.map(i64::from)),
        None => (None, None),
    };
    let outcome = with_retries(|| async {
        let response = db
            .query(query.clone())
            .bind(("advisor", b.advisor.clone()))
            .bind(("key", b.key.clone()))
            .bind(("cap", b.daily_cap.map(i64::from)))
            .bind(("day_start", b.day.start.to_rfc3339()))
            .bind(("day_end", b.day.end.to_rfc3339()))
            .bind(("requester", b.requester.as_str().to_owned()))
            .bind(("organisation", b.organisation.clone()))
            .bind(("kind", b.kind.code()))
            .bind(("topic", b.topic.clone()))
            .bind(("subject", b.subject.clone()))
            .bind(("description", b.description.clone()))
            .bind(("record", record.clone()))
            .bind(("step", step))
            .bind(("start", b.span.start.to_rfc3339()))
            .bind(("end", b.span.end.to_rfc3339()))
            .bind(("status", b.status.code()))
            .bind(("notice_hours", i64::from(b.notice_hours)))
            .bind(("engagement", b.engagement.clone()))
            .bind(("blocks", blocks.clone()))
            .bind(("changes", crate::db::to_value(&changes)))
            .bind(notice.clone())
            .bind(recipients.clone())
            .await?;
        transaction_outcome(response)
    })
    .await;
    match outcome {
        Ok(()) => Ok(Ok(())),
        Err(e) => refusal(&e).map(Err).ok_or(e),
    }
}

/// A booking moved to another time of the same advisor.
pub struct Reschedule<'a> {
    /// The booking.
    pub key: &'a str,
    /// The version the caller saw.
    pub version: &'a str,
    /// The advisor's key.
    pub advisor: &'a str,
    /// The new session.
    pub span: Span,
    /// The advisor's buffers (minutes before, after).
    pub buffers: (u32, u32),
    /// The advisor's daily cap.
    pub daily_cap: Option<u32>,
    /// Who moves it.
    pub actor: &'a UserId,
    /// The history lines (the old and the new time).
    pub changes: &'a [FieldChange],
}

/// Moves booking `key` (as the caller saw it, `version`) to `span` in one transaction: the
/// time it held is freed and the new time held under the same unique index as a booking (so a
/// reschedule never double-books), the daily cap is checked for the new day, the invite's
/// SEQUENCE rises, the history keeps the old and the new time, and `notice` goes to
/// `recipients`. Refusals: [`BookRefusal::SlotTaken`], [`BookRefusal::DayFull`],
/// [`BookRefusal::Changed`].
pub async fn reschedule(
    db: &Db,
    r: &Reschedule<'_>,
    notice: &crate::notifications::model::Notice,
    recipients: &[UserId],
) -> Result<Result<(), BookRefusal>, DbError> {
    let (notice, recipients) = notice_bindings(notice, recipients);
    let history = booking_history("$actor", "'reschedule'");
    let query = format!(
        "BEGIN TRANSACTION;
         LET $a = type::record('advisor', $advisor);
         LET $b = type::record('booking', $key);
         IF <string> (SELECT VALUE updated_at FROM ONLY $b) != $version {{ THROW 'stale_version'; }};
         {DAILY_CAP}
         DELETE booking_hold WHERE booking = $b;
         UPDATE $b SET start = <datetime> $start, end = <datetime> $end, sequence += 1;
         FOR $block IN $blocks {{
             CREATE booking_hold CONTENT {{ advisor: $a, block: $block, booking: $b }};
         }};
         {history}
         {CREATE_NOTICES}
         COMMIT TRANSACTION;"
    );
    let blocks = blocks(r.span, r.buffers);
    let day = jst_day(r.span.start);
    let outcome = with_retries(|| async {
        let response = db
            .query(query.clone())
            .bind(("advisor", r.advisor.to_owned()))
            .bind(("key", r.key.to_owned()))
            .bind(("version", r.version.to_owned()))
            .bind(("cap", r.daily_cap.map(i64::from)))
            .bind(("day_start", day.start.to_rfc3339()))
            .bind(("day_end", day.end.to_rfc3339()))
            .bind(("start", r.span.start.to_rfc3339()))
            .bind(("end", r.span.end.to_rfc3339()))
            .bind(("blocks", blocks.clone()))
            .bind(("actor", r.actor.as_str().to_owned()))
            .bind(("changes", crate::db::to_value(&r.changes)))
            .bind(notice.clone())
            .bind(recipients.clone())
            .await?;
        transaction_outcome(response)
    })
    .await;
    match outcome {
        Ok(()) => Ok(Ok(())),
        Err(e) => refusal(&e).map(Err).ok_or(e),
    }
}

/// A stored booking.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BookingRow {
    /// Its key.
    pub key: String,
    /// The advisor's key.
    pub advisor: String,
    /// The advisor's name (Japanese).
    pub advisor_name_ja: String,
    /// The advisor's name (English).
    pub advisor_name_en: String,
    /// The requester's key.
    pub requester: String,
    /// The requester's name (Japanese).
    pub requester_name_ja: String,
    /// The requester's name (English).
    pub requester_name_en: String,
    /// The requester's organisation key.
    pub organisation: String,
    /// `spot_consultation` or `accompanying_support`.
    pub kind: String,
    /// Topic code.
    pub topic: String,
    /// Subject.
    pub subject: String,
    /// Markdown description.
    pub description: String,
    /// Linked standardization record key.
    pub record: Option<String>,
    /// Linked step (1-based).
    pub step: Option<u32>,
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// End (UTC).
    pub end: DateTime<Utc>,
    /// Status code.
    pub status: String,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// The version a change is checked against (`updated_at`).
    pub version: String,
    /// The calendar invite's SEQUENCE: one more with each change.
    pub sequence: u32,
    /// The advisor's notice window when it was booked (hours).
    pub notice_hours: u32,
    /// The advisor's summary of the session (once completed).
    pub outcome_summary: Option<String>,
    /// The follow-ups the advisor noted.
    pub follow_ups: Option<String>,
    /// The requester's rating, 1–5.
    pub rating: Option<u8>,
    /// The requester's comment with the rating.
    pub rating_comment: Option<String>,
    /// The 伴走 case (engagement key) it is a session of.
    pub engagement: Option<String>,
}

const BOOKING_FIELDS: &str = "meta::id(id) AS key, meta::id(advisor) AS advisor,
    advisor.name_ja AS advisor_name_ja, advisor.name_en AS advisor_name_en,
    meta::id(requester) AS requester, requester.name_ja AS requester_name_ja,
    requester.name_en AS requester_name_en, meta::id(organisation) AS organisation, kind, topic,
    subject, description, record, step, <string> start AS start, <string> end AS end, status,
    cancel_reason, <string> updated_at AS version, sequence, notice_hours, outcome_summary, follow_ups,
    rating, rating_comment,
    (IF engagement != NONE { meta::id(engagement) } ELSE { NONE }) AS engagement";

/// The record `table:key` with `fields` (a projection), if it exists.
async fn one<T: serde::de::DeserializeOwned>(
    db: &Db,
    fields: &str,
    table: &str,
    key: &str,
) -> Result<Option<T>, DbError> {
    let response = db
        .query(format!(
            "SELECT {fields} FROM ONLY type::record($table, $key)"
        ))
        .bind(("table", table.to_owned()))
        .bind(("key", key.to_owned()))
        .await?
        .check()?;
    Ok(first(response)?)
}

/// One booking.
pub async fn booking(db: &Db, key: &str) -> Result<Option<BookingRow>, DbError> {
    one(db, BOOKING_FIELDS, "booking", key).await
}

/// The bookings a user takes part in, newest session first (at most 200): those they asked
/// for, those they give as an advisor, and (with `organisation`) all of that organisation's.
pub async fn bookings_of(
    db: &Db,
    user: &UserId,
    organisation: Option<&str>,
) -> Result<Vec<BookingRow>, DbError> {
    let mut response = db
        .query(format!(
            "SELECT {BOOKING_FIELDS}, start AS sort_start FROM booking
             WHERE requester = type::record('app_user', $user)
                OR advisor = type::record('advisor', $user)
                OR ($org != NONE AND organisation = type::record('organisation', $org))
             ORDER BY sort_start DESC LIMIT 200"
        ))
        .bind(("user", user.as_str().to_owned()))
        .bind(("org", organisation.map(str::to_owned)))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// Every booking, newest session first (at most 200; the secretariat's list).
pub async fn all_bookings(db: &Db) -> Result<Vec<BookingRow>, DbError> {
    let mut response = db
        .query(format!(
            "SELECT {BOOKING_FIELDS}, start AS sort_start FROM booking ORDER BY sort_start DESC LIMIT 200"
        ))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// Advisor `advisor`'s bookings whose session starts in `from..to` (UTC), in time order (every
/// status).
pub async fn advisor_bookings(
    db: &Db,
    advisor: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<BookingRow>, DbError> {
    let mut response = db
        .query(format!(
            "SELECT {BOOKING_FIELDS}, start AS sort_start FROM booking
             WHERE advisor = type::record('advisor', $advisor)
                AND start >= <datetime> $from AND start < <datetime> $to
             ORDER BY sort_start"
        ))
        .bind(("advisor", advisor.to_owned()))
        .bind(("from", from.to_rfc3339()))
        .bind(("to", to.to_rfc3339()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// Every booking as the overview counts it (no subject, description or names), in session
/// order.
pub async fn overview_items(db: &Db) -> Result<Vec<super::model::OverviewItem>, DbError> {
    let mut response = db
        .query(
            "SELECT topic, meta::id(organisation) AS organisation, kind, status,
                 <string> start AS start, <string> created_at AS created_at, rating,
                 start AS sort_start
             FROM booking ORDER BY sort_start",
        )
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// A booking's status change: booking `key` as the caller saw it (`version`) moves to `status`
/// (with a cancel `reason`) by `actor`, with its history lines.
pub struct StatusChange<'a> {
    /// The booking.
    pub key: &'a str,
    /// The version the caller saw.
    pub version: &'a str,
    /// The status after the change.
    pub status: BookingStatus,
    /// Why it was cancelled.
    pub reason: Option<&'a str>,
    /// Who changes it.
    pub actor: &'a UserId,
    /// The history lines.
    pub changes: &'a [FieldChange],
    /// The advisor's outcome on completing it: summary and follow-ups.
    pub outcome: Option<(&'a str, &'a str)>,
}

/// Moves booking `key` from the status the caller saw (`version`) to `status`; a cancel
/// (`reason` given) frees the held time in the same transaction. `Ok(false)`: the booking
/// changed since (someone else acted first, or the same link was used again). `notice` goes to
/// `recipients` in the same transaction.
pub async fn change_status(
    db: &Db,
    change: StatusChange<'_>,
    notice: &crate::notifications::model::Notice,
    recipients: &[UserId],
) -> Result<bool, DbError> {
    let StatusChange {
        key,
        version,
        status,
        reason,
        actor,
        changes,
        outcome: written_outcome,
    } = change;
    let (notice, recipients) = notice_bindings(notice, recipients);
    let history = booking_history("$actor", "'status'");
    let query = format!(
        "BEGIN TRANSACTION;
         LET $b = type::record('booking', $key);
         IF <string> (SELECT VALUE updated_at FROM ONLY $b) != $version {{ THROW 'stale_version'; }};
         UPDATE $b SET status = $status, cancel_reason = $reason, sequence += 1;
         IF $free {{ DELETE booking_hold WHERE booking = $b; }};
         IF $summary != NONE {{ UPDATE $b SET outcome_summary = $summary, follow_ups = $follow_ups; }};
         {history}
         {CREATE_NOTICES}
         COMMIT TRANSACTION;"
    );
    let outcome = with_retries(|| async {
        let response = db
            .query(query.clone())
            .bind(("key", key.to_owned()))
            .bind(("version", version.to_owned()))
            .bind(("status", status.code()))
            .bind(("reason", reason.map(str::to_owned)))
            .bind(("free", !status.holds_time()))
            .bind(("summary", written_outcome.map(|(s, _)| s.to_owned())))
            .bind(("follow_ups", written_outcome.map(|(_, f)| f.to_owned())))
            .bind(("actor", actor.as_str().to_owned()))
            .bind(("changes", crate::db::to_value(&changes)))
            .bind(notice.clone())
            .bind(recipients.clone())
            .await?;
        transaction_outcome(response)
    })
    .await;
    match outcome {
        Ok(()) => Ok(true),
        Err(DbError::Conflict) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Records the requester's rating (1–5) and comment of completed booking `key`, once:
/// `Ok(false)` when it is not completed, already rated, or not `requester`'s.
pub async fn rate(
    db: &Db,
    key: &str,
    requester: &UserId,
    rating: u8,
    comment: &str,
) -> Result<bool, DbError> {
    let updated: Vec<String> = with_retries(|| async {
        let mut response = db
            .query(
                "UPDATE type::record('booking', $key) SET rating = $rating, rating_comment = $comment
                 WHERE status = 'completed' AND rating = NONE
                    AND requester = type::record('app_user', $requester)
                 RETURN VALUE meta::id(id)",
            )
            .bind(("key", key.to_owned()))
            .bind(("rating", i64::from(rating)))
            .bind(("comment", comment.to_owned()))
            .bind(("requester", requester.as_str().to_owned()))
            .await
            .map_err(DbError::from)
            .and_then(crate::db::checked)?;
        Ok(response.take(0)?)
    })
    .await?;
    Ok(!updated.is_empty())
}

/// A stored 伴走 case.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EngagementRow {
    /// Its key.
    pub key: String,
    /// The advisor's key.
    pub advisor: String,
    /// The advisor's name (Japanese).
    pub advisor_name_ja: String,
    /// The advisor's name (English).
    pub advisor_name_en: String,
    /// The municipal contact's key (the requester of its first session).
    pub requester: String,
    /// The contact's name (Japanese).
    pub requester_name_ja: String,
    /// The contact's name (English).
    pub requester_name_en: String,
    /// The municipality's key.
    pub organisation: String,
    /// Topic code.
    pub topic: String,
    /// Title.
    pub title: String,
    /// Markdown goal.
    pub goal: String,
    /// Status code.
    pub status: String,
    /// The version a change is checked against (`updated_at`).
    pub version: String,
    /// When it started (UTC).
    pub created_at: DateTime<Utc>,
}

const ENGAGEMENT_FIELDS: &str = "meta::id(id) AS key, meta::id(advisor) AS advisor,
    advisor.name_ja AS advisor_name_ja, advisor.name_en AS advisor_name_en,
    meta::id(requester) AS requester, requester.name_ja AS requester_name_ja,
    requester.name_en AS requester_name_en, meta::id(organisation) AS organisation, topic,
    title, goal, status, <string> updated_at AS version, <string> created_at AS created_at";

/// A 伴走 case to start from booking `booking` (its first session), by `actor`.
pub struct NewEngagement<'a> {
    /// Its key.
    pub key: &'a str,
    /// The booking it starts from.
    pub booking: &'a BookingRow,
    /// The version of the booking the caller saw.
    pub version: &'a str,
    /// Title.
    pub title: &'a str,
    /// Markdown goal.
    pub goal: &'a str,
    /// Who starts it (the advisor or the secretariat).
    pub actor: &'a UserId,
}

/// Starts a 伴走 case from a booking in one transaction: the case (advisor, municipality,
/// contact and topic from the booking), the booking becomes its first session (kind
/// accompanying support), a history entry for each, the contact notified. `Ok(false)`: the
/// booking changed since the caller saw it, or is already a session of a case.
pub async fn start_engagement(
    db: &Db,
    e: &NewEngagement<'_>,
    notice: &crate::notifications::model::Notice,
    recipients: &[UserId],
) -> Result<bool, DbError> {
    let (notice, recipients) = notice_bindings(notice, recipients);
    let history = crate::history::repo::create_entry(
        "string::concat('engagement:', $engagement)",
        "type::record('app_user', $actor)",
        "'start'",
        "$changes",
    );
    let query = format!(
        "BEGIN TRANSACTION;
         LET $b = type::record('booking', $key);
         LET $row = (SELECT * FROM ONLY $b);
         IF <string> $row.updated_at != $version OR $row.engagement != NONE {{ THROW 'stale_version'; }};
         CREATE type::record('engagement', $engagement) CONTENT {{
             advisor: $row.advisor, requester: $row.requester, organisation: $row.organisation,
             topic: $row.topic, title: $title, goal: $goal, status: 'active' }};
         UPDATE $b SET engagement = type::record('engagement', $engagement),
             kind = 'accompanying_support';
         {history}
         {CREATE_NOTICES}
         COMMIT TRANSACTION;"
    );
    let changes = vec![FieldChange {
        field: "engagement".into(),
        before: String::new(),
        after: e.title.to_owned(),
    }];
    let outcome = with_retries(|| async {
        let response = db
            .query(query.clone())
            .bind(("key", e.booking.key.clone()))
            .bind(("version", e.version.to_owned()))
            .bind(("engagement", e.key.to_owned()))
            .bind(("title", e.title.to_owned()))
            .bind(("goal", e.goal.to_owned()))
            .bind(("actor", e.actor.as_str().to_owned()))
            .bind(("changes", crate::db::to_value(&changes)))
            .bind(notice.clone())
            .bind(recipients.clone())
            .await?;
        transaction_outcome(response)
    })
    .await;
    match outcome {
        Ok(()) => Ok(true),
        Err(DbError::Conflict) => Ok(false),
        Err(e) => Err(e),
    }
}

/// One 伴走 case.
pub async fn engagement(db: &Db, key: &str) -> Result<Option<EngagementRow>, DbError> {
    one(db, ENGAGEMENT_FIELDS, "engagement", key).await
}

/// The 伴走 cases a user takes part in, newest first (at most 200): as contact, as advisor,
/// and (with `organisation`) all of that organisation's; every case with `all`.
pub async fn engagements_of(
    db: &Db,
    user: &UserId,
    organisation: Option<&str>,
    all: bool,
) -> Result<Vec<EngagementRow>, DbError> {
    let mut response = db
        .query(format!(
            "SELECT {ENGAGEMENT_FIELDS}, created_at AS sort_at FROM engagement
             WHERE $all OR requester = type::record('app_user', $user)
                OR advisor = type::record('advisor', $user)
                OR ($org != NONE AND organisation = type::record('organisation', $org))
             ORDER BY sort_at DESC LIMIT 200"
        ))
        .bind(("user", user.as_str().to_owned()))
        .bind(("org", organisation.map(str::to_owned)))
        .bind(("all", all))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// The sessions of 伴走 case `key`, in time order.
pub async fn engagement_sessions(db: &Db, key: &str) -> Result<Vec<BookingRow>, DbError> {
    let mut response = db
        .query(format!(
            "SELECT {BOOKING_FIELDS}, start AS sort_start FROM booking
             WHERE engagement = type::record('engagement', $key) ORDER BY sort_start"
        ))
        .bind(("key", key.to_owned()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// A 伴走 case's status change: case `key` as the caller saw it (`version`) moves to `status`
/// by `actor`, with its history lines.
#[derive(Clone, Copy)]
pub struct EngagementChange<'a> {
    /// The case.
    pub key: &'a str,
    /// The version the caller saw.
    pub version: &'a str,
    /// The status after the change.
    pub status: super::model::EngagementStatus,
    /// Who changes it.
    pub actor: &'a UserId,
    /// The history lines.
    pub changes: &'a [FieldChange],
}

/// Applies `change` with a history entry and `notice` to `recipients`, in one transaction.
/// `Ok(false)`: the case changed since the caller saw it.
pub async fn set_engagement_status(
    db: &Db,
    change: &EngagementChange<'_>,
    notice: &crate::notifications::model::Notice,
    recipients: &[UserId],
) -> Result<bool, DbError> {
    let EngagementChange {
        key,
        version,
        status,
        actor,
        changes,
    } = *change;
    let (notice, recipients) = notice_bindings(notice, recipients);
    let history = crate::history::repo::create_entry(
        "string::concat('engagement:', $key)",
        "type::record('app_user', $actor)",
        "'status'",
        "$changes",
    );
    let query = format!(
        "BEGIN TRANSACTION;
         LET $e = type::record('engagement', $key);
         IF <string> (SELECT VALUE updated_at FROM ONLY $e) != $version {{ THROW 'stale_version'; }};
         UPDATE $e SET status = $status;
         {history}
         {CREATE_NOTICES}
         COMMIT TRANSACTION;"
    );
    let outcome = with_retries(|| async {
        let response = db
            .query(query.clone())
            .bind(("key", key.to_owned()))
            .bind(("version", version.to_owned()))
            .bind(("status", status.code()))
            .bind(("actor", actor.as_str().to_owned()))
            .bind(("changes", crate::db::to_value(&changes)))
            .bind(notice.clone())
            .bind(recipients.clone())
            .await?;
        transaction_outcome(response)
    })
    .await;
    match outcome {
        Ok(()) => Ok(true),
        Err(DbError::Conflict) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The SHA-256 (hex) of a calendar feed token: all that is stored of it.
pub fn feed_token_sha256(token: &str) -> String {
    use sha2::Digest;
    crate::ids::hex(&sha2::Sha256::digest(token.as_bytes()))
}

/// Makes `user`'s calendar feed with a token whose SHA-256 is `token_sha256`, replacing any
/// earlier one (whose address stops working at once).
pub async fn set_calendar_feed(db: &Db, user: &UserId, token_sha256: &str) -> Result<(), DbError> {
    with_retries(|| async {
        let response = db
            .query(
                "BEGIN TRANSACTION;
                 DELETE type::record('calendar_feed', $user);
                 CREATE type::record('calendar_feed', $user) CONTENT { token_sha256: $hash };
                 COMMIT TRANSACTION;",
            )
            .bind(("user", user.as_str().to_owned()))
            .bind(("hash", token_sha256.to_owned()))
            .await?;
        transaction_outcome(response)
    })
    .await
}

/// Deletes `user`'s calendar feed (its address stops working at once).
pub async fn revoke_calendar_feed(db: &Db, user: &UserId) -> Result<(), DbError> {
    with_retries(|| async {
        db.query("DELETE type::record('calendar_feed', $user)")
            .bind(("user", user.as_str().to_owned()))
            .await
            .map_err(DbError::from)
            .and_then(crate::db::checked)
            .map(|_| ())
    })
    .await
}

/// When `user`'s calendar feed was made (UTC), if they have one.
pub async fn calendar_feed_made(db: &Db, user: &UserId) -> Result<Option<DateTime<Utc>>, DbError> {
    let response = db
        .query("SELECT VALUE <string> created_at FROM ONLY type::record('calendar_feed', $user)")
        .bind(("user", user.as_str().to_owned()))
        .await?
        .check()?;
    Ok(first(response)?)
}

/// The user key whose calendar feed has a token with SHA-256 `token_sha256`, if any.
pub async fn calendar_feed_owner(db: &Db, token_sha256: &str) -> Result<Option<String>, DbError> {
    let mut response = db
        .query("SELECT VALUE meta::id(id) FROM calendar_feed WHERE token_sha256 = $hash LIMIT 1")
        .bind(("hash", token_sha256.to_owned()))
        .await?
        .check()?;
    Ok(rows::<String>(&mut response, 0)?.into_iter().next())
}

/// The UTC instant at which JST day `day` starts.
pub fn jst_midnight(day: chrono::NaiveDate) -> DateTime<Utc> {
    super::model::JST
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// The UTC span of the JST day that contains `at`.
pub fn jst_day(at: DateTime<Utc>) -> Span {
    let start = jst_midnight(at.with_timezone(&super::model::JST).date_naive());
    Span {
        start,
        end: start + Duration::days(1),
    }
}

use chrono::TimeZone;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hour_holds_twelve_blocks_and_buffers_add_theirs() {
        let start = Utc.with_ymd_and_hms(2026, 12, 7, 1, 0, 0).unwrap();
        let span = Span {
            start,
            end: start + Duration::minutes(60),
        };
        assert_eq!(blocks(span, (0, 0)).len(), 12);
        assert_eq!(blocks(span, (10, 15)).len(), 12 + 2 + 3);
        let next = Span {
            start: span.end,
            end: span.end + Duration::minutes(60),
        };
        let (a, b) = (blocks(span, (0, 0)), blocks(next, (0, 0)));
        assert!(
            a.iter().all(|x| !b.contains(x)),
            "back-to-back hours share no block"
        );
        let (a, b) = (blocks(span, (0, 15)), blocks(next, (0, 0)));
        assert!(
            a.iter().any(|x| b.contains(x)),
            "a buffer after reaches the next hour"
        );
    }

    #[test]
    fn a_jst_day_starts_at_fifteen_utc() {
        let at = Utc.with_ymd_and_hms(2026, 12, 7, 16, 30, 0).unwrap();
        let day = jst_day(at);
        assert_eq!(
            day.start,
            Utc.with_ymd_and_hms(2026, 12, 7, 15, 0, 0).unwrap()
        );
        assert_eq!(day.end - day.start, Duration::days(1));
    }
}
