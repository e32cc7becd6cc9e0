//! Server functions of the consultations room. Each is a public POST endpoint that checks the
//! caller through [`crate::policy`] itself; the forms post to them directly, so every action
//! works without JavaScript (a refused form comes back with its error, see
//! [`crate::auth::flash`]).

use super::views::{AdvisorProfileView, BookingView, BookingsView, ConsultationsView};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::model::{
        BookingChange, BookingStatus, Candidate, ConsultationKind, JST, Span, check_change,
        round_robin, topics,
    },
    super::repo::{AdvisorProfile, BookRefusal, BookingRow},
    super::views::{AdvisorCard, MAX_SLOTS, SlotOffer},
    crate::auth::model::CurrentUser,
    crate::i18n::Lang,
    crate::policy::{self, BookingAccess},
    crate::state::AppState,
    chrono::{DateTime, Datelike, TimeZone, Utc},
    std::collections::BTreeMap,
};

/// Longest subject, in characters.
#[cfg(feature = "ssr")]
const MAX_SUBJECT_CHARS: usize = 200;
/// Longest description and cancel reason, in characters.
#[cfg(feature = "ssr")]
const MAX_TEXT_CHARS: usize = 10_000;

#[cfg(feature = "ssr")]
fn refused(field: &str, message: impl Fn(Lang) -> &'static str) -> AppError {
    AppError::Rejected {
        field: field.into(),
        ja: message(Lang::Ja).to_owned(),
        en: message(Lang::En).to_owned(),
    }
}

/// The UTC instant that starts this month in JST (the round robin's "this month").
#[cfg(feature = "ssr")]
fn month_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let local = now.with_timezone(&JST);
    JST.with_ymd_and_hms(local.year(), local.month(), 1, 0, 0, 0)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
}

/// Free slots of each advisor in `advisors` at `now`, with what the round robin knows of
/// them: (advisor, free slots, candidate facts).
#[cfg(feature = "ssr")]
async fn offers(
    state: &AppState,
    advisors: &[AdvisorProfile],
    now: DateTime<Utc>,
) -> Result<Vec<(AdvisorProfile, Vec<Span>, Candidate)>, AppError> {
    let keys: Vec<String> = advisors.iter().map(|a| a.key.clone()).collect();
    let month = month_start(now);
    let held = super::repo::held(&state.db, &keys, now - chrono::Duration::days(1), month).await?;
    Ok(advisors
        .iter()
        .map(|a| {
            let mine = held.iter().filter(|(k, ..)| *k == a.key);
            let spans: Vec<Span> = mine
                .clone()
                .filter(|(.., live)| *live)
                .map(|(_, s, ..)| *s)
                .collect();
            let this_month = mine.filter(|(_, _, created, _)| *created >= month).count();
            let free = a.availability.free_slots(&spans, now);
            let candidate = Candidate {
                advisor: a.key.clone(),
                last_booked_at: a.last_booked_at,
                bookings_this_month: u32::try_from(this_month).unwrap_or(u32::MAX),
            };
            (a.clone(), free, candidate)
        })
        .collect())
}

/// The advisors who take bookings on `topic` (all of them for a blank topic), or only
/// `advisor` when one is named; never one whose account is disabled or no longer an advisor.
#[cfg(feature = "ssr")]
async fn advisors_for(
    state: &AppState,
    topic: &str,
    advisor: &str,
) -> Result<Vec<AdvisorProfile>, AppError> {
    Ok(super::repo::advisors(&state.db)
        .await?
        .into_iter()
        .filter(|a| a.bookable)
        .filter(|a| topic.is_empty() || a.topics.iter().any(|t| t == topic))
        .filter(|a| advisor.is_empty() || a.key == advisor)
        .collect())
}

#[cfg(feature = "ssr")]
fn card(a: &AdvisorProfile) -> AdvisorCard {
    let all = topics();
    AdvisorCard {
        key: a.key.clone(),
        name_ja: a.name_ja.clone(),
        name_en: a.name_en.clone(),
        topics: a
            .topics
            .iter()
            .filter_map(|code| all.iter().find(|t| t.code == *code))
            .map(|t| (t.name_ja.clone(), t.name_en.clone()))
            .collect(),
        languages: a.languages.clone(),
        bio_html: crate::markdown::render(&a.bio),
        paused: a.paused,
    }
}

/// The booking page (POST `/api/get_consultations`): every topic; for `topic` (a code, blank
/// for none) the advisors with it, and their free slots merged in time order (at most
/// [`MAX_SLOTS`]), each with how many advisors are free then; only `advisor`'s when one is
/// named. Any signed-in user sees it; `may_book` says whether they may book.
#[server(prefix = "/api", endpoint = "get_consultations")]
pub async fn get_consultations(
    #[server(default)] topic: String,
    #[server(default)] advisor: String,
) -> Result<ConsultationsView, AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let all = topics();
    let topic = if all.iter().any(|t| t.code == topic) {
        topic
    } else {
        String::new()
    };
    let profiles = advisors_for(&state, &topic, &advisor).await?;
    let advisor = if profiles.iter().any(|a| a.key == advisor) {
        advisor
    } else {
        String::new()
    };
    let mut merged: BTreeMap<(DateTime<Utc>, DateTime<Utc>), u32> = BTreeMap::new();
    if !topic.is_empty() {
        let live: Vec<AdvisorProfile> = profiles.iter().filter(|a| !a.paused).cloned().collect();
        for (_, free, _) in offers(&state, &live, Utc::now()).await? {
            for s in free {
                *merged.entry((s.start, s.end)).or_default() += 1;
            }
        }
    }
    Ok(ConsultationsView {
        topics: all.to_vec(),
        topic,
        advisor,
        advisors: profiles.iter().map(card).collect(),
        slots: merged
            .into_iter()
            .take(MAX_SLOTS)
            .map(|((start, end), advisors)| SlotOffer {
                start,
                end,
                advisors,
            })
            .collect(),
        may_book: policy::may_book_consultation(&user),
        is_advisor: user.has(crate::auth::model::Role::GovtechAdvisor),
        request_key: crate::ids::random_key(),
    })
}

/// The booking form's fields, checked.
#[cfg(feature = "ssr")]
struct BookingInput {
    kind: ConsultationKind,
    start: DateTime<Utc>,
    /// The slot's end when the form sent the slot as `start/end` (an ISO 8601 interval).
    end: Option<DateTime<Utc>>,
    subject: String,
    description: String,
    record: Option<(String, Option<u32>)>,
}

/// The slot field of a form: `start` or `start/end` (RFC 3339 instants); `None` when either
/// does not read.
#[cfg(feature = "ssr")]
fn slot_field(text: &str) -> Option<(DateTime<Utc>, Option<DateTime<Utc>>)> {
    let instant = |t: &str| {
        DateTime::parse_from_rfc3339(t.trim())
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    match text.split_once('/') {
        Some((a, b)) => Some((instant(a)?, Some(instant(b)?))),
        None => Some((instant(text)?, None)),
    }
}

#[cfg(feature = "ssr")]
fn booking_input(
    topic: &str,
    kind: &str,
    start: &str,
    subject: &str,
    description: &str,
    record: &str,
    step: &str,
) -> Result<BookingInput, AppError> {
    if !topics().iter().any(|t| t.code == topic) {
        return Err(refused("topic", |l| {
            l.pick("相談分野を選んでください。", "Choose a topic.")
        }));
    }
    let kind = ConsultationKind::from_code(kind).unwrap_or(ConsultationKind::SpotConsultation);
    let (start, end) = slot_field(start).ok_or_else(|| {
        refused("start", |l| {
            l.pick(
                "相談の日時（空き枠）を選んでください。",
                "Choose a time (a free slot).",
            )
        })
    })?;
    let subject = crate::text::clean_line(subject);
    if crate::text::is_blank(&subject) || subject.chars().count() > MAX_SUBJECT_CHARS {
        return Err(refused("subject", |l| {
            l.pick(
                "件名を200文字以内で入力してください。",
                "Enter a subject of at most 200 characters.",
            )
        }));
    }
    let description = crate::text::clean_multiline(description);
    if description.chars().count() > MAX_TEXT_CHARS {
        return Err(refused("description", |l| {
            l.pick(
                "相談内容は10,000文字以内で入力してください。",
                "The description may hold at most 10,000 characters.",
            )
        }));
    }
    let record = record.trim();
    let record = if record.is_empty() {
        None
    } else {
        if !record
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
            || record.len() > 80
        {
            return Err(refused("record", |l| {
                l.pick(
                    "関連する移行記録が正しくありません。",
                    "The linked migration record is not valid.",
                )
            }));
        }
        let step = match step.trim() {
            "" => None,
            n => Some(
                n.parse::<u32>()
                    .ok()
                    .filter(|n| (1..=200).contains(n))
                    .ok_or_else(|| {
                        refused("step", |l| {
                            l.pick(
                                "手順の番号が正しくありません。",
                                "The step number is not valid.",
                            )
                        })
                    })?,
            ),
        };
        Some((record.to_owned(), step))
    };
    Ok(BookingInput {
        kind,
        start,
        end,
        subject,
        description,
        record,
    })
}

/// "This accompanying support has ended": a next session of a case no longer active.
#[cfg(feature = "ssr")]
fn engagement_ended() -> AppError {
    refused("engagement", |l| {
        l.pick(
            "この伴走支援は終了しているため、次回の相談は申し込めません。",
            "This accompanying support has ended; no further sessions can be booked.",
        )
    })
}

/// "This slot was just taken": the answer when every advisor free for the chosen time was
/// booked by someone else first (the page shows the fresh slots with it).
#[cfg(feature = "ssr")]
fn slot_taken() -> AppError {
    refused("start", |l| {
        l.pick(
            "この枠は直前に埋まりました。下の最新の空き枠から選び直してください。",
            "This slot was just taken. Please choose another one from the current free slots below.",
        )
    })
}

pub use book::*;

/// The booking form's server function (its many arguments are the form's fields).
#[allow(clippy::too_many_arguments)]
mod book {
    use super::*;

    /// Books a consultation (POST `/api/book_consultation`) for the caller's municipality: the
    /// chosen free slot (`start`, RFC 3339) with `advisor`, or (blank) the advisor the round robin
    /// picks among those with `topic` free then: least recently booked first, then fewest
    /// bookings this month (JST). `kind` is `spot_consultation` (default) or
    /// `accompanying_support`; `record`/`step` link a standardization record and step. Redirects
    /// to the new booking. Two requests for overlapping time of one advisor never both succeed
    /// (the database refuses the second); the loser gets "this slot was just taken", never a 5xx.
    #[server(prefix = "/api", endpoint = "book_consultation")]
    pub async fn book_consultation(
        #[server(default)] topic: String,
        #[server(default)] advisor: String,
        #[server(default)] kind: String,
        #[server(default)] start: String,
        #[server(default)] subject: String,
        #[server(default)] description: String,
        #[server(default)] record: String,
        #[server(default)] step: String,
        #[server(default)] request_key: String,
        #[server(default)] engagement: String,
    ) -> Result<(), AppError> {
        let crate::auth::request::SignedIn { state, user } =
            crate::auth::request::signed_in().await?;
        if !policy::may_book_consultation(&user) {
            return Err(AppError::Forbidden);
        }
        // The form's one-time key becomes the booking's key: the same form sent twice finds
        // the booking the first one made instead of booking again (another advisor, say).
        let request_key = request_key.trim();
        let key = if request_key.len() == 24
            && request_key
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        {
            request_key.to_owned()
        } else {
            crate::ids::random_key()
        };
        let input = booking_input(
            &topic,
            &kind,
            &start,
            &subject,
            &description,
            &record,
            &step,
        )?;
        // A linked record is one of the caller's own municipality's records.
        if let Some((record, _)) = &input.record {
            let own = record
                .strip_prefix(&format!("{}_", user.organisation.key))
                .is_some_and(|system| state.catalog.systems.iter().any(|s| s.code == system));
            if !own {
                return Err(refused("record", |l| {
                    l.pick(
                        "関連付けられるのは自団体の移行記録だけです。",
                        "Only your own municipality's migration records can be linked.",
                    )
                }));
            }
        }
        // A next session of a 伴走 case: the case's advisor and topic, for the case's
        // municipality.
        let (engagement, advisor, topic) = match engagement.trim() {
            "" => (None, advisor, topic),
            id => {
                let e = visible_engagement(&state, &user, id).await?;
                if !policy::may_book_engagement_session(&user, &e.organisation) {
                    return Err(AppError::Forbidden);
                }
                if e.status != crate::consultations::model::EngagementStatus::Active.code() {
                    return Err(engagement_ended());
                }
                (Some(e.key), e.advisor, e.topic)
            }
        };
        let now = Utc::now();
        let profiles: Vec<AdvisorProfile> = advisors_for(&state, &topic, advisor.trim())
            .await?
            .into_iter()
            .filter(|a| !a.paused)
            .collect();
        let mut free_then: Vec<(AdvisorProfile, Span, Candidate)> = offers(&state, &profiles, now)
            .await?
            .into_iter()
            .filter_map(|(a, free, c)| {
                let slot = free
                    .into_iter()
                    .find(|s| s.start == input.start && input.end.is_none_or(|e| s.end == e))?;
                Some((a, slot, c))
            })
            .collect();
        if free_then.is_empty() {
            return Err(slot_taken());
        }
        let order = round_robin(free_then.iter().map(|(_, _, c)| c.clone()).collect());
        for candidate in order {
            let Some(i) = free_then
                .iter()
                .position(|(a, _, _)| a.key == candidate.advisor)
            else {
                continue;
            };
            let (a, slot, _) = free_then.swap_remove(i);
            let booking = crate::consultations::repo::NewBooking {
                key: key.clone(),
                advisor: a.key.clone(),
                requester: user.id.clone(),
                organisation: user.organisation.key.clone(),
                kind: if engagement.is_some() {
                    ConsultationKind::AccompanyingSupport
                } else {
                    input.kind
                },
                topic: topic.clone(),
                subject: input.subject.clone(),
                description: input.description.clone(),
                record: input.record.clone(),
                span: slot,
                buffers: (
                    a.availability.buffer_before_minutes,
                    a.availability.buffer_after_minutes,
                ),
                daily_cap: a.availability.daily_cap,
                day: crate::consultations::repo::jst_day(slot.start),
                notice: crate::notifications::model::Notice::new(
                    "booking_requested",
                    format!("booking:{key}"),
                    format!("/consultations/bookings/{key}"),
                    (
                        format!(
                            "{}さん（{}）から相談の申込がありました：{}",
                            user.name_ja, user.organisation.name_ja, input.subject
                        ),
                        format!(
                            "{} ({}) booked a consultation: {}",
                            user.name_en, user.organisation.name_en, input.subject
                        ),
                    ),
                    &input.description,
                ),
                notify: true,
                engagement: engagement.clone(),
                status: if a.auto_confirm {
                    BookingStatus::Confirmed
                } else {
                    BookingStatus::Requested
                },
                notice_hours: a.notice_hours,
            };
            match crate::consultations::repo::book(&state.db, &booking).await? {
                Ok(()) => {
                    tracing::info!(user = %user.id, advisor = %a.key, booking = %key, "consultation booked");
                    leptos_axum::redirect(&format!("/consultations/bookings/{key}?booked=1"));
                    return Ok(());
                }
                Err(
                    BookRefusal::SlotTaken
                    | BookRefusal::DayFull
                    | BookRefusal::Paused
                    | BookRefusal::Changed,
                ) => {
                    continue;
                }
                Err(BookRefusal::EngagementEnded) => return Err(engagement_ended()),
                Err(BookRefusal::AlreadyBooked) => {
                    let mine = crate::consultations::repo::booking(&state.db, &key)
                        .await?
                        .is_some_and(|b| b.requester == user.id.as_str());
                    if !mine {
                        return Err(slot_taken());
                    }
                    leptos_axum::redirect(&format!("/consultations/bookings/{key}?booked=1"));
                    return Ok(());
                }
            }
        }
        Err(slot_taken())
    }
}

#[cfg(feature = "ssr")]
fn booking_access(b: &BookingRow) -> BookingAccess<'_> {
    BookingAccess {
        requester: &b.requester,
        organisation: &b.organisation,
        advisor: &b.advisor,
    }
}

#[cfg(feature = "ssr")]
fn booking_view(b: BookingRow, user: &CurrentUser) -> BookingView {
    let all = topics();
    let topic = all
        .iter()
        .find(|t| t.code == b.topic)
        .map(|t| (t.name_ja.clone(), t.name_en.clone()))
        .unwrap_or_else(|| (b.topic.clone(), b.topic.clone()));
    let access = booking_access(&b);
    BookingView {
        may_cancel: policy::may_cancel_booking(user, &access),
        may_give: policy::may_give_booking(user, &access),
        key: b.key.clone(),
        advisor_name: (b.advisor_name_ja.clone(), b.advisor_name_en.clone()),
        requester_name: (b.requester_name_ja.clone(), b.requester_name_en.clone()),
        organisation: b.organisation.clone(),
        kind: ConsultationKind::from_code(&b.kind).unwrap_or(ConsultationKind::SpotConsultation),
        topic,
        subject: b.subject.clone(),
        description_html: crate::markdown::render(&b.description),
        record: b.record.clone().map(|r| (r, b.step)),
        start: b.start,
        end: b.end,
        status: BookingStatus::from_code(&b.status).unwrap_or(BookingStatus::Cancelled),
        cancel_reason: b.cancel_reason.clone(),
        version: b.version.clone(),
        notice_hours: b.notice_hours,
        outcome: b.outcome_summary.as_ref().map(|summary| {
            (
                crate::markdown::render(summary),
                b.follow_ups.clone().unwrap_or_default(),
            )
        }),
        rating: b
            .rating
            .map(|r| (r, b.rating_comment.clone().unwrap_or_default())),
        may_rate: policy::may_rate_booking(user, &access)
            && b.status == BookingStatus::Completed.code()
            && b.rating.is_none(),
        may_reschedule: policy::may_cancel_booking(user, &access)
            && BookingStatus::from_code(&b.status).is_some_and(|s| {
                check_change(
                    s,
                    BookingChange::Reschedule,
                    b.start,
                    Utc::now(),
                    b.notice_hours,
                )
                .is_ok()
            }),
        reschedule_slots: Vec::new(),
        may_start_engagement: b.engagement.is_none()
            && policy::may_manage_engagement(user, &access)
            && !matches!(
                BookingStatus::from_code(&b.status),
                Some(BookingStatus::Cancelled | BookingStatus::NoShow) | None
            ),
        engagement: b.engagement.clone(),
    }
}

/// The free slots of booking `b`'s advisor at `now` that it may move to: the advisor's current
/// hours and rules, with the time `b` holds itself counted as free.
#[cfg(feature = "ssr")]
async fn reschedule_slots(
    state: &AppState,
    b: &BookingRow,
    now: DateTime<Utc>,
) -> Result<(AdvisorProfile, Vec<Span>), AppError> {
    let a = super::repo::advisors(&state.db)
        .await?
        .into_iter()
        .find(|a| a.key == b.advisor)
        .ok_or(AppError::NotFound)?;
    let held = super::repo::held(
        &state.db,
        std::slice::from_ref(&a.key),
        now - chrono::Duration::days(1),
        month_start(now),
    )
    .await?;
    let others: Vec<Span> = held
        .into_iter()
        .filter(|(.., live)| *live)
        .map(|(_, s, ..)| s)
        .filter(|s| !(s.start == b.start && s.end == b.end))
        .collect();
    // An advisor who may no longer give consultations offers no new time; the booking's own
    // time is not a move.
    let free = if a.bookable {
        a.availability
            .free_slots(&others, now)
            .into_iter()
            .filter(|s| !(s.start == b.start && s.end == b.end))
            .collect()
    } else {
        Vec::new()
    };
    Ok((a, free))
}

/// "This consultation has already been changed": the answer to a change sent for a version
/// that is no longer current (a second click, a replayed link, the other side acted first).
#[cfg(feature = "ssr")]
fn changed_already() -> AppError {
    refused("version", |l| {
        l.pick(
            "この相談はすでに変更されています。ページを再読み込みしてください。",
            "This consultation has already been changed. Reload the page.",
        )
    })
}

/// A booking's or case's key as a request names it: 1–64 ASCII letters and digits, or 404.
#[cfg(feature = "ssr")]
fn record_key(id: &str) -> Result<&str, AppError> {
    let id = id.trim();
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::NotFound);
    }
    Ok(id)
}

/// A booking the caller may see.
#[cfg(feature = "ssr")]
async fn visible_booking(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<BookingRow, AppError> {
    let b = super::repo::booking(&state.db, record_key(id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::may_read_booking(user, &booking_access(&b)) {
        return Err(AppError::NotFound);
    }
    Ok(b)
}

/// GET `/consultations/bookings/{id}/invite.ics`: the booking as a calendar invite
/// ([`super::ics::invite`]) for those who may see it (404 for anyone else).
#[cfg(feature = "ssr")]
pub async fn invite_ics(
    axum::extract::State(state): axum::extract::State<AppState>,
    session: tower_sessions::Session,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> axum::response::Response {
    let bytes = async {
        let user = policy::require_user(crate::auth::request::user_of(&state, &session).await?)?;
        let b = visible_booking(&state, &user, &id).await?;
        let page = format!("{}/consultations/bookings/{}", state.public_url, b.key);
        Ok(super::ics::invite(&b, &page).into_bytes())
    };
    crate::http::attachment(
        "kyodo_consultation.ics",
        "text/calendar; charset=utf-8",
        bytes.await,
    )
}

/// The organisation whose bookings and cases `user` sees besides their own: a CIO's own.
#[cfg(feature = "ssr")]
fn cio_organisation(user: &CurrentUser) -> Option<&str> {
    user.has(crate::auth::model::Role::Cio)
        .then_some(user.organisation.key.as_str())
}

/// The caller's bookings (POST `/api/list_bookings`): as requester and as advisor; a CIO
/// also sees their municipality's; the secretariat sees every booking. Newest session first,
/// at most 200.
#[server(prefix = "/api", endpoint = "list_bookings")]
pub async fn list_bookings() -> Result<BookingsView, AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let rows = if policy::may_read_all_bookings(&user) {
        super::repo::all_bookings(&state.db).await?
    } else {
        super::repo::bookings_of(&state.db, &user.id, cio_organisation(&user)).await?
    };
    let session = crate::auth::request::session().await?;
    let fresh: Option<String> = session
        .remove(NEW_FEED_TOKEN)
        .await
        .map_err(AppError::internal)?;
    // Shown only if it is the feed's current token (two "make" clicks at once keep one).
    let fresh = match fresh {
        Some(token) => {
            super::repo::calendar_feed_owner(&state.db, &super::repo::feed_token_sha256(&token))
                .await?
                .filter(|owner| owner == user.id.as_str())
                .map(|_| token)
        }
        None => None,
    };
    Ok(BookingsView {
        bookings: rows
            .into_iter()
            .filter(|b| policy::may_read_booking(&user, &booking_access(b)))
            .map(|b| booking_view(b, &user))
            .collect(),
        calendar_feed_made: super::repo::calendar_feed_made(&state.db, &user.id).await?,
        new_calendar_feed: fresh.map(|token| feed_url(&state, &token)),
        may_read_overview: policy::may_read_consultation_overview(&user),
        is_advisor: user.has(crate::auth::model::Role::GovtechAdvisor),
        engagements: engagements_for(&state, &user).await?,
    })
}

/// The session key under which a feed token just made waits to be shown once.
#[cfg(feature = "ssr")]
const NEW_FEED_TOKEN: &str = "consultations.new_calendar_feed";

/// A calendar feed's absolute address.
#[cfg(feature = "ssr")]
fn feed_url(state: &AppState, token: &str) -> String {
    format!("{}/consultations/feed/{token}/kyodo.ics", state.public_url)
}

/// Makes the caller's private calendar feed (POST `/api/create_calendar_feed`): any signed-in
/// user; a new random token (256 bits) replaces any earlier one, whose address stops working.
/// Only the token's SHA-256 is stored; the address is shown once, on the page this redirects
/// to (`/consultations/bookings#calendar`).
#[server(prefix = "/api", endpoint = "create_calendar_feed")]
pub async fn create_calendar_feed() -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let token = format!(
        "{}{}{}",
        crate::ids::random_key(),
        crate::ids::random_key(),
        &crate::ids::random_key()[..16]
    );
    super::repo::set_calendar_feed(&state.db, &user.id, &super::repo::feed_token_sha256(&token))
        .await?;
    let session = crate::auth::request::session().await?;
    session
        .insert(NEW_FEED_TOKEN, token)
        .await
        .map_err(AppError::internal)?;
    tracing::info!(user = %user.id, "calendar feed made");
    leptos_axum::redirect("/consultations/bookings?feed=1#calendar");
    Ok(())
}

/// Stops the caller's calendar feed (POST `/api/revoke_calendar_feed`): its address answers
/// 404 from now on. Redirects to `/consultations/bookings#calendar`.
#[server(prefix = "/api", endpoint = "revoke_calendar_feed")]
pub async fn revoke_calendar_feed() -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    super::repo::revoke_calendar_feed(&state.db, &user.id).await?;
    tracing::info!(user = %user.id, "calendar feed revoked");
    leptos_axum::redirect("/consultations/bookings?feed=0#calendar");
    Ok(())
}

/// GET `/consultations/feed/{token}/kyodo.ics`: the private calendar feed of the token's owner
/// (their bookings as requester and as advisor, [`super::ics::feed`]), for calendar apps that
/// cannot sign in. 404 for an unknown or revoked token, or when the owner's account is no
/// longer active.
#[cfg(feature = "ssr")]
pub async fn calendar_feed(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> axum::response::Response {
    let bytes = async {
        if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        let hash = super::repo::feed_token_sha256(&token);
        let owner = super::repo::calendar_feed_owner(&state.db, &hash)
            .await?
            .ok_or(AppError::NotFound)?;
        let user = crate::auth::repo::active_user(&state.db, &state.catalog, &owner)
            .await?
            .ok_or(AppError::NotFound)?;
        let rows: Vec<BookingRow> = super::repo::bookings_of(&state.db, &user.id, None)
            .await?
            .into_iter()
            .filter(|b| policy::may_read_booking(&user, &booking_access(b)))
            .collect();
        let page = |key: &str| format!("{}/consultations/bookings/{key}", state.public_url);
        Ok(super::ics::feed(&rows, page).into_bytes())
    };
    crate::http::attachment(
        "kyodo_consultations.ics",
        "text/calendar; charset=utf-8",
        bytes.await,
    )
}

/// One booking (POST `/api/get_booking`): for its requester, their municipality's CIO, its
/// advisor and the secretariat; anyone else gets 404. With `reschedule` (and when the caller
/// may move it now) it also lists the advisor's free slots to move it to.
#[server(prefix = "/api", endpoint = "get_booking")]
pub async fn get_booking(
    id: String,
    #[server(default)] reschedule: bool,
) -> Result<BookingView, AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let b = visible_booking(&state, &user, &id).await?;
    let slots = if reschedule {
        let (_, free) = reschedule_slots(&state, &b, Utc::now()).await?;
        free.into_iter()
            .take(MAX_SLOTS)
            .map(|s| SlotOffer {
                start: s.start,
                end: s.end,
                advisors: 1,
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut view = booking_view(b, &user);
    if view.may_reschedule {
        view.reschedule_slots = slots;
    }
    Ok(view)
}

/// Moves a booking to another free slot of its advisor (POST `/api/reschedule_booking`): either
/// side (requester, advisor, secretariat), while it is requested or confirmed and until the
/// notice window before the session (the refusal says so). `start` is the new slot as
/// `start/end` (RFC 3339 UTC). In one transaction the old time is freed and the new one held
/// (never double-booked: "this slot was just taken" otherwise), the history keeps both times,
/// the invite's SEQUENCE rises and the other side is notified. A form sent again for the same
/// version does nothing ("already changed"). Redirects back to the booking.
#[server(prefix = "/api", endpoint = "reschedule_booking")]
pub async fn reschedule_booking(
    id: String,
    #[server(default)] version: String,
    #[server(default)] start: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let b = visible_booking(&state, &user, &id).await?;
    if !policy::may_cancel_booking(&user, &booking_access(&b)) {
        return Err(AppError::Forbidden);
    }
    if version != b.version {
        return Err(changed_already());
    }
    let now = Utc::now();
    let status = BookingStatus::from_code(&b.status).unwrap_or(BookingStatus::Cancelled);
    check_change(
        status,
        BookingChange::Reschedule,
        b.start,
        now,
        b.notice_hours,
    )
    .map_err(|e| AppError::Rejected {
        field: "start".into(),
        ja: e.message(Lang::Ja),
        en: e.message(Lang::En),
    })?;
    let choose = || {
        refused("start", |l| {
            l.pick(
                "変更後の日時（空き枠）を選んでください。",
                "Choose the new time (a free slot).",
            )
        })
    };
    let span = match slot_field(&start) {
        Some((start, Some(end))) => Span { start, end },
        _ => return Err(choose()),
    };
    if span.start == b.start && span.end == b.end {
        return Err(refused("start", |l| {
            l.pick(
                "今と違う日時を選んでください。",
                "Choose a time other than the current one.",
            )
        }));
    }
    let (a, free) = reschedule_slots(&state, &b, now).await?;
    if !free.contains(&span) {
        return Err(slot_taken());
    }
    let changes = [crate::history::model::FieldChange {
        field: "start".into(),
        before: format!("{} – {}", b.start.to_rfc3339(), b.end.to_rfc3339()),
        after: format!("{} – {}", span.start.to_rfc3339(), span.end.to_rfc3339()),
    }];
    let notice = crate::notifications::model::Notice::new(
        "booking_changed",
        format!("booking:{}", b.key),
        format!("/consultations/bookings/{}", b.key),
        (
            format!(
                "{}さんが相談「{}」の日時を{}に変更しました",
                user.name_ja,
                b.subject,
                crate::i18n::fmt_jst(span.start, Lang::Ja)
            ),
            format!(
                "{} moved the consultation “{}” to {}",
                user.name_en,
                b.subject,
                crate::i18n::fmt_jst(span.start, Lang::En)
            ),
        ),
        "",
    );
    let change = super::repo::Reschedule {
        key: &b.key,
        version: &version,
        advisor: &a.key,
        span,
        buffers: (
            a.availability.buffer_before_minutes,
            a.availability.buffer_after_minutes,
        ),
        daily_cap: a.availability.daily_cap,
        actor: &user.id,
        changes: &changes,
    };
    match super::repo::reschedule(
        &state.db,
        &change,
        &notice,
        &other_side(&b.requester, &b.advisor, &user),
    )
    .await?
    {
        Ok(()) => {
            tracing::info!(user = %user.id, booking = %b.key, "booking rescheduled");
            leptos_axum::redirect(&format!("/consultations/bookings/{}?changed=1", b.key));
            Ok(())
        }
        Err(BookRefusal::Changed | BookRefusal::AlreadyBooked) => Err(changed_already()),
        Err(
            BookRefusal::SlotTaken
            | BookRefusal::DayFull
            | BookRefusal::Paused
            | BookRefusal::EngagementEnded,
        ) => Err(slot_taken()),
    }
}

/// Who hears of a change made by `user` to a booking or case with `requester` and `advisor`:
/// those two, not the one who acted.
#[cfg(feature = "ssr")]
fn other_side(requester: &str, advisor: &str, user: &CurrentUser) -> Vec<crate::ids::UserId> {
    [requester, advisor]
        .into_iter()
        .filter(|k| *k != user.id.as_str())
        .map(crate::ids::UserId::from)
        .collect()
}

/// Writes a checked change; a booking changed since the caller saw it (`version`) is refused
/// with "already changed" (a second click or a replayed link does nothing).
#[cfg(feature = "ssr")]
async fn apply(
    state: &AppState,
    user: &CurrentUser,
    b: &BookingRow,
    version: &str,
    after: BookingStatus,
    reason: Option<&str>,
    outcome: Option<(&str, &str)>,
) -> Result<(), AppError> {
    let changes = [crate::history::model::FieldChange {
        field: "status".into(),
        before: b.status.clone(),
        after: after.code().to_owned(),
    }];
    let (ja, en) = (after.label(Lang::Ja), after.label(Lang::En));
    let notice = crate::notifications::model::Notice::new(
        "booking_changed",
        format!("booking:{}", b.key),
        format!("/consultations/bookings/{}", b.key),
        (
            format!(
                "{}さんが相談「{}」を「{ja}」にしました",
                user.name_ja, b.subject
            ),
            format!(
                "{} marked the consultation “{}” {}",
                user.name_en,
                b.subject,
                en.to_lowercase()
            ),
        ),
        reason.unwrap_or_default(),
    );
    let recipients = other_side(&b.requester, &b.advisor, user);
    let change = super::repo::StatusChange {
        key: &b.key,
        version,
        status: after,
        reason,
        actor: &user.id,
        changes: &changes,
        outcome,
    };
    let done = super::repo::change_status(&state.db, change, &notice, &recipients).await?;
    if !done {
        return Err(changed_already());
    }
    tracing::info!(user = %user.id, booking = %b.key, status = after.code(), "booking changed");
    leptos_axum::redirect(&format!("/consultations/bookings/{}?changed=1", b.key));
    Ok(())
}

/// Cancels a booking (POST `/api/cancel_booking`) with a reason, by either side, until the
/// advisor's notice window before the session (e.g. 24 hours; the refusal says so). The
/// booking's time is free again at once. Redirects back to the booking.
#[server(prefix = "/api", endpoint = "cancel_booking")]
pub async fn cancel_booking(
    id: String,
    #[server(default)] version: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let b = visible_booking(&state, &user, &id).await?;
    let notice = b.notice_hours;
    if !policy::may_cancel_booking(&user, &booking_access(&b)) {
        return Err(AppError::Forbidden);
    }
    let reason = crate::text::clean_multiline(&reason);
    if crate::text::is_blank(&reason) || reason.chars().count() > MAX_TEXT_CHARS {
        return Err(refused("reason", |l| {
            l.pick(
                "取消の理由を入力してください。",
                "Give a reason for cancelling.",
            )
        }));
    }
    let status = BookingStatus::from_code(&b.status).unwrap_or(BookingStatus::Cancelled);
    let after =
        check_change(status, BookingChange::Cancel, b.start, Utc::now(), notice).map_err(|e| {
            AppError::Rejected {
                field: "reason".into(),
                ja: e.message(Lang::Ja),
                en: e.message(Lang::En),
            }
        })?;
    apply(&state, &user, &b, &version, after, Some(&reason), None).await
}

/// The advisor's side of a booking (POST `/api/give_booking`): `change` is `confirm` (a
/// request), `complete` (once the session has started, with the outcome: a `summary`, required,
/// and `follow_ups`) or `no_show`. Redirects back to the booking.
#[server(prefix = "/api", endpoint = "give_booking")]
pub async fn give_booking(
    id: String,
    #[server(default)] version: String,
    #[server(default)] change: String,
    #[server(default)] summary: String,
    #[server(default)] follow_ups: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let b = visible_booking(&state, &user, &id).await?;
    let notice = b.notice_hours;
    if !policy::may_give_booking(&user, &booking_access(&b)) {
        return Err(AppError::Forbidden);
    }
    let change = match change.as_str() {
        "confirm" => BookingChange::Confirm,
        "complete" => BookingChange::Complete,
        "no_show" => BookingChange::NoShow,
        _ => {
            return Err(AppError::Invalid {
                field: "change".into(),
                reason: "unknown change".into(),
            });
        }
    };
    let status = BookingStatus::from_code(&b.status).unwrap_or(BookingStatus::Cancelled);
    let after = check_change(status, change, b.start, Utc::now(), notice).map_err(|e| {
        AppError::Rejected {
            field: "change".into(),
            ja: e.message(Lang::Ja),
            en: e.message(Lang::En),
        }
    })?;
    let (summary, follow_ups) = (
        crate::text::clean_multiline(&summary),
        crate::text::clean_multiline(&follow_ups),
    );
    let outcome = if change == BookingChange::Complete {
        if crate::text::is_blank(&summary)
            || summary.chars().count() > MAX_TEXT_CHARS
            || follow_ups.chars().count() > MAX_TEXT_CHARS
        {
            return Err(refused("summary", |l| {
                l.pick(
                    "相談の記録（概要）を10,000文字以内で入力してください。",
                    "Write a summary of the session (at most 10,000 characters).",
                )
            }));
        }
        Some((summary.as_str(), follow_ups.as_str()))
    } else {
        None
    };
    apply(&state, &user, &b, &version, after, None, outcome).await
}

/// Rates a completed booking (POST `/api/rate_booking`): its requester, once, 1–5 with an
/// optional comment. Redirects back to the booking.
#[server(prefix = "/api", endpoint = "rate_booking")]
pub async fn rate_booking(
    id: String,
    #[server(default)] rating: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let b = visible_booking(&state, &user, &id).await?;
    if !policy::may_rate_booking(&user, &booking_access(&b)) {
        return Err(AppError::Forbidden);
    }
    let rating = rating
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|r| (1..=5).contains(r))
        .ok_or_else(|| {
            refused("rating", |l| {
                l.pick(
                    "評価を1〜5で選んでください。",
                    "Choose a rating from 1 to 5.",
                )
            })
        })?;
    let comment = crate::text::clean_multiline(&comment);
    if comment.chars().count() > MAX_TEXT_CHARS {
        return Err(refused("comment", |l| {
            l.pick(
                "コメントは10,000文字以内で入力してください。",
                "The comment may hold at most 10,000 characters.",
            )
        }));
    }
    if !super::repo::rate(&state.db, &b.key, &user.id, rating, &comment).await? {
        return Err(refused("rating", |l| {
            l.pick(
                "評価できるのは完了した相談に一度だけです。",
                "A consultation can be rated once, after it took place.",
            )
        }));
    }
    tracing::info!(user = %user.id, booking = %b.key, rating, "booking rated");
    leptos_axum::redirect(&format!("/consultations/bookings/{}?changed=1", b.key));
    Ok(())
}

/// The caller's advisor profile, or a new one (no hours yet: no slots are offered until
/// hours are set).
#[cfg(feature = "ssr")]
async fn own_profile(state: &AppState, user: &CurrentUser) -> Result<AdvisorProfile, AppError> {
    let found = super::repo::advisors(&state.db)
        .await?
        .into_iter()
        .find(|a| a.key == user.id.as_str());
    Ok(found.unwrap_or_else(|| AdvisorProfile {
        key: user.id.to_string(),
        // The profile keeps at most 100 characters of a name (the schema's limit).
        name_ja: user.name_ja.chars().take(100).collect(),
        name_en: user.name_en.chars().take(100).collect(),
        topics: Vec::new(),
        languages: vec!["ja".into()],
        bio: String::new(),
        paused: false,
        auto_confirm: true,
        notice_hours: 24,
        availability: super::model::Availability::usual(Vec::new()),
        last_booked_at: None,
        bookable: true,
    }))
}

/// The caller's advisor profile as the form shows it (POST `/api/get_advisor_profile`):
/// GovTech Tokyo advisors only (their own profile).
#[server(prefix = "/api", endpoint = "get_advisor_profile")]
pub async fn get_advisor_profile() -> Result<AdvisorProfileView, AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    if !policy::may_edit_advisor(&user, user.id.as_str()) {
        return Err(AppError::Forbidden);
    }
    let p = own_profile(&state, &user).await?;
    let a = &p.availability;
    Ok(AdvisorProfileView {
        topics: topics().to_vec(),
        chosen: p.topics.clone(),
        languages: p.languages.join(", "),
        bio: p.bio.clone(),
        paused: p.paused,
        auto_confirm: p.auto_confirm,
        notice_hours: p.notice_hours,
        time_zone: a.time_zone.name().to_owned(),
        weekly: super::model::weekly_text(&a.weekly),
        overrides: super::model::overrides_text(&a.overrides),
        slot_minutes: a.slot_minutes,
        buffer_before_minutes: a.buffer_before_minutes,
        buffer_after_minutes: a.buffer_after_minutes,
        minimum_notice_hours: a.minimum_notice_minutes / 60,
        horizon_days: a.horizon_days,
        daily_cap: a.daily_cap,
    })
}

/// A whole number in `range` that is a multiple of `step`, or the field's error.
#[cfg(feature = "ssr")]
fn number_in(
    field: &str,
    value: &str,
    range: std::ops::RangeInclusive<u32>,
    step: u32,
) -> Result<u32, AppError> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| range.contains(n) && n % step == 0)
        .ok_or_else(|| AppError::Rejected {
            field: field.into(),
            ja: format!(
                "{}〜{}の整数{}で入力してください。",
                range.start(),
                range.end(),
                if step > 1 {
                    format!("（{step}の倍数）")
                } else {
                    String::new()
                }
            ),
            en: format!(
                "Enter a whole number from {} to {}{}.",
                range.start(),
                range.end(),
                if step > 1 {
                    format!(" (a multiple of {step})")
                } else {
                    String::new()
                }
            ),
        })
}

pub use profile::*;

/// The profile form's server function (its many arguments are the form's fields).
#[allow(clippy::too_many_arguments)]
mod profile {
    use super::*;

    /// Saves the caller's advisor profile (POST `/api/save_advisor_profile`): topics (codes of
    /// the topic list, at least one while taking bookings), languages (comma-separated), a
    /// Markdown bio, pause, automatic confirmation, the notice window (hours), the time zone of
    /// the hours (IANA name), weekly hours and date overrides as text (a line each; errors name
    /// the line), slot length and buffers (minutes, multiples of 5), minimum notice (hours),
    /// horizon (days) and daily cap (blank: none). GovTech Tokyo advisors only. Redirects back
    /// to the form with `?saved=1`. Bookings already made keep their time.
    #[server(prefix = "/api", endpoint = "save_advisor_profile")]
    pub async fn save_advisor_profile(
        #[server(default)] topics: Vec<String>,
        #[server(default)] languages: String,
        #[server(default)] bio: String,
        #[server(default)] paused: String,
        #[server(default)] auto_confirm: String,
        #[server(default)] notice_hours: String,
        #[server(default)] time_zone: String,
        #[server(default)] weekly: String,
        #[server(default)] overrides: String,
        #[server(default)] slot_minutes: String,
        #[server(default)] buffer_before_minutes: String,
        #[server(default)] buffer_after_minutes: String,
        #[server(default)] minimum_notice_hours: String,
        #[server(default)] horizon_days: String,
        #[server(default)] daily_cap: String,
    ) -> Result<(), AppError> {
        let crate::auth::request::SignedIn { state, user } =
            crate::auth::request::signed_in().await?;
        if !policy::may_edit_advisor(&user, user.id.as_str()) {
            return Err(AppError::Forbidden);
        }
        let known = super::topics();
        let mut chosen: Vec<String> = Vec::new();
        for t in topics {
            if !known.iter().any(|k| k.code == t) {
                return Err(AppError::Invalid {
                    field: "topics".into(),
                    reason: "unknown topic".into(),
                });
            }
            if !chosen.contains(&t) {
                chosen.push(t);
            }
        }
        let paused = !paused.is_empty();
        if chosen.is_empty() && !paused {
            return Err(refused("topics", |l| {
                l.pick(
                    "相談を受け付ける分野を1つ以上選んでください（受付停止中は不要です）。",
                    "Choose at least one topic (not needed while bookings are paused).",
                )
            }));
        }
        let languages: Vec<String> = languages
            .split([',', '、', ' '])
            .map(|l| l.trim().to_lowercase())
            .filter(|l| !l.is_empty())
            .collect();
        if languages.is_empty()
            || languages.len() > 10
            || languages
                .iter()
                .any(|l| l.len() > 8 || !l.chars().all(|c| c.is_ascii_alphabetic() || c == '-'))
        {
            return Err(refused("languages", |l| {
                l.pick(
                    "対応言語を「ja, en」のように言語コードで入力してください。",
                    "Enter languages as codes, e.g. “ja, en”.",
                )
            }));
        }
        let bio = crate::text::clean_multiline(&bio);
        if bio.chars().count() > 5000 {
            return Err(refused("bio", |l| {
                l.pick(
                    "自己紹介は5,000文字以内で入力してください。",
                    "The bio may hold at most 5,000 characters.",
                )
            }));
        }
        let time_zone: chrono_tz::Tz = time_zone.trim().parse().map_err(|_| {
            refused("time_zone", |l| {
                l.pick(
                    "タイムゾーンを「Asia/Tokyo」のようなIANA名で入力してください。",
                    "Enter the time zone as an IANA name such as “Asia/Tokyo”.",
                )
            })
        })?;
        let line_error = |field: &str, e: super::super::model::LineError| AppError::Rejected {
            field: field.into(),
            ja: e.ja,
            en: e.en,
        };
        let weekly =
            super::super::model::parse_weekly(&weekly).map_err(|e| line_error("weekly", e))?;
        let overrides = super::super::model::parse_overrides(&overrides)
            .map_err(|e| line_error("overrides", e))?;
        let daily_cap = match daily_cap.trim() {
            "" => None,
            v => Some(number_in("daily_cap", v, 1..=20, 1)?),
        };
        let mut profile = own_profile(&state, &user).await?;
        profile.topics = chosen;
        profile.languages = languages;
        profile.bio = bio;
        profile.paused = paused;
        profile.auto_confirm = !auto_confirm.is_empty();
        profile.notice_hours = number_in("notice_hours", &notice_hours, 0..=720, 1)?;
        profile.availability = super::super::model::Availability {
            time_zone,
            weekly,
            overrides,
            slot_minutes: number_in("slot_minutes", &slot_minutes, 15..=240, 5)?,
            buffer_before_minutes: number_in(
                "buffer_before_minutes",
                &buffer_before_minutes,
                0..=120,
                5,
            )?,
            buffer_after_minutes: number_in(
                "buffer_after_minutes",
                &buffer_after_minutes,
                0..=120,
                5,
            )?,
            minimum_notice_minutes: number_in(
                "minimum_notice_hours",
                &minimum_notice_hours,
                0..=720,
                1,
            )? * 60,
            horizon_days: number_in("horizon_days", &horizon_days, 1..=180, 1)?,
            daily_cap,
        };
        super::super::repo::save_advisor(&state.db, &profile).await?;
        tracing::info!(user = %user.id, "advisor profile saved");
        leptos_axum::redirect("/consultations/profile?saved=1");
        Ok(())
    }
}

/// An advisor's day or week (POST `/api/get_advisor_schedule`): `advisor` (blank: the caller),
/// `date` (`YYYY-MM-DD`, JST; blank: today) and `days` (`1` for the day, anything else for the
/// week from Monday). Their bookings of every status, by JST day. The advisor themself and the
/// secretariat; anyone else is refused.
#[server(prefix = "/api", endpoint = "get_advisor_schedule")]
pub async fn get_advisor_schedule(
    #[server(default)] advisor: String,
    #[server(default)] date: String,
    #[server(default)] days: String,
) -> Result<super::views::ScheduleView, AppError> {
    use chrono::{Duration, NaiveDate};
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let advisor = match advisor.trim() {
        "" => user.id.as_str().to_owned(),
        a => a.to_owned(),
    };
    if !policy::may_read_schedule(&user, &advisor) {
        return Err(AppError::Forbidden);
    }
    let profile = super::repo::advisors(&state.db)
        .await?
        .into_iter()
        .find(|a| a.key == advisor)
        .ok_or(AppError::NotFound)?;
    let today = Utc::now().with_timezone(&JST).date_naive();
    // Years 2000–2100 only: the period's arithmetic never leaves chrono's range.
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&d.year()))
        .unwrap_or(today);
    let days: u32 = if days.trim() == "1" { 1 } else { 7 };
    let first = if days == 7 {
        date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
    } else {
        date
    };
    let start_of = super::repo::jst_midnight;
    let period = Duration::days(i64::from(days));
    let rows = super::repo::advisor_bookings(
        &state.db,
        &advisor,
        start_of(first),
        start_of(first + period),
    )
    .await?;
    let views: Vec<BookingView> = rows.into_iter().map(|b| booking_view(b, &user)).collect();
    let schedule = (0..days)
        .map(|i| {
            let day = first + Duration::days(i64::from(i));
            super::views::ScheduleDay {
                date: day,
                bookings: views
                    .iter()
                    .filter(|b| b.start.with_timezone(&JST).date_naive() == day)
                    .cloned()
                    .collect(),
            }
        })
        .collect();
    Ok(super::views::ScheduleView {
        advisor,
        advisor_name: (profile.name_ja, profile.name_en),
        days,
        schedule,
        previous: first - period,
        next: first + period,
    })
}

/// GovTech Tokyo's overview (POST `/api/get_consultation_overview`): every booking counted by
/// topic, municipality and month of the session (JST, newest first), with held, cancelled and
/// missed sessions, the average rating and the average lead time from request to session
/// (hours). Counts only: no subject, description or name. GovTech Tokyo and the secretariat.
#[server(prefix = "/api", endpoint = "get_consultation_overview")]
pub async fn get_consultation_overview() -> Result<super::views::OverviewView, AppError> {
    use super::model::{tally, tally_by};
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    if !policy::may_read_consultation_overview(&user) {
        return Err(AppError::Forbidden);
    }
    let items = super::repo::overview_items(&state.db).await?;
    let all = topics();
    let topic_label = |code: &str| {
        all.iter()
            .find(|t| t.code == code)
            .map(|t| (t.name_ja.clone(), t.name_en.clone()))
            .unwrap_or_else(|| (code.to_owned(), code.to_owned()))
    };
    let org_name = |key: &str| {
        state
            .catalog
            .organisation(key)
            .map(|o| (o.name_ja.clone(), o.name_en.clone()))
            .unwrap_or_else(|| (key.to_owned(), key.to_owned()))
    };
    let mut by_month = tally_by(&items, |i| i.month());
    by_month.reverse();
    Ok(super::views::OverviewView {
        total: tally("", &items),
        by_topic: tally_by(&items, |i| i.topic.clone())
            .into_iter()
            .map(|t| {
                let label = topic_label(&t.key);
                (t, label)
            })
            .collect(),
        by_municipality: tally_by(&items, |i| i.organisation.clone())
            .into_iter()
            .map(|t| {
                let name = org_name(&t.key);
                (t, name)
            })
            .collect(),
        by_month,
    })
}

/// GET `/consultations/overview.csv`: every booking as the overview counts it, a row each
/// (UTF-8 with BOM, CRLF; [`crate::csv_output`]): month and start of the session (JST), topic,
/// municipality (lg code and name), kind, status, lead time (hours), rating. No subject,
/// description or names. GovTech Tokyo and the secretariat (403 otherwise).
#[cfg(feature = "ssr")]
pub async fn overview_csv(
    axum::extract::State(state): axum::extract::State<AppState>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    let bytes = async {
        let user = policy::require_user(crate::auth::request::user_of(&state, &session).await?)?;
        if !policy::may_read_consultation_overview(&user) {
            return Err(AppError::Forbidden);
        }
        let items = super::repo::overview_items(&state.db).await?;
        let all = topics();
        let mut w = crate::csv_output::writer();
        // Writing to a Vec cannot fail.
        let _ = w.write_record([
            "月",
            "開始日時",
            "相談分野コード",
            "相談分野",
            "団体コード",
            "団体名",
            "種類",
            "状況",
            "申込から相談までの時間",
            "評価",
        ]);
        for i in &items {
            let topic = all
                .iter()
                .find(|t| t.code == i.topic)
                .map_or_else(|| i.topic.clone(), |t| t.name_ja.clone());
            let org = state
                .catalog
                .organisation(&i.organisation)
                .map_or_else(|| i.organisation.clone(), |o| o.name_ja.clone());
            let kind = ConsultationKind::from_code(&i.kind)
                .map_or_else(|| i.kind.clone(), |k| k.label(Lang::Ja).to_owned());
            let status = BookingStatus::from_code(&i.status)
                .map_or_else(|| i.status.clone(), |s| s.label(Lang::Ja).to_owned());
            let _ = w.write_record([
                i.month(),
                crate::ids::Timestamp(i.start).jst(),
                i.topic.clone(),
                crate::csv_output::neutralize(&topic),
                i.organisation.clone(),
                crate::csv_output::neutralize(&org),
                kind,
                status,
                format!("{:.1}", i.lead_hours()),
                i.rating.map(|r| r.to_string()).unwrap_or_default(),
            ]);
        }
        Ok(w.into_inner().unwrap_or_default())
    };
    crate::http::attachment(
        "kyodo_consultations.csv",
        "text/csv; charset=utf-8",
        bytes.await,
    )
}

#[cfg(feature = "ssr")]
fn engagement_access(e: &super::repo::EngagementRow) -> BookingAccess<'_> {
    BookingAccess {
        requester: &e.requester,
        organisation: &e.organisation,
        advisor: &e.advisor,
    }
}

/// The thread subject of 伴走 case `key`.
#[cfg(feature = "ssr")]
fn engagement_subject(key: &str) -> String {
    format!("engagement:{key}")
}

/// A 伴走 case the caller may see (404 otherwise, also for a malformed key).
#[cfg(feature = "ssr")]
async fn visible_engagement(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<super::repo::EngagementRow, AppError> {
    let e = super::repo::engagement(&state.db, record_key(id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::may_read_engagement(user, &engagement_access(&e)) {
        return Err(AppError::NotFound);
    }
    Ok(e)
}

/// A 伴走 case as listed.
#[cfg(feature = "ssr")]
fn engagement_summary(
    state: &AppState,
    e: &super::repo::EngagementRow,
) -> super::views::EngagementSummary {
    use super::model::EngagementStatus;
    super::views::EngagementSummary {
        key: e.key.clone(),
        title: e.title.clone(),
        status: EngagementStatus::from_code(&e.status).unwrap_or(EngagementStatus::Closed),
        advisor_name: (e.advisor_name_ja.clone(), e.advisor_name_en.clone()),
        organisation_name: state
            .catalog
            .organisation(&e.organisation)
            .map(|o| (o.name_ja.clone(), o.name_en.clone()))
            .unwrap_or_else(|| (e.organisation.clone(), e.organisation.clone())),
    }
}

/// The 伴走 cases the caller takes part in (as for bookings), newest first.
#[cfg(feature = "ssr")]
async fn engagements_for(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<super::views::EngagementSummary>, AppError> {
    let all = policy::may_read_all_bookings(user);
    Ok(
        super::repo::engagements_of(&state.db, &user.id, cio_organisation(user), all)
            .await?
            .iter()
            .filter(|e| policy::may_read_engagement(user, &engagement_access(e)))
            .map(|e| engagement_summary(state, e))
            .collect(),
    )
}

/// Starts a 伴走 case (accompanying support) from a booking (POST `/api/start_engagement`):
/// its advisor or the secretariat, for a booking not cancelled or missed and not yet part of a
/// case. `title` (1–200 characters) and a Markdown `goal` (required, at most 10,000). The
/// booking becomes the case's first session; the municipal contact is notified. A form sent
/// again does nothing ("already changed"). Redirects to the case's page.
#[server(prefix = "/api", endpoint = "start_engagement")]
pub async fn start_engagement(
    id: String,
    #[server(default)] version: String,
    #[server(default)] title: String,
    #[server(default)] goal: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let b = visible_booking(&state, &user, &id).await?;
    if !policy::may_manage_engagement(&user, &booking_access(&b)) {
        return Err(AppError::Forbidden);
    }
    if b.engagement.is_some() || version != b.version {
        return Err(changed_already());
    }
    let status = BookingStatus::from_code(&b.status).unwrap_or(BookingStatus::Cancelled);
    if matches!(status, BookingStatus::Cancelled | BookingStatus::NoShow) {
        return Err(AppError::Rejected {
            field: "title".into(),
            ja: super::model::BookingRuleError::NotNow(status).message(Lang::Ja),
            en: super::model::BookingRuleError::NotNow(status).message(Lang::En),
        });
    }
    let title = crate::text::clean_line(&title);
    if crate::text::is_blank(&title) || title.chars().count() > MAX_SUBJECT_CHARS {
        return Err(refused("title", |l| {
            l.pick(
                "伴走支援の名前を200文字以内で入力してください。",
                "Name the accompanying support (at most 200 characters).",
            )
        }));
    }
    let goal = crate::text::clean_multiline(&goal);
    if crate::text::is_blank(&goal) || goal.chars().count() > MAX_TEXT_CHARS {
        return Err(refused("goal", |l| {
            l.pick(
                "伴走支援の目標を10,000文字以内で入力してください。",
                "Write the goal of the support (at most 10,000 characters).",
            )
        }));
    }
    let key = crate::ids::random_key();
    let notice = crate::notifications::model::Notice::new(
        "engagement_started",
        engagement_subject(&key),
        format!("/consultations/engagements/{key}"),
        (
            format!("{}さんが伴走支援「{title}」を始めました", user.name_ja),
            format!(
                "{} started the accompanying support “{title}”",
                user.name_en
            ),
        ),
        &goal,
    );
    let new = super::repo::NewEngagement {
        key: &key,
        booking: &b,
        version: &version,
        title: &title,
        goal: &goal,
        actor: &user.id,
    };
    if !super::repo::start_engagement(
        &state.db,
        &new,
        &notice,
        &other_side(&b.requester, &b.advisor, &user),
    )
    .await?
    {
        return Err(changed_already());
    }
    tracing::info!(user = %user.id, booking = %b.key, engagement = %key, "engagement started");
    leptos_axum::redirect(&format!("/consultations/engagements/{key}?started=1"));
    Ok(())
}

/// One 伴走 case (POST `/api/get_engagement`): its goal, status, sessions and thread. Those who
/// may see its bookings (contact, municipality's CIO, advisor, secretariat); 404 for anyone else.
#[server(prefix = "/api", endpoint = "get_engagement")]
pub async fn get_engagement(id: String) -> Result<super::views::EngagementView, AppError> {
    use super::model::EngagementStatus;
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let e = visible_engagement(&state, &user, &id).await?;
    let sessions = super::repo::engagement_sessions(&state.db, &e.key)
        .await?
        .into_iter()
        .filter(|b| policy::may_read_booking(&user, &booking_access(b)))
        .map(|b| booking_view(b, &user))
        .collect();
    let mut posts = crate::threads::repo::posts(&state.db, &engagement_subject(&e.key)).await?;
    for post in &mut posts {
        post.body_html = crate::markdown::render(&post.body);
    }
    let summary = engagement_summary(&state, &e);
    let topic = topics()
        .iter()
        .find(|t| t.code == e.topic)
        .map(|t| (t.name_ja.clone(), t.name_en.clone()))
        .unwrap_or_else(|| (e.topic.clone(), e.topic.clone()));
    Ok(super::views::EngagementView {
        may_manage: policy::may_manage_engagement(&user, &engagement_access(&e)),
        may_book_next: summary.status == EngagementStatus::Active
            && policy::may_book_engagement_session(&user, &e.organisation),
        summary,
        requester_name: (e.requester_name_ja.clone(), e.requester_name_en.clone()),
        topic,
        topic_code: e.topic.clone(),
        advisor: e.advisor.clone(),
        goal_html: crate::markdown::render(&e.goal),
        version: e.version.clone(),
        sessions,
        posts,
    })
}

/// Changes a 伴走 case's status (POST `/api/change_engagement`): its advisor or the secretariat;
/// `status` is `active`, `completed` or `closed`. Checked against the `version` the caller saw
/// (a form sent again does nothing); the contact hears of it. Redirects back to the case.
#[server(prefix = "/api", endpoint = "change_engagement")]
pub async fn change_engagement(
    id: String,
    #[server(default)] version: String,
    #[server(default)] status: String,
) -> Result<(), AppError> {
    use super::model::EngagementStatus;
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let e = visible_engagement(&state, &user, &id).await?;
    if !policy::may_manage_engagement(&user, &engagement_access(&e)) {
        return Err(AppError::Forbidden);
    }
    let after = EngagementStatus::from_code(&status).ok_or_else(|| {
        refused("status", |l| {
            l.pick("状況を選んでください。", "Choose a status.")
        })
    })?;
    if after.code() == e.status {
        return Err(refused("status", |l| {
            l.pick(
                "今と違う状況を選んでください。",
                "Choose a status other than the current one.",
            )
        }));
    }
    let changes = [crate::history::model::FieldChange {
        field: "status".into(),
        before: e.status.clone(),
        after: after.code().to_owned(),
    }];
    let notice = crate::notifications::model::Notice::new(
        "engagement_changed",
        engagement_subject(&e.key),
        format!("/consultations/engagements/{}", e.key),
        (
            format!(
                "{}さんが伴走支援「{}」を「{}」にしました",
                user.name_ja,
                e.title,
                after.label(Lang::Ja)
            ),
            format!(
                "{} marked the accompanying support “{}” {}",
                user.name_en,
                e.title,
                after.label(Lang::En).to_lowercase()
            ),
        ),
        "",
    );
    let recipients = other_side(&e.requester, &e.advisor, &user);
    let change = super::repo::EngagementChange {
        key: &e.key,
        version: &version,
        status: after,
        actor: &user.id,
        changes: &changes,
    };
    if !super::repo::set_engagement_status(&state.db, &change, &notice, &recipients).await? {
        return Err(changed_already());
    }
    tracing::info!(user = %user.id, engagement = %e.key, status = after.code(), "engagement changed");
    leptos_axum::redirect(&format!("/consultations/engagements/{}?changed=1", e.key));
    Ok(())
}

/// Posts in a 伴走 case's thread (POST `/api/post_engagement_comment`): Markdown, 1–10,000
/// characters, optionally answering a post of the same thread; anyone who may see the case.
/// Its contact, its advisor and the thread's earlier authors who may still see it are notified
/// (never the author), in the same transaction. Redirects back to the case at the new post.
///
/// Errors: [`AppError::NotFound`] for a case the caller may not see; [`AppError::Rejected`]
/// for an empty or too long body; [`AppError::Invalid`] for a `reply_to` that is not a post
/// of this thread.
#[server(prefix = "/api", endpoint = "post_engagement_comment")]
pub async fn post_engagement_comment(
    id: String,
    body: String,
    #[server(default)] reply_to: String,
) -> Result<(), AppError> {
    let crate::auth::request::SignedIn { state, user } = crate::auth::request::signed_in().await?;
    let e = visible_engagement(&state, &user, &id).await?;
    let subject = engagement_subject(&e.key);
    let body = crate::threads::server::clean_body(&body)?;
    let reply_to = crate::threads::server::reply_in(&state, &subject, &reply_to).await?;
    let mut recipients: Vec<crate::ids::UserId> = vec![
        crate::ids::UserId::from(e.requester.as_str()),
        crate::ids::UserId::from(e.advisor.as_str()),
    ];
    // Earlier authors (a CIO, the secretariat) while they may still see the case.
    for author in crate::threads::repo::participants(&state.db, &subject).await? {
        let still = crate::auth::repo::active_user(&state.db, &state.catalog, &author)
            .await?
            .is_some_and(|u| policy::may_read_engagement(&u, &engagement_access(&e)));
        if still {
            recipients.push(crate::ids::UserId::from(author.as_str()));
        }
    }
    recipients.sort();
    recipients.dedup();
    recipients.retain(|r| *r != user.id);
    let post_id = crate::ids::random_key();
    let notice = crate::notifications::model::Notice::new(
        "engagement_comment",
        subject.clone(),
        format!("/consultations/engagements/{}#comment-{post_id}", e.key),
        (
            format!(
                "{}さんが伴走支援「{}」に投稿しました",
                user.name_ja, e.title
            ),
            format!(
                "{} posted on the accompanying support “{}”",
                user.name_en, e.title
            ),
        ),
        &body,
    );
    let post = crate::threads::repo::NewPost {
        id: &post_id,
        subject: &subject,
        author_id: &user.id,
        body: &body,
        reply_to: reply_to.as_ref(),
    };
    crate::threads::repo::add_post(&state.db, post, &notice, &recipients).await?;
    tracing::info!(user = %user.id, engagement = %e.key, "engagement comment posted");
    leptos_axum::redirect(&format!(
        "/consultations/engagements/{}?posted=1#comment-{post_id}",
        e.key
    ));
    Ok(())
}
