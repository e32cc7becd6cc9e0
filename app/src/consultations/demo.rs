//! Demo advisors for a first look (demo mode only): the demo GovTech Tokyo advisor account
//! and a second advisor, so that the round robin has a choice.

use super::model::{Availability, WeeklyHours};
use super::repo::AdvisorProfile;
use chrono::{NaiveTime, Weekday};

fn hours(days: &[Weekday], from: u32, to: u32) -> Vec<WeeklyHours> {
    let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
    days.iter()
        .map(|&weekday| WeeklyHours {
            weekday,
            start: at(from),
            end: at(to),
        })
        .collect()
}

/// The demo advisors: `demo_govtech_advisor` (the demo sign-in's advisor; weekdays 10–12 and
/// 14–17 JST) and `demo_govtech_advisor_2` (Monday, Wednesday and Friday 13–17 JST), both on
/// 60-minute slots, 10 minutes after each, 24 hours' notice, 30 days ahead, 4 a day.
pub fn advisors() -> Vec<AdvisorProfile> {
    use Weekday::*;
    let availability = Availability::usual;
    let mut first = hours(&[Mon, Tue, Wed, Thu, Fri], 10, 12);
    first.extend(hours(&[Mon, Tue, Wed, Thu, Fri], 14, 17));
    vec![
        AdvisorProfile {
            key: "demo_govtech_advisor".into(),
            name_ja: "デモ GovTech東京 アドバイザー".into(),
            name_en: "Demo GovTech Tokyo advisor".into(),
            topics: vec![
                "standardization".into(),
                "government_cloud".into(),
                "procurement_specification".into(),
            ],
            languages: vec!["ja".into(), "en".into()],
            bio: "標準化・ガバメントクラウド移行の**伴走支援**を担当しています。".into(),
            paused: false,
            auto_confirm: true,
            notice_hours: 24,
            availability: availability(first),
            last_booked_at: None,
            bookable: true,
        },
        AdvisorProfile {
            key: "demo_govtech_advisor_2".into(),
            name_ja: "デモ アドバイザー（セキュリティ）".into(),
            name_en: "Demo advisor (security)".into(),
            topics: vec!["standardization".into(), "security".into(), "ai".into()],
            languages: vec!["ja".into()],
            bio: "情報セキュリティとAI活用の相談を受け付けています。".into(),
            paused: false,
            auto_confirm: false,
            notice_hours: 24,
            availability: availability(hours(&[Mon, Wed, Fri], 13, 17)),
            last_booked_at: None,
            bookable: true,
        },
    ]
}

/// The demo's one session that has already taken place: `city_staff` (八王子市) with
/// `demo_govtech_advisor`, 10:00–11:00 JST on the weekday before `now`, confirmed and waiting for
/// the advisor's record (so that recording an outcome and rating it can be tried at once).
/// Its key is fixed (`demoheldsession`), so storing it again does nothing.
pub fn held_session(now: chrono::DateTime<chrono::Utc>) -> super::repo::NewBooking {
    use super::model::{BookingStatus, ConsultationKind, JST, Span};
    use chrono::{Datelike, Duration, TimeZone, Utc};
    let mut day = now.with_timezone(&JST).date_naive() - Duration::days(1);
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day -= Duration::days(1);
    }
    let at = |h| {
        JST.from_local_datetime(&day.and_hms_opt(h, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now)
    };
    let span = Span {
        start: at(10),
        end: at(11),
    };
    super::repo::NewBooking {
        key: "demoheldsession".into(),
        advisor: "demo_govtech_advisor".into(),
        requester: crate::ids::UserId::from("demo_city_staff"),
        organisation: "132012".into(),
        kind: ConsultationKind::SpotConsultation,
        topic: "standardization".into(),
        subject: "住民記録システムの移行計画の相談（デモ）".into(),
        description: "移行計画の**スケジュール**について相談しました。".into(),
        record: Some(("132012_resident_registry".into(), None)),
        span,
        buffers: (0, 0),
        daily_cap: None,
        day: super::repo::jst_day(span.start),
        status: BookingStatus::Confirmed,
        notice: crate::notifications::model::Notice::new(
            "booking_requested",
            "booking:demoheldsession".to_owned(),
            "/consultations/bookings/demoheldsession".to_owned(),
            (
                "デモの相談が登録されました".to_owned(),
                "A demo consultation was stored".to_owned(),
            ),
            "",
        ),
        notify: false,
        engagement: None,
        notice_hours: 24,
    }
}
