//! Talent-sharing consultations through the HTTP surface: the slot offer, race-free booking
//! (one server and two over one database), the round robin, who may book and see what, and
//! the lifecycle with its notice window and single-use changes.

use crate::common::{TestApp, TestUser, form};
use app::auth::model::Role;
use app::consultations::model::{Availability, BookingStatus, JST, WeeklyHours};
use app::consultations::repo::AdvisorProfile;
use app::consultations::views::{BookingView, ConsultationsView, SlotOffer};
use chrono::{Datelike, NaiveTime, Weekday};
use http::StatusCode;

fn ok(status: StatusCode) -> bool {
    status.is_success() || status.is_redirection()
}

async fn offer(app: &TestApp, who: &TestUser, topic: &str) -> ConsultationsView {
    let reply = app
        .post(
            "/api/get_consultations",
            &form(&[("topic", topic), ("advisor", "")]),
            Some(&who.cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.decode()
}

/// Books `slot` on `topic`; the status, the booking key (from the redirect) and the body.
async fn book(
    app: &TestApp,
    who: &TestUser,
    topic: &str,
    slot: &SlotOffer,
) -> (StatusCode, Option<String>, String) {
    let start = slot.start.to_rfc3339();
    let reply = app
        .post(
            "/api/book_consultation",
            &form(&[
                ("topic", topic),
                ("advisor", ""),
                ("kind", "spot_consultation"),
                ("start", start.as_str()),
                ("subject", "標準化の移行計画について"),
                ("description", "**ベンダとの調整**について相談したいです。"),
                ("record", ""),
                ("step", ""),
            ]),
            Some(&who.cookie),
        )
        .await;
    let key = reply.location.as_deref().and_then(|l| {
        l.strip_prefix("/consultations/bookings/")
            .map(|k| k.split('?').next().unwrap_or_default().to_owned())
    });
    (reply.status, key, reply.body)
}

async fn booking(app: &TestApp, who: &TestUser, key: &str) -> (StatusCode, Option<BookingView>) {
    let reply = app
        .post("/api/get_booking", &form(&[("id", key)]), Some(&who.cookie))
        .await;
    let view = (reply.status == StatusCode::OK).then(|| reply.decode());
    (reply.status, view)
}

async fn municipal_staff(app: &TestApp, n: usize) -> Vec<TestUser> {
    let orgs: Vec<String> = app
        .state
        .catalog
        .municipalities()
        .take(n)
        .map(|o| o.key.clone())
        .collect();
    let mut users = Vec::new();
    for org in &orgs {
        users.push(app.user(Role::Staff, org).await);
    }
    users
}

#[tokio::test]
async fn of_many_simultaneous_bookings_of_one_slot_on_two_servers_exactly_one_wins() {
    let app = TestApp::new().await;
    let other_server = app.second_server();
    let users = municipal_staff(&app, 20).await;
    // "security" is given by one demo advisor only.
    let before = offer(&app, &users[0], "security").await;
    assert!(before.may_book);
    let slot = *before.slots.first().expect("the demo advisor offers slots");
    assert_eq!(slot.advisors, 1);
    assert!(
        slot.start > chrono::Utc::now() + chrono::Duration::hours(24),
        "minimum notice"
    );
    let attempts = users.iter().enumerate().map(|(i, u)| {
        let server = if i % 2 == 0 { &app } else { &other_server };
        book(server, u, "security", &slot)
    });
    let outcomes = futures::future::join_all(attempts).await;
    let won: Vec<_> = outcomes.iter().filter(|(s, _, _)| ok(*s)).collect();
    assert_eq!(won.len(), 1, "{outcomes:?}");
    for (status, _, body) in outcomes.iter().filter(|(s, _, _)| !ok(*s)) {
        assert_eq!(*status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body.contains("just taken"), "{body}");
    }
    let stored: i64 = app
        .state
        .db
        .query("RETURN count(SELECT id FROM booking WHERE id != booking:demoheldsession)")
        .await
        .unwrap()
        .take::<Option<i64>>(0)
        .unwrap()
        .unwrap();
    assert_eq!(stored, 1);
    let after = offer(&other_server, &users[1], "security").await;
    assert!(
        !after.slots.iter().any(|s| s.start == slot.start),
        "the slot is gone everywhere"
    );
    // The winner's booking is confirmed at once (this advisor confirms by hand: requested).
    let key = won[0].1.clone().unwrap();
    let winner = &users[outcomes.iter().position(|(s, _, _)| ok(*s)).unwrap()];
    let (status, view) = booking(&app, winner, &key).await;
    assert_eq!(status, StatusCode::OK);
    let view = view.unwrap();
    assert_eq!(view.status, BookingStatus::Requested);
    assert_eq!(view.start, slot.start);
    assert!(
        view.description_html.contains("<strong>"),
        "{}",
        view.description_html
    );
}

#[tokio::test]
async fn the_round_robin_gives_a_shared_slot_to_each_advisor_in_turn_then_refuses() {
    let app = TestApp::new().await;
    let users = municipal_staff(&app, 3).await;
    let offered = offer(&app, &users[0], "standardization").await;
    let slot = *offered
        .slots
        .iter()
        .find(|s| s.advisors == 2)
        .expect("both demo advisors share some hours");
    let (s1, k1, b1) = book(&app, &users[0], "standardization", &slot).await;
    let (s2, k2, b2) = book(&app, &users[1], "standardization", &slot).await;
    assert!(ok(s1) && ok(s2), "{b1} {b2}");
    let (_, v1) = booking(&app, &users[0], &k1.unwrap()).await;
    let (_, v2) = booking(&app, &users[1], &k2.unwrap()).await;
    let (v1, v2) = (v1.unwrap(), v2.unwrap());
    assert_ne!(v1.advisor_name, v2.advisor_name, "each advisor took one");
    let (s3, _, b3) = book(&app, &users[2], "standardization", &slot).await;
    assert_eq!(s3, StatusCode::BAD_REQUEST, "{b3}");
    assert!(b3.contains("just taken"), "{b3}");
}

#[tokio::test]
async fn only_municipal_staff_book_and_a_booking_is_seen_by_its_parties_only() {
    let app = TestApp::new().await;
    let staff = app.user(Role::Staff, "131164").await;
    let cio = app.user(Role::Cio, "131164").await;
    let other = app.user(Role::Staff, "131016").await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let officer = app.user(Role::TokyoOfficer, "130001").await;
    let slot = *offer(&app, &staff, "security").await.slots.first().unwrap();

    let (status, _, _) = book(&app, &advisor, "security", &slot).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let signed_out = app
        .post(
            "/api/book_consultation",
            &form(&[("topic", "security")]),
            None,
        )
        .await;
    assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED);
    assert!(!offer(&app, &advisor, "security").await.may_book);

    let (status, key, body) = book(&app, &staff, "security", &slot).await;
    assert!(ok(status), "{body}");
    let key = key.unwrap();
    for (who, seen) in [
        (&staff, true),
        (&cio, true),
        (&officer, true),
        (&other, false),
        (&advisor, false),
    ] {
        let (status, _) = booking(&app, who, &key).await;
        assert_eq!(status == StatusCode::OK, seen, "{status}");
        if !seen {
            assert_eq!(status, StatusCode::NOT_FOUND);
        }
    }
    let cancel = form(&[("id", key.as_str()), ("version", ""), ("reason", "x")]);
    let reply = app
        .post("/api/cancel_booking", &cancel, Some(&cio.cookie))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::FORBIDDEN,
        "a colleague sees it but does not cancel it"
    );

    // Bad input says which field.
    let bad = app
        .post(
            "/api/book_consultation",
            &form(&[
                ("topic", "security"),
                ("start", "tomorrow"),
                ("subject", "x"),
            ]),
            Some(&staff.cookie),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("\"start\""), "{}", bad.body);
    let blank = app
        .post(
            "/api/book_consultation",
            &form(&[
                ("topic", "security"),
                ("start", &slot.start.to_rfc3339()),
                ("subject", " "),
            ]),
            Some(&staff.cookie),
        )
        .await;
    assert_eq!(blank.status, StatusCode::BAD_REQUEST);
    assert!(blank.body.contains("\"subject\""), "{}", blank.body);
}

#[tokio::test]
async fn a_cancel_frees_the_slot_once_and_a_replayed_cancel_does_nothing() {
    let app = TestApp::new().await;
    let staff = app.user(Role::Staff, "131164").await;
    let slot = *offer(&app, &staff, "security").await.slots.first().unwrap();
    let (_, key, _) = book(&app, &staff, "security", &slot).await;
    let key = key.unwrap();
    let (_, view) = booking(&app, &staff, &key).await;
    let version = view.unwrap().version;

    let blank = form(&[
        ("id", key.as_str()),
        ("version", version.as_str()),
        ("reason", " "),
    ]);
    let reply = app
        .post("/api/cancel_booking", &blank, Some(&staff.cookie))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("\"reason\""), "{}", reply.body);

    let cancel = form(&[
        ("id", key.as_str()),
        ("version", version.as_str()),
        ("reason", "日程が合わなくなりました"),
    ]);
    let reply = app
        .post("/api/cancel_booking", &cancel, Some(&staff.cookie))
        .await;
    assert!(ok(reply.status), "{}", reply.body);
    let (_, view) = booking(&app, &staff, &key).await;
    let view = view.unwrap();
    assert_eq!(view.status, BookingStatus::Cancelled);
    assert_eq!(
        view.cancel_reason.as_deref(),
        Some("日程が合わなくなりました")
    );
    assert!(
        offer(&app, &staff, "security")
            .await
            .slots
            .iter()
            .any(|s| s.start == slot.start)
    );

    let replay = app
        .post("/api/cancel_booking", &cancel, Some(&staff.cookie))
        .await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST, "{}", replay.body);
    let (_, again) = booking(&app, &staff, &key).await;
    assert_eq!(again.unwrap().version, view.version, "nothing was written");
}

#[tokio::test]
async fn inside_the_notice_window_a_cancel_is_refused_with_the_window_and_the_advisor_confirms() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let mut profile = all_day_profile(&advisor.id, "children_dx", 60, None);
    profile.auto_confirm = false;
    profile.notice_hours = 720;
    profile.availability.minimum_notice_minutes = 0;
    assert!(
        app::consultations::repo::insert_advisor(&app.state.db, &profile)
            .await
            .unwrap()
    );
    let staff = app.user(Role::Staff, "131164").await;
    let slot = *offer(&app, &staff, "children_dx")
        .await
        .slots
        .first()
        .unwrap();
    let (status, key, body) = book(&app, &staff, "children_dx", &slot).await;
    assert!(ok(status), "{body}");
    let key = key.unwrap();
    let (_, view) = booking(&app, &staff, &key).await;
    let view = view.unwrap();
    assert_eq!(view.status, BookingStatus::Requested);

    // The requester cannot confirm; the advisor can, once.
    let confirm = form(&[
        ("id", key.as_str()),
        ("version", view.version.as_str()),
        ("change", "confirm"),
    ]);
    let reply = app
        .post("/api/give_booking", &confirm, Some(&staff.cookie))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .post("/api/give_booking", &confirm, Some(&advisor.cookie))
        .await;
    assert!(ok(reply.status), "{}", reply.body);
    let after = booking(&app, &advisor, &key).await.1.unwrap();
    assert_eq!(after.status, BookingStatus::Confirmed);
    let replay = app
        .post("/api/give_booking", &confirm, Some(&advisor.cookie))
        .await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST, "{}", replay.body);

    // A confirmed session inside the window cannot be cancelled; the refusal says the window.
    let cancel = form(&[
        ("id", key.as_str()),
        ("version", after.version.as_str()),
        ("reason", "急用"),
    ]);
    let reply = app
        .post("/api/cancel_booking", &cancel, Some(&staff.cookie))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("720"), "{}", reply.body);

    // A request not yet confirmed may be declined by the advisor inside the window.
    let next = offer(&app, &staff, "children_dx").await.slots[0];
    let (status, second, body) = book(&app, &staff, "children_dx", &next).await;
    assert!(ok(status), "{body}");
    let second = second.unwrap();
    let requested = booking(&app, &advisor, &second).await.1.unwrap();
    let decline = form(&[
        ("id", second.as_str()),
        ("version", requested.version.as_str()),
        ("reason", "この日は出張のため"),
    ]);
    let reply = app
        .post("/api/cancel_booking", &decline, Some(&advisor.cookie))
        .await;
    assert!(ok(reply.status), "{}", reply.body);
    let declined = booking(&app, &staff, &second).await.1.unwrap();
    assert_eq!(declined.status, BookingStatus::Cancelled);
}

fn profile_form(topic: &str, weekly: &str, paused: bool) -> String {
    let mut fields = vec![
        ("topics[0]", topic),
        ("languages", "ja, en"),
        ("bio", "データ活用の**相談**を受けます"),
        ("auto_confirm", "1"),
        ("notice_hours", "24"),
        ("time_zone", "Europe/Berlin"),
        ("weekly", weekly),
        ("overrides", ""),
        ("slot_minutes", "30"),
        ("buffer_before_minutes", "0"),
        ("buffer_after_minutes", "0"),
        ("minimum_notice_hours", "0"),
        ("horizon_days", "14"),
        ("daily_cap", ""),
    ];
    if paused {
        fields.push(("paused", "1"));
    }
    form(&fields)
}

#[tokio::test]
async fn an_advisor_sets_hours_in_their_own_zone_and_the_offer_follows_and_pausing_stops_it() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let staff = app.user(Role::Staff, "131164").await;

    let refused = app
        .post(
            "/api/save_advisor_profile",
            &profile_form("data_ebpm", "月 09:00-10:00", false),
            Some(&staff.cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let bad = app
        .post(
            "/api/save_advisor_profile",
            &profile_form("data_ebpm", "月 09:00-10:00\n月曜 9時から", false),
            Some(&advisor.cookie),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body.contains("\"weekly\"") && bad.body.contains("Line 2"),
        "{}",
        bad.body
    );
    assert!(
        offer(&app, &staff, "data_ebpm").await.slots.is_empty(),
        "nothing saved"
    );

    // 09:00–10:00 in Berlin every day: 17:00/17:30 JST in winter (CET, +01:00).
    let every_day = "月 09:00-10:00\n火 09:00-10:00\n水 09:00-10:00\n木 09:00-10:00\n金 09:00-10:00\n土 09:00-10:00\n日 09:00-10:00";
    let saved = app
        .post(
            "/api/save_advisor_profile",
            &profile_form("data_ebpm", every_day, false),
            Some(&advisor.cookie),
        )
        .await;
    assert!(ok(saved.status), "{}", saved.body);
    let offered = offer(&app, &staff, "data_ebpm").await;
    assert!(!offered.slots.is_empty());
    for s in &offered.slots {
        let berlin = s.start.with_timezone(&chrono_tz::Europe::Berlin);
        assert!(
            berlin.format("%H:%M").to_string() == "09:00"
                || berlin.format("%H:%M").to_string() == "09:30",
            "{berlin}"
        );
        assert_eq!(s.end - s.start, chrono::Duration::minutes(30));
    }
    assert!(
        offered
            .advisors
            .iter()
            .any(|a| a.key == advisor.id && a.bio_html.contains("<strong>"))
    );
    let back: app::consultations::views::AdvisorProfileView = app
        .post("/api/get_advisor_profile", "", Some(&advisor.cookie))
        .await
        .decode();
    assert_eq!(back.time_zone, "Europe/Berlin");
    assert_eq!(back.weekly, every_day);
    assert_eq!(back.chosen, ["data_ebpm"]);

    let paused = app
        .post(
            "/api/save_advisor_profile",
            &profile_form("data_ebpm", every_day, true),
            Some(&advisor.cookie),
        )
        .await;
    assert!(ok(paused.status), "{}", paused.body);
    assert!(
        offer(&app, &staff, "data_ebpm").await.slots.is_empty(),
        "a paused advisor offers nothing"
    );
}

/// An advisor with 30-minute slots around the clock for a week, no buffers, on `topic`, and
/// every slot they offer now (the page shows only the first ones).
async fn round_the_clock_advisor(
    app: &TestApp,
    topic: &str,
    daily_cap: Option<u32>,
) -> Vec<SlotOffer> {
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let mut profile = all_day_profile(&advisor.id, topic, 30, daily_cap);
    profile.auto_confirm = true;
    profile.availability.minimum_notice_minutes = 60;
    assert!(
        app::consultations::repo::insert_advisor(&app.state.db, &profile)
            .await
            .unwrap()
    );
    profile
        .availability
        .free_slots(&[], chrono::Utc::now())
        .into_iter()
        .map(|s| SlotOffer {
            start: s.start,
            end: s.end,
            advisors: 1,
        })
        .collect()
}

async fn bookings_in_db(app: &TestApp) -> i64 {
    app.state
        .db
        .query("RETURN count(SELECT id FROM booking WHERE id != booking:demoheldsession)")
        .await
        .unwrap()
        .take::<Option<i64>>(0)
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_thousand_attempts_at_one_slot_make_one_booking_and_two_hundred_different_slots_all_land()
{
    let app = TestApp::new().await;
    let slots = round_the_clock_advisor(&app, "children_dx", None).await;
    let users = municipal_staff(&app, 50).await;
    assert!(slots.len() >= 300, "{}", slots.len());
    // Not the very first slot: its minimum notice could pass during the test.
    let slot = slots[4];
    let attempts = (0..1000).map(|i| book(&app, &users[i % users.len()], "children_dx", &slot));
    let outcomes = futures::future::join_all(attempts).await;
    let won = outcomes.iter().filter(|(s, _, _)| ok(*s)).count();
    assert_eq!(won, 1);
    assert!(
        outcomes
            .iter()
            .filter(|(s, _, _)| !ok(*s))
            .all(|(s, _, body)| *s == StatusCode::BAD_REQUEST && body.contains("just taken")),
        "every loser hears the slot was taken, none gets a 5xx"
    );
    assert_eq!(bookings_in_db(&app).await, 1);

    let others: Vec<SlotOffer> = slots[10..210].to_vec();
    let attempts = others
        .iter()
        .enumerate()
        .map(|(i, s)| book(&app, &users[i % users.len()], "children_dx", s));
    let outcomes = futures::future::join_all(attempts).await;
    let failed: Vec<_> = outcomes.iter().filter(|(s, _, _)| !ok(*s)).collect();
    assert!(failed.is_empty(), "{failed:?}");
    assert_eq!(bookings_in_db(&app).await, 201);
}

#[tokio::test]
async fn a_daily_cap_holds_under_simultaneous_bookings_of_different_slots() {
    let app = TestApp::new().await;
    let slots = round_the_clock_advisor(&app, "ai", Some(3)).await;
    let users = municipal_staff(&app, 20).await;
    // Twenty different slots of one JST day (the day after tomorrow is whole).
    let day = (chrono::Utc::now() + chrono::Duration::days(2))
        .with_timezone(&JST)
        .date_naive();
    let same_day: Vec<SlotOffer> = slots
        .iter()
        .filter(|s| s.start.with_timezone(&JST).date_naive() == day)
        .take(20)
        .copied()
        .collect();
    assert_eq!(same_day.len(), 20);
    let attempts = same_day
        .iter()
        .zip(&users)
        .map(|(s, u)| book(&app, u, "ai", s));
    let outcomes = futures::future::join_all(attempts).await;
    let won = outcomes.iter().filter(|(s, _, _)| ok(*s)).count();
    assert_eq!(won, 3, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .all(|(s, _, _)| ok(*s) || *s == StatusCode::BAD_REQUEST)
    );
}

/// An advisor profile with slots of `slot_minutes` around the clock, every day for a week, no
/// buffers, on `topic`.
fn all_day_profile(
    key: &str,
    topic: &str,
    slot_minutes: u32,
    daily_cap: Option<u32>,
) -> AdvisorProfile {
    let midnight = NaiveTime::from_hms_opt(0, 0, 0).unwrap();
    let days = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    AdvisorProfile {
        key: key.to_owned(),
        name_ja: "終日 アドバイザー".into(),
        name_en: "All-day advisor".into(),
        topics: vec![topic.into()],
        languages: vec!["ja".into()],
        bio: String::new(),
        paused: false,
        auto_confirm: true,
        notice_hours: 0,
        availability: Availability {
            time_zone: JST,
            weekly: days
                .into_iter()
                .map(|weekday| WeeklyHours {
                    weekday,
                    start: midnight,
                    end: midnight,
                })
                .collect(),
            overrides: Vec::new(),
            slot_minutes,
            buffer_before_minutes: 0,
            buffer_after_minutes: 0,
            minimum_notice_minutes: 0,
            horizon_days: 7,
            daily_cap,
        },
        last_booked_at: None,
        bookable: true,
    }
}

#[tokio::test]
async fn after_the_session_the_advisor_records_it_and_the_requester_rates_it_once() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let profile = all_day_profile(&advisor.id, "ui_ux", 60, None);
    assert!(
        app::consultations::repo::insert_advisor(&app.state.db, &profile)
            .await
            .unwrap()
    );
    let staff = app.user(Role::Staff, "131164").await;
    let cio = app.user(Role::Cio, "131164").await;
    let slot = *offer(&app, &staff, "ui_ux").await.slots.first().unwrap();
    let (_, key, _) = book(&app, &staff, "ui_ux", &slot).await;
    let key = key.unwrap();
    let early = booking(&app, &advisor, &key).await.1.unwrap();
    let complete = |version: &str, summary: &str| {
        form(&[
            ("id", key.as_str()),
            ("version", version),
            ("change", "complete"),
            ("summary", summary),
            ("follow_ups", "次回: 画面設計のレビュー"),
        ])
    };
    let reply = app
        .post(
            "/api/give_booking",
            &complete(&early.version, "要約"),
            Some(&advisor.cookie),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "not before the session starts"
    );
    assert!(reply.body.contains("started"), "{}", reply.body);

    // The session took place: move it into the past.
    app.state
        .db
        .query("UPDATE type::record('booking', $key) SET start = time::now() - 2h, end = time::now() - 1h")
        .bind(("key", key.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let held = booking(&app, &advisor, &key).await.1.unwrap();
    let blank = app
        .post(
            "/api/give_booking",
            &complete(&held.version, " "),
            Some(&advisor.cookie),
        )
        .await;
    assert_eq!(blank.status, StatusCode::BAD_REQUEST);
    assert!(blank.body.contains("\"summary\""), "{}", blank.body);
    let done = app
        .post(
            "/api/give_booking",
            &complete(&held.version, "**申請画面**の改善点を整理した"),
            Some(&advisor.cookie),
        )
        .await;
    assert!(ok(done.status), "{}", done.body);
    let view = booking(&app, &staff, &key).await.1.unwrap();
    assert_eq!(view.status, BookingStatus::Completed);
    let (summary, follow_ups) = view.outcome.clone().unwrap();
    assert!(summary.contains("<strong>申請画面</strong>"), "{summary}");
    assert_eq!(follow_ups, "次回: 画面設計のレビュー");
    assert!(view.may_rate);

    let rate = |rating: &str| {
        form(&[
            ("id", key.as_str()),
            ("rating", rating),
            ("comment", "分かりやすかった"),
        ])
    };
    let colleague = app
        .post("/api/rate_booking", &rate("5"), Some(&cio.cookie))
        .await;
    assert_eq!(
        colleague.status,
        StatusCode::FORBIDDEN,
        "only the requester rates"
    );
    let bad = app
        .post("/api/rate_booking", &rate("6"), Some(&staff.cookie))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("\"rating\""), "{}", bad.body);
    let rated = app
        .post("/api/rate_booking", &rate("4"), Some(&staff.cookie))
        .await;
    assert!(ok(rated.status), "{}", rated.body);
    let again = app
        .post("/api/rate_booking", &rate("1"), Some(&staff.cookie))
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "once");
    let view = booking(&app, &advisor, &key).await.1.unwrap();
    assert_eq!(view.rating, Some((4, "分かりやすかった".to_owned())));
    assert!(!view.may_rate);
}

#[tokio::test]
async fn the_same_booking_form_sent_twice_books_once_and_a_record_of_another_municipality_is_refused()
 {
    let app = TestApp::new().await;
    let staff = app.user(Role::Staff, "131164").await;
    let offered = offer(&app, &staff, "standardization").await;
    let slot = *offered.slots.iter().find(|s| s.advisors == 2).unwrap();
    let interval = format!("{}/{}", slot.start.to_rfc3339(), slot.end.to_rfc3339());
    let send = |record: &'static str| {
        form(&[
            ("topic", "standardization"),
            ("start", interval.as_str()),
            ("subject", "二重送信"),
            ("record", record),
            ("step", "5"),
            ("request_key", offered.request_key.as_str()),
        ])
    };
    let refused = app
        .post(
            "/api/book_consultation",
            &send("131016_resident_registry"),
            Some(&staff.cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("\"record\""), "{}", refused.body);

    let first = app
        .post(
            "/api/book_consultation",
            &send("131164_resident_registry"),
            Some(&staff.cookie),
        )
        .await;
    let second = app
        .post(
            "/api/book_consultation",
            &send("131164_resident_registry"),
            Some(&staff.cookie),
        )
        .await;
    assert!(
        ok(first.status) && ok(second.status),
        "{} {}",
        first.body,
        second.body
    );
    assert_eq!(
        first.location, second.location,
        "the second send lands on the first booking"
    );
    assert_eq!(bookings_in_db(&app).await, 1);
    let key = offered.request_key.clone();
    let view = booking(&app, &staff, &key).await.1.unwrap();
    assert_eq!(
        view.record,
        Some(("131164_resident_registry".to_owned(), Some(5)))
    );
    assert_eq!(view.end, slot.end);
}

/// Inserts an all-day advisor (the `advisor` user) for `topic` with 60-minute slots.
async fn all_day_advisor(app: &TestApp, advisor: &TestUser, topic: &str, notice_hours: u32) {
    let mut profile = all_day_profile(&advisor.id, topic, 60, None);
    profile.notice_hours = notice_hours;
    assert!(
        app::consultations::repo::insert_advisor(&app.state.db, &profile)
            .await
            .unwrap()
    );
}

async fn reschedule(
    app: &TestApp,
    who: &TestUser,
    key: &str,
    version: &str,
    to: &SlotOffer,
) -> (StatusCode, String) {
    let slot = format!("{}/{}", to.start.to_rfc3339(), to.end.to_rfc3339());
    let reply = app
        .post(
            "/api/reschedule_booking",
            &form(&[("id", key), ("version", version), ("start", slot.as_str())]),
            Some(&who.cookie),
        )
        .await;
    (reply.status, reply.body)
}

async fn with_slots(app: &TestApp, who: &TestUser, key: &str) -> BookingView {
    let reply = app
        .post(
            "/api/get_booking",
            &form(&[("id", key), ("reschedule", "true")]),
            Some(&who.cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.decode()
}

#[tokio::test]
async fn a_booking_moves_to_a_free_slot_once_keeping_its_history_and_a_taken_or_late_move_is_refused()
 {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    all_day_advisor(&app, &advisor, "data_ebpm", 0).await;
    let staff = app.user(Role::Staff, "131164").await;
    let other = app.user(Role::Staff, "131016").await;
    let slots = offer(&app, &staff, "data_ebpm").await.slots;
    let (s0, s1, s2) = (slots[0], slots[1], slots[2]);
    let (_, key, _) = book(&app, &staff, "data_ebpm", &s0).await;
    let key = key.unwrap();
    let (status, _, body) = book(&app, &other, "data_ebpm", &s2).await;
    assert!(ok(status), "{body}");

    // The page lists the advisor's free slots: not its own time, nor another booking's.
    let view = with_slots(&app, &staff, &key).await;
    assert!(view.may_reschedule);
    let starts: Vec<_> = view.reschedule_slots.iter().map(|s| s.start).collect();
    assert!(!starts.contains(&s0.start) && starts.contains(&s1.start));
    assert!(
        !starts.contains(&s2.start),
        "another booking's time is not offered"
    );
    assert!(
        booking(&app, &staff, &key)
            .await
            .1
            .unwrap()
            .reschedule_slots
            .is_empty(),
        "only when asked"
    );

    // Someone else's time: "just taken"; another municipality cannot even see it.
    let (status, body) = reschedule(&app, &staff, &key, &view.version, &s2).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("just taken"), "{body}");
    let (status, _) = reschedule(&app, &other, &key, &view.version, &s1).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The move: new time, the old one free, SEQUENCE up, history kept, the advisor notified.
    let (status, body) = reschedule(&app, &staff, &key, &view.version, &s1).await;
    assert!(ok(status), "{body}");
    let moved = booking(&app, &advisor, &key).await.1.unwrap();
    assert_eq!((moved.start, moved.end), (s1.start, s1.end));
    assert_eq!(moved.status, BookingStatus::Confirmed);
    let offered: Vec<_> = offer(&app, &other, "data_ebpm")
        .await
        .slots
        .iter()
        .map(|s| s.start)
        .collect();
    assert!(offered.contains(&s0.start), "the old time is free again");
    assert!(!offered.contains(&s1.start), "the new time is held");
    let ics = app
        .get(
            &format!("/consultations/bookings/{key}/invite.ics"),
            Some(&staff.cookie),
        )
        .await;
    assert!(ics.body.contains("SEQUENCE:1"), "{}", ics.body);
    assert!(
        ics.body
            .contains(&format!("DTSTART:{}", s1.start.format("%Y%m%dT%H%M%SZ"))),
        "{}",
        ics.body
    );
    let history: Vec<serde_json::Value> = app
        .state
        .db
        .query("SELECT VALUE changes FROM history WHERE subject = $s AND source = 'reschedule'")
        .bind(("s", format!("booking:{key}")))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(history.len(), 1);
    let line = history[0].to_string();
    assert!(
        line.contains(&s0.start.to_rfc3339()) && line.contains(&s1.start.to_rfc3339()),
        "{line}"
    );
    let unread: i64 = app
        .state
        .db
        .query("RETURN count(SELECT VALUE id FROM notice WHERE recipient = type::record('app_user', $u) AND subject = $s)")
        .bind(("u", advisor.id.clone()))
        .bind(("s", format!("booking:{key}")))
        .await
        .unwrap()
        .take::<Option<i64>>(0)
        .unwrap()
        .unwrap_or_default();
    assert_eq!(unread, 2, "booked and moved");

    // The same form again does nothing.
    let (status, body) = reschedule(&app, &staff, &key, &view.version, &s0).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("already been changed"), "{body}");
    assert_eq!(booking(&app, &staff, &key).await.1.unwrap().start, s1.start);

    // Inside the notice window a move is refused with the window.
    let late_advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    all_day_advisor(&app, &late_advisor, "ai", 720).await;
    let ai = offer(&app, &staff, "ai").await.slots;
    let late_slot = ai
        .iter()
        .find(|s| s.advisors == 1 && s.start < chrono::Utc::now() + chrono::Duration::days(2))
        .copied()
        .unwrap();
    let (status, late, body) = book(&app, &staff, "ai", &late_slot).await;
    assert!(ok(status), "{body}");
    let late = late.unwrap();
    let late_view = with_slots(&app, &staff, &late).await;
    assert!(!late_view.may_reschedule && late_view.reschedule_slots.is_empty());
    let target = ai
        .iter()
        .rev()
        .find(|s| s.start != late_slot.start)
        .copied()
        .unwrap();
    let (status, body) = reschedule(&app, &staff, &late, &late_view.version, &target).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("720"), "{body}");
}

#[tokio::test]
async fn a_calendar_feed_shows_its_owners_bookings_until_replaced_or_revoked() {
    let app = TestApp::new().await;
    let staff = app.user(Role::Staff, "131164").await;
    let other = app.user(Role::Staff, "131016").await;
    let slots = offer(&app, &staff, "security").await.slots;
    let (_, mine, _) = book(&app, &staff, "security", &slots[0]).await;
    let next_day = slots
        .iter()
        .find(|s| s.start - slots[0].start >= chrono::Duration::days(1))
        .unwrap();
    let (_, theirs, _) = book(&app, &other, "security", next_day).await;
    let (mine, theirs) = (mine.unwrap(), theirs.unwrap());

    let list = |who: &TestUser| {
        let cookie = who.cookie.clone();
        let app = &app;
        async move {
            let reply = app.post("/api/list_bookings", "", Some(&cookie)).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            reply.decode::<app::consultations::views::BookingsView>()
        }
    };
    assert_eq!(list(&staff).await.calendar_feed_made, None);
    let made = app
        .post("/api/create_calendar_feed", "", Some(&staff.cookie))
        .await;
    assert!(ok(made.status), "{}", made.body);
    let first = list(&staff).await;
    let url = first
        .new_calendar_feed
        .expect("shown right after it was made");
    assert!(first.calendar_feed_made.is_some());
    assert_eq!(
        list(&staff).await.new_calendar_feed,
        None,
        "and never again"
    );
    let path = &url[url.find("/consultations/feed/").unwrap()..];
    let token = path.split('/').nth(3).unwrap().to_owned();
    assert_eq!(token.len(), 64);

    // Only the token's SHA-256 is stored.
    let stored: Vec<String> = app
        .state
        .db
        .query("SELECT VALUE token_sha256 FROM calendar_feed")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(
        stored,
        vec![app::consultations::repo::feed_token_sha256(&token)]
    );
    assert_ne!(stored[0], token);

    // No session needed; the owner's bookings only.
    let feed = app.get(path, None).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    assert!(feed.body.contains("BEGIN:VCALENDAR") && feed.body.contains("METHOD:PUBLISH"));
    assert!(
        feed.body.contains(&format!("UID:booking-{mine}@kyodo")),
        "{}",
        feed.body
    );
    assert!(
        !feed.body.contains(&theirs),
        "another user's booking is not in it"
    );

    // A new address stops the old one; revoking stops the new one.
    app.post("/api/create_calendar_feed", "", Some(&staff.cookie))
        .await;
    let second = list(&staff).await.new_calendar_feed.unwrap();
    assert_ne!(second, url);
    assert_eq!(app.get(path, None).await.status, StatusCode::NOT_FOUND);
    let second_path = &second[second.find("/consultations/feed/").unwrap()..];
    assert_eq!(app.get(second_path, None).await.status, StatusCode::OK);
    let revoked = app
        .post("/api/revoke_calendar_feed", "", Some(&staff.cookie))
        .await;
    assert!(ok(revoked.status));
    assert_eq!(
        app.get(second_path, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(list(&staff).await.calendar_feed_made, None);
    for bad in ["x", "../../etc", &"0".repeat(64)] {
        let reply = app
            .get(&format!("/consultations/feed/{bad}/kyodo.ics"), None)
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{bad}");
    }
    // Signed out, the server functions refuse.
    assert_eq!(
        app.post("/api/create_calendar_feed", "", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_advisor_sees_their_week_and_day_and_govtech_sees_counts_without_subjects() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    let colleague = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    all_day_advisor(&app, &advisor, "procedure_digitalization", 0).await;
    let staff = app.user(Role::Staff, "131164").await;
    let officer = app.user(Role::TokyoOfficer, "130001").await;
    let slots = offer(&app, &staff, "procedure_digitalization").await.slots;
    let (_, a, _) = book(&app, &staff, "procedure_digitalization", &slots[0]).await;
    let later = slots
        .iter()
        .find(|s| s.start - slots[0].start >= chrono::Duration::days(1))
        .copied()
        .unwrap();
    let (_, b, _) = book(&app, &staff, "procedure_digitalization", &later).await;
    let (a, b) = (a.unwrap(), b.unwrap());

    let schedule = |who: &TestUser, advisor_key: &str, date: String, days: &str| {
        let body = form(&[
            ("advisor", advisor_key),
            ("date", date.as_str()),
            ("days", days),
        ]);
        let cookie = who.cookie.clone();
        let app = &app;
        async move {
            app.post("/api/get_advisor_schedule", &body, Some(&cookie))
                .await
        }
    };
    let day_of = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&JST).date_naive();
    let day = schedule(&advisor, "", day_of(slots[0].start).to_string(), "1").await;
    assert_eq!(day.status, StatusCode::OK, "{}", day.body);
    let day: app::consultations::views::ScheduleView = day.decode();
    assert_eq!(day.schedule.len(), 1);
    let keys: Vec<_> = day.schedule[0]
        .bookings
        .iter()
        .map(|x| x.key.clone())
        .collect();
    assert_eq!(keys, vec![a.clone()], "the day holds its booking only");
    let week: app::consultations::views::ScheduleView =
        schedule(&officer, &advisor.id, day_of(later.start).to_string(), "7")
            .await
            .decode();
    assert_eq!(week.schedule.len(), 7);
    assert_eq!(week.schedule[0].date.weekday(), Weekday::Mon);
    let in_week: Vec<_> = week
        .schedule
        .iter()
        .flat_map(|d| d.bookings.iter().map(|x| x.key.clone()))
        .collect();
    assert!(in_week.contains(&b), "{in_week:?}");
    for far in ["-262143-01-01", "+262142-12-31", "2026-02-30"] {
        let reply = schedule(&advisor, "", far.to_owned(), "1").await;
        assert_eq!(reply.status, StatusCode::OK, "{far}: {}", reply.body);
    }
    for (who, key) in [
        (&colleague, advisor.id.as_str()),
        (&staff, advisor.id.as_str()),
        (&staff, ""),
    ] {
        let reply = schedule(who, key, String::new(), "7").await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    }

    // The overview: counts by topic, municipality and month; GovTech Tokyo and the secretariat.
    let reply = app
        .post(
            "/api/get_consultation_overview",
            "",
            Some(&colleague.cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let overview: app::consultations::views::OverviewView = reply.decode();
    let topic = overview
        .by_topic
        .iter()
        .find(|(t, _)| t.key == "procedure_digitalization")
        .unwrap();
    assert_eq!(topic.0.bookings, 2);
    assert_eq!(topic.1.0, "手続デジタル化");
    let toshima = overview
        .by_municipality
        .iter()
        .find(|(t, _)| t.key == "131164")
        .unwrap();
    assert_eq!(toshima.0.bookings, 2);
    assert!(overview.by_month.iter().map(|t| t.bookings).sum::<u32>() == overview.total.bookings);
    assert!(
        !reply.body.contains("標準化の移行計画について"),
        "no subjects"
    );
    assert_eq!(
        app.post("/api/get_consultation_overview", "", Some(&staff.cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let csv = app
        .get("/consultations/overview.csv", Some(&officer.cookie))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.contains("procedure_digitalization") && csv.body.contains("131164"),
        "{}",
        csv.body
    );
    assert!(
        !csv.body.contains("標準化の移行計画について"),
        "no subjects"
    );
    assert_eq!(
        csv.body.lines().count(),
        1 + overview.total.bookings as usize
    );
    assert_eq!(
        app.get("/consultations/overview.csv", Some(&staff.cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_consultation_becomes_accompanying_support_with_sessions_a_thread_and_an_end() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    all_day_advisor(&app, &advisor, "ui_ux", 0).await;
    let staff = app.user(Role::Staff, "131164").await;
    let cio = app.user(Role::Cio, "131164").await;
    let stranger = app.user(Role::Staff, "131016").await;
    let slots = offer(&app, &staff, "ui_ux").await.slots;
    let (_, first, _) = book(&app, &staff, "ui_ux", &slots[0]).await;
    let first = first.unwrap();
    let seen = booking(&app, &advisor, &first).await.1.unwrap();
    assert!(seen.may_start_engagement && seen.engagement.is_none());
    assert!(
        !booking(&app, &staff, &first)
            .await
            .1
            .unwrap()
            .may_start_engagement
    );

    let start = form(&[
        ("id", first.as_str()),
        ("version", seen.version.as_str()),
        ("title", "窓口DXの伴走支援"),
        ("goal", "**来年度**までに窓口のオンライン化を設計する"),
    ]);
    let reply = app
        .post("/api/start_engagement", &start, Some(&staff.cookie))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::FORBIDDEN,
        "only the advisor starts it"
    );
    let blank_goal = start.replace("goal=", "x=");
    let reply = app
        .post("/api/start_engagement", &blank_goal, Some(&advisor.cookie))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("\"goal\""), "{}", reply.body);
    let reply = app
        .post("/api/start_engagement", &start, Some(&advisor.cookie))
        .await;
    assert!(ok(reply.status), "{}", reply.body);
    let key = reply
        .location
        .as_deref()
        .and_then(|l| l.strip_prefix("/consultations/engagements/"))
        .map(|k| k.split('?').next().unwrap().to_owned())
        .unwrap();
    let replay = app
        .post("/api/start_engagement", &start, Some(&advisor.cookie))
        .await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST, "{}", replay.body);
    let first_view = booking(&app, &staff, &first).await.1.unwrap();
    assert_eq!(first_view.engagement.as_deref(), Some(key.as_str()));
    assert_eq!(
        first_view.kind,
        app::consultations::model::ConsultationKind::AccompanyingSupport
    );

    // Who sees it: the contact, the municipality's CIO, the advisor; not another municipality.
    let get = |who: &TestUser| {
        let body = form(&[("id", key.as_str())]);
        let cookie = who.cookie.clone();
        let app = &app;
        async move { app.post("/api/get_engagement", &body, Some(&cookie)).await }
    };
    for who in [&staff, &cio, &advisor] {
        assert_eq!(get(who).await.status, StatusCode::OK);
    }
    assert_eq!(get(&stranger).await.status, StatusCode::NOT_FOUND);
    let listed: app::consultations::views::BookingsView = app
        .post("/api/list_bookings", "", Some(&cio.cookie))
        .await
        .decode();
    assert!(listed.engagements.iter().any(|e| e.key == key));
    let listed: app::consultations::views::BookingsView = app
        .post("/api/list_bookings", "", Some(&stranger.cookie))
        .await
        .decode();
    assert!(listed.engagements.is_empty());

    // The next session names the case: the case's advisor, kind accompanying support.
    let next = slots
        .iter()
        .find(|s| s.start - slots[0].start >= chrono::Duration::days(1))
        .unwrap();
    let book_next = |who: &TestUser, request_key: &str| {
        let slot = format!("{}/{}", next.start.to_rfc3339(), next.end.to_rfc3339());
        let body = form(&[
            ("topic", "ui_ux"),
            ("advisor", ""),
            ("start", slot.as_str()),
            ("subject", "2回目: 画面設計"),
            ("engagement", key.as_str()),
            ("request_key", request_key),
        ]);
        let cookie = who.cookie.clone();
        let app = &app;
        async move {
            app.post("/api/book_consultation", &body, Some(&cookie))
                .await
        }
    };
    assert_eq!(
        book_next(&stranger, "").await.status,
        StatusCode::NOT_FOUND,
        "another municipality cannot book into the case"
    );
    let reply = book_next(&staff, "").await;
    assert!(ok(reply.status), "{}", reply.body);
    let view: app::consultations::views::EngagementView = get(&staff).await.decode();
    assert_eq!(view.sessions.len(), 2);
    assert!(view.may_book_next && !view.may_manage);
    assert!(view.goal_html.contains("<strong>来年度</strong>"));

    // Its thread: the advisor hears of a post; a stranger cannot post.
    let post = |who: &TestUser, text: &str| {
        let body = form(&[("id", key.as_str()), ("body", text)]);
        let cookie = who.cookie.clone();
        let app = &app;
        async move {
            app.post("/api/post_engagement_comment", &body, Some(&cookie))
                .await
        }
    };
    assert!(ok(post(&staff, "資料を共有します").await.status));
    assert_eq!(
        post(&stranger, "覗き見").await.status,
        StatusCode::NOT_FOUND
    );
    let view: app::consultations::views::EngagementView = get(&advisor).await.decode();
    assert_eq!(view.posts.len(), 1);
    assert!(view.may_manage);
    let told: Option<i64> = app
        .state
        .db
        .query("RETURN count(SELECT VALUE id FROM notice WHERE recipient = type::record('app_user', $u) AND kind = 'engagement_comment')")
        .bind(("u", advisor.id.clone()))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(told, Some(1));

    // Completed: no more sessions; the same form again does nothing.
    let change = form(&[
        ("id", key.as_str()),
        ("version", view.version.as_str()),
        ("status", "completed"),
    ]);
    assert_eq!(
        app.post("/api/change_engagement", &change, Some(&staff.cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let reply = app
        .post("/api/change_engagement", &change, Some(&advisor.cookie))
        .await;
    assert!(ok(reply.status), "{}", reply.body);
    let replay = app
        .post("/api/change_engagement", &change, Some(&advisor.cookie))
        .await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST);
    let view: app::consultations::views::EngagementView = get(&staff).await.decode();
    assert_eq!(
        view.summary.status,
        app::consultations::model::EngagementStatus::Completed
    );
    assert!(!view.may_book_next);
    let reply = book_next(&staff, "").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("has ended"), "{}", reply.body);
}

#[tokio::test]
async fn an_advisor_whose_account_is_disabled_or_no_longer_an_advisor_is_not_offered() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    all_day_advisor(&app, &advisor, "children_dx", 0).await;
    let staff = app.user(Role::Staff, "131164").await;
    let slot = offer(&app, &staff, "children_dx").await.slots[0];
    let set = |statement: &'static str| {
        let db = app.state.db.clone();
        let id = advisor.id.clone();
        async move {
            db.query(statement)
                .bind(("id", id))
                .await
                .unwrap()
                .check()
                .unwrap();
        }
    };
    let (_, key, _) = book(&app, &staff, "children_dx", &slot).await;
    let key = key.unwrap();
    assert!(
        !with_slots(&app, &staff, &key)
            .await
            .reschedule_slots
            .is_empty()
    );
    let slot = offer(&app, &staff, "children_dx").await.slots[0];
    set("UPDATE type::record('app_user', $id) SET status = 'disabled'").await;
    assert!(
        with_slots(&app, &staff, &key)
            .await
            .reschedule_slots
            .is_empty(),
        "no new time of a disabled advisor"
    );
    let offered = offer(&app, &staff, "children_dx").await;
    assert!(offered.slots.is_empty() && offered.advisors.is_empty());
    let (status, _, body) = book(&app, &staff, "children_dx", &slot).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    set("UPDATE type::record('app_user', $id) SET status = 'active', roles = ['staff']").await;
    assert!(offer(&app, &staff, "children_dx").await.slots.is_empty());
    set("UPDATE type::record('app_user', $id) SET roles = ['govtech_advisor']").await;
    assert!(!offer(&app, &staff, "children_dx").await.slots.is_empty());
}

/// Checks `ics` with `scripts/check_ics.py` (Python's `icalendar`, a parser independent of the
/// Rust crate that wrote it) and the given expectations; panics with its output otherwise.
fn check_ics(ics: &str, args: &[String]) {
    let file = std::env::temp_dir().join(format!("kyodo-{}.ics", app::ids::random_key()));
    std::fs::write(&file, ics).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/check_ics.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&file)
        .args(args)
        .output()
        .expect("python3 runs (make test installs its icalendar package)");
    std::fs::remove_file(&file).ok();
    assert!(
        out.status.success(),
        "check_ics.py {args:?}: {}{}\n{ics}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn the_invites_parse_with_an_independent_parser_and_carry_the_right_instants() {
    let app = TestApp::new().await;
    let advisor = app.user(Role::GovtechAdvisor, "govtech_tokyo").await;
    all_day_advisor(&app, &advisor, "security", 0).await;
    let staff = app.user(Role::Staff, "131164").await;
    let slots = offer(&app, &staff, "security").await.slots;
    let (_, key, _) = book(&app, &staff, "security", &slots[0]).await;
    let key = key.unwrap();
    let view = booking(&app, &staff, &key).await.1.unwrap();
    let invite = |who: &TestUser| {
        let cookie = who.cookie.clone();
        let path = format!("/consultations/bookings/{key}/invite.ics");
        let app = &app;
        async move { app.get(&path, Some(&cookie)).await.body }
    };
    let expect = |method: &str,
                  sequence: u32,
                  start: chrono::DateTime<chrono::Utc>,
                  end: chrono::DateTime<chrono::Utc>| {
        [
            "--uid".to_owned(),
            format!("booking-{key}@kyodo"),
            "--method".to_owned(),
            method.to_owned(),
            "--sequence".to_owned(),
            sequence.to_string(),
            "--start".to_owned(),
            start.to_rfc3339(),
            "--end".to_owned(),
            end.to_rfc3339(),
            "--itip".to_owned(),
        ]
    };
    check_ics(
        &invite(&staff).await,
        &expect("REQUEST", 0, view.start, view.end),
    );

    let (status, body) = reschedule(&app, &staff, &key, &view.version, &slots[1]).await;
    assert!(ok(status), "{body}");
    check_ics(
        &invite(&advisor).await,
        &expect("REQUEST", 1, slots[1].start, slots[1].end),
    );

    let moved = booking(&app, &staff, &key).await.1.unwrap();
    let cancel = form(&[
        ("id", key.as_str()),
        ("version", moved.version.as_str()),
        ("reason", "予定が変わりました"),
    ]);
    assert!(ok(app
        .post("/api/cancel_booking", &cancel, Some(&staff.cookie))
        .await
        .status));
    check_ics(
        &invite(&staff).await,
        &expect("CANCEL", 2, slots[1].start, slots[1].end),
    );
}
