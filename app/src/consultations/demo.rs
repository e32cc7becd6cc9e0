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
        },
    ]
}
