//! `/consultations/profile`: a GovTech Tokyo advisor's own profile and hours.

use super::super::server::get_advisor_profile;
use super::super::views::AdvisorProfileView;
use crate::i18n::use_lang;
use crate::ui::{TextArea, loading, render};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/consultations/profile`: topics, languages, bio, pause, automatic confirmation, notice
/// window, time zone, weekly hours and date overrides (a line each), slot length, buffers,
/// minimum notice, horizon and daily cap; one plain form posting to `save_advisor_profile`.
#[component]
pub fn AdvisorProfilePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let profile = Resource::new(|| (), |_| get_advisor_profile());
    let saved = move || query.with(|q| q.get("saved").is_some() && q.get("form_error").is_none());
    view! {
        <Title text=lang.pick("相談受付の設定", "Consultation settings")/>
        <h1>{lang.pick("相談受付の設定", "Consultation settings")}</h1>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                render(profile.await, move |v| view! {
                    {saved().then(|| view! {
                        <div class="notice success" role="status"><p>{lang.pick("設定を保存しました。", "Your settings are saved.")}</p></div>
                    })}
                    <ProfileForm view=v/>
                })
            })}
        </Suspense>
    }
}

#[component]
fn ProfileForm(view: AdvisorProfileView) -> impl IntoView {
    let lang = use_lang();
    let v = view;
    let number =
        |id: &'static str, label: &'static str, value: u32, min: u32, max: u32, step: u32| {
            view! {
                <label for=id>{label}</label>
                <input id=id name=id type="number" min=min max=max step=step required value=value/>
            }
        };
    view! {
        <form method="post" action="/api/save_advisor_profile" class="record-form">
            <fieldset>
                <legend>{lang.pick("相談分野", "Topics")}</legend>
                {v.topics.iter().enumerate().map(|(i, t)| {
                    let id = format!("topic-{}", t.code);
                    view! {
                        <div>
                            <input type="checkbox" name=format!("topics[{i}]") id=id.clone() value=t.code.clone()
                                checked=v.chosen.contains(&t.code)/>
                            <label for=id>{t.label(lang).to_owned()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div>
                <input type="checkbox" name="paused" id="paused" value="1" checked=v.paused/>
                <label for="paused">{lang.pick("新しい申込の受付を停止する", "Pause new bookings")}</label>
            </div>
            <div>
                <input type="checkbox" name="auto_confirm" id="auto_confirm" value="1" checked=v.auto_confirm/>
                <label for="auto_confirm">{lang.pick("申込を自動で確定する", "Confirm bookings automatically")}</label>
            </div>
            <label for="languages">{lang.pick("対応言語（例: ja, en）", "Languages (e.g. ja, en)")}</label>
            <input id="languages" name="languages" required maxlength="100" value=v.languages.clone()/>
            <label for="bio">{lang.pick("自己紹介（Markdown）", "Bio (Markdown)")}</label>
            <TextArea id="bio" name="bio" maxlength=5000 value=v.bio.clone()/>
            <label for="time_zone">{lang.pick("勤務時間のタイムゾーン（例: Asia/Tokyo、Europe/Berlin）", "Time zone of your hours (e.g. Asia/Tokyo, Europe/Berlin)")}</label>
            <input id="time_zone" name="time_zone" required maxlength="64" value=v.time_zone.clone()/>
            <label for="weekly">{lang.pick("毎週の受付時間（1行に1つ。例: 月 10:00-12:00）", "Weekly hours (one per line, e.g. Mon 10:00-12:00)")}</label>
            <TextArea id="weekly" name="weekly" maxlength=2000 value=v.weekly.clone()/>
            <label for="overrides">{lang.pick("日付ごとの変更（例: 2026-12-24 休、2026-12-26 10:00-12:00）", "Date changes (e.g. 2026-12-24 off, 2026-12-26 10:00-12:00)")}</label>
            <TextArea id="overrides" name="overrides" maxlength=5000 value=v.overrides.clone()/>
            <p class="muted">{lang.pick("祝日（振替休日を含む）は自動的に受付しません。", "Japanese public holidays (substitute holidays included) are always off.")}</p>
            {number("slot_minutes", lang.pick("1枠の長さ（分）", "Slot length (minutes)"), v.slot_minutes, 15, 240, 5)}
            {number("buffer_before_minutes", lang.pick("前の余裕時間（分）", "Buffer before (minutes)"), v.buffer_before_minutes, 0, 120, 5)}
            {number("buffer_after_minutes", lang.pick("後の余裕時間（分）", "Buffer after (minutes)"), v.buffer_after_minutes, 0, 120, 5)}
            {number("minimum_notice_hours", lang.pick("申込の締切（開始の何時間前まで）", "Minimum notice (hours)"), v.minimum_notice_hours, 0, 720, 1)}
            {number("horizon_days", lang.pick("何日先まで受け付けるか", "Bookable up to (days ahead)"), v.horizon_days, 1, 180, 1)}
            {number("notice_hours", lang.pick("取消・変更の締切（開始の何時間前まで）", "Cancel and reschedule until (hours before)"), v.notice_hours, 0, 720, 1)}
            <label for="daily_cap">{lang.pick("1日の上限件数（空欄: 上限なし）", "Bookings per day at most (blank: no cap)")}</label>
            <input id="daily_cap" name="daily_cap" type="number" min="1" max="20" value=v.daily_cap.map(|c| c.to_string()).unwrap_or_default()/>
            <p><button type="submit">{lang.pick("保存する", "Save")}</button></p>
        </form>
    }
}
