//! An advisor's hours as text, one entry per line, for the profile form (works without
//! JavaScript) and its round trip back into the form.
//!
//! Weekly hours: `月 10:00-12:00` (or `Mon 10:00-12:00`; weekday in Japanese 月火水木金土日 or
//! English Mon…Sun; an end at or before the start is the next day). Date overrides:
//! `2026-12-24 休` (or `off`) for a day off, `2026-12-26 10:00-12:00` for extra hours. Blank
//! lines are skipped. Times are on 5-minute marks. Errors name the line (1-based) and say what is wrong, in both languages.

use super::availability::{DateOverride, WeeklyHours};
use chrono::{NaiveDate, NaiveTime, Timelike, Weekday};

/// A line that could not be read: its number (1-based) and what is wrong (Japanese, English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// The line, counting from 1.
    pub line: usize,
    /// The message in Japanese.
    pub ja: String,
    /// The message in English.
    pub en: String,
}

const DAYS_JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
const DAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn weekday(word: &str) -> Option<Weekday> {
    let word = word.trim_end_matches("曜日").trim_end_matches("曜");
    DAYS_JA
        .iter()
        .position(|d| *d == word)
        .map(|i| DAYS[i])
        .or_else(|| word.parse::<Weekday>().ok())
}

/// `HH:MM-HH:MM` on 5-minute marks (bookings hold time in 5-minute blocks).
fn span(text: &str) -> Option<(NaiveTime, NaiveTime)> {
    let text = text.replace(['〜', '～', '–', '—'], "-");
    let (a, b) = text.split_once('-')?;
    let t = |s: &str| {
        NaiveTime::parse_from_str(s.trim(), "%H:%M")
            .ok()
            .filter(|t| t.minute() % 5 == 0)
    };
    Some((t(a)?, t(b)?))
}

fn error(line: usize, ja: &str, en: &str) -> LineError {
    LineError {
        line,
        ja: format!("{line}行目: {ja}"),
        en: format!("Line {line}: {en}"),
    }
}

/// At most this many weekly lines, and this many override lines, are read (the offer is
/// computed from them on every booking page).
pub const MAX_WEEKLY_LINES: usize = 50;
/// See [`MAX_WEEKLY_LINES`].
pub const MAX_OVERRIDE_LINES: usize = 200;

fn too_many(text: &str, max: usize) -> Result<(), LineError> {
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    if lines > max || text.len() > max * 40 {
        return Err(LineError {
            line: max + 1,
            ja: format!("書けるのは{max}行までです。"),
            en: format!("At most {max} lines are accepted."),
        });
    }
    Ok(())
}

/// Reads weekly hours, one `weekday HH:MM-HH:MM` per line (at most [`MAX_WEEKLY_LINES`]).
pub fn parse_weekly(text: &str) -> Result<Vec<WeeklyHours>, LineError> {
    too_many(text, MAX_WEEKLY_LINES)?;
    let mut hours = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let n = i + 1;
        let (day, times) = line.trim().split_once(char::is_whitespace).ok_or_else(|| {
            error(
                n,
                "「月 10:00-12:00」の形で書いてください。",
                "write it as “Mon 10:00-12:00”.",
            )
        })?;
        let weekday = weekday(day.trim()).ok_or_else(|| {
            error(
                n,
                "曜日は月〜日（または Mon〜Sun）で書いてください。",
                "the weekday must be Mon…Sun (or 月…日).",
            )
        })?;
        let (start, end) = span(times).ok_or_else(|| {
            error(
                n,
                "時刻は「10:00-12:00」の形（5分単位）で書いてください。",
                "times must look like “10:00-12:00” (5-minute marks).",
            )
        })?;
        hours.push(WeeklyHours {
            weekday,
            start,
            end,
        });
    }
    Ok(hours)
}

/// Reads date overrides, one `YYYY-MM-DD 休` or `YYYY-MM-DD HH:MM-HH:MM` per line (at most
/// [`MAX_OVERRIDE_LINES`]).
pub fn parse_overrides(text: &str) -> Result<Vec<DateOverride>, LineError> {
    too_many(text, MAX_OVERRIDE_LINES)?;
    let mut overrides = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let n = i + 1;
        let line = line.trim();
        let (date, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
            error(
                n,
                "日付は「2026-12-24」の形で書いてください。",
                "the date must look like “2026-12-24”.",
            )
        })?;
        let rest = rest.trim();
        if matches!(rest, "休" | "休み" | "off" | "Off" | "OFF") {
            overrides.push(DateOverride::DayOff { date });
            continue;
        }
        let (start, end) = span(rest).ok_or_else(|| {
            error(
                n,
                "日付の後に「休」か「10:00-12:00」を書いてください。",
                "after the date write “off” or “10:00-12:00”.",
            )
        })?;
        overrides.push(DateOverride::Extra { date, start, end });
    }
    Ok(overrides)
}

/// Weekly hours as the form shows them (`月 10:00-12:00` per line).
pub fn weekly_text(hours: &[WeeklyHours]) -> String {
    hours
        .iter()
        .map(|h| {
            let day = DAYS
                .iter()
                .position(|d| *d == h.weekday)
                .map_or("", |i| DAYS_JA[i]);
            format!(
                "{day} {}-{}",
                h.start.format("%H:%M"),
                h.end.format("%H:%M")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Date overrides as the form shows them.
pub fn overrides_text(overrides: &[DateOverride]) -> String {
    overrides
        .iter()
        .map(|o| match o {
            DateOverride::DayOff { date } => format!("{date} 休"),
            DateOverride::Extra { date, start, end } => {
                format!("{date} {}-{}", start.format("%H:%M"), end.format("%H:%M"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_hours_read_in_japanese_and_english_and_round_trip() {
        let hours = parse_weekly("月 10:00-12:00\n\nTue 14:00〜17:30\n金曜日 22:00-01:00").unwrap();
        assert_eq!(hours.len(), 3);
        assert_eq!(hours[1].weekday, Weekday::Tue);
        assert_eq!(hours[1].end, NaiveTime::from_hms_opt(17, 30, 0).unwrap());
        let text = weekly_text(&hours);
        assert_eq!(text, "月 10:00-12:00\n火 14:00-17:30\n金 22:00-01:00");
        assert_eq!(parse_weekly(&text).unwrap(), hours);
    }

    #[test]
    fn overrides_read_days_off_and_extra_hours_and_round_trip() {
        let o = parse_overrides("2026-12-24 休\n2026-12-26 10:00-12:00\n2026-12-28 off").unwrap();
        assert_eq!(o.len(), 3);
        assert!(matches!(o[0], DateOverride::DayOff { .. }));
        assert!(matches!(o[1], DateOverride::Extra { .. }));
        assert_eq!(parse_overrides(&overrides_text(&o)).unwrap(), o);
    }

    #[test]
    fn errors_name_the_line_and_what_is_wrong() {
        let e = parse_weekly("月 10:00-12:00\n月曜 10時から").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.ja.starts_with("2行目") && e.en.starts_with("Line 2"),
            "{e:?}"
        );
        let e = parse_weekly("月 10:03-12:00").unwrap_err();
        assert!(e.en.contains("5-minute"), "{e:?}");
        let e = parse_weekly("Someday 10:00-12:00").unwrap_err();
        assert!(e.en.contains("weekday"), "{e:?}");
        let e = parse_overrides("2026-12-24 休\n\n24/12/2026 休").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.en.contains("date"), "{e:?}");
        let e = parse_weekly(&"月 10:00-11:00\n".repeat(51)).unwrap_err();
        assert!(e.en.contains("At most 50"), "{e:?}");
        let e = parse_overrides("2026-12-24 maybe").unwrap_err();
        assert!(e.en.contains("off"), "{e:?}");
    }
}
