//! Organisation domain types, shared by server and browser.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;

/// 全国地方公共団体コード (local government code): six ASCII digits, the sixth a check digit.
///
/// Rule (総務省, 全国地方公共団体コード): S = 6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5,
/// check = (11 − S mod 11) mod 10. Build with [`LgCode::parse`]; a value of this type always
/// passes the check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LgCode(String);

/// Why a string is not a valid [`LgCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LgCodeError {
    /// Not 5 or 6 ASCII digits.
    #[error("a local government code has 6 digits (or 5 without the check digit)")]
    Format,
    /// Six digits whose last digit is not the check digit of the first five.
    #[error("check digit should be {expected}")]
    CheckDigit { expected: u8 },
}

impl LgCode {
    /// Parses a 6-digit code (check digit verified) or a 5-digit code (check digit completed).
    /// Surrounding whitespace is ignored; full-width digits must be NFKC-normalized first.
    ///
    /// Errors: [`LgCodeError::Format`] for anything but 5 or 6 digits,
    /// [`LgCodeError::CheckDigit`] when the sixth digit is wrong.
    pub fn parse(input: &str) -> Result<LgCode, LgCodeError> {
        let s = input.trim();
        if !(s.len() == 5 || s.len() == 6) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(LgCodeError::Format);
        }
        let expected = Self::check_digit(&s[..5]);
        if s.len() == 5 {
            return Ok(LgCode(format!("{s}{expected}")));
        }
        let given = s.as_bytes()[5] - b'0';
        if given != expected {
            return Err(LgCodeError::CheckDigit { expected });
        }
        Ok(LgCode(s.to_owned()))
    }

    /// Check digit of five ASCII digits (see the type's doc for the rule).
    fn check_digit(first_five: &str) -> u8 {
        let sum: u32 = first_five
            .bytes()
            .zip([6u32, 5, 4, 3, 2])
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        ((11 - sum % 11) % 10) as u8
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LgCode {
    type Error = LgCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        LgCode::parse(&s)
    }
}

impl From<LgCode> for String {
    fn from(c: LgCode) -> String {
        c.0
    }
}

impl fmt::Display for LgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Kind of organisation, as in `tokyo_local_governments.csv` (`kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 東京都.
    Prefecture,
    /// 特別区 (23 special wards).
    SpecialWard,
    /// 市 (26 cities).
    City,
    /// 町 (5 towns).
    Town,
    /// 村 (8 villages).
    Village,
    /// 一般財団法人GovTech東京 (no local government code).
    Govtech,
}

impl OrgKind {
    /// Every kind, in display order.
    pub const ALL: [OrgKind; 6] = [
        OrgKind::SpecialWard,
        OrgKind::City,
        OrgKind::Town,
        OrgKind::Village,
        OrgKind::Prefecture,
        OrgKind::Govtech,
    ];

    /// The four kinds of municipality (区市町村).
    pub const MUNICIPAL: [OrgKind; 4] = [
        OrgKind::SpecialWard,
        OrgKind::City,
        OrgKind::Town,
        OrgKind::Village,
    ];

    /// The stable code (`special_ward`, `city`, …) used in CSV, URLs and the database.
    pub fn code(self) -> &'static str {
        match self {
            OrgKind::Prefecture => "prefecture",
            OrgKind::SpecialWard => "special_ward",
            OrgKind::City => "city",
            OrgKind::Town => "town",
            OrgKind::Village => "village",
            OrgKind::Govtech => "govtech",
        }
    }

    /// Parses a stable code; `None` when unknown.
    pub fn parse(s: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    /// Whether this kind is a municipality (区市町村), i.e. tracks standardization progress.
    pub fn is_municipal(self) -> bool {
        OrgKind::MUNICIPAL.contains(&self)
    }

    /// Display label.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            OrgKind::Prefecture => lang.pick("都", "Prefecture"),
            OrgKind::SpecialWard => lang.pick("特別区", "Special ward"),
            OrgKind::City => lang.pick("市", "City"),
            OrgKind::Town => lang.pick("町", "Town"),
            OrgKind::Village => lang.pick("村", "Village"),
            OrgKind::Govtech => lang.pick("GovTech東京", "GovTech Tokyo"),
        }
    }
}

/// Key of the GovTech Tokyo organisation, which has no local government code.
pub const GOVTECH_KEY: &str = "govtech_tokyo";

/// An organisation, as shown in lists and pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    /// URL and record key: the lg code, or [`GOVTECH_KEY`].
    pub key: String,
    /// 全国地方公共団体コード; `None` for GovTech Tokyo.
    pub lg_code: Option<LgCode>,
    /// 名称, e.g. 豊島区.
    pub name_ja: String,
    /// よみ in hiragana, e.g. としまく.
    pub name_kana: String,
    /// English name, e.g. Toshima.
    pub name_en: String,
    /// Kind of organisation.
    pub kind: OrgKind,
    /// 郡 for towns and villages (e.g. 西多摩郡), 支庁 for islands; `None` otherwise.
    pub district_ja: Option<String>,
}

impl Organisation {
    /// The name in the chosen language.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_ja, &self.name_en)
    }

    /// Whether the organisation matches a free-text search on name, kana, English name or code
    /// (an empty query matches all). Query and names compare as [`crate::text::search_key`]s:
    /// katakana as hiragana, half- and full-width alike, case-insensitive, old kanji forms as
    /// the common ones, so チヨダ, ﾁﾖﾀﾞ, ちよだ and ＣＨＩＹＯＤＡ all find 千代田区.
    pub fn matches(&self, query: &str) -> bool {
        use crate::text::search_key;
        let q = search_key(query);
        if q.is_empty() {
            return true;
        }
        [&self.name_ja, &self.name_kana, &self.name_en]
            .iter()
            .any(|name| search_key(name).contains(&q))
            || self
                .lg_code
                .as_ref()
                .is_some_and(|c| c.as_str().starts_with(&q))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = include_str!("../../data/tokyo_local_governments.csv");

    #[test]
    fn every_real_code_passes_and_every_altered_one_fails() {
        let codes: Vec<&str> = REFERENCE
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect();
        assert_eq!(codes.len(), 63);
        for code in codes {
            assert_eq!(LgCode::parse(code).unwrap().as_str(), code);
            let last = code.as_bytes()[5] - b'0';
            for other in (0..10u8).filter(|d| *d != last) {
                let altered = format!("{}{}", &code[..5], other);
                assert!(
                    matches!(LgCode::parse(&altered), Err(LgCodeError::CheckDigit { .. })),
                    "{altered} should fail"
                );
            }
        }
    }

    #[test]
    fn five_digits_get_their_check_digit() {
        assert_eq!(LgCode::parse("13201").unwrap().as_str(), "132012");
        assert_eq!(LgCode::parse(" 13101 ").unwrap().as_str(), "131016");
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in ["", "1310", "1310161", "13101a", "１３１０１６"] {
            assert_eq!(LgCode::parse(bad), Err(LgCodeError::Format), "{bad}");
        }
        assert_eq!(
            LgCode::parse("131017"),
            Err(LgCodeError::CheckDigit { expected: 6 })
        );
    }

    #[test]
    fn serde_round_trip_validates() {
        let c: LgCode = serde_json::from_str("\"131016\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"131016\"");
        assert!(serde_json::from_str::<LgCode>("\"131017\"").is_err());
    }

    fn chiyoda() -> Organisation {
        Organisation {
            key: "131016".into(),
            lg_code: Some(LgCode::parse("131016").unwrap()),
            name_ja: "千代田区".into(),
            name_kana: "ちよだく".into(),
            name_en: "Chiyoda".into(),
            kind: OrgKind::SpecialWard,
            district_ja: None,
        }
    }

    #[test]
    fn search_folds_katakana_width_and_case() {
        let org = chiyoda();
        for q in [
            "チヨダ",
            "ﾁﾖﾀﾞ",
            "ちよだ",
            "千代田",
            "ＣＨＩＹＯＤＡ",
            "chiyoda",
            "１３１０",
            "1310",
        ] {
            assert!(org.matches(q), "{q}");
        }
        assert!(org.matches(""), "an empty query matches all");
        for q in ["トシマ", "toshima", "1311", "千代田市"] {
            assert!(!org.matches(q), "{q}");
        }
    }

    #[test]
    fn kinds_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.code()), Some(k));
        }
        assert_eq!(OrgKind::parse("county"), None);
    }
}
