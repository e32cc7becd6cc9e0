//! Japanese (default) and English.
//!
//! The language is a per-browser choice kept in the `kyodo_lang` cookie. The server reads it
//! for each request and writes it into `<html lang>`; the browser reads it back from there, so
//! both halves render the same text. Switching is a form POST (works without JavaScript).
//! Dates are shown in JST; where Japanese is chosen the 和暦 (Japanese era) year stands beside
//! the Western year.

use serde::{Deserialize, Serialize};

/// Name of the cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "kyodo_lang";

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 日本語 (default).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Chooses the text for this language.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    /// Like [`Lang::pick`] for a name whose English form is optional: in English a blank
    /// English name falls back to the Japanese one (a link or heading is never empty).
    pub fn pick_name<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::En if !en.trim().is_empty() => en,
            _ => ja,
        }
    }

    /// BCP 47 code for `<html lang>`: `ja` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// Parses `ja` / `en`; anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language from a `Cookie` header value; Japanese when absent or unknown.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == LANG_COOKIE)
            .and_then(|(_, v)| Lang::parse(v))
            .unwrap_or_default()
    }
}

/// The language of the page being rendered.
///
/// On the server it comes from the request's cookie; in the browser from `<html lang>`, which
/// the server wrote. Provided once by [`crate::App`] as context; components call [`use_lang`].
pub fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default()
    }
}

/// The current page's language (from context; Japanese if none was provided).
pub fn use_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

/// Formats an ISO date for display: `2026-01-05（令和8年）` in Japanese, `2026-01-05` in English.
pub fn format_date(lang: Lang, date: &chrono::NaiveDate) -> String {
    match lang {
        Lang::Ja => match wareki_year(date) {
            Some(era) => format!("{}（{era}）", date.format("%Y-%m-%d")),
            None => date.format("%Y-%m-%d").to_string(),
        },
        Lang::En => date.format("%Y-%m-%d").to_string(),
    }
}

/// The fiscal year (年度, April–March) of a date: 2026-03-31 is FY2025, 2026-04-01 FY2026.
pub fn fiscal_year(date: &chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// A fiscal year for display: `2026年度（令和8年度）` in Japanese, `FY2026` in English.
///
/// A fiscal year is named by the era in force at the end of the calendar year it begins in
/// (the convention of government 年度 names): FY2019 (April 2019 – March 2020), in which
/// Reiwa began on 2019-05-01, is 令和元年度; FY2018 is 平成30年度. FY1988, whose last quarter
/// saw 平成 begin (1989-01-08), was 昭和63年度; eras before 平成 are not shown, so it is
/// plain `1988年度`, and FY1989 is 平成元年度.
pub fn format_fiscal_year(lang: Lang, fy: i32) -> String {
    match lang {
        Lang::Ja => {
            let year_end = chrono::NaiveDate::from_ymd_opt(fy, 12, 31);
            match year_end.and_then(|d| wareki_year(&d)) {
                Some(era) => format!("{fy}年度（{era}度）"),
                None => format!("{fy}年度"),
            }
        }
        Lang::En => format!("FY{fy}"),
    }
}

/// Today's date in Japan (UTC+9), for deadline rules.
#[cfg(feature = "ssr")]
pub fn today_jst() -> chrono::NaiveDate {
    let jst = chrono::FixedOffset::east_opt(9 * 3600).expect("valid offset");
    chrono::Utc::now().with_timezone(&jst).date_naive()
}

/// The 和暦 year of a date in the Reiwa or Heisei era, e.g. `令和8年` for 2026-01-05 and
/// `令和元年` for 2019-05-01. Reiwa began on 2019-05-01 (元号を改める政令, 2019).
pub fn wareki_year(date: &chrono::NaiveDate) -> Option<String> {
    use chrono::Datelike;
    let reiwa_start = chrono::NaiveDate::from_ymd_opt(2019, 5, 1)?;
    let heisei_start = chrono::NaiveDate::from_ymd_opt(1989, 1, 8)?;
    let (era, year) = if *date >= reiwa_start {
        ("令和", date.year() - 2018)
    } else if *date >= heisei_start {
        ("平成", date.year() - 1988)
    } else {
        return None;
    };
    Some(if year == 1 {
        format!("{era}元年")
    } else {
        format!("{era}{year}年")
    })
}

/// The JST offset (+09:00). Japan has no daylight saving time, so a fixed offset is exact.
pub fn jst() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

/// A `datetime-local` form value (`2026-12-03T17:00`, seconds optional), read as Japan time,
/// as a UTC instant; `None` when it is not one.
pub fn parse_jst_local(value: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let value = value.trim();
    chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .and_then(|t| t.and_local_timezone(jst()).single())
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// Formats an instant in JST to the minute: `2026年12月3日 17:00` (ja) or
/// `3 Dec 2026 17:00 JST` (en).
pub fn fmt_jst(instant: chrono::DateTime<chrono::Utc>, lang: Lang) -> String {
    let local = instant.with_timezone(&jst());
    let format = lang.pick("%Y年%-m月%-d日 %H:%M", "%-d %b %Y %H:%M JST");
    local.format(format).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_english_name_falls_back_to_the_japanese() {
        assert_eq!(Lang::En.pick_name("名簿WG", ""), "名簿WG");
        assert_eq!(Lang::En.pick_name("名簿WG", "  "), "名簿WG");
        assert_eq!(Lang::En.pick_name("名簿WG", "Roster WG"), "Roster WG");
        assert_eq!(Lang::Ja.pick_name("名簿WG", "Roster WG"), "名簿WG");
    }
    use chrono::NaiveDate;

    #[test]
    fn cookie_header_selects_language() {
        assert_eq!(Lang::from_cookie_header("a=b; kyodo_lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("kyodo_lang=ja"), Lang::Ja);
        assert_eq!(Lang::from_cookie_header("kyodo_lang=fr"), Lang::Ja);
        assert_eq!(Lang::from_cookie_header(""), Lang::Ja);
    }

    #[test]
    fn wareki_years() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(wareki_year(&d(2026, 1, 5)).unwrap(), "令和8年");
        assert_eq!(wareki_year(&d(2019, 5, 1)).unwrap(), "令和元年");
        assert_eq!(wareki_year(&d(2019, 4, 30)).unwrap(), "平成31年");
        assert_eq!(
            format_date(Lang::Ja, &d(2026, 1, 5)),
            "2026-01-05（令和8年）"
        );
        assert_eq!(format_date(Lang::En, &d(2026, 1, 5)), "2026-01-05");
    }

    #[test]
    fn fiscal_years() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(fiscal_year(&d(2026, 3, 31)), 2025);
        assert_eq!(fiscal_year(&d(2026, 4, 1)), 2026);
        assert_eq!(format_fiscal_year(Lang::Ja, 2030), "2030年度（令和12年度）");
        assert_eq!(format_fiscal_year(Lang::En, 2030), "FY2030");
    }

    #[test]
    fn the_fiscal_year_of_the_era_change_is_named_by_the_new_era() {
        // Reiwa began 2019-05-01, inside FY2019 (April 2019 – March 2020).
        assert_eq!(format_fiscal_year(Lang::Ja, 2019), "2019年度（令和元年度）");
        assert_eq!(format_fiscal_year(Lang::Ja, 2018), "2018年度（平成30年度）");
        assert_eq!(format_fiscal_year(Lang::Ja, 2020), "2020年度（令和2年度）");
        // Heisei began 1989-01-08, inside FY1988, which stays in the Showa era (not named).
        assert_eq!(format_fiscal_year(Lang::Ja, 1989), "1989年度（平成元年度）");
        assert_eq!(format_fiscal_year(Lang::Ja, 1988), "1988年度");
        // The fiscal year of a date on either side of the change is the same 令和元年度.
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for date in [d(2019, 4, 30), d(2019, 5, 1), d(2020, 3, 31)] {
            assert_eq!(
                format_fiscal_year(Lang::Ja, fiscal_year(&date)),
                "2019年度（令和元年度）"
            );
        }
    }
}
