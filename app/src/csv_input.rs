//! Reading the spreadsheets Japanese local governments send (layer 0): UTF-8 with or without
//! BOM or Shift_JIS/CP932, NFKC for codes and numbers (full-width digits and letters), 和暦
//! dates (令和・平成, `R8.1.5`), ○/× flags, and the physical line of each CSV record (a quoted
//! cell may span lines). Every room's import builds on these; what a column means is the
//! room's business.

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

/// The bytes are neither UTF-8 nor Shift_JIS/CP932.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotText;

/// Decodes file bytes: UTF-8 (BOM stripped) when valid, otherwise Shift_JIS/CP932.
///
/// Returns the text and the encoding's name (`UTF-8 (BOM)`, `UTF-8`, `Shift_JIS`).
/// Errors: [`NotText`] when the bytes are neither.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), NotText> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_owned(), "UTF-8 (BOM)"))
            .map_err(|_| NotText);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_owned(), "UTF-8"));
    }
    // encoding_rs' Shift_JIS is the WHATWG decoder, which is Windows-31J (CP932).
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if had_errors {
        return Err(NotText);
    }
    Ok((text.into_owned(), "Shift_JIS"))
}

/// NFKC-normalizes and trims a field (full-width digits, letters and spaces become ASCII).
/// For codes, numbers, dates and flags; free text is kept as written.
pub fn normalize(s: &str) -> String {
    s.nfkc().collect::<String>().trim().to_owned()
}

/// Parses a date: `2026-01-05`, `2026/1/5`, `2026.1.5`, `令和8年1月5日`, `令和元年5月1日`,
/// `R8.1.5`, `R08/01/05`, `H31.4.30` (input already NFKC-normalized).
///
/// 令和 starts 2019-05-01 and 平成 ends 2019-04-30; a date outside its era is refused.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let (era_base, era_range, rest): (Option<i32>, Option<(NaiveDate, NaiveDate)>, &str) =
        if let Some(r) = s
            .strip_prefix("令和")
            .or_else(|| s.strip_prefix('R'))
            .or_else(|| s.strip_prefix('r'))
        {
            (Some(2018), Some((ymd(2019, 5, 1)?, ymd(9999, 12, 31)?)), r)
        } else if let Some(r) = s
            .strip_prefix("平成")
            .or_else(|| s.strip_prefix('H'))
            .or_else(|| s.strip_prefix('h'))
        {
            (Some(1988), Some((ymd(1989, 1, 8)?, ymd(2019, 4, 30)?)), r)
        } else {
            (None, None, s)
        };
    let rest = rest.replacen('元', "1", 1);
    // Separators only between the three numbers: `-2026-01-01` or `2026--01-01` are typos.
    if !rest.starts_with(|c: char| c.is_ascii_digit())
        || rest.contains("--")
        || rest.contains("//")
        || rest.contains("..")
    {
        return None;
    }
    let parts: Vec<&str> = rest
        .split(['年', '月', '日', '/', '-', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 || parts.iter().any(|p| !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let y: i32 = parts[0].parse().ok()?;
    let m: u32 = parts[1].parse().ok()?;
    let d: u32 = parts[2].parse().ok()?;
    let date = match era_base {
        Some(base) if (1..=99).contains(&y) => ymd(base + y, m, d)?,
        Some(_) => return None,
        // Plausible years only (the 平成 era onwards, up to 2100): 0000 or 1900 are typos.
        None if parts[0].len() == 4 && (1989..=2100).contains(&y) => ymd(y, m, d)?,
        None => return None,
    };
    match era_range {
        Some((from, to)) if date < from || date > to => None,
        _ => Some(date),
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Parses a yes/no flag: ○ 〇 ◯ 有 はい Y yes true 1 / × 無 いいえ N no false 0; blank = no.
pub fn parse_flag(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "○" | "〇" | "◯" | "有" | "あり" | "はい" | "y" | "yes" | "true" | "1" => {
            Some(true)
        }
        "" | "×" | "✕" | "無" | "なし" | "いいえ" | "n" | "no" | "false" | "0" | "-" => {
            Some(false)
        }
        _ => None,
    }
}

/// Counts the physical lines of a CSV text as its records come, so that an error names the
/// line a spreadsheet shows (a quoted cell may span lines).
#[derive(Debug, Default)]
pub struct LineCounter {
    counted_to: usize,
    lines: usize,
}

impl LineCounter {
    /// The 1-based physical line where the record at byte offset `byte` of `text` starts.
    ///
    /// The csv crate's position of a record can point at the previous terminator or a blank
    /// line, so those are skipped and line feeds are counted before the record's first
    /// character. Records come in order: each call only counts the bytes since the previous
    /// record (linear in the file size).
    pub fn line_of(&mut self, text: &str, byte: usize) -> usize {
        let bytes = text.as_bytes();
        let mut start = byte.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.counted_to {
            self.lines += bytes[self.counted_to..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.counted_to = start;
        }
        1 + self.lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_iso_and_wareki() {
        assert_eq!(parse_date("2026-01-05"), Some(d(2026, 1, 5)));
        assert_eq!(parse_date("2026/1/5"), Some(d(2026, 1, 5)));
        assert_eq!(parse_date("令和8年1月5日"), Some(d(2026, 1, 5)));
        assert_eq!(parse_date("R8.1.5"), Some(d(2026, 1, 5)));
        assert_eq!(parse_date("R08/01/05"), Some(d(2026, 1, 5)));
        assert_eq!(
            parse_date(&normalize("令和８年１月５日")),
            Some(d(2026, 1, 5))
        );
        assert_eq!(
            parse_date(&normalize("Ｒ８．３．３１")),
            Some(d(2026, 3, 31))
        );
        assert_eq!(parse_date("令和元年5月1日"), Some(d(2019, 5, 1)));
        assert_eq!(parse_date("H31.4.30"), Some(d(2019, 4, 30)));
    }

    #[test]
    fn bad_dates_are_refused() {
        for bad in [
            "",
            "2026-02-30",
            "令和元年4月30日",
            "H31.5.1",
            "26-1-5",
            "R8.1",
            "tomorrow",
            "R100.1.1",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn flags() {
        assert_eq!(parse_flag("○"), Some(true));
        assert_eq!(parse_flag("×"), Some(false));
        assert_eq!(parse_flag(""), Some(false));
        assert_eq!(parse_flag("Y"), Some(true));
        assert_eq!(parse_flag("maybe"), None);
    }

    #[test]
    fn lines_are_counted_as_a_spreadsheet_shows_them() {
        let text = "a,b\r\n\"x\ny\",1\r\n\r\nz,2\r\n";
        let mut counter = LineCounter::default();
        assert_eq!(counter.line_of(text, 0), 1);
        assert_eq!(counter.line_of(text, 3), 2, "starts after the CRLF");
        assert_eq!(
            counter.line_of(text, 14),
            5,
            "a blank line and a quoted break skipped"
        );
    }
}
